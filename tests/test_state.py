"""The state store: audit log, news channels and announcements survive reopening; never dropped."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.state import AuditEntry, StateError, StateStore
from bot.state.postgres import PostgresState
from bot.state.sqlite import SCHEMA_VERSION, SqliteState
from tests.postgres import PostgresServer

Opener = Callable[[], StateStore]


@pytest.fixture(params=["sqlite", "postgres"])
def new_state(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """A new store each call, every one over the same database (a file, or one in PostgreSQL)."""
    if request.param == "sqlite":
        path = tmp_path / "state" / "state.db"
        return lambda: SqliteState(path)
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.new_database()
    return lambda: PostgresState(url)


@pytest.fixture
async def state(new_state: Opener) -> AsyncIterator[StateStore]:
    async with new_state() as store:
        yield store


async def test_audit_log_is_newest_first_and_numbered(state: StateStore) -> None:
    first = await state.record(AuditEntry(actor_id=1, actor="ana", action="add", article="a"))
    second = await state.record(
        AuditEntry(actor_id=2, actor="bo", action="remove", article="a", version_before="v1")
    )
    assert first.id is not None and second.id is not None and second.id > first.id
    assert first.at.endswith("+00:00")
    history = await state.history()
    assert [e.actor for e in history] == ["bo", "ana"]
    assert history[0] == second
    assert await state.count_history() == 2
    assert [e.actor for e in await state.history(limit=1, offset=1)] == ["ana"]


async def test_news_channels_set_replace_and_clear(state: StateStore) -> None:
    await state.set_news_channel(10, 100)
    await state.set_news_channel(11, 110)
    await state.set_news_channel(10, 101)
    assert await state.news_channels() == {10: 101, 11: 110}
    assert await state.news_channels([11, 12]) == {11: 110}
    await state.set_news_channel(11, None)
    assert await state.news_channels() == {10: 101}


async def test_announced_facts_are_per_server_and_kept_once(state: StateStore) -> None:
    await state.mark_announced(10, ["f1", "f2", "f1"])
    await state.mark_announced(10, ["f2"])
    assert await state.unannounced(10, ["f3", "f1", "f2"]) == ["f3"]
    assert await state.unannounced(11, ["f1"]) == ["f1"]


async def test_state_survives_reopening(new_state: Opener) -> None:
    async with new_state() as state:
        await state.record(AuditEntry(actor_id=None, actor="console", action="add"))
        await state.set_news_channel(1, 2)
        await state.mark_announced(1, ["f"])
    async with new_state() as state:
        assert await state.schema_version() == SCHEMA_VERSION
        assert [e.actor for e in await state.history()] == ["console"]
        assert await state.news_channels() == {1: 2}
        assert await state.unannounced(1, ["f"]) == []


async def test_a_file_that_is_not_a_state_database_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"my notes, not a database\n")
    with pytest.raises(StateError, match="cannot open the state database"):
        async with SqliteState(path):
            pass
    assert path.read_bytes() == b"my notes, not a database\n"


async def test_another_sqlite_database_is_refused_untouched(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE mine (x)")
        conn.execute("INSERT INTO mine VALUES (1)")
    before = path.read_bytes()
    with pytest.raises(StateError, match="not a talent-bot state database"):
        async with SqliteState(path):
            pass
    assert path.read_bytes() == before


async def test_a_newer_schema_is_refused_untouched(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "state.db"
    async with SqliteState(path) as state:
        await state.record(AuditEntry(actor_id=1, actor="ana", action="add"))
    with sqlite3.connect(path) as conn:
        conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StateError, match="newer than this bot's"):
        async with SqliteState(path):
            pass
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT actor FROM audit").fetchall() == [("ana",)]
