"""Each kind of question the bot understands: the words that ask it, the facts that answer it.

To teach the bot a new way of asking, add cue words to an intent's ``cues`` ("replac*" matches any
word starting "replac"). To answer a new kind of question, add an ``Intent`` to ``INTENTS``: its
name, its cues, and the ``Want`` rows that say which facts answer it and what part the named
people and companies play in them; an answer sentence of its own is a ``phrase`` function here
(built from the fact kind's own wording), a rule read from word order ("who did X replace") is in
bot/ask/word_order.py. Cues are plain words, never names from the knowledge files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from bot.answers import Context
from bot.ask.question import Mention, Reading
from bot.ask.word_order import direction_parts, speech_parts, succession_parts
from bot.knowledge.facts import BY_KIND, KINDS, Fact, Figure, Move, Note, Statement
from bot.store import StoredFact

Strategy = Literal["facts", "roles", "profile", "when"]
Phrase = Callable[[Context, StoredFact], str | None]

# Every part an entity may play in a fact, as the kinds declare them, but a figure's source:
# who gave a number is not what the number is about.
ALL_PARTS = frozenset(ref.part for kind in KINDS for _, _, ref in kind.REFS) - {"source"}


@dataclass(frozen=True)
class Want:
    """Facts that answer an intent, and the parts the named entities may play in them.

    Every named entity must play a ``primary`` or ``secondary`` part, and at least one a primary
    part: "who joined Acme?" is not answered by a move *from* Acme.
    """

    kind: str  # a fact kind's KIND ("move", ...)
    primary: frozenset[str]
    secondary: frozenset[str] = frozenset()
    subkinds: tuple[str, ...] = ()  # topics (Fact.topic()) of the kind, preferred first
    test: Callable[[Fact], bool] | None = None
    terms: tuple[str, ...] = ()  # the fact's own text must contain one of these
    cued: bool = False  # its own text must say what is asked ("competing", "taken over")
    # Evidence only: listed beside an answer, never the answer (the parts a statement's "about"
    # entities play are not recorded, so it cannot be trusted to answer alone).
    supporting: bool = False
    # The parts one named entity may play, when word order decides ("who did X replace").
    parts: Callable[[Reading, Mention], frozenset[str] | None] | None = None

    def __post_init__(self) -> None:
        if self.kind not in BY_KIND:  # a typo in the table fails at import, not silently
            raise ValueError(f"no fact kind {self.kind!r}; the kinds are {sorted(BY_KIND)}")


@dataclass(frozen=True)
class Intent:
    """One kind of question: the words that ask it, and the facts that answer it."""

    name: str
    cues: tuple[str, ...]  # words or phrases; "replac*" matches any word starting "replac"
    wants: tuple[Want, ...] = ()
    strategy: Strategy = "facts"
    phrase: Phrase | None = None  # the answer sentence; default: the fact's usual line
    fallback: bool = False  # only used when no other intent is asked
    exclusive: bool = False  # when asked, no other intent may answer ("why ..." is not "what")
    # Cues that are also a topic the answer must contain: "who replaced the CEO" asks about a
    # replacement *and* a CEO.
    topical: tuple[str, ...] = ()

    @property
    def all_cues(self) -> tuple[str, ...]:
        """Every word or phrase that asks it, topical ones included."""
        return self.cues + self.topical


def successor_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """For "who replaced X": the move's succession sentence."""
    fact = stored.fact
    return fact.succession(ctx) if isinstance(fact, Move) else None


def statement_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """For "what did X say": statements only, worded as everywhere else."""
    fact = stored.fact
    return fact.sentence(ctx) if isinstance(fact, Statement) else None


def source_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """For "who said ...": statements by their speaker, figures by who gave them."""
    fact = stored.fact
    if isinstance(fact, Figure) and fact.according_to:
        return f"{ctx.name(fact.according_to)} gave this figure: {fact.sentence(ctx)}"
    return statement_sentence(ctx, stored)


def reporter_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """For "who reported ...": the outlet the article credits, then the fact."""
    fact = stored.fact
    if fact.reported_by is None:
        return None
    return f"{fact.reported_by} reported it: {fact.sentence(ctx)}"


def _has_reporter(fact: Fact) -> bool:
    return fact.reported_by is not None


def _has_successor(fact: Fact) -> bool:
    return isinstance(fact, Move) and fact.successor is not None


def _has_from(fact: Fact) -> bool:
    return isinstance(fact, Move) and fact.from_company is not None


def _has_to(fact: Fact) -> bool:
    return isinstance(fact, Move) and fact.to_company is not None


def _is_group(fact: Fact) -> bool:
    return isinstance(fact, Move) and fact.group is not None and fact.group.count is not None


def _is_count(fact: Fact) -> bool:
    """A count of things, not a sum of money or a percentage."""
    if not isinstance(fact, Figure):
        return False
    unit = fact.unit.strip()
    return unit != "%" and not (len(unit) == 3 and unit.isalpha() and unit.isupper())


def _has_source(fact: Fact) -> bool:
    return isinstance(fact, Figure) and fact.according_to is not None


def _several_entities(fact: Fact) -> bool:
    return isinstance(fact, Note) and len({*fact.subjects, *fact.related}) >= 2


_MOVER = frozenset({"person", "from", "to"})
_FIGURE_PRIMARY, _FIGURE_SECONDARY = frozenset({"subject", "about"}), frozenset({"source"})
_FACT_SECONDARY = frozenset({"company", "related"})
_VALUE_TERMS = ("cap", "capitalisation", "capitalization", "valuation", "value", "worth")
_PAY_TERMS = ("bonus", "offer", "pay", "salary", "compensation", "package", "grant", "wage")
# Words that give a reason: only a fact saying one answers "why".
_REASON_TERMS = (
    "because",
    "reason",
    "due",
    "attempt",
    "amid",
    "aim",
    "goal",
    "purpose",
    "drive",
    "drove",
    "driven",
    "fuel",
    "boost",
    "cause",
)
_GROWTH_TERMS = ("grow", "growth", "grew", "increase", "rise", "rose", "higher", "gain")


# A statement that says what is asked ("his responsibilities have been taken over by ..."), as
# further evidence after the fact itself.
_SAYS_SO = Want("statement", frozenset({"speaker", "about"}), cued=True, supporting=True)


def _figure(*terms: str, test: Callable[[Fact], bool] | None = None) -> Want:
    return Want("figure", _FIGURE_PRIMARY, _FIGURE_SECONDARY, terms=terms, test=test)


def _fact(*subkinds: str, primary: frozenset[str] = frozenset({"subject"})) -> Want:
    return Want("note", primary, _FACT_SECONDARY, subkinds=subkinds)


# Order matters when two intents are asked equally strongly: the earlier one phrases the answer.
# To teach the bot a new way of asking, add cue words here; to answer a new kind of fact, add a
INTENTS: tuple[Intent, ...] = (
    Intent(
        "why",
        ("why", "reason*", "how come", "what for", "motive*", "because"),
        (
            Want("statement", ALL_PARTS, terms=_REASON_TERMS),
            Want("note", ALL_PARTS, terms=_REASON_TERMS),
            Want("figure", ALL_PARTS, terms=_REASON_TERMS),
        ),
        exclusive=True,
    ),
    Intent(
        "successor",
        (
            "replac*",
            "took over",
            "take over",
            "takes over",
            "taking over",
            "taken over",
            "succeed*",
            "successor*",
            "stepped in",
            "step in",
            "steps in",
            "stepping in",
            "filled in",
            "fill in",
            "in place of",
            "instead of",
            "responsibilit*",
            "duties",
            "inherit*",
        ),
        (
            Want(
                "move",
                frozenset({"person", "successor", "from"}),
                test=_has_successor,
                parts=succession_parts,
            ),
            _SAYS_SO,
        ),
        phrase=successor_sentence,
    ),
    Intent(
        "tenure",
        ("how long", "how many years", "tenure", "years", "stay*", "stint", "spen*", "been at"),
        (_fact("tenure", primary=frozenset({"subject", "company"})),),
    ),
    Intent(
        "value",
        (
            "worth",
            "market cap",
            "market caps",
            "market capitali*",
            "market value",
            "valuation*",
            "valued",
            "valuable",
            "value",
        ),
        (_figure(*_VALUE_TERMS), replace(_fact("description", "event"), terms=_VALUE_TERMS)),
    ),
    Intent(
        "pay",
        (
            "bonus*",
            "signing",
            "offer*",
            "pay",
            "pays",
            "paying",
            "paid",
            "salary",
            "salaries",
            "compensation",
            "package*",
            "grant*",
            "wage*",
            "incentive*",
            "money",
        ),
        (_figure(*_PAY_TERMS),),
    ),
    Intent(
        "growth",
        (
            "grow*",
            "grew",
            "increase*",
            "rise",
            "rose",
            "risen",
            "rising",
            "percent*",
            "higher",
            "more than",
        ),
        (
            _figure(*_GROWTH_TERMS),
            _figure(test=lambda f: isinstance(f, Figure) and f.unit.strip() == "%"),
        ),
    ),
    Intent(
        "count",
        ("how many", "number of", "count"),
        (_figure(test=_is_count), Want("move", _MOVER, test=_is_group)),
    ),
    Intent(
        "source",
        (
            "who said",
            "who says",
            "who claimed",
            "who told",
            "who confirmed",
            "who announced",
            "who stated",
            "according to whom",
            "who mentioned",
        ),
        (
            Want("statement", frozenset({"speaker", "about"})),
            Want("figure", frozenset({"subject", "about", "source"}), test=_has_source),
        ),
        phrase=source_sentence,
    ),
    Intent(
        "reporter",
        (
            "who reported",
            "which outlet",
            "what outlet",
            "news outlet",
            "media outlet",
            "outlet",
            "outlets",
            "reported by",
            "which publication",
            "what publication",
            "which newspaper",
            "which media",
            "who broke",
        ),
        tuple(Want(kind.KIND, ALL_PARTS, test=_has_reporter) for kind in KINDS),
        phrase=reporter_sentence,
    ),
    Intent(
        "said",
        (
            "said",
            "say",
            "says",
            "saying",
            "talking about",
            "talked about",
            "told",
            "tell",
            "claim*",
            "comment*",
            "quote*",
            "statement*",
            "confirm*",
            "announc*",
            "stated",
            "remark*",
            "words",
        ),
        (Want("statement", frozenset({"speaker"}), frozenset({"about"}), parts=speech_parts),),
        phrase=statement_sentence,
    ),
    Intent(
        "built",
        (
            "built",
            "build*",
            "creat*",
            "launch*",
            "develop*",
            "invent*",
            "founded",
            "design*",
            "known for",
            "achiev*",
            "accomplish*",
            "work on",
            "worked on",
        ),
        (_fact("built", "pioneered", primary=frozenset({"subject", "company"})),),
    ),
    Intent(
        "pioneered",
        ("pioneer*", "innovat*", "first to"),
        (_fact("pioneered", "built", primary=frozenset({"subject", "company"})),),
    ),
    Intent(
        "oversaw",
        (
            "oversaw",
            "oversee*",
            "supervis*",
            "ran",
            "run",
            "runs",
            "running",
            "manag*",
            "led",
            "in charge",
            "responsible for",
            "previous*",
            "prior",
            "earlier",
            "used to",
            "formerly",
            "before",
        ),
        (_fact("oversaw"),),
    ),
    Intent(
        "doing",
        ("doing", "campaign*", "up to", "trying", "effort*", "plan*", "working on", "busy"),
        (_fact("doing", primary=frozenset({"subject", "company"})),),
    ),
    Intent(
        "competition",
        (
            "compet*",
            "rival*",
            "race",
            "battle*",
            "war",
            "wars",
            "fight*",
            "vying",
        ),
        (
            Want(
                "note",
                frozenset({"subject", "related"}),
                subkinds=("event",),
                test=_several_entities,
                cued=True,
            ),
        ),
    ),
    Intent(
        "happened",
        ("happen*", "news", "latest", "going on", "up with", "story"),
        (
            Want("move", _MOVER),
            _fact("event", "description", "doing", primary=ALL_PARTS),
            Want("statement", frozenset({"speaker", "about"})),
        ),
    ),
    Intent(
        "left",
        (
            "left",
            "leave*",
            "leaving",
            "quit*",
            "depart*",
            "exit*",
            "resign*",
            "step down",
            "stepped down",
            "steps down",
            "stepping down",
            "jump ship",
            "jumped ship",
            "lost",
            "lose",
            "loses",
        ),
        (
            Want(
                "move",
                frozenset({"person", "from"}),
                frozenset({"to"}),
                test=_has_from,
                parts=direction_parts,
            ),
            _SAYS_SO,
        ),
    ),
    Intent(
        "joined",
        (
            "join*",
            "hire*",
            "hiring",
            "poach*",
            "recruit*",
            "went to",
            "go to",
            "gone to",
            "goes to",
            "moved to",
            "move to",
            "moving to",
            "new job",
            "new employer",
            "lured",
        ),
        (
            Want(
                "move",
                frozenset({"person", "to"}),
                frozenset({"from"}),
                test=_has_to,
                parts=direction_parts,
            ),
            _SAYS_SO,
        ),
    ),
    Intent(
        "moved",
        ("where", "move", "moves", "moved", "career", "went", "go", "gone", "going"),
        (Want("move", _MOVER, parts=direction_parts),),
    ),
    Intent(
        "role",
        (
            "title",
            "role",
            "position",
            "job",
            "work",
            "works",
            "working",
            "employer",
            "employed",
            "executive",
            "exec",
        ),
        strategy="roles",
        topical=(
            "ceo",
            "cto",
            "cfo",
            "coo",
            "chief",
            "president",
            "vp",
            "svp",
            "evp",
            "head",
            "director",
            "founder",
            "manager",
            "boss",
        ),
    ),
    Intent(
        "figures",
        (
            "how much",
            "how big",
            "how large",
            "amount",
            "figure",
            "figures",
            "number",
            "numbers",
            "stat",
            "stats",
            "statistic*",
        ),
        (_figure(),),
        fallback=True,
    ),
    Intent(
        "profile",
        (
            "who is",
            "who was",
            "who are",
            "who s",
            "what is",
            "what was",
            "what are",
            "what does",
            "what do",
            "what kind of",
            "what sort of",
            "what type of",
            "about",
            "info",
            "information",
            "profile",
            "background",
            "describe",
            "explain",
        ),
        strategy="profile",
        fallback=True,
    ),
    Intent("when", ("when", "what date", "what day", "which day", "date"), strategy="when"),
)

# Words that ask something are never names to fuzzy-match nor topics a fact must contain.
_ALL_CUES = tuple(c for i in INTENTS for c in i.all_cues)
_CUE_WORDS = frozenset(w for c in _ALL_CUES for w in c.split() if "*" not in w)
_CUE_PREFIXES = tuple(w[:-1] for c in _ALL_CUES for w in c.split() if "*" in w)


def is_cue_word(word: str) -> bool:
    """Whether a typed word is one that asks something ("replaced", "how")."""
    return word in _CUE_WORDS or word.startswith(_CUE_PREFIXES)
