"""Which part a named entity plays, told by the question's word order: the ``parts`` of a Want.

Each function returns the only parts the mention may play in a fact, or None when word order
does not decide.
"""

from __future__ import annotations

from bot.ask.question import Mention, Reading

_NOUN_CUE_TEXT = (
    "replacement replacements successor successors responsibility responsibilities duties"
)
_NOUN_CUES = frozenset(_NOUN_CUE_TEXT.split())
_PASSIVE_TEXT = "is was were be been being get gets got getting"
_PASSIVE = frozenset(_PASSIVE_TEXT.split())
_TOWARDS = frozenset({"to", "for", "into"})


def direction_parts(reading: Reading, mention: Mention) -> frozenset[str] | None:
    """The parts a company plays by its preposition: "from X" started a move, "to X" ended it."""
    if mention.start == 0 or not any(c.kind == "company" for c in mention.candidates):
        return None
    before = reading.words[mention.start - 1]
    if before == "from":
        return frozenset({"from"})
    return frozenset({"to"}) if before in _TOWARDS else None


def speech_parts(reading: Reading, mention: Mention) -> frozenset[str] | None:
    """The parts in "what did X say about Y": X spoke, Y was spoken about."""
    verbs = sorted(reading.cue_positions.get("said", ()))
    if not verbs:
        return None
    if mention.end <= verbs[0]:
        return frozenset({"speaker"})
    by = mention.start > 0 and reading.words[mention.start - 1] == "by"
    return frozenset({"speaker"} if by else {"about"})


def succession_parts(reading: Reading, mention: Mention) -> frozenset[str] | None:
    """Whether a named person was replaced or did the replacing, from the word order.

    "Who replaced X", "X's successor", "was X replaced", "X was replaced by": X left.
    "Who did X replace", "X took over from whom": X is the successor.
    """
    if not any(c.kind == "person" for c in mention.candidates):
        return direction_parts(reading, mention)
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
