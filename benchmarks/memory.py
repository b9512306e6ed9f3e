"""Reloads, restarts, event-loop stalls and peak RSS as the Discord bot sees them (issue 17).

    python benchmarks/memory.py --sizes 1000,10000 --runs 3
    python benchmarks/memory.py --sizes 10000 --runs 3 --old /tmp/old-tree   # beside older code

Each run is a fresh child process serving like `talent-bot run` does: a real SQLite file, a
WorkerLoader (parsing in a worker process), discord.py imported and every answer rendered as
embeds. A loop-lag probe (a task sleeping 5 ms in a loop on the serving event loop) records the
worst overshoot of each phase: cold start, the three one-file reloads, the first /stats and /ask
after each swap, a restart on the loaded database and its first reload, and a reload after
editing 100 files. Peak RSS is the serving process's own (the worker is another process).
With --old, the same runs are made with the code in that directory, interleaved with ours, so
that both see the same noise; results go to benchmarks/results/memory.json.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


class LagProbe:
    """Sleeps 5 ms in a loop on the event loop and keeps the worst overshoot of each phase."""

    def __init__(self) -> None:
        self.phase = "idle"
        self.worst: dict[str, float] = {}
        self.cpu: dict[str, dict[str, float]] = {}  # CPU time spent during each worst stall
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        """Begin probing on the running loop (with MEMORY_STACKS=1, also note what stalls it)."""
        self._task = asyncio.get_running_loop().create_task(self._run())
        self.beat = time.perf_counter()
        self.gc_worst: dict[str, float] = {}  # the longest garbage collection of each phase
        self._gc_started = 0.0
        gc.callbacks.append(self._on_gc)
        self.stacks: list[str] = []
        if os.environ.get("MEMORY_STACKS"):
            threading.Thread(target=self._watch, args=(threading.get_ident(),), daemon=True).start()

    def _on_gc(self, event: str, info: dict[str, int]) -> None:
        if event == "start":
            self._gc_started = time.perf_counter()
            return
        key = f"{self.phase} (gen {info['generation']})"
        took = (time.perf_counter() - self._gc_started) * 1000
        self.gc_worst[key] = max(self.gc_worst.get(key, 0.0), took)

    def _watch(self, loop_thread: int) -> None:
        """Every 10 ms: if the loop has not beaten for 40 ms, keep the loop thread's stack."""
        while True:
            time.sleep(0.01)
            if time.perf_counter() - self.beat > 0.04:
                frame = sys._current_frames().get(loop_thread)
                if frame is not None:
                    where = "".join(traceback.format_stack(frame)[-6:])
                    self.stacks.append(f"{self.phase}:\n{where}")

    async def _run(self) -> None:
        while True:
            started = self.beat = time.perf_counter()
            cpu, loop_cpu = time.process_time(), time.thread_time()
            before = self.phase
            await asyncio.sleep(0.005)
            lag = (time.perf_counter() - started - 0.005) * 1000
            # A stall across a change of phase counts for both: the one it began in and the
            # one it ended in (a phase's first statements run before the probe wakes).
            for phase in {before, self.phase}:
                if lag > self.worst.get(phase, 0.0):
                    self.worst[phase] = lag
                    # What the stall was: the loop's own work (loop CPU ~ lag), another thread
                    # holding the GIL (process CPU ~ lag), or the machine (neither: descheduled).
                    self.cpu[phase] = {
                        "loop cpu ms": (time.thread_time() - loop_cpu) * 1000,
                        "process cpu ms": (time.process_time() - cpu) * 1000,
                    }

    async def stop(self) -> None:
        """Stop probing."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _now_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


def _edit(knowledge: Path, i: int, count: int = 1) -> None:
    files = sorted(knowledge.glob("*.toml"))
    for j in range(count):
        path = files[((i + j) * 7919) % len(files)]
        path.write_text(path.read_text(encoding="utf-8") + f"# edited {i}.{j}\n", encoding="utf-8")


async def child(work: Path, question: str) -> dict[str, Any]:
    """One run inside one process: start, reloads, first queries, restart, first reload."""
    from bot.commands import run
    from bot.discord.embeds import render_embeds
    from bot.reloader import WorkerLoader
    from bot.service import TalentService
    from bot.store import Store

    knowledge, db = work / "knowledge", str(work / "bench.db")
    probe = LagProbe()
    probe.start()
    out: dict[str, Any] = {"code": str(Path(sys.modules["bot"].__file__ or "").parent.parent)}
    memory: dict[str, float] = {}

    async def edit(i: int, count: int = 1) -> None:
        # In a thread, like an editor in another process: sorting 10,000 paths on the loop
        # would be the benchmark's own stall (it was, 50 ms at 10,000, counted to the reload).
        probe.phase = "editing files"
        await asyncio.to_thread(_edit, knowledge, i, count)
        probe.phase = "idle"

    async def timed(phase: str, call: Any) -> float:
        probe.phase = phase
        started = time.perf_counter()
        await call
        seconds = time.perf_counter() - started
        probe.phase = "idle"
        return seconds

    async def first_queries(service: TalentService, tag: str) -> None:
        out[f"first stats {tag} ms"] = 1000 * await timed(
            f"first stats {tag}", _render(run(service, "stats"))
        )
        out[f"first ask {tag} ms"] = 1000 * await timed(
            f"first ask {tag}", _render(run(service, "ask", question))
        )

    async def _render(answer: Any) -> None:
        render_embeds(await answer)

    loader = WorkerLoader(knowledge, 1_000_000)
    async with Store(db) as store:
        service = TalentService(store, knowledge, loader=loader)
        out["cold start s"] = await timed("cold start", service.start())
        memory["after start"] = _now_mb()
        await first_queries(service, "after start")
        reloads = []
        for i in range(3):
            await edit(i)
            reloads.append(await timed(f"reload {i + 1}", service.reload()))
            await first_queries(service, f"after reload {i + 1}")
        out["reload s"] = reloads
        memory["after reloads"] = _now_mb()
        stats = []
        for _ in range(20):
            started = time.perf_counter()
            await _render(run(service, "stats"))
            stats.append(1000 * (time.perf_counter() - started))
        out["steady stats p50 ms"] = statistics.median(stats)
    loader.close()
    out["peak before restart MB"] = _peak_mb()
    # A real restart is a new process; here the first service's snapshot and the store's
    # caches are freed by reference counting on the loop (one C-level cascade, ~40 ms at
    # 10,000): a phase of its own, not counted to the restart.
    probe.phase = "freeing the first service"
    del service, store
    await asyncio.sleep(0.02)
    probe.phase = "idle"

    loader = WorkerLoader(knowledge, 1_000_000)
    async with Store(db) as store:
        service = TalentService(store, knowledge, loader=loader)
        out["restart ready s"] = await timed("restart", service.start())
        preparing = getattr(service, "_preparing", None)  # older code has none
        if preparing is not None:
            # An admin's first /reload comes minutes after a restart, not at once.
            out["restart preparing s"] = await timed("restart preparing", preparing)
        await edit(10)
        out["first reload after restart s"] = await timed(
            "first reload after restart", service.reload()
        )
        await first_queries(service, "after restart reload")
        await edit(20, 100)
        out["reload 100 edited s"] = await timed("reload 100 edited", service.reload())
    loader.close()
    await probe.stop()
    memory["end"] = _now_mb()
    out["memory MB"] = memory
    out["peak RSS MB"] = _peak_mb()
    out["lag ms"] = probe.worst
    out["gc ms"] = {k: v for k, v in probe.gc_worst.items() if v >= 5}
    out["lag cpu"] = probe.cpu
    if probe.stacks:
        out["stacks"] = probe.stacks
    busy = {k: v for k, v in probe.worst.items() if k != "idle"}
    out["worst lag phase"] = max(busy, key=lambda k: busy[k]) if busy else None
    out["worst lag ms"] = max(busy.values()) if busy else 0.0
    return out


def _spawn_child(code: Path, work: Path, question: str) -> dict[str, Any]:
    env = {**os.environ, "PYTHONPATH": f"{code}{os.pathsep}{ROOT}"}
    command = [sys.executable, str(Path(__file__).resolve()), "--child", str(work), question]
    proc = subprocess.run(command, cwd=code, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"run with {code} failed:\n{proc.stderr[-3000:]}")
    result: dict[str, Any] = json.loads((work / "result.json").read_text(encoding="utf-8"))
    return result


def _question_about(knowledge: Path) -> str:
    """A question about the first company of the first file (for a corpus not generated here)."""
    first = tomllib.loads(min(knowledge.glob("*.toml")).read_text(encoding="utf-8"))
    return f"who left {first['companies'][0]['name']}?"


def main() -> int:
    """Run every size, each code tree and run in a fresh process, and write memory.json."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--old", type=Path, help="a tree of older code to measure beside ours")
    parser.add_argument("--out", type=Path, default=RESULTS / "memory.json")
    parser.add_argument(
        "--corpus",
        type=Path,
        help="a knowledge folder to measure (one size: its own) instead of generating one",
    )
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("question", nargs="?", default="")
    args = parser.parse_args()
    if args.child:
        result = asyncio.run(child(args.child, args.question))
        (args.child / "result.json").write_text(json.dumps(result), encoding="utf-8")
        return 0
    sys.path.insert(0, str(ROOT))
    from benchmarks.generate import generate
    from benchmarks.queries import build_queries

    codes = {"new": ROOT, **({"old": args.old.resolve()} if args.old else {})}
    report: dict[str, Any] = {}
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.corpus:
        sizes = [len(list(args.corpus.glob("*.toml")))]
    for size in sizes:
        with tempfile.TemporaryDirectory(prefix=f"talent-mem-{size}-") as tmp:
            if args.corpus:
                shutil.copytree(args.corpus, Path(tmp) / "pristine")
                question = args.question or _question_about(Path(tmp) / "pristine")
            else:
                made = generate(Path(tmp) / "pristine", articles=size)
                question = build_queries(made.world, 0).ask[0]
                del made
            runs: dict[str, list[dict[str, Any]]] = {name: [] for name in codes}
            for i in range(args.runs):
                for name, code in codes.items():
                    work = Path(tmp) / f"{name}-{i}"
                    shutil.copytree(Path(tmp) / "pristine", work / "knowledge")
                    result = _spawn_child(code, work, question)
                    shutil.rmtree(work)
                    runs[name].append(result)
                    print(
                        f"{size:>7} {name} run {i + 1}: start {result['cold start s']:.2f} s, "
                        f"reloads {', '.join(f'{s:.2f}' for s in result['reload s'])} s, "
                        f"restart {result['restart ready s']:.2f} s, first reload after "
                        f"restart {result['first reload after restart s']:.2f} s, 100 edited "
                        f"{result['reload 100 edited s']:.2f} s, peak {result['peak RSS MB']:.0f}"
                        f" MB, worst lag {result['worst lag ms']:.0f} ms "
                        f"({result['worst lag phase']})",
                        flush=True,
                    )
            report[str(size)] = runs
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
