"""Other facts: sentences naming an entity that gave no other fact.

Other facts: sentences that name a person or company but gave no move, figure or
statement, as [[facts]] with a guessed kind.
"""

from __future__ import annotations

import re

from bot.draft.context import Context, Item

# First match wins: the more specific kinds come first.
_KINDS = (
    ("pioneered", re.compile(r"\bpioneer(?:ed|s|ing)?\b")),
    (
        "built",
        re.compile(r"\b(?:built|builds|co-?founded|founded|launched|created|developed|shipped)\b"),
    ),
    (
        "oversaw",
        re.compile(r"\b(?:oversaw|oversees|led|leads|ran|runs|managed|manages|headed|heads)\b"),
    ),
    ("tenure", re.compile(r"\b(?:for|spent|after)\s+(?:\w+\s+)?(?:years|months)\b")),
    ("doing", re.compile(r"\b(?:has|have|is|are)\s+(?:been\s+)?(?:\w+ly\s+)?\w+ing\b")),
    (
        "description",
        re.compile(
            r"\b(?:is|was)\s+(?:a|an|the)\b|\bwhich is\b|\bbacked by\b|\bspun out\b|\bbased in\b|\bemploys\b"
        ),
    ),
)
_DURATION = re.compile(r"\b(?:for|spent|after)\s+((?:\w+\s+)?(?:years|months))\b")


def find(ctx: Context) -> list[Item]:
    """A fact for each sentence naming someone that no other extractor used."""
    items: list[Item] = []
    for i, sentence in enumerate(ctx.sentences):
        if sentence.heading or i in ctx.used:
            continue
        mentions = ctx.mentions(i)
        if not mentions:
            continue
        text = sentence.text
        kind = next((k for k, pattern in _KINDS if pattern.search(text)), "event")
        people = [m.entity for m in mentions if ctx.entity(m).kind == "person"]
        ids = list(dict.fromkeys(m.entity for m in mentions))
        subject = people[0] if people else ids[0]
        item = Item("facts")
        item.set("id", ctx.new_id(subject, kind))
        item.set("kind", kind, "check the kind")
        item.set("subjects", [subject], "who is it about?")
        companies = [e for e in ids if ctx.names.entities[e].kind == "company" and e != subject]
        if kind in {"tenure", "built", "oversaw", "pioneered", "doing"} and companies:
            item.set("company", companies[0], "where did it happen?")
        if kind == "tenure":
            duration = _DURATION.search(text)
            if duration:
                item.set("duration", duration.group(1))
        related = [e for e in ids if e != subject and e != item.get("company")]
        if related:
            item.set("related", related, "keep only who else it concerns")
        item.set("summary", text, "summarise the fact in one sentence")
        items.append(ctx.sourced(item, i))
    return items
