"""A figure: a number the article reports about a person or company (a bonus, a market cap)."""

from __future__ import annotations

import math
import re
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from bot import phrasing
from bot.knowledge.schema import Amount, Fact, Line, PartialDate, Ref, Slug, one_line
from bot.phrasing import Names

# "tens of millions" -> [1e7, 1e8): what an order of magnitude says, and no more.
_SCALE_WORDS = {"thousands": 1e3, "millions": 1e6, "billions": 1e9, "trillions": 1e12}
_MAGNITUDE = re.compile(
    r"^(?:(tens|hundreds|dozens) of )?(tens|hundreds|dozens|thousands|millions|billions|trillions)$"
)
_FEW = {"tens": 10.0, "hundreds": 100.0, "dozens": 24.0}
# The bounds a figure may give instead of one value, and how they read.
_BOUNDS = {
    "more_than": "more than",
    "at_least": "at least",
    "up_to": "up to",
    "less_than": "less than",
}

# Periods that read on from the quantity ("per year", "this year"); others go in brackets.
_INLINE_PERIODS = ("per ", "a ", "an ", "each ", "every ", "this ", "last ", "next ")


def _magnitude(text: str) -> str:
    text = " ".join(text.lower().split())
    match = _MAGNITUDE.match(text)
    if match is None or (match.group(1) and match.group(2) in _FEW):
        raise ValueError(
            "expected an order of magnitude such as 'tens of millions', 'hundreds of', "
            "'hundreds', 'billions'"
        )
    return text


def magnitude_range(text: str) -> tuple[float, float]:
    """[low, high) of an order of magnitude: "tens of millions" -> (1e7, 1e8)."""
    match = _MAGNITUDE.match(text)
    assert match is not None  # validated on load
    few, word = match.groups()
    if word in _FEW:
        return _FEW[word], _FEW[word] * (6 if word == "dozens" else 10)
    scale = _SCALE_WORDS[word]
    if few is None:
        return scale, scale * 1000
    return _FEW[few] * scale, _FEW[few] * scale * (6 if few == "dozens" else 10)


class Figure(Fact):
    """What was measured, of whom, its value and unit, and who gave it."""

    KIND: ClassVar[str] = "figure"
    SECTION: ClassVar[str] = "figures"
    HEADING: ClassVar[str] = "Figures"
    NOUN: ClassVar[str] = "figures"

    subject: Annotated[Slug, Ref("subject", focus=True)]
    measure: Line
    value: Amount | None = None
    unit: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=20),
        AfterValidator(one_line),
    ]
    approximate: bool = False
    more_than: Amount | None = None
    at_least: Amount | None = None
    up_to: Amount | None = None
    less_than: Amount | None = None
    between: tuple[Amount, Amount] | None = Field(default=None, description="[low, high]")
    magnitude: Annotated[str, AfterValidator(_magnitude)] | None = Field(
        default=None, description="an order of magnitude: 'tens of millions', 'hundreds'"
    )
    period: Line | None = None
    as_of: PartialDate | None = None
    according_to: Annotated[Slug | None, Ref("source")] = Field(
        default=None, description="the person or company the figure comes from"
    )
    about: Annotated[list[Slug], Ref("about")] = Field(
        default_factory=list, description="other entities it concerns"
    )

    @model_validator(mode="after")
    def _one_quantity(self) -> Figure:
        given = [
            key
            for key in ("value", *_BOUNDS, "between", "magnitude")
            if getattr(self, key) is not None
        ]
        if len(given) != 1:
            raise ValueError(
                "a figure gives exactly one of 'value', 'more_than', 'at_least', 'up_to', "
                f"'less_than', 'between' or 'magnitude' (got {', '.join(given) or 'none'})"
            )
        if self.approximate and self.value is None:
            raise ValueError("'approximate' goes with 'value' only")
        if self.between is not None and self.between[0] >= self.between[1]:
            raise ValueError("'between' is [low, high] with low below high")
        return self

    def display(self) -> str:
        """The quantity as the article gives it: "more than 100 people", "tens of millions of dollars"."""
        if self.value is not None:
            return phrasing.amount(self.value, self.unit, self.approximate)
        for key, words in _BOUNDS.items():
            bound = getattr(self, key)
            if bound is not None:
                return f"{words} {phrasing.amount(bound, self.unit)}"
        if self.between is not None:
            low, high = (phrasing.amount(v, self.unit) for v in self.between)
            return f"between {low} and {high}"
        assert self.magnitude is not None  # the validator requires one quantity
        return phrasing.magnitude(self.magnitude, self.unit)

    def bounds(self) -> tuple[float, float]:
        """The lowest and highest the figure may be: what sorting and comparing may rely on."""
        if self.value is not None:
            return self.value, self.value
        if self.between is not None:
            return self.between
        if self.magnitude is not None:
            return magnitude_range(self.magnitude)
        if self.more_than is not None or self.at_least is not None:
            return float(
                self.more_than if self.more_than is not None else self.at_least or 0
            ), math.inf
        # "up to" a count or a sum: not below zero, unless the article's number is negative.
        high = self.up_to if self.up_to is not None else self.less_than
        assert high is not None
        return min(0.0, high), high

    def _open(self) -> tuple[bool, bool]:
        """Whether the low and the high bound are themselves excluded ("more than 100": low)."""
        return (
            self.more_than is not None,
            self.magnitude is not None or self.less_than is not None or self.more_than is not None,
        )

    def compared(self, other: Figure) -> str:
        """How this figure compares with another: what is known, and what the wording leaves open."""
        mine, theirs = self.display(), other.display()
        if self.unit != other.unit:
            return f"{mine} and {theirs} are in different units; they cannot be compared."
        if self.approximate or other.approximate:
            return f"{mine} and {theirs}: at least one is approximate, so the order may differ."
        if _below(self, other):
            return f"{mine} is less than {theirs}."
        if _below(other, self):
            return f"{mine} is more than {theirs}."
        if self.bounds() == other.bounds() and self.value is not None and other.value is not None:
            return f"{mine} is the same as {theirs}."
        return f"{mine} may be more or less than {theirs}: the article does not say which."

    def sort_key(self) -> tuple[float, float]:
        """Largest-first sorting by what is certain: the lowest value, then the highest."""
        return self.bounds()

    def sentence(self, names: Names, *, arrival: bool = False) -> str:
        """The figure as a line: "Upwork: hourly earnings: 44% (2024), according to Upwork."."""
        text = f"{names.name(self.subject)}: {self.measure}: {self.display()}"
        when = []
        if self.period and self.period.lower().startswith(_INLINE_PERIODS):
            text += f" {self.period}"  # "tens of millions of dollars per year", as said
        elif self.period:
            when.append(self.period)
        if self.as_of:
            when.append(f"as of {phrasing.date(self.as_of)}")
        if when:
            text += f" ({', '.join(when)})"
        if self.according_to:
            text += f", according to {names.name(self.according_to)}"
        return text + "."

    def own_words(self) -> str:
        """The measure and its period."""
        return f"{self.measure} {self.period or ''}"

    def happened_on(self) -> str | None:
        """The date the figure is as of."""
        return self.as_of or self.happened


def _below(one: Figure, other: Figure) -> bool:
    """Whether ``one`` is certainly less than ``other``: its highest below the other's lowest."""
    high, low = one.bounds()[1], other.bounds()[0]
    return high < low or (high == low and (one._open()[1] or other._open()[0]))
