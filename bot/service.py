"""The answer service: one knowledge version at a time, reloads that swap it whole, and queries.

Front ends (console, Discord) call this and nothing below it.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from bot import answers
from bot import phrasing as fmt
from bot.answers import MAX_ITEMS
from bot.ask import spelling
from bot.desk.complete import ArticleChoice
from bot.knowledge.loader import DEFAULT_MAX_FILE_BYTES, directory_version
from bot.knowledge.schema import EntityKind
from bot.models import Answer, Item, Section
from bot.reloader import (
    Cause,
    Diff,
    Job,
    Outcome,
    ThreadLoader,
    WorkerLoader,
    young_collections_only,
)
from bot.resolve import Choice
from bot.settings import Settings
from bot.snapshot import Snapshot, build_snapshot
from bot.state import StateStore, open_state
from bot.store import Manifest, Store

log = logging.getLogger(__name__)
_T = TypeVar("_T")

_TROUBLE: dict[Cause, Callable[[int], str]] = {
    "files": lambda n: f"The knowledge files have {fmt.count(n, 'errors')}",
    "database": lambda _: "The database could not take the new knowledge",
    "bug": lambda _: "The reload failed on an unexpected error",
}


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
    loaded_at: str | None = None  # when the served version was loaded, for a failed reload
    cause: Cause = "files"  # what stopped a failed reload

    def serving(self) -> str:
        """Which knowledge is served after this report, in words."""
        if self.version is None:
            return "no knowledge (nothing has loaded yet)"
        loaded = f", loaded {_when(self.loaded_at)}" if self.loaded_at else ""
        return f"version {self.version}{loaded}"

    def stale_note(self) -> str:
        """What /sources says while the files fail: the answers come from an older version."""
        return f"{_TROUBLE[self.cause](len(self.errors))}, so I am serving the last good " + (
            f"{self.serving()}. An admin can see why with /reload."
        )

    def to_answer(self) -> Answer:
        """The report as an answer: every error, or what changed."""
        if not self.ok:
            return Answer(
                command="reload",
                status="invalid",
                title=f"Reload refused: {_TROUBLE[self.cause](len(self.errors)).lower()}",
                message=f"Still serving {self.serving()}. Fix these and reload again:",
                sections=[
                    Section(
                        heading=fmt.count(len(self.errors), "errors"),
                        items=[Item(kind="text", text=e) for e in self.errors[:MAX_ITEMS]],
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
            sections=[Section(heading="Changes", items=[Item(kind="text", text=t) for t in lines])],
        )


# Told of every reload's report once it is done (announcements); see TalentService.after_reload.
ReloadListener = Callable[[ReloadReport], Awaitable[object]]


class TalentService:
    """Owns the store and the snapshot served; every query runs against one knowledge version."""

    def __init__(
        self,
        store: Store,
        knowledge_dir: Path,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        loader: ThreadLoader | None = None,
        state: StateStore | None = None,
    ) -> None:
        self.store = store
        # What admins entered (audit log, news channels); None where nothing may be entered.
        self.state = state
        self.knowledge_dir = knowledge_dir
        self.max_file_bytes = max_file_bytes
        # Tests and one-shot commands load in a thread; the Discord bot passes a WorkerLoader.
        self.loader = loader or ThreadLoader(knowledge_dir, max_file_bytes)
        # Everything in memory about the version served, replaced whole by one assignment.
        self.snapshot = Snapshot.empty()
        self._reload_lock = asyncio.Lock()
        # The knowledge desk's edits, one at a time in this process (a file lock across them).
        self.edit_lock = asyncio.Lock()
        # The last reload's report while it failed: the served knowledge is older than the files.
        self.problem: ReloadReport | None = None
        self.start_report: ReloadReport | None = None  # what start() did, for front ends to show
        self._preparing: asyncio.Task[None] | None = None
        # Awaited in order after every reload, whoever asked for it (/reload, the watcher, the
        # knowledge desk); a listener's error is logged, never the reload's.
        self.after_reload: list[ReloadListener] = []

    @property
    def version(self) -> str | None:
        """The knowledge version the snapshot (and so autocomplete) currently serves."""
        return self.snapshot.version

    async def start(self) -> ReloadReport | None:
        """Load the files if the database is empty or out of date; else reuse it as it is.

        A start never fails because of the files: with any error, every error is logged and the
        database's last good version (if any) is served, flagged in /sources and /reload.
        """
        # Read in a thread meanwhile: the first /ask would read it on the event loop (45 ms).
        words = asyncio.ensure_future(asyncio.to_thread(spelling.dictionary))
        try:
            return await self._start()
        finally:
            await words

    async def _start(self) -> ReloadReport | None:
        manifest = await self.store.head()
        # Hashing 10,000 files is seconds of I/O and CPU: not on the event loop, and meanwhile
        # the stored version's snapshot is built (hashlib and file reads let go of the GIL).
        hashing = asyncio.ensure_future(
            asyncio.to_thread(directory_version, self.knowledge_dir, self.max_file_bytes)
        )
        try:
            if manifest.version is not None:
                await self._warm()
        finally:
            on_disk = await hashing
        if manifest.version is not None and manifest.version == on_disk:
            log.info("knowledge %s is current in %s", on_disk, self.store.path)
            # Ready now; the loader takes the stored file summaries meanwhile (seed_from).
            self._preparing = asyncio.get_running_loop().create_task(self._prepare_loader())
            return None
        report = self.start_report = await self.reload()
        if not report.ok:
            log.error(
                "knowledge in %s has %s; serving %s",
                self.knowledge_dir,
                fmt.count(len(report.errors), "errors"),
                f"version {manifest.version}" if manifest.version else "no knowledge",
            )
            for error in report.errors:
                log.error("%s", error)
            await self._warm()
        return report

    async def _prepare_loader(self) -> None:
        async with self._reload_lock:
            try:
                await self.loader.prepare(self.store.path)
            except Exception:
                # Only a slower first reload is at stake: never let it surface elsewhere.
                log.exception("preparing the loader failed")

    async def stop(self) -> None:
        """Stop background work (the loader's preparation) before the loader is closed."""
        if self._preparing is not None:
            self._preparing.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._preparing
            self._preparing = None

    async def reload(self) -> ReloadReport:
        """Re-read and validate the files, then swap them in whole; on any error keep the old."""
        async with self._reload_lock:
            started = time.perf_counter()
            old = await self.store.head()
            try:
                outcome = await self.loader.load(self.store)
            except Exception as exc:
                # A loader bug must not take the bot down nor replace good knowledge.
                error_id = uuid.uuid4().hex[:8]
                log.exception("error %s reloading %s", error_id, self.knowledge_dir)
                message = f"unexpected error {exc.__class__.__name__} (error id {error_id})"
                outcome = Outcome(None, errors=[f"{self.knowledge_dir}: {message}"], cause="bug")
            if outcome.manifest is None:
                report = ReloadReport(
                    ok=False,
                    version=old.version,
                    previous_version=old.version,
                    errors=outcome.errors,
                    seconds=time.perf_counter() - started,
                    loaded_at=old.loaded_at,
                    cause=outcome.cause,
                )
            else:
                await self._warm()
                report = self._report(old, outcome, outcome.manifest, started)
            self.problem = None if report.ok else report
        # Outside the lock: a listener may read the knowledge, or take a while.
        for listener in list(self.after_reload):
            try:
                await listener(report)
            except Exception:
                log.exception("a reload listener (%s) failed", getattr(listener, "__name__", "?"))
        return report

    def _report(
        self, old: Manifest, outcome: Outcome, new: Manifest, started: float
    ) -> ReloadReport:
        report = ReloadReport(
            ok=True,
            version=new.version,
            previous_version=old.version,
            articles=outcome.articles,
            facts=outcome.facts,
            counts=outcome.counts,
            seconds=time.perf_counter() - started,
            unchanged=new.version == old.version,
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
        """Build this version's snapshot and article cache ahead of the first query.

        Build this version's snapshot and article cache now, not on some user's query,
        then settle the heap so full garbage collections skip them too.
        """
        async with self.context() as ctx:
            await ctx.reader.articles()
        _settle_heap()

    @asynccontextmanager
    async def context(self) -> AsyncIterator[answers.Context]:
        """A read transaction with the snapshot of the same version."""
        async with self.store.reading() as reader:
            snapshot = self.snapshot
            if await reader.version() != snapshot.version:
                # Built whole in a thread, then served by this one assignment: autocomplete
                # (which takes no read lock) sees the old snapshot or the new, never half of one.
                with young_collections_only():
                    snapshot = self.snapshot = await build_snapshot(reader, snapshot)
                _settle_heap()
            yield answers.Context(reader, snapshot)

    def complete(self, text: str, kind: EntityKind | None = None, limit: int = 25) -> list[Choice]:
        """Autocomplete from the in-memory index: no database round trip per keystroke."""
        return self.snapshot.index.complete(text, kind, limit)

    def complete_articles(self, text: str, limit: int = 25) -> list[ArticleChoice]:
        """Article autocomplete (ids and titles of the served version), from memory."""
        return self.snapshot.articles.complete(text, limit)

    async def with_loader(self, job: Job[_T]) -> _T:
        """``job(loader)`` with the reloads' Loader (in its worker or a thread), between reloads.

        What the job validates stays cached for the next reload; JobError if it fails.
        """
        async with self._reload_lock:
            return await self.loader.call(job)

    async def sources(self) -> Answer:
        """The articles served, flagged while a failed reload leaves them older than the files."""
        async with self.context() as ctx:
            answer = await answers.sources(ctx)
        if self.problem is None:
            return answer
        return answer.model_copy(update={"tips": [self.problem.stale_note(), *answer.tips]})


def _when(iso: str) -> str:
    """An ISO moment in UTC: "2026-12-02T18:53:39+00:00" -> "2026-12-02 18:53 UTC"; else as is."""
    try:
        moment = dt.datetime.fromisoformat(iso).astimezone(dt.UTC)
    except ValueError:
        return iso
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _settle_heap() -> None:
    """Move what a load left alive out of the garbage collector's sight.

    A loaded knowledge base is a million long-lived objects (the validated files the loader keeps
    for the next reload, the name index); every full collection would walk them all, a pause of
    100+ ms in the middle of some user's autocomplete. They hold no reference cycles, so freeing
    them later is left to reference counting; cyclic garbage is collected first.
    """
    # Only the young generations: a full collection walks every object, a stall of its own.
    gc.collect(1)
    gc.freeze()


@asynccontextmanager
async def open_service(settings: Settings, *, worker: bool = False) -> AsyncIterator[TalentService]:
    """The store opened, the knowledge loaded (errors logged, last good version kept), a service.

    With ``worker``, reloads parse and write in a worker process (for the long-running bot).
    The state store is opened too, so the knowledge desk can keep its audit log.
    """
    directory, cap = settings.knowledge_dir, settings.max_knowledge_file_bytes
    loader = WorkerLoader(directory, cap) if worker else ThreadLoader(directory, cap)
    try:
        async with open_state(settings) as state, Store(settings.database_path) as store:
            service = TalentService(store, directory, cap, loader, state)
            try:
                await service.start()
                yield service
            finally:
                await service.stop()
    finally:
        loader.close()
