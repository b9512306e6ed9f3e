"""Draft a knowledge file from an article's plain text.

``draft(text, meta, known)`` is a pure function: the article's text and metadata, and the
entities already known, in; the draft's TOML text and its number of TODOs out. The command line
(`talent-bot draft`) and any other front end call it the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from bot.draft import figures, moves, names, other, roles, sentences, statements
from bot.draft.context import Context, Item
from bot.draft.known import Known, KnownEntity
from bot.draft.names import slug
from bot.draft.writer import render, role

__all__ = ["ArticleMeta", "Draft", "Known", "KnownEntity", "draft"]


@dataclass(frozen=True)
class ArticleMeta:
    """What the text alone does not say: the article's title, publisher, date and address."""

    title: str
    publisher: str
    published: dt.date
    url: str | None = None


@dataclass(frozen=True)
class Draft:
    """A drafted knowledge file: its TOML text and how many TODO guesses it holds."""

    toml: str
    todos: int


def draft(text: str, meta: ArticleMeta, known: Known | None = None) -> Draft:
    """A knowledge-file draft of the article, linking names to the ``known`` entities."""
    known = known or Known()
    split = sentences.split(text)
    found = names.find(split, known, meta.publisher)
    ctx = Context(split, found, meta.published, meta.publisher, set(known.taken))
    article_id = _article_id(ctx, meta)
    move_items = moves.find(ctx)
    statement_items = statements.find(ctx)
    figure_items = figures.find(ctx)
    fact_items = other.find(ctx)

    article = Item("article")
    article.set("id", article_id, "a short slug for the article")
    article.set("title", meta.title)
    article.set("publisher", meta.publisher)
    article.set("published", meta.published.isoformat())
    article.set("url", meta.url)
    cites = [o for o in found.outlets if o != meta.publisher]
    article.set("cites", cites, "the outlets the article cites" if cites else "")
    sections = {
        "people": _entities(ctx, "person", move_items),
        "companies": _entities(ctx, "company", move_items),
        "moves": move_items,
        "figures": figure_items,
        "statements": statement_items,
        "facts": fact_items,
    }
    toml, todos = render(article, sections, meta.title)
    return Draft(toml, todos)


def _entities(ctx: Context, kind: str, move_items: list[Item]) -> list[Item]:
    found = _roles(ctx, move_items)
    items = []
    for entity in ctx.names.entities.values():
        if entity.kind != kind:
            continue
        item = Item("people" if kind == "person" else "companies")
        item.set("id", entity.id)
        item.set("name", entity.name, "" if entity.known else entity.unsure)
        if entity.aliases:
            item.set("aliases", entity.aliases)
        rows = found.get(entity.id)
        if rows:
            item.set("roles", rows)
        items.append(item)
    return items


def _roles(ctx: Context, move_items: list[Item]) -> dict[str, list[str]]:
    """Person id -> role lines: appositions first, then the roles moves name."""
    rows: dict[str, list[str]] = {}
    seen: set[tuple[str, str]] = set()

    def add(person: str, title: str, company: str | None, current: bool, todo: str) -> None:
        key = (person, slug(title))
        if key in seen:
            return
        seen.add(key)
        rows.setdefault(person, []).append(role(title, company, current, todo))

    left = {
        (str(item.get("person")), str(item.get("from")))
        for item in move_items
        if item.get("person")
    }
    for i, sentence in enumerate(ctx.sentences):
        if sentence.heading:
            continue
        for person, found in roles.find(
            sentence.text, ctx.mentions(i), ctx.names.entities, ctx.salient(i)
        ).items():
            current = found.current and (person, str(found.company)) not in left
            add(person, found.title, found.company, current, found.todo)
    for item in move_items:
        mover, title, target = item.get("person"), item.get("role"), item.get("to")
        if isinstance(mover, str) and isinstance(title, str):
            company = target if isinstance(target, str) and target != "undisclosed" else None
            source = item.get("from")
            if company is None and isinstance(source, str):
                add(mover, title, source, False, "check the title")
            else:
                add(mover, title, company, True, "check the title")
    return rows


def _article_id(ctx: Context, meta: ArticleMeta) -> str:
    """The title's first words and the date: "amazon-ai-executive-leaves-2025-06-26"."""
    words = slug(meta.title, 200).split("-")[:6] or ["article"]
    return ctx.new_id("-".join(words), meta.published.isoformat())
