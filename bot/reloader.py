"""Reading, validating and storing the next knowledge version in a worker process.

Parsing 10,000 files and writing their rows is seconds of pure-Python work. In a thread it would
share the GIL with the event loop that answers Discord; in a process it shares nothing, and the
validated files it keeps for the next reload never take memory in the serving process. The
worker writes the new version into the same SQLite file; the serving process only learns its
manifest. A ``:memory:`` database exists in one process only, so it is loaded in a thread.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.loader import KnowledgeBase, KnowledgeError, load_directory
from bot.store import Manifest, Store, StoreError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    """What one load did: the manifest now stored, or the errors that stopped it."""

    manifest: Manifest | None
    counts: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the files were valid and are what the database now holds."""
        return self.manifest is not None


async def store_knowledge(store: Store, kb: KnowledgeBase) -> Outcome:
    """Write ``kb`` unless the store already holds that very version."""
    old = await store.manifest()
    new = old if old.version == kb.version else await store.replace(kb)
    return Outcome(new, kb.counts())


def _outcome_of_load(knowledge_dir: Path, max_file_bytes: int) -> KnowledgeBase | Outcome:
    try:
        return load_directory(knowledge_dir, max_file_bytes)
    except KnowledgeError as exc:
        return Outcome(None, errors=[str(e) for e in exc.errors])


async def _stored(store: Store, kb: KnowledgeBase | Outcome) -> Outcome:
    if isinstance(kb, Outcome):
        return kb
    try:
        return await store_knowledge(store, kb)
    except StoreError as exc:
        return Outcome(None, errors=[f"the database: {exc}"])


def load_and_store(database: str, knowledge_dir: Path, max_file_bytes: int) -> Outcome:
    """The worker's whole job: files -> validated knowledge -> rows in ``database``."""
    kb = _outcome_of_load(knowledge_dir, max_file_bytes)

    async def write() -> Outcome:
        try:
            async with Store(database) as store:
                return await _stored(store, kb)
        except StoreError as exc:
            return Outcome(None, errors=[f"the database: {exc}"])

    return kb if isinstance(kb, Outcome) else asyncio.run(write())


class ThreadLoader:
    """Loads in a thread of this process: for tests, one-shot runs and ``:memory:`` databases."""

    def __init__(self, knowledge_dir: Path, max_file_bytes: int) -> None:
        self.knowledge_dir = knowledge_dir
        self.max_file_bytes = max_file_bytes

    async def load(self, store: Store) -> Outcome:
        """Read and validate the directory in a thread, then write it through ``store``."""
        kb = await asyncio.to_thread(_outcome_of_load, self.knowledge_dir, self.max_file_bytes)
        return await _stored(store, kb)

    def close(self) -> None:
        """Nothing to stop."""


class WorkerLoader(ThreadLoader):
    """Loads in one long-lived worker process (its parse cache keeps later reloads fast)."""

    def __init__(self, knowledge_dir: Path, max_file_bytes: int) -> None:
        super().__init__(knowledge_dir, max_file_bytes)
        self._pool: ProcessPoolExecutor | None = None

    async def load(self, store: Store) -> Outcome:
        """Load the directory into the store's file in the worker; a dead worker is replaced once."""
        if store.in_memory:
            return await super().load(store)
        for attempt in (1, 2):
            if self._pool is None:
                # spawn, not fork: forking a process that runs threads (aiosqlite's) can deadlock.
                self._pool = ProcessPoolExecutor(1, multiprocessing.get_context("spawn"))
            loop = asyncio.get_running_loop()
            try:
                return await loop.run_in_executor(
                    self._pool, load_and_store, store.path, self.knowledge_dir, self.max_file_bytes
                )
            except BrokenProcessPool:
                self.close()
                log.warning("the reload worker died (attempt %d of 2)", attempt)
        return Outcome(None, errors=["the reload worker died twice; see the log"])

    def close(self) -> None:
        """Stop the worker, if one runs; safe to call twice."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
