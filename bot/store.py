"""The only module that speaks SQL: the knowledge as SQLite tables, swapped whole on each load.

A file database has one writer connection and one reader connection in WAL mode, so readers keep
seeing the previous knowledge (a consistent snapshot) while a reload writes the next one. A
``:memory:`` database has a single connection, so there a reload and reads take turns.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import sqlite3
import stat
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, TypeVar

import aiosqlite
from pydantic import TypeAdapter

from bot.knowledge.facts import BY_KIND, KINDS
from bot.knowledge.loader import FileSummary, KnowledgeBase, LoadedFile
from bot.knowledge.schema import LINKS, Article, EntityKind, Fact

log = logging.getLogger(__name__)

_T = TypeVar("_T")
_DECODE_INLINE_ROWS = 2_000  # below this, a thread hop costs more than decoding

SCHEMA_VERSION = "12"  # also kept in PRAGMA user_version
# The mark (PRAGMA application_id, "TALB") of a database this bot created: the only kind of file
# it will ever write to, and, if damaged, delete and rebuild.
APPLICATION_ID = 0x54414C42
_SQLITE_HEADER = b"SQLite format 3\x00"
_KINDS: tuple[str, ...] = tuple(kind.KIND for kind in KINDS)
# What the meta table records: a new fact kind changes the facts table's CHECK, so it starts the
# database afresh like any other schema change.
_SCHEMA_ID = f"{SCHEMA_VERSION}:{','.join(_KINDS)}"

_TABLES = ("fact_entities", "facts", "roles", "aliases", "entities", "articles")
# What the previous versions (no mark) left: these tables exactly, and the 'schema' row in meta.
_LEGACY_TABLES = frozenset({*_TABLES, "meta"})
# A reload that changes at most this share of the articles rewrites only their facts; beyond it
# (first load, schema change, mass edit) emptying and refilling every table is faster.
INCREMENTAL_SHARE = 0.2
_SCHEMA_TEMPLATE = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT NOT NULL, data TEXT NOT NULL,
    -- What a reload needs of a file it does not parse again (loader.FileSummary, as JSON).
    summary TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS entities (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('person', 'company')),
    name TEXT NOT NULL,
    parent_id TEXT REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    description TEXT,
    mentions INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS entities_parent ON entities (parent_id);
CREATE TABLE IF NOT EXISTS aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    alias TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS roles (
    person_id TEXT NOT NULL REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    title TEXT NOT NULL,
    company_id TEXT REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    current INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    -- The order of a full rebuild (first declaring file, place in it, role), which a reload
    -- rewriting only some people's roles keeps; rowids would not.
    seq TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS roles_person ON roles (person_id, current DESC, seq);
CREATE INDEX IF NOT EXISTS roles_company ON roles (company_id, current DESC, seq);
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL CHECK (kind IN ({kinds})),
    reported_on TEXT NOT NULL,
    digest TEXT NOT NULL,
    data TEXT NOT NULL,
    -- Ties on reported_on go in file order, then order within the file; unlike rowids, this
    -- key does not depend on which files a reload rewrote.
    seq TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_kind ON facts (kind, reported_on);
CREATE INDEX IF NOT EXISTS facts_article ON facts (article_id);
-- Which entities a fact mentions and the part each plays (person, from, to, subject, ...):
-- every per-entity question is one range scan here. The fact's kind, date and seq are repeated
-- and lead the key, so "the newest 50 of a big employer's 6,000 facts" reads 50 entries.
CREATE TABLE IF NOT EXISTS fact_entities (
    entity_id TEXT NOT NULL REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    fact_seq TEXT NOT NULL,
    part TEXT NOT NULL,
    fact_id TEXT NOT NULL REFERENCES facts(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (entity_id, kind, reported_on DESC, fact_seq, part)
) WITHOUT ROWID;
-- Deleting a fact makes SQLite look for links still referring to it; without this index each
-- look-up scans the table, and a reload of 100 edited files took longer than a full rebuild.
CREATE INDEX IF NOT EXISTS fact_entities_fact ON fact_entities (fact_id);
"""
_SCHEMA = _SCHEMA_TEMPLATE.replace("{kinds}", ", ".join(f"'{k}'" for k in _KINDS))


_IDS_PER_QUERY = 500  # ids bound in one IN (...): far below SQLite's variable limit


@dataclass(frozen=True)
class StoredFact:
    """A fact as read back: its kind, its article and the validated model."""

    kind: str  # the fact kind's KIND: "move", "figure", ...
    article_id: str
    fact: Fact


@dataclass(frozen=True)
class StoredEntity:
    """A person or company as stored, with its aliases and how often facts mention it."""

    id: str
    kind: EntityKind
    name: str
    aliases: tuple[str, ...]
    parent_id: str | None
    description: str | None
    mentions: int


@dataclass(frozen=True)
class StoredRole:
    """A person's role as stored, with the id of the article that gave it."""

    person_id: str
    title: str
    company_id: str | None
    current: bool
    article_id: str


@dataclass(frozen=True)
class StoredArticle:
    """An article as stored, with the knowledge file it came from and how many facts it gave."""

    article: Article
    file: str
    fact_count: int


@dataclass(frozen=True)
class Manifest:
    """What a knowledge version holds, to report what a reload changed."""

    version: str | None
    loaded_at: str | None
    articles: dict[str, str]  # id -> sha256 of its file
    facts: dict[str, str]  # id -> digest of its data


@dataclass(frozen=True)
class Rewrite:
    """What one replace rewrote: the new head, and the digests of the rows rewritten, before/after.

    The digests (id -> digest) are of the articles and facts it rewrote, only those: articles and facts of unchanged files are neither read nor reported, so a
    one-file reload compares a few rows, not two versions' 70,000.
    """

    manifest: Manifest
    old_articles: dict[str, str]
    new_articles: dict[str, str]
    old_facts: dict[str, str]
    new_facts: dict[str, str]


class _VersionCache:
    """What every read of one knowledge version shares: decoded articles and fact aggregates.

    What is the same for every read of one knowledge version, computed once: every article
    decoded (citations and /sources read them on every answer; decoding 10,000 per call would
    dominate their latency) and aggregates over all facts (counts, the move tally).

    One per Store, not on the service's Snapshot: it holds the results of this store's own
    queries, and every use checks it against the version the read transaction sees, so no
    Reader (with a service or without) can get another version's rows, whenever snapshots swap.
    """

    def __init__(self) -> None:
        self.version: str | None = None
        self.articles: dict[str, StoredArticle] | None = None
        self.values: dict[str, Any] = {}

    def at(self, version: str | None) -> _VersionCache:
        """This cache, emptied first if it holds another version."""
        if version != self.version or version is None:
            self.version, self.articles, self.values = version, None, {}
        return self


class StoreError(Exception):
    """The database cannot be used right now (locked, disk full, unwritable, not ours).

    ``str()`` of it is one line for the user; nothing has been deleted because of it.
    """


class ForeignDatabaseError(StoreError):
    """DATABASE_PATH names a file this bot cannot prove it created; it was not touched."""


class CorruptDatabaseError(Exception):
    """The database file exists but SQLite cannot use it."""


class Store:
    """Owns the SQLite connections; every query of the bot is a method here or on Reader."""

    def __init__(
        self, path: str, *, busy_timeout: float = 5.0, max_pages: int | None = None
    ) -> None:
        """``busy_timeout``: seconds to wait for another process's lock before reporting it.

        ``max_pages`` caps the file at that many pages, as a full disk would (for tests).
        """
        self.path = path
        self.busy_timeout = busy_timeout
        self._max_pages = max_pages
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._read_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock()
        self._cache = _VersionCache()

    @property
    def in_memory(self) -> bool:
        """Whether the store is an in-memory database (path ``:memory:``), with no file to check."""
        return self.path == ":memory:"

    async def open(self) -> None:
        """Connect to the bot's own database, creating it if absent.

        Raises ForeignDatabaseError for a file the bot cannot prove it created, StoreError for a lock,
        a full disk or an unusable path; only a damaged database of its own is deleted and
        rebuilt from scratch (it is derived data).
        """
        if not self.in_memory and await asyncio.to_thread(_origin_of_file, self.path) == "unmarked":
            await self._check_unmarked()
        try:
            try:
                await self._connect()
            except (sqlite3.DatabaseError, CorruptDatabaseError) as exc:
                if not _is_corruption(exc):
                    raise
                await self.close()
                log.warning(
                    "database %s is unusable (%s); rebuilding it from the knowledge files",
                    self.path,
                    exc,
                )
                await asyncio.to_thread(_delete_database, self.path)
                await self._connect()
        except BaseException as exc:
            # Connections left open would keep their threads, and the process, alive.
            await self.close()
            if isinstance(exc, sqlite3.Error):
                raise self._error(exc, "opening") from exc
            raise

    async def _check_unmarked(self) -> None:
        """Make sure an unmarked SQLite file is one the bot may take over, without writing to it.

        Refuse an unmarked SQLite file unless it is a previous version's database or empty;
        read without writing: with no -wal beside it, as an immutable file (creating no -shm).
        """
        uri = await asyncio.to_thread(_read_only_uri, self.path)
        try:
            async with aiosqlite.connect(uri, uri=True, timeout=self.busy_timeout) as conn:
                found = await _identity(conn)
        except sqlite3.Error as exc:
            if not _is_corruption(exc):
                raise self._error(exc, "reading") from exc
            found = None
        if found is None:
            raise ForeignDatabaseError(
                f"{self.path} is not a talent-bot database (a SQLite file without talent-bot's "
                "mark, and not one of its earlier databases); refusing to touch it: set "
                "DATABASE_PATH to another file"
            )

    async def _connect(self) -> None:
        if not self.in_memory:
            _make_folder(self.path)
        self._writer = conn = await aiosqlite.connect(self.path, isolation_level=None)
        await conn.execute(f"PRAGMA busy_timeout = {round(self.busy_timeout * 1000)}")
        async with conn.execute("PRAGMA quick_check") as cur:
            row = await cur.fetchone()
        if row is None or row[0] != "ok":
            raise CorruptDatabaseError(row[0] if row else "quick_check returned nothing")
        if await _pragma(conn, "application_id") != APPLICATION_ID:
            # The mark is the first thing written, so no crash can leave an unmarked file.
            await conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        await conn.executescript(
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
        )
        if self._max_pages is not None:
            await conn.execute(f"PRAGMA max_page_count = {int(self._max_pages)}")
        await self._migrate(conn)
        if self.in_memory:
            self._reader = conn
        else:
            self._reader = await aiosqlite.connect(self.path, isolation_level=None)
            await self._reader.executescript(
                f"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {round(self.busy_timeout * 1000)};"
                "PRAGMA query_only = ON;"
            )

    async def _migrate(self, conn: aiosqlite.Connection) -> None:
        # The database is derived from the files, so a schema change just starts it afresh.
        async with conn.execute("SELECT name FROM sqlite_master WHERE name = 'meta'") as cur:
            has_meta = await cur.fetchone() is not None
        row = None
        if has_meta:
            async with conn.execute("SELECT value FROM meta WHERE key = 'schema'") as cur:
                row = await cur.fetchone()
        if row is None or row[0] != _SCHEMA_ID:
            drops = "".join(f"DROP TABLE IF EXISTS {t};" for t in _TABLES)
            await conn.executescript(
                f"PRAGMA foreign_keys = OFF; BEGIN; {drops} {_SCHEMA} DELETE FROM meta;"  # noqa: S608
                f"INSERT INTO meta VALUES ('schema', '{_SCHEMA_ID}');"
                f"PRAGMA user_version = {int(SCHEMA_VERSION)}; COMMIT; PRAGMA foreign_keys = ON;"
            )
        elif await _pragma(conn, "user_version") != int(SCHEMA_VERSION):
            await conn.execute(f"PRAGMA user_version = {int(SCHEMA_VERSION)}")  # adopted

    def _error(self, exc: sqlite3.Error, doing: str) -> StoreError:
        """``exc`` as one line for the user: what failed, on which file, what to do."""
        return StoreError(_explain(exc, self.path, doing, self.busy_timeout))

    async def close(self) -> None:
        """Close both connections; safe to call twice."""
        for conn in {id(c): c for c in (self._reader, self._writer) if c is not None}.values():
            with suppress(Exception):
                await conn.close()
        self._reader = self._writer = None

    async def __aenter__(self) -> Store:
        await self.open()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    @asynccontextmanager
    async def reading(self) -> AsyncIterator[Reader]:
        """A read transaction: every query inside sees one knowledge version."""
        conn = self._reader
        if conn is None:
            raise RuntimeError("the store is not open")
        async with self._read_lock:
            if self.in_memory:
                # One connection: wait for any reload to finish rather than read its half-state.
                await self._write_lock.acquire()
            try:
                await conn.execute("BEGIN")
                try:
                    yield Reader(conn, self._cache)
                finally:
                    await conn.execute("COMMIT")
            finally:
                if self.in_memory:
                    self._write_lock.release()

    async def replace(self, kb: KnowledgeBase) -> Manifest:
        """Swap the whole content for ``kb`` in one transaction; the new version's head.

        See rewrite(), which also says what the swap rewrote.
        """
        return (await self.rewrite(kb)).manifest

    async def rewrite(self, kb: KnowledgeBase) -> Rewrite:
        """Swap the whole content for ``kb`` in one transaction; on failure the old stays.

        Facts of articles whose file is byte-identical to the stored one are kept as they are
        (a /reload after a one-file edit writes that file's facts only), and so are the rows of
        people and companies none of the rewritten files declares, and their mention counts
        unless a rewritten fact mentions them. A lock held too long, a full disk or another
        database trouble raises StoreError naming the real cause.
        """
        conn = self._writer
        if conn is None:
            raise RuntimeError("the store is not open")
        loaded_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        async with self._write_lock:
            try:
                return await self._replace(conn, kb, loaded_at)
            except sqlite3.Error as exc:
                if not _is_trouble(exc):
                    raise
                raise self._error(exc, "writing the new knowledge into") from exc

    async def _replace(
        self, conn: aiosqlite.Connection, kb: KnowledgeBase, loaded_at: str
    ) -> Rewrite:
        await conn.execute("BEGIN IMMEDIATE")
        try:
            async with conn.execute("SELECT id, file, sha256 FROM articles") as cur:
                stored = {r[0]: (r[1], r[2]) for r in await cur.fetchall()}
            fresh = [f for f in kb.files if stored.get(f.summary.article_id) != (f.name, f.sha256)]
            kept = {f.summary.article_id for f in kb.files} - {f.summary.article_id for f in fresh}
            stale = stored.keys() - kept  # removed or changed
            incremental = len(fresh) + len(stale) <= INCREMENTAL_SHARE * max(len(stored), 1)
            # What the rewritten articles and their facts were: the reload's report compares them
            # with what they become (the rest is kept as it is).
            old_articles = {a: stored[a][1] for a in (stale if incremental else stored)}
            old_facts = await _fact_digests(conn, sorted(stale) if incremental else None)
            new_facts: dict[str, str] = {}
            # Parents before children: while any deferred foreign key is unresolved, SQLite
            # searches for orphans on every insert, and most of those searches are scans.
            if incremental:
                # Only the people and companies whose rows differ, and only the mention
                # counts that the rewritten links or entities can change, are written.
                among = await _declared_in(conn, sorted(stale))
                if among is not None:
                    among.update(d.id for f in fresh for d in f.summary.declarations)
                entity_rows = _entity_rows(kb, among)
                rewritten: set[str] | None = await _rewrite_entities(conn, entity_rows, among)
                recount = {*(rewritten or ()), *await _delete_articles(conn, sorted(stale))}
            else:
                fresh = list(kb.files)
                for table in _TABLES:
                    await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                entity_rows = _entity_rows(kb)
                await _insert_entities(conn, entity_rows, None)
                rewritten, recount = None, set()
            for first in range(0, len(fresh), _CHUNK_FILES):
                for sql, params in _file_rows(fresh[first : first + _CHUNK_FILES]):
                    await conn.executemany(sql, params)
                    if sql.startswith("INSERT INTO facts"):
                        new_facts.update((str(r[0]), str(r[4])) for r in params)
                    if incremental and sql.startswith("INSERT INTO fact_entities"):
                        recount.update(str(row[0]) for row in params)
            await _insert_roles(conn, entity_rows, rewritten)
            if incremental:
                await conn.executemany(
                    "UPDATE entities SET mentions = (SELECT count(*) FROM fact_entities fe "
                    "WHERE fe.entity_id = ?1) WHERE id = ?1",
                    [(entity_id,) for entity_id in sorted(recount)],
                )
            else:
                await conn.execute(
                    "UPDATE entities SET mentions = "
                    "(SELECT count(*) FROM fact_entities fe WHERE fe.entity_id = entities.id)"
                )
            await conn.executemany(
                "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                [("version", kb.version), ("loaded_at", loaded_at)],
            )
            await conn.execute("COMMIT")
        except BaseException:
            await self._rollback(conn)
            raise
        if not self.in_memory:
            # Keep the WAL file from growing without bound across many reloads. The new
            # version is committed already, so a checkpoint that fails (disk full) is not fatal.
            try:
                await conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as exc:
                log.warning("%s", self._error(exc, "checkpointing"))
        new_articles = {f.summary.article_id: f.sha256 for f in fresh}
        return Rewrite(
            Manifest(kb.version, loaded_at, {}, {}),
            old_articles,
            new_articles,
            old_facts,
            new_facts,
        )

    async def _rollback(self, conn: aiosqlite.Connection) -> None:
        """Undo the open transaction without hiding the error that caused it.

        Undo the open transaction, if SQLite has not already (it does on a full disk, an I/O
        error or a lock), without letting a failed rollback hide the error that caused it.
        """
        if not conn.in_transaction:
            return
        try:
            await conn.execute("ROLLBACK")
        except sqlite3.Error as exc:
            log.warning("%s", self._error(exc, "rolling back"))

    async def manifest(self) -> Manifest:
        """The version, load time and per-article and per-fact digests now stored."""
        async with self.reading() as r:
            return await r.manifest()

    async def head(self) -> Manifest:
        """The version and load time now stored, without the digests (a few rows, not 70,000)."""
        async with self.reading() as r:
            return await r.head()


async def _delete_articles(conn: aiosqlite.Connection, ids: list[str]) -> set[str]:
    """Remove these articles and their facts (inside the caller's transaction).

    Returns the ids of the entities their facts mentioned, whose mention counts change.
    """
    if not ids:
        return set()
    marks = ",".join("?" * len(ids))
    facts_of = f"SELECT id FROM facts WHERE article_id IN ({marks})"  # noqa: S608
    async with conn.execute(
        f"SELECT DISTINCT entity_id FROM fact_entities WHERE fact_id IN ({facts_of})",  # noqa: S608
        ids,
    ) as cur:
        mentioned = {r[0] for r in await cur.fetchall()}
    await conn.execute(f"DELETE FROM fact_entities WHERE fact_id IN ({facts_of})", ids)  # noqa: S608
    await conn.execute(f"DELETE FROM facts WHERE article_id IN ({marks})", ids)  # noqa: S608
    await conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)  # noqa: S608
    return mentioned


async def _fact_digests(
    conn: aiosqlite.Connection, article_ids: list[str] | None
) -> dict[str, str]:
    """Id -> digest of the stored facts of these articles (of all with None)."""
    digests: dict[str, str] = {}
    for where, params in _id_chunks(article_ids):
        async with conn.execute(
            f"SELECT id, digest FROM facts{where('article_id')}",  # noqa: S608
            params,
        ) as cur:
            digests.update((str(r[0]), str(r[1])) for r in await cur.fetchall())
    return digests


async def _declared_in(conn: aiosqlite.Connection, article_ids: list[str]) -> set[str] | None:
    """The ids of the people and companies these stored articles' files declare.

    None if a stored summary cannot be read (then every entity is compared).
    """
    declared: set[str] = set()
    for first in range(0, len(article_ids), _MAX_PARAMS):
        chunk = article_ids[first : first + _MAX_PARAMS]
        marks = ",".join("?" * len(chunk))
        async with conn.execute(
            f"SELECT summary FROM articles WHERE id IN ({marks})",  # noqa: S608
            chunk,
        ) as cur:
            for (text,) in await cur.fetchall():
                try:
                    declared.update(d.id for d in FileSummary.from_json(text).declarations)
                except (ValueError, TypeError, KeyError, IndexError):
                    return None
    return declared


async def _rewrite_entities(
    conn: aiosqlite.Connection, rows: _EntityRows, among: set[str] | None
) -> set[str]:
    """Rewrite the people and companies whose stored rows differ from ``rows``; return their ids.

    Only the entities ``among`` are compared (all when None): the ones declared in the files
    a reload rewrites, old or new, since no other entity's rows can change. Reading them back
    and comparing costs a fraction of what rewriting every entity, alias and role and
    recounting every mention did at each reload. Their roles are deleted here and inserted by
    the caller, after the articles they name.
    """
    ids = sorted(among) if among is not None else None
    stored: dict[str, Any] = {}
    for where, params in _id_chunks(ids):
        async with conn.execute(
            f"SELECT id, kind, name, parent_id, description FROM entities{where('id')}",  # noqa: S608
            params,
        ) as cur:
            stored.update({r[0]: [tuple(r), set(), []] for r in await cur.fetchall()})
        async with conn.execute(
            f"SELECT entity_id, alias FROM aliases{where('entity_id')}",  # noqa: S608
            params,
        ) as cur:
            for entity_id, alias in await cur.fetchall():
                stored[entity_id][1].add(alias)
        async with conn.execute(
            "SELECT person_id, title, company_id, current, article_id, seq FROM roles"  # noqa: S608
            f"{where('person_id')} ORDER BY seq",
            params,
        ) as cur:
            for row in await cur.fetchall():
                stored[row[0]][2].append(tuple(row))
    changed = {
        entity_id
        for entity_id, (entity, aliases, roles) in rows.items()
        if entity_id not in stored
        or stored[entity_id][0] != entity
        or stored[entity_id][1] != set(aliases)
        or stored[entity_id][2] != roles
    }
    gone = stored.keys() - rows.keys()
    doomed = sorted(changed | gone)
    for first in range(0, len(doomed), _MAX_PARAMS):
        chunk = doomed[first : first + _MAX_PARAMS]
        marks = ",".join("?" * len(chunk))
        await conn.execute(f"DELETE FROM roles WHERE person_id IN ({marks})", chunk)  # noqa: S608
        await conn.execute(f"DELETE FROM aliases WHERE entity_id IN ({marks})", chunk)  # noqa: S608
        await conn.execute(f"DELETE FROM entities WHERE id IN ({marks})", chunk)  # noqa: S608
    await _insert_entities(conn, rows, changed)
    return changed


def _id_chunks(ids: list[str] | None) -> Iterator[tuple[Callable[[str], str], list[str]]]:
    """(WHERE clause maker, its parameters) for these ids, a few hundred at a time; all if None."""
    if ids is None:
        yield _Where(""), []
        return
    for first in range(0, len(ids), _MAX_PARAMS):
        chunk = ids[first : first + _MAX_PARAMS]
        yield _Where(",".join("?" * len(chunk))), chunk


@dataclass(frozen=True)
class _Where:
    """The clause `` WHERE column IN (?, ...)`` for any column; nothing when there are no marks."""

    marks: str

    def __call__(self, column: str) -> str:
        return f" WHERE {column} IN ({self.marks})" if self.marks else ""


async def _insert_roles(
    conn: aiosqlite.Connection, rows: _EntityRows, only: set[str] | None
) -> None:
    """Insert the roles of these people (all with ``only`` None), once their articles are in."""
    await conn.executemany(
        "INSERT INTO roles VALUES (?, ?, ?, ?, ?, ?)",
        [
            role
            for entity_id, (_, _, roles) in rows.items()
            if only is None or entity_id in only
            for role in roles
        ],
    )


async def _insert_entities(
    conn: aiosqlite.Connection, rows: _EntityRows, only: set[str] | None
) -> None:
    """Insert these entities (all with ``only`` None) and their aliases, not yet their roles.

    Roles name articles: they go in after the articles (_insert_roles), parents before children.
    """
    wanted = [row for entity_id, row in rows.items() if only is None or entity_id in only]
    await conn.executemany(
        "INSERT INTO entities VALUES (?, ?, ?, ?, ?, 0)", [entity for entity, _, _ in wanted]
    )
    await conn.executemany(
        "INSERT INTO aliases VALUES (?, ?)",
        [(entity[0], alias) for entity, aliases, _ in wanted for alias in aliases],
    )


def stored_summaries(path: str) -> list[tuple[str, str, str]]:
    """(file name, sha256, summary JSON) of every file the database at ``path`` holds.

    For a Loader to seed itself with after a restart (Loader.seed). Read-only, never creating
    the file; anything that is not a readable database of this schema gives none (the files are
    then parsed, as on a first load).
    """
    try:
        if path == ":memory:" or _origin_of_file(path) != "ours":
            return []
    except StoreError:
        return []
    try:
        conn = sqlite3.connect(f"{Path(path).absolute().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return []
    try:
        meta = conn.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if meta is None or meta[0] != _SCHEMA_ID:
            return []
        return [
            (str(r[0]), str(r[1]), str(r[2]))
            for r in conn.execute("SELECT file, sha256, summary FROM articles")
        ]
    except sqlite3.Error:
        return []
    finally:
        conn.close()


def _origin_of_file(path: str) -> Literal["new", "ours", "unmarked"]:
    """Whose the file at ``path`` is, from its first 100 bytes, without opening it with SQLite.

    "unmarked" is a SQLite file without any application_id: only its tables can tell.
    """
    where = Path(path)
    try:
        info = where.stat()
    except FileNotFoundError:
        return "new"
    except OSError as exc:
        raise StoreError(
            f"cannot read the database {path} ({exc.strerror}); check DATABASE_PATH"
        ) from exc
    if stat.S_ISDIR(info.st_mode):
        raise StoreError(
            f"DATABASE_PATH {path} is a directory; set it to a file, e.g. {where / 'talent-bot.db'}"
        )
    refusal = f"{path} is not a talent-bot database"
    advice = "refusing to touch it: set DATABASE_PATH to another file"
    if not stat.S_ISREG(info.st_mode):
        raise ForeignDatabaseError(f"{refusal} (not a regular file); {advice}")
    if info.st_size == 0:
        return "new"  # nothing in it to lose (`touch`, or a crash right after SQLite made it)
    try:
        with where.open("rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise StoreError(
            f"cannot read the database {path} ({exc.strerror}); check DATABASE_PATH"
        ) from exc
    if not header.startswith(_SQLITE_HEADER):
        raise ForeignDatabaseError(
            f"{refusal} (not a SQLite file); {advice}, or delete it yourself if it is a damaged "
            "talent-bot database"
        )
    application_id = int.from_bytes(header[68:72], "big")
    if len(header) < 100 or application_id not in (0, APPLICATION_ID):
        raise ForeignDatabaseError(
            f"{refusal} (a SQLite file of another application, application_id "
            f"{application_id:#010x}); {advice}"
        )
    return "ours" if application_id == APPLICATION_ID else "unmarked"


def _read_only_uri(path: str) -> str:
    mode = "ro" if Path(f"{path}-wal").exists() else "ro&immutable=1"
    return f"{Path(path).absolute().as_uri()}?mode={mode}"


async def _pragma(conn: aiosqlite.Connection, name: str) -> int:
    async with conn.execute(f"PRAGMA {name}") as cur:
        row = await cur.fetchone()
    return int(row[0]) if row else 0


async def _identity(conn: aiosqlite.Connection) -> Literal["new", "ours", "legacy"] | None:
    """Who made the open database: ours, legacy, new, or None (not ours).

    What an open database shows of its maker: ours (marked), legacy (a previous version's,
    before the mark: our tables exactly, with the schema row), new (nothing in it at all) or
    None (not ours).
    """
    application_id = await _pragma(conn, "application_id")
    if application_id == APPLICATION_ID:
        return "ours"  # (the mark may be in the -wal, not yet in the file's header)
    if application_id != 0:
        return None
    async with conn.execute("SELECT type, name FROM sqlite_master") as cur:
        objects = list(await cur.fetchall())
    if not objects:
        return "new" if await _pragma(conn, "user_version") == 0 else None
    tables = {name for kind, name in objects if kind == "table"}
    if tables != _LEGACY_TABLES:
        return None
    async with conn.execute("SELECT 1 FROM meta WHERE key = 'schema'") as cur:
        return "legacy" if await cur.fetchone() else None


def _make_folder(path: str) -> None:
    folder = Path(path).parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(
            f"cannot create the folder {folder} for the database {path} ({exc.strerror}); "
            "set DATABASE_PATH to a writable place"
        ) from exc


# SQLite's result codes for a database that cannot be used right now, as opposed to a bug in a
# statement: locks, a full or failing disk, unreachable or read-only files, damage.
_TROUBLE = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
    }
)


def _code(exc: BaseException) -> int:
    """SQLite's primary result code of ``exc`` (0 when it has none)."""
    return (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF


def _is_trouble(exc: sqlite3.Error) -> bool:
    return _code(exc) in _TROUBLE


def _is_corruption(exc: BaseException) -> bool:
    """Whether SQLite found the file damaged, as opposed to busy, full or unreachable."""
    return isinstance(exc, CorruptDatabaseError) or _code(exc) in (
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_NOTADB,
    )


def _explain(exc: sqlite3.Error, path: str, doing: str, waited: float) -> str:
    """One line: what failed on which file, SQLite's own words, and what to do about it."""
    code = _code(exc)
    cause = str(exc).replace("\n", " ")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        cause += f" after waiting {waited:g} s"
        advice = (
            "another process holds a lock on it; stop it (another talent-bot?) "
            "or set DATABASE_PATH to another file"
        )
    elif code == sqlite3.SQLITE_FULL:
        advice = "the disk is full; free some space, then reload or restart"
    elif code == sqlite3.SQLITE_IOERR:
        advice = "the disk may be full or failing; free some space or check it, then retry"
    elif code in (sqlite3.SQLITE_CANTOPEN, sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        advice = (
            "it or its folder cannot be written; set DATABASE_PATH to a writable place "
            "or fix the permissions"
        )
    elif code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB):
        advice = "the file is damaged; restart the bot to rebuild it from the knowledge files"
    else:
        advice = "see the log; the knowledge files are unaffected"
    return f"{doing} the database {path} failed ({cause}): {advice}"


def _delete_database(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            Path(path + suffix).unlink()


class Reader:
    """Queries inside one read transaction."""

    def __init__(self, conn: aiosqlite.Connection, cache: _VersionCache | None = None) -> None:
        self._conn = conn
        self._cache = cache
        self._version: tuple[str | None] | None = None  # one transaction sees one version

    async def _all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())  # type: ignore[arg-type]

    async def version(self) -> str | None:
        """The knowledge version this read transaction sees, or None if nothing is loaded."""
        if self._version is None:
            rows = await self._all("SELECT value FROM meta WHERE key = 'version'")
            self._version = (str(rows[0][0]) if rows else None,)
        return self._version[0]

    async def _memo(self, key: str, compute: Callable[[], Awaitable[Any]]) -> Any:
        """compute(), remembered for this knowledge version."""
        if self._cache is None:
            return await compute()
        cache = self._cache.at(await self.version())
        if key not in cache.values:
            cache.values[key] = await compute()
        return cache.values[key]

    async def manifest(self) -> Manifest:
        """The stored version, when it was loaded, and the digest of every article and fact."""
        head = await self.head()
        articles = dict(await self._all("SELECT id, sha256 FROM articles"))
        facts = dict(await self._all("SELECT id, digest FROM facts"))
        return Manifest(head.version, head.loaded_at, articles, facts)

    async def head(self) -> Manifest:
        """The stored version and when it was loaded; no digests."""
        meta = dict(await self._all("SELECT key, value FROM meta"))
        return Manifest(meta.get("version"), meta.get("loaded_at"), {}, {})

    async def entities(self) -> list[StoredEntity]:
        """Every person and company with aliases and mention counts (for the name index)."""
        pairs = await self._all("SELECT entity_id, alias FROM aliases")
        rows = await self._all(
            "SELECT id, kind, name, parent_id, description, mentions FROM entities ORDER BY id"
        )
        # Tens of thousands of objects: made off the event loop (see _decoded).
        return await _decoded(_entities_of, pairs, rows)

    async def all_roles(self) -> list[StoredRole]:
        """Every role of every person, current ones first (for hints beside names)."""
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM roles "
            "ORDER BY person_id, current DESC, seq"
        )
        return await _decoded(_roles_of, rows)

    async def first_roles(self) -> list[StoredRole]:
        """Each person's first role in all_roles() order (current first): the hint beside a name."""
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM ("
            "SELECT *, row_number() OVER "
            "(PARTITION BY person_id ORDER BY current DESC, seq) AS n FROM roles"
            ") WHERE n = 1"
        )
        return await _decoded(_roles_of, rows)

    async def roles(self, person_id: str) -> list[StoredRole]:
        """The person's roles, current ones first, then in the order they were stored."""
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM roles "
            "WHERE person_id = ? ORDER BY current DESC, seq",
            (person_id,),
        )
        return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    async def roles_at(self, company_id: str, limit: int | None = None) -> list[StoredRole]:
        """The roles held at the company, current ones first; at most ``limit`` if given."""
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM roles "
            "WHERE company_id = ? ORDER BY current DESC, seq LIMIT ?",
            (company_id, -1 if limit is None else limit),
        )
        return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    async def facts_about(
        self,
        entity_id: str,
        kinds: Iterable[str] = (),
        parts: Iterable[str] = (),
        limit: int | None = None,
        *,
        per_kind: bool = False,
    ) -> list[StoredFact]:
        """Facts that mention the entity, newest reported first.

        Facts that mention the entity (in the given parts), newest reported first; at most
        `limit` of them, or with `per_kind` at most `limit` of each kind (all kinds if none given).
        """
        kinds = list(kinds) or (list(_KINDS) if per_kind else [])
        groups = [[k] for k in kinds] if per_kind else [kinds]
        # Per group, ids from the covering index (reads `limit` entries even for an entity in
        # thousands of facts), then the rows of only the facts returned.
        selects, params = [], []
        for group in groups:
            where, where_params = _about(entity_id, group, parts)
            selects.append(
                "SELECT * FROM (SELECT DISTINCT fe.fact_seq AS seq, fe.reported_on AS day, "  # noqa: S608
                f"fe.fact_id AS id FROM fact_entities fe WHERE {where} "
                "ORDER BY fe.reported_on DESC, fe.fact_seq LIMIT ?)"
            )
            params += [*where_params, -1 if limit is None else limit]
        rows = await self._all(
            "SELECT f.id, f.kind, f.article_id, f.data, f.reported_on FROM ("  # noqa: S608
            f"{' UNION ALL '.join(selects)}"
            ") AS hit JOIN facts f ON f.id = hit.id ORDER BY hit.day DESC, hit.seq",
            params,
        )
        return [_fact(r) for r in rows]

    async def count_facts_about(
        self, entity_id: str, kinds: Iterable[str] = (), parts: Iterable[str] = ()
    ) -> int:
        """How many facts facts_about() would return, without reading them.

        Remembered per knowledge version: counting a big employer's thousands of links costs
        a millisecond or more, and the same names are asked about again and again.
        """
        where, params = _about(entity_id, kinds, parts)

        async def count() -> int:
            rows = await self._all(
                f"SELECT count(DISTINCT fe.fact_seq) FROM fact_entities fe WHERE {where}",  # noqa: S608
                params,
            )
            return int(rows[0][0])

        return int(await self._memo(f"count:{where}:{params}", count))

    async def moves(
        self, direction: Literal["from", "to"], limit: int | None = None
    ) -> list[StoredFact]:
        """Moves with a 'from' (departures) or a 'to' (arrivals), newest reported first."""
        rows = await self._all(
            "SELECT id, kind, article_id, data, reported_on FROM facts WHERE kind = 'move' "
            "AND json_extract(data, ?) IS NOT NULL ORDER BY reported_on DESC, seq LIMIT ?",
            (f"$.{direction}", -1 if limit is None else limit),
        )
        return [_fact(r) for r in rows]

    async def count_moves(self, direction: Literal["from", "to"]) -> int:
        """How many moves moves() would return."""

        async def count() -> int:
            rows = await self._all(
                "SELECT count(*) FROM facts WHERE kind = 'move' AND json_extract(data, ?) IS NOT NULL",
                (f"$.{direction}",),
            )
            return int(rows[0][0])

        return int(await self._memo(f"moves-{direction}", count))

    async def count_subjects(self, kind: str) -> int:
        """How many distinct subjects the facts of one kind have (e.g. companies with figures)."""

        async def count() -> int:
            rows = await self._all(
                "SELECT count(DISTINCT entity_id) FROM fact_entities "
                "WHERE part = 'subject' AND kind = ?",
                (kind,),
            )
            return int(rows[0][0])

        return int(await self._memo(f"subjects-{kind}", count))

    async def facts_of_kind(self, kind: str, limit: int | None = None) -> list[StoredFact]:
        """Every fact of one kind, newest reported first."""
        rows = await self._all(
            "SELECT id, kind, article_id, data, reported_on FROM facts WHERE kind = ? "
            "ORDER BY reported_on DESC, seq LIMIT ?",
            (kind, -1 if limit is None else limit),
        )
        return [_fact(r) for r in rows]

    async def latest_facts(self, limit: int) -> list[StoredFact]:
        """The newest reported facts of every kind."""
        rows = await self._all(
            "SELECT id, kind, article_id, data, reported_on FROM facts "
            "ORDER BY reported_on DESC, seq LIMIT ?",
            (limit,),
        )
        return [_fact(r) for r in rows]

    async def ids_of_kind(self, kind: str, among: Sequence[str] | None = None) -> list[str]:
        """The ids of the facts of one kind (of ``among``, if given), newest reported first.

        Nothing is decoded: cheap on the event loop even for tens of thousands of facts.
        """
        sql = "SELECT id, reported_on, seq FROM facts WHERE kind = ?"
        if among is None:
            rows = await self._all(sql, (kind,))
        else:
            rows = []
            for start in range(0, len(among), _IDS_PER_QUERY):
                chunk = among[start : start + _IDS_PER_QUERY]
                marks = ",".join("?" * len(chunk))
                rows += await self._all(f"{sql} AND id IN ({marks})", (kind, *chunk))
        rows.sort(key=lambda r: (r[1], r[2]), reverse=True)
        return [r[0] for r in rows]

    async def facts_by_id(self, ids: Sequence[str]) -> list[StoredFact]:
        """These facts, in the order given (unknown ids are skipped)."""
        if not ids:
            return []
        rows = await self._all(
            "SELECT id, kind, article_id, data, reported_on FROM facts "  # noqa: S608
            f"WHERE id IN ({','.join('?' * len(ids))})",
            list(ids),
        )
        found = {r[0]: _fact(r) for r in rows}
        return [found[i] for i in ids if i in found]

    async def linked_facts(self) -> list[StoredFact]:
        """The facts of every story, oldest reported first.

        That is each fact that updates, corrects or retracts another, and every fact it leads back to.
        """

        async def linked() -> list[StoredFact]:
            # UNION (not UNION ALL) visits each fact once, so even a loop would end.
            rows = await self._all(
                "WITH RECURSIVE story(id) AS ("  # noqa: S608
                f"SELECT id FROM facts WHERE {_LINK} IS NOT NULL "
                f"UNION SELECT {_LINK.replace('data', 'f.data')} FROM facts f "
                "JOIN story s ON f.id = s.id) "
                "SELECT f.id, f.kind, f.article_id, f.data, f.reported_on FROM facts f "
                "JOIN story s ON f.id = s.id ORDER BY f.reported_on, f.seq"
            )
            return [_fact(r) for r in rows]

        return list(await self._memo("linked", linked))

    async def count_facts(self, kind: str) -> int:
        """How many facts of this kind the version holds (remembered per version)."""

        async def count() -> int:
            rows = await self._all("SELECT count(*) FROM facts WHERE kind = ?", (kind,))
            return int(rows[0][0])

        return int(await self._memo(f"count-{kind}", count))

    async def move_tally(self) -> list[tuple[str, int, int]]:
        """(company id, departures, arrivals) for every company with a move."""

        async def tally() -> list[tuple[str, int, int]]:
            rows = await self._all(
                "SELECT fe.entity_id, sum(fe.part = 'from'), sum(fe.part = 'to') FROM fact_entities fe "
                "WHERE fe.kind = 'move' AND fe.part IN ('from', 'to') "
                "GROUP BY fe.entity_id ORDER BY sum(fe.part = 'from') + sum(fe.part = 'to') DESC, fe.entity_id"
            )
            return [(r[0], int(r[1]), int(r[2])) for r in rows]

        return list(await self._memo("move-tally", tally))

    async def articles(self, ids: Iterable[str] | None = None) -> dict[str, StoredArticle]:
        """Articles (all, or the given ids) with how many facts each holds, newest first."""
        if self._cache is None:
            return await self._articles(ids)
        cache = self._cache.at(await self.version())
        if cache.articles is None:
            cache.articles = await self._articles(None)
        every = cache.articles
        if ids is None:
            return dict(every)
        return _newest_first({i: every[i] for i in set(ids) if i in every})

    async def family(self, company_id: str) -> tuple[str | None, list[str]]:
        """A company's parent id (if any) and the ids of the companies whose parent it is."""
        parent = await self._all("SELECT parent_id FROM entities WHERE id = ?", (company_id,))
        children = await self._all(
            "SELECT id FROM entities WHERE parent_id = ? ORDER BY id", (company_id,)
        )
        return (parent[0][0] if parent else None), [r[0] for r in children]

    async def _articles(self, ids: Iterable[str] | None) -> dict[str, StoredArticle]:
        sql = (
            "SELECT a.id, a.file, a.data, (SELECT count(*) FROM facts f WHERE f.article_id = a.id) "
            "FROM articles a"
        )
        params: list[object] = []
        if ids is not None:
            wanted = sorted(set(ids))
            if not wanted:
                return {}
            sql += f" WHERE a.id IN ({','.join('?' * len(wanted))})"
            params = list(wanted)
        return await _decoded(_articles_of, await self._all(sql, params))


_RELEASE_SLICE = 2_000


async def _decoded(decode: Callable[..., _T], *rows: list[tuple[Any, ...]]) -> _T:
    """decode(*rows), off the event loop when there are many rows.

    decode(*rows), in a thread when there are many rows: building 10,000 validated models
    on the event loop would stall every interaction for a quarter of a second.
    """
    if sum(len(r) for r in rows) < _DECODE_INLINE_ROWS:
        return decode(*rows)
    return await asyncio.to_thread(_decode_and_release, decode, *rows)


def _decode_and_release(decode: Callable[..., _T], *rows: list[tuple[Any, ...]]) -> _T:
    decoded = decode(*rows)
    release(*rows)  # else the caller frees them on the event loop
    return decoded


def release(*lists: list[Any]) -> None:
    """Empty each list a slice at a time (in a thread, of lists no one else will read).

    The last reference to a list of 35,000 rows or records, dropped at once, frees them all in
    one C-level cascade holding the GIL (5 ms at 10,000 articles, ten times that at 100,000),
    and on the event loop when the loop drops it: slices let the loop in between.
    """
    for items in lists:
        while items:
            del items[-_RELEASE_SLICE:]


def _entities_of(pairs: list[tuple[Any, ...]], rows: list[tuple[Any, ...]]) -> list[StoredEntity]:
    aliases: dict[str, list[str]] = {}
    for entity_id, alias in pairs:
        aliases.setdefault(entity_id, []).append(alias)
    return [
        StoredEntity(r[0], r[1], r[2], tuple(aliases.get(r[0], ())), r[3], r[4], r[5]) for r in rows
    ]


def _articles_of(rows: list[tuple[Any, ...]]) -> dict[str, StoredArticle]:
    shared: dict[str, Any] = {"field_sets": {}}  # the articles decoded together share fields-sets
    found = {
        r[0]: StoredArticle(Article.model_validate_json(r[2], context=shared), r[1], int(r[3]))
        for r in rows
    }
    return _newest_first(found)


def _newest_first(found: dict[str, StoredArticle]) -> dict[str, StoredArticle]:
    """The articles by publication date then id, newest first, sorted one month at a time.

    One sort of 100,000 articles' keys is one C call holding the GIL (75 ms; 3 ms at 10,000),
    a stall of the event loop even in a thread. A date's first seven characters order as the
    whole date does (a shorter date sorts before its extensions), so the months' sorts, joined
    newest month first, are the one sort; ids are unique, so no two keys tie.
    """
    months: dict[str, list[tuple[tuple[str, str], StoredArticle]]] = {}
    for article_id, stored in found.items():
        published = stored.article.published
        months.setdefault(published[:7], []).append(((published, article_id), stored))
    ordered: dict[str, StoredArticle] = {}
    for month in sorted(months, reverse=True):
        for (_, article_id), stored in sorted(months[month], key=_by_key, reverse=True):
            ordered[article_id] = stored
    return ordered


def _by_key(entry: tuple[tuple[str, str], StoredArticle]) -> tuple[str, str]:
    return entry[0]


def _roles_of(rows: list[tuple[Any, ...]]) -> list[StoredRole]:
    return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]


def _about(entity_id: str, kinds: Iterable[str], parts: Iterable[str]) -> tuple[str, list[object]]:
    kinds, parts = list(kinds), list(parts)
    where = ["fe.entity_id = ?"]
    params: list[object] = [entity_id]
    if parts:
        where.append(f"fe.part IN ({','.join('?' * len(parts))})")
        params += parts
    if kinds:
        where.append(f"fe.kind IN ({','.join('?' * len(kinds))})")
        params += kinds
    return " AND ".join(where), params


# The earlier fact a fact updates, corrects or retracts (at most one is set).
_LINK = "coalesce(" + ", ".join(f"json_extract(data, '$.{how}')" for how in LINKS) + ")"
_BRIEF = {"compact": False}  # facts read back live for one answer: no memory compaction
_FACT_ADAPTERS: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(m) for k, m in BY_KIND.items()}


def _fact(row: tuple[Any, ...]) -> StoredFact:
    kind = row[1]
    return StoredFact(kind, row[2], _FACT_ADAPTERS[kind].validate_json(row[3], context=_BRIEF))


# Facts are written this many files at a time, so the rows of 60,000 facts (their JSON) are never
# all in memory at once.
_CHUNK_FILES = 500
Statements = list[tuple[str, Sequence[Sequence[object]]]]


# Per entity id: its row (id, kind, name, parent, description), its aliases and its role rows.
_EntityRows = dict[
    str,
    tuple[
        tuple[str, str, str, str | None, str | None],
        tuple[str, ...],
        list[tuple[str, str, str | None, int, str, str]],
    ],
]
_MAX_PARAMS = 900  # ids per IN (...) list, under SQLite's oldest limit of 999 parameters


def _entity_rows(kb: KnowledgeBase, only: set[str] | None = None) -> _EntityRows:
    """The rows of every person and company (or of those in ``only``), aliases and roles.

    Mention counts are left out: replace() counts them in SQL once every fact is in. A role's
    seq is where its person is first declared (file, place in the file) and its place among the
    person's roles, so rewriting some people's roles keeps the order of a full rebuild.
    """
    file_of = {f.summary.article_id: f for f in kb.files}
    wanted = (
        kb.entities.values()
        if only is None
        else [kb.entities[i] for i in sorted(only) if i in kb.entities]
    )
    rows: _EntityRows = {}
    for e in wanted:
        roles: list[tuple[str, str, str | None, int, str, str]] = []
        if e.roles:
            first = file_of.get(e.articles[0])
            name, place = "", 0
            if first is not None:
                name = first.name
                place = next((d.position for d in first.summary.declarations if d.id == e.id), 0)
            prefix = f"{name}\x01{place:06d}\x01"
            roles = [
                (e.id, role.title, role.company, int(role.current), article, f"{prefix}{j:04d}")
                for j, (role, article) in enumerate(e.roles)
            ]
        rows[e.id] = ((e.id, e.kind, e.name, e.parent, e.description), e.aliases, roles)
    return rows


def _file_rows(files: Iterable[LoadedFile]) -> Statements:
    """Rows of these files' articles, facts and fact-entity links."""
    articles: list[tuple[str, str, str, str, str]] = []
    facts: list[tuple[str, str, str, str, str, str, str]] = []
    links: set[tuple[str, str, str, str, str, str]] = set()  # in fact_entities column order
    for loaded in files:
        content = loaded.content
        article_id = content.article.id
        articles.append(
            (
                article_id,
                loaded.name,
                loaded.sha256,
                content.article.model_dump_json(),
                loaded.summary.to_json(),
            )
        )
        # Sorts as the files do: "\x01" is below every character a file name can hold.
        prefix = loaded.name + "\x01"
        for position, fact in enumerate(content.all_facts()):
            kind = fact.KIND
            data = fact.model_dump_json(by_alias=True, exclude_none=True)
            digest = hashlib.sha1(data.encode(), usedforsecurity=False).hexdigest()
            seq = f"{prefix}{position:06d}"
            facts.append((fact.id, article_id, kind, fact.reported_on, digest, data, seq))
            for part, entity_id in fact.mentioned():
                links.add((entity_id, kind, fact.reported_on, seq, part, fact.id))
    return [
        ("INSERT INTO articles VALUES (?, ?, ?, ?, ?)", articles),
        ("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)", facts),
        ("INSERT INTO fact_entities VALUES (?, ?, ?, ?, ?, ?)", sorted(links)),
    ]
