"""Comparisons of two named sides: "which was bigger, A's bonus or B's grant", "X or Y, who left first".

The question is split at the word between its two sides ("or", "vs", "and", "with"); each side
is asked on its own (the shared words, that side's words, no comparative), the way any question
is, and the two best facts are compared: figures by value, anything else by date. Nothing is
answered unless both sides are found and the comparison is settled by the facts themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot import phrasing as fmt
from bot.answers import Context
from bot.ask.candidates import About, Candidate, find_candidates
from bot.ask.intents import is_cue_word
from bot.ask.question import Mention, Reading
from bot.ask.reading import read
from bot.knowledge.facts import Figure
from bot.store import StoredFact
from bot.text import STOP_WORDS

_MORE_TEXT = """
    more most bigger biggest larger largest higher highest faster fastest greater greatest
    better best stronger strongest
"""
MORE = frozenset(_MORE_TEXT.split())
_LESS_TEXT = "less least smaller smallest lower lowest slower slowest fewer fewest"
LESS = frozenset(_LESS_TEXT.split())
_EARLY_TEXT = "before earlier earliest first sooner soonest prior"
EARLY = frozenset(_EARLY_TEXT.split())
_LATE_TEXT = "later latest last after recent recently newer newest"
LATE = frozenset(_LATE_TEXT.split())
_SEPARATORS = frozenset({"or", "vs", "versus", "and", "with", "against"})
_COMPARE = frozenset({"compare", "compared", "comparison", "vs", "versus"})
# Figures in different currencies are compared only this far apart: no rate of exchange
# between them would turn the result round.
CURRENCY_MARGIN = 3.0


@dataclass(frozen=True)
class Compared:
    """The two sides' facts, the one the question asks for first, and what was compared."""

    first: StoredFact
    second: StoredFact
    said: str


def _sides(reading: Reading) -> tuple[int, list[Mention], list[Mention]] | None:
    """The separator's position and the mentions on each side of it; None without two sides."""
    mentions = reading.mentions
    for at, word in enumerate(reading.words):
        if word not in _SEPARATORS:
            continue
        before = [m for m in mentions if m.end <= at]
        after = [m for m in mentions if m.start > at]
        if before and after:
            return at, before, after
    return None


_PRONOUNS = frozenset({"its", "their", "his", "her"})


async def _one_named(
    ctx: Context, reading: Reading, about: About, *, less: bool
) -> Compared | None:
    """Two figures of one name ("Acme's X or its Y"), compared by value; None if unsettled."""
    if len(reading.mentions) != 1 or not set(reading.words) & (MORE | LESS):
        return None
    named = reading.mentions[0]
    words = reading.words
    at = next(
        (
            i
            for i, w in enumerate(words[:-1])
            if w in _SEPARATORS and i > named.end and words[i + 1] in _PRONOUNS
        ),
        None,
    )
    if at is None:
        return None
    # The pronoun's side is asked of the name it stands for.
    a_words = [w for w in words[named.start : at] if w not in MORE | LESS]
    b_words = [named.text, *(w for w in words[at + 2 :] if w not in MORE | LESS)]
    a = await _best(ctx, reading, " ".join(a_words), about)
    b = await _best(ctx, reading, " ".join(b_words), about)
    if a is None or b is None or a.stored is None or b.stored is None:
        return None
    if a.stored.fact.id == b.stored.fact.id:
        return None
    if not (isinstance(a.stored.fact, Figure) and isinstance(b.stored.fact, Figure)):
        return None
    return _by_value(a.stored, b.stored, less=less)


def _side_text(reading: Reading, span: range, other: range, sep: int) -> str:
    """One side's own words, with the words of asking the two share ("who", "left").

    The other shared words ("payday", "sum") tell the kind of thing compared, in words the
    facts need not use; the comparatives are the comparison itself.
    """
    asked = MORE | LESS | EARLY | LATE | _COMPARE
    return " ".join(
        w
        for i, w in enumerate(reading.words)
        if i != sep
        and w not in asked
        and (i in span or (i not in other and not _named(reading, i) and _asks(w)))
    )


def _named(reading: Reading, at: int) -> bool:
    return any(m.start <= at < m.end for m in reading.mentions)


def _asks(word: str) -> bool:
    """Whether a shared word is one of asking: a stop word or an intent's cue."""
    return word in STOP_WORDS or is_cue_word(word)


async def _best(ctx: Context, reading: Reading, text: str, about: About) -> Candidate | None:
    """The best confident fact a side's own question finds."""
    linked = frozenset(w for m in reading.mentions for w in m.text.split())
    side = read(ctx.index, text, ctx.snapshot.name_words, linked)
    if not side.mentions:
        return None
    found = await find_candidates(ctx, side, about)
    if not found or found[0].supporting or found[0].hedged or found[0].stored is None:
        return None
    return found[0]


async def compare(ctx: Context, reading: Reading, about: About) -> Compared | None:
    """The two sides of a comparison, the one asked for first; None if it is not one or unsettled."""
    words = set(reading.words)
    magnitude = bool(words & (MORE | LESS))
    timing = bool(words & (EARLY | LATE))
    listed = bool(words & _COMPARE)
    if not (magnitude or timing or listed):
        return None
    split = _sides(reading)
    if split is None:
        return await _one_named(ctx, reading, about, less=bool(words & LESS))
    sep, before, after = split
    head_asks = before[0].start > 0 and any(
        w in MORE | LESS | EARLY | LATE | _COMPARE for w in reading.words[: before[0].start]
    )
    # "Which was bigger: A's bonus or B's grant" asks first, so B runs to the end; "A and B,
    # who left first" asks last, so B is its names only.
    end = len(reading.words) if head_asks else after[-1].end
    a_span = range(before[0].start, sep)
    b_span = range(sep + 1, end)
    a = await _best(ctx, reading, _side_text(reading, a_span, b_span, sep), about)
    b = await _best(ctx, reading, _side_text(reading, b_span, a_span, sep), about)
    if a is None or b is None or a.stored is None or b.stored is None:
        return None
    if a.stored.fact.id == b.stored.fact.id:
        return None
    fa, fb = a.stored.fact, b.stored.fact
    if isinstance(fa, Figure) and isinstance(fb, Figure) and (magnitude or listed):
        return _by_value(a.stored, b.stored, less=bool(words & LESS))
    if timing and not magnitude:
        return _by_date(a.stored, b.stored, late=bool(words & LATE))
    return None


def _by_value(a: StoredFact, b: StoredFact, *, less: bool) -> Compared | None:
    """Two figures by value, when their units allow it."""
    fa, fb = a.fact, b.fact
    assert isinstance(fa, Figure) and isinstance(fb, Figure)
    if fa.value is None or fb.value is None or fa.value == fb.value:
        return None
    big, small = (a, b) if fa.value > fb.value else (b, a)
    ratio = max(fa.value, fb.value) / max(min(fa.value, fb.value), 1e-9)
    if fa.unit != fb.unit:
        if not (_is_currency(fa.unit) and _is_currency(fb.unit)) or ratio < CURRENCY_MARGIN:
            return None  # another unit, or too close to call without a rate of exchange
        how = (
            f"in different currencies, but more than {int(ratio)} times apart, which no rate of "
            "exchange turns round"
        )
    else:
        how = f"{ratio:.1f} times the other" if ratio >= 2 else "the larger of the two"
    first, second = (small, big) if less else (big, small)
    word = "smaller" if less else "larger"
    return Compared(first, second, f"The {word} figure is the first ({how}).")


def _is_currency(unit: str) -> bool:
    unit = unit.strip()
    return len(unit) == 3 and unit.isalpha() and unit.isupper()


def _by_date(a: StoredFact, b: StoredFact, *, late: bool) -> Compared | None:
    """Two facts by when they happened (else were reported)."""
    da, db = a.fact.day(), b.fact.day()
    if da == db or da.startswith(db) or db.startswith(da):
        return None  # the same day, or one date too coarse to tell
    early, later = (a, b) if da < db else (b, a)
    first, second = (later, early) if late else (early, later)
    when = fmt.date(first.fact.day())
    other = fmt.date(second.fact.day())
    word = "later" if late else "earlier"
    return Compared(first, second, f"The first happened {word}: {when}, against {other}.")
