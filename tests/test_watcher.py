"""The knowledge watcher: real files in a real folder, a real service over a real SQLite file."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.commands import run
from bot.knowledge.loader import DEFAULT_MAX_FILE_BYTES, directory_version
from bot.reloader import WorkerLoader
from bot.service import ReloadReport, TalentService
from bot.settings import Settings
from bot.store import Store
from bot.watcher import KnowledgeWatcher, knowledge_filter, watching
from tests.conftest import SECOND_ARTICLE, copy_knowledge, started_service
from tests.e2e.conftest import write_moves_article

QUIET = 0.2


class Watched:
    """A started service on a copy of knowledge/, its watcher, and every report it was told."""

    def __init__(self, service: TalentService, watcher: KnowledgeWatcher, folder: Path) -> None:
        self.service = service
        self.watcher = watcher
        self.folder = folder
        self.reports: list[ReloadReport] = []
        self.problems: list[ReloadReport] = []


@contextlib.asynccontextmanager
async def watched(
    tmp_path: Path, *, quiet: float = QUIET, longest: float = 2.0
) -> AsyncIterator[Watched]:
    folder = copy_knowledge(tmp_path / "knowledge")
    async with started_service(tmp_path / "bot.db", folder) as service:
        problems: list[ReloadReport] = []

        async def told(report: ReloadReport) -> None:
            problems.append(report)

        watcher = KnowledgeWatcher(service, quiet=quiet, longest=longest, on_problem=told)
        w = Watched(service, watcher, folder)
        w.problems = problems

        async def heard(report: ReloadReport) -> None:
            w.reports.append(report)

        service.after_reload.append(heard)
        watcher.start()
        await asyncio.sleep(0.2)  # the notifier is set up in a thread
        try:
            yield w
        finally:
            await watcher.stop()


async def until(condition: Callable[[], object], timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition never held")
        await asyncio.sleep(0.05)


async def answer_text(service: TalentService, command: str, **options: str) -> str:
    answer = await run(service, command, **options)
    return " ".join([answer.title, *(i.text for i in answer.items())])


async def test_a_file_dropped_in_is_answered_without_reload(tmp_path: Path) -> None:
    async with watched(tmp_path) as w:
        before = w.service.version
        assert "Dana Whitfield" not in await answer_text(w.service, "who-joined")
        shutil.copy(SECOND_ARTICLE, w.folder / "2026-03-02-kestrel-cto.toml")
        await until(lambda: w.service.version != before)
        assert "Dana Whitfield" in await answer_text(w.service, "who-joined")
        assert w.service.version == directory_version(w.folder)
        assert [r.ok for r in w.reports] == [True]
        assert w.watcher.reloads == 1


async def test_a_burst_of_edits_is_one_reload_once_they_settle(tmp_path: Path) -> None:
    async with watched(tmp_path, quiet=0.5) as w:
        target = w.folder / "2026-03-02-kestrel-cto.toml"
        text = SECOND_ARTICLE.read_text(encoding="utf-8")
        started = time.monotonic()
        # An editor saving three times in a row, then the last save: one reload, after them.
        for n in range(4):
            target.write_text(text + f"\n# save {n}\n", encoding="utf-8")
            await asyncio.sleep(0.05)
        await until(lambda: w.reports)
        assert time.monotonic() - started >= 0.5
        await asyncio.sleep(1.0)
        assert len(w.reports) == 1 and w.reports[0].ok
        assert w.service.version == directory_version(w.folder)


async def test_a_long_burst_reloads_at_the_latest_after_the_longest_wait(tmp_path: Path) -> None:
    async with watched(tmp_path, quiet=0.5, longest=1.0) as w:
        target = w.folder / "2026-03-02-kestrel-cto.toml"
        text = SECOND_ARTICLE.read_text(encoding="utf-8")
        started = time.monotonic()
        # Never 0.5 s quiet for 3 s: the reload comes after about 1 s anyway.
        while not w.reports and time.monotonic() - started < 3.0:
            target.write_text(text + f"\n# {time.monotonic()}\n", encoding="utf-8")
            await asyncio.sleep(0.1)
        assert w.reports, "no reload while the files kept changing"
        assert time.monotonic() - started < 2.5


async def test_a_change_during_a_reload_is_reloaded_after_it(tmp_path: Path) -> None:
    async with watched(tmp_path) as w:
        slow = asyncio.Event()

        async def hold(report: ReloadReport) -> None:
            if len(w.reports) == 1:
                await slow.wait()

        w.service.after_reload.append(hold)
        shutil.copy(SECOND_ARTICLE, w.folder / "2026-03-02-kestrel-cto.toml")
        await until(lambda: w.reports)
        # The watcher is still in its first reload (held here) when the next file lands.
        write_moves_article(w.folder, count=1)
        await asyncio.sleep(QUIET * 3)
        slow.set()
        await until(lambda: len(w.reports) == 2)
        assert w.reports[1].ok and w.service.version == directory_version(w.folder)


async def test_dot_files_other_files_and_subfolders_are_ignored(tmp_path: Path) -> None:
    async with watched(tmp_path) as w:
        (w.folder / ".2026-03-02-kestrel-cto.toml.swp").write_bytes(b"editor temp")
        (w.folder / ".draft.toml").write_text("broken = [", encoding="utf-8")
        (w.folder / "notes.txt").write_text("not knowledge", encoding="utf-8")
        (w.folder / ".history").mkdir()
        shutil.copy(SECOND_ARTICLE, w.folder / ".history" / "old.toml")
        await asyncio.sleep(1.0)
        assert w.reports == [] and w.watcher.reloads == 0


def test_the_filter_takes_only_top_level_knowledge_files(tmp_path: Path) -> None:
    wanted = knowledge_filter(tmp_path)
    change = next(iter(__import__("watchfiles").Change))
    assert wanted(change, str(tmp_path / "a.toml"))
    assert not wanted(change, str(tmp_path / ".a.toml"))
    assert not wanted(change, str(tmp_path / "a.toml~"))
    assert not wanted(change, str(tmp_path / ".history" / "a.toml"))
    assert not wanted(change, str(tmp_path / "sub" / "a.toml"))


async def test_files_rewritten_with_the_same_bytes_are_not_reloaded(tmp_path: Path) -> None:
    async with watched(tmp_path) as w:
        for path in sorted(w.folder.glob("*.toml")):
            path.write_bytes(path.read_bytes())
        assert await w.watcher.settled() is None  # and the watcher's own pass found the same
        await asyncio.sleep(1.0)
        assert w.reports == [] and w.watcher.reloads == 0


async def test_a_broken_change_is_told_once_and_the_old_knowledge_served(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.watcher")
    async with watched(tmp_path) as w:
        served = w.service.version
        broken = w.folder / "2026-05-01-broken.toml"
        broken.write_text("[article]\nid = 'broken'\n", encoding="utf-8")
        await until(lambda: w.reports)
        assert not w.reports[0].ok and w.service.version == served
        assert len(w.problems) == 1
        assert "still serving" in w.problems[0].stale_note().lower() or w.problems[0].errors
        # The same errors again (a second save, another valid file added): not told again.
        broken.write_text("[article]\nid = 'broken'\n\n", encoding="utf-8")
        await until(lambda: len(w.reports) == 2)
        shutil.copy(SECOND_ARTICLE, w.folder / "2026-03-02-kestrel-cto.toml")
        await until(lambda: len(w.reports) == 3)
        assert len(w.problems) == 1
        told = [r for r in caplog.records if "changed and have" in r.getMessage()]
        assert len(told) == 1 and f"version {served}" in told[0].getMessage()
        assert "Dana Whitfield" not in await answer_text(w.service, "who-joined")
        # Fixed: served; broken again: told again.
        broken.unlink()
        await until(lambda: w.reports[-1].ok)
        assert "Dana Whitfield" in await answer_text(w.service, "who-joined")
        broken.write_text("[article]\nid = 'broken'\n", encoding="utf-8")
        await until(lambda: len(w.problems) == 2)


async def test_stopping_is_prompt(tmp_path: Path) -> None:
    async with watched(tmp_path, quiet=1.0) as w:
        started = time.monotonic()
        await w.watcher.stop()
        assert time.monotonic() - started < 2.0
        await w.watcher.stop()  # twice is harmless


async def test_a_missing_folder_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = copy_knowledge(tmp_path / "knowledge")
    async with started_service(tmp_path / "bot.db", folder) as service:
        service.knowledge_dir = tmp_path / "gone"
        watcher = KnowledgeWatcher(service, quiet=QUIET)
        await watcher.run()
        await watcher.stop()
    assert any("cannot watch" in r.getMessage() for r in caplog.records)


async def test_watch_knowledge_false_watches_nothing(tmp_path: Path) -> None:
    folder = copy_knowledge(tmp_path / "knowledge")
    settings = Settings(_env_file=None, knowledge_dir=folder, watch_knowledge=False)
    async with started_service(tmp_path / "bot.db", folder) as service:
        async with watching(settings, service) as watcher:
            assert watcher is None
            shutil.copy(SECOND_ARTICLE, folder / "2026-03-02-kestrel-cto.toml")
            await asyncio.sleep(1.0)
            assert "Dana Whitfield" not in await answer_text(service, "who-joined")
        on = Settings(_env_file=None, knowledge_dir=folder, watch_quiet_seconds=QUIET)
        async with watching(on, service) as watcher:
            assert watcher is not None


async def test_ten_thousand_changed_files_do_not_stall_the_loop(tmp_path: Path) -> None:
    """10,000 files changed at once (a big `git pull` gone wrong): the loop keeps answering."""
    folder = copy_knowledge(tmp_path / "knowledge")
    loader = WorkerLoader(
        folder, DEFAULT_MAX_FILE_BYTES
    )  # as `talent-bot run` loads: in a worker process
    try:
        async with Store(str(tmp_path / "bot.db")) as store:
            service = TalentService(store, folder, loader=loader)
            await service.start()
            problems: list[ReloadReport] = []

            async def told(report: ReloadReport) -> None:
                problems.append(report)

            watcher = KnowledgeWatcher(service, quiet=0.5, longest=5.0, on_problem=told)
            watcher.start()
            await asyncio.sleep(0.2)
            lags: list[float] = []
            probing = True

            async def probe() -> None:
                while probing:
                    before = time.perf_counter()
                    await asyncio.sleep(0.01)
                    lags.append(time.perf_counter() - before - 0.01)

            prober = asyncio.create_task(probe())

            def pull() -> None:
                for n in range(10_000):
                    (folder / f"generated-{n:05d}.toml").write_text(f"n = {n}\n", encoding="utf-8")

            # Another process's writes: not this loop's work (a thread stands in for it).
            await asyncio.to_thread(pull)
            await until(lambda: problems, timeout=120)
            probing = False
            await prober
            await watcher.stop()
            await service.stop()
    finally:
        loader.close()
    assert len(problems[0].errors) >= 10_000
    worst = max(lags)
    print(f"10,000 files: worst loop lag {worst * 1000:.0f} ms over {len(lags)} probes")
    assert worst < 0.25, f"the event loop stalled {worst * 1000:.0f} ms"
