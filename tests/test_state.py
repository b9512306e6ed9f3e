"""The state store: audit log, news channels and announcements survive reopening; never dropped."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import pytest

from bot.state import AuditEntry, StateError, StateStore
from bot.state.postgres import PostgresState
from bot.state.sqlite import SCHEMA_VERSION, SqliteState
from tests.postgres import PostgresServer, free_port

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


async def test_both_backends_are_at_the_same_schema_version(state: StateStore) -> None:
    from bot.state import postgres, sqlite

    assert postgres.SCHEMA_VERSION == sqlite.SCHEMA_VERSION == len(postgres.MIGRATIONS)
    assert await state.schema_version() == SCHEMA_VERSION


async def test_discord_sized_ids_and_every_field_round_trip(state: StateStore) -> None:
    big = 2**63 - 1  # Discord ids are 64-bit snowflakes
    entry = await state.record(
        AuditEntry(
            actor_id=big,
            actor="ana ✓",
            action="replace",
            article="a-1",
            file="2026-01-01-a.toml",
            guild_id=big - 1,
            version_before="v1",
            version_after="v2",
            summary="title: old → new",
        )
    )
    assert await state.history() == [entry]
    await state.set_news_channel(big, big - 2)
    assert await state.news_channels([big]) == {big: big - 2}
    await state.mark_announced(big, ["f"])
    assert await state.unannounced(big, ["f", "g"]) == ["g"]


async def test_an_id_out_of_range_is_a_state_error(state: StateStore) -> None:
    with pytest.raises(StateError, match="cannot write the state database"):
        await state.record(AuditEntry(actor_id=2**64, actor="x", action="add"))
    assert await state.count_history() == 0


async def test_empty_lists_are_harmless(state: StateStore) -> None:
    await state.mark_announced(1, [])
    assert await state.unannounced(1, []) == []
    assert await state.news_channels([]) == {}


async def test_concurrent_records_each_get_their_own_number(state: StateStore) -> None:
    entries = await asyncio.gather(
        *(state.record(AuditEntry(actor_id=i, actor=f"u{i}", action="add")) for i in range(20))
    )
    assert len({e.id for e in entries}) == 20
    assert await state.count_history() == 20
    assert sorted(e.actor_id or 0 for e in await state.history(limit=50)) == list(range(20))


async def test_a_closed_store_says_so_and_closes_twice(new_state: Opener) -> None:
    store = new_state()
    async with store:
        pass
    await store.close()
    with pytest.raises(StateError, match="not open"):
        await store.history()


# PostgreSQL only: the same refusals as the SQLite file's, and what sharing a server brings.


@pytest.fixture
def pg_url(postgres: PostgresServer) -> str:
    return postgres.new_database()


async def _fetch(url: str, sql: str) -> list[tuple[object, ...]]:
    """The rows of ``sql`` (or with several statements, none), on a connection of its own."""
    import asyncpg

    conn = await asyncpg.connect(url, timeout=5)
    try:
        if ";" in sql:
            await conn.execute(sql)
            return []
        return [tuple(row) for row in await conn.fetch(sql)]
    finally:
        await conn.close()


async def test_postgres_newer_schema_is_refused_untouched(pg_url: str) -> None:
    from bot.state.postgres import META_TABLE

    async with PostgresState(pg_url) as state:
        await state.record(AuditEntry(actor_id=1, actor="ana", action="add"))
    await _fetch(pg_url, f"INSERT INTO {META_TABLE} (version) VALUES ({SCHEMA_VERSION + 1})")
    before = await _fetch(pg_url, f"SELECT version FROM {META_TABLE} ORDER BY version")
    with pytest.raises(StateError, match="newer than this bot's") as caught:
        async with PostgresState(pg_url):
            pass
    assert "nothing was changed" in str(caught.value)
    assert await _fetch(pg_url, f"SELECT version FROM {META_TABLE} ORDER BY version") == before
    assert await _fetch(pg_url, "SELECT actor FROM audit") == [("ana",)]


async def test_postgres_tables_not_ours_are_refused_untouched(pg_url: str) -> None:
    await _fetch(pg_url, "CREATE TABLE audit (x int); INSERT INTO audit VALUES (7)")
    with pytest.raises(StateError, match="talent-bot did not make"):
        async with PostgresState(pg_url):
            pass
    assert await _fetch(pg_url, "SELECT x FROM audit") == [(7,)]
    assert await _fetch(pg_url, "SELECT to_regclass('news_channels')") == [(None,)]


async def test_postgres_processes_starting_together_migrate_once(pg_url: str) -> None:
    import asyncpg

    from bot.state.postgres import META_TABLE, MIGRATION_LOCK

    # Hold the migration lock so both opens queue behind it, then let them race.
    holder = await asyncpg.connect(pg_url, timeout=5)
    try:
        await holder.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
        first, second = PostgresState(pg_url), PostgresState(pg_url)
        opening = asyncio.gather(first.open(), second.open())
        waiting = "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        for _ in range(100):
            if await holder.fetchval(waiting) == 2:
                break
            await asyncio.sleep(0.05)
        assert await holder.fetchval(waiting) == 2
        await holder.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)
        await asyncio.wait_for(opening, 10)
    finally:
        await holder.close()
    try:
        assert await first.schema_version() == await second.schema_version() == SCHEMA_VERSION
        await first.record(AuditEntry(actor_id=1, actor="ana", action="add"))
        assert [e.actor for e in await second.history()] == ["ana"]
    finally:
        await first.close()
        await second.close()
    rows = await _fetch(pg_url, f"SELECT version FROM {META_TABLE} ORDER BY version")
    assert rows == [(n,) for n in range(1, SCHEMA_VERSION + 1)]


async def test_two_postgres_stores_see_each_others_writes(pg_url: str) -> None:
    async with PostgresState(pg_url) as one, PostgresState(pg_url) as two:
        await one.record(AuditEntry(actor_id=1, actor="ana", action="add", guild_id=10))
        await two.record(AuditEntry(actor_id=2, actor="bo", action="remove", guild_id=11))
        await one.set_news_channel(10, 100)
        await two.set_news_channel(11, 110)
        await one.mark_announced(10, ["f1"])
        for store in (one, two):
            assert [e.actor for e in await store.history()] == ["bo", "ana"]
            assert await store.news_channels() == {10: 100, 11: 110}
            assert await store.unannounced(10, ["f1", "f2"]) == ["f2"]


async def test_postgres_password_is_never_in_a_message(
    postgres: PostgresServer, caplog: pytest.LogCaptureFixture
) -> None:
    import logging

    from tests.postgres import PASSWORD, PASSWORD_USER

    caplog.set_level(logging.DEBUG)

    url = postgres.url(postgres.new_database().rsplit("/", 1)[1], PASSWORD_USER, PASSWORD)
    wrong = url.replace("w0rd", "w1rd")
    dead = f"postgresql://{PASSWORD_USER}:{PASSWORD.replace('/', '')}@127.0.0.1:{free_port()}/x"
    bad = f"postgresql://{PASSWORD_USER}:{PASSWORD.replace('/', '')}@127.0.0.1:port/x"
    secrets = [PASSWORD, PASSWORD.replace("/", ""), "w1rd", "P@ss", "P%40ss"]
    messages = []
    raw = f"postgresql://{PASSWORD_USER}:{PASSWORD}@127.0.0.1:{postgres.port}/x"  # unquoted
    for target, expected in (
        (raw, "percent-encode"),
        (wrong, "password authentication failed"),
        (dead, "cannot connect"),
        (bad, "cannot connect"),
        (url.replace("state_", "missing_"), "does not exist"),
    ):
        with pytest.raises(StateError, match=expected) as caught:
            async with PostgresState(target):
                pass
        messages.append(str(caught.value))
    # The right password opens it; a refusal after connecting names the server, not the secret.
    async with PostgresState(url) as state:
        assert await state.count_history() == 0
        messages.append(repr(state))
    await _fetch(url, "INSERT INTO talent_bot_state_meta (version) VALUES (99)")
    with pytest.raises(StateError, match="newer than") as caught:
        async with PostgresState(url):
            pass
    messages.append(str(caught.value))
    for message in messages:
        assert f"{PASSWORD_USER}@127.0.0.1" in message, message
        assert not any(secret in message for secret in secrets), message
    assert not any(secret in caplog.text for secret in secrets)


async def test_postgres_unreachable_server_is_a_state_error_within_seconds() -> None:
    refused = f"postgresql://u@127.0.0.1:{free_port()}/x"
    with socket.socket() as silent:  # accepts connections, never answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        mute = f"postgresql://u@127.0.0.1:{silent.getsockname()[1]}/x"
        for url, timeout, within in ((refused, 5.0, 2.0), (mute, 0.5, 3.0)):
            started = time.monotonic()
            with pytest.raises(StateError, match="cannot connect to the state database"):
                async with PostgresState(url, connect_timeout=timeout):
                    pass
            assert time.monotonic() - started < within, url


async def test_postgres_default_timeouts_are_seconds_not_minutes() -> None:
    state = PostgresState("postgresql://u@127.0.0.1/x")
    assert state.connect_timeout <= 10 and state.command_timeout <= 30


async def test_postgres_dropped_connections_are_replaced(
    pg_url: str, postgres: PostgresServer
) -> None:
    def drop_all() -> None:  # as a server restart or failover does
        postgres.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE application_name = 'talent-bot'"
        )

    async with PostgresState(pg_url) as state:
        await asyncio.gather(*(state.news_channels() for _ in range(4)))  # several in the pool
        drop_all()
        # Reads and writes that may run twice retry on a fresh connection: no error at all.
        assert await state.count_history() == 0
        drop_all()
        await state.set_news_channel(1, 2)
        drop_all()
        await state.mark_announced(1, ["f"])
        assert await state.unannounced(1, ["f"]) == []
        # Appending to the log is not retried (it may have happened): at most one error.
        drop_all()
        try:
            await state.record(AuditEntry(actor_id=1, actor="ana", action="add"))
        except StateError as exc:
            assert "cannot write the state database" in str(exc)
            await state.record(AuditEntry(actor_id=1, actor="ana", action="add"))
        assert await state.count_history() == 1
        assert await state.news_channels() == {1: 2}


async def test_open_state_uses_postgres_when_a_url_is_set(pg_url: str, tmp_path: Path) -> None:
    from bot.settings import Settings
    from bot.state import open_state

    settings = Settings(
        state_database_url=pg_url, state_database_path=str(tmp_path / "unused.db"), _env_file=None
    )
    async with open_state(settings) as state:
        assert isinstance(state, PostgresState)
        await state.set_news_channel(1, 2)
    assert await _fetch(pg_url, "SELECT guild_id, channel_id FROM news_channels") == [(1, 2)]
    assert not (tmp_path / "unused.db").exists()


@pytest.mark.parametrize("ci", ["", "true"])
def test_without_postgresql_the_tests_skip_loudly_but_fail_under_ci(
    ci: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tests.postgres

    monkeypatch.setattr(tests.postgres, "bin_dir", lambda: None)
    monkeypatch.setenv("CI", ci)
    outcome = pytest.fail.Exception if ci else pytest.skip.Exception
    with pytest.raises(outcome, match="PostgreSQL is not installed"):  # noqa: SIM117
        with tests.postgres.postgres_server():
            pass


async def test_postgres_statement_stuck_behind_a_lock_is_a_state_error_in_time(
    pg_url: str,
) -> None:
    import asyncpg

    async with PostgresState(pg_url, command_timeout=0.3) as state:
        holder = await asyncpg.connect(pg_url, timeout=5)
        try:
            async with holder.transaction():
                await holder.execute("LOCK TABLE audit IN ACCESS EXCLUSIVE MODE")
                started = time.monotonic()
                with pytest.raises(StateError, match="no answer in time"):
                    await state.count_history()
                assert time.monotonic() - started < 2
        finally:
            await holder.close()
        assert await state.count_history() == 0  # the pool recovered once the lock went


async def test_postgres_url_that_is_not_one_is_refused_without_echoing_it(
    postgres: PostgresServer,
) -> None:
    for url in ("host=127.0.0.1 password=hunter22", "mysql://u:hunter22@127.0.0.1/x", ""):
        with pytest.raises(StateError, match="not a PostgreSQL URL") as caught:
            async with PostgresState(url):
                pass
        assert "hunter22" not in str(caught.value) and "hunter22" not in repr(PostgresState(url))
    # SQLAlchemy's spelling of the same URL is understood.
    url = postgres.new_database().replace("postgresql://", "postgresql+asyncpg://")
    async with PostgresState(url) as state:
        assert await state.schema_version() == SCHEMA_VERSION


async def test_postgres_role_that_may_not_create_tables_is_told_and_nothing_made(
    postgres: PostgresServer,
) -> None:
    from tests.postgres import PASSWORD, PASSWORD_USER

    postgres.execute('CREATE DATABASE "not_theirs"')  # owned by the superuser, not the role
    url = postgres.url("not_theirs", PASSWORD_USER, PASSWORD)
    with pytest.raises(StateError, match="permission denied for schema public"):
        async with PostgresState(url):
            pass
    tables = await _fetch(
        postgres.url("not_theirs"),
        "SELECT relname FROM pg_class WHERE relname IN ('audit', 'talent_bot_state_meta')",
    )
    assert tables == []


_OPEN_AND_RECORD = """
import asyncio, sys
from bot.state import AuditEntry
from bot.state.postgres import PostgresState

async def main() -> None:
    async with PostgresState(sys.argv[1]) as state:
        await state.record(AuditEntry(actor_id=None, actor=sys.argv[2], action="add"))

asyncio.run(main())
"""


async def test_postgres_separate_processes_share_one_migrated_database(pg_url: str) -> None:
    import subprocess
    import sys

    from bot.state.postgres import META_TABLE
    from tests.conftest import ROOT

    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _OPEN_AND_RECORD, pg_url, f"p{i}"],
            cwd=ROOT,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(3)
    ]
    for run in runs:
        _, err = run.communicate(timeout=60)
        assert run.returncode == 0, err
    async with PostgresState(pg_url) as state:
        assert sorted(e.actor for e in await state.history()) == ["p0", "p1", "p2"]
    rows = await _fetch(pg_url, f"SELECT version FROM {META_TABLE} ORDER BY version")
    assert rows == [(n,) for n in range(1, SCHEMA_VERSION + 1)]


async def test_postgres_server_down_is_a_quick_state_error_and_back_up_works(
    pg_url: str, postgres: PostgresServer
) -> None:
    async with PostgresState(pg_url, connect_timeout=1.0) as state:
        await state.set_news_channel(1, 2)
        postgres.stop()
        try:
            started = time.monotonic()
            with pytest.raises(StateError, match="cannot read the state database"):
                await state.news_channels()
            with pytest.raises(StateError, match="cannot write the state database"):
                await state.record(AuditEntry(actor_id=1, actor="ana", action="add"))
            assert time.monotonic() - started < 3
        finally:
            postgres.start()
        # The same store, without reopening, once the server is back.
        assert await state.news_channels() == {1: 2}
        await state.record(AuditEntry(actor_id=1, actor="ana", action="add"))
        assert await state.count_history() == 1
