"""Stories: facts that update, correct or retract earlier facts, told as one event each.

A story is a fact no other fact follows up (its root) and every fact linked to it through
``updates``, ``corrects`` or ``retracts``. Its claims still standing, oldest first, are its live
parts; the last of them is the event's current state. A story with no live part was retracted.
Pure: built from the facts the store returns, with no SQL and no wording of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from bot.knowledge.schema import Fact, Link
from bot.store import StoredFact

Matches = Callable[[Fact], bool]


@dataclass
class Story:
    """One event told by several facts: every part, and what became of each."""

    root: str
    parts: list[StoredFact] = field(default_factory=list)  # oldest reported first
    # fact id -> (how it was withdrawn, the fact that withdrew it)
    withdrawn: dict[str, tuple[Link, StoredFact]] = field(default_factory=dict)

    @property
    def live(self) -> list[StoredFact]:
        """The claims still standing, oldest first: neither corrected, retracted nor retracting."""
        return [
            part
            for part in self.parts
            if part.fact.id not in self.withdrawn and _how(part.fact) != "retracts"
        ]

    @property
    def current(self) -> StoredFact | None:
        """The event as it stands now; None when it was retracted."""
        live = self.live
        return live[-1] if live else None

    def mentions(self, entity_id: str) -> bool:
        """Whether any part names the entity."""
        return any(entity_id == e for part in self.parts for _, e in part.fact.mentioned())


def _how(fact: Fact) -> Link | None:
    link = fact.link()
    return link[0] if link else None


@dataclass
class Stories:
    """Every story of one knowledge version, by the id of each of its facts."""

    version: str | None
    by_fact: dict[str, Story] = field(default_factory=dict)

    @classmethod
    def of(cls, version: str | None, linked: Sequence[StoredFact]) -> Stories:
        """The stories of these facts (the store's linked_facts(): oldest first)."""
        facts = {stored.fact.id: stored for stored in linked}
        stories = cls(version)
        for stored in linked:
            root, seen = stored.fact, {stored.fact.id}
            while (link := root.link()) is not None and link[1] in facts and link[1] not in seen:
                seen.add(link[1])
                root = facts[link[1]].fact
            story = stories.by_fact.get(root.id) or Story(root.id)
            story.parts.append(stored)
            stories.by_fact[stored.fact.id] = story
        for stored in linked:
            link = stored.fact.link()
            if link is not None and link[0] != "updates" and link[1] in stories.by_fact:
                stories.by_fact[link[1]].withdrawn[link[1]] = (link[0], stored)
        return stories

    def all(self) -> list[Story]:
        """Every story once, in the order of their first facts."""
        return list({id(s): s for s in self.by_fact.values()}.values())

    def events(
        self, facts: Iterable[StoredFact], matches: Matches, *, retracted: bool = False
    ) -> list[StoredFact | Story]:
        """The facts with each story told once, where its first fact is.

        A story is told if its current state still matches; retracted ones are left out, or
        with ``retracted`` told as retracted.
        """
        out: list[StoredFact | Story] = []
        told: set[str] = set()
        for stored in facts:
            story = self.by_fact.get(stored.fact.id)
            if story is None:
                out.append(stored)
                continue
            current = story.current
            if story.root in told or (current is None and not retracted):
                continue
            if current is not None and not matches(current.fact):
                continue
            told.add(story.root)
            out.append(story)
        return out

    def count(self, reports: int, matches: Matches) -> int:
        """How many events ``reports`` matching facts are: each story counts once, if at all."""
        if not self.by_fact:
            return reports
        parts = sum(1 for story in self.all() for stored in story.parts if matches(stored.fact))
        live = sum(
            1 for story in self.all() if story.current is not None and matches(story.current.fact)
        )
        return reports - parts + live

    def retracted(self, entity_id: str) -> list[Story]:
        """The retracted stories that named the entity."""
        return [s for s in self.all() if s.current is None and s.mentions(entity_id)]

    def tally(self, rows: Iterable[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
        """The move tally (company, left, joined) counting each story's current state once."""
        delta: Counter[tuple[str, str]] = Counter()
        for story in self.all():
            for stored in story.parts:
                for part, entity_id in stored.fact.mentioned():
                    delta[(entity_id, part)] -= stored.kind == "move"
            if story.current is not None and story.current.kind == "move":
                for part, entity_id in story.current.fact.mentioned():
                    delta[(entity_id, part)] += 1
        counts = {cid: [left, joined] for cid, left, joined in rows}
        for (entity_id, part), change in delta.items():
            if part in ("from", "to") and change:
                row = counts.setdefault(entity_id, [0, 0])
                row[part == "to"] += change
        kept = [(cid, left, joined) for cid, (left, joined) in counts.items() if left or joined]
        return sorted(kept, key=lambda row: (-(row[1] + row[2]), row[0]))
