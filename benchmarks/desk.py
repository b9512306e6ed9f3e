"""The knowledge desk at scale: /knowledge add, a refused add, replace and remove, timed.

    python -m benchmarks.desk --articles 10000   # from the repository root

Serves generated knowledge as `talent-bot run` does (a real SQLite file, a WorkerLoader), then
runs each desk command once through the command table, with a loop-lag probe on the serving
event loop. The upload is a made-up article whose names the generator never draws.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from benchmarks.generate import generate
from bot.commands import Upload, run
from bot.models import Answer
from bot.reloader import WorkerLoader
from bot.service import TalentService
from bot.state.sqlite import SqliteState
from bot.store import Store

UPLOAD = b"""
[article]
id = "zorblax-cto-joins-quorvane"
title = "Zorblax Robotics CTO Joins Quorvane Labs"
publisher = "Example Wire"
published = 2026-03-02

[[people]]
id = "dara-whitcombe"
name = "Dara Whitcombe"

[[companies]]
id = "zorblax-robotics"
name = "Zorblax Robotics"

[[companies]]
id = "quorvane-labs"
name = "Quorvane Labs"

[[moves]]
id = "whitcombe-to-quorvane"
person = "dara-whitcombe"
from = "zorblax-robotics"
to = "quorvane-labs"
reported_on = 2026-03-02
quote = "Dara Whitcombe left Zorblax Robotics for Quorvane Labs."
"""
BROKEN = UPLOAD.replace(b'person = "dara-whitcombe"', b'person = "dara-whitcomb"').replace(
    b'id = "zorblax-cto-joins-quorvane"', b'id = "another-article"'
)


async def _timed(name: str, lags: list[float], action: Callable[[], Awaitable[Answer]]) -> None:
    lags.clear()
    started = time.perf_counter()
    answer = await action()
    seconds = time.perf_counter() - started
    print(f"| {name} | {seconds:.2f} s | {max(lags, default=0) * 1000:.0f} ms | {answer.title} |")


async def _bench(folder: Path, work: Path) -> None:
    loader = WorkerLoader(folder, 1 << 20)
    try:
        async with Store(str(work / "k.db")) as store, SqliteState(work / "state.db") as state:
            service = TalentService(store, folder, 1 << 20, loader, state)
            await service.start()
            lags: list[float] = []

            async def probe() -> None:
                while True:
                    before = time.perf_counter()
                    await asyncio.sleep(0.005)
                    lags.append(time.perf_counter() - before - 0.005)

            task = asyncio.create_task(probe())
            print("| step | time | worst loop lag | reply |\n|---|---:|---:|---|")
            await _timed("unchanged /reload", lags, lambda: _reload(service))

            def upload(data: bytes) -> Callable[[], Awaitable[Answer]]:
                return lambda: run(service, "knowledge add", file=Upload("new.toml", data))

            await _timed("add", lags, upload(UPLOAD))
            await _timed("refused add (2 errors)", lags, upload(BROKEN))
            await _timed(
                "replace",
                lags,
                lambda: run(service, "knowledge replace", file=Upload("v2.toml", UPLOAD + b"\n")),
            )
            await _timed(
                "remove",
                lags,
                lambda: run(service, "knowledge remove", article="zorblax-cto-joins-quorvane"),
            )
            started = time.perf_counter()
            for text in ("", "z", "zor", "quorvane", "robotics", "nothing-like-it") * 50:
                service.complete_articles(text)
            print(f"\narticle autocomplete: {(time.perf_counter() - started) / 300 * 1000:.2f} ms")
            task.cancel()
            await service.stop()
    finally:
        loader.close()


async def _reload(service: TalentService) -> Answer:
    return (await service.reload()).to_answer()


def main() -> None:
    """Generate the knowledge in a temporary folder and time the desk on it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--articles", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        generate(work / "knowledge", args.articles)
        print(
            f"{args.articles:,} articles, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n"
        )
        asyncio.run(_bench(work / "knowledge", work))


if __name__ == "__main__":
    main()
