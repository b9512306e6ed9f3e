"""The state store in a SQLite file: the default, for one machine (shards on it share the file).

Unlike the knowledge database this file is never deleted or rebuilt: a file that is not ours, or
from a newer version of the bot, is refused with the reason, and migrations only add.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import aiosqlite

from bot.state.base import AuditEntry, StateError, StateStore, now

# PRAGMA application_id of a state database ("TBST"); the knowledge database has its own mark.
APPLICATION_ID = 0x54425354
_BUSY_MS = 10_000  # another shard's process may be writing the same file
# What a statement raises: SQLite's errors, and an int past 64 bits that sqlite3 cannot bind.
_FAILURES = (sqlite3.Error, OverflowError)

# Each entry takes the schema from the version before it to its own number (its index + 1).
# Append only: a released step is never edited, so every database reaches the same schema.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        at TEXT NOT NULL,
        actor_id INTEGER,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        article TEXT,
        file TEXT,
        guild_id INTEGER,
        version_before TEXT,
        version_after TEXT,
        summary TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE news_channels (
        guild_id INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE announced (
        guild_id INTEGER NOT NULL,
        fact_id TEXT NOT NULL,
        at TEXT NOT NULL,
        PRIMARY KEY (guild_id, fact_id)
    ) WITHOUT ROWID;
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_AUDIT_COLUMNS = (
    "id, at, actor_id, actor, action, article, file, guild_id, version_before, version_after,"
    " summary"
)


class SqliteState(StateStore):
    """The state store in the SQLite file at ``path`` (its folder is created if missing)."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = str(path)
        self._conn: aiosqlite.Connection | None = None

    async def open(self) -> None:
        """Open the file, refuse one that is not a state database, and migrate it forward."""
        if self.path != ":memory:":
            try:
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StateError(
                    f"cannot create the folder of {self.path}: {exc.strerror}"
                ) from None
        try:
            self._conn = await aiosqlite.connect(self.path, timeout=_BUSY_MS / 1000)
            await self._conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
            await self._migrate(self._conn)
        except sqlite3.Error as exc:
            await self.close()
            raise StateError(f"cannot open the state database {self.path}: {exc}") from None
        except StateError:
            await self.close()
            raise

    async def _migrate(self, conn: aiosqlite.Connection) -> None:
        mark = await _pragma(conn, "application_id")
        version = await _pragma(conn, "user_version")
        tables = await _one(conn, "SELECT count(*) FROM sqlite_master")
        if mark != APPLICATION_ID and (mark != 0 or tables):
            raise StateError(
                f"{self.path} is not a talent-bot state database; "
                "point STATE_DATABASE_PATH at a new file"
            )
        if version > SCHEMA_VERSION:
            raise StateError(
                f"{self.path} is at state schema {version}, newer than this bot's "
                f"{SCHEMA_VERSION}; upgrade the bot (nothing was changed)"
            )
        if version == SCHEMA_VERSION:
            return
        if self.path != ":memory:":
            await conn.execute("PRAGMA journal_mode = WAL")
        # One transaction per step, the version moving with it: a crash leaves a whole step.
        for number in range(version + 1, SCHEMA_VERSION + 1):
            await conn.execute("BEGIN IMMEDIATE")
            try:
                # The step runs again if another process migrated meanwhile: re-read under lock.
                if await _pragma(conn, "user_version") >= number:
                    await conn.rollback()
                    continue
                for statement in _statements(MIGRATIONS[number - 1]):
                    await conn.execute(statement)
                await conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                await conn.execute(f"PRAGMA user_version = {number}")
                await conn.commit()
            except BaseException:
                await conn.rollback()
                raise

    async def close(self) -> None:
        """Close the connection; safe to call twice."""
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await conn.close()

    @property
    def _db(self) -> aiosqlite.Connection:
        if self._conn is None:
            raise StateError("the state database is not open")
        return self._conn

    async def _write(self, sql: str, params: Sequence[Any] = ()) -> int | None:
        try:
            cursor = await self._db.execute(sql, params)
            await self._db.commit()
        except _FAILURES as exc:
            await self._db.rollback()
            raise StateError(f"cannot write the state database {self.path}: {exc}") from None
        return cursor.lastrowid

    async def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[sqlite3.Row]:
        try:
            cursor = await self._db.execute(sql, params)
            return list(await cursor.fetchall())
        except _FAILURES as exc:
            raise StateError(f"cannot read the state database {self.path}: {exc}") from None

    async def schema_version(self) -> int:
        """The schema version the file is at."""
        return await _pragma(self._db, "user_version")

    async def record(self, entry: AuditEntry) -> AuditEntry:
        """Append ``entry`` to the audit log; the entry as stored (with its id and time)."""
        at = entry.at or now()
        row_id = await self._write(
            f"INSERT INTO audit ({_AUDIT_COLUMNS}) VALUES (NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608 (constant columns)
            (at, *entry.values()),
        )
        return replace(entry, id=row_id, at=at)

    async def history(self, limit: int = 10, offset: int = 0) -> list[AuditEntry]:
        """The newest audit entries first."""
        rows = await self._rows(
            f"SELECT {_AUDIT_COLUMNS} FROM audit ORDER BY id DESC LIMIT ? OFFSET ?",  # noqa: S608
            (limit, offset),
        )
        return [_entry(row) for row in rows]

    async def count_history(self) -> int:
        """How many entries the audit log holds."""
        rows = await self._rows("SELECT count(*) FROM audit")
        return int(rows[0][0])

    async def set_news_channel(self, guild_id: int, channel_id: int | None) -> None:
        """Set (or with None, clear) the channel a server's news is announced in."""
        if channel_id is None:
            await self._write("DELETE FROM news_channels WHERE guild_id = ?", (guild_id,))
            return
        await self._write(
            "INSERT INTO news_channels (guild_id, channel_id, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
            " updated_at = excluded.updated_at",
            (guild_id, channel_id, now()),
        )

    async def news_channels(self, guild_ids: Iterable[int] | None = None) -> dict[int, int]:
        """Server id -> news channel id, for ``guild_ids`` or every server that set one."""
        rows = await self._rows("SELECT guild_id, channel_id FROM news_channels")
        wanted = None if guild_ids is None else set(guild_ids)
        return {g: c for g, c in rows if wanted is None or g in wanted}

    async def unannounced(self, guild_id: int, fact_ids: Iterable[str]) -> list[str]:
        """Those of ``fact_ids`` (in their order) not yet announced in that server."""
        ids = list(dict.fromkeys(fact_ids))
        rows = await self._rows("SELECT fact_id FROM announced WHERE guild_id = ?", (guild_id,))
        done = {row[0] for row in rows}
        return [i for i in ids if i not in done]

    async def mark_announced(self, guild_id: int, fact_ids: Iterable[str]) -> None:
        """Remember that these facts were announced in that server (again is harmless)."""
        at = now()
        rows = [(guild_id, fact_id, at) for fact_id in dict.fromkeys(fact_ids)]
        try:
            await self._db.executemany(
                "INSERT OR IGNORE INTO announced (guild_id, fact_id, at) VALUES (?, ?, ?)", rows
            )
            await self._db.commit()
        except _FAILURES as exc:
            await self._db.rollback()
            raise StateError(f"cannot write the state database {self.path}: {exc}") from None


def _entry(row: Sequence[Any]) -> AuditEntry:
    (row_id, at, actor_id, actor, action, article, file, guild_id, before, after, summary) = row
    return AuditEntry(
        id=row_id,
        at=at,
        actor_id=actor_id,
        actor=actor,
        action=action,
        article=article,
        file=file,
        guild_id=guild_id,
        version_before=before,
        version_after=after,
        summary=summary,
    )


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


async def _pragma(conn: aiosqlite.Connection, name: str) -> int:
    return await _one(conn, f"PRAGMA {name}")


async def _one(conn: aiosqlite.Connection, sql: str) -> int:
    cursor = await conn.execute(sql)
    row = await cursor.fetchone()
    return int(row[0]) if row else 0
