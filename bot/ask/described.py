"""People described by their title at a company: "the Acme boss", "Acme's CTO", "Acme's former CTO".

When no fact fits a question as it names them, a company named beside a title word is read as
the one person the knowledge gives that title there (a current role, or a past one after
"former"), and the question is asked again about that person.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.answers import Context
from bot.ask.memo import memo
from bot.ask.question import Mention, Reading
from bot.ask.words import PAST_WORDS, stem, title_words
from bot.resolve import EntityRef

NEAR = 2  # words between the company and its title word ("Acme's new boss")


@dataclass(frozen=True)
class Described:
    """The question read with the person meant, and how the description was read."""

    reading: Reading
    said: str


async def described(ctx: Context, reading: Reading) -> Described | None:
    """The reading with a company and title word replaced by the one person they describe."""
    roles = await (await memo(ctx)).all_roles(ctx)
    past = bool(set(reading.words) & PAST_WORDS)
    for index, mention in enumerate(reading.mentions):
        if len(mention.candidates) != 1 or mention.candidates[0].kind != "company":
            continue
        company = mention.candidates[0]
        near = [
            i
            for i in range(
                max(0, mention.start - NEAR), min(len(reading.words), mention.end + NEAR)
            )
            if not mention.start <= i < mention.end
            and stem(reading.words[i]) in reading.topic
            and stem(reading.words[i]) in roles.by_title_word
        ]
        if not near:
            continue
        asked = frozenset(stem(reading.words[i]) for i in near)
        people = {
            roles.people[p]
            for p in roles.with_title_words(asked)
            if roles.companies[p] == company.id
            and bool(roles.current[p]) != past
            and asked <= title_words(roles.titles[p])
        }
        if len(people) != 1:
            continue
        person = ctx.index.entities.get(people.pop())
        if person is None:
            continue
        return Described(
            _as_person(reading, index, person, asked, near), _said(reading, near, company, person)
        )
    return None


def _as_person(
    reading: Reading, index: int, person: EntityRef, asked: frozenset[str], near: list[int]
) -> Reading:
    mention = reading.mentions[index]
    start, end = min(mention.start, *near), max(mention.end, *(i + 1 for i in near))
    mentions = list(reading.mentions)
    mentions[index] = Mention(start, end, " ".join(reading.words[start:end]), (person,))
    intents = dict(reading.intents)
    positions = {k: set(v) for k, v in reading.cue_positions.items()}
    # The title described the person; it asks no role of them ("what did the Acme CTO say").
    if "role" in positions and positions["role"] <= set(near):
        intents.pop("role", None)
        positions.pop("role", None)
    return replace(
        reading,
        mentions=mentions,
        intents=intents,
        cue_positions=positions,
        topic=reading.topic - asked,
    )


def _said(reading: Reading, near: list[int], company: EntityRef, person: EntityRef) -> str:
    typed = " ".join(reading.words[i] for i in near)
    return f"Taking “{company.name} {typed}” to mean {person.name}."
