"""`/knowledge add`, `replace` and `remove`: checked with every file, written whole, recorded.

Each runs alone (the service's edit lock in this process, the folder's file lock across
processes): check the change with the reloads' Loader, write or move the file, reload, and
record who did it in the state store. Until the write, nothing on disk has changed; a failed
write leaves the folder as it was.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from collections.abc import Callable
from typing import Protocol

from bot import phrasing as fmt
from bot.answers import MAX_ITEMS
from bot.desk import files
from bot.desk.check import Action, Proposal, Verdict, judge
from bot.desk.upload import problem, shown_name
from bot.knowledge.loader import LoadError
from bot.models import Answer, Item, Section
from bot.reloader import JobError
from bot.service import ReloadReport, TalentService
from bot.state import AuditEntry, StateError

log = logging.getLogger(__name__)

_DONE = {"add": "Added", "replace": "Replaced", "remove": "Removed"}
_NOT = {"add": "Not added", "replace": "Not replaced", "remove": "Not removed"}
_UNCHANGED = "Nothing was changed."


class Who(Protocol):
    """Who asks for the change, as the audit log records them (a commands.Caller)."""

    @property
    def name(self) -> str:
        """The name shown in /knowledge history."""

    @property
    def user_id(self) -> int | None:
        """A Discord user id; None for the console."""

    @property
    def guild_id(self) -> int | None:
        """The server the command was run in, if any."""


async def add(service: TalentService, name: str, data: bytes, who: Who) -> Answer:
    """Add an uploaded article file, if it loads with every current file."""
    return await _upload(service, "add", name, data, who)


async def replace(service: TalentService, name: str, data: bytes, who: Who) -> Answer:
    """Replace the file of the uploaded article's id with the upload; the old one into history."""
    return await _upload(service, "replace", name, data, who)


async def remove(service: TalentService, article_id: str, who: Who) -> Answer:
    """Move an article's file into history, unless other files depend on it."""
    proposal = Proposal(
        "remove", service.knowledge_dir, service.max_file_bytes, article_id=article_id.strip()
    )
    return await _change(service, proposal, "", who)


async def _upload(
    service: TalentService, action: Action, name: str, data: bytes, who: Who
) -> Answer:
    shown = shown_name(name)
    why = problem(data, service.max_file_bytes)
    if why is not None:
        return _refused(action, f"{shown} is not a knowledge file: {why}. {_UNCHANGED}")
    proposal = Proposal(action, service.knowledge_dir, service.max_file_bytes, data=data)
    return await _change(service, proposal, shown, who)


async def _change(service: TalentService, proposal: Proposal, shown: str, who: Who) -> Answer:
    action = proposal.action
    async with service.edit_lock, contextlib.AsyncExitStack() as held:
        try:
            await held.enter_async_context(files.folder_lock(service.knowledge_dir))
        except files.DeskBusyError:
            message = f"Another process is changing the knowledge folder; try again. {_UNCHANGED}"
            return _refused(action, message)
        except (OSError, files.OutsideError) as exc:
            message = f"The knowledge folder cannot be locked: {_reason(exc)}. {_UNCHANGED}"
            return _refused(action, message)
        return await _locked(service, proposal, shown, who)


async def _locked(service: TalentService, proposal: Proposal, shown: str, who: Who) -> Answer:
    action = proposal.action
    before = service.version
    title = await _served_title(service, proposal.article_id)
    started = time.perf_counter()
    try:
        verdict = await service.with_loader(functools.partial(judge, proposal))
    except JobError as exc:
        log.error("checking a %s failed: %s", action, exc)
        return _refused(
            action, f"The check failed on an unexpected error (see the log). {_UNCHANGED}"
        )
    if verdict.refusal is not None:
        return _refused(action, f"Refused: {verdict.refusal}. {_UNCHANGED}")
    if verdict.errors:
        return _errors(action, verdict, shown)
    try:
        # fsync can take a while on a busy disk: not on the event loop.
        history = await asyncio.to_thread(_write, service, proposal, verdict)
    except (OSError, files.OutsideError) as exc:
        log.warning("knowledge %s failed: %s", action, exc)
        return _refused(
            action, f"Could not write to the knowledge folder: {_reason(exc)}. {_UNCHANGED}"
        )
    checked = time.perf_counter()
    report = await service.reload()
    log.info(
        "knowledge %s of %s: checked in %.2fs, written and reloaded in %.2fs",
        action,
        verdict.article_id,
        checked - started,
        time.perf_counter() - checked,
    )
    answer = _done(action, verdict, report, before, history, title)
    return await _recorded(service, answer, action, verdict, report, before, who)


async def _served_title(service: TalentService, article_id: str | None) -> str | None:
    """The served title of the article to remove, for the reply (the file is not parsed here)."""
    if article_id is None:
        return None
    async with service.context() as ctx:
        found = (await ctx.reader.articles([article_id])).get(article_id)
    return found.article.title if found is not None else None


def _write(service: TalentService, proposal: Proposal, verdict: Verdict) -> str | None:
    """Make the change on disk; the history entry the old file went to, if any."""
    directory = service.knowledge_dir
    if proposal.action == "remove":
        assert verdict.old_file is not None
        return files.move_to_history(directory, verdict.old_file)
    assert verdict.new_file is not None and proposal.data is not None
    if proposal.action == "add" or verdict.old_file is None:
        files.write_file(directory, verdict.new_file, proposal.data)
        return None
    return files.replace_file(directory, verdict.old_file, verdict.new_file, proposal.data)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def _refused(action: Action, message: str) -> Answer:
    return Answer(
        command=f"knowledge {action}", status="invalid", title=_NOT[action], message=message
    )


def _errors(action: Action, verdict: Verdict, shown: str) -> Answer:
    if action == "remove":
        title = f"Not removed: other files depend on '{verdict.article_id}'"
        dependents = sorted({e.file for e in verdict.errors if e.file != verdict.directory})
        if not dependents:
            title = f"Not removed: '{verdict.article_id}' is the only article"
        message = (
            f"{_UNCHANGED} Without {verdict.old_file} the knowledge would have "
            f"{fmt.count(len(verdict.errors), 'errors')}"
            + (f", in {', '.join(dependents[:10])}" if dependents else "")
            + (f" and {len(dependents) - 10} more files" if len(dependents) > 10 else "")
            + ". Remove or change those first:"
        )
    else:
        title = f"{_NOT[action]}: {fmt.count(len(verdict.errors), 'errors')}"
        message = f"{_UNCHANGED} Fix these and upload the file again:"
    rename = _renamer(verdict.new_file, shown)
    lines = [rename(error) for error in verdict.errors]
    return Answer(
        command=f"knowledge {action}",
        status="invalid",
        title=title,
        message=message,
        sections=[
            Section(
                heading=fmt.count(len(lines), "errors"),
                items=[Item(kind="text", text=t) for t in lines[:MAX_ITEMS]],
            )
        ],
        tips=[f"… and {len(lines) - MAX_ITEMS} more"] if len(lines) > MAX_ITEMS else [],
    )


def _renamer(new_file: str | None, shown: str) -> Callable[[LoadError], str]:
    """An error as a line, the upload named as the user named it (its file name is ours)."""

    def line(error: LoadError) -> str:
        where = shown if new_file is not None and error.file == new_file else error.file
        message = error.message
        if new_file is not None:
            message = message.replace(new_file, shown)
        at = where if error.line is None else f"{where}:{error.line}"
        return f"{at}: {error.field}: {message}" if error.field else f"{at}: {message}"

    return line


def _done(
    action: Action,
    verdict: Verdict,
    report: ReloadReport,
    before: str | None,
    history: str | None,
    title: str | None,
) -> Answer:
    article = verdict.article
    lines: list[str] = []
    if article is not None:
        lines.append(
            f"{fmt.count(article.people, 'people')}, {fmt.count(article.companies, 'companies')}, "
            f"{fmt.count(article.facts, 'facts')}; published {fmt.date(article.published)}"
        )
    # The check's own diff: the reload's may be empty (the watcher reloaded first) or hold more.
    facts = verdict.facts
    if action == "replace" and facts is not None:
        lines.append(
            f"Facts: {len(facts.added)} added, {len(facts.removed)} removed, "
            f"{len(facts.changed)} changed"
        )
        for label, ids in (
            ("Added", facts.added),
            ("Removed", facts.removed),
            ("Changed", facts.changed),
        ):
            if ids:
                shown_ids = ", ".join(ids[:20]) + (
                    f" and {len(ids) - 20} more" if len(ids) > 20 else ""
                )
                lines.append(f"{label}: {shown_ids}")
    if history is not None:
        lines.append(f"The old file is kept as {files.HISTORY}/{history}")
    name = verdict.new_file if action != "remove" else verdict.old_file
    title = article.title if article is not None else title
    what = f"'{title}'" if title else f"'{verdict.article_id}'"
    where = f"as {name}" if action != "remove" else f"({name})"
    if not report.ok:
        return Answer(
            command=f"knowledge {action}",
            status="invalid",
            title=f"{_DONE[action]} {what}, but the reload failed",
            message=(
                f"The change was valid when checked and is kept {where}; the bot still serves "
                f"{report.serving()} until a reload succeeds:"
            ),
            sections=[
                Section(heading="Done", items=[Item(kind="text", text=t) for t in lines]),
                Section(
                    heading="Why the reload failed",
                    items=[Item(kind="text", text=e) for e in report.errors[:MAX_ITEMS]],
                ),
            ],
        )
    tips = []
    if report.version != verdict.version:
        tips.append("Other changes to the knowledge folder were loaded with this one.")
    return Answer(
        command=f"knowledge {action}",
        status="ok",
        title=f"{_DONE[action]} {what}",
        message=f"{'Written' if action != 'remove' else 'Moved to history'} {where}; "
        f"knowledge version {before} → {report.version}.",
        sections=[Section(heading="What changed", items=[Item(kind="text", text=t) for t in lines])]
        if lines
        else [],
        tips=tips,
    )


async def _recorded(
    service: TalentService,
    answer: Answer,
    action: Action,
    verdict: Verdict,
    report: ReloadReport,
    before: str | None,
    who: Who,
) -> Answer:
    """Write the change to the audit log; the answer says so if it could not be."""
    if service.state is None:
        return answer.model_copy(
            update={"tips": [*answer.tips, "No state database: not recorded."]}
        )
    first = answer.sections[0].items[0].text if answer.sections and answer.sections[0].items else ""
    summary = f"{answer.title}: {first}" if first else answer.title
    entry = AuditEntry(
        actor_id=who.user_id,
        actor=who.name,
        action=action,
        article=verdict.article_id,
        file=verdict.new_file or verdict.old_file,
        guild_id=who.guild_id,
        version_before=before,
        version_after=report.version if report.ok else None,
        summary=summary[:500],
    )
    try:
        await service.state.record(entry)
    except StateError as exc:
        log.error("could not record a knowledge %s: %s", action, exc)
        note = f"The change is made but could not be recorded in /knowledge history: {exc}"
        return answer.model_copy(update={"tips": [*answer.tips, note]})
    return answer
