"""One command that measures talent-bot at 1, 100, 1,000 and 10,000 articles, beside a naive baseline.

    python benchmarks/run.py                      # every size, ~10 minutes on 2 cores
    python benchmarks/run.py --sizes 1,100        # a quick run

Each size is measured in a fresh child process (so peak RSS is that size's), against a real SQLite
file in a temp dir: `talent-bot check`, the full load, a /reload after an edit, then per-call
latency of name resolution, autocomplete, every slash command's answer (resolve + SQL + Discord
embeds) and free-text questions, each beside a naive implementation timed in the same process.
Writes benchmarks/results/results.json, results.md and latency.png.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import gc
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.baseline import Naive  # noqa: E402
from benchmarks.generate import generate  # noqa: E402
from benchmarks.queries import Queries, build_queries  # noqa: E402
from benchmarks.report import write_markdown, write_plot  # noqa: E402
from bot.commands import run  # noqa: E402

DEFAULT_SIZES = (1, 100, 1000, 10_000)
RESULTS = ROOT / "benchmarks" / "results"

# (name, what the user does); the order is the order of the tables.
OPS = (
    ("resolve", "name resolution"),
    ("autocomplete", "autocomplete (per keystroke)"),
    ("who-left", "/who-left"),
    ("who-left company", "/who-left company:…"),
    ("who-left person", "/who-left person:…"),
    ("who-joined company", "/who-joined company:…"),
    ("stats topic", "/stats topic:…"),
    ("stats", "/stats"),
    ("person", "/person name:…"),
    ("company", "/company name:…"),
    ("sources", "/sources"),
    ("ask", "free-text question"),
)


# ---------------------------------------------------------------------- parent


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark (or, with --child, measure one size inside this process)."""
    parser = argparse.ArgumentParser(description="talent-bot benchmarks")
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)))
    parser.add_argument("--iterations", type=int, default=500, help="timed calls per operation")
    parser.add_argument("--baseline-seconds", type=float, default=12.0, help="cap per naive op")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--from-json", type=Path, help="only rewrite results.md and latency.png from this JSON"
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.from_json:
        saved = json.loads(args.from_json.read_text(encoding="utf-8"))
        write_markdown(saved, args.out / "results.md")
        write_plot(saved, args.out / "latency.png")
        return 0
    if args.child:
        result = asyncio.run(measure(args.child, args.iterations, args.baseline_seconds))
        (args.child / "result.json").write_text(json.dumps(result), encoding="utf-8")
        return 0
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    started = time.perf_counter()
    runs = []
    for size in sizes:
        print(f"== {size:,} articles", flush=True)
        runs.append(run_size(size, args.seed, args.iterations, args.baseline_seconds))
    report = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": _machine(),
        "iterations": args.iterations,
        "seed": args.seed,
        "seconds": round(time.perf_counter() - started, 1),
        "ops": dict(OPS),
        "sizes": runs,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    write_markdown(report, args.out / "results.md")
    plotted = write_plot(report, args.out / "latency.png")
    print(f"wrote {args.out}/results.json, results.md" + (", latency.png" if plotted else ""))
    print((args.out / "results.md").read_text(encoding="utf-8"))
    return 0


def run_size(size: int, seed: int, iterations: int, baseline_seconds: float) -> dict[str, Any]:
    """Generate `size` articles in a temp dir, time `check`, then measure in a child process."""
    with tempfile.TemporaryDirectory(prefix=f"talent-bench-{size}-") as tmp:
        work = Path(tmp)
        made = generate(work / "knowledge", size, seed)
        queries = build_queries(made.world, seed)
        (work / "queries.json").write_text(json.dumps(queries.to_json()), encoding="utf-8")
        checks = [_check(work / "knowledge") for _ in range(3 if size <= 1000 else 1)]
        print(f"   check {min(c['seconds'] for c in checks):.2f} s", flush=True)
        child = _spawn(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--child",
                str(work),
                "--iterations",
                str(iterations),
                "--baseline-seconds",
                str(baseline_seconds),
            ]
        )
        if child["returncode"] != 0:
            raise SystemExit(f"measuring {size} articles failed:\n{child['stderr']}")
        result: dict[str, Any] = json.loads((work / "result.json").read_text(encoding="utf-8"))
        result["size"] = size
        result["check_seconds"] = statistics.median(c["seconds"] for c in checks)
        result["check_peak_rss_mb"] = max(c["peak_rss_mb"] for c in checks)
        result["process_peak_rss_mb"] = child["peak_rss_mb"]
        result["peak_rss_mb"] = result["bot_peak_rss_mb"]
        print(
            f"   load {result['load']['seconds']:.2f} s, reload {result['reload']['seconds']:.2f} s, "
            f"peak RSS {result['peak_rss_mb']:.0f} MB (with the baseline "
            f"{result['process_peak_rss_mb']:.0f} MB)",
            flush=True,
        )
        return result


def _check(directory: Path) -> dict[str, Any]:
    exe = shutil.which("talent-bot")
    command = [exe] if exe else [sys.executable, "-m", "bot"]
    out = _spawn([*command, "check", str(directory)])
    if out["returncode"] != 0:
        raise SystemExit(f"generated knowledge fails `talent-bot check`:\n{out['stderr'][:3000]}")
    return out


def _spawn(command: list[str]) -> dict[str, Any]:
    """Run a child; its wall time and its own peak RSS (wait4 reports that child's alone)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        err.seek(0)
        stderr = err.read().decode(errors="replace")
    if stderr.strip():
        print(stderr, file=sys.stderr, end="")
    return {
        "returncode": proc.returncode,
        "seconds": seconds,
        "peak_rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
        "stderr": stderr,
    }


def _machine() -> dict[str, Any]:
    import pydantic
    import rapidfuzz

    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "sqlite": sqlite3.sqlite_version,
        "pydantic": pydantic.VERSION,
        "rapidfuzz": rapidfuzz.__version__,
    }


# ---------------------------------------------------------------------- child


async def measure(work: Path, iterations: int, baseline_seconds: float) -> dict[str, Any]:
    """Everything measured for one size, inside one process."""
    from bot.console.render import render_text
    from bot.discord.embeds import render_embeds
    from bot.service import TalentService
    from bot.store import Store

    knowledge = work / "knowledge"
    queries = Queries.from_json(json.loads((work / "queries.json").read_text(encoding="utf-8")))
    db = work / "bench.db"
    result: dict[str, Any] = {}
    async with Store(str(db)) as store:
        service = TalentService(store, knowledge)
        started = time.perf_counter()
        report = await service.start()
        seconds = time.perf_counter() - started
        assert report is not None and report.ok, report
        facts = sum(report.counts[k] for k in ("moves", "figures", "statements", "facts"))
        result["counts"] = {**report.counts, "all_facts": facts}
        result["load"] = {"seconds": seconds, "facts_per_second": facts / seconds}
        result["memory_mb"] = {"after load": _memory()}
        result["reload"] = await _reloads(service, knowledge)
        result["memory_mb"]["after reloads"] = _memory()
        result["db_mb"], result["wal_mb"] = _file_mb(db), _file_mb(Path(f"{db}-wal"))

        async with service.context() as ctx:
            index = ctx.index

        async def text(answer: Awaitable[Any]) -> list[Any]:
            # Rendered as a slash command replies: Discord embeds (imports discord.py, as the bot
            # process does, so peak RSS includes it).
            return render_embeds(await answer)

        ours: dict[str, tuple[Callable[[Any], Any], Sequence[Any], bool]] = {
            "resolve": (lambda q: index.resolve(q[0], q[1]), queries.resolve, False),
            "autocomplete": (lambda q: service.complete(q[0], q[1]), queries.complete, False),
            "who-left": (lambda _: text(run(service, "who-left")), [None], True),
            "who-left company": (
                lambda c: text(run(service, "who-left", company=c)),
                queries.company,
                True,
            ),
            "who-left person": (
                lambda p: text(run(service, "who-left", person=p)),
                queries.person,
                True,
            ),
            "who-joined company": (
                lambda c: text(run(service, "who-joined", company=c)),
                queries.company,
                True,
            ),
            "stats topic": (lambda t: text(run(service, "stats", t)), queries.topic, True),
            "stats": (lambda _: text(run(service, "stats")), [None], True),
            "person": (lambda p: text(run(service, "person", p)), queries.person, True),
            "company": (lambda c: text(run(service, "company", c)), queries.company, True),
            "sources": (lambda _: text(run(service, "sources")), [None], True),
            "ask": (lambda q: text(run(service, "ask", q)), queries.ask, True),
        }
        result["latency"] = {}
        for name, _ in OPS:
            call, inputs, is_async = ours[name]
            mine = await _time(call, inputs, iterations, is_async, cap_seconds=60.0)
            result["latency"][name] = {"ours": mine}
            print(
                f"   {name:<20} p50 {mine['p50_ms']:8.3f} ms  p99 {mine['p99_ms']:8.3f} ms",
                file=sys.stderr,
                flush=True,
            )
        result["memory_mb"]["after every call"] = _memory()
        # The baseline runs after, so that its own memory is not counted as the bot's.
        result["bot_peak_rss_mb"] = result["memory_mb"]["after every call"]["peak"]
        naive = Naive(str(db))
        theirs: dict[str, tuple[Callable[[Any], Any], Sequence[Any]]] = {
            "resolve": (lambda q: naive.resolve(q[0], q[1]), queries.resolve),
            "autocomplete": (lambda q: naive.complete(q[0], q[1]), queries.complete),
            "who-left": (lambda _: naive.all_moves("from"), [None]),
            "who-left company": (lambda c: naive.moves(c, "from"), queries.company),
            "who-left person": (lambda p: naive.moves_of(p, "from"), queries.person),
            "who-joined company": (lambda c: naive.moves(c, "to"), queries.company),
            "stats topic": (naive.stats, queries.topic),
            "stats": (lambda _: naive.stats(None), [None]),
            "person": (lambda p: naive.profile(p, "person"), queries.person),
            "company": (lambda c: naive.profile(c, "company"), queries.company),
            "sources": (lambda _: naive.sources(), [None]),
            "ask": (naive.ask, queries.ask),
        }
        for name, _ in OPS:
            naive_call, naive_inputs = theirs[name]
            base = await _time(
                naive_call, naive_inputs, iterations, False, cap_seconds=baseline_seconds
            )
            result["latency"][name]["naive"] = base
            mine = result["latency"][name]["ours"]
            print(
                f"   {name:<20} naive p50 {base['p50_ms']:9.3f} ms  "
                f"x{base['p50_ms'] / max(mine['p50_ms'], 1e-6):,.0f}",
                file=sys.stderr,
                flush=True,
            )
        naive.close()
        result["memory_mb"]["after the naive baseline"] = _memory()
        result["answers"] = {
            "ask": render_text(await run(service, "ask", queries.ask[0])),
            "who-left company": render_text(
                await run(service, "who-left", company=queries.company[0])
            ),
        }
    return result


def _memory() -> dict[str, float]:
    """This process's resident memory now and at its peak so far, in MB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"now": pages * resource.getpagesize() / 2**20, "peak": peak}


def _file_mb(path: Path) -> float:
    return path.stat().st_size / 2**20 if path.exists() else 0.0


def _edit(knowledge: Path, i: int) -> None:
    """What an admin's edit does to the knowledge version: one file's bytes change."""
    files = sorted(knowledge.glob("*.toml"))
    path = files[(i * 7919) % len(files)]
    path.write_text(path.read_text(encoding="utf-8") + f"# edited {i}\n", encoding="utf-8")


async def _reloads(service: Any, knowledge: Path, edits: int = 3) -> dict[str, Any]:
    """/reload after an admin edits one file (a full validate, swap and re-index), then unchanged."""
    changed = []
    for i in range(edits):
        _edit(knowledge, i)
        started = time.perf_counter()
        report = await service.reload()
        changed.append(time.perf_counter() - started)
        assert report.ok and not report.unchanged, report
    started = time.perf_counter()
    report = await service.reload()
    unchanged = time.perf_counter() - started
    assert report.ok and report.unchanged, report
    return {"seconds": statistics.median(changed), "runs": changed, "unchanged_seconds": unchanged}


async def _time(
    call: Callable[[Any], Any],
    inputs: Sequence[Any],
    iterations: int,
    is_async: bool,
    cap_seconds: float,
) -> dict[str, Any]:
    """Latency of `iterations` calls cycling through inputs, after a warm-up; stops at the cap."""
    warmup = min(50, max(5, iterations // 10))
    for i in range(warmup):
        out = call(inputs[i % len(inputs)])
        if is_async:
            await out
    gc.collect()
    samples: list[float] = []
    deadline = time.perf_counter() + cap_seconds
    for i in range(iterations):
        arg = inputs[(i + warmup) % len(inputs)]
        started = time.perf_counter_ns()
        out = call(arg)
        if is_async:
            await out
        samples.append((time.perf_counter_ns() - started) / 1e6)
        if time.perf_counter() > deadline and len(samples) >= 20:
            break
    return _summary(samples)


def _summary(samples: list[float]) -> dict[str, Any]:
    ordered = sorted(samples)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]

    return {
        "n": len(ordered),
        "p50_ms": pct(50),
        "p99_ms": pct(99),
        "mean_ms": statistics.fmean(ordered),
        "max_ms": ordered[-1],
    }


if __name__ == "__main__":
    raise SystemExit(main())
