"""Servers started by tests: each in a process group of its own, stopped with everything it started."""
import os
import signal
import subprocess
from pathlib import Path

import requests

from tests.conftest import PROJECT_ROOT


def start(command: list, log: Path, env: dict) -> subprocess.Popen:
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                            start_new_session=True)


def stop(process: subprocess.Popen, how: int = signal.SIGTERM) -> int:
    """Stops the process group with `how` (SIGKILL after a minute); returns the process's exit code."""
    if process.poll() is None:
        os.killpg(process.pid, how)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return process.wait()


def ready(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False
