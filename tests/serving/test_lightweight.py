"""serving/lightweight.py: the Rasa server answers without importing TensorFlow, understands messages exactly as
without it, and a model that needs TensorFlow still gets the real one."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from serving import lightweight
from tests.conftest import PROJECT_ROOT
from tests.processes import ready, start, stop

PYTHON = str(PROJECT_ROOT / ".venv" / "bin" / "python")
RASA = str(PROJECT_ROOT / ".venv" / "bin" / "rasa")
ENV = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
BASE_PORT = int(os.environ.get("SERVING_TEST_PORT", "24200"))
RASA_PORT, ACTIONS_PORT = BASE_PORT, BASE_PORT + 1
STARTUP_SECONDS = 300

# What serving/server.py does before Rasa's command line runs; ".utils" is left out for the start without it.
SERVING_START = """
import json, sys
from serving import lightweight
{install}
from serving.patches import apply
apply()
"""


def run_python(code: str, lightweight_installed: bool = True, timeout: int = 600) -> dict:
    """Runs `code` in a new interpreter started as the Rasa server starts; it prints its result as JSON last."""
    install = "lightweight.install()" if lightweight_installed else ""
    result = subprocess.run([PYTHON, "-c", SERVING_START.format(install=install) + code], cwd=PROJECT_ROOT,
                            env=ENV, capture_output=True, text=True, timeout=timeout)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def served(tmp_path, trained_model):
    """serving.server and its action server, as scripts/serve.sh starts them; the Rasa server writes the names of
    its imported modules to modules.json when it stops."""
    folder = tmp_path
    (folder / "endpoints.yml").write_text(yaml.safe_dump(
        {**yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text()),
         "action_endpoint": {"url": f"http://127.0.0.1:{ACTIONS_PORT}/webhook"}}))
    env = {**ENV, "CONVERSATIONS_DATABASE_URL": f"sqlite:///{folder / 'conversations.db'}"}
    modules = folder / "modules.json"
    record_modules = (f"import atexit, json, runpy, sys; atexit.register(lambda: open({str(modules)!r}, 'w').write("
                      "json.dumps(sorted(sys.modules)))); runpy.run_module('serving.server', run_name='__main__', "
                      "alter_sys=True)")
    actions = start([RASA, "run", "actions", "--actions", "actions.actions", "--port", str(ACTIONS_PORT)],
                    folder / "actions.log", env)
    started = time.time()
    rasa = start([PYTHON, "-c", record_modules, "run", "--model", str(trained_model), "--port", str(RASA_PORT),
                  "--endpoints", str(folder / "endpoints.yml"), "--credentials", "credentials.yml"],
                 folder / "rasa.log", env)
    try:
        while not (ready(f"http://127.0.0.1:{ACTIONS_PORT}/health") and ready(f"http://127.0.0.1:{RASA_PORT}/")):
            if rasa.poll() is not None or actions.poll() is not None or time.time() > started + STARTUP_SECONDS:
                pytest.fail("the servers did not start:\n" + (folder / "rasa.log").read_text()[-3000:])
            time.sleep(0.2)
        print(f"\nRasa server (serving.server) ready in {time.time() - started:.1f} s")
        yield rasa, folder
    finally:
        stop(rasa, signal.SIGINT)
        stop(actions, signal.SIGINT)


def test_the_served_model_answers_without_tensorflow(served):
    rasa, folder = served
    reply = requests.post(f"http://127.0.0.1:{RASA_PORT}/webhooks/rest/webhook",
                          json={"sender": "lightweight-test", "message": "hi"}, timeout=60)
    assert reply.status_code == 200
    assert reply.json() and reply.json()[0]["text"].startswith("Hi!")
    assert stop(rasa, signal.SIGINT) in (0, 130), (folder / "rasa.log").read_text()[-3000:]
    modules = set(json.loads((folder / "modules.json").read_text()))
    assert "rasa.core.agent" in modules and "spacy" in modules
    assert not {name for name in modules if name.split(".")[0] in ("tensorflow", "keras", "jax")}
    assert "rasa.nlu.classifiers.diet_classifier" not in modules


UNDERSTAND = """
import asyncio
from rasa.core.agent import load_agent

async def parse_all(model, texts):
    agent = await load_agent(model_path=model)
    return [await agent.parse_message(text) for text in texts]

parsed = asyncio.run(parse_all({model!r}, {texts!r}))
print(json.dumps({{"parsed": parsed, "tensorflow": "tensorflow" in sys.modules}}))
"""


def test_messages_are_understood_exactly_as_without_it(trained_model):
    from rasa.shared.nlu.training_data.loading import load_data

    texts = [example.get("text") for example in load_data("tests/nlu/test_nlu.yml").training_examples]
    understand = UNDERSTAND.format(model=str(trained_model), texts=texts)
    lightweight_result = run_python(understand)
    plain_result = run_python(understand, lightweight_installed=False)
    assert not lightweight_result["tensorflow"] and plain_result["tensorflow"]
    assert len(lightweight_result["parsed"]) > 400
    assert lightweight_result["parsed"] == plain_result["parsed"]


def test_the_training_graph_is_read_on_first_use_and_is_the_same(trained_model):
    result = run_python(f"""
from rasa.engine.storage.local_model_storage import LocalModelStorage
metadata = LocalModelStorage.metadata_from_archive({str(trained_model)!r})
before = "tensorflow" in sys.modules
print(json.dumps({{"before": before, "kind": type(metadata.train_schema).__name__,
                  "train_schema": metadata.train_schema.as_dict(), "after": "tensorflow" in sys.modules}}))
""")
    assert result["kind"] == "DeferredGraphSchema" and not result["before"]
    assert result["after"]  # Rasa's recipe validator imports DIET, which imports TensorFlow
    plain = run_python(f"""
from rasa.engine.storage.local_model_storage import LocalModelStorage
print(json.dumps(LocalModelStorage.metadata_from_archive({str(trained_model)!r}).train_schema.as_dict()))
""", lightweight_installed=False)
    assert result["train_schema"] == plain


def test_training_helpers_load_the_real_tensorflow_on_first_use():
    result = run_python("""
import rasa.core.agent, rasa.server, rasa.nlu.extractors.extractor
import rasa.utils.train_utils as train_utils
before = "tensorflow" in sys.modules
import tensorflow as tf
callback = train_utils.RasaTrainingLogger
print(json.dumps({"before": before, "keras_callback": issubclass(callback, tf.keras.callbacks.Callback),
                  "sum": float(tf.reduce_sum(tf.constant([1.0, 2.0]))), "module": type(train_utils).__name__,
                  "missing": hasattr(train_utils, "no_such_name")}))
""")
    assert result == {"before": False, "keras_callback": True, "sum": 3.0, "module": "module", "missing": False}


def test_thinc_knows_tensorflow_when_it_is_already_imported_and_refuses_its_layers_otherwise():
    result = run_python("""
import thinc.compat, thinc.util
try:
    thinc.util.assert_tensorflow_installed()
    refused = False
except ImportError:
    refused = True
print(json.dumps({"has_tensorflow": thinc.compat.has_tensorflow, "refused": refused,
                  "tensorflow": "tensorflow" in sys.modules}))
""")
    assert result == {"has_tensorflow": False, "refused": True, "tensorflow": False}
    result = run_python("""
import tensorflow, thinc.compat
print(json.dumps({"has_tensorflow": thinc.compat.has_tensorflow}))
""")
    assert result == {"has_tensorflow": True}


@pytest.fixture(scope="module")
def diet_model(tmp_path_factory) -> Path:
    """A small NLU model with DIET, which needs TensorFlow to load and to predict."""
    folder = tmp_path_factory.mktemp("diet")
    (folder / "config.yml").write_text(yaml.safe_dump({
        "recipe": "default.v1", "language": "en", "assistant_id": "lightweight-test",
        "pipeline": [{"name": "WhitespaceTokenizer"}, {"name": "CountVectorsFeaturizer"},
                     {"name": "DIETClassifier", "epochs": 40, "random_seed": 1}],
        "policies": []}))
    (folder / "nlu.yml").write_text(yaml.safe_dump({"version": "3.1", "nlu": [
        {"intent": "greet", "examples": "- hi\n- hello there\n- good morning\n- hey\n"},
        {"intent": "ask_fees", "examples": "- how much does it cost\n- what are the fees\n- price of the exam\n"}]}))
    result = subprocess.run([RASA, "train", "nlu", "--config", str(folder / "config.yml"), "--nlu",
                             str(folder / "nlu.yml"), "--out", str(folder), "--fixed-model-name", "diet"],
                            cwd=PROJECT_ROOT, env=ENV, capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    return folder / "diet.tar.gz"


def test_a_model_with_diet_loads_the_real_tensorflow_and_understands_as_without_it(diet_model):
    understand = UNDERSTAND.format(model=str(diet_model), texts=["hi", "what are the fees", "good evening", "cost?"])
    with_lightweight = run_python(understand)
    without = run_python(understand, lightweight_installed=False)
    assert with_lightweight["tensorflow"]
    assert with_lightweight["parsed"] == without["parsed"]
    assert with_lightweight["parsed"][0]["intent"]["name"] == "greet"


def test_deferred_modules_run_on_first_use_of_a_name_they_define(tmp_path, monkeypatch):
    package = tmp_path / "deferred_example"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "heavy.py").write_text("import sys\nsys.modules['deferred_example'].ran = True\nVALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(lightweight, "DEFERRED_MODULES", ("deferred_example.heavy",))
    finder = lightweight.LightweightImports()
    monkeypatch.setattr(sys, "meta_path", [finder, *sys.meta_path])
    import deferred_example.heavy as heavy

    assert not getattr(sys.modules["deferred_example"], "ran", False)
    assert not hasattr(heavy, "numpy")  # a name its code does not define: asked, for example, by skops
    assert not getattr(sys.modules["deferred_example"], "ran", False)
    assert heavy.VALUE == 42 and sys.modules["deferred_example"].ran
    assert type(heavy) is type(sys) and "VALUE" in dir(heavy)
    for name in ("deferred_example", "deferred_example.heavy"):
        sys.modules.pop(name)


def test_top_level_names_include_every_name_a_module_may_bind():
    source = ("import os.path\nfrom typing import List as L\nX, (Y, *Z) = 1, (2, 3)\nif X:\n    W = 1\n"
              "try:\n    import json\nexcept ImportError as error:\n    json = None\n"
              "def f():\n    local = 1\nclass C:\n    attribute = 1\nfor item in []:\n    pass\n"
              "with open(os.devnull) as handle:\n    pass\n[(walrus := 1) for _ in ()]\n")
    assert lightweight.top_level_names(source) == {"os", "L", "X", "Y", "Z", "W", "json", "error", "f", "C", "item",
                                                   "handle", "walrus", "_"}
    assert lightweight.top_level_names("from os import *\n") is None
    assert lightweight.top_level_names("globals()['x'] = 1\n") is None
    assert lightweight.top_level_names("def f():\n    global x\n    x = 1\n") is None
    assert lightweight.top_level_names("def __getattr__(name):\n    return name\n") is None


def test_whichmodule_gives_what_skops_gives():
    import numpy as np
    import scipy.special
    import skops.io._utils as skops_utils

    assert skops_utils.whichmodule is not lightweight.whichmodule
    objects = [getattr(module, name) for module in (np, scipy.special) for name in sorted(dir(module))[::8]
               if isinstance(getattr(module, name), np.ufunc)]
    assert len(objects) > 20
    for obj in [*objects, np.ndarray, len, object()]:
        name = getattr(obj, "__name__", "no_such_name")
        assert lightweight.whichmodule(obj, name) == skops_utils.whichmodule(obj, name), name
    assert lightweight.whichmodule(object(), "f.<locals>.g") == "__main__"
