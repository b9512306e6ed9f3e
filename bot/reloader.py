"""Reading, validating and storing the next knowledge version in a worker process.

Parsing 10,000 files and writing their rows is seconds of pure-Python work. In a thread it would
share the GIL with the event loop that answers Discord; in a process it shares nothing, and the
validated files its Loader keeps for the next reload never take memory in the serving process. The
worker writes the new version into the same SQLite file; the serving process only learns its
manifest. A ``:memory:`` database exists in one process only, so it is loaded in a thread.
Killing the worker mid-write is safe: SQLite rolls the unfinished transaction back.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Literal, TypeVar

from bot.knowledge.loader import KnowledgeBase, KnowledgeError, Loader
from bot.store import Manifest, Store, StoreError, stored_summaries

log = logging.getLogger(__name__)

Cause = Literal["files", "database", "bug"]
# A third-generation threshold no build reaches: that many young-to-middle collections.
_NO_FULL_COLLECTION = 1 << 30
_T = TypeVar("_T")
# A job run with the reloads' Loader (the knowledge desk's checks): a picklable callable.
Job = Callable[[Loader], _T]


class JobError(Exception):
    """A job run with the loader failed; the message says how (the worker logs the rest)."""


@dataclass(frozen=True)
class Diff:
    """The ids a reload added, removed and changed, each sorted."""

    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)

    @classmethod
    def between(cls, old: dict[str, str], new: dict[str, str]) -> Diff:
        """What differs from ``old`` to ``new``, two maps of id -> digest."""
        return cls(
            added=sorted(new.keys() - old.keys()),
            removed=sorted(old.keys() - new.keys()),
            changed=sorted(k for k in old.keys() & new.keys() if old[k] != new[k]),
        )

    def __str__(self) -> str:
        return f"+{len(self.added)} -{len(self.removed)} ~{len(self.changed)}"


@dataclass(frozen=True)
class Outcome:
    """What one load did: the version now stored and what changed, or the errors that stopped it.

    Its ``manifest`` holds the version and load time only (no digests): the diffs say what
    changed.
    """

    manifest: Manifest | None
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    cause: Cause = "files"  # what the errors are about, when there are any
    articles: Diff = field(default_factory=Diff)  # what the load changed, when it succeeded
    facts: Diff = field(default_factory=Diff)

    @property
    def ok(self) -> bool:
        """True when the files were valid and are what the database now holds."""
        return self.manifest is not None


async def store_knowledge(store: Store, kb: KnowledgeBase) -> Outcome:
    """Write ``kb`` unless the store already holds that very version; say what changed.

    The diffs are worked out here, beside the writes (in the worker process for the bot), from
    the rows the write replaced: the serving process gets them and the new version's head.
    """
    head = await store.head()
    if head.version == kb.version:
        return Outcome(head, kb.counts())
    done = await store.rewrite(kb)
    return Outcome(
        done.manifest,
        kb.counts(),
        articles=Diff.between(done.old_articles, done.new_articles),
        facts=Diff.between(done.old_facts, done.new_facts),
    )


def _outcome_of_load(
    loader: Loader, knowledge_dir: Path, max_file_bytes: int
) -> KnowledgeBase | Outcome:
    try:
        return loader.load(knowledge_dir, max_file_bytes)
    except KnowledgeError as exc:
        return Outcome(None, errors=[str(e) for e in exc.errors])


async def _stored(store: Store, kb: KnowledgeBase | Outcome) -> Outcome:
    if isinstance(kb, Outcome):
        return kb
    try:
        return await store_knowledge(store, kb)
    except StoreError as exc:
        return Outcome(None, errors=[str(exc)], cause="database")


def seed_from(loader: Loader, database: str) -> None:
    """Give a Loader that knows no file yet the summaries ``database`` keeps of its files.

    Then the first load after a restart parses only the files that changed since the stored
    version, like any later load, with no pass over every file beforehand.
    """
    if loader.empty:
        taken = loader.seed(stored_summaries(database))
        log.info("the loader took %d stored file summaries from %s", taken, database)


def load_and_store(
    loader: Loader,
    database: str,
    knowledge_dir: Path,
    max_file_bytes: int,
    seed_only: bool = False,
) -> Outcome:
    """The worker's whole job: files -> validated knowledge (by ``loader``) -> rows in ``database``.

    With ``seed_only`` nothing is loaded: the Loader only takes the database's summaries of
    its files (see WorkerLoader.prepare).
    """
    seed_from(loader, database)
    if seed_only:
        return Outcome(None)
    kb = _outcome_of_load(loader, knowledge_dir, max_file_bytes)

    async def write() -> Outcome:
        try:
            async with Store(database) as store:
                return await _stored(store, kb)
        except StoreError as exc:
            return Outcome(None, errors=[str(exc)], cause="database")

    return kb if isinstance(kb, Outcome) else asyncio.run(write())


class ThreadLoader:
    """Loads in a thread of this process: for tests, one-shot runs and ``:memory:`` databases.

    Its Loader keeps what the last load validated, for the next; the service's reload lock makes
    sure only one load uses it at a time.
    """

    def __init__(self, knowledge_dir: Path, max_file_bytes: int) -> None:
        self.knowledge_dir = knowledge_dir
        self.max_file_bytes = max_file_bytes
        self._loader = Loader()

    async def load(self, store: Store) -> Outcome:
        """Read and validate the directory in a thread, then write it through ``store``."""
        kb = await asyncio.to_thread(self._load, store.path)
        return await _stored(store, kb)

    def _load(self, database: str) -> KnowledgeBase | Outcome:
        seed_from(self._loader, database)
        return _outcome_of_load(self._loader, self.knowledge_dir, self.max_file_bytes)

    async def call(self, job: Job[_T]) -> _T:
        """``job(loader)`` with the Loader reloads use, so that what it validates is kept."""
        return await asyncio.to_thread(job, self._loader)

    async def prepare(self, database: str) -> None:
        """Nothing to prepare: the first load takes the stored summaries itself."""

    def close(self) -> None:
        """Nothing to stop."""


@contextlib.contextmanager
def young_collections_only() -> Iterator[None]:
    """No full garbage collection meanwhile: for a snapshot build, or a load in the worker.

    Building a snapshot makes hundreds of thousands of objects; each full collection it
    triggers walks them all with the GIL held, 50-150 ms during which the event loop waits.
    In the worker, a load's full collections walked the millions of validated objects its
    Loader keeps: more than half of a one-file reload's load at 10,000 articles. Young
    collections still run, so short-lived cycles are freed; the survivors are frozen after
    (gc.freeze), out of later full collections' way.
    """
    young, middle, old = gc.get_threshold()
    gc.set_threshold(young, middle, _NO_FULL_COLLECTION)
    try:
        yield
    finally:
        gc.set_threshold(young, middle, old)


def _serve(conn: Connection) -> None:
    """The worker process's loop: load each job it receives and send back its Outcome.

    The worker process: one job in, one Outcome out, until the pipe closes; its one Loader
    keeps what each load validated for the next.
    """
    loader = Loader()
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if callable(job):
            conn.send(_run_job(job, loader))
            continue
        try:
            with young_collections_only():
                outcome = load_and_store(loader, *job)
            # What the Loader keeps lives until the file changes and holds no cycles.
            gc.collect(1)
            gc.freeze()
        except Exception as exc:
            # A bug in loading must reach the serving process as a failed reload, not kill us.
            outcome = Outcome(
                None, errors=[f"unexpected {exc.__class__.__name__}: {exc}"], cause="bug"
            )
        conn.send(outcome)


def _run_job(job: Job[Any], loader: Loader) -> Any:
    try:
        return job(loader)
    except Exception as exc:
        log.exception("a loader job failed")
        return JobError(f"unexpected {exc.__class__.__name__}: {exc}")


class WorkerLoader(ThreadLoader):
    """Loads in one long-lived worker process (its Loader keeps later reloads fast)."""

    def __init__(self, knowledge_dir: Path, max_file_bytes: int) -> None:
        super().__init__(knowledge_dir, max_file_bytes)
        self._process: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    async def load(self, store: Store) -> Outcome:
        """Load the directory into the store's file in the worker; a dead worker is replaced once."""
        if store.in_memory:
            return await super().load(store)
        job = (store.path, self.knowledge_dir, self.max_file_bytes, False)
        for attempt in (1, 2):
            try:
                # A thread blocked on the pipe releases the GIL: the event loop runs on.
                return await asyncio.to_thread(self._ask, job)
            except (EOFError, OSError):
                self.close()
                log.warning("the reload worker died (attempt %d of 2)", attempt)
        return Outcome(None, errors=["the reload worker died twice; see the log"], cause="bug")

    async def call(self, job: Job[_T]) -> _T:
        """``job(loader)`` in the worker, with its Loader; JobError if it failed or died twice."""
        for attempt in (1, 2):
            try:
                result: Any = await asyncio.to_thread(self._ask, job)
            except (EOFError, OSError):
                self.close()
                log.warning("the reload worker died (attempt %d of 2)", attempt)
                continue
            if isinstance(result, JobError):
                raise result
            return result  # type: ignore[no-any-return]
        raise JobError("the reload worker died twice; see the log")

    async def prepare(self, database: str) -> None:
        """Start the worker and let its Loader take the database's file summaries, ahead.

        After a restart on a database that is already current, nothing was parsed; the first
        reload parses only what changed anyway (seed_from), but starting a process and reading
        10,000 summaries is a second or two that this takes off it, in the worker process.
        """
        try:
            job = (database, self.knowledge_dir, self.max_file_bytes, True)
            await asyncio.to_thread(self._ask, job)
        except (EOFError, OSError):
            # Stopped (close()) or died: the next load starts a worker and seeds it then.
            self.close()

    def _ask(self, job: tuple[str, Path, int, bool] | Job[Any]) -> Any:
        if self._conn is None or self._process is None or not self._process.is_alive():
            self._start()
        assert self._conn is not None
        self._conn.send(job)
        return self._conn.recv()

    def _start(self) -> None:
        # spawn, not fork: forking a process that runs threads (aiosqlite's) can deadlock.
        context = multiprocessing.get_context("spawn")
        ours, theirs = context.Pipe()
        process = context.Process(target=_serve, args=(theirs,), name="reload-worker", daemon=True)
        process.start()
        theirs.close()
        self._process, self._conn = process, ours

    def close(self) -> None:
        """Stop the worker, if one runs, even in the middle of a load; safe to call twice."""
        if self._conn is not None:
            self._conn.close()
        if self._process is not None:
            self._process.terminate()
            self._process.join(5)
            if self._process.is_alive():
                self._process.kill()
                self._process.join()
        self._process = self._conn = None
