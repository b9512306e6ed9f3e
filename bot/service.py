"""The answer service: one knowledge version at a time, reloads that swap it whole, and queries.

Front ends (console, Discord) call this and nothing below it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from bot import answers
from bot import format as fmt
from bot.answers import MAX_ITEMS
from bot.ask import ask
from bot.knowledge.loader import (
    DEFAULT_MAX_FILE_BYTES,
    KnowledgeBase,
    KnowledgeError,
    directory_version,
    load_directory,
)
from bot.models import Answer, Item, Section
from bot.resolve import Choice, EntityRef, Kind, NameIndex
from bot.store import Manifest, Reader, Store

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Diff:
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @classmethod
    def between(cls, old: dict[str, str], new: dict[str, str]) -> Diff:
        return cls(
            added=sorted(new.keys() - old.keys()),
            removed=sorted(old.keys() - new.keys()),
            changed=sorted(k for k in old.keys() & new.keys() if old[k] != new[k]),
        )

    def __str__(self) -> str:
        return f"+{len(self.added)} -{len(self.removed)} ~{len(self.changed)}"


@dataclass(frozen=True)
class ReloadReport:
    """What a reload did: the errors that stopped it, or what changed and the new version."""

    ok: bool
    version: str | None
    previous_version: str | None
    errors: list[str] = field(default_factory=list)
    articles: Diff = field(default_factory=Diff)
    facts: Diff = field(default_factory=Diff)
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    unchanged: bool = False

    def to_answer(self) -> Answer:
        """The report as an answer: every error, or what changed."""
        if not self.ok:
            return Answer(
                command="reload",
                status="invalid",
                title="Reload refused: the knowledge files have errors",
                message=f"Still serving version {self.version}. Fix these and reload again:",
                sections=[
                    Section(
                        heading=f"{len(self.errors)} error(s)",
                        items=[Item(kind="note", text=e) for e in self.errors[:MAX_ITEMS]],
                    )
                ],
                tips=[f"… and {len(self.errors) - MAX_ITEMS} more"]
                if len(self.errors) > MAX_ITEMS
                else [],
            )
        counts = ", ".join(fmt.count(n, k) for k, n in self.counts.items())
        lines = [
            f"Articles: {len(self.articles.added)} added, {len(self.articles.removed)} removed, "
            f"{len(self.articles.changed)} changed",
            f"Facts: {len(self.facts.added)} added, {len(self.facts.removed)} removed, "
            f"{len(self.facts.changed)} changed",
            f"Now serving: {counts}",
        ]
        return Answer(
            command="reload",
            status="ok",
            title="Knowledge reloaded" if not self.unchanged else "Knowledge unchanged",
            message=f"Version {self.previous_version} → {self.version} in {self.seconds:.2f} s.",
            sections=[Section(heading="Changes", items=[Item(kind="note", text=t) for t in lines])],
        )


class TalentService:
    """Owns the store and the name index; every query runs against one knowledge version."""

    def __init__(
        self,
        store: Store,
        knowledge_dir: Path,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    ) -> None:
        self.store = store
        self.knowledge_dir = knowledge_dir
        self.max_file_bytes = max_file_bytes
        self._index = NameIndex(None, [])
        self._reload_lock = asyncio.Lock()

    @property
    def version(self) -> str | None:
        """The knowledge version the name index (and so autocomplete) currently serves."""
        return self._index.version

    async def start(self) -> ReloadReport | None:
        """Load the files if the database is empty or out of date; else reuse it as it is."""
        manifest = await self.store.manifest()
        on_disk = directory_version(self.knowledge_dir)
        if manifest.version is not None and manifest.version == on_disk:
            log.info("knowledge %s is current in %s", on_disk, self.store.path)
            await self._warm()
            return None
        report = await self.reload()
        if not report.ok:
            log.error(
                "knowledge in %s has %d error(s); serving version %s",
                self.knowledge_dir,
                len(report.errors),
                manifest.version,
            )
            for error in report.errors:
                log.error("%s", error)
            await self._warm()
        return report

    async def reload(self) -> ReloadReport:
        """Re-read and validate the files, then swap them in whole; on error keep the old."""
        async with self._reload_lock:
            started = time.perf_counter()
            old = await self.store.manifest()
            try:
                kb = await asyncio.to_thread(
                    load_directory, self.knowledge_dir, self.max_file_bytes
                )
            except KnowledgeError as exc:
                return ReloadReport(
                    ok=False,
                    version=old.version,
                    previous_version=old.version,
                    errors=[str(e) for e in exc.errors],
                    seconds=time.perf_counter() - started,
                )
            return await self._swap(kb, old, started)

    async def _swap(self, kb: KnowledgeBase, old: Manifest, started: float) -> ReloadReport:
        if kb.version == old.version:
            new = old
        else:
            new = await self.store.replace(kb)
        await self._warm()
        report = ReloadReport(
            ok=True,
            version=new.version,
            previous_version=old.version,
            articles=Diff.between(old.articles, new.articles),
            facts=Diff.between(old.facts, new.facts),
            counts=kb.counts(),
            seconds=time.perf_counter() - started,
            unchanged=kb.version == old.version,
        )
        log.info(
            "knowledge %s loaded in %.2fs (articles %s, facts %s)",
            report.version,
            report.seconds,
            report.articles,
            report.facts,
        )
        return report

    async def _warm(self) -> None:
        """Build this version's name index and article cache now, not on some user's query,
        then settle the heap so full garbage collections skip them too."""
        async with self.context() as ctx:
            await ctx.reader.articles()
        _settle_heap()

    @asynccontextmanager
    async def context(self) -> AsyncIterator[answers.Context]:
        """A read transaction with the name index of the same version."""
        async with self.store.reading() as reader:
            version = await reader.version()
            if version != self._index.version:
                self._index = await build_index(reader, version)
            yield answers.Context(reader, self._index)

    def complete(self, text: str, kind: Kind | None = None, limit: int = 25) -> list[Choice]:
        """Autocomplete from the in-memory index: no database round trip per keystroke."""
        return self._index.complete(text, kind, limit)

    async def who_left(self, company: str | None = None, person: str | None = None) -> Answer:
        async with self.context() as ctx:
            return await answers.who_left(ctx, company, person)

    async def who_joined(self, company: str | None = None, person: str | None = None) -> Answer:
        async with self.context() as ctx:
            return await answers.who_joined(ctx, company, person)

    async def stats(self, topic: str | None = None) -> Answer:
        async with self.context() as ctx:
            return await answers.stats(ctx, topic)

    async def person(self, name: str) -> Answer:
        async with self.context() as ctx:
            return await answers.person(ctx, name)

    async def company(self, name: str) -> Answer:
        async with self.context() as ctx:
            return await answers.company(ctx, name)

    async def sources(self) -> Answer:
        async with self.context() as ctx:
            return await answers.sources(ctx)

    async def ask(self, question: str) -> Answer:
        """A plain-words question."""
        async with self.context() as ctx:
            return await ask(ctx, question)


def _settle_heap() -> None:
    """Move what a load left alive out of the garbage collector's sight.

    A loaded knowledge base is a million long-lived objects (the validated files the loader keeps
    for the next reload, the name index); every full collection would walk them all, a pause of
    100+ ms in the middle of some user's autocomplete. They hold no reference cycles, so freeing
    them later is left to reference counting; cyclic garbage is collected first.
    """
    gc.collect()
    gc.freeze()


async def build_index(reader: Reader, version: str | None) -> NameIndex:
    """The name index of the knowledge the reader sees, with a hint beside every name."""
    entities = await reader.entities()
    names = {e.id: e.name for e in entities}
    hints: dict[str, str] = {}
    for role in await reader.first_roles():
        if role.person_id not in hints:
            where = f" at {names.get(role.company_id, '')}" if role.company_id else ""
            hints[role.person_id] = f"{role.title}{where}" + ("" if role.current else " (former)")
    refs = [
        (
            EntityRef(e.id, e.kind, e.name, hints.get(e.id, e.description or ""), e.mentions),
            e.aliases,
        )
        for e in entities
    ]
    return NameIndex(version, refs)
