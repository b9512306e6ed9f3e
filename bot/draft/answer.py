"""`/knowledge draft`: the drafter as an answer, with the draft as a file for the admin to edit.

Nothing is added to the knowledge: the admin resolves the TODO lines, then adds the file.
"""

from __future__ import annotations

import asyncio
from typing import Protocol, runtime_checkable

from bot import phrasing as fmt
from bot.answers import Context
from bot.draft import ArticleMeta, Draft, Known, KnownEntity, draft
from bot.draft.names import slug
from bot.draft.request import (
    InputError,
    article_bytes,
    article_meta,
    article_text,
    published_date,
)
from bot.models import Answer, Attachment
from bot.store import StoredEntity

COMMAND = "knowledge draft"
# The draft runs in the bot's process: 256 KiB is some 40,000 words, drafted in about a second,
# and a hundred times a long article.
MAX_UPLOAD_BYTES = 256 * 1024


@runtime_checkable
class File(Protocol):
    """An attached file as the commands table hands it over (bot.commands.Upload)."""

    name: str
    data: bytes


async def draft_article(
    ctx: Context,
    text: str | None,
    file: object,
    title: str | None,
    publisher: str | None,
    published: str | None,
    url: str | None = None,
) -> Answer:
    """A knowledge-file draft of the pasted or attached article, linked to the entities known."""
    try:
        meta = article_meta(
            title or "", publisher or "", published_date(published or ""), url or None
        )
        body = _article(text, file)
    except InputError as exc:
        return Answer(
            command=COMMAND, status="invalid", title="I cannot draft that", message=str(exc)
        )
    entities = await ctx.reader.entities()
    manifest = await ctx.reader.manifest()
    taken = set(manifest.articles) | set(manifest.facts)
    # Building the name index of every known entity is a second of CPU at 10,000 articles.
    result = await asyncio.to_thread(_draft, body, meta, entities, taken)
    filename = f"{meta.published.isoformat()}-{slug(meta.title, 60)}.toml"
    return Answer(
        command=COMMAND,
        status="ok",
        title=f"Draft: {fmt.shown(meta.title)}",
        message=f"{fmt.count(result.todos, 'TODOs')} to check in the attached file: each "
        "guessed value has `# TODO` on its line. Nothing was added to what I know.",
        tips=[
            "Correct the TODO lines, delete their comments, run `talent-bot check`, then put "
            "the file in the knowledge folder and /reload."
        ],
        attachment=Attachment(filename=filename, content=result.toml),
    )


def _draft(text: str, meta: ArticleMeta, entities: list[StoredEntity], taken: set[str]) -> Draft:
    known = Known({e.id: KnownEntity(e.id, e.kind, e.name, e.aliases) for e in entities}, taken)
    return draft(text, meta, known)


def _article(text: str | None, file: object) -> str:
    """The article from exactly one of text: and file:, checked as the command line checks it."""
    if file is not None and text is not None:
        raise InputError(
            "give the article either as text: or as an attached file:, not both; nothing was"
            " drafted"
        )
    if file is None:
        if text is None:
            raise InputError(
                "give the article's text as text:, or attach it as a .txt file with file:"
            )
        return article_text(text, "the article text")
    if not isinstance(file, File):
        raise InputError("file: must be an attached .txt file")
    where = f"the attached file “{fmt.shown(file.name, 80)}”"
    if not file.name.lower().endswith(".txt"):
        raise InputError(
            f"{where} is not a .txt file; save the article as plain UTF-8 text (.txt) and"
            " attach that"
        )
    return article_bytes(file.data, where, MAX_UPLOAD_BYTES)
