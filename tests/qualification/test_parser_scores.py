"""Per-field precision and recall of the parser on labelled one-message backgrounds.

The development sets are printed; the held-out set (never read while developing the parser) is printed and gated.
"""
import pytest

from tests.qualification.scoring import load, score, table

HELD_OUT_GATE = {"micro_precision": 0.93, "micro_recall": 0.88, "field_f1": 0.80}


def micro(counts):
    tp = sum(c["tp"] for c in counts.values())
    fp = sum(c["fp"] for c in counts.values())
    fn = sum(c["fn"] for c in counts.values())
    return tp / (tp + fp), tp / (tp + fn)


def f1(c):
    return 2 * c["precision"] * c["recall"] / (c["precision"] + c["recall"]) if c["precision"] + c["recall"] else 0


@pytest.mark.parametrize("name", ["backgrounds_dev.yml", "backgrounds_dev2.yml", "backgrounds_heldout.yml"])
def test_field_scores(profile_parser, name):
    cases = load(name)
    counts, _ = score(lambda text: profile_parser.parse(text).facts, cases)
    precision, recall = micro(counts)
    print(f"\nParser on {name} ({len(cases)} messages): micro precision {precision:.3f}, recall {recall:.3f}\n"
          + table(counts))
    if name != "backgrounds_heldout.yml":
        return
    assert precision >= HELD_OUT_GATE["micro_precision"] and recall >= HELD_OUT_GATE["micro_recall"]
    weak = {field: round(f1(c), 2) for field, c in counts.items() if c["tp"] + c["fn"] >= 5
            and f1(c) < HELD_OUT_GATE["field_f1"]}
    assert not weak, weak


def test_the_held_out_half_is_as_large_as_the_development_half():
    assert len(load("backgrounds_heldout.yml")) >= len(load("backgrounds_dev.yml")) >= 60
