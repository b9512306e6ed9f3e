"""A figure: a number the article reports about a person or company (a bonus, a market cap)."""

from __future__ import annotations

from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, StringConstraints

from bot import phrasing
from bot.knowledge.schema import Amount, Fact, Line, PartialDate, Ref, Slug, one_line
from bot.phrasing import Names


class Figure(Fact):
    """What was measured, of whom, its value and unit, and who gave it."""

    KIND: ClassVar[str] = "figure"
    SECTION: ClassVar[str] = "figures"
    HEADING: ClassVar[str] = "Figures"
    NOUN: ClassVar[str] = "figures"

    subject: Annotated[Slug, Ref("subject", focus=True)]
    measure: Line
    value: Amount
    unit: Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=1, max_length=20),
        AfterValidator(one_line),
    ]
    approximate: bool = False
    period: Line | None = None
    as_of: PartialDate | None = None
    according_to: Annotated[Slug | None, Ref("source")] = Field(
        default=None, description="the person or company the figure comes from"
    )
    about: Annotated[list[Slug], Ref("about")] = Field(
        default_factory=list, description="other entities it concerns"
    )

    def display(self) -> str:
        """The value in its unit: "about $3.75 trillion"."""
        return phrasing.amount(self.value, self.unit, self.approximate)

    def sentence(self, names: Names, *, arrival: bool = False) -> str:
        """The figure as a line: "Upwork: hourly earnings: 44% (2024), according to Upwork."."""
        text = f"{names.name(self.subject)}: {self.measure}: {self.display()}"
        when = [self.period] if self.period else []
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
        return self.as_of
