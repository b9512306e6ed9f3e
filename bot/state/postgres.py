"""The state store in PostgreSQL: one database shared by every process on every machine.

Same tables and meaning as the SQLite file (Discord ids as BIGINT), the schema version in a
table of its own, and the same rule: migrations only add, a newer schema is refused untouched.
Messages name the server and database but never the password.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import quote, unquote, urlsplit

import asyncpg

from bot.state.base import AuditEntry, StateError, StateStore, now

_T = TypeVar("_T")

if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    _Conn = PoolConnectionProxy[asyncpg.Record]

META_TABLE = "talent_bot_state_meta"  # one row per migration step applied
# The key of the advisory lock migrations take ("TBST", as the SQLite file's application_id).
MIGRATION_LOCK = 0x54425354
OUR_TABLES = ("audit", "news_channels", "announced")

# Each entry takes the schema from the version before it to its own number (its index + 1), and
# means what the SQLite step of that number means. Append only: a released step is never edited.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE audit (
        id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at TIMESTAMPTZ NOT NULL,
        actor_id BIGINT,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        article TEXT,
        file TEXT,
        guild_id BIGINT,
        version_before TEXT,
        version_after TEXT,
        summary TEXT NOT NULL DEFAULT ''
    );
    CREATE TABLE news_channels (
        guild_id BIGINT PRIMARY KEY,
        channel_id BIGINT NOT NULL,
        updated_at TIMESTAMPTZ NOT NULL
    );
    CREATE TABLE announced (
        guild_id BIGINT NOT NULL,
        fact_id TEXT NOT NULL,
        at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (guild_id, fact_id)
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)
_AUDIT_FIELDS = (
    "at, actor_id, actor, action, article, file, guild_id, version_before, version_after, summary"
)
_AUDIT_COLUMNS = f"id, {_AUDIT_FIELDS}"
# What a dead or unreachable server, a dropped connection or a refused statement raises.
_FAILURES = (
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    asyncpg.InternalClientError,  # what a dropped connection sometimes gives (asyncpg#1069)
    OSError,
    TimeoutError,
)
# A connection the server dropped (restart, failover, idle timeout): the pool replaces it.
_DROPPED = (
    asyncpg.ConnectionDoesNotExistError,
    asyncpg.AdminShutdownError,
    asyncpg.PostgresConnectionError,
    asyncpg.InternalClientError,
)
_POOL_MIN, _POOL_MAX = 1, 4  # commands in one process overlap a little, never by dozens
# A step may rewrite a long audit log, and another process's step may hold the lock meanwhile:
# longer than a command's timeout, still bounded.
_MIGRATION_TIMEOUT = 300.0


class PostgresState(StateStore):
    """The state store in the PostgreSQL database at ``url`` (``postgresql://user:pw@host/db``).

    A dead server gives StateError within ``connect_timeout`` seconds at open, and a statement
    that does not finish within ``command_timeout`` seconds fails the same way.
    """

    def __init__(
        self, url: str, *, connect_timeout: float = 5.0, command_timeout: float = 10.0
    ) -> None:
        self._url = url
        self._secrets = _secrets(url)
        self.where = redact(url)  # the URL without its password, for messages and logs
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout
        self._pool: asyncpg.Pool | None = None

    def __repr__(self) -> str:
        return f"PostgresState({self.where!r})"

    def _say(self, text: str) -> str:
        """``text`` with every form of the password in the URL replaced."""
        for secret in self._secrets:
            text = text.replace(secret, "***")
        return text

    async def open(self) -> None:
        """Connect (a small pool), refuse a database that is not ours or newer, migrate it."""
        if self._pool is not None:
            return
        scheme, sep, rest = self._url.partition("://")
        # SQLAlchemy's spelling (postgresql+asyncpg://) names the same database.
        scheme = scheme.split("+", 1)[0].lower()
        if not sep or scheme not in ("postgresql", "postgres"):
            raise StateError(
                "STATE_DATABASE_URL is not a PostgreSQL URL; write it as "
                "postgresql://user:password@host:port/database"
            )
        if _ambiguous(self._url):
            raise StateError(
                f"STATE_DATABASE_URL ({self.where}) has an '@' after the host: percent-encode "
                "'@', '/', '?' and '#' in its user name and password (@ as %40, / as %2F)"
            )
        try:
            pool = await asyncio.wait_for(
                asyncpg.create_pool(
                    f"{scheme}://{rest}",
                    min_size=_POOL_MIN,
                    max_size=_POOL_MAX,
                    timeout=self.connect_timeout,
                    command_timeout=self.command_timeout,
                    server_settings={"application_name": "talent-bot"},
                ),
                # The pool's own timeout covers one connection attempt; several hosts or
                # addresses (localhost: IPv4 and IPv6) must not multiply it.
                timeout=self.connect_timeout + 1,
            )
        except (*_FAILURES, ValueError) as exc:
            raise StateError(
                f"cannot connect to the state database {self.where}: {self._say(_reason(exc))}"
            ) from None
        self._pool = pool
        try:
            async with self._connection("open") as conn:
                await self._migrate(conn)
        except BaseException:
            await self.close()
            raise

    async def _migrate(self, conn: _Conn) -> None:
        version = await self._version(conn)
        if version > SCHEMA_VERSION:
            raise StateError(self._newer(version))
        # One transaction per step, the version moving with it, under a lock held until the
        # step commits: processes starting together wait, re-read, and migrate once.
        for number in range(version + 1, SCHEMA_VERSION + 1):
            async with conn.transaction():
                await conn.execute(
                    "SELECT pg_advisory_xact_lock($1)", MIGRATION_LOCK, timeout=_MIGRATION_TIMEOUT
                )
                current = await self._version(conn)
                if current > SCHEMA_VERSION:
                    raise StateError(self._newer(current))
                if current >= number:
                    continue
                await conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {META_TABLE} ("
                    " version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
                )
                await conn.execute(MIGRATIONS[number - 1], timeout=_MIGRATION_TIMEOUT)
                await conn.execute(f"INSERT INTO {META_TABLE} (version) VALUES ($1)", number)  # noqa: S608 (a constant)

    async def _version(self, conn: _Conn) -> int:
        """The schema version; 0 for a database without our tables, refused if it has others."""
        if await _exists(conn, META_TABLE):
            return int(await conn.fetchval(f"SELECT coalesce(max(version), 0) FROM {META_TABLE}"))  # noqa: S608
        clashes = [name for name in OUR_TABLES if await _exists(conn, name)]
        if clashes:
            raise StateError(
                f"the state database {self.where} has tables named {', '.join(clashes)} that "
                "talent-bot did not make; point STATE_DATABASE_URL at a database of its own "
                "(nothing was changed)"
            )
        return 0

    def _newer(self, version: int) -> str:
        return (
            f"the state database {self.where} is at state schema {version}, newer than this "
            f"bot's {SCHEMA_VERSION}; upgrade the bot (nothing was changed)"
        )

    async def close(self) -> None:
        """Close the pool, waiting a little for running statements; safe to call twice."""
        if self._pool is None:
            return
        pool, self._pool = self._pool, None
        try:
            await asyncio.wait_for(pool.close(), timeout=self.command_timeout)
        except _FAILURES:
            pool.terminate()  # a dead server: nothing left to close gracefully
        except BaseException:
            pool.terminate()
            raise

    @contextlib.asynccontextmanager
    async def _connection(self, doing: str) -> AsyncIterator[_Conn]:
        """A pooled connection; a database failure while ``doing`` becomes a StateError."""
        if self._pool is None:
            raise StateError("the state database is not open")
        try:
            async with self._pool.acquire(timeout=self.connect_timeout) as conn:
                yield conn
        except _FAILURES as exc:
            kind = StateError
            if isinstance(exc, _DROPPED):
                # Likely a restarted server: every pooled connection is suspect, not just this.
                await self._pool.expire_connections()
                kind = _DroppedError
            raise kind(
                f"cannot {doing} the state database {self.where}: {self._say(_reason(exc))}"
            ) from None

    async def _again(self, doing: str, work: Callable[[_Conn], Awaitable[_T]]) -> _T:
        """``work``, which may safely run twice, retried past connections the server dropped."""
        with contextlib.suppress(_DroppedError):
            async with self._connection(doing) as conn:
                return await work(conn)
        # The pool now replaces every connection it had, so once more is enough.
        async with self._connection(doing) as conn:
            return await work(conn)

    async def _write(self, sql: str, *args: Any) -> None:
        """Run ``sql``, a statement that changes nothing more when run again."""
        await self._again("write", lambda conn: conn.execute(sql, *args))

    async def _rows(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        return await self._again("read", lambda conn: conn.fetch(sql, *args))

    async def schema_version(self) -> int:
        """The schema version the database is at."""
        return await self._again("read", self._version)

    async def record(self, entry: AuditEntry) -> AuditEntry:
        """Append ``entry`` to the audit log; the entry as stored (with its id and time)."""
        at = _moment(entry.at or now())
        async with self._connection("write") as conn:
            row_id = await conn.fetchval(
                f"INSERT INTO audit ({_AUDIT_FIELDS})"  # noqa: S608 (constant columns)
                " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
                at,
                *entry.values(),
            )
        return replace(entry, id=int(row_id), at=_text(at))

    async def history(self, limit: int = 10, offset: int = 0) -> list[AuditEntry]:
        """The newest audit entries first."""
        rows = await self._rows(
            f"SELECT {_AUDIT_COLUMNS} FROM audit ORDER BY id DESC LIMIT $1 OFFSET $2",  # noqa: S608
            limit,
            offset,
        )
        return [_entry(row) for row in rows]

    async def count_history(self) -> int:
        """How many entries the audit log holds."""
        rows = await self._rows("SELECT count(*) FROM audit")
        return int(rows[0][0])

    async def set_news_channel(self, guild_id: int, channel_id: int | None) -> None:
        """Set (or with None, clear) the channel a server's news is announced in."""
        if channel_id is None:
            await self._write("DELETE FROM news_channels WHERE guild_id = $1", guild_id)
            return
        await self._write(
            "INSERT INTO news_channels (guild_id, channel_id, updated_at) VALUES ($1, $2, now())"
            " ON CONFLICT (guild_id) DO UPDATE SET channel_id = excluded.channel_id,"
            " updated_at = excluded.updated_at",
            guild_id,
            channel_id,
        )

    async def news_channels(self, guild_ids: Iterable[int] | None = None) -> dict[int, int]:
        """Server id -> news channel id, for ``guild_ids`` or every server that set one."""
        if guild_ids is None:
            rows = await self._rows("SELECT guild_id, channel_id FROM news_channels")
        else:
            rows = await self._rows(
                "SELECT guild_id, channel_id FROM news_channels WHERE guild_id = ANY($1::bigint[])",
                list(guild_ids),
            )
        return {int(g): int(c) for g, c in rows}

    async def unannounced(self, guild_id: int, fact_ids: Iterable[str]) -> list[str]:
        """Those of ``fact_ids`` (in their order) not yet announced in that server."""
        ids = list(dict.fromkeys(fact_ids))
        rows = await self._rows(
            "SELECT fact_id FROM announced WHERE guild_id = $1 AND fact_id = ANY($2::text[])",
            guild_id,
            ids,
        )
        done = {row[0] for row in rows}
        return [i for i in ids if i not in done]

    async def mark_announced(self, guild_id: int, fact_ids: Iterable[str]) -> None:
        """Remember that these facts were announced in that server (again is harmless)."""
        # One statement, so a batch is remembered whole or not at all.
        await self._write(
            "INSERT INTO announced (guild_id, fact_id, at)"
            " SELECT $1, unnest($2::text[]), now() ON CONFLICT DO NOTHING",
            guild_id,
            list(dict.fromkeys(fact_ids)),
        )


async def _exists(conn: _Conn, table: str) -> bool:
    """Whether ``table`` names a relation on the search path, as of this very statement."""
    # Not to_regclass(): it may answer from a cache made before the migration lock was ours,
    # missing the table the process that held it just created.
    query = "SELECT EXISTS (SELECT FROM pg_class WHERE relname = $1 AND pg_table_is_visible(oid))"
    return bool(await conn.fetchval(query, table))


class _DroppedError(StateError):
    """The server dropped the connection; another one may well work."""


def redact(url: str) -> str:
    """``url`` without its password (in the authority or a ``password=`` parameter)."""
    scheme, sep, rest = url.partition("://")
    if not sep or not scheme.lower().startswith("postgres"):
        return "(a STATE_DATABASE_URL that is not a postgresql:// URL)"
    user, _, tail = _userinfo(rest)
    place, mark, query = tail.partition("?")
    if mark:
        query = "&".join(
            "password=***" if part.split("=", 1)[0] == "password" else part
            for part in query.split("&")
        )
    return f"{scheme}://{user + '@' if user else ''}{place}{mark}{query}"


def _userinfo(rest: str) -> tuple[str, str | None, str]:
    """The user, password (None without one) and the rest of a URL after its ``scheme://``.

    Split at the last '@', so a password with an unquoted '/', '?' or '#' stays whole.
    """
    if "@" not in rest:
        return "", None, rest
    userinfo, tail = rest.rsplit("@", 1)
    user, colon, password = userinfo.partition(":")
    return user, password if colon else None, tail


def _ambiguous(url: str) -> bool:
    """Whether a URL parser would find another user and password than `_userinfo` does."""
    rest = url.partition("://")[2]
    netloc = urlsplit(url).netloc
    standard = netloc.rsplit("@", 1)[0] if "@" in netloc else ""
    ours = rest.rsplit("@", 1)[0] if "@" in rest else ""
    return standard != ours


def _secrets(url: str) -> list[str]:
    """Every spelling of the URL's password a message might carry, longest first."""
    _, password, tail = _userinfo(url.partition("://")[2])
    found = {password or ""}
    query = tail.partition("?")[2]
    found.update(
        part[len("password=") :] for part in query.split("&") if part.startswith("password=")
    )
    for secret in list(found):
        found.update({unquote(secret), quote(secret, safe=""), quote(unquote(secret), safe="")})
    return sorted((s for s in found if s), key=len, reverse=True)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "no answer in time (is the server running and reachable?)"
    text = str(exc).strip()
    return text or type(exc).__name__


def _moment(text: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise StateError(f"an audit entry's time is not an ISO moment: {text!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _text(moment: dt.datetime) -> str:
    """A stored moment as the log shows it: ISO, in UTC, like ``now()``."""
    moment = moment.astimezone(dt.UTC)
    return moment.isoformat(timespec="microseconds" if moment.microsecond else "seconds")


def _entry(row: asyncpg.Record) -> AuditEntry:
    (row_id, at, actor_id, actor, action, article, file, guild_id, before, after, summary) = row
    return AuditEntry(
        id=int(row_id),
        at=_text(at),
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
