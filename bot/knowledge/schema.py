"""Pydantic models of an article, its people and companies, and the base of every fact.

Pydantic models of what a knowledge file holds: an article, its people and companies, and
the base of every fact (each kind of fact is declared whole in bot/knowledge/facts/).

Every model forbids unknown keys so that an admin's typo (``titel``) is an error, not a silent
default. Cross-file rules (unknown references, duplicate ids, alias collisions) live in the loader,
which sees every file at once.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

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

if TYPE_CHECKING:
    from bot.phrasing import Names


def one_line(text: str) -> str:
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
    AfterValidator(one_line),
]
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=120),
    AfterValidator(one_line),
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
    """The base of every knowledge model: unknown keys are errors and instances are frozen.

    Fields accept their names as well as their aliases.
    """

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
    """A file's [article] table: the article's id, title, publisher, date and address.

    Also the outlets it cites and the earlier articles it follows up.
    """

    id: Slug
    title: Line
    publisher: Name
    published: PartialDate
    url: (
        Annotated[str, StringConstraints(pattern=r"^https?://\S+$"), AfterValidator(one_line)]
        | None
    ) = None
    cites: list[Name] = Field(default_factory=list, description="outlets the article cites")
    follows: list[Slug] = Field(
        default_factory=list, description="ids of earlier articles this one follows up"
    )


class Role(Strict):
    """A person's title, at a company if known, and whether they still hold it."""

    title: Line
    company: Slug | None = None
    current: bool


class Person(Strict):
    """A file's [[people]] entry: an id, a name, the other names it goes by, and roles."""

    id: Slug
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    roles: list[Role] = Field(default_factory=list)


class Company(Strict):
    """A file's [[companies]] entry: an id, a name, aliases, a parent and a description."""

    id: Slug
    name: Name
    aliases: list[Name] = Field(default_factory=list)
    parent: Slug | None = None
    description: Text | None = None


EntityKind = Literal["person", "company"]
# How a fact may follow up an earlier one: the key in the file is the word.
Link = Literal["updates", "corrects", "retracts"]
LINKS: tuple[Link, ...] = ("updates", "corrects", "retracts")
# The kinds of entity a reference may name: "entity" is either.
RefTarget = Literal["person", "company", "entity"]


@dataclass(frozen=True)
class Ref:
    """Marks a field of a fact that names people or companies, and the part they play in it.

    Written once on the field (``Annotated[Slug | None, Ref("from", "company")]``), it is what the
    loader checks ids against, what the store indexes and what questions match parts with.
    """

    part: str  # "person", "from", "subject", "speaker", ...: the part, never a job ("role")
    target: RefTarget = "entity"
    focus: bool = False  # whom the fact is about: the mover, the subject, the speaker
    undisclosed: bool = False  # may be "undisclosed" instead of an id


@dataclass(frozen=True)
class Reference:
    """One id a fact names: where in the fact, the id, and its declared part."""

    key: tuple[str | int, ...]  # ("from",) or ("about", 2), as in the file
    entity_id: str
    ref: Ref


class Fact(Strict):
    """What every kind of fact carries: its id, the sentence it rests on, when and by whom reported.

    Each kind (bot/knowledge/facts/) adds its fields and says how it is worded.
    """

    KIND: ClassVar[str]  # the name stored and asked for: "move"
    SECTION: ClassVar[str]  # its array of tables in a knowledge file: "moves"
    HEADING: ClassVar[str]  # its section in a profile: "Moves"
    NOUN: ClassVar[str]  # how counts name it: "moves" ("2 moves", "1 move")
    # (attribute, key in the file, declaration) of every referencing field, from the annotations.
    REFS: ClassVar[tuple[tuple[str, str, Ref], ...]] = ()

    id: Slug
    quote: Text
    reported_on: PartialDate
    reported_by: Name | None = Field(
        default=None, description="an outlet from article.cites; omit for 'it was reported'"
    )
    happened: PartialDate | None = Field(
        default=None, description="when the event happened, when the article says and it differs"
    )
    # A later article's fact may take an earlier fact's story further: at most one link each.
    updates: Slug | None = Field(default=None, description="id of an earlier fact it adds to")
    corrects: Slug | None = Field(default=None, description="id of an earlier fact it replaces")
    retracts: Slug | None = Field(default=None, description="id of an earlier fact withdrawn")

    @model_validator(mode="after")
    def _one_link(self) -> Fact:
        if sum(link is not None for link in (self.updates, self.corrects, self.retracts)) > 1:
            raise ValueError("a fact names at most one of 'updates', 'corrects' or 'retracts'")
        return self

    def link(self) -> tuple[Link, str] | None:
        """(how, the earlier fact's id) when it updates, corrects or retracts one."""
        for how in LINKS:
            target = getattr(self, how)
            if target is not None:
                return how, target
        return None

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Collect the fields marked with a Ref once per kind, in declaration order."""
        super().__pydantic_init_subclass__(**kwargs)
        cls.REFS = tuple(
            (name, info.alias or name, ref)
            for name, info in cls.model_fields.items()
            for ref in info.metadata
            if isinstance(ref, Ref)
        )

    def references(self) -> Iterator[Reference]:
        """Every id the fact names, with where it is and the part it plays."""
        for attribute, key, ref in self.REFS:
            value = getattr(self, attribute)
            if isinstance(value, str):
                yield Reference((key,), value, ref)
            elif isinstance(value, list):
                for i, item in enumerate(value):
                    yield Reference((key, i), item, ref)

    def mentioned(self) -> list[tuple[str, str]]:
        """(part, entity id) of every entity the fact names: the index behind per-entity queries."""
        return [
            (r.ref.part, r.entity_id)
            for r in self.references()
            if not (r.ref.undisclosed and r.entity_id == UNDISCLOSED)
        ]

    def focus(self) -> frozenset[str]:
        """Whom or what the fact is about (the mover, the subject, the speaker)."""
        return frozenset(r.entity_id for r in self.references() if r.ref.focus)

    def sentence(self, names: Names, *, arrival: bool = False) -> str:
        """The fact as one sentence; a move told as an arrival when ``arrival``."""
        raise NotImplementedError

    def detail(self, names: Names) -> str | None:
        """A second line under the sentence, when the kind has one."""
        return None

    def sequel(self, earlier: Fact, names: Names, *, arrival: bool = False) -> str:
        """The fact told as what came next after ``earlier`` in one story ("then joined …")."""
        return "then " + self.sentence(names, arrival=arrival)

    def own_words(self) -> str:
        """The words the curator chose for the fact, not the quote it may share with others."""
        return ""

    def happened_on(self) -> str | None:
        """When what the fact reports happened, if the article says and it is not the report."""
        return self.happened

    def day(self) -> str:
        """When it happened if known, else when it was reported: what timelines sort by."""
        return self.happened_on() or self.reported_on

    def topic(self) -> str | None:
        """What a kind with topics tells ("built", "tenure"); None for kinds without."""
        return None


class Group(Strict):
    """People the article does not name, e.g. 'three of OpenAI's researchers'."""

    count: Annotated[int, Field(strict=True, ge=1, le=1_000_000_000)] | None = None
    description: Line
