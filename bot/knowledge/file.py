"""One knowledge file: an article, its people and companies, and one section per fact kind."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import Field, create_model

from bot.knowledge.facts import KINDS
from bot.knowledge.schema import Article, Company, Fact, Person, Strict


class KnowledgeFile(Strict):
    """What every knowledge file holds; its fact sections come from the kinds (FileModel)."""

    article: Article
    people: list[Person] = Field(default_factory=list)
    companies: list[Company] = Field(default_factory=list)

    def of_kind(self, kind: type[Fact]) -> list[Fact]:
        """The facts of one kind, in file order."""
        facts: list[Fact] = getattr(self, kind.SECTION)
        return facts

    def all_facts(self) -> Iterator[Fact]:
        """Every fact, kind by kind in KINDS order, each in file order."""
        for kind in KINDS:
            yield from self.of_kind(kind)

    def fact_count(self) -> int:
        """How many facts of any kind the file holds."""
        return sum(len(self.of_kind(kind)) for kind in KINDS)


_SECTIONS: dict[str, Any] = {
    kind.SECTION: (list[kind], Field(default_factory=list))  # type: ignore[valid-type]
    for kind in KINDS
}
# The model files are validated with: KnowledgeFile plus a list field per kind ("moves", ...).
FileModel: type[KnowledgeFile] = create_model(
    "KnowledgeFile", __base__=KnowledgeFile, __doc__=KnowledgeFile.__doc__, **_SECTIONS
)
