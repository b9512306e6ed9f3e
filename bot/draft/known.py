"""What the drafter knows before reading: the knowledge folder's entities and ids.

What the drafter knows before reading: the people and companies of the knowledge folder, and
every id already taken there, so a draft links to existing entities and never reuses an id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bot.knowledge.loader import DEFAULT_MAX_FILE_BYTES, KnowledgeBase, load_directory
from bot.knowledge.schema import EntityKind
from bot.resolve import EntityRef, NameIndex


@dataclass(frozen=True)
class KnownEntity:
    """A person or company already in the knowledge folder, with its id, name and aliases."""

    id: str
    kind: EntityKind
    name: str
    aliases: tuple[str, ...] = ()


@dataclass
class Known:
    """Known entities (searched through the project's resolver) and the ids already in use."""

    entities: dict[str, KnownEntity] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)
    index: NameIndex = field(init=False)

    def __post_init__(self) -> None:
        self.index = NameIndex(
            None,
            [(EntityRef(e.id, e.kind, e.name), e.aliases) for e in self.entities.values()],
        )
        self.taken |= set(self.entities)

    @classmethod
    def of(cls, kb: KnowledgeBase) -> Known:
        """The entities and ids of a loaded knowledge base."""
        entities = {
            r.id: KnownEntity(r.id, r.kind, r.name, r.aliases) for r in kb.entities.values()
        }
        taken: set[str] = set()
        for loaded in kb.files:
            content = loaded.content
            taken.add(content.article.id)
            taken.update(f.id for f in content.all_facts())
        return cls(entities, taken)

    @classmethod
    def from_directory(cls, directory: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Known:
        """Load a knowledge folder the normal way (KnowledgeError if it does not check)."""
        return cls.of(load_directory(directory, max_file_bytes))
