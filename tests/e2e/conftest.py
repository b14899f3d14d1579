"""Both servers, started once for all end-to-end tests the way `make run` starts them."""
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
import requests

from tests.processes import start, stop

RASA_PORT = int(os.environ.get("E2E_RASA_PORT", "15005"))
ACTIONS_PORT = int(os.environ.get("E2E_ACTIONS_PORT", "15055"))
WEB_PORT = int(os.environ.get("E2E_WEB_PORT", "15080"))
EMBED_PORT = WEB_PORT + 1  # another site that embeds the chat with its script tag
WEBHOOK = f"http://localhost:{RASA_PORT}/webhooks/rest/webhook"
STARTUP_SECONDS = 300


def start_servers(log: Path, **settings: str) -> subprocess.Popen:
    """serve.sh with its logs and conversation database next to `log`, and any other settings as variables."""
    env = {**os.environ, "RASA_PORT": str(RASA_PORT), "ACTIONS_PORT": str(ACTIONS_PORT), "WEB_PORT": str(WEB_PORT),
           "CORS_ORIGINS": f"http://localhost:{WEB_PORT} http://localhost:{EMBED_PORT}", "RUN_DIR": str(log.parent),
           "CONVERSATIONS_DATABASE_URL": f"sqlite:///{log.parent / 'conversations.db'}", **settings}
    process = start(["bash", "scripts/serve.sh"], log, env)
    deadline = time.time() + STARTUP_SECONDS
    while time.time() < deadline:
        if process.poll() is not None:
            pytest.fail("the servers did not start:\n" + log.read_text())
        if "Ready after" in log.read_text():
            process.run_dir = log.parent  # rasa.log and actions.log
            return process
        time.sleep(1)
    stop_servers(process)
    pytest.fail("the servers were not ready in time:\n" + log.read_text())


def stop_servers(process: subprocess.Popen) -> int:
    return stop(process, signal.SIGINT)


@pytest.fixture(scope="session")
def servers(tmp_path_factory, trained_model):
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    started = time.time()
    process = start_servers(log)
    print(f"\nServers ready in {time.time() - started:.0f} s")
    yield process
    if process.poll() is None:
        assert stop_servers(process) in (0, 130), log.read_text()[-2000:]


def send(sender: str, message: str) -> list:
    reply = requests.post(WEBHOOK, json={"sender": sender, "message": message}, timeout=60)
    reply.raise_for_status()
    return reply.json()


def ask(sender: str, message: str) -> str:
    return "\n".join(part.get("text", "") for part in send(sender, message))
