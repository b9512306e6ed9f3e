"""Crashes and damaged databases: a SIGKILL mid-reload, garbage, truncation and deletion.

The database is derived from the knowledge files, so whatever happens to it the bot must come
back serving whole knowledge: the old version or the new, and after start() the files' version.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import sqlite3
import sys
from pathlib import Path

import pytest

from bot.commands import run
from bot.knowledge.loader import directory_version, load_directory
from bot.service import TalentService
from bot.store import Store
from tests.conftest import ROOT, copy_knowledge
from tests.reliability.conftest import BigKnowledge, Tally, seed_still_answers

SEED_FACTS = 19


async def _spawn(db: Path, first: Path, second: Path | str) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "tests.reliability.crash_helper",
        str(db),
        str(first),
        str(second),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )


async def _kill_after(proc: asyncio.subprocess.Process, word: bytes, delay: float) -> bytes:
    """SIGKILL the helper `delay` seconds after it prints `word`; what it printed after that."""
    assert proc.stdout is not None
    try:
        while not (line := await asyncio.wait_for(proc.stdout.readline(), 60)).startswith(word):
            assert line, "the helper ended before printing " + word.decode()
        await asyncio.sleep(delay)
    finally:
        if proc.returncode is None:
            proc.send_signal(signal.SIGKILL)
    rest = await proc.stdout.read()
    assert await proc.wait() == -signal.SIGKILL
    return rest


def _inspect(db: Path) -> tuple[str, str | None, int, int]:
    """(integrity_check, stored version, articles, facts), read with plain sqlite3."""
    with sqlite3.connect(db) as con:
        integrity = con.execute("PRAGMA integrity_check").fetchone()[0]
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
        row = con.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        articles = con.execute("SELECT count(*) FROM articles").fetchone()[0]
        facts = con.execute("SELECT count(*) FROM facts").fetchone()[0]
    return integrity, row[0] if row else None, articles, facts


@pytest.mark.parametrize("delay", [0.0, 0.1, 0.25])
async def test_kill_during_replace_leaves_old_or_new_whole(
    tmp_path: Path, big_knowledge: BigKnowledge, delay: float, tally: Tally
) -> None:
    small = copy_knowledge(tmp_path / "a")
    a_version = load_directory(small).version
    b_version = directory_version(big_knowledge.directory)
    expected = {
        a_version: (1, SEED_FACTS),
        b_version: (big_knowledge.articles, big_knowledge.facts),
    }
    db = tmp_path / "bot.db"

    proc = await _spawn(db, small, big_knowledge.directory)
    after = await _kill_after(proc, b"replacing", delay)
    mid_replace = b"replaced" not in after
    if delay == 0.0:
        # A swap of ~10,000 facts takes far longer than the time to send a signal.
        assert mid_replace

    integrity, version, articles, facts = _inspect(db)
    whole = integrity == "ok" and version in expected and (articles, facts) == expected[version]
    tally["kills_during_reload"] += 1
    tally["kills_mid_replace"] += mid_replace
    tally["kills_left_old_version" if version == a_version else "kills_left_new_version"] += 1
    tally["data_lost"] += not whole
    assert integrity == "ok"
    assert version in expected, version
    assert (articles, facts) == expected[version]

    async with Store(str(db)) as store:
        service = TalentService(store, big_knowledge.directory)
        await service.start()
        assert service.version == b_version
        sources = await run(service, "sources")
        assert (
            sources.message
            == f"{big_knowledge.articles:,} articles, {big_knowledge.facts:,} facts."
        )
        assert await seed_still_answers(service)


# Each damage keeps the 100-byte header, whose application_id proves the bot made the file: a
# file without it is refused, not rebuilt (tests/reliability/test_database_safety.py).
def _garbage(db: Path) -> None:
    data = db.read_bytes()
    junk = b"this is not a database, whatever the name says\0" * (len(data) // 40)
    db.write_bytes(data[:100] + junk[: len(data) - 100])


def _truncated(db: Path) -> None:
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 2])


def _zeroed_schema(db: Path) -> None:
    data = bytearray(db.read_bytes())
    data[100:4096] = bytes(4096 - 100)  # the rest of page 1: the table of tables
    db.write_bytes(bytes(data))


@pytest.mark.parametrize(
    "damage", [_garbage, _truncated, _zeroed_schema], ids=lambda f: f.__name__[1:]
)
async def test_a_damaged_database_is_rebuilt_with_one_warning(
    tmp_path: Path, damage: object, caplog: pytest.LogCaptureFixture, tally: Tally
) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge", second=True)
    db = tmp_path / "bot.db"
    async with Store(str(db)) as store:
        await TalentService(store, knowledge).start()
    assert callable(damage)
    damage(db)
    caplog.set_level(logging.INFO)
    async with Store(str(db)) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is not None and report.ok
        assert service.version == directory_version(knowledge)
        assert await seed_still_answers(service)
        assert (await run(service, "who-left", "kestrel")).status == "ok"
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    message = warnings[0].getMessage()
    assert str(db) in message and "rebuilding it from the knowledge files" in message
    assert _inspect(db)[0] == "ok"
    tally["damaged_databases_rebuilt"] += 1


async def test_a_deleted_database_is_rebuilt_quietly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, tally: Tally
) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    db = tmp_path / "bot.db"
    async with Store(str(db)) as store:
        await TalentService(store, knowledge).start()
    db.unlink()
    caplog.set_level(logging.INFO)
    async with Store(str(db)) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is not None and report.ok and report.articles.added
        assert await seed_still_answers(service)
    # Nothing was wrong, so nothing is worse than INFO, and one line says what was loaded.
    records = [r for r in caplog.records if r.name.startswith("bot.")]
    assert all(r.levelno < logging.WARNING for r in records)
    loaded = [r.getMessage() for r in records if "loaded" in r.getMessage()]
    assert loaded == [loaded[0]] and report.version in loaded[0]
    tally["damaged_databases_rebuilt"] += 1


async def test_a_database_deleted_under_its_wal_comes_back_whole(
    tmp_path: Path, tally: Tally
) -> None:
    """A killed bot leaves -wal and -shm files; an admin then deletes only the .db file."""
    knowledge = copy_knowledge(tmp_path / "knowledge")
    db = tmp_path / "bot.db"
    proc = await _spawn(db, knowledge, "hold")
    await _kill_after(proc, b"loaded", 0.0)
    assert Path(f"{db}-wal").exists()
    db.unlink()
    async with Store(str(db)) as store:
        service = TalentService(store, knowledge)
        await service.start()
        assert service.version == directory_version(knowledge)
        assert (await run(service, "sources")).message == f"1 article, {SEED_FACTS} facts."
        assert await seed_still_answers(service)
    assert _inspect(db)[0] == "ok"
    tally["damaged_databases_rebuilt"] += 1
