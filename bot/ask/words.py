"""Words as the answerer compares them: stems, title acronyms, and cue patterns.

Question words and fact words are compared by stem, so that "bonuses" finds "bonus"; the words
that ask something (cues) are matched against typed words forgiving one typo in long words.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rapidfuzz.distance import OSA

from bot.text import normalize

SAFE_FUZZY_CHARS = 6  # shorter spans fuzzy-match only by a dropped letter or a plural "s"

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


# Every fact a question may be answered by is stemmed word by word; a news vocabulary is a few
# tens of thousands of words, so each is stemmed once. A module-level cache is fine here (unlike
# anything derived from a knowledge version, which lives on its Snapshot): a pure function of
# the word, the same in every version, and bounded.
@lru_cache(maxsize=1 << 15)
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


MODEL_LETTERS = 3  # "K-7", "GPT 4", "7b": letters and a number that name one thing

# Light verbs and vague nouns of everyday English: they shape a question ("who is throwing money
# around", "the Acme man who left") more than say what it is about.
_LIGHT_TEXT = """
    give gives giving gave given take takes taking took taken come comes coming came go goes
    going went gone make makes making made hold holds holding held put puts putting throw
    throws throwing threw thrown keep keeps keeping kept bring brings bringing brought wait
    waiting look looking seem seems man men woman women guy folks stuff lot bit way kind sort
    happen happens see seen
"""


def stems(text: str) -> frozenset[str]:
    """Stems of every word of a text, and model numbers run together ("K-7" is also "k7")."""
    words = normalize(text).split()
    out = {stem(w) for w in words}
    for a, b in itertools.pairwise(words):
        if (a.isalpha() and len(a) <= MODEL_LETTERS and b.isdigit()) or (
            a.isdigit() and b.isalpha() and len(b) <= MODEL_LETTERS
        ):
            out.add(a + b)
    return frozenset(out)


LIGHT_STEMS = frozenset(stem(w) for w in _LIGHT_TEXT.split())

# Words that turn a measure into another number ("the total revenue", "the share of ..."): a figure
# whose own words lack one the question asks is a different figure, never its answer.
_QUALIFIER_TEXT = "total overall share proportion fraction average mean median cumulative combined"
QUALIFIER_STEMS = frozenset(stem(w) for w in _QUALIFIER_TEXT.split())

_MONTH_TEXT = (
    "january february march april may june july august september october november december"
)
MONTHS = frozenset(stem(m) for m in _MONTH_TEXT.split()) | {m[:3] for m in _MONTH_TEXT.split()}
_YEAR = re.compile(r"(19|20)\d\d")
_DATE_STEMS = MONTHS | {stem(w) for w in ("year", "month", "week", "day", "today", "now")}


# Words about the news itself, which any fact of its date answers: "what did X report in June".
_NEWS_TEXT = """
    report reports reported reporting announce announces announced announcement announcements
    headline headlines news update updates statement statements
"""
NEWS_STEMS = frozenset(stem(w) for w in _NEWS_TEXT.split())


def is_date_word(word: str) -> bool:
    """Whether a question's word (or its stem) says when, not what: "june", "2025", "year"."""
    return bool(_YEAR.fullmatch(word)) or stem(word) in _DATE_STEMS or word in _DATE_STEMS


# Title acronyms of everyday business English, spelled out: "chief of X" asks for its CEO.
_TITLE_ACRONYMS = {
    "ceo": "chief executive officer",
    "cto": "chief technology officer",
    "cfo": "chief financial officer",
    "coo": "chief operating officer",
    "cmo": "chief marketing officer",
    "cso": "chief scientist",
    "vp": "vice president",
    "svp": "senior vice president",
    "evp": "executive vice president",
    "gm": "general manager",
}

# Words that put a title in the past: "the former CTO" is not the one in the role now.
PAST_WORDS = frozenset({"former", "ex", "previous", "erstwhile"})
_TOP_STEMS = frozenset(stem(w) for w in ("boss", "leader"))
_ACRONYM_SPLIT = re.compile(r",|\band\b|&|/|\bof\b|\bfor\b|\bat\b|\bin\b")


# A few hundred distinct titles; a pure function of the text, bounded, as stem() is.
@lru_cache(maxsize=1 << 12)
def title_words(title: str) -> frozenset[str]:
    """Stems of a title's words plus the acronyms of its parts: "Chief Technology Officer" -> cto."""
    words = set(stems(title))
    for word in normalize(title).split():
        if word in _TITLE_ACRONYMS:
            words |= stems(_TITLE_ACRONYMS[word])
    for part in _ACRONYM_SPLIT.split(normalize(title)):
        letters = "".join(w[0] for w in part.split())
        if len(letters) >= 2:
            words.add(letters)
    if "ceo" in words:
        words |= _TOP_STEMS  # "the Acme boss" is its chief executive
    return frozenset(words)


def cue_matches(cues: Iterable[str], tokens: Sequence[str | None]) -> Iterable[tuple[int, int]]:
    """(length, start) of every cue found in the tokens (None never matches).

    A cue is a word or phrase; "replac*" matches any word starting "replac".
    """
    # A cue's first word matches only a word with its first letter (any word, for a bare "*"),
    # and a short one only itself: only the starts where such a word is are tried, in order.
    by_word: dict[str, list[int]] = {}
    by_letter: dict[str, list[int]] = {}
    for i, token in enumerate(tokens):
        if token:
            by_word.setdefault(token, []).append(i)
            by_letter.setdefault(token[0], []).append(i)
    every = range(len(tokens) + 1)
    for pattern, first, exact in _patterns(tuple(cues)):
        last_start = len(tokens) - len(pattern)
        if exact:
            starts: Iterable[int] = by_word.get(pattern[0], ())
        else:
            starts = by_letter.get(first, ()) if first else every
        for start in starts:
            if start > last_start:
                break
            window = tokens[start : start + len(pattern)]
            if all(
                w is not None and _word_matches(p, w) for p, w in zip(pattern, window, strict=True)
            ):
                yield len(pattern), start


@lru_cache(maxsize=256)  # one entry per intent's cues: the code's table, not the knowledge
def _patterns(cues: tuple[str, ...]) -> tuple[tuple[tuple[str, ...], str, bool], ...]:
    """Each cue's words, the letter its words start with, and whether it is exact.

    Each cue's words, the first letter of a word it starts with ("" for any), and whether
    only that very word does (no "*", too short to forgive a typo).
    """
    out = []
    for cue in cues:
        words = tuple(cue.split())
        head = words[0] if words else ""
        exact = bool(head) and not head.endswith("*") and len(head) < SAFE_FUZZY_CHARS
        out.append((words, head.rstrip("*")[:1], exact))
    return tuple(out)


def cue_positions(cues: Iterable[str], tokens: Sequence[str | None]) -> set[int]:
    """Positions of the words of these cues wherever they occur."""
    return {i for length, start in cue_matches(cues, tokens) for i in range(start, start + length)}


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
