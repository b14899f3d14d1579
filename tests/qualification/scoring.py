"""Per-field precision and recall of the profile parser against labelled backgrounds."""
from collections import defaultdict
from pathlib import Path
from typing import Dict, List, Tuple

import yaml

DATA = Path(__file__).resolve().parents[1] / "data"


def load(name: str) -> List[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def same(predicted, label) -> bool:
    if isinstance(label, bool) or isinstance(predicted, bool):
        return predicted is label
    if isinstance(label, (int, float)) and isinstance(predicted, (int, float)):
        return abs(float(predicted) - float(label)) <= 0.05
    return predicted == label


def score(parse, cases: List[dict]) -> Tuple[Dict[str, Dict[str, float]], List[str]]:
    """Per field: true positives, false positives, false negatives, precision, recall; and the misreadings."""
    counts: Dict[str, Dict[str, float]] = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    misses: List[str] = []
    for case in cases:
        predicted = parse(case["text"])
        labels = case.get("facts") or {}
        for name in set(predicted) | set(labels):
            if name in labels and name in predicted and same(predicted[name], labels[name]):
                counts[name]["tp"] += 1
                continue
            if name in predicted:
                counts[name]["fp"] += 1
            if name in labels:
                counts[name]["fn"] += 1
            misses.append(f"{case['id']} {name}: read {predicted.get(name)!r}, labelled {labels.get(name)!r}")
    for field in counts.values():
        field["precision"] = field["tp"] / (field["tp"] + field["fp"]) if field["tp"] + field["fp"] else 1.0
        field["recall"] = field["tp"] / (field["tp"] + field["fn"]) if field["tp"] + field["fn"] else 1.0
    return dict(counts), misses


def table(counts: Dict[str, Dict[str, float]]) -> str:
    lines = [f"{'field':28} {'precision':>9} {'recall':>7} {'labels':>7}"]
    for name in sorted(counts):
        c = counts[name]
        lines.append(f"{name:28} {c['precision']:9.2f} {c['recall']:7.2f} {int(c['tp'] + c['fn']):7d}")
    return "\n".join(lines)
