"""How values and dates read in answers: "$100 million", "about $3.75 trillion", "June 26, 2025"."""

from __future__ import annotations

import datetime as dt

from bot.knowledge.chars import printable

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


def join(names: list[str]) -> str:
    """["a", "b", "c"] -> "a, b and c"."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def shown(text: str, limit: int = 80) -> str:
    """User text echoed back, cut short: a 10,000-character name is not worth repeating."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def visible(text: str) -> str:
    """Text with control characters shown as escapes (`\\x1b`), line breaks kept: what reaches
    a terminal or an embed can retitle, clear or reorder nothing."""
    return "\n".join(printable(line) for line in text.expandtabs(4).split("\n"))


_SINGULAR = {"people": "person", "companies": "company"}


def count(n: int, plural: str) -> str:
    """2 -> "2 articles", 1 -> "1 article", 1 "people" -> "1 person"."""
    if n == 1:
        return f"1 {_SINGULAR.get(plural, plural.removesuffix('s'))}"
    return f"{n:,} {plural}"


def source(title: str, publisher: str, published: str, reported_by: str | None = None) -> str:
    """ "Title (Publisher, June 26, 2025; via Reuters)": how every renderer names a source."""
    via = f"; via {reported_by}" if reported_by and reported_by != publisher else ""
    return f"{title} ({publisher}, {date(published)}{via})"
