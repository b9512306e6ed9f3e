"""What a question names and asks, once read: the shared vocabulary of the answerer's modules."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.ask.words import stem
from bot.resolve import EntityRef
from bot.text import STOP_WORDS

# A question opening with one of these asks yes or no; "could you", "can you" ask politely.
_AUXILIARY_TEXT = "is are was were did does do has have had"
_AUXILIARIES = frozenset(_AUXILIARY_TEXT.split())
_GREETING_TEXT = "hi hello hey good morning afternoon evening day so and wait"
_GREETINGS = frozenset(_GREETING_TEXT.split())
_OR_NOT = frozenset({"or not", "or no"})


@dataclass(frozen=True)
class Mention:
    """Words of the question that name an entity (or one of several namesakes)."""

    start: int
    end: int
    text: str
    candidates: tuple[EntityRef, ...]


@dataclass(frozen=True)
class Negation:
    """How a question turns round what it asks, read from its words."""

    negated: bool = False  # it asks about what did not happen
    vague: bool = False  # it leaves out what names nothing known ("other than the interns")
    said: str = ""  # the words that negate it, as the answer quotes them ("didn't")
    excluded: tuple[Mention, ...] = ()  # names it leaves out ("other than X")
    ignored: frozenset[int] = frozenset()  # positions of its negating words: no cue, no topic
    left: frozenset[int] = frozenset()  # positions that ask "left" ("no longer at")
    staying: frozenset[int] = frozenset()  # positions of "stayed", "still"


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
    negation: Negation = field(default_factory=Negation)

    def yes_no(self) -> bool:
        """Whether it asks yes or no ("did X leave", "is X still at Y", "X at Y or not")."""
        opening = next((w for w in self.words if w not in _GREETINGS), "")
        tail = " ".join(self.words[-2:])
        # "... or nah": the filler is dropped, the "or" stays last.
        ends_or = bool(self.words) and self.words[-1] == "or"
        return opening in _AUXILIARIES or "whether" in self.words or tail in _OR_NOT or ends_or

    def cue_stems(self, intent: str) -> frozenset[str]:
        """Stems of the content words that asked for the intent ("left", not "who")."""
        return frozenset(
            stem(self.words[i])
            for i in self.cue_positions.get(intent, ())
            if self.words[i] not in STOP_WORDS
        )
