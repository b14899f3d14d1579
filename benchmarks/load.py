"""`make bench`: our assistant beside a stock `rasa init` bot, measured in one run. Prints figures; asserts nothing.

Both bots are started here (ours with scripts/serve.sh, or with scripts/run_prod.sh behind nginx with --prod; the
stock bot from build/stock-bot, trained once and cached). Traffic is a seeded mix of questions, follow-ups,
backgrounds and qualification-check answers from tests/data. The machine is shared, so the two bots take turns:
the single-user phase alternates request by request, the load phases alternate short time slices, and CPU is
counted per bot only over its own slices. Figures go to build/bench/results.json and build/bench/results.md.
"""
import argparse
import asyncio
import contextlib
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional, Sequence

import aiohttp
import psutil
import yaml

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin"
STOCK_DIR = ROOT / "build" / "stock-bot"
OUT_DIR = ROOT / "build" / "bench"
OUR_PORTS = {"RASA_PORT": "25105", "ACTIONS_PORT": "25155", "PROD_PORT": "25180"}
STOCK_PORT = 25205
READY_TIMEOUT = 300
REQUEST_TIMEOUT = 60

FOLLOW_UPS = [
    "and for IFS?", "what about the mentor category?", "how much does that cost?", "is there an exam?",
    "how long does that take?", "where does that come from?", "and for early childhood?", "what if I had a master's?",
    "how many hours of reflective supervision?", "thanks", "ok", "what's next?",
]
CHECK_OPENERS = ["can you check whether I qualify?", "check my qualifications", "am I eligible?"]
CHECK_ANSWERS = ["babies and toddlers", "BA in psychology", "3 years", "12", "40", "30 hours over 18 months",
                 "none", "skip", "a master's in social work", "2 years"]

TARGETS = {
    "capacity_ratio": ("capacity >= 4x stock (50 users, messages/s)", lambda r: r["capacity_ratio"] >= 4),
    "think_p95_ms": ("p95 <= 150 ms at 50 users with 2 s think time", lambda r: r["ours"]["think"]["p95_ms"] <= 150),
    "single_p50_ms": ("single-user p50 <= 30 ms", lambda r: r["ours"]["single"]["p50_ms"] <= 30),
    "cpu_ms_per_message": ("CPU <= 15 ms per message, all processes",
                           lambda r: r["ours"]["cpu_ms_per_message"]["total"] <= 15),
    "turns_30_vs_6": ("30-turn throughput within 20 % of 6-turn",
                      lambda r: r["ours"]["turns"]["30"] >= 0.8 * r["ours"]["turns"]["6"]),
    "rss_mb": ("RSS of all processes <= 1.3 GB", lambda r: r["ours"]["rss_mb"]["total"] <= 1300),
    "ready_s": ("ready <= 15 s", lambda r: r["ours"]["ready_s"] <= 15),
    "training_s": ("full training <= 2 minutes",
                   lambda r: r["ours"].get("training_s") is not None and r["ours"]["training_s"] <= 120),
}


def load_messages() -> Dict[str, List[str]]:
    data = ROOT / "tests" / "data"
    questions = [item["text"] for item in yaml.safe_load((data / "questions_dev.yml").read_text())]
    backgrounds = [item["message"] for item in yaml.safe_load((data / "verdict_profiles.yml").read_text())]
    return {"questions": questions, "backgrounds": backgrounds}


def conversation(rng: random.Random, messages: Dict[str, List[str]], turns: int) -> List[str]:
    """One conversation: opens with a question, a background or a check, then mixes follow-ups and answers."""
    opener = rng.random()
    if opener < 0.5:
        said = [rng.choice(messages["questions"])]
    elif opener < 0.8:
        said = [rng.choice(messages["backgrounds"])]
    else:
        said = [rng.choice(CHECK_OPENERS)] + rng.sample(CHECK_ANSWERS, 4)
    while len(said) < turns:
        pick = rng.random()
        if pick < 0.45:
            said.append(rng.choice(messages["questions"]))
        elif pick < 0.8:
            said.append(rng.choice(FOLLOW_UPS))
        elif pick < 0.9:
            said.append(rng.choice(messages["backgrounds"]))
        else:
            said.append(rng.choice(CHECK_ANSWERS))
    return said[:turns]


@dataclass
class Bot:
    name: str
    url: str
    launcher: subprocess.Popen
    ready_s: float = 0.0
    processes: Dict[str, psutil.Process] = field(default_factory=dict)

    def find_processes(self) -> None:
        """The bot's server processes by role (the launching shell scripts are left out)."""
        tree = [psutil.Process(self.launcher.pid)] + psutil.Process(self.launcher.pid).children(recursive=True)
        counts: Dict[str, int] = {}
        for process in tree:
            try:
                command = " ".join(process.cmdline())
            except psutil.Error:
                continue
            if "rasa run actions" in command or "rasa_sdk" in command:
                role = "actions"
            elif "serving.server run" in command or ("rasa" in command and " run" in command):
                role = "rasa"
            elif "nginx" in command and "master" in command:
                role = "nginx"
            elif "nginx" in command:
                role = "nginx-worker"
            else:
                continue
            counts[role] = counts.get(role, 0) + 1
            self.processes[role if counts[role] == 1 else f"{role}-{counts[role]}"] = process

    def cpu_seconds(self) -> Dict[str, float]:
        seconds = {}
        for role, process in self.processes.items():
            try:
                times = process.cpu_times()
                seconds[role] = times.user + times.system + times.children_user + times.children_system
            except psutil.Error:
                seconds[role] = 0.0
        return seconds

    def rss_mb(self) -> Dict[str, float]:
        sizes = {}
        for role, process in self.processes.items():
            try:
                sizes[role] = process.memory_info().rss / 2**20
            except psutil.Error:
                sizes[role] = 0.0
        sizes["total"] = sum(sizes.values())
        return sizes

    def stop(self) -> None:
        """Stop the launcher's whole process group (gone already when the bot failed to start)."""
        try:
            os.killpg(self.launcher.pid, signal.SIGINT)
            self.launcher.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.launcher.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def stock_model() -> Path:
    """The stock `rasa init` bot, created and trained once under build/stock-bot."""
    models = sorted((STOCK_DIR / "models").glob("*.tar.gz")) if (STOCK_DIR / "models").exists() else []
    if models:
        return models[-1]
    STOCK_DIR.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    if (STOCK_DIR / "config.yml").exists():
        command = [str(VENV_BIN / "rasa"), "train"]
    else:
        command = [str(VENV_BIN / "rasa"), "init", "--no-prompt"]
    print(f"Training the stock bot in {STOCK_DIR} (once)...", flush=True)
    subprocess.run(command, cwd=STOCK_DIR, env=env, check=True, stdout=subprocess.DEVNULL)
    return sorted((STOCK_DIR / "models").glob("*.tar.gz"))[-1]


def port_in_use(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


async def wait_ready(url: str, launcher: subprocess.Popen, started: float) -> float:
    async with aiohttp.ClientSession() as session:
        while time.time() - started < READY_TIMEOUT:
            if launcher.poll() is not None:
                raise RuntimeError(f"{url} stopped while starting")
            try:
                async with session.post(url, json={"sender": "bench-ready", "message": "hi"},
                                        timeout=aiohttp.ClientTimeout(total=5)) as reply:
                    if reply.status == 200:
                        return time.time() - started
            except (TimeoutError, aiohttp.ClientError):
                pass
            await asyncio.sleep(0.25)
    raise RuntimeError(f"{url} was not ready after {READY_TIMEOUT} s")


def start_ours(prod: bool, log: Path) -> Bot:
    env = {**os.environ, **OUR_PORTS, "RASA_TELEMETRY_ENABLED": "false"}
    script = "scripts/run_prod.sh" if prod else "scripts/serve.sh"
    port = OUR_PORTS["PROD_PORT"] if prod else OUR_PORTS["RASA_PORT"]
    launcher = subprocess.Popen(["bash", script], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                start_new_session=True)
    return Bot("ours (production profile)" if prod else "ours", f"http://127.0.0.1:{port}/webhooks/rest/webhook",
               launcher)


def start_stock(model: Path, log: Path) -> Bot:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    launcher = subprocess.Popen([str(VENV_BIN / "rasa"), "run", "--model", str(model), "--port", str(STOCK_PORT)],
                                cwd=STOCK_DIR, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
                                start_new_session=True)
    return Bot("stock", f"http://127.0.0.1:{STOCK_PORT}/webhooks/rest/webhook", launcher)


@dataclass
class Tally:
    latencies: List[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    def summary(self) -> Dict[str, float]:
        ordered = sorted(self.latencies) or [float("nan")]

        def pct(p: float) -> float:
            return round(ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000, 1)

        return {"messages": len(self.latencies), "errors": self.errors,
                "messages_per_s": round(len(self.latencies) / self.seconds, 1) if self.seconds else 0.0,
                "p50_ms": round(statistics.median(ordered) * 1000, 1), "p95_ms": pct(0.95), "p99_ms": pct(0.99)}


async def send(session: aiohttp.ClientSession, bot: Bot, sender: str, text: str, tally: Tally) -> None:
    begin = time.perf_counter()
    try:
        async with session.post(bot.url, json={"sender": sender, "message": text}) as reply:
            body = await reply.json(content_type=None)
            ok = reply.status == 200 and isinstance(body, list) and bool(body)
    except (TimeoutError, aiohttp.ClientError, json.JSONDecodeError):
        ok = False
    if ok:
        tally.latencies.append(time.perf_counter() - begin)
    else:
        tally.errors += 1


class Load:
    def __init__(self, bots: List[Bot], seed: int) -> None:
        self.bots = bots
        self.rng = random.Random(seed)
        self.messages = load_messages()
        self.cpu = {bot.name: {} for bot in bots}
        self.cpu_messages = {bot.name: 0 for bot in bots}

    def sender(self, tag: str) -> str:
        return f"bench-{tag}-{self.rng.getrandbits(48):012x}"

    async def single_user(self, rounds: int) -> Dict[str, Tally]:
        """One user; the bots alternate request by request."""
        tallies = {bot.name: Tally() for bot in self.bots}
        async with self.session() as session:
            for number in range(rounds):
                said = conversation(self.rng, self.messages, 6)
                senders = {bot.name: self.sender("single") for bot in self.bots}
                for text in said:
                    order = self.bots if number % 2 == 0 else list(reversed(self.bots))
                    for bot in order:
                        await send(session, bot, senders[bot.name], text, tallies[bot.name])
        return tallies

    async def users_for(self, bot: Bot, users: int, seconds: float, turns: int, think: float, tally: Tally,
                        conversations: Optional[int] = None) -> None:
        """`users` users on one bot, each playing conversations of `turns` messages, until time or count is up."""
        deadline = time.perf_counter() + seconds

        async def user() -> None:
            if think:
                await asyncio.sleep(self.rng.uniform(0, think))
            played = 0
            while (conversations is None or played < conversations) and time.perf_counter() < deadline:
                sender = self.sender(f"{users}u")
                for text in conversation(self.rng, self.messages, turns):
                    if time.perf_counter() >= deadline:
                        return
                    await send(session, bot, sender, text, tally)
                    if think:
                        await asyncio.sleep(self.rng.uniform(0.5 * think, 1.5 * think))
                played += 1

        async with self.session(users) as session:
            begin = time.perf_counter()
            await asyncio.gather(*(user() for _ in range(users)))
            tally.seconds += time.perf_counter() - begin

    async def sliced(self, users: int, seconds: float, slices: int, turns: int, think: float = 0.0,
                     count_cpu: bool = False) -> Dict[str, Tally]:
        """Each bot alone for a slice, in turn, so that neither competes with the other for the shared cores."""
        tallies = {bot.name: Tally() for bot in self.bots}
        for number in range(slices):
            for bot in (self.bots if number % 2 == 0 else list(reversed(self.bots))):
                before, done = bot.cpu_seconds(), len(tallies[bot.name].latencies)
                await self.users_for(bot, users, seconds / slices, turns, think, tallies[bot.name])
                if count_cpu:
                    after = bot.cpu_seconds()
                    for role in after:
                        self.cpu[bot.name][role] = self.cpu[bot.name].get(role, 0.0) + after[role] - before[role]
                    self.cpu_messages[bot.name] += len(tallies[bot.name].latencies) - done
        return tallies

    async def turns(self, users: int, lengths: Sequence[int], messages: int) -> Dict[int, Dict[str, float]]:
        """Throughput when conversations are `length` messages long, for each length. Every user says the same
        messages at every length (one script of messages // users, cut into conversations of `length` with a new
        sender each), so that only the length of the conversations differs."""
        scripts = [conversation(self.rng, self.messages, messages // users) for _ in range(users)]
        rates: Dict[int, Dict[str, float]] = {length: {} for length in lengths}
        for length in lengths:
            for bot in self.bots:
                tally = Tally()
                async with self.session(users) as session:
                    begin = time.perf_counter()
                    await asyncio.gather(*(self.play(session, bot, script, length, tally) for script in scripts))
                    tally.seconds = time.perf_counter() - begin
                rates[length][bot.name] = tally.summary()["messages_per_s"]
        return rates

    async def play(self, session: aiohttp.ClientSession, bot: Bot, script: List[str], length: int,
                   tally: Tally) -> None:
        """One user saying a script, as conversations of `length` messages."""
        for start in range(0, len(script), length):
            sender = self.sender(f"turns{length}")
            for text in script[start:start + length]:
                await send(session, bot, sender, text, tally)

    def cpu_per_message(self, bot: Bot) -> Dict[str, float]:
        count = max(1, self.cpu_messages[bot.name])
        per_role = {role: round(seconds * 1000 / count, 1) for role, seconds in self.cpu[bot.name].items()}
        per_role["total"] = round(sum(per_role.values()), 1)
        return per_role

    @staticmethod
    def session(users: int = 1) -> aiohttp.ClientSession:
        return aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=users + 1),
                                     timeout=aiohttp.ClientTimeout(total=REQUEST_TIMEOUT))


def start_profile(bot: Bot, seconds: float) -> subprocess.Popen:
    """py-spy samples our Rasa server through the closed-loop phase (its own slices and the stock bot's)."""
    return subprocess.Popen([str(VENV_BIN / "py-spy"), "record", "-p", str(bot.processes["rasa"].pid), "-d",
                             str(int(seconds * 2)), "-f", "raw", "-o", str(OUT_DIR / "profile-rasa.txt")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def profile_summary(path: Path, top: int = 30) -> str:
    """The functions holding most samples (inclusive), from py-spy's folded stacks, leaving out the frames
    (server loop, request dispatch) that nearly every sample goes through."""
    inclusive: Dict[str, int] = {}
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        total += int(count)
        for function in {frame.split(":")[0] + ")" for frame in stack.split(";")}:
            inclusive[function] = inclusive.get(function, 0) + int(count)
    busy = [(function, count) for function, count in sorted(inclusive.items(), key=lambda item: -item[1])
            if count < 0.35 * total]
    lines = [f"py-spy profile of our Rasa server ({total} samples; share of samples inside each function):"]
    lines += [f"  {count * 100 / max(1, total):5.1f} %  {function}" for function, count in busy[:top]]
    return "\n".join(lines)


def measure_training() -> float:
    env = {**os.environ, "RASA_TELEMETRY_ENABLED": "false"}
    with tempfile.TemporaryDirectory() as out:
        begin = time.time()
        subprocess.run([str(VENV_BIN / "rasa"), "train", "--force", "--config", "config.yml", "--domain", "domain.yml",
                        "--data", "data", "--out", out], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        return round(time.time() - begin, 1)


async def run(args: argparse.Namespace) -> Dict:
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    model = stock_model()
    bots: List[Bot] = []
    ports = [int(OUR_PORTS["PROD_PORT" if args.prod else "RASA_PORT"]), int(OUR_PORTS["ACTIONS_PORT"]), STOCK_PORT]
    taken = [port for port in ports if port_in_use(port)]
    if taken:
        raise SystemExit(f"Port(s) {', '.join(map(str, taken))} already in use: is an earlier benchmark still running?")
    try:
        # Both start together, so that each is timed under the same competition for the cores.
        started = time.time()
        ours = start_ours(args.prod, OUT_DIR / "ours.log")
        stock = start_stock(model, OUT_DIR / "stock.log")
        bots += [ours, stock]
        ours.ready_s, stock.ready_s = (round(seconds, 1) for seconds in await asyncio.gather(
            wait_ready(ours.url, ours.launcher, started), wait_ready(stock.url, stock.launcher, started)))
        for bot in bots:
            bot.find_processes()
        print(f"ready: ours {ours.ready_s} s, stock {stock.ready_s} s; measuring...", flush=True)

        load = Load(bots, args.seed)
        await load.sliced(10, 4, 2, 6)  # warm-up, not counted
        single = await load.single_user(args.single_rounds)
        profiler = start_profile(ours, args.seconds) if args.profile else None
        closed = await load.sliced(50, args.seconds, 4, 6, count_cpu=True)
        if profiler:
            profiler.wait(timeout=120)
            print(profile_summary(OUT_DIR / "profile-rasa.txt"))
        think = await load.sliced(50, args.seconds, 2, 6, think=2.0)
        turn_rates = await load.turns(10, (6, 30), args.turn_messages)
        results: Dict = {"conditions": {
            "alternation": "started together; single user: request by request; load phases: alternating time slices",
            "cpus": os.cpu_count(), "load_average": os.getloadavg(), "seconds_per_phase": args.seconds,
            "seed": args.seed}}
        for bot, key in ((ours, "ours"), (stock, "stock")):
            results[key] = {
                "ready_s": bot.ready_s, "single": single[bot.name].summary(), "closed_50": closed[bot.name].summary(),
                "think": think[bot.name].summary(), "cpu_ms_per_message": load.cpu_per_message(bot),
                "rss_mb": {role: round(size) for role, size in bot.rss_mb().items()},
                "turns": {str(length): rates[bot.name] for length, rates in turn_rates.items()}}
    finally:
        for bot in bots:
            bot.stop()
    if args.training:
        results["ours"]["training_s"] = measure_training()
    results["capacity_ratio"] = round(results["ours"]["closed_50"]["messages_per_s"]
                                      / max(0.01, results["stock"]["closed_50"]["messages_per_s"]), 2)
    results["targets"] = {key: {"target": text, "met": bool(check(results)) if key != "training_s"
                                or "training_s" in results["ours"] else None}
                          for key, (text, check) in TARGETS.items()}
    return results


ROWS = [
    ("time to ready (s)", lambda b: b["ready_s"]),
    ("1 user p50 (ms)", lambda b: b["single"]["p50_ms"]),
    ("1 user p95 (ms)", lambda b: b["single"]["p95_ms"]),
    ("50 users closed loop (messages/s)", lambda b: b["closed_50"]["messages_per_s"]),
    ("50 users p50 (ms)", lambda b: b["closed_50"]["p50_ms"]),
    ("50 users p95 (ms)", lambda b: b["closed_50"]["p95_ms"]),
    ("50 users p99 (ms)", lambda b: b["closed_50"]["p99_ms"]),
    ("50 users errors", lambda b: b["closed_50"]["errors"]),
    ("50 users, 2 s think, p95 (ms)", lambda b: b["think"]["p95_ms"]),
    ("CPU per message, all processes (ms)", lambda b: b["cpu_ms_per_message"]["total"]),
    ("throughput, 6-turn conversations (messages/s)", lambda b: b["turns"]["6"]),
    ("throughput, 30-turn conversations (messages/s)", lambda b: b["turns"]["30"]),
    ("RSS, all processes (MB)", lambda b: b["rss_mb"]["total"]),
]


def ratio(ours: float, stock: float) -> str:
    return f"{ours / stock:.2f}" if isinstance(ours, (int, float)) and stock else "-"


def markdown(results: Dict) -> str:
    lines = ["| figure | ours | stock | ours / stock |", "| --- | ---: | ---: | ---: |"]
    for label, read in ROWS:
        ours, stock = read(results["ours"]), read(results["stock"])
        lines.append(f"| {label} | {ours} | {stock} | {ratio(ours, stock)} |")
    for bot in ("ours", "stock"):
        cpu = ", ".join(f"{role} {ms}" for role, ms in results[bot]["cpu_ms_per_message"].items() if role != "total")
        rss = ", ".join(f"{role} {mb}" for role, mb in results[bot]["rss_mb"].items() if role != "total")
        lines.append(f"\n{bot}: CPU ms per message by process: {cpu}; RSS MB by process: {rss}")
    if "training_s" in results["ours"]:
        lines.append(f"\nFull training: {results['ours']['training_s']} s")
    lines += ["", "| target | met |", "| --- | --- |"]
    for target in results["targets"].values():
        met = {True: "met", False: "not met", None: "not measured (--training)"}[target["met"]]
        lines.append(f"| {target['target']} | {met} |")
    conditions = results["conditions"]
    lines.append(f"\nBots alternate ({conditions['alternation']}); {conditions['cpus']} CPUs shared, load average "
                 f"at the end {', '.join(f'{x:.1f}' for x in conditions['load_average'])}: figures are noisy.")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prod", action="store_true", help="measure the production profile (nginx, 2 replicas)")
    parser.add_argument("--seconds", type=float, default=20, help="length of each load phase per bot")
    parser.add_argument("--single-rounds", type=int, default=12, help="6-turn conversations in the 1-user phase")
    parser.add_argument("--turn-messages", type=int, default=300, help="messages per bot in each turns phase")
    parser.add_argument("--training", action="store_true", help="also time a full training of our model")
    parser.add_argument("--profile", action="store_true", help="py-spy profile of our Rasa server under load")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--label", default="", help="also save the results as build/bench/results-<label>.json")
    args = parser.parse_args()
    if not shutil.which("bash"):
        sys.exit("bash is needed to start the assistant")
    results = asyncio.run(run(args))
    table = markdown(results)
    print(table)
    (OUT_DIR / "results.json").write_text(json.dumps(results, indent=2))
    (OUT_DIR / "results.md").write_text(table + "\n")
    if args.label:
        (OUT_DIR / f"results-{args.label}.json").write_text(json.dumps(results, indent=2))
        (OUT_DIR / f"results-{args.label}.md").write_text(table + "\n")
    print(f"\nWritten to {OUT_DIR / 'results.json'} and {OUT_DIR / 'results.md'}")


if __name__ == "__main__":
    main()
