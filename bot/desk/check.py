"""Whether a change to the knowledge folder would load: run with the reloads' Loader, in its worker.

The change (an upload added or replacing an article, or an article removed) is validated with
every current file, as the folder would be after it, without writing anything: the Loader reads
the upload from memory and reuses what it validated of the other files, so at 10,000 files only
the upload is parsed, and the reload after the write finds it validated too.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal

from bot.desk.names import knowledge_name
from bot.knowledge.file import KnowledgeFile
from bot.knowledge.loader import KnowledgeError, Loader, LoadError, knowledge_files
from bot.reloader import Diff

Action = Literal["add", "replace", "remove"]


@dataclass(frozen=True)
class Proposal:
    """A change to check: what, in which folder, and the upload or the article to remove."""

    action: Action
    directory: Path
    max_file_bytes: int
    data: bytes | None = None  # the upload (add, replace)
    article_id: str | None = None  # the article to remove


@dataclass(frozen=True)
class ArticleSummary:
    """What an article file holds, for the reply."""

    id: str
    title: str
    published: str
    people: int
    companies: int
    facts: int


@dataclass(frozen=True)
class Verdict:
    """The check's outcome: a refusal or the errors, else what to write and what it will load as."""

    directory: str = ""  # the folder, as errors about the folder name it
    refusal: str | None = None  # one reason (an id that exists, an article that does not)
    errors: tuple[LoadError, ...] = ()
    article_id: str | None = None
    old_file: str | None = None  # the file that now holds the article (replace, remove)
    new_file: str | None = None  # the name to write the upload under (add, replace)
    version: str | None = None  # the version the folder will load as
    article: ArticleSummary | None = None  # the upload's article, validated
    facts: Diff | None = None  # replace: the facts the new version adds, removes and changes

    @property
    def ok(self) -> bool:
        """True when the change may be written."""
        return self.refusal is None and not self.errors


def judge(proposal: Proposal, loader: Loader) -> Verdict:
    """Check ``proposal`` against the folder as it is now; nothing is written."""
    directory, cap = proposal.directory, proposal.max_file_bytes
    try:
        files = loader.article_files(directory, cap)
        existing = {article_id: f.name for article_id, f in files.items()}
        taken = {p.name for p in knowledge_files(directory)}
    except OSError as exc:
        return Verdict(refusal=f"the knowledge folder cannot be read: {exc.strerror or exc}")
    if proposal.action == "remove":
        gone = proposal.article_id or ""
        old = existing.get(gone)
        if old is None:
            return Verdict(refusal=f"no file in the knowledge folder holds the article '{gone}'")
        return _load(loader, proposal, {old: None}, Verdict(article_id=gone, old_file=old))[0]
    data = proposal.data or b""
    article_id, published = _article_of(data)
    old = existing.get(article_id) if article_id else None
    if proposal.action == "add":
        if old is not None:
            return Verdict(
                refusal=f"the article '{article_id}' is already in {old}; "
                "to change it, use /knowledge replace",
                article_id=article_id,
                old_file=old,
            )
        new = knowledge_name(article_id, published, taken)
        verdict, _ = _load(
            loader, proposal, {new: data}, Verdict(article_id=article_id, new_file=new)
        )
        return verdict
    if article_id is not None and old is None:
        return Verdict(
            refusal=f"no file holds the article '{article_id}'; to add it, use /knowledge add",
            article_id=article_id,
        )
    new = knowledge_name(article_id, published, taken - {old} if old else taken)
    overrides: dict[str, bytes | None] = (
        {new: data} if old in (None, new) else {old: None, new: data}
    )
    base = Verdict(article_id=article_id, old_file=old, new_file=new)
    verdict, content = _load(loader, proposal, overrides, base)
    if old is not None and article_id is not None and content is not None:
        return replace(verdict, facts=_facts_diff(files[article_id].content, content))
    return verdict


def _article_of(data: bytes) -> tuple[str | None, Any]:
    """The upload's article id and date as written, if it parses; the loader says why not."""
    try:
        document = tomllib.loads(data.decode("utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, RecursionError, ValueError):
        return None, None
    article = document.get("article")
    if not isinstance(article, dict):
        return None, None
    article_id = article.get("id")
    return (article_id.strip() if isinstance(article_id, str) else None), article.get("published")


def _load(
    loader: Loader, proposal: Proposal, overrides: dict[str, bytes | None], base: Verdict
) -> tuple[Verdict, KnowledgeFile | None]:
    """The verdict of loading the folder with ``overrides``, and the upload as validated."""
    try:
        kb = loader.load(proposal.directory, proposal.max_file_bytes, overrides)
    except KnowledgeError as exc:
        return replace(base, directory=str(proposal.directory), errors=tuple(exc.errors)), None
    content = next((f.content for f in kb.files if f.name == base.new_file), None)
    summary = None
    if content is not None:
        summary = ArticleSummary(
            content.article.id,
            content.article.title,
            content.article.published,
            len(content.people),
            len(content.companies),
            content.fact_count(),
        )
    return replace(base, version=kb.version, article=summary), content


def _facts_diff(old: KnowledgeFile, new: KnowledgeFile) -> Diff:
    """The facts of ``new`` added, removed and changed from ``old``, by fact id."""

    def digests(content: KnowledgeFile) -> dict[str, str]:
        return {fact.id: fact.model_dump_json() for fact in content.all_facts()}

    return Diff.between(digests(old), digests(new))
