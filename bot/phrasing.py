"""How everything the bot says reads, in one place.

How everything the bot says reads, in one place: values ("about $3.75 trillion"), dates
("June 26, 2025"), roles ("VP at Amazon (former)"), speakers, sources and clipped text.

The console, the embeds and /ask all word things through these functions; each fact kind's
sentence (bot/knowledge/facts/) is built from them, so one fact reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from bot.knowledge.chars import printable


class Names(Protocol):
    """What wording needs to know of the knowledge: the name of an id, and whether a company."""

    def name(self, entity_id: str | None) -> str:
        """The display name of an entity id ("an undisclosed company" for that placeholder)."""
        ...

    def is_company(self, entity_id: str) -> bool:
        """Whether the id is a known company."""
        ...


_CURRENCY = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "CNY": "CN¥", "INR": "₹"}
_SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))


def number(value: float) -> str:
    """Whole numbers without decimals, others with at most two."""
    if value == int(value):
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def amount(value: float, unit: str, approximate: bool = False) -> str:
    """A value in its unit, scaled to words for large sums."""
    prefix = "about " if approximate else ""
    if unit == "%":
        return f"{prefix}{number(value)}%"
    code = unit.upper()
    symbol = _CURRENCY.get(code)
    for scale, word in _SCALES:
        if abs(value) >= scale:
            scaled = f"{number(round(value / scale, 2))} {word}"
            break
    else:
        scaled = number(value)
    if symbol is not None:
        return f"{prefix}{symbol}{scaled}"
    if len(code) == 3 and code.isalpha() and unit.isupper():
        return f"{prefix}{scaled} {code}"
    return f"{prefix}{scaled} {unit}"


_CURRENCY_WORDS = {
    "USD": "dollars",
    "EUR": "euros",
    "GBP": "pounds",
    "JPY": "yen",
    "CNY": "yuan",
    "INR": "rupees",
}


def magnitude(words: str, unit: str) -> str:
    """An order of magnitude in its unit: "tens of millions of dollars", "hundreds of teams"."""
    if unit == "%":
        return f"{words} of percent"
    return f"{words} of {_CURRENCY_WORDS.get(unit.upper(), unit)}"


def date(text: str | None) -> str:
    """ISO text of any precision -> "June 26, 2025", "February 2025" or "2025"."""
    if not text:
        return "an unknown date"
    parts = text.split("-")
    try:
        if len(parts) == 3:
            day = dt.date.fromisoformat(text)
            return f"{day:%B} {day.day}, {day.year}"
        if len(parts) == 2:
            return f"{dt.date(int(parts[0]), int(parts[1]), 1):%B %Y}"
    except ValueError:
        return text
    return text


def on(text: str) -> str:
    """A date of any precision after a verb: "on June 26, 2025", "in July 2025", "in 2021"."""
    return f"{'on' if len(text.split('-')) == 3 else 'in'} {date(text)}"


def when(happened: str | None, reported: str) -> str:
    """When a fact happened and was reported: "in 2021 (reported July 7, 2025)", or "reported …"."""
    if not happened or happened == reported:
        return f"reported {date(reported)}"
    return f"{on(happened)} (reported {date(reported)})"


def join(names: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def clip(text: str, limit: int) -> str:
    """Cut to the limit with an ellipsis; Discord refuses longer text outright."""
    text = text.strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shown(text: str, limit: int = 80) -> str:
    """User text echoed back on one line, cut short.

    User text echoed back on one line, cut short: a 10,000-character name is not worth
    repeating.
    """
    return clip(" ".join(text.split()), limit)


def role(title: str, company: str | None, current: bool = True) -> str:
    """A job as every answer and hint words it: "VP at Amazon", "CEO (former)"."""
    where = f" at {company}" if company else ""
    return f"{title}{where}" + ("" if current else " (former)")


def speaker(names: Names, entity_id: str, role: str | None) -> str:
    """Who said something: "Vasi Philomin", "Amazon's spokesperson", "Jane Roe (CEO)"."""
    name = names.name(entity_id)
    if not role:
        return name
    # "Amazon's spokesperson" needs no a/an (which cannot be told from a name's spelling).
    return f"{name}'s {role}" if names.is_company(entity_id) else f"{name} ({role})"


def visible(text: str) -> str:
    r"""Text with control characters shown as escapes, line breaks kept.

    Text with control characters shown as escapes (`\\x1b`), line breaks kept: what reaches
    a terminal or an embed can retitle, clear or reorder nothing.
    """
    return "\n".join(printable(line) for line in text.expandtabs(4).split("\n"))


_SINGULAR = {"people": "person", "companies": "company"}


def count(n: int, plural: str) -> str:
    """2 -> "2 articles", 1 -> "1 article", 1 "people" -> "1 person"."""
    if n == 1:
        return f"1 {_SINGULAR.get(plural, plural.removesuffix('s'))}"
    return f"{n:,} {plural}"


def source(title: str, publisher: str, published: str, reported_by: str | None = None) -> str:
    """How every renderer names a source: "Title (Publisher, June 26, 2025; via Reuters)"."""
    via = f"; via {reported_by}" if reported_by and reported_by != publisher else ""
    return f"{title} ({publisher}, {date(published)}{via})"
