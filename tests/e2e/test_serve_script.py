"""`make run`'s start script refuses clearly, in one line, when it cannot start."""
import os
import socket
import subprocess

from tests.conftest import PROJECT_ROOT


def serve(**env):
    result = subprocess.run(["bash", "scripts/serve.sh"], cwd=PROJECT_ROOT, env={**os.environ, **env},
                            capture_output=True, text=True, timeout=120)
    return result.returncode, (result.stdout + result.stderr).strip()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_a_port_in_use_is_named():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        code, output = serve(RASA_PORT=str(port), ACTIONS_PORT=str(free_port()))
    assert code == 1
    assert output == (f"Port {port} is already in use: stop the program using it (an earlier 'make run'?) "
                      "or set RASA_PORT / ACTIONS_PORT.")


def test_a_missing_model_says_what_to_do():
    code, output = serve(RASA_PORT=str(free_port()), ACTIONS_PORT=str(free_port()), RASA_MODEL="models/none.tar.gz")
    assert code == 1
    assert output == ("No trained model at models/none.tar.gz: run 'make train' (or 'make run', which trains it).")


def test_an_unreachable_database_says_what_to_do():
    code, output = serve(RASA_PORT=str(free_port()), ACTIONS_PORT=str(free_port()),
                         DATABASE_URL="postgresql+psycopg2://nobody@127.0.0.1:1/none")
    assert code == 1
    assert output.startswith("Knowledge database not ready (127.0.0.1:1/none)")
    assert "Check DATABASE_URL, then run `make seed`." in output and "\n" not in output
