"""Pydantic models of one knowledge file: an article, its people and companies, and its facts.

Every model forbids unknown keys so that an admin's typo (``titel``) is an error, not a silent
default. Cross-file rules (unknown references, duplicate ids, alias collisions) live in the loader,
which sees every file at once.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    StringConstraints,
    ValidationInfo,
    model_validator,
)

from bot.knowledge.chars import describe, first_unsafe


def _one_line(text: str) -> str:
    """Refuse what would rewrite a terminal or break a line: names, titles, units, ids."""
    return _safe(text, prose=False)


def _prose(text: str) -> str:
    """Refuse control characters in long text, where tab and newline are still allowed."""
    return _safe(text, prose=True)


def _safe(text: str, *, prose: bool) -> str:
    char = first_unsafe(text, prose=prose)
    if char is None:
        return text
    allowed = "; only tab and newline are allowed here" if prose else "; this text is one line"
    raise ValueError(f"has the control character {describe(char)}{allowed}")


# Ids are slugs so that they are stable in URLs, logs and error messages.
Slug = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z0-9][a-z0-9-]{0,79}$")
]
# Quotes and statements may run over several lines; everything else is shown on one line.
Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_prose),
]
Line = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=2000),
    AfterValidator(_one_line),
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(_one_line),
]
# Finite and of a size an answer can print: nan and inf (also 1e400, which TOML reads as inf)
# would be stored as JSON null; a bool is not a number to report.
Amount = Annotated[float, Field(strict=True, allow_inf_nan=False, ge=-1e18, le=1e18)]

UNDISCLOSED = "undisclosed"
_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")


def _partial_date(value: object) -> object:
    """Accept a TOML date or a 'YYYY' / 'YYYY-MM' / 'YYYY-MM-DD' string; keep it as ISO text."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str) and _PARTIAL_DATE.match(value.strip()):
        text = value.strip()
        if len(text) == 10:
            dt.date.fromisoformat(text)  # rejects 2025-02-30
        return text
    raise ValueError(
        "expected a date: 2025-06-26, or '2025-06' / '2025' when the article is vaguer"
    )


# Articles often say only "in February": a partial date keeps exactly the precision they give,
# and ISO text sorts correctly in SQL.
PartialDate = Annotated[str, BeforeValidator(_partial_date)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    @model_validator(mode="wrap")
    @classmethod
    def _compact(
        cls, data: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        """The validated model, re-laid out to take a third of the memory (same values).

        10,000 articles are ~200,000 model instances held for as long as the bot runs. Pydantic
        gives each its own attribute dict and fields-set; setting the attributes one by one on a
        fresh instance lets CPython share one key table per class, and equal fields-sets are
        shared too, through the caller's context {"field_sets": {}} (hundreds of thousands of
        instances have a few dozen distinct sets; the caller, not this module, keeps the table).
        Nested models are validated (so compacted) before their parents. Short-lived copies (a
        fact read back to answer one question) skip this: context {"compact": False}.
        """
        model = handler(data)
        context = info.context or {}
        if not isinstance(model, BaseModel) or context.get("compact") is False:
            return model
        compact = object.__new__(type(model))
        for key, value in model.__dict__.items():
            object.__setattr__(compact, key, value)
        given = model.__pydantic_fields_set__
        shared: dict[frozenset[str], set[str]] | None = context.get("field_sets")
        if shared is not None:
            given = shared.setdefault(frozenset(given), given)
        object.__setattr__(compact, "__pydantic_fields_set__", given)
        object.__setattr__(compact, "__pydantic_extra__", model.__pydantic_extra__)
        object.__setattr__(compact, "__pydantic_private__", model.__pydantic_private__)
        return compact


class Article(Strict):
    id: Slug
    title: Line
    publisher: Name
    published: PartialDate
    url: (
        Annotated[str, StringConstraints(pattern=r"^https?://\S+$"), AfterValidator(_one_line)]
        | None
    ) = None
    cites: list[Name] = Field(default_factory=list, description="outlets the article cites")
    follows: list[Slug] = Field(
        default_factory=list, description="ids of earlier articles this one follows up"
    )


class Role(Strict):
    title: Line
    company: Slug | None = None
    current: bool


class Person(Strict):
    id: Slug
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)


class Company(Strict):
    id: Slug
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    parent: Slug | None = None
    description: Text | None = None


class Sourced(Strict):
    """What every fact carries: its id, the sentence it rests on, and when and by whom reported."""

    id: Slug
    quote: Text
    reported_on: PartialDate
    reported_by: Name | None = Field(
        default=None, description="an outlet from article.cites; omit for 'it was reported'"
    )


class Group(Strict):
    """People the article does not name, e.g. 'three of OpenAI's researchers'."""

    count: Annotated[int, Field(strict=True, ge=1, le=1_000_000_000)] | None = None
    description: Line


class Move(Sourced):
    person: Slug | None = None
    group: Group | None = None
    from_company: Slug | None = Field(default=None, alias="from")
    to_company: Slug | None = Field(default=None, alias="to")
    role: Line | None = None
    successor: Slug | None = None
    successor_scope: Line | None = Field(
        default=None, description="what the successor took over, when only part of the role"
    )

    @model_validator(mode="after")
    def _who_and_where(self) -> Move:
        if (self.person is None) == (self.group is None):
            raise ValueError("a move names exactly one of 'person' or 'group'")
        if self.from_company is None and self.to_company is None:
            raise ValueError(f"a move needs 'from' or 'to' (use to = '{UNDISCLOSED}')")
        return self


class Figure(Sourced):
    subject: Slug
    measure: Line
    value: Amount
    unit: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=20),
        AfterValidator(_one_line),
    ]
    approximate: bool = False
    period: Line | None = None
    as_of: PartialDate | None = None
    according_to: Slug | None = Field(
        default=None, description="the person or company the figure comes from"
    )
    about: list[Slug] = Field(default_factory=list, description="other entities it concerns")


class Statement(Sourced):
    speaker: Slug
    speaker_role: Name | None = Field(
        default=None, description="e.g. 'spokesperson' when the speaker is unnamed"
    )
    said: Text
    said_on: PartialDate | None = None
    about: list[Slug] = Field(default_factory=list)


FactKind = Literal["tenure", "built", "oversaw", "doing", "pioneered", "description", "event"]


class Fact(Sourced):
    """Any other fact about people or companies, typed by ``kind``."""

    kind: FactKind
    subjects: Annotated[list[Slug], Field(min_length=1)]
    summary: Text
    object: Line | None = Field(default=None, description="what was built, overseen, ...")
    company: Slug | None = Field(default=None, description="where it happened")
    duration: Line | None = None
    related: list[Slug] = Field(default_factory=list)


class KnowledgeFile(Strict):
    """One article and everything it reports."""

    article: Article
    people: list[Person] = Field(default_factory=list)
    companies: list[Company] = Field(default_factory=list)
    moves: list[Move] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    statements: list[Statement] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)

    def fact_count(self) -> int:
        """How many facts of any kind the file holds."""
        return len(self.moves) + len(self.figures) + len(self.statements) + len(self.facts)
