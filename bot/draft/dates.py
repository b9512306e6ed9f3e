"""Date phrases resolved against the article's published date.

Date phrases ("Thursday (June 26)", "on June 18", "in February", "last month") resolved
against the article's published date to the precision the article gives.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_MONTH = "|".join(MONTHS)
_DAY = "|".join(WEEKDAYS)

# Longest forms first: one alternation, so a weekday with its date in brackets is one phrase.
_PHRASE = re.compile(
    rf"\b(?:(?P<wd>{_DAY})\s*\(\s*(?P<wdm>{_MONTH})\s+(?P<wdd>\d{{1,2}})\s*\)"
    rf"|(?P<m>{_MONTH})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(?P<y>\d{{4}}))?"
    rf"|(?P<mo>{_MONTH})(?:\s+(?P<moy>\d{{4}}))?\b"
    rf"|(?:last\s+)?(?P<day>{_DAY})\b"
    r"|(?P<rel>(?:earlier\s+|later\s+)?this\s+month|last\s+month|this\s+year|last\s+year"
    r"|today|yesterday)"
    r"|(?:in|since|by|until|of)\s+(?P<year>(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class DatePhrase:
    """A date phrase in a sentence, and the partial ISO date it stands for."""

    start: int
    end: int
    text: str
    value: str  # "2025-06-26", "2025-06" or "2025"


def find(sentence: str, published: dt.date) -> list[DatePhrase]:
    """The date phrases of a sentence, in order, each resolved against ``published``."""
    found = []
    for match in _PHRASE.finditer(sentence):
        value = _resolve(match, published)
        if value is not None:
            found.append(DatePhrase(match.start(), match.end(), match.group(), value))
    return found


def _resolve(match: re.Match[str], published: dt.date) -> str | None:
    g = match.groupdict()
    if g["wd"]:
        return _day(_month(g["wdm"]), int(g["wdd"]), None, published)
    if g["m"]:
        if not g["m"][0].isupper():
            return None  # "may 5" is not a date; month names are capitalised
        return _day(_month(g["m"]), int(g["d"]), g["y"], published)
    if g["mo"]:
        month = g["mo"]
        # "May" and "march" are words too: only a capitalised month not starting a clause is one.
        if not month[0].isupper() or (month == "May" and not g["moy"] and _verb_may(match)):
            return None
        number = _month(month)
        if g["moy"]:
            return f"{g['moy']}-{number:02d}"
        year = published.year if number <= published.month else published.year - 1
        return f"{year}-{number:02d}"
    if g["day"]:
        if not g["day"][0].isupper():
            return None
        weekday = WEEKDAYS.index(g["day"].capitalize())
        back = (published.weekday() - weekday) % 7
        return (published - dt.timedelta(days=back)).isoformat()
    if g["rel"]:
        return _relative(g["rel"].lower().split()[-2:], published)
    if g["year"]:
        return g["year"]
    return None


def _verb_may(match: re.Match[str]) -> bool:
    before = match.string[: match.start()].rstrip()
    return not before.endswith((" in", " In", " since", " by", " of", " until", " early", " late"))


def _month(name: str) -> int:
    return MONTHS.index(name.capitalize()) + 1


def _day(month: int, day: int, year: str | None, published: dt.date) -> str | None:
    """A month and day without a year is the latest one not long after publication."""
    candidates = [int(year)] if year else [published.year, published.year - 1]
    for y in candidates:
        try:
            date = dt.date(y, month, day)
        except ValueError:
            return None
        if year or date <= published + dt.timedelta(days=7):
            return date.isoformat()
    return None


def _relative(words: list[str], published: dt.date) -> str:
    last = words[-1]
    if last == "today":
        return published.isoformat()
    if last == "yesterday":
        return (published - dt.timedelta(days=1)).isoformat()
    if last == "month":
        if words[0] == "last":
            first = published.replace(day=1) - dt.timedelta(days=1)
            return f"{first.year}-{first.month:02d}"
        return f"{published.year}-{published.month:02d}"
    return str(published.year - 1 if words[0] == "last" else published.year)
