"""Benchmark: the chat page in Chromium. Prints figures; asserts nothing.

Starts the servers with scripts/serve.sh on spare ports (BENCH_RASA_PORT, BENCH_ACTIONS_PORT, BENCH_WEB_PORT),
then measures the time from opening the page to a confirmed conversation, the time from sending a message to its
first answer on screen, and the page weight
(HTML + JavaScript + CSS as the server sends them, gzip-compressed).
"""
import os
import signal
import statistics
import subprocess
import time
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
RASA_PORT, ACTIONS_PORT, WEB_PORT = (int(os.environ.get(f"BENCH_{name}_PORT", default))
                                     for name, default in (("RASA", 16105), ("ACTIONS", 16155), ("WEB", 16180)))
PAGES = {"chat page": ["/", "/chat.js", "/chat.css", "/site.css"],
         "advisor view": ["/advisor.html", "/advisor.js", "/chat.css", "/site.css", "/advisor.css"]}
QUESTIONS = ["what do I need for IFS?", "is the exam online?", "how much does it cost in arizona",
             "what is reflective supervision", "how do I apply"]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
LOADS = 5


def page_weight(paths) -> tuple:
    compressed = raw = 0
    for path in paths:
        url = f"http://localhost:{WEB_PORT}{path}"
        compressed += len(requests.get(url, headers={"Accept-Encoding": "gzip"}, stream=True, timeout=10).raw.read())
        raw += len(requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=10).content)
    return compressed / 1024, raw / 1024


def mark(page, name: str) -> float:
    return page.evaluate(f"performance.getEntriesByName('{name}').at(-1)?.startTime ?? -1")


def main() -> None:
    env = {**os.environ, "RASA_PORT": str(RASA_PORT), "ACTIONS_PORT": str(ACTIONS_PORT), "WEB_PORT": str(WEB_PORT)}
    process = subprocess.Popen(["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True,
                               start_new_session=True)
    try:
        for line in process.stdout:
            if line.startswith("Ready after"):
                break
        for name, paths in PAGES.items():
            compressed, raw = page_weight(paths)
            print(f"page weight, {name}: {compressed:.1f} KB gzip-compressed ({raw:.1f} KB uncompressed)")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            ready, answers = [], []
            for load in range(LOADS):
                context = browser.new_context(bypass_csp=True)  # for wait_for_function
                page = context.new_page()
                page.goto(f"http://localhost:{WEB_PORT}/")
                page.wait_for_selector(".iecmh-chat[data-state='online']", timeout=60_000)
                ready.append(mark(page, "iecmh-ready"))
                if load == 0:
                    for question in QUESTIONS:
                        answered = page.locator(".iecmh-from-bot").count()
                        page.get_by_label("Your message").fill(question)
                        page.get_by_label("Your message").press("Enter")
                        page.wait_for_function(f"document.querySelectorAll('.iecmh-from-bot').length > {answered}",
                                               timeout=60_000)
                        answers.append(mark(page, "iecmh-answer") - mark(page, "iecmh-sent"))
                        time.sleep(0.5)
                context.close()
            browser.close()
        print(f"page load to ready (conversation confirmed), {LOADS} loads: median {statistics.median(ready):.0f} ms, "
              f"max {max(ready):.0f} ms")
        print(f"send to first answer shown, {len(answers)} questions: median {statistics.median(answers):.0f} ms, "
              f"max {max(answers):.0f} ms")
    finally:
        os.killpg(process.pid, signal.SIGINT)
        process.wait(timeout=60)


if __name__ == "__main__":
    main()
