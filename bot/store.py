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
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aiosqlite
from pydantic import TypeAdapter

from bot.knowledge.loader import KnowledgeBase, LoadedFile
from bot.knowledge.schema import Article, Fact, Figure, Move, Sourced, Statement

log = logging.getLogger(__name__)

SCHEMA_VERSION = "9"
FactKind = Literal["move", "figure", "statement", "fact"]
_KINDS: tuple[FactKind, ...] = ("move", "figure", "statement", "fact")
_MODELS: dict[str, type[Sourced]] = {
    "move": Move,
    "figure": Figure,
    "statement": Statement,
    "fact": Fact,
}

_TABLES = ("fact_entities", "facts", "roles", "aliases", "entities", "articles")
_ENTITY_TABLES = ("roles", "aliases", "entities")  # always rewritten whole
# A reload that changes at most this share of the articles rewrites only their facts; beyond it
# (first load, schema change, mass edit) emptying and refilling every table is faster.
INCREMENTAL_SHARE = 0.2
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY, file TEXT NOT NULL, sha256 TEXT NOT NULL, data TEXT NOT NULL
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
    article_id TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX IF NOT EXISTS roles_person ON roles (person_id, current DESC);
CREATE INDEX IF NOT EXISTS roles_company ON roles (company_id, current DESC);
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL CHECK (kind IN ('move', 'figure', 'statement', 'fact')),
    reported_on TEXT NOT NULL,
    digest TEXT NOT NULL,
    data TEXT NOT NULL,
    -- Ties on reported_on go in file order, then order within the file; unlike rowids, this
    -- key does not depend on which files a reload rewrote.
    seq TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_kind ON facts (kind, reported_on);
CREATE INDEX IF NOT EXISTS facts_article ON facts (article_id);
-- Which entities a fact mentions and how (person, from, to, subject, speaker, ...):
-- every per-entity question is one range scan here. The fact's kind, date and seq are repeated
-- and lead the key, so "the newest 50 of a big employer's 6,000 facts" reads 50 entries.
CREATE TABLE IF NOT EXISTS fact_entities (
    entity_id TEXT NOT NULL REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL,
    reported_on TEXT NOT NULL,
    fact_seq TEXT NOT NULL,
    role TEXT NOT NULL,
    fact_id TEXT NOT NULL REFERENCES facts(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (entity_id, kind, reported_on DESC, fact_seq, role)
) WITHOUT ROWID;
"""


@dataclass(frozen=True)
class StoredFact:
    """A fact as read back: its kind, its article and the validated model."""

    kind: FactKind
    article_id: str
    fact: Sourced


@dataclass(frozen=True)
class StoredEntity:
    id: str
    kind: Literal["person", "company"]
    name: str
    aliases: tuple[str, ...]
    parent_id: str | None
    description: str | None
    mentions: int


@dataclass(frozen=True)
class StoredRole:
    person_id: str
    title: str
    company_id: str | None
    current: bool
    article_id: str


@dataclass(frozen=True)
class StoredArticle:
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


class _VersionCache:
    """What is the same for every read of one knowledge version, computed once: every article
    decoded (citations and /sources read them on every answer; decoding 10,000 per call would
    dominate their latency) and aggregates over all facts (counts, the move tally)."""

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


class CorruptDatabase(Exception):
    """The database file exists but SQLite cannot use it."""


class Store:
    """Owns the SQLite connections; every query of the bot is a method here or on Reader."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._writer: aiosqlite.Connection | None = None
        self._reader: aiosqlite.Connection | None = None
        self._read_lock = asyncio.Lock()
        self._write_lock = asyncio.Lock()
        self._cache = _VersionCache()

    @property
    def in_memory(self) -> bool:
        return self.path == ":memory:"

    async def open(self) -> None:
        """Connect, rebuilding the file from scratch if it is corrupt (it is derived data)."""
        try:
            await self._connect()
        except (sqlite3.DatabaseError, CorruptDatabase) as exc:
            await self.close()
            log.warning(
                "database %s is unusable (%s); rebuilding it from the knowledge files",
                self.path,
                exc,
            )
            await asyncio.to_thread(_delete_database, self.path)
            await self._connect()

    async def _connect(self) -> None:
        if not self.in_memory:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._writer = await aiosqlite.connect(self.path, isolation_level=None)
        await self._writer.executescript(
            "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;"
            "PRAGMA busy_timeout = 5000;"
        )
        async with self._writer.execute("PRAGMA quick_check") as cur:
            row = await cur.fetchone()
        if row is None or row[0] != "ok":
            raise CorruptDatabase(row[0] if row else "quick_check returned nothing")
        await self._migrate(self._writer)
        if self.in_memory:
            self._reader = self._writer
        else:
            self._reader = await aiosqlite.connect(self.path, isolation_level=None)
            await self._reader.executescript(
                "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA query_only = ON;"
            )

    async def _migrate(self, conn: aiosqlite.Connection) -> None:
        # The database is derived from the files, so a schema change just starts it afresh.
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"
        )
        async with conn.execute("SELECT value FROM meta WHERE key = 'schema'") as cur:
            row = await cur.fetchone()
        if row is None or row[0] != SCHEMA_VERSION:
            drops = "".join(f"DROP TABLE IF EXISTS {t};" for t in _TABLES)
            await conn.executescript(
                f"PRAGMA foreign_keys = OFF; BEGIN; {drops} DELETE FROM meta; {_SCHEMA}"  # noqa: S608
                f"INSERT INTO meta VALUES ('schema', '{SCHEMA_VERSION}'); COMMIT;"
                "PRAGMA foreign_keys = ON;"
            )

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
        """Swap the whole content for ``kb`` in one transaction; on failure the old stays.

        Facts of articles whose file is byte-identical to the stored one are kept as they are
        (a /reload after a one-file edit writes that file's facts only); people, companies and
        mention counts are always rewritten, since any file may add to them.
        """
        conn = self._writer
        if conn is None:
            raise RuntimeError("the store is not open")
        loaded_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        async with self._write_lock:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                async with conn.execute("SELECT id, file, sha256 FROM articles") as cur:
                    stored = {r[0]: (r[1], r[2]) for r in await cur.fetchall()}
                fresh = [
                    f for f in kb.files if stored.get(f.content.article.id) != (f.name, f.sha256)
                ]
                kept = {f.content.article.id for f in kb.files} - {
                    f.content.article.id for f in fresh
                }
                stale = stored.keys() - kept  # removed or changed
                incremental = len(fresh) + len(stale) <= INCREMENTAL_SHARE * max(len(stored), 1)
                # Parents before children: while any deferred foreign key is unresolved, SQLite
                # searches for orphans on every insert, and most of those searches are scans.
                if incremental:
                    for table in _ENTITY_TABLES:
                        await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                    await _delete_articles(conn, sorted(stale))
                else:
                    fresh = list(kb.files)
                    for table in _TABLES:
                        await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                entities, aliases, roles = _entity_rows(kb)
                await conn.executemany(*entities)
                await conn.executemany(*aliases)
                for first in range(0, len(fresh), _CHUNK_FILES):
                    for sql, params in _file_rows(fresh[first : first + _CHUNK_FILES]):
                        await conn.executemany(sql, params)
                await conn.executemany(*roles)
                await conn.execute(
                    "UPDATE entities SET mentions = "
                    "(SELECT count(*) FROM fact_entities fe WHERE fe.entity_id = entities.id)"
                )
                await conn.executemany(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [("version", kb.version), ("loaded_at", loaded_at)],
                )
                async with conn.execute("SELECT id, sha256 FROM articles") as cur:
                    article_digests = {r[0]: r[1] for r in await cur.fetchall()}
                async with conn.execute("SELECT id, digest FROM facts") as cur:
                    fact_digests = {r[0]: r[1] for r in await cur.fetchall()}
                await conn.execute("COMMIT")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
        if not self.in_memory:
            # Keep the WAL file from growing without bound across many reloads.
            await conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return Manifest(kb.version, loaded_at, article_digests, fact_digests)

    async def manifest(self) -> Manifest:
        """The version, load time and per-article and per-fact digests now stored."""
        async with self.reading() as r:
            return await r.manifest()


async def _delete_articles(conn: aiosqlite.Connection, ids: list[str]) -> None:
    """Remove these articles and their facts (inside the caller's transaction)."""
    if not ids:
        return
    marks = ",".join("?" * len(ids))
    await conn.execute(
        f"DELETE FROM fact_entities WHERE fact_id IN (SELECT id FROM facts WHERE article_id IN ({marks}))",  # noqa: S608
        ids,
    )
    await conn.execute(f"DELETE FROM facts WHERE article_id IN ({marks})", ids)  # noqa: S608
    await conn.execute(f"DELETE FROM articles WHERE id IN ({marks})", ids)  # noqa: S608


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
        meta = dict(await self._all("SELECT key, value FROM meta"))
        articles = dict(await self._all("SELECT id, sha256 FROM articles"))
        facts = dict(await self._all("SELECT id, digest FROM facts"))
        return Manifest(meta.get("version"), meta.get("loaded_at"), articles, facts)

    async def entities(self) -> list[StoredEntity]:
        """Every person and company with aliases and mention counts (for the name index)."""
        aliases: dict[str, list[str]] = {}
        for entity_id, alias in await self._all("SELECT entity_id, alias FROM aliases"):
            aliases.setdefault(entity_id, []).append(alias)
        rows = await self._all(
            "SELECT id, kind, name, parent_id, description, mentions FROM entities ORDER BY id"
        )
        return [
            StoredEntity(r[0], r[1], r[2], tuple(aliases.get(r[0], ())), r[3], r[4], r[5])
            for r in rows
        ]

    async def all_roles(self) -> list[StoredRole]:
        """Every role of every person, current ones first (for hints beside names)."""
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM roles "
            "ORDER BY person_id, current DESC, rowid"
        )
        return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    async def first_roles(self) -> list[StoredRole]:
        """Each person's first role in all_roles() order (current first): the hint beside a name."""
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM ("
            "SELECT *, row_number() OVER "
            "(PARTITION BY person_id ORDER BY current DESC, rowid) AS n FROM roles"
            ") WHERE n = 1"
        )
        return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    async def roles(self, person_id: str) -> list[StoredRole]:
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM roles "
            "WHERE person_id = ? ORDER BY current DESC, rowid",
            (person_id,),
        )
        return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    async def roles_at(self, company_id: str, limit: int | None = None) -> list[StoredRole]:
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM roles "
            "WHERE company_id = ? ORDER BY current DESC, rowid LIMIT ?",
            (company_id, -1 if limit is None else limit),
        )
        return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    async def facts_about(
        self,
        entity_id: str,
        kinds: Iterable[FactKind] = (),
        roles: Iterable[str] = (),
        limit: int | None = None,
        *,
        per_kind: bool = False,
    ) -> list[StoredFact]:
        """Facts that mention the entity (in the given roles), newest reported first; at most
        `limit` of them, or with `per_kind` at most `limit` of each kind (all kinds if none given)."""
        kinds = list(kinds) or (list(_KINDS) if per_kind else [])
        groups = [[k] for k in kinds] if per_kind else [kinds]
        # Per group, ids from the covering index (reads `limit` entries even for an entity in
        # thousands of facts), then the rows of only the facts returned.
        selects, params = [], []
        for group in groups:
            where, where_params = _about(entity_id, group, roles)
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
        self, entity_id: str, kinds: Iterable[FactKind] = (), roles: Iterable[str] = ()
    ) -> int:
        """How many facts facts_about() would return, without reading them.

        Remembered per knowledge version: counting a big employer's thousands of links costs
        a millisecond or more, and the same names are asked about again and again.
        """
        where, params = _about(entity_id, kinds, roles)

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

    async def count_subjects(self, kind: FactKind) -> int:
        """How many distinct subjects the facts of one kind have (e.g. companies with figures)."""

        async def count() -> int:
            rows = await self._all(
                "SELECT count(DISTINCT entity_id) FROM fact_entities "
                "WHERE role = 'subject' AND kind = ?",
                (kind,),
            )
            return int(rows[0][0])

        return int(await self._memo(f"subjects-{kind}", count))

    async def facts_of_kind(self, kind: FactKind, limit: int | None = None) -> list[StoredFact]:
        """Every fact of one kind, newest reported first."""
        rows = await self._all(
            "SELECT id, kind, article_id, data, reported_on FROM facts WHERE kind = ? "
            "ORDER BY reported_on DESC, seq LIMIT ?",
            (kind, -1 if limit is None else limit),
        )
        return [_fact(r) for r in rows]

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

    async def count_facts(self, kind: FactKind) -> int:
        async def count() -> int:
            rows = await self._all("SELECT count(*) FROM facts WHERE kind = ?", (kind,))
            return int(rows[0][0])

        return int(await self._memo(f"count-{kind}", count))

    async def move_tally(self) -> list[tuple[str, int, int]]:
        """(company id, departures, arrivals) for every company with a move."""

        async def tally() -> list[tuple[str, int, int]]:
            rows = await self._all(
                "SELECT fe.entity_id, sum(fe.role = 'from'), sum(fe.role = 'to') FROM fact_entities fe "
                "WHERE fe.kind = 'move' AND fe.role IN ('from', 'to') "
                "GROUP BY fe.entity_id ORDER BY sum(fe.role = 'from') + sum(fe.role = 'to') DESC, fe.entity_id"
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
        found = {i: every[i] for i in set(ids) if i in every}
        return dict(
            sorted(found.items(), key=lambda kv: (kv[1].article.published, kv[0]), reverse=True)
        )

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
        rows = await self._all(sql, params)
        found = {
            r[0]: StoredArticle(Article.model_validate_json(r[2]), r[1], int(r[3])) for r in rows
        }
        return dict(
            sorted(found.items(), key=lambda kv: (kv[1].article.published, kv[0]), reverse=True)
        )


def _about(
    entity_id: str, kinds: Iterable[FactKind], roles: Iterable[str]
) -> tuple[str, list[object]]:
    kinds, roles = list(kinds), list(roles)
    where = ["fe.entity_id = ?"]
    params: list[object] = [entity_id]
    if roles:
        where.append(f"fe.role IN ({','.join('?' * len(roles))})")
        params += roles
    if kinds:
        where.append(f"fe.kind IN ({','.join('?' * len(kinds))})")
        params += kinds
    return " AND ".join(where), params


_BRIEF = {"compact": False}  # facts read back live for one answer: no memory compaction
_FACT_ADAPTERS: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(m) for k, m in _MODELS.items()}


def _fact(row: tuple[Any, ...]) -> StoredFact:
    kind = row[1]
    return StoredFact(kind, row[2], _FACT_ADAPTERS[kind].validate_json(row[3], context=_BRIEF))


# Facts are written this many files at a time, so the rows of 60,000 facts (their JSON) are never
# all in memory at once.
_CHUNK_FILES = 500
Statements = list[tuple[str, Sequence[Sequence[object]]]]


def _entity_rows(kb: KnowledgeBase) -> Statements:
    """Rows of every person and company, their aliases and their roles, in that order.

    Mention counts are left at 0: replace() counts them in SQL once every fact is in."""
    entities: list[tuple[str, str, str, str | None, str | None, int]] = []
    aliases: list[tuple[str, str]] = []
    roles: list[tuple[str, str, str | None, int, str]] = []
    for e in kb.entities.values():
        entities.append((e.id, e.kind, e.name, e.parent, e.description, 0))
        aliases.extend((e.id, alias) for alias in e.aliases)
        roles.extend(
            (e.id, role.title, role.company, int(role.current), article)
            for role, article in e.roles
        )
    return [
        ("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)", entities),
        ("INSERT INTO aliases VALUES (?, ?)", aliases),
        ("INSERT INTO roles VALUES (?, ?, ?, ?, ?)", roles),
    ]


def _file_rows(files: Iterable[LoadedFile]) -> Statements:
    """Rows of these files' articles, facts and fact-entity links."""
    articles: list[tuple[str, str, str, str]] = []
    facts: list[tuple[str, str, str, str, str, str, str]] = []
    links: set[tuple[str, str, str, str, str, str]] = set()  # in fact_entities column order
    for loaded in files:
        content = loaded.content
        article_id = content.article.id
        articles.append((article_id, loaded.name, loaded.sha256, content.article.model_dump_json()))
        # Sorts as the files do: "\x01" is below every character a file name can hold.
        prefix = loaded.name + "\x01"
        for position, (kind, fact) in enumerate(_facts_of(content)):
            data = fact.model_dump_json(by_alias=True, exclude_none=True)
            digest = hashlib.sha1(data.encode(), usedforsecurity=False).hexdigest()
            seq = f"{prefix}{position:06d}"
            facts.append((fact.id, article_id, kind, fact.reported_on, digest, data, seq))
            for role, entity_id in mentioned(fact):
                links.add((entity_id, kind, fact.reported_on, seq, role, fact.id))
    return [
        ("INSERT INTO articles VALUES (?, ?, ?, ?)", articles),
        ("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?)", facts),
        ("INSERT INTO fact_entities VALUES (?, ?, ?, ?, ?, ?)", sorted(links)),
    ]


def _facts_of(content: Any) -> Iterable[tuple[FactKind, Sourced]]:
    for kind, section in (
        ("move", "moves"),
        ("figure", "figures"),
        ("statement", "statements"),
        ("fact", "facts"),
    ):
        for fact in getattr(content, section):
            yield kind, fact  # type: ignore[misc]


def mentioned(fact: Sourced) -> list[tuple[str, str]]:
    """(role, entity id) pairs for every entity a fact names; the index behind per-entity queries."""
    out: list[tuple[str, str]] = []
    if isinstance(fact, Move):
        for role, ref in (
            ("person", fact.person),
            ("from", fact.from_company),
            ("to", fact.to_company),
            ("successor", fact.successor),
        ):
            if ref is not None and ref != "undisclosed":
                out.append((role, ref))
    elif isinstance(fact, Figure):
        out.append(("subject", fact.subject))
        if fact.according_to:
            out.append(("source", fact.according_to))
        out += [("about", ref) for ref in fact.about]
    elif isinstance(fact, Statement):
        out.append(("speaker", fact.speaker))
        out += [("about", ref) for ref in fact.about]
    elif isinstance(fact, Fact):
        out += [("subject", ref) for ref in fact.subjects]
        if fact.company:
            out.append(("company", fact.company))
        out += [("related", ref) for ref in fact.related]
    return out
