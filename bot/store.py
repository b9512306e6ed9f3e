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
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import aiosqlite
from pydantic import TypeAdapter

from bot.knowledge.loader import KnowledgeBase
from bot.knowledge.schema import Article, Fact, Figure, Move, Sourced, Statement

log = logging.getLogger(__name__)

SCHEMA_VERSION = "3"
FactKind = Literal["move", "figure", "statement", "fact"]
_MODELS: dict[str, type[Sourced]] = {
    "move": Move,
    "figure": Figure,
    "statement": Statement,
    "fact": Fact,
}

_TABLES = ("fact_entities", "facts", "roles", "aliases", "entities", "articles")
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
CREATE INDEX IF NOT EXISTS roles_person ON roles (person_id);
CREATE TABLE IF NOT EXISTS facts (
    id TEXT PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL CHECK (kind IN ('move', 'figure', 'statement', 'fact')),
    reported_on TEXT NOT NULL,
    digest TEXT NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_kind ON facts (kind, reported_on);
CREATE INDEX IF NOT EXISTS facts_article ON facts (article_id);
-- Which entities a fact mentions and how (person, from, to, subject, speaker, ...):
-- every per-entity question is one index range scan here.
CREATE TABLE IF NOT EXISTS fact_entities (
    entity_id TEXT NOT NULL REFERENCES entities(id) DEFERRABLE INITIALLY DEFERRED,
    role TEXT NOT NULL,
    fact_id TEXT NOT NULL REFERENCES facts(id) DEFERRABLE INITIALLY DEFERRED,
    PRIMARY KEY (entity_id, role, fact_id)
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
                    yield Reader(conn)
                finally:
                    await conn.execute("COMMIT")
            finally:
                if self.in_memory:
                    self._write_lock.release()

    async def replace(self, kb: KnowledgeBase) -> Manifest:
        """Swap the whole content for ``kb`` in one transaction; on failure the old stays."""
        conn = self._writer
        if conn is None:
            raise RuntimeError("the store is not open")
        rows = _rows(kb)
        loaded_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        async with self._write_lock:
            await conn.execute("BEGIN IMMEDIATE")
            try:
                for table in _TABLES:
                    await conn.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed names
                for sql, params in rows.statements():
                    await conn.executemany(sql, params)
                await conn.executemany(
                    "INSERT OR REPLACE INTO meta VALUES (?, ?)",
                    [("version", kb.version), ("loaded_at", loaded_at)],
                )
                await conn.execute("COMMIT")
            except BaseException:
                await conn.execute("ROLLBACK")
                raise
        if not self.in_memory:
            # Keep the WAL file from growing without bound across many reloads.
            await conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return Manifest(kb.version, loaded_at, rows.article_digests, rows.fact_digests)

    async def manifest(self) -> Manifest:
        """The version, load time and per-article and per-fact digests now stored."""
        async with self.reading() as r:
            return await r.manifest()


def _delete_database(path: str) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with suppress(FileNotFoundError):
            Path(path + suffix).unlink()


class Reader:
    """Queries inside one read transaction."""

    def __init__(self, conn: aiosqlite.Connection) -> None:
        self._conn = conn

    async def _all(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        async with self._conn.execute(sql, params) as cur:
            return list(await cur.fetchall())  # type: ignore[arg-type]

    async def version(self) -> str | None:
        rows = await self._all("SELECT value FROM meta WHERE key = 'version'")
        return str(rows[0][0]) if rows else None

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

    async def roles(self, person_id: str) -> list[StoredRole]:
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM roles "
            "WHERE person_id = ? ORDER BY current DESC, rowid",
            (person_id,),
        )
        return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    async def roles_at(self, company_id: str) -> list[StoredRole]:
        rows = await self._all(
            "SELECT person_id, title, company_id, current, article_id FROM roles "
            "WHERE company_id = ? ORDER BY current DESC, rowid",
            (company_id,),
        )
        return [StoredRole(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows]

    async def facts_about(
        self,
        entity_id: str,
        kinds: Iterable[FactKind] = (),
        roles: Iterable[str] = (),
    ) -> list[StoredFact]:
        """Facts that mention the entity (in the given roles), newest reported first."""
        kinds, roles = list(kinds), list(roles)
        where = ["fe.entity_id = ?"]
        params: list[object] = [entity_id]
        if roles:
            where.append(f"fe.role IN ({','.join('?' * len(roles))})")
            params += roles
        if kinds:
            where.append(f"f.kind IN ({','.join('?' * len(kinds))})")
            params += kinds
        rows = await self._all(
            "SELECT DISTINCT f.id, f.kind, f.article_id, f.data, f.reported_on FROM fact_entities fe "  # noqa: S608
            f"JOIN facts f ON f.id = fe.fact_id WHERE {' AND '.join(where)} "
            "ORDER BY f.reported_on DESC, f.rowid",
            params,
        )
        return [_fact(r) for r in rows]

    async def facts_of_kind(self, kind: FactKind, limit: int | None = None) -> list[StoredFact]:
        """Every fact of one kind, newest reported first."""
        rows = await self._all(
            "SELECT id, kind, article_id, data, reported_on FROM facts WHERE kind = ? "
            "ORDER BY reported_on DESC, rowid LIMIT ?",
            (kind, -1 if limit is None else limit),
        )
        return [_fact(r) for r in rows]

    async def count_facts(self, kind: FactKind) -> int:
        rows = await self._all("SELECT count(*) FROM facts WHERE kind = ?", (kind,))
        return int(rows[0][0])

    async def move_tally(self) -> list[tuple[str, int, int]]:
        """(company id, departures, arrivals) for every company with a move."""
        rows = await self._all(
            "SELECT fe.entity_id, sum(fe.role = 'from'), sum(fe.role = 'to') FROM fact_entities fe "
            "JOIN facts f ON f.id = fe.fact_id WHERE f.kind = 'move' AND fe.role IN ('from', 'to') "
            "GROUP BY fe.entity_id ORDER BY sum(fe.role = 'from') + sum(fe.role = 'to') DESC, fe.entity_id"
        )
        return [(r[0], int(r[1]), int(r[2])) for r in rows]

    async def articles(self, ids: Iterable[str] | None = None) -> dict[str, StoredArticle]:
        """Articles (all, or the given ids) with how many facts each holds, newest first."""
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


_FACT_ADAPTERS: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(m) for k, m in _MODELS.items()}


def _fact(row: tuple[Any, ...]) -> StoredFact:
    kind = row[1]
    return StoredFact(kind, row[2], _FACT_ADAPTERS[kind].validate_json(row[3]))


class _Rows:
    """Every INSERT of one knowledge version, prepared before the transaction opens."""

    def __init__(self) -> None:
        self.articles: list[tuple[str, str, str, str]] = []
        self.entities: list[tuple[str, str, str, str | None, str | None, int]] = []
        self.aliases: list[tuple[str, str]] = []
        self.roles: list[tuple[str, str, str | None, int, str]] = []
        self.facts: list[tuple[str, str, str, str, str, str]] = []
        self.links: set[tuple[str, str, str]] = set()
        self.article_digests: dict[str, str] = {}
        self.fact_digests: dict[str, str] = {}

    def statements(self) -> list[tuple[str, Sequence[Sequence[object]]]]:
        return [
            ("INSERT INTO articles VALUES (?, ?, ?, ?)", self.articles),
            ("INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?)", self.entities),
            ("INSERT INTO aliases VALUES (?, ?)", self.aliases),
            ("INSERT INTO roles VALUES (?, ?, ?, ?, ?)", self.roles),
            ("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?)", self.facts),
            ("INSERT INTO fact_entities VALUES (?, ?, ?)", sorted(self.links)),
        ]


def _rows(kb: KnowledgeBase) -> _Rows:
    rows = _Rows()
    mentions: dict[str, int] = {}
    for loaded in kb.files:
        content = loaded.content
        article_id = content.article.id
        rows.articles.append(
            (article_id, loaded.name, loaded.sha256, content.article.model_dump_json())
        )
        rows.article_digests[article_id] = loaded.sha256
        for kind, fact in _facts_of(content):
            data = fact.model_dump_json(by_alias=True, exclude_none=True)
            digest = hashlib.sha1(data.encode(), usedforsecurity=False).hexdigest()
            rows.facts.append((fact.id, article_id, kind, fact.reported_on, digest, data))
            rows.fact_digests[fact.id] = digest
            for role, entity_id in mentioned(fact):
                rows.links.add((entity_id, role, fact.id))
    for entity_id, _, _ in rows.links:
        mentions[entity_id] = mentions.get(entity_id, 0) + 1
    for e in kb.entities.values():
        rows.entities.append((e.id, e.kind, e.name, e.parent, e.description, mentions.get(e.id, 0)))
        rows.aliases.extend((e.id, alias) for alias in e.aliases)
        rows.roles.extend(
            (e.id, role.title, role.company, int(role.current), article)
            for role, article in e.roles
        )
    return rows


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
