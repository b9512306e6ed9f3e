"""What a question names and asks, once read: the shared vocabulary of the answerer's modules."""

from __future__ import annotations

from dataclasses import dataclass

from bot.ask.words import STOP_WORDS, stem
from bot.resolve import EntityRef


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
