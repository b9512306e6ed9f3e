"""Reading a question: the names it holds, the intents it asks and its topic words.

Reading a question: the people and companies it names, the intents its cue words ask, and the
other content words (its topic) that an answer must bear out.

Names are found by exact names and aliases, then surnames and first names, then guarded fuzzy
matching; every step is bounded, whatever the input.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import OSA

from bot.ask.intents import INTENTS, is_cue_word
from bot.ask.negation import is_negation_word, read_negation
from bot.ask.question import Mention, Reading
from bot.ask.spelling import dictionary, respell
from bot.ask.words import PAST_WORDS, SAFE_FUZZY_CHARS, cue_matches, cue_positions, stem
from bot.resolve import EntityRef, NameIndex
from bot.text import STOP_WORDS, is_filler, normalize

MAX_WORDS = 60  # a question is read up to here: bounds the work for any input
MAX_WORD_CHARS = 40
MAX_SPAN_WORDS = 6  # longest name tried as one span
MAX_FUZZY_SPAN_WORDS = 3
MAX_FUZZY_TRIES = 40
MIN_NAME_WORD_CHARS = 4  # first names and fuzzy surnames
# A word rarer than this in English may be a name even in lower case ("the acme deal").
RARE_WORD_COUNT = 1_000_000
_ASKER_VERBS = frozenset(
    [
        "read",
        "heard",
        "hear",
        "saw",
        "see",
        "noticed",
        "think",
        "thought",
        "guess",
        "wonder",
        "wondered",
        "believe",
        "love",
        "like",
        "want",
        "hope",
        "curious",
        "interested",
        "wondering",
        "confused",
        "trying",
    ]
)
# "I'd love to know", "I'll guess": the asker's verb after a contraction.
_CONTRACTED = frozenset({"d", "m", "ll", "ve", "would", "do", "really", "was", "am", "just"})


@dataclass(frozen=True)
class NameWords:
    """People's first names and surnames, one table per knowledge version.

    First names and surnames of people, for "what did Jane build" and "Roee": one table per
    knowledge version, kept in its Snapshot.
    """

    first: dict[str, set[str]] = field(default_factory=dict)
    last: dict[str, set[str]] = field(default_factory=dict)
    every: frozenset[str] = frozenset()  # every word of every name and alias, of any kind
    # The first word of each company's name of two or more words ("Acme" of "Acme Labs").
    leading: dict[str, set[str]] = field(default_factory=dict)
    ordered: tuple[str, ...] = ()  # the same, sorted: for names typed by their start ("zucker")

    @classmethod
    def of(cls, index: NameIndex) -> NameWords:
        """The first names and surnames of the index's people."""
        every = index.name_words()
        words = cls(every=every, ordered=tuple(sorted(every)))
        for ref in index.entities.values():
            parts = index.normal(ref.name).split()
            if ref.kind == "company":
                if len(parts) >= 2 and len(parts[0]) >= MIN_NAME_WORD_CHARS:
                    words.leading.setdefault(parts[0], set()).add(ref.id)
                continue
            if len(parts) >= 2:
                words.first.setdefault(parts[0], set()).add(ref.id)
                words.last.setdefault(parts[-1], set()).add(ref.id)
        return words

    def starts_name(self, word: str) -> bool:
        """Whether the word is the start of a word of some name, long enough to mean it."""
        if len(word) < MIN_NAME_WORD_CHARS:
            return False
        at = bisect.bisect_left(self.ordered, word)
        return at < len(self.ordered) and self.ordered[at].startswith(word)


def find_mentions(
    index: NameIndex,
    words: Sequence[str],
    names: NameWords | None = None,
    capitalised: frozenset[str] = frozenset(),
) -> tuple[list[Mention], list[EntityRef]]:
    """Entities named in the words, longest spans first; and near misses worth suggesting.

    ``names`` are the index's NameWords (its Snapshot's); without them they are worked out here.
    ``capitalised`` are the words the asker wrote with a capital, as names are.
    """
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

    # A word typed twice running ("aa aa") is keyboard noise, not a name said twice; a name that
    # is one word twice ("Duran Duran") is still found whole, as a span.
    stutter = {i for i in range(1, len(words)) if words[i] == words[i - 1]}
    stutter |= {i - 1 for i in stutter}

    for start, end in spans(MAX_SPAN_WORDS):
        text = " ".join(words[start:end])
        if end - start == 1 and (text in STOP_WORDS or len(text) < 2 or start in stutter):
            continue
        hits = index.exact(text)
        if not hits and text.endswith("s") and len(words[end - 1]) > MIN_NAME_WORD_CHARS:
            hits = index.exact(text[:-1])  # "acmes engineers": a possessive without apostrophe
        if hits:
            take(start, end, hits)

    if names is None:
        names = NameWords.of(index)
    for i, word in enumerate(words):
        if used[i] or word in STOP_WORDS or is_cue_word(word) or len(word) < 3 or i in stutter:
            continue
        hits = index.surname(word)
        if not hits and len(word) >= MIN_NAME_WORD_CHARS:
            ids = names.first.get(word, set())
            hits = [index.entities[e] for e in ids] if len(ids) == 1 else []
        if not hits and (word in capitalised or dictionary().get(word, 0) < RARE_WORD_COUNT):
            # "Acme" for Acme Labs: the first word of one company's name, written as a name or
            # a rare word (chat writes names in lower case).
            ids = names.leading.get(word, set())
            hits = [index.entities[e] for e in ids] if len(ids) == 1 else []
        if hits:
            take(i, i + 1, hits)

    tries = 0
    for start, end in spans(MAX_FUZZY_SPAN_WORDS):
        first, last = words[start], words[end - 1]
        if any(w in STOP_WORDS or is_cue_word(w) or is_negation_word(w) for w in (first, last)):
            continue
        text = " ".join(words[start:end])
        if len(text.replace(" ", "")) < MIN_NAME_WORD_CHARS or tries >= MAX_FUZZY_TRIES:
            continue
        if is_filler(text) or stutter.issuperset(range(start, end)):
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
    """Whether the typed word may fuzzy-match the name, stricter for short words.

    Short words fuzzy-match only by a dropped letter ("amazn") or a plural ("metas"), so that
    "metal" or "beta" never match a four-letter name one letter away.
    """
    typed, name = typed.replace(" ", ""), name.replace(" ", "")
    if len(typed) >= SAFE_FUZZY_CHARS:
        return True
    if typed == name + "s":
        return True
    return len(name) == len(typed) + 1 and OSA.distance(typed, name, score_cutoff=1) <= 1


def _fuzzy_surname(index: NameIndex, names: NameWords, word: str) -> EntityRef | None:
    """A surname with one typo, when exactly one person's surname is that close."""
    owners = {
        owner
        for surname, ids in names.last.items()
        if surname[:1] == word[:1] and OSA.distance(word, surname, score_cutoff=1) <= 1
        for owner in ids
    }
    return index.entities[owners.pop()] if len(owners) == 1 else None


def _means_as_typed(names: NameWords, word: str) -> bool:
    """Whether a word is read as typed, never respelled: a name's start, a negation, a cue."""
    return names.starts_name(word) or is_negation_word(word) or is_cue_word(word)


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


_LEADS = frozenset({"runs", "leads", "heads", "running", "leading", "heading", "helms"})


def _who_leads(words: list[str]) -> list[str]:
    """Read "who runs / leads / is running X" as who is the boss of X, not what one oversaw."""
    if len(words) < 3 or words[0] != "who":
        return words
    at = 2 if words[1] in {"is", "s", "currently", "now"} else 1
    if at < len(words) and words[at] in _LEADS:
        return ["who", "is", "the", "boss", "of", *words[at + 1 :]]
    return words


_TOLD_VERBS = frozenset({"say", "said", "says", "talk", "talked", "speak", "spoke", "comment"})
_TOLD_WEIGHT = 0.5  # an intent cued inside what someone said "about": below the saying
_SOURCES = frozenset({"news", "report", "reports", "article", "story", "press"})
_SCOPE_WORDS = frozenset(["in", "from", "across", "throughout", "through", "per"])


def _intents(
    words: Sequence[str], named: set[int], polite: set[int], left: Collection[int]
) -> tuple[list[str | None], dict[str, float], dict[str, set[int]]]:
    """The words left to cue intents, the intents they cue, and where each is cued."""
    tokens = [
        None if i in named or i in polite else "left" if i in left else w
        for i, w in enumerate(words)
    ]
    intents: dict[str, float] = {}
    positions: dict[str, set[int]] = {}
    # "What did X say about her new employer": what was said is asked; the rest is its topic.
    told = next(
        (i for i, w in enumerate(words) if i and w == "about" and words[i - 1] in _TOLD_VERBS),
        len(words),
    )
    for intent in INTENTS:
        for length, start in cue_matches(intent.all_cues, tokens):
            weight = float(length) if start < told or intent.name == "said" else _TOLD_WEIGHT
            intents[intent.name] = max(intents.get(intent.name, 0.0), weight)
            positions.setdefault(intent.name, set()).update(range(start, start + length))
    return tokens, intents, positions


def _yes_no_asked(words: Sequence[str]) -> set[int]:
    """Where a question says it wants yes or no ("… yes/no", "yes or no?")."""
    for i in range(len(words) - 1):
        if words[i] == "yes" and words[i + 1] == "no":
            return {i, i + 1}
        if words[i] == "yes" and words[i + 1 : i + 3] == ["or", "no"]:
            return {i, i + 1, i + 2}
    return set()


def read(
    index: NameIndex,
    question: str,
    names: NameWords | None = None,
    capitalised: frozenset[str] = frozenset(),
) -> Reading:
    """Names, intents and topic words of a question (``names``: as for find_mentions).

    ``capitalised`` are words to take as written with a capital, as well as those that are:
    for a part of a question read again on its own.
    """
    question = _CHAT_MARKUP.sub(" ", question[: 40 * MAX_WORDS])
    words = [w[:MAX_WORD_CHARS] for w in normalize(question).split()][:MAX_WORDS]
    if names is None:
        names = NameWords.of(index)
    words = respell(words, names.every, lambda w: _means_as_typed(names, w))[:MAX_WORDS]
    words = _who_leads(words)
    # "… yes/no" asks for yes or no: its "no" negates nothing.
    dropped = _yes_no_asked(words)
    words = [w for i, w in enumerate(words) if i not in dropped]
    mentions, near = find_mentions(index, words, names, _proper_words(question) | capitalised)
    named = {i for m in mentions for i in range(m.start, m.end)}
    negation = read_negation(words, mentions)
    mentions = [m for m in mentions if m not in negation.excluded]
    # "Tell me" is politeness, not a question about what someone told.
    polite = {
        i
        for i, w in enumerate(words[:-1])
        if w in {"tell", "help", "show"} and words[i + 1] in {"me", "us"}
    }
    # "Help me understand", "let me know": the asker's wish, not what is asked.
    polite |= {
        i
        for i, w in enumerate(words)
        if i and words[i - 1] in {"me", "us"} and w in {"understand", "know", "find"}
    }
    # "I read / heard / wonder ...": how the asker came to ask, not what is asked.
    polite |= {
        i
        for i, w in enumerate(words)
        if w in _ASKER_VERBS
        and i
        and (words[i - 1] == "i" or (i > 1 and words[i - 2] == "i" and words[i - 1] in _CONTRACTED))
    }
    # "Per the news", "according to the report": whose word, not what is asked.
    polite |= {i for i, w in enumerate(words[:-1]) if w == "per" and words[i + 1] == "the"}
    polite |= {
        j
        for i, w in enumerate(words[:-3])
        if w == "according" and words[i + 1 : i + 3] == ["to", "the"] and words[i + 3] in _SOURCES
        for j in range(i, i + 4)
    }
    # "Is it true that …": how to answer, not what is asked.
    polite |= {
        i for i, w in enumerate(words) if w == "true" and i and words[i - 1] in {"is", "it", "s"}
    }
    # "Not" and "stayed" turn round what is asked (answered by reply.py), and ask nothing else:
    # "who stayed" is not "who stated", nor "how long did X stay".
    polite |= negation.ignored | negation.staying
    # "Which companies lost someone in the news": where to look, unless nothing else is asked
    # ("what's in the news").
    scope = {
        i
        for i, w in enumerate(words)
        if w == "news" and i > 1 and words[i - 1] == "the" and words[i - 2] in _SCOPE_WORDS
    }
    tokens, intents, positions = _intents(words, named, polite | scope, negation.left)
    if scope and not intents:
        tokens, intents, positions = _intents(words, named, polite, negation.left)
    else:
        polite |= scope
    topical = {i for intent in INTENTS for i in cue_positions(intent.topical, tokens)}
    consumed = set().union(*positions.values()) - topical if positions else set()
    content = {
        i
        for i, w in enumerate(words)
        if i not in named
        and i not in consumed
        and i not in polite
        and i not in negation.left
        and w not in STOP_WORDS
        and w not in PAST_WORDS  # "the former CTO": when, read by described(), not a topic
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
        negation=negation,
    )
