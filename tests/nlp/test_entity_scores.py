"""Entity scores of the spaCy pipeline (what Rasa's SpacyEntityExtractor returns) on the held-out NLU test set.

Rasa's `rasa test nlu` leaves pretrained extractors such as SpacyEntityExtractor out of its entity report, so the
scores are computed here from the same annotated test file and printed.
"""
from collections import Counter

import pytest
from rasa.shared.nlu.training_data.loading import load_data

from actions.nlp_pipeline import PIPELINE_DIR
from tests.conftest import PROJECT_ROOT

ENTITY_MICRO_F1_FLOOR = 0.75


@pytest.fixture(scope="module")
def nlp():
    import spacy

    if not (PIPELINE_DIR / "meta.json").exists():
        pytest.fail(f"no spaCy pipeline at {PIPELINE_DIR}: run `make pipeline` (make test does it first)")
    return spacy.load(PIPELINE_DIR)


def f1(true_positive, false_positive, false_negative):
    precision = true_positive / (true_positive + false_positive) if true_positive + false_positive else 0.0
    recall = true_positive / (true_positive + false_negative) if true_positive + false_negative else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def test_entity_scores_on_the_held_out_set(nlp):
    examples = load_data(str(PROJECT_ROOT / "tests" / "nlu" / "test_nlu.yml")).intent_examples
    counts = {kind: Counter() for kind in ("tp", "fp", "fn")}
    for example in examples:
        gold = {(e["start"], e["end"], e["entity"]) for e in example.get("entities") or []}
        predicted = {(ent.start_char, ent.end_char, ent.label_) for ent in nlp(example.get("text")).ents}
        for span in gold & predicted:
            counts["tp"][span[2]] += 1
        for span in predicted - gold:
            counts["fp"][span[2]] += 1
        for span in gold - predicted:
            counts["fn"][span[2]] += 1
    labels = sorted(set(counts["tp"]) | set(counts["fn"]))
    per_label = {label: f1(counts["tp"][label], counts["fp"][label], counts["fn"][label]) for label in labels}
    micro = f1(sum(counts["tp"].values()), sum(counts["fp"].values()), sum(counts["fn"].values()))
    print(f"\nEntities on {len(examples)} messages: micro F1 {micro:.3f}, macro F1 "
          f"{sum(per_label.values()) / len(per_label):.3f}; "
          + ", ".join(f"{label} {score:.2f} (n={counts['tp'][label] + counts['fn'][label]})"
                      for label, score in per_label.items()))
    assert micro >= ENTITY_MICRO_F1_FLOOR
