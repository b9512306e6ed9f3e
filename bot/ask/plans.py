"""Questions about the news as a whole, answered by a small plan over the store's moves and figures.

"Which move was reported most recently", "how many people changed company", "who else left,
besides X", "which company gained the most people", "what is the largest dollar figure": no one
fact answers these, and the question names no one to look up. A plan says which facts (moves in a
direction, or figures), which filter (a successor named, names left out, words they must hold)
and which operation (list, newest, oldest, count, the most by company, the largest value); it
runs over the newest facts the slash commands read (``Reader.moves``, ``facts_of_kind``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from bot import phrasing as fmt
from bot.answers import Context, items
from bot.ask.compare import EARLY, LATE, LESS, MORE
from bot.ask.fit import fact_text
from bot.ask.intents import is_cue_word
from bot.ask.memo import memo
from bot.ask.question import Reading
from bot.ask.retrieve import ASKING
from bot.ask.words import LIGHT_STEMS, stem
from bot.knowledge.facts import Figure, Move
from bot.models import Answer, Item, Section
from bot.store import StoredFact
from bot.text import STOP_WORDS
from bot.windows import Window

SCANNED = 1000  # newest facts a plan runs over: the news as the asker follows it
LISTED = 10
Operation = Literal["list", "newest", "oldest", "count", "most", "largest", "smallest"]

_MOVE_WORDS = frozenset({"move", "moves", "moved", "changed", "switched", "gained", "gain"})
# Words that phrase a question about the news as a whole, found in no fact ("the persons that
# have replaced somebody", "an interim appointee", "a senior executive").
_PHRASING_TEXT = """
    person persons people senior junior top else other others named name names appointee
    appointees news article articles reported report reports company companies firm firms job
    jobs career careers executive executives one two three four five gained gain lost total
    anyone somebody someone everyone change changed changes switched most
"""
_PHRASING = frozenset(stem(w) for w in _PHRASING_TEXT.split())
_RANKING = MORE | LESS | EARLY | LATE
_MOVE_NOUNS = frozenset({"move", "moves"})
_FIGURE_WORDS = frozenset({"figure", "figures", "number", "numbers", "amount", "sum", "value"})
_COUNT_WORDS = frozenset({"count", "total"})
# Currency words as people write them, to the ISO codes figures are stored in.
_CURRENCIES = {
    "dollar": "USD",
    "dollars": "USD",
    "usd": "USD",
    "euro": "EUR",
    "euros": "EUR",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "gbp": "GBP",
    "yen": "JPY",
}
# "Who left first", "which one": a person is asked for, not an unnamed group.
_ONE_PERSON = frozenset({"who", "one", "person", "executive", "executives", "exec"})


@dataclass(frozen=True)
class Plan:
    """What to read, how to filter it and what to do with it."""

    kind: Literal["move", "figure"]
    direction: Literal["from", "to"] | None  # for moves: departures, arrivals, or either
    operation: Operation
    successor: bool = False  # only moves that name who took over
    unit: str | None = None  # only figures in this unit


def plan(reading: Reading) -> Plan | None:
    """The plan for a question that names no one; None when it asks for no plan."""
    if reading.mentions:
        return None
    words = set(reading.words)
    text = " ".join(reading.words)
    asks = reading.intents.keys()
    counting = "how many" in text or bool(words & _COUNT_WORDS)
    if asks & {"left", "joined", "moved", "successor"} or words & _MOVE_WORDS:
        direction: Literal["from", "to"] | None = (
            "from" if "left" in asks else "to" if "joined" in asks else None
        )
        if "most" in words and direction is None:
            direction = "to" if words & {"gained", "gain", "gains", "won"} else None
        operation: Operation = (
            "count"
            if counting
            else "most"
            if "most" in words
            and words & {"company", "companies", "firm", "which"}
            and not words & LATE
            else "newest"
            if words & LATE
            else "oldest"
            if words & EARLY
            else "list"
        )
        if operation == "most" and direction is None:
            return None
        return Plan("move", direction, operation, successor="successor" in asks)
    if "figures" in asks or words & (_FIGURE_WORDS | _CURRENCIES.keys()):
        units = {_CURRENCIES[w] for w in words if w in _CURRENCIES}
        unit = units.pop() if len(units) == 1 else None
        if words & MORE:
            return Plan("figure", None, "largest", unit=unit)
        if words & LESS:
            return Plan("figure", None, "smallest", unit=unit)
    return None


async def run_plan(
    ctx: Context, reading: Reading, title: str, window: Window | None = None
) -> Answer | None:
    """The answer the plan finds (inside the window, if any), or None when nothing fits."""
    chosen = plan(reading)
    if chosen is None:
        return None
    if chosen.kind == "figure":
        return await _figures(ctx, reading, chosen, title)
    return await _moves(ctx, reading, chosen, title, window)


async def _read_moves(ctx: Context, direction: Literal["from", "to"] | None) -> list[StoredFact]:
    if direction is not None:
        return await ctx.reader.moves(direction, SCANNED)
    return await ctx.reader.facts_of_kind("move", SCANNED)


def _people(move: Move) -> int:
    if move.group is not None:
        return move.group.count or 1
    return 1


def _phrasing(word: str) -> bool:
    """Whether a word only phrases a question about the news as a whole."""
    return (
        stem(word) in _PHRASING
        or stem(word) in LIGHT_STEMS
        or stem(word) in ASKING
        or word in _RANKING
        or word in _CURRENCIES
        or is_cue_word(word)
        or is_cue_word(word.removesuffix("s"))
        or word.isdigit()
    )


def _soft_filter(
    ctx: Context, reading: Reading, facts: Sequence[StoredFact]
) -> list[StoredFact] | None:
    """The facts holding the question's topic words, of those that any fact holds.

    A word no fact holds is the question's phrasing ("appointee", "senior") when it is a word of
    asking; any other ("apple" in "who joined apple") may name what the news does not know, and
    then nothing fits: None.
    """
    topic = reading.topic - {stem(w) for w in STOP_WORDS}
    texts = {f.fact.id: fact_text(ctx, f) or frozenset() for f in facts}
    held = topic & frozenset().union(*texts.values()) if texts else frozenset()
    typed = {stem(w): w for w in reading.words}
    if any(not _phrasing(typed.get(t, t)) for t in topic - held):
        return None
    if not held:
        return list(facts)
    return [f for f in facts if held <= texts[f.fact.id]]


async def _moves(
    ctx: Context, reading: Reading, chosen: Plan, title: str, window: Window | None
) -> Answer | None:
    # A word that must be held ("initech" of "who left initech") is looked for in the newest
    # moves' text, kept per knowledge version, before any move is read.
    typed = {stem(w): w for w in reading.words}
    if any(typed.get(t, t) in ctx.snapshot.name_words.every for t in reading.topic):
        return None  # a name it could not link: whose moves are meant is unclear
    needed = [t for t in reading.topic if not _phrasing(typed.get(t, t))]
    if needed and not await (await memo(ctx)).any_newest(
        ctx, "move", lambda raw: all(t in raw for t in needed)
    ):
        return None
    facts = [f for f in await _read_moves(ctx, chosen.direction) if isinstance(f.fact, Move)]
    if window is not None:
        facts = [f for f in facts if window.holds(f.fact.day())]
    left_out = {c.id for m in reading.negation.excluded for c in m.candidates}
    if left_out:
        facts = [f for f in facts if not left_out & {e for _, e in f.fact.mentioned()}]
    if chosen.successor:
        facts = [f for f in facts if isinstance(f.fact, Move) and f.fact.successor is not None]
    kept = _soft_filter(ctx, reading, facts)
    if not kept:
        return None
    facts = kept
    facts.sort(key=lambda f: f.fact.day(), reverse=True)
    said: str
    shown: list[StoredFact]
    if chosen.operation in ("newest", "oldest"):
        if set(reading.words) & _ONE_PERSON and not set(reading.words) & _MOVE_NOUNS:
            facts = [f for f in facts if isinstance(f.fact, Move) and f.fact.person is not None]
        if len(facts) < 2:
            return None
        if chosen.operation == "oldest":
            facts.reverse()
        first = facts[0].fact.day()
        if facts[1].fact.day() == first:
            return None  # a tie: not for me to pick
        word = "most recent" if chosen.operation == "newest" else "earliest"
        said = f"The {word} of the {len(facts)} that fit ({fmt.date(first)}), then the others."
        shown = facts[:LISTED]
    elif chosen.operation == "count":
        people = sum(_people(f.fact) for f in facts if isinstance(f.fact, Move))
        said = (
            f"{fmt.count(people, 'people')} in {fmt.count(len(facts), 'moves')} the news I know "
            f"records{' (of the newest moves)' if len(facts) >= SCANNED else ''}; each is listed."
        )
        shown = facts[:LISTED]
    elif chosen.operation == "most":
        assert chosen.direction is not None
        by_company: Counter[str] = Counter()
        for f in facts:
            move = f.fact
            assert isinstance(move, Move)
            company = move.to_company if chosen.direction == "to" else move.from_company
            if company is not None and company in ctx.index.entities:
                by_company[company] += _people(move)
        ranked = by_company.most_common(2)
        if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
            return None
        top, people = ranked[0]
        verb = "gained" if chosen.direction == "to" else "lost"
        said = f"{ctx.name(top)} {verb} the most: {fmt.count(people, 'people')}."
        part = "to" if chosen.direction == "to" else "from"
        mine = [f for f in facts if (part, top) in f.fact.mentioned()]
        shown = (mine + [f for f in facts if f not in mine])[:LISTED]
    else:
        said = f"{fmt.count(len(facts), 'moves')} fit, newest first."
        shown = facts[:LISTED]
    return await _answer(ctx, title, said, shown, succession=chosen.successor)


async def _answer(
    ctx: Context, title: str, said: str, shown: Sequence[StoredFact], *, succession: bool
) -> Answer:
    lines = await items(ctx, shown)
    if succession:
        lines = [_succession(ctx, f, line) for f, line in zip(shown, lines, strict=True)]
    return Answer(
        command="ask",
        status="ok",
        title=title,
        message=said,
        sections=[Section(heading="Answer", items=lines)],
    )


def _succession(ctx: Context, stored: StoredFact, line: Item) -> Item:
    """A move told by who took over, its usual line after."""
    fact = stored.fact
    sentence = fact.succession(ctx) if isinstance(fact, Move) else None
    return line.model_copy(update={"text": sentence, "detail": line.text}) if sentence else line


async def _figures(ctx: Context, reading: Reading, chosen: Plan, title: str) -> Answer | None:
    facts = [
        f
        for f in await ctx.reader.facts_of_kind("figure", SCANNED)
        if isinstance(f.fact, Figure) and f.fact.value is not None
    ]
    units = {f.fact.unit for f in facts if isinstance(f.fact, Figure)}
    unit = chosen.unit or (units.pop() if len(units) == 1 else None)
    if unit is None:
        return None  # no one unit to rank by: no rate of exchange is applied
    facts = [f for f in facts if isinstance(f.fact, Figure) and f.fact.unit == unit]
    if len(facts) < 2:
        return None

    def value(f: StoredFact) -> float:
        assert isinstance(f.fact, Figure) and f.fact.value is not None
        return f.fact.value

    facts.sort(key=value, reverse=chosen.operation == "largest")
    if value(facts[0]) == value(facts[1]):
        return None
    word = "largest" if chosen.operation == "largest" else "smallest"
    said = f"The {word} of the {len(facts)} figures in {unit} the news I know gives, then the rest."
    return await _answer(ctx, title, said, facts[:LISTED], succession=False)
