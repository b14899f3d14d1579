"""The production profile (scripts/run_prod.sh: nginx, two Rasa replicas, PostgreSQL, Redis), once per module."""
import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Dict, List

import pytest
import requests
from sqlalchemy import create_engine, text

from tests.conftest import POSTGRES_URL, postgres_reachable
from tests.processes import start, stop

PROD_PORT = int(os.environ.get("PROD_TEST_PORT", "25300"))
REPLICA_PORTS = (PROD_PORT + 5, PROD_PORT + 6)
ACTIONS_PORT = PROD_PORT + 55
REDIS_DB = os.environ.get("PROD_TEST_REDIS_DB", "5")
STARTUP_SECONDS = 300


def nginx_available() -> bool:
    if shutil.which("nginx"):
        return True
    installed = subprocess.run("apt-get update -qq && apt-get install -y -qq nginx", shell=True,
                               capture_output=True).returncode == 0
    return installed and bool(shutil.which("nginx"))


class Profile:
    def __init__(self, process: subprocess.Popen, directory: Path) -> None:
        self.process = process
        self.directory = directory
        self.front = f"http://127.0.0.1:{PROD_PORT}/webhooks/rest/webhook"
        self.replicas = [f"http://127.0.0.1:{port}/webhooks/rest/webhook" for port in REPLICA_PORTS]

    def replica_pid(self, number: int) -> int:
        return int((self.directory / f"rasa-{REPLICA_PORTS[number]}.pid").read_text())

    def log(self) -> str:
        return "\n".join(path.read_text()[-1500:] for path in sorted(self.directory.glob("*.log")))


@pytest.fixture(scope="module")
def profile(tmp_path_factory, trained_model):
    if not postgres_reachable():
        pytest.skip(f"PostgreSQL is not reachable at {POSTGRES_URL.split('@')[-1]}")
    if not nginx_available():
        pytest.skip("nginx is not installed and `apt-get install nginx` failed")
    directory = tmp_path_factory.mktemp("prod")
    env = {**os.environ, "PROD_DIR": str(directory), "PROD_PORT": str(PROD_PORT), "RASA_PORT": str(REPLICA_PORTS[0]),
           "ACTIONS_PORT": str(ACTIONS_PORT), "DATABASE_URL": POSTGRES_URL, "REDIS_DB": REDIS_DB}
    output = directory / "run_prod.out"
    process = start(["bash", "scripts/run_prod.sh"], output, env)
    started = time.time()
    while "Ready after" not in output.read_text():
        if process.poll() is not None or time.time() - started > STARTUP_SECONDS:
            stop(process, signal.SIGKILL)
            pytest.fail("the production profile did not start:\n" + output.read_text()
                        + Profile(process, directory).log())
        time.sleep(1)
    print(f"\nProduction profile ready in {time.time() - started:.0f} s")
    yield Profile(process, directory)
    stop(process, signal.SIGINT)


def send(url: str, sender: str, message: str) -> List[Dict]:
    reply = requests.post(url, json={"sender": sender, "message": message}, timeout=60)
    assert reply.status_code == 200, reply.text
    return reply.json()


def text_of(reply: List[Dict]) -> str:
    return "\n".join(part.get("text", "") for part in reply)


def stored_events(sender: str) -> List[Dict]:
    """The conversation as the SQL tracker store holds it in PostgreSQL."""
    with create_engine(POSTGRES_URL, future=True).connect() as connection:
        rows = connection.execute(text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"),
                                  {"sender": sender}).scalars().all()
    return [json.loads(row) for row in rows]
