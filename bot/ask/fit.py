"""How well a fact fits a question: the parts its entities play, the question's words it holds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache

from bot import phrasing as fmt
from bot.answers import Context
from bot.ask.intents import Want
from bot.ask.question import Mention, Reading
from bot.ask.words import NEWS_STEMS, is_date_word, stems, title_words
from bot.knowledge.facts import Fact, Move
from bot.store import StoredFact
from bot.text import normalize


def cover(
    pairs: Iterable[tuple[str, str]],
    mentions: Sequence[Mention],
    want: Want,
    fixed: dict[int, frozenset[str]] | None = None,
) -> dict[int, str] | None:
    """Which entity of each mention the fact involves in a fitting part; None if one does not.

    ``fixed`` gives the only parts some mentions may play (decided by word order).
    """
    parts: dict[str, set[str]] = {}
    for part, entity_id in pairs:
        parts.setdefault(entity_id, set()).add(part)
    covered: dict[int, str] = {}
    primary = False
    for i, mention in enumerate(mentions):
        main = fixed[i] if fixed and i in fixed else want.primary
        allowed = main if fixed and i in fixed else want.primary | want.secondary
        for ref in mention.candidates:
            played = parts.get(ref.id, set())
            if played & allowed:
                covered[i] = ref.id
                primary = primary or bool(played & main)
                break
        else:
            return None
    return covered if primary or not mentions else None


def topic_fit(reading: Reading, text: frozenset[str], cue_stems: frozenset[str]) -> float | None:
    """Share of the question's topic words the text holds; None when too few for an answer."""
    if reading.proper - text:
        return None  # an unknown name the fact does not mention: it is about someone else
    wanted = wanted_words(reading, cue_stems)
    if not wanted:
        return 0.0 if reading.mentions else None
    hits = len(wanted & text)
    what = {w for w in wanted - NEWS_STEMS if not is_date_word(w)}
    if what and not what & text:
        return None  # only its report date fits: "X's revenue in 2025" is not X's 2025 news
    # With no name to anchor it, a fact must hold every word asked about; with one, most.
    if hits == 0 or hits < (len(wanted) if not reading.mentions else len(wanted) / 2):
        return None
    return hits / len(wanted)


def wanted_words(reading: Reading, cue_stems: frozenset[str]) -> frozenset[str]:
    """The words a fact should hold: the topic, or with no names and no topic, the cue words."""
    return reading.topic or (cue_stems if not reading.mentions else frozenset())


def _strings(value: object) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key != "id":
                yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def fact_text(
    ctx: Context, stored: StoredFact, needed: frozenset[str] = frozenset()
) -> frozenset[str] | None:
    """Stems of everything a fact says: its fields, the names it involves, its date.

    None, found out cheaply, when the text surely lacks one of the ``needed`` stems.
    """
    fact = stored.fact
    parts = list(_strings(fact.model_dump(mode="json", by_alias=True)))
    parts += [ctx.name(entity_id) for _, entity_id in fact.mentioned()]
    parts.append(fmt.date(fact.reported_on))
    titles = title_words(fact.role) if isinstance(fact, Move) and fact.role else frozenset()
    text = " ".join(parts)
    if needed and _lacks(text, needed - titles):
        return None
    return stems(text) | titles


def _lacks(text: str, needed: frozenset[str]) -> bool:
    """Whether stems(text) surely lacks one of the needed stems; False when unsure.

    A stem is a prefix of its word, or one plus "y" ("company" from "companies"). normalize()
    lowercases, drops a possessive "'s", spells "&" as "and" and breaks words at every other
    character that is not a letter or digit; so when every non-ASCII character is such a break
    (curly quotes, dashes), the words of a text without "&" are runs of its ASCII letters and
    digits, and a stem whose prefix is nowhere in the lowercased text is in none of them.
    """
    if "&" in text or not all(_separates(c) for c in set(text) if not c.isascii()):
        return False  # normalize() may add "and", or make or join letters
    lowered = text.lower()
    return any((word[:-1] if word.endswith("y") else word) not in lowered for word in needed)


@lru_cache(maxsize=1 << 12)
def _separates(char: str) -> bool:
    """Whether normalize() turns the character into a word break and nothing else."""
    return normalize(f"a{char}b") == "a b"


def own_text(fact: Fact) -> frozenset[str]:
    """Stems of the words the curator chose for the fact (not the quote it may share)."""
    return stems(fact.own_words())
