"""Plain-words questions -> cited answers, or an honest "I don't know".

A question is read in three steps: the people and companies it names (exact names and aliases,
then surnames and first names, then guarded fuzzy matching), what it asks (one table of intents
and their cue words, ``INTENTS``), and which stored facts fit both. A fact is only given as the
answer when every name in the question has a fitting part in it and the question's other content
words are found in it: a confident wrong answer is worse than "I don't know".
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Literal

from rapidfuzz.distance import OSA

from bot import format as fmt
from bot.answers import MAX_ITEMS, Context, figure_sentence, figure_view, item, move_view
from bot.knowledge.schema import Fact, Figure, Move, Sourced, Statement
from bot.models import Answer, Citation, Item, Section, Suggestion
from bot.resolve import EntityRef, NameIndex
from bot.store import FactKind, StoredFact, StoredRole, mentioned
from bot.text import normalize

MAX_WORDS = 60  # a question is read up to here: bounds the work for any input
MAX_WORD_CHARS = 40
MAX_SPAN_WORDS = 6  # longest name tried as one span
MAX_FUZZY_SPAN_WORDS = 3
MAX_FUZZY_TRIES = 40
SAFE_FUZZY_CHARS = 6  # shorter spans fuzzy-match only by a dropped letter or a plural "s"
MIN_NAME_WORD_CHARS = 4  # first names and fuzzy surnames
MAX_OTHERS = 10  # further matching facts listed after the best one
NO_ENTITY_SCAN = 1000  # newest facts of a kind scanned when the question names nobody
PROFILE_BONUS = 20  # "who is X": roles and descriptions before other facts
COMBO_BONUS = 15  # per further intent answered about the same person or thing

UNKNOWN = "I don't know that from the news I have."

# ---------------------------------------------------------------------- words


# Function words, fillers and generic nouns: never a name to fuzzy-match, never a topic that a
# fact must contain.
_STOP_TEXT = """
    a about above after again against all also am an and any anybody anyone anything are around
    as at be been before being both but by can could did do does doing done down during each
    either else ever exactly for from further get gets getting got had has have having he hello
    her here hers herself hey hi him himself his how however i if in into is it its itself just
    know let like me more much my myself new no nor not now of off ok okay on once one only
    or other our ours out over own please pls really recently right said same say she should so
    some somebody someone something still such tell than thank thanks that the their theirs them
    themselves then there these they this those through to too u under until up us very was we
    were what whats when where wheres whether which while who whos whom whose why hows will with
    would yeah yes yet you your yours bot company companies firm firms person people guy guys thing
    things
    currently actually basically exactly ya work worked working works
    big bigger large larger huge small smaller tiny
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())

_SUFFIXES = (
    "ations",
    "itions",
    "ation",
    "ition",
    "ables",
    "able",
    "ings",
    "ing",
    "ers",
    "ors",
    "ies",
    "ied",
    "er",
    "or",
    "es",
    "ed",
    "ly",
    "s",
)


def stem(word: str) -> str:
    """A crude stem, applied alike to question and fact words: "bonuses" = "bonus", "hiring" = "hire"."""
    for _ in range(2):
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + ("y" if suffix in ("ies", "ied") else "")
                break
        else:
            break
    if len(word) >= 4 and word.endswith("e"):
        word = word[:-1]
    return word


def stems(text: str) -> frozenset[str]:
    """Stems of every word of a text."""
    return frozenset(stem(w) for w in normalize(text).split())


# ---------------------------------------------------------------------- the intent table

Strategy = Literal["facts", "roles", "profile", "when"]
Phrase = Callable[[Context, StoredFact], str | None]

ALL_ROLES = frozenset(
    {"person", "from", "to", "successor", "subject", "about", "speaker", "company", "related"}
)


@dataclass(frozen=True)
class Want:
    """Facts that answer an intent, and the parts the named entities may play in them.

    Every named entity must play a ``primary`` or ``secondary`` part, and at least one a primary
    part: "who joined Acme?" is not answered by a move *from* Acme.
    """

    kind: FactKind
    primary: frozenset[str]
    secondary: frozenset[str] = frozenset()
    subkinds: tuple[str, ...] = ()  # Fact.kind values, preferred first
    test: Callable[[Sourced], bool] | None = None
    terms: tuple[str, ...] = ()  # the fact's own text must contain one of these
    cued: bool = False  # its own text must say what is asked ("competing", "taken over")
    # Evidence only: listed beside an answer, never the answer (the parts a statement's "about"
    # entities play are not recorded, so it cannot be trusted to answer alone).
    supporting: bool = False
    # The parts one named entity may play, when word order decides ("who did X replace").
    parts: Callable[[Reading, Mention], frozenset[str] | None] | None = None


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


def _has_successor(fact: Sourced) -> bool:
    return isinstance(fact, Move) and fact.successor is not None


def _has_from(fact: Sourced) -> bool:
    return isinstance(fact, Move) and fact.from_company is not None


def _has_to(fact: Sourced) -> bool:
    return isinstance(fact, Move) and fact.to_company is not None


def _is_group(fact: Sourced) -> bool:
    return isinstance(fact, Move) and fact.group is not None and fact.group.count is not None


def _is_count(fact: Sourced) -> bool:
    """A count of things, not a sum of money or a percentage."""
    if not isinstance(fact, Figure):
        return False
    unit = fact.unit.strip()
    return unit != "%" and not (len(unit) == 3 and unit.isalpha() and unit.isupper())


def _has_source(fact: Sourced) -> bool:
    return isinstance(fact, Figure) and fact.according_to is not None


def _several_entities(fact: Sourced) -> bool:
    return isinstance(fact, Fact) and len({*fact.subjects, *fact.related}) >= 2


_NOUN_CUE_TEXT = (
    "replacement replacements successor successors responsibility responsibilities duties"
)
_NOUN_CUES = frozenset(_NOUN_CUE_TEXT.split())
_PASSIVE_TEXT = "is was were be been being get gets got getting"
_PASSIVE = frozenset(_PASSIVE_TEXT.split())
_TOWARDS = frozenset({"to", "for", "into"})


def _direction_parts(reading: Reading, mention: Mention) -> frozenset[str] | None:
    """ "From X" is where a move started and "to X" where it ended, whatever the verb."""
    if mention.start == 0 or not any(c.kind == "company" for c in mention.candidates):
        return None
    before = reading.words[mention.start - 1]
    if before == "from":
        return frozenset({"from"})
    return frozenset({"to"}) if before in _TOWARDS else None


def _speech_parts(reading: Reading, mention: Mention) -> frozenset[str] | None:
    """ "What did X say about Y": X spoke, Y was spoken about."""
    verbs = sorted(reading.cue_positions.get("said", ()))
    if not verbs:
        return None
    if mention.end <= verbs[0]:
        return frozenset({"speaker"})
    by = mention.start > 0 and reading.words[mention.start - 1] == "by"
    return frozenset({"speaker"} if by else {"about"})


def _succession_parts(reading: Reading, mention: Mention) -> frozenset[str] | None:
    """Whether a named person was replaced or did the replacing, from the word order.

    "Who replaced X", "X's successor", "was X replaced", "X was replaced by": X left.
    "Who did X replace", "X took over from whom": X is the successor.
    """
    if not any(c.kind == "person" for c in mention.candidates):
        return _direction_parts(reading, mention)
    words = reading.words
    verbs = sorted(
        i
        for i in reading.cue_positions.get("successor", ())
        if i >= mention.end and words[i] not in _NOUN_CUES
    )
    if not verbs:
        return frozenset({"person"})
    verb = verbs[0]
    passive = any(w in _PASSIVE for w in words[:verb]) or "by" in words[verb + 1 : verb + 4]
    return frozenset({"person"} if passive else {"successor"})


def _successor_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """ "Jane Roe took over from John Doe at Acme." """
    move = stored.fact
    if not isinstance(move, Move) or move.successor is None:
        return None
    successor, left = ctx.name(move.successor), move_view(ctx, move).who
    where = f" at {ctx.name(move.from_company)}" if move.from_company else ""
    scope = (move.successor_scope or "").strip().rstrip(".")
    if not scope:
        return f"{successor} took over from {left}{where}."
    owned, count = re.subn(r"\b(his|her|their|its)\b", f"{left}'s", scope, count=1)
    if count:
        return f"{successor} took over {owned}{where}."
    return f"{successor} took over {scope} from {left}{where}."


def _statement_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """ "Jane Roe said (May 2, 2026): ..."; an unnamed speaker is "Acme's spokesperson"."""
    st = stored.fact
    if not isinstance(st, Statement):
        return None
    speaker = ctx.name(st.speaker)
    if st.speaker_role:
        speaker = f"{speaker}'s {st.speaker_role}"
    said = st.said.strip()
    return f"{speaker} said ({fmt.date(st.said_on or st.reported_on)}): {said}"


def _source_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """For "who said ...": statements by their speaker, figures by who gave them."""
    fact = stored.fact
    if isinstance(fact, Figure) and fact.according_to:
        figure = figure_sentence(figure_view(ctx, fact))
        return f"{ctx.name(fact.according_to)} gave this figure: {figure}"
    return _statement_sentence(ctx, stored)


_MOVER = frozenset({"person", "from", "to"})
_FIGURE_PRIMARY, _FIGURE_SECONDARY = frozenset({"subject", "about"}), frozenset({"source"})
_FACT_SECONDARY = frozenset({"company", "related"})
_VALUE_TERMS = ("cap", "capitalisation", "capitalization", "valuation", "value", "worth")
_PAY_TERMS = ("bonus", "offer", "pay", "salary", "compensation", "package", "grant", "wage")
# Words that give a reason: only a fact saying one answers "why".
_REASON_TERMS = ("because", "reason", "due", "attempt", "amid", "aim", "goal", "purpose")
_GROWTH_TERMS = ("grow", "growth", "grew", "increase", "rise", "rose", "higher", "gain")


# A statement that says what is asked ("his responsibilities have been taken over by ..."), as
# further evidence after the fact itself.
_SAYS_SO = Want("statement", frozenset({"speaker", "about"}), cued=True, supporting=True)


def _figure(*terms: str, test: Callable[[Sourced], bool] | None = None) -> Want:
    return Want("figure", _FIGURE_PRIMARY, _FIGURE_SECONDARY, terms=terms, test=test)


def _fact(*subkinds: str, primary: frozenset[str] = frozenset({"subject"})) -> Want:
    return Want("fact", primary, _FACT_SECONDARY, subkinds=subkinds)


# Order matters when two intents are asked equally strongly: the earlier one phrases the answer.
# To teach the bot a new way of asking, add cue words here; to answer a new kind of fact, add a
# row. A cue of several words outweighs a cue of one ("how many years" over "how many").
INTENTS: tuple[Intent, ...] = (
    Intent(
        "why",
        ("why", "reason*", "how come", "what for", "motive*", "because"),
        (
            Want("statement", ALL_ROLES, terms=_REASON_TERMS),
            Want("fact", ALL_ROLES, terms=_REASON_TERMS),
            Want("figure", ALL_ROLES, terms=_REASON_TERMS),
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
                parts=_succession_parts,
            ),
            _SAYS_SO,
        ),
        phrase=_successor_sentence,
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
            "who reported",
            "who stated",
            "according to whom",
            "who mentioned",
        ),
        (
            Want("statement", frozenset({"speaker", "about"})),
            Want("figure", frozenset({"subject", "about", "source"}), test=_has_source),
        ),
        phrase=_source_sentence,
    ),
    Intent(
        "said",
        (
            "said",
            "say",
            "says",
            "saying",
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
        (Want("statement", frozenset({"speaker"}), frozenset({"about"}), parts=_speech_parts),),
        phrase=_statement_sentence,
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
        (_fact("doing"),),
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
                "fact",
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
            _fact("event", "description", "doing", primary=ALL_ROLES),
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
                parts=_direction_parts,
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
                parts=_direction_parts,
            ),
            _SAYS_SO,
        ),
    ),
    Intent(
        "moved",
        ("where", "move", "moves", "moved", "career", "went", "go", "gone", "going"),
        (Want("move", _MOVER, parts=_direction_parts),),
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
_ALL_CUES = tuple(c for i in INTENTS for c in i.cues + i.topical)
_CUE_WORDS = frozenset(w for c in _ALL_CUES for w in c.split() if "*" not in w)
_CUE_PREFIXES = tuple(w[:-1] for c in _ALL_CUES for w in c.split() if "*" in w)
_ANY_WANTS = tuple(
    Want(kind, ALL_ROLES, frozenset({"source"})) for kind in ("move", "fact", "statement", "figure")
)


def _is_cue_word(word: str) -> bool:
    return word in _CUE_WORDS or word.startswith(_CUE_PREFIXES)


def _word_matches(pattern: str, word: str) -> bool:
    """A cue word against a typed word, forgiving one typo in long words ("replced")."""
    if pattern.endswith("*"):
        prefix = pattern[:-1]
        if word.startswith(prefix):
            return True
        if len(prefix) < SAFE_FUZZY_CHARS or word[:1] != prefix[:1]:
            return False
        n = len(prefix)
        return any(OSA.distance(word[:k], prefix, score_cutoff=1) <= 1 for k in (n - 1, n, n + 1))
    if word == pattern:
        return True
    return (
        len(pattern) >= SAFE_FUZZY_CHARS
        and word[:1] == pattern[:1]
        and OSA.distance(word, pattern, score_cutoff=1) <= 1
    )


def _find(cue: str, tokens: Sequence[str | None]) -> set[int]:
    """Positions of the words of one cue wherever it occurs."""
    return {
        i
        for length, start in _cue_matches(Intent("", (cue,)), tokens)
        for i in range(start, start + length)
    }


def _cue_matches(intent: Intent, tokens: Sequence[str | None]) -> Iterable[tuple[int, int]]:
    """(length, start) of every cue of the intent found in the tokens (None never matches)."""
    for cue in intent.cues + intent.topical:
        pattern = cue.split()
        for start in range(len(tokens) - len(pattern) + 1):
            window = tokens[start : start + len(pattern)]
            if all(
                w is not None and _word_matches(p, w) for p, w in zip(pattern, window, strict=True)
            ):
                yield len(pattern), start


# ---------------------------------------------------------------------- reading a question


@dataclass(frozen=True)
class Mention:
    """Words of the question that name an entity (or one of several namesakes)."""

    start: int
    end: int
    text: str
    candidates: tuple[EntityRef, ...]


@dataclass
class Reading:
    """What a question names and asks."""

    words: list[str]
    mentions: list[Mention]
    near: list[EntityRef]  # names it nearly matched, for "did you mean"
    intents: dict[str, float]  # intent name -> strength (words of its longest cue)
    cue_positions: dict[str, set[int]]
    topic: frozenset[str]  # stems of content words that are neither names nor cues
    proper: frozenset[str]  # stems of capitalised words that named nothing known
    when: bool = False

    def cue_stems(self, intent: str) -> frozenset[str]:
        """Stems of the content words that asked for the intent ("left", not "who")."""
        return frozenset(
            stem(self.words[i])
            for i in self.cue_positions.get(intent, ())
            if self.words[i] not in STOP_WORDS
        )


@dataclass
class _NameWords:
    """First names and surnames of people, for "what did Jane build" and "Roee"."""

    first: dict[str, set[str]] = field(default_factory=dict)
    last: dict[str, set[str]] = field(default_factory=dict)


_NAME_WORDS: weakref.WeakKeyDictionary[NameIndex, _NameWords] = weakref.WeakKeyDictionary()


def _name_words(index: NameIndex) -> _NameWords:
    cached = _NAME_WORDS.get(index)
    if cached is None:
        cached = _NameWords()
        for ref in index.entities.values():
            parts = normalize(ref.name).split()
            if ref.kind == "person" and len(parts) >= 2:
                cached.first.setdefault(parts[0], set()).add(ref.id)
                cached.last.setdefault(parts[-1], set()).add(ref.id)
        _NAME_WORDS[index] = cached
    return cached


def find_mentions(index: NameIndex, words: Sequence[str]) -> tuple[list[Mention], list[EntityRef]]:
    """Entities named in the words, longest spans first; and near misses worth suggesting."""
    used = [False] * len(words)
    found: list[Mention] = []
    near: dict[str, EntityRef] = {}

    def take(start: int, end: int, refs: Iterable[EntityRef]) -> None:
        for i in range(start, end):
            used[i] = True
        found.append(Mention(start, end, " ".join(words[start:end]), tuple(refs)))

    def spans(longest: int) -> Iterable[tuple[int, int]]:
        for length in range(min(longest, len(words)), 0, -1):
            for start in range(len(words) - length + 1):
                if not any(used[start : start + length]):
                    yield start, start + length

    for start, end in spans(MAX_SPAN_WORDS):
        if any(used[start:end]):
            continue
        text = " ".join(words[start:end])
        if end - start == 1 and (text in STOP_WORDS or len(text) < 2):
            continue
        hits = index.exact(text)
        if not hits and text.endswith("s") and len(words[end - 1]) > MIN_NAME_WORD_CHARS:
            hits = index.exact(text[:-1])  # "acmes engineers": a possessive without apostrophe
        if hits:
            take(start, end, hits)

    names = _name_words(index)
    for i, word in enumerate(words):
        if used[i] or word in STOP_WORDS or _is_cue_word(word) or len(word) < 3:
            continue
        hits = index.surname(word)
        if not hits and len(word) >= MIN_NAME_WORD_CHARS:
            ids = names.first.get(word, set())
            hits = [index.entities[e] for e in ids] if len(ids) == 1 else []
        if hits:
            take(i, i + 1, hits)

    tries = 0
    for start, end in spans(MAX_FUZZY_SPAN_WORDS):
        if any(used[start:end]):
            continue
        first, last = words[start], words[end - 1]
        if any(w in STOP_WORDS or _is_cue_word(w) for w in (first, last)):
            continue
        text = " ".join(words[start:end])
        if len(text.replace(" ", "")) < MIN_NAME_WORD_CHARS or tries >= MAX_FUZZY_TRIES:
            continue
        tries += 1
        resolution = index.resolve(text)
        matched = normalize(resolution.matched)
        if resolution.status == "found" and resolution.entity is not None:
            if matched != text and _fuzzy_ok(text, matched):
                take(start, end, [resolution.entity])
                continue
            # One clear candidate that was not safe to accept ("jan" for "Jane Roe": a prefix
            # only) is worth suggesting; a list of them for a common word is noise.
            near.setdefault(resolution.entity.id, resolution.entity)
        if end - start == 1 and len(text) >= SAFE_FUZZY_CHARS:
            surname = _fuzzy_surname(index, names, text)
            if surname is not None:
                take(start, end, [surname])
    found.sort(key=lambda m: m.start)
    named = {c.id for m in found for c in m.candidates}
    return found, [e for e in near.values() if e.id not in named]


def _fuzzy_ok(typed: str, name: str) -> bool:
    """Short words fuzzy-match only by a dropped letter ("amazn") or a plural ("metas"), so that
    "metal" or "beta" never match a four-letter name one letter away."""
    typed, name = typed.replace(" ", ""), name.replace(" ", "")
    if len(typed) >= SAFE_FUZZY_CHARS:
        return True
    if typed == name + "s":
        return True
    return len(name) == len(typed) + 1 and OSA.distance(typed, name, score_cutoff=1) <= 1


def _fuzzy_surname(index: NameIndex, names: _NameWords, word: str) -> EntityRef | None:
    """A surname with one typo, when exactly one person's surname is that close."""
    owners = {
        owner
        for surname, ids in names.last.items()
        if surname[:1] == word[:1] and OSA.distance(word, surname, score_cutoff=1) <= 1
        for owner in ids
    }
    return index.entities[owners.pop()] if len(owners) == 1 else None


def _proper_words(question: str) -> frozenset[str]:
    """Capitalised words not at the start of a sentence: likely names ("France", "John Smith")."""
    out: set[str] = set()
    sentence_start = True
    for token in question.split()[: 2 * MAX_WORDS]:
        if not sentence_start and token[:1].isupper():
            out.update(normalize(token).split())
        sentence_start = token.endswith((".", "?", "!", ":"))
    return frozenset(out)


# Chat markup is not part of a question: <@123> user, <@&123> role and <#123> channel mentions,
# <:name:123> custom emoji, and @everyone / @here.
_CHAT_MARKUP = re.compile(r"<(?:@[!&]?|#|a?:\w+:)\d+>|@(?:everyone|here)\b")


def read(index: NameIndex, question: str) -> Reading:
    """Names, intents and topic words of a question."""
    question = _CHAT_MARKUP.sub(" ", question[: 40 * MAX_WORDS])
    words = [w[:MAX_WORD_CHARS] for w in normalize(question).split()][:MAX_WORDS]
    mentions, near = find_mentions(index, words)
    named = {i for m in mentions for i in range(m.start, m.end)}
    # "Tell me" is politeness, not a question about what someone told.
    polite = {i for i, w in enumerate(words[:-1]) if w == "tell" and words[i + 1] in {"me", "us"}}
    tokens = [None if i in named or i in polite else w for i, w in enumerate(words)]
    intents: dict[str, float] = {}
    positions: dict[str, set[int]] = {}
    for intent in INTENTS:
        for length, start in _cue_matches(intent, tokens):
            intents[intent.name] = max(intents.get(intent.name, 0.0), float(length))
            positions.setdefault(intent.name, set()).update(range(start, start + length))
    topical = {i for intent in INTENTS for cue in intent.topical for i in _find(cue, tokens)}
    consumed = set().union(*positions.values()) - topical if positions else set()
    content = {
        i
        for i, w in enumerate(words)
        if i not in named and i not in consumed and i not in polite and w not in STOP_WORDS
    }
    topic = frozenset(stem(words[i]) for i in content)
    proper = frozenset(stem(w) for w in _proper_words(question) if w not in STOP_WORDS) & topic
    return Reading(
        words,
        mentions,
        near,
        intents,
        positions,
        topic,
        proper,
        when="when" in intents,
    )


# ---------------------------------------------------------------------- candidate answers


@dataclass
class Candidate:
    """A fact, role or description that may answer the question, with how well it fits."""

    score: float
    intent: Intent
    key: str
    stored: StoredFact | None = None
    line: Item | None = None  # prebuilt for roles and descriptions
    covered: dict[int, str] = field(default_factory=dict)  # mention index -> entity id
    reported_on: str = ""
    supporting: bool = False
    focus: frozenset[str] = frozenset()  # whom or what it is about: mover, subject, speaker
    role: StoredRole | None = None  # its line is built only if it is shown
    intents: set[str] = field(default_factory=set)  # every intent it answers


def _focus(fact: Sourced) -> frozenset[str]:
    if isinstance(fact, Move):
        return frozenset({fact.person or f"group:{fact.id}"})
    if isinstance(fact, Figure):
        return frozenset({fact.subject})
    if isinstance(fact, Statement):
        return frozenset({fact.speaker})
    if isinstance(fact, Fact):
        return frozenset(fact.subjects)
    return frozenset()


def _cover(
    pairs: Iterable[tuple[str, str]],
    mentions: Sequence[Mention],
    want: Want,
    fixed: dict[int, frozenset[str]] | None = None,
) -> dict[int, str] | None:
    """Which entity of each mention the fact involves in a fitting part; None if one does not.

    ``fixed`` gives the only parts some mentions may play (decided by word order).
    """
    parts: dict[str, set[str]] = {}
    for role, entity_id in pairs:
        parts.setdefault(entity_id, set()).add(role)
    covered: dict[int, str] = {}
    primary = False
    for i, mention in enumerate(mentions):
        main = fixed[i] if fixed and i in fixed else want.primary
        allowed = main if fixed and i in fixed else want.primary | want.secondary
        for ref in mention.candidates:
            roles = parts.get(ref.id, set())
            if roles & allowed:
                covered[i] = ref.id
                primary = primary or bool(roles & main)
                break
        else:
            return None
    return covered if primary or not mentions else None


def _topic_fit(reading: Reading, text: frozenset[str], cue_stems: frozenset[str]) -> float | None:
    """Share of the question's topic words the text holds; None when too few for an answer."""
    if reading.proper - text:
        return None  # an unknown name the fact does not mention: it is about someone else
    wanted = _wanted(reading, cue_stems)
    if not wanted:
        return 0.0 if reading.mentions else None
    hits = len(wanted & text)
    # With no name to anchor it, a fact must hold every word asked about; with one, most.
    if hits == 0 or hits < (len(wanted) if not reading.mentions else len(wanted) / 2):
        return None
    return hits / len(wanted)


def _wanted(reading: Reading, cue_stems: frozenset[str]) -> frozenset[str]:
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


def _fact_text(ctx: Context, stored: StoredFact) -> frozenset[str]:
    """Stems of everything a fact says: its fields, the names it involves, its date."""
    fact = stored.fact
    parts = list(_strings(fact.model_dump(mode="json", by_alias=True)))
    parts += [ctx.name(entity_id) for _, entity_id in mentioned(fact)]
    parts.append(fmt.date(fact.reported_on))
    titles = _title_words(fact.role) if isinstance(fact, Move) and fact.role else frozenset()
    return stems(" ".join(parts)) | titles


def _own_words(fact: Sourced) -> str:
    """The words the curator chose for the fact, not the quote it may share with others."""
    if isinstance(fact, Figure):
        return f"{fact.measure} {fact.period or ''}"
    if isinstance(fact, Fact):
        return f"{fact.summary} {fact.object or ''}"
    if isinstance(fact, Statement):
        return fact.said
    if isinstance(fact, Move):
        group = fact.group.description if fact.group else ""
        return f"{fact.role or ''} {fact.successor_scope or ''} {group}"
    return ""


def _own_text(fact: Sourced) -> frozenset[str]:
    return stems(_own_words(fact))


class _Finder:
    """Collects candidates for one question, fetching each entity's facts once."""

    def __init__(self, ctx: Context, reading: Reading) -> None:
        self.ctx = ctx
        self.reading = reading
        self.found: dict[str, Candidate] = {}
        self._about: dict[str, list[StoredFact]] = {}
        self._of_kind: dict[str, list[StoredFact]] = {}
        self._texts: dict[str, frozenset[str]] = {}

    async def facts(self, kind: FactKind) -> list[StoredFact]:
        mentions = self.reading.mentions
        if not mentions:
            if kind not in self._of_kind:
                self._of_kind[kind] = await self.ctx.reader.facts_of_kind(kind, NO_ENTITY_SCAN)
            return self._of_kind[kind]
        out: dict[str, StoredFact] = {}
        for ref in {c.id for m in mentions for c in m.candidates}:
            if ref not in self._about:
                self._about[ref] = await self.ctx.reader.facts_about(ref)
            out.update((f.fact.id, f) for f in self._about[ref] if f.kind == kind)
        return list(out.values())

    def offer(self, candidate: Candidate) -> None:
        kept = self.found.get(candidate.key)
        candidate.intents.add(candidate.intent.name)
        if kept is not None:
            candidate.intents |= kept.intents
            candidate.supporting = candidate.supporting and kept.supporting
            kept.supporting = candidate.supporting
        if kept is None or candidate.score > kept.score:
            self.found[candidate.key] = candidate
        else:
            kept.intents |= candidate.intents

    def text(self, stored: StoredFact) -> frozenset[str]:
        if stored.fact.id not in self._texts:
            self._texts[stored.fact.id] = _fact_text(self.ctx, stored)
        return self._texts[stored.fact.id]

    async def from_wants(self, intent: Intent, wants: Sequence[Want], strength: float) -> None:
        cue_stems = self.reading.cue_stems(intent.name)
        # With no names, every fact of a kind is scanned: a substring test of its raw text
        # discards most before the costlier stemming.
        scan = () if self.reading.mentions else tuple(_wanted(self.reading, cue_stems))
        for rank, want in enumerate(wants):
            terms = frozenset(stem(t) for t in want.terms)
            fixed = {
                i: parts
                for i, mention in enumerate(self.reading.mentions)
                if want.parts is not None
                and (parts := want.parts(self.reading, mention)) is not None
            }
            for stored in await self.facts(want.kind):
                fact = stored.fact
                if scan:
                    raw = fact.model_dump_json().casefold()
                    if not all(word in raw for word in scan):
                        continue
                if want.subkinds and not (isinstance(fact, Fact) and fact.kind in want.subkinds):
                    continue
                if want.test is not None and not want.test(fact):
                    continue
                if terms and not terms & _own_text(fact):
                    continue
                if want.cued and not any(_cue_matches(intent, normalize(_own_words(fact)).split())):
                    continue
                covered = _cover(mentioned(fact), self.reading.mentions, want, fixed)
                if covered is None:
                    continue
                fit = (
                    _topic_fit(self.reading, self.text(stored), cue_stems)
                    if self.reading.proper or _wanted(self.reading, cue_stems)
                    else 0.0  # names only: nothing else to look for in the text
                )
                if fit is None:
                    continue
                sub = (
                    len(want.subkinds) - want.subkinds.index(fact.kind)
                    if isinstance(fact, Fact) and want.subkinds
                    else 0
                )
                # Facts drawn from one sentence share its quote: their own words tell them apart.
                topic = self.reading.topic
                own = len(topic & _own_text(fact)) / len(topic) if topic else 0.0
                score = (
                    100 * strength
                    + 10 * fit
                    + 5 * own
                    + 4 * (len(wants) - rank)
                    + sub
                    + len(covered)
                )
                self.offer(
                    Candidate(
                        score,
                        intent,
                        f"fact:{fact.id}",
                        stored,
                        None,
                        covered,
                        fact.reported_on,
                        want.supporting,
                        _focus(fact),
                    )
                )

    async def roles(
        self, intent: Intent, strength: float, *, need_title: bool, bonus: float = 0.0
    ) -> None:
        """People's roles: of the people named, or at the companies named, fitting title words."""
        reading, ctx = self.reading, self.ctx
        people = [m for m in reading.mentions if any(c.kind == "person" for c in m.candidates)]
        asked = reading.topic  # title words ("ceo") stay in the topic
        roles: list[StoredRole] = []
        if people:
            for ref in {c.id for m in people for c in m.candidates if c.kind == "person"}:
                roles += await ctx.reader.roles(ref)
        elif reading.mentions:
            for ref in {c.id for m in reading.mentions for c in m.candidates}:
                roles += await ctx.reader.roles_at(ref)
        elif asked:
            roles = await ctx.reader.all_roles()
        mention_want = Want("fact", frozenset({"person", "company"}))
        for position, role in enumerate(roles):
            pairs = [("person", role.person_id)]
            if role.company_id:
                pairs.append(("company", role.company_id))
            covered = _cover(pairs, reading.mentions, mention_want)
            if covered is None:
                continue
            title = _title_words(role.title)
            text = title | stems(f"{ctx.name(role.person_id)} {ctx.name(role.company_id)}")
            if need_title and asked and not asked & title:
                continue  # "who is the CEO of X": a role of another title is not the answer
            fit_or_none = _topic_fit(reading, text, frozenset())
            if fit_or_none is None:
                continue
            fit = fit_or_none
            score = 100 * strength + 10 * fit + bonus + 2 * role.current + len(covered)
            key = f"role:{role.person_id}:{role.company_id}:{role.title}"
            score -= position / (10 * len(roles))  # keep the curator's order of roles
            focus = frozenset({role.person_id})
            self.offer(Candidate(score, intent, key, covered=covered, focus=focus, role=role))

    async def descriptions(self, intent: Intent, strength: float) -> None:
        """A company's description, when a quote of its facts bears it out."""
        for index, mention in enumerate(self.reading.mentions):
            for ref in mention.candidates:
                description = ref.hint if ref.kind == "company" else ""
                if not description:
                    continue
                wanted = stems(description)
                if self.reading.topic and not self.reading.topic & (wanted | stems(ref.name)):
                    continue
                for stored in await self.facts_of_entity(ref.id):
                    if wanted <= stems(stored.fact.quote):
                        await self.ctx.cite([stored])
                        line = Item(
                            kind="note",
                            text=f"{ref.name}: {description}.",
                            citation=self.ctx.citation(stored),
                        )
                        self.offer(
                            Candidate(
                                100 * strength + PROFILE_BONUS - 1,
                                intent,
                                f"about:{ref.id}",
                                None,
                                line,
                                {index: ref.id},
                                focus=frozenset({ref.id}),
                            )
                        )
                        break

    async def facts_of_entity(self, entity_id: str) -> list[StoredFact]:
        if entity_id not in self._about:
            self._about[entity_id] = await self.ctx.reader.facts_about(entity_id)
        return self._about[entity_id]


_ACRONYM_SPLIT = re.compile(r",|\band\b|&|/|\bof\b|\bfor\b|\bat\b|\bin\b")


def _title_words(title: str) -> frozenset[str]:
    """Stems of a title's words plus the acronyms of its parts: "Chief Technology Officer" -> cto."""
    words = set(stems(title))
    for part in _ACRONYM_SPLIT.split(normalize(title)):
        letters = "".join(w[0] for w in part.split())
        if len(letters) >= 2:
            words.add(letters)
    return frozenset(words)


_DEFAULT = Intent("default", (), _ANY_WANTS, strategy="profile")


async def _candidates(ctx: Context, reading: Reading) -> list[Candidate]:
    """Every fact, role or description that fits the question, best first."""
    finder = _Finder(ctx, reading)
    asked = [i for i in INTENTS if i.name in reading.intents and i.strategy != "when"]
    chosen = [i for i in asked if not i.fallback] or asked
    chosen = [i for i in chosen if i.exclusive] or chosen
    for intent in chosen:
        strength = reading.intents[intent.name]
        if intent.strategy == "facts":
            await finder.from_wants(intent, intent.wants, strength)
        elif intent.strategy == "roles":
            await finder.roles(intent, strength, need_title=True)
        else:
            await _profile(finder, intent, 0.5)
    if not chosen:
        await _profile(finder, _DEFAULT, 0.5)
    found = list(finder.found.values())
    named = {c.id for m in reading.mentions for c in m.candidates}
    for candidate in found:
        # "Who's the Acme VP that left?": the VP who also left beats the VP who stayed.
        about = candidate.focus - named
        answered = set(candidate.intents)
        for other in found:
            if other.focus & about and not other.supporting:
                answered |= other.intents
        candidate.score += COMBO_BONUS * (len(answered) - 1)
    # Stable sorts: by score, then the newest, then the key for a fixed order.
    found.sort(key=lambda c: c.key)
    found.sort(key=lambda c: c.reported_on, reverse=True)
    found.sort(key=lambda c: (c.supporting, -c.score))
    return found if found and not found[0].supporting else []


async def _profile(finder: _Finder, intent: Intent, strength: float) -> None:
    """Who someone is, or any fact about the named entities that fits the question's words."""
    if not finder.reading.mentions:
        return  # with no name, only a question asking something specific can be answered
    if any(c.kind == "person" for m in finder.reading.mentions for c in m.candidates):
        await finder.roles(intent, strength, need_title=False, bonus=PROFILE_BONUS)
    await finder.descriptions(intent, strength)
    await finder.from_wants(intent, _ANY_WANTS, strength)


# ---------------------------------------------------------------------- answers


async def ask(ctx: Context, question: str) -> Answer:
    """Answer a question in plain words from the facts that fit it, or say honestly that I can't."""
    reading = read(ctx.index, question)
    candidates = await _candidates(ctx, reading) if reading.words else []
    if not candidates:
        return _unknown(ctx, reading)
    ambiguous = _ambiguity(reading, candidates)
    if ambiguous is not None:
        return ambiguous
    best, others = candidates[0], candidates[1 : 1 + MAX_OTHERS]
    first = await _best_item(ctx, reading, best)
    await ctx.cite([c.stored for c in others if c.stored is not None])
    rest = [await _line(ctx, c) for c in others]
    sections = [Section(heading="Answer", items=[first])]
    if rest:
        sections.append(Section(heading="Also in the news", items=rest[:MAX_ITEMS]))
    return Answer(command="ask", status="ok", title=_title(question), sections=sections)


async def _line(ctx: Context, candidate: Candidate) -> Item:
    if candidate.line is not None:
        return candidate.line
    if candidate.role is not None:
        return await _role_item(ctx, candidate.role)
    assert candidate.stored is not None  # a candidate is a fact, a role or a prebuilt line
    await ctx.cite([candidate.stored])
    return item(ctx, candidate.stored)


async def _role_item(ctx: Context, role: StoredRole) -> Item:
    """ "Jane Roe is CTO at Acme.", cited with the sentence that says so."""
    name, company = ctx.name(role.person_id), ctx.name(role.company_id)
    named = role.company_id is not None and _names(ctx, role.title, role.company_id)
    where = f" at {company}" if role.company_id and not named else ""
    verb = "is" if role.current else "was"
    text = f"{name} {verb} {role.title}{where}."
    return Item(kind="role", text=text, citation=await _role_citation(ctx, role))


def _names(ctx: Context, text: str, entity_id: str) -> bool:
    """Whether the text names the entity ("Head of ACM" names Acme Corp, whose alias is ACM)."""
    words = normalize(text).split()[: MAX_SPAN_WORDS * 3]
    return any(
        ref.id == entity_id
        for length in range(1, min(MAX_SPAN_WORDS, len(words)) + 1)
        for start in range(len(words) - length + 1)
        for ref in ctx.index.exact(" ".join(words[start : start + length]))
    )


async def _role_citation(ctx: Context, role: StoredRole) -> Citation:
    """The sentence of the role's article that states it, else the article itself."""
    title = stems(role.title) - {stem(w) for w in STOP_WORDS}
    best: tuple[int, StoredFact] | None = None
    for stored in await ctx.reader.facts_about(role.person_id):
        if stored.article_id != role.article_id:
            continue
        hits = len(title & stems(stored.fact.quote))
        if 2 * hits >= len(title) and (best is None or hits > best[0]):
            best = (hits, stored)
    if best is not None:
        await ctx.cite([best[1]])
        return ctx.citation(best[1])
    article = (await ctx.reader.articles([role.article_id]))[role.article_id].article
    return Citation(
        article_id=article.id,
        title=article.title,
        publisher=article.publisher,
        published=article.published,
        url=article.url,
    )


async def _best_item(ctx: Context, reading: Reading, best: Candidate) -> Item:
    """The answer's first line: the best fact stated the way its intent phrases it."""
    line = await _line(ctx, best)
    if best.stored is not None:
        phrase = best.intent.phrase
        sentence = phrase(ctx, best.stored) if phrase is not None else None
        if sentence:
            # A move's usual line (from, to, role, date) still adds to "X took over from Y".
            detail = line.text if isinstance(best.stored.fact, Move) else line.detail
            line = line.model_copy(update={"text": sentence, "detail": detail})
    if reading.when and best.stored is not None:
        fact = best.stored.fact
        date = fmt.date(
            (fact.said_on if isinstance(fact, Statement) else None)
            or (fact.as_of if isinstance(fact, Figure) else None)
            or fact.reported_on
        )
        if date not in line.text:
            line = line.model_copy(update={"text": f"{line.text.rstrip('.')} (reported {date})."})
    return line


def _ambiguity(reading: Reading, candidates: Sequence[Candidate]) -> Answer | None:
    """Namesakes that both fit: ask which one rather than guess."""
    for index, mention in enumerate(reading.mentions):
        if len(mention.candidates) < 2:
            continue
        fitting = {c.covered[index] for c in candidates if index in c.covered}
        if len(fitting) > 1:
            refs = [r for r in mention.candidates if r.id in fitting]
            return Answer(
                command="ask",
                status="ambiguous",
                title="Which one do you mean?",
                message=f"“{mention.text}” could be {fmt.join([r.name for r in refs])}. "
                "Ask again with the full name.",
                suggestions=[Suggestion(name=r.name, kind=r.kind, hint=r.hint) for r in refs],
            )
    return None


def _unknown(ctx: Context, reading: Reading) -> Answer:
    tips: list[str] = []
    named = {c.id: c for m in reading.mentions for c in m.candidates}
    for ref in list(named.values())[:3]:
        about = f" ({ref.hint})" if ref.hint else ""
        if ref.kind == "person":
            tips.append(f"I know {ref.name}{about}: try /person name:{ref.name}")
        else:
            tips.append(
                f"I know {ref.name}{about}: try /company name:{ref.name}, "
                f"/who-left company:{ref.name} or /stats topic:{ref.name}"
            )
    if reading.near:
        tips.append(f"Did you mean {fmt.join([e.name for e in reading.near[:3]])}?")
    if not named:
        known = [c.label for c in ctx.index.complete("", None, 5)]
        if known:
            tips.append(f"I know news about, for example, {fmt.join(known)}.")
    tips.append(
        "I can answer who left or joined a company, who replaced whom, figures, and who said "
        "what: try /who-left, /who-joined, /stats, /sources or /help."
    )
    return Answer(
        command="ask",
        status="unknown",
        title="I don't know that",
        message=UNKNOWN,
        tips=tips,
    )


def _title(question: str) -> str:
    text = " ".join(question.split())
    return text if len(text) <= 100 else text[:99] + "…"
