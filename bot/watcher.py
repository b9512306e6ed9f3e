"""Reload by itself when the knowledge files change: by hand, by `git pull`, by another process.

Each bot process watches its own KNOWLEDGE_DIR (change notifications through watchfiles, not
polling, so 10,000 files cost nothing while quiet) and reloads once the edits have settled.
A change that breaks the files is logged once, and told once to whoever ``on_problem`` is
(the Discord side tells the servers' news channels); the last good knowledge keeps serving.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import watchfiles

from bot import phrasing as fmt
from bot.knowledge.loader import directory_version
from bot.service import ReloadReport, TalentService
from bot.settings import Settings

log = logging.getLogger(__name__)

LOGGED_ERRORS = 50  # a broken `git pull` of thousands of files must not flood the log
ProblemListener = Callable[[ReloadReport], Awaitable[None]]


def knowledge_filter(directory: Path) -> Callable[[watchfiles.Change, str], bool]:
    """Whether a changed path is a top-level *.toml of the folder, as the loader reads them.

    Dot-files (editors' temporary files) and anything in a subfolder (``.history/``) are not.
    """
    # The notifier may name the folder as given or resolved: either is the folder.
    folders = {os.path.abspath(directory), os.path.realpath(directory)}

    def wanted(_: watchfiles.Change, path: str) -> bool:
        name = os.path.basename(path)
        if not name.endswith(".toml") or name.startswith("."):
            return False
        return os.path.abspath(os.path.dirname(path)) in folders

    return wanted


class KnowledgeWatcher:
    """Watches a service's knowledge folder and reloads it when its files settle after a change.

    ``quiet`` is how long the files must stay unchanged before a reload, ``longest`` the most a
    reload waits after the first change of a burst (seconds).
    """

    def __init__(
        self,
        service: TalentService,
        *,
        quiet: float = 1.0,
        longest: float = 5.0,
        on_problem: ProblemListener | None = None,
    ) -> None:
        self.service = service
        self.directory = service.knowledge_dir
        self.quiet = quiet
        self.longest = max(longest, quiet)
        self.on_problem = on_problem
        self.reloads = 0  # reloads this watcher asked for, for logs and tests
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._reloading = False
        self._told: tuple[str, ...] | None = None  # the errors last reported
        self._refused: str | None = None  # the version on disk that last failed to load

    def start(self) -> None:
        """Start watching in the background."""
        # It logs every batch of changes at INFO; ours says the same once per reload.
        logging.getLogger("watchfiles").setLevel(logging.WARNING)
        self._task = asyncio.get_running_loop().create_task(self.run(), name="knowledge-watcher")

    async def stop(self) -> None:
        """Stop watching: within one quiet period while waiting; a reload under way is cancelled."""
        self._stop.set()
        task, self._task = self._task, None
        if task is None:
            return
        if self._reloading:
            task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def run(self) -> None:
        """Watch until stopped; every settled burst of changes may lead to one reload."""
        log.info(
            "watching %s for changes (reload after %.1f s quiet, at most %.1f s)",
            self.directory,
            self.quiet,
            self.longest,
        )
        try:
            async for changes in watchfiles.awatch(
                self.directory,
                watch_filter=knowledge_filter(self.directory),
                debounce=round(self.longest * 1000),
                step=round(self.quiet * 1000),
                stop_event=self._stop,
                recursive=False,
            ):
                log.debug("%d changes in %s", len(changes), self.directory)
                self._reloading = True
                try:
                    await self.settled()
                finally:
                    self._reloading = False
        except (FileNotFoundError, NotADirectoryError, PermissionError) as exc:
            log.warning("cannot watch %s (%s); reload with /reload", self.directory, exc)
        except Exception:
            # The watcher is a convenience: /reload still works without it.
            log.exception("the knowledge watcher stopped; reload with /reload")
        log.debug("stopped watching %s", self.directory)

    async def settled(self) -> ReloadReport | None:
        """After a burst of changes: reload unless the files are what is served; the report."""
        # Hashing every file is I/O and CPU: not on the event loop.
        on_disk = await asyncio.to_thread(
            directory_version, self.directory, self.service.max_file_bytes
        )
        # Back to the version served: nothing to load, unless a failed reload is still flagged
        # (in /sources), which only a reload that succeeds clears.
        served = on_disk == self.service.version and self.service.problem is None
        if on_disk is not None and (served or on_disk == self._refused):
            log.debug("knowledge files are version %s, as last loaded: no reload", on_disk)
            return None
        self.reloads += 1
        report = await self.service.reload()
        if report.ok:
            self._told = self._refused = None
            return report
        # A version whose files are wrong stays wrong; a locked database may not: try again.
        self._refused = on_disk if report.cause == "files" else None
        errors = tuple(report.errors)
        if errors == self._told:
            log.debug("knowledge files still have the same %d errors", len(errors))
            return report
        self._told = errors
        log.error(
            "knowledge files in %s changed and have %s; still serving %s",
            self.directory,
            fmt.count(len(errors), "errors"),
            report.serving(),
        )
        for error in errors[:LOGGED_ERRORS]:
            log.error("%s", error)
        if len(errors) > LOGGED_ERRORS:
            log.error("… and %d more errors: /reload lists them", len(errors) - LOGGED_ERRORS)
        if self.on_problem is not None:
            try:
                await self.on_problem(report)
            except Exception:
                log.exception("telling the servers about the broken knowledge files failed")
        return report


@asynccontextmanager
async def watching(
    settings: Settings, service: TalentService, on_problem: ProblemListener | None = None
) -> AsyncIterator[KnowledgeWatcher | None]:
    """A started watcher while inside (None when WATCH_KNOWLEDGE is off), stopped on the way out."""
    if not settings.watch_knowledge:
        log.info(
            "not watching %s (WATCH_KNOWLEDGE=false): reload with /reload", service.knowledge_dir
        )
        yield None
        return
    watcher = KnowledgeWatcher(
        service,
        quiet=settings.watch_quiet_seconds,
        longest=settings.watch_max_seconds,
        on_problem=on_problem,
    )
    watcher.start()
    try:
        yield watcher
    finally:
        await watcher.stop()
