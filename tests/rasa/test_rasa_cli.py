"""Rasa's own checks on the trained model: data validation, the held-out NLU test set, the test stories."""
import json
import os
import subprocess

from tests.conftest import PROJECT_ROOT

RASA = str(PROJECT_ROOT / ".venv" / "bin" / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
INTENT_MACRO_F1_GATE = 0.90


def rasa(*args, timeout=900):
    result = subprocess.run([RASA, *args], cwd=PROJECT_ROOT, env=ENV, capture_output=True, text=True,
                            timeout=timeout)
    return result


def test_training_data_validates_without_warnings():
    result = rasa("data", "validate", "--fail-on-warnings", "--data", "data", "--domain", "domain.yml",
                  "--config", "config.yml")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]


def test_held_out_nlu_set_scores(trained_model, tmp_path):
    out = tmp_path / "nlu"
    result = rasa("test", "nlu", "--nlu", "tests/nlu/test_nlu.yml", "--model", str(trained_model),
                  "--out", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    intents = json.loads((out / "intent_report.json").read_text())
    macro = intents["macro avg"]
    print(f"\nNLU intents: macro F1 {macro['f1-score']:.3f}, weighted F1 {intents['weighted avg']['f1-score']:.3f}, "
          f"accuracy {intents['accuracy']:.3f} on {int(macro['support'])} messages")
    weak = sorted((name, scores["f1-score"]) for name, scores in intents.items()
                  if isinstance(scores, dict) and "f1-score" in scores and scores["f1-score"] < 0.85
                  and name not in ("macro avg", "weighted avg", "micro avg"))
    if weak:
        print("Intents under 0.85 F1: " + ", ".join(f"{name} {f1:.2f}" for name, f1 in weak))
    assert macro["f1-score"] >= INTENT_MACRO_F1_GATE


def test_stories_are_predicted_without_errors(trained_model, tmp_path):
    result = rasa("test", "core", "--stories", "tests/stories", "--model", str(trained_model),
                  "--out", str(tmp_path / "core"), "--fail-on-prediction-errors")
    failed = tmp_path / "core" / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else ""
    assert result.returncode == 0, detail[-4000:] + result.stderr[-2000:]
