"""A statement: what a person or company said (a spokesperson's comment, a quoted memo)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import Field

from bot import phrasing
from bot.knowledge.schema import Fact, Name, PartialDate, Ref, Slug, Text
from bot.phrasing import Names


class Statement(Fact):
    """Who said what, and when."""

    KIND: ClassVar[str] = "statement"
    SECTION: ClassVar[str] = "statements"
    HEADING: ClassVar[str] = "Statements"
    NOUN: ClassVar[str] = "statements"

    speaker: Annotated[Slug, Ref("speaker", focus=True)]
    speaker_role: Name | None = Field(
        default=None, description="e.g. 'spokesperson' when the speaker is unnamed"
    )
    said: Text
    said_on: PartialDate | None = None
    about: Annotated[list[Slug], Ref("about")] = Field(default_factory=list)

    def sentence(self, names: Names, *, arrival: bool = False) -> str:
        """The statement as "Amazon's spokesperson said (June 26, 2025): …"."""
        who = phrasing.speaker(names, self.speaker, self.speaker_role)
        said = self.said.strip().rstrip(".")
        return f"{who} said ({phrasing.date(self.said_on or self.reported_on)}): {said}."

    def own_words(self) -> str:
        """What was said."""
        return self.said

    def happened_on(self) -> str | None:
        """The day it was said."""
        return self.said_on or self.happened
