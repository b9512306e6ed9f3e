"""Negative questions: the words that say "not", the names a question leaves out, and "stayed".

The news records what happened, never what did not. So a question is read for the words that
turn it round ("who did not leave Acme", "who stayed at Acme"), which the answerer may answer
only where the facts settle it, or else must say it cannot; for the names it leaves out ("who
left Acme other than Jane Roe", "who left Acme, not Beta"), which no answer may be about; and
for the negations that ask something positive after all ("is Jane no longer at Acme" asks
whether she left; "not only", "or not" and "I'm not sure" negate nothing).
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.ask.question import Mention, Negation
from bot.ask.words import cue_matches

_NEGATOR_TEXT = """
    not never no nobody noone none nothing neither nor nowhere without cannot
    didnt doesnt dont isnt wasnt werent arent hasnt havent hadnt wont cant couldnt wouldnt
    shouldnt aint mustnt neednt
"""


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NEGATORS = _words(_NEGATOR_TEXT)
# Negators that are not a contracted auxiliary ("didn't", "isnt").
_PLAIN_NEGATORS = _words(
    "not never no nobody noone none nothing neither nor nowhere without cannot"
)
# normalize() splits "didn't" into "didn" and "t".
_CONTRACTED = _words(
    "didn doesn don isn wasn weren aren hasn haven hadn won can couldn wouldn shouldn ain mustn needn"
)
# Negations that negate nothing the question asks.
_HARMLESS = (
    "not only",
    "not just",
    "or not",
    "if not",
    "not sure",
    "not certain",
    "not even sure",
    "no idea",
    "never mind",
    "yes or no",
    "don t know",
    "dont know",
    "do not know",
    "didn t know",
    "don t remember",
    "dont remember",
    "can t remember",
    "cant remember",
    "can t recall",
)
# The names after these are left out of the answer: "who left Acme other than Jane Roe".
_EXCLUDING = (
    "other than",
    "except",
    "except for",
    "excepting",
    "excluding",
    "besides",
    "beside",
    "apart from",
    "aside from",
    "not counting",
    "not including",
    "leaving out",
    "but not",
    "and not",
)
_EXCLUDING_WORDS = _words("except excepting excluding besides beside")
_BEFORE_NAME = frozenset({"for", "from", "to", "at", "in", "with", "the", "of", "by"})
_AND = frozenset({"and", "or", "nor"})
# "Who is not at Acme" asks who is not there; "who left Acme, not Beta" leaves Beta out.
_AUXILIARY = _words(
    "is are was were be been being am do does did has have had will would can could"
)
# "No longer" / "not ... anymore" before these is "left": "is Jane no longer at Acme".
_PLACE = frozenset({"at", "with", "in", "on", "part", "there", "here", "the", "a", "an"})
_WORKING = frozenset(
    {"work", "works", "working", "worked", "employed", "employee", "employees", "job"}
)
_ANYMORE = ("anymore", "any more", "any longer")
# Words that ask for the people who did not leave ("who stayed at Acme", "is Jane still there").
_STAYING = _words("stay stayed stays staying remain remained remains remaining still")
# The words a question begins with when it is an interjection, not a negation: "no, who left".
_QUESTION_WORDS = _words(
    "who what which where when why how is are was were did does do has have so wait ok"
)


def is_negation_word(word: str) -> bool:
    """Whether a typed word negates or excludes: never a name to fuzzy-match."""
    return word in _NEGATORS or word in _CONTRACTED or word in _EXCLUDING_WORDS


def read_negation(words: Sequence[str], mentions: Sequence[Mention]) -> Negation:
    """The negations, exclusions and "stayed" of a question's words, around the names found."""
    starts = {m.start: m for m in mentions}
    named = {i for m in mentions for i in range(m.start, m.end)}
    tokens: list[str | None] = [None if i in named else w for i, w in enumerate(words)]
    ignored: set[int] = set()
    for length, start in cue_matches(_HARMLESS, tokens):
        ignored.update(range(start, start + length))
    free = [None if i in ignored else t for i, t in enumerate(tokens)]

    excluded: list[Mention] = []
    negating: list[tuple[int, int]] = []  # (start, end) of each negation
    vague: list[tuple[int, int]] = []  # exclusions of what names nothing known
    for length, start in sorted(cue_matches(_EXCLUDING, free), key=lambda m: (m[1], -m[0])):
        if start in ignored:
            continue
        names = _names_after(words, starts, start + length)
        ignored.update(range(start, start + length))
        if names:
            excluded += names
            ignored.update(_joining_words(words, start + length, names))
        else:
            vague.append((start, start + length))

    left: set[int] = set()
    i = 0
    while i < len(words):
        word = free[i]
        if word is None or i in ignored:
            i += 1
            continue
        end = i + 2 if word in _CONTRACTED and i + 1 < len(words) and words[i + 1] == "t" else i
        if end == i and word not in _NEGATORS:
            i += 1
            continue
        end = max(end, i + 1)
        if word == "no" and i == 0 and len(words) > 1 and words[1] in _QUESTION_WORDS:
            ignored.add(i)  # "no, who left Acme?"
        elif i == 0 and word not in _PLAIN_NEGATORS:
            # "Didn't Jane leave Acme?" asks whether she left, as "did Jane leave Acme" does.
            ignored.update(range(i, end))
        elif word == "not" and _excludes_name(words, starts, i):
            names = _names_after(words, starts, i + 1)
            excluded += names
            ignored.update({i, *_joining_words(words, i + 1, names)})
        elif (moved := _no_longer(words, starts, i, end)) is not None:
            left.add(i)
            ignored.update(moved - {i})
        else:
            if word == "no" and end < len(words) and words[end] == "one":
                end += 1  # "no one"
            negating.append((i, end))
        i = end

    for start, end in negating:
        ignored.update(range(start, end))
    said = [_as_typed(words[start:end]) for start, end in sorted(negating + vague)]
    staying = {i for i, t in enumerate(free) if t in _STAYING and i not in ignored}
    return Negation(
        negated=bool(negating),
        vague=bool(vague),
        said=", ".join(dict.fromkeys(said)),
        excluded=tuple(dict.fromkeys(excluded)),
        ignored=frozenset(ignored - left),
        left=frozenset(left),
        staying=frozenset(staying),
    )


def _names_after(words: Sequence[str], starts: dict[int, Mention], at: int) -> list[Mention]:
    """The names right after an excluding word, joined by "and"/"or": "except X and Y"."""
    out: list[Mention] = []
    while True:
        skipped = 0
        while at < len(words) and words[at] in _BEFORE_NAME and skipped < 2 and at not in starts:
            at, skipped = at + 1, skipped + 1
        mention = starts.get(at)
        if mention is None:
            return out
        out.append(mention)
        at = mention.end
        if at >= len(words) or words[at] not in _AND:
            return out
        at += 1


def _joining_words(words: Sequence[str], at: int, names: Sequence[Mention]) -> set[int]:
    """Positions of the small words between an excluding word and its names ("from", "and")."""
    named = {i for m in names for i in range(m.start, m.end)}
    last = max(m.end for m in names) if names else at
    return {i for i in range(at, last) if i not in named}


def _excludes_name(words: Sequence[str], starts: dict[int, Mention], at: int) -> bool:
    """Whether the name at ``at`` is one the question leaves out.

    "Who left Acme, not Beta" or "joined Acme but not from Beta" leaves Beta out; "who is not at
    Acme" asks who is not there.
    """
    if at + 1 < len(words) and at + 1 in starts:
        return at == 0 or words[at - 1] not in _AUXILIARY
    after = at + 1
    if after < len(words) and words[after] in _BEFORE_NAME and after + 1 in starts:
        return at > 0 and words[at - 1] not in _AUXILIARY
    return False


def _no_longer(
    words: Sequence[str], starts: dict[int, Mention], at: int, end: int
) -> set[int] | None:
    """Positions of "no longer (at)" or "not ... anymore", which ask "left"; else None."""
    if words[at] == "no" and end < len(words) and words[end] == "longer":
        after = end + 1
        working = {after} if after < len(words) and words[after] in _WORKING else set()
        following = after + len(working)
        if following >= len(words) or words[following] in _PLACE or following in starts:
            return {at, end, *working}
        return None
    named = {i for m in starts.values() for i in range(m.start, m.end)}
    tail: list[str | None] = [None] * end + list(words[end:])
    for length, start in cue_matches(_ANYMORE, tail):
        between = range(end, start)
        if all(words[i] in _WORKING or words[i] in _PLACE or i in named for i in between):
            working = {i for i in between if words[i] in _WORKING}
            return {*range(at, end), *working, *range(start, start + length)}
    return None


def _as_typed(words: Sequence[str]) -> str:
    """The contraction as typed: "didn t" -> "didn't"."""
    if len(words) == 2 and words[1] == "t":
        return f"{words[0]}'t"
    return " ".join(words)
