"""The typed answers every front end renders: plain text for the console, embeds for Discord."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, SerializeAsAny

from bot.knowledge.schema import EntityKind, Fact

Status = Literal["ok", "empty", "not_found", "ambiguous", "invalid", "unknown"]


class Model(BaseModel):
    """The base of every answer model: frozen, so a renderer cannot change what it was given."""

    model_config = ConfigDict(frozen=True)


class Citation(Model):
    """Where a fact comes from: the article, and the sentence of it that says so."""

    article_id: str
    title: str
    publisher: str
    published: str
    url: str | None = None
    quote: str | None = None
    reported_on: str | None = None
    reported_by: str | None = None


class Item(Model):
    """One line of an answer: a sentence, an optional detail, and its source."""

    kind: str  # a fact kind's KIND ("move", ...), or "role", "article", "tally", "text"
    text: str
    detail: str | None = None
    citation: Citation | None = None
    fact: SerializeAsAny[Fact] | None = None  # the fact it states, as validated


class Section(Model):
    """A heading and the items under it."""

    heading: str
    items: list[Item] = Field(default_factory=list)


class Suggestion(Model):
    """A "did you mean" candidate, with what tells it apart from its namesakes."""

    name: str
    kind: EntityKind
    hint: str = ""


class Attachment(Model):
    """A file an answer hands over (a drafted knowledge file): its name and its text."""

    filename: str
    content: str


class Answer(Model):
    """What every query returns: a status, a title, sections of cited items, or suggestions."""

    command: str
    status: Status
    title: str
    # How typed names were read when not as stored ("Showing Lynxhub Security, the closest name
    # to …"): shown first, so that an answer about a near name never passes for an exact one.
    notes: list[str] = Field(default_factory=list)
    message: str | None = None
    sections: list[Section] = Field(default_factory=list)
    suggestions: list[Suggestion] = Field(default_factory=list)
    tips: list[str] = Field(default_factory=list)
    attachment: Attachment | None = None  # sent as a file in Discord, printed by the console

    @property
    def is_error(self) -> bool:
        """Errors, "not found" and "did you mean" are shown only to the asker in Discord."""
        return self.status in {"not_found", "ambiguous", "invalid", "unknown"}

    def items(self) -> list[Item]:
        """Every item of every section, in order."""
        return [item for section in self.sections for item in section.items]

    def citations(self) -> list[Citation]:
        """Distinct citations in order of first use (one per article)."""
        seen: dict[str, Citation] = {}
        for item in self.items():
            if item.citation is not None:
                seen.setdefault(item.citation.article_id, item.citation)
        return list(seen.values())
