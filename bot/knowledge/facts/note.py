"""A note: any other fact about people or companies (a tenure, what someone built or oversaw)."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field

from bot.knowledge.schema import Fact, Line, Ref, Slug, Text
from bot.phrasing import Names

# What a note tells; the file calls it the note's ``kind``.
Topic = Literal["tenure", "built", "oversaw", "doing", "pioneered", "description", "event"]


class Note(Fact):
    """A fact told in the curator's summary, typed by its topic (the ``kind`` key in the file)."""

    KIND: ClassVar[str] = "note"
    SECTION: ClassVar[str] = "facts"
    HEADING: ClassVar[str] = "Facts"
    NOUN: ClassVar[str] = "other facts"

    kind: Topic
    subjects: Annotated[list[Slug], Field(min_length=1), Ref("subject", focus=True)]
    summary: Text
    object: Line | None = Field(default=None, description="what was built, overseen, ...")
    company: Annotated[Slug | None, Ref("company", "company")] = Field(
        default=None, description="where it happened"
    )
    duration: Line | None = None
    related: Annotated[list[Slug], Ref("related")] = Field(default_factory=list)

    def sentence(self, names: Names, *, arrival: bool = False) -> str:
        """The curator's summary."""
        return self.summary

    def own_words(self) -> str:
        """The summary and what was built or overseen."""
        return f"{self.summary} {self.object or ''}"

    def topic(self) -> str | None:
        """What the note tells: "built", "tenure", ..."""
        return self.kind
