"""Benchmark: time to ready, REST latency and memory of a running assistant. Prints figures; asserts nothing.

Starts both servers with scripts/serve.sh on spare ports, asks a fixed set of questions sequentially, then stops.
"""
import os
import signal
import statistics
import subprocess
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
RASA_PORT, ACTIONS_PORT = 16005, 16055
QUESTIONS = [
    "what do I need for IFS?", "how many rs/c hours for IMHS", "and for the mentor?", "is there an exam for ecmhs",
    "how much does it cost in arizona", "what is reflective supervision", "how do I apply", "hi", "thanks",
    "difference between IFA and IFS",
]


def rss_mb(pattern: str) -> float:
    pids = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True).stdout.split()
    total = 0
    for pid in pids:
        status = Path(f"/proc/{pid}/status")
        if status.exists():
            for line in status.read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def main(rounds: int = 10) -> None:
    env = {**os.environ, "RASA_PORT": str(RASA_PORT), "ACTIONS_PORT": str(ACTIONS_PORT)}
    started = time.time()
    process = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        for line in process.stdout:
            if line.startswith("Ready after"):
                break
        print(f"time to ready: {time.time() - started:.1f} s")
        latencies = []
        for _ in range(rounds):
            sender = uuid.uuid4().hex
            for question in QUESTIONS:
                begin = time.perf_counter()
                requests.post(f"http://localhost:{RASA_PORT}/webhooks/rest/webhook",
                              json={"sender": sender, "message": question}, timeout=60).raise_for_status()
                latencies.append((time.perf_counter() - begin) * 1000)
        latencies.sort()
        print(f"REST latency over {len(latencies)} messages: p50 {statistics.median(latencies):.0f} ms, "
              f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.0f} ms, max {latencies[-1]:.0f} ms")
        print(f"memory (RSS): rasa server {rss_mb(f'rasa run --model .* --port {RASA_PORT}'):.0f} MB, "
              f"action server {rss_mb(f'rasa run actions .* --port {ACTIONS_PORT}'):.0f} MB")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)


if __name__ == "__main__":
    main()
