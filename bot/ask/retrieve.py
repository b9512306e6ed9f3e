"""The closest fact by the question's words, when no fact fits what it asks.

A question in other words than the fact ("personally recruiting" for "personally campaigning to
hire") fits no intent's facts. Then the facts about the people and companies it names (or, with
none named, the newest facts that hold one of its rarer words) are ranked by the question's words
they hold, each weighed by how rare it is in English (the frequency list that ships with
symspellpy, as for spelling): a BM25-like score without a corpus to count. The best is offered as
"the closest I know" only when it holds enough of the question: most of its weight, and some
word of substance besides the names.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from bot import phrasing as fmt
from bot.answers import Context
from bot.ask.candidates import About
from bot.ask.fit import fact_text, own_text
from bot.ask.intents import INTENTS
from bot.ask.memo import memo
from bot.ask.question import Reading
from bot.ask.spelling import FILLER, dictionary
from bot.ask.words import (
    LIGHT_STEMS,
    MONTHS,
    NEWS_STEMS,
    QUALIFIER_STEMS,
    is_date_word,
    stem,
    title_words,
)
from bot.knowledge.facts import KINDS
from bot.store import StoredFact
from bot.text import STOP_WORDS

MAX_POOL = 100  # facts ranked per question: the named entities' newest
_COMMONEST = 2.3e10  # count of the commonest English word ("the") in the frequency list
MAX_WEIGHT = 12.0  # a word in no dictionary ("arr") weighs as a rare one, not infinitely
MIN_WEIGHT = 0.5
# Calibrated on the dev set (benchmarks/eval_ask.py): the share of the question's weight a fact
# must hold, and the least weight of words besides the names.
MIN_SHARE = 0.5
# A yes/no question is told the news doesn't say, with the closest fact: shown more readily.
MIN_SHARE_YES_NO = 0.4
MIN_HELD = 6.0
# Words that ask for several facts compared or combined, which one fact does not answer.
_COMBINING_TEXT = """
    more most less least bigger biggest larger largest higher highest smaller smallest lower
    lowest faster fastest greater greatest fewer fewest earlier earliest later latest newest
    oldest recently first last or vs versus compare compared both total all
"""
COMBINING = frozenset(_COMBINING_TEXT.split())
# Words of asking, not of what is asked: a fact need not hold them.
_ASKING_TEXT = """
    tell know like want wonder wondering curious kindly could would please hello hi hey good
    morning day evening sorry bother appreciate interested question ask asking news read heard
    mean means exactly happen happened thing stuff information hope place server channel size
    amount
"""
ASKING = frozenset(stem(w) for w in _ASKING_TEXT.split())
_NAMED = frozenset(stem(w) for w in ("name", "names", "who"))


@dataclass(frozen=True)
class Closest:
    """The fact that holds most of the question's words, and how much of them."""

    stored: StoredFact
    yes_no: bool  # the question asks yes or no, which the closest fact does not settle
    share: float
    held: float
    others: list[StoredFact]


def weight(word: str) -> float:
    """How much a word says: its rarity in English, as a log ratio to the commonest word."""
    count = dictionary().get(word, 0)
    return min(MAX_WEIGHT, max(MIN_WEIGHT, math.log(_COMMONEST / (count + 1))))


def _terms(reading: Reading, names: frozenset[str]) -> dict[str, float]:
    """The question's words that a fact should hold, by stem, with their weights.

    A word of some name (``names``) that the entity linking left unlinked makes it {}: a fact
    holding that word ("acmecorp") need not be about what is asked of it. Dates count only
    when nothing else is asked ("what happened in 2026").
    """
    named = {i for m in reading.mentions for i in range(m.start, m.end)}
    terms: dict[str, float] = {}
    dates: dict[str, float] = {}
    for i, word in enumerate(reading.words):
        if i in named or word in STOP_WORDS or word in FILLER or len(word) < 2:
            continue
        if word in names or (word.endswith("s") and word[:-1] in names):
            return {}  # a name's word it could not link: whose facts to look in is unclear
        key = stem(word)
        if key in ASKING:
            continue
        # A date matches a fact's report date however unrelated the rest: "Acme's market cap
        # in June 2025" is not Acme's June 2025 news.
        kept = dates if is_date_word(word) else terms
        kept[key] = max(kept.get(key, 0.0), weight(word))
    return terms or dates


async def _pool(
    ctx: Context, reading: Reading, terms: dict[str, float], about: About
) -> list[StoredFact]:
    """Facts that may be meant: about every name asked, or holding the rarest word asked."""
    if reading.mentions:
        # The least mentioned entity's newest facts hold every fact about them all.
        refs = [m.candidates[0] for m in reading.mentions]
        least = min(refs, key=lambda ref: ref.mentions)
        if least.id in about:
            facts = about[least.id][:MAX_POOL]
        else:
            facts = await ctx.reader.facts_about(least.id, limit=MAX_POOL)
        ids = {ref.id for ref in refs}
        return [f for f in facts if ids <= {e for _, e in f.fact.mentioned()}]
    if not terms:
        return []
    rarest = max(terms, key=terms.__getitem__)
    # A capitalised word naming nothing known must be in the fact too: kept out before reading
    # (but for a month, which the raw text gives as a number).
    needed = [rarest, *(p for p in reading.proper if p not in MONTHS)]
    kept = await memo(ctx)
    found: list[StoredFact] = []
    for kind in KINDS:
        found += await kept.newest_facts(
            ctx, kind.KIND, lambda raw: all(word in raw for word in needed)
        )
    return found[:MAX_POOL]


async def closest(ctx: Context, reading: Reading, about: About) -> Closest | None:
    """The fact that holds enough of the question's words to be offered, or None."""
    asked = reading.words[:-1] if reading.words[-1:] == ["or"] else reading.words  # "… or nah"
    if reading.negation.staying or set(asked) & COMBINING:
        return None  # "still at", "bigger", "vs": one fact alone does not settle it
    if any(len(m.candidates) != 1 for m in reading.mentions):
        return None  # namesakes: which one is meant is for the asker to say
    terms = _terms(reading, ctx.snapshot.name_words.every)
    total = sum(terms.values())
    if not total:
        return None
    roles = await (await memo(ctx)).all_roles(ctx)
    least = MIN_SHARE_YES_NO if reading.yes_no() else MIN_SHARE
    needed = max(MIN_HELD, least * total)
    ranked: list[tuple[float, str, StoredFact, float]] = []
    # Words the question asks about, beside its cue words ("grow"): most of them must be held.
    topic = {
        t: w for t, w in terms.items() if t in reading.topic and t not in LIGHT_STEMS | NEWS_STEMS
    }
    for stored in await _pool(ctx, reading, terms, about):
        # "The former CTO": the titles its people hold are words of the fact.
        titles = frozenset().union(
            *(title_words(r.title) for e in stored.fact.focus() for r in roles.of(e))
        )
        if _most_held(ctx, stored, terms, titles) < needed:
            continue  # found out from its raw text, before the costlier stemming
        text = fact_text(ctx, stored)
        if text is None:
            continue
        text |= titles
        if any(_is_person(ctx, e) for e in stored.fact.focus()):
            text |= _NAMED  # "what is his name": a fact about a person names them
        if (terms.keys() & QUALIFIER_STEMS) - text:
            continue  # "the total revenue" is not its growth
        if reading.proper - text:
            continue  # a capitalised word that names nothing known ("Au") must be in it
        if topic and sum(w for t, w in topic.items() if t in text) < least * sum(topic.values()):
            continue  # the cue words fit, not what they ask about: "revenue" is not growth
        held = sum(w for t, w in terms.items() if t in text)
        # Facts drawn from one sentence share its quote: their own words tell them apart.
        own = own_text(stored.fact)
        if held:
            score = held + sum(w for t, w in terms.items() if t in own)
            ranked.append((score, stored.fact.reported_on, stored, held))
    if not ranked:
        return None
    # A fact of a kind the question asks for ("by how much": a figure) before any other.
    kinds = {
        w.kind
        for i in INTENTS
        if i.name in reading.intents and not i.fallback and i.strategy == "facts"
        for w in i.wants
    }
    ranked.sort(key=lambda r: (r[2].fact.KIND in kinds, r[0], r[1]), reverse=True)
    _, _, best, held = ranked[0]
    share = held / total
    if share < least or held < MIN_HELD:
        return None
    return Closest(best, reading.yes_no(), share, held, _others(ranked))


def _is_person(ctx: Context, entity_id: str) -> bool:
    """Whether the entity is a person (a group such as "3 researchers" names no one)."""
    entity = ctx.index.entities.get(entity_id)
    return entity is not None and entity.kind == "person"


def _most_held(
    ctx: Context, stored: StoredFact, terms: dict[str, float], titles: frozenset[str]
) -> float:
    """At least the weight of the terms fact_text() holds: those found in its raw text.

    A stem is a prefix of its word, or one plus "y" ("company" from "companies"), so a term
    whose prefix is nowhere in the casefolded fields, names and date is in none of its words.
    """
    fact = stored.fact
    names = " ".join(ctx.name(e) for _, e in fact.mentioned())
    raw = f"{fact.model_dump_json()} {names} {fmt.date(fact.reported_on)}".casefold()
    return sum(
        w
        for t, w in terms.items()
        if t in titles or (t[:-1] if t.endswith("y") else t) in raw or not t.isascii()
    )


def _others(ranked: Sequence[tuple[float, str, StoredFact, float]]) -> list[StoredFact]:
    """The next best facts, shown after the closest."""
    return [r[2] for r in ranked[1:4]]
