"""Amounts in a sentence: money, percentages and counts.

Amounts in a sentence: money ("about $3.75 trillion", "tens of millions of dollars"),
percentages ("grew 60%") and counts ("85 employees"), with unit and approximation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_QUALIFIER = (
    r"(?:(?P<q>about|roughly|around|nearly|almost|approximately|some|more than|over|"
    r"as much as|up to|above|at least|less than|under|an estimated)\s+)?"
)
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<mult>thousand|million|billion|trillion|mn|bn|[mbk])\b)?"
_CURRENCY = {"$": "USD", "€": "EUR", "£": "GBP", "dollars": "USD", "euros": "EUR", "pounds": "GBP"}
_MULTIPLIER = {
    "thousand": 1e3,
    "k": 1e3,
    "million": 1e6,
    "mn": 1e6,
    "m": 1e6,
    "billion": 1e9,
    "bn": 1e9,
    "b": 1e9,
    "trillion": 1e12,
    "thousands": 1e3,
    "millions": 1e6,
    "billions": 1e9,
}
_VAGUE = {"tens": 10, "hundreds": 100, "dozens": 12}

_PATTERNS = (
    re.compile(rf"{_QUALIFIER}(?P<cur>[$€£])\s?{_NUMBER}{_SCALE}", re.I),
    re.compile(rf"{_QUALIFIER}{_NUMBER}{_SCALE}\s+(?P<cur>dollars|euros|pounds)\b", re.I),
    re.compile(
        rf"{_QUALIFIER}(?:(?P<vague>tens|hundreds|dozens)\s+of\s+)?"
        r"(?P<mult>thousands|millions|billions)\s+of\s+(?P<cur>dollars|euros|pounds)\b",
        re.I,
    ),
    re.compile(rf"{_QUALIFIER}{_NUMBER}\s*(?P<pct>%|percent\b|per cent\b)", re.I),
    re.compile(
        rf"{_QUALIFIER}(?<![\w.,$€£-]){_NUMBER}(?![\w.,%-]|\.\d)(?:\s+(?P<noun>[a-z][\w-]*))?"
    ),
)
_TIME_UNITS = frozenset(
    [
        "year",
        "years",
        "month",
        "months",
        "week",
        "weeks",
        "day",
        "days",
        "hour",
        "hours",
        "minute",
        "minutes",
        "quarter",
        "quarters",
        "times",
        "percent",
        "a-year",
    ]
)
_PLURAL_EXTRA = frozenset(["people", "staff", "personnel"])


@dataclass(frozen=True, slots=True)
class Amount:
    """One amount found in a sentence (offsets within it)."""

    start: int
    end: int
    text: str
    value: float
    unit: str
    approximate: bool
    counted: str = ""  # what a count counts, when the text says ("employees")


def find(sentence: str, dates: list[tuple[int, int]]) -> list[Amount]:
    """Every amount in the sentence that is not part of a date or a duration, in order."""
    taken = list(dates)
    found: list[Amount] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            start = match.start("q") if match.group("q") else _value_start(match)
            if any(start < e and match.end() > s for s, e in taken):
                continue
            amount = _amount(match, start, sentence)
            if amount is not None:
                found.append(amount)
                taken.append((start, match.end()))
    return sorted(found, key=lambda a: a.start)


def _value_start(match: re.Match[str]) -> int:
    groups = match.groupdict()
    for name in ("cur", "vague", "num", "mult"):
        if groups.get(name) and match.start(name) >= 0:
            return min(match.start(n) for n in ("cur", "vague", "num", "mult") if groups.get(n))
    return match.start()


def _amount(match: re.Match[str], start: int, sentence: str) -> Amount | None:
    g = match.groupdict()
    approximate = bool(g.get("q"))
    mult = (g.get("mult") or "").lower()
    scale = _MULTIPLIER.get(mult, 1.0)
    if g.get("num"):
        number = float(g["num"].replace(",", ""))
    else:
        number = float(_VAGUE.get((g.get("vague") or "").lower(), 1))
        approximate = True
    value = number * scale
    end = match.end()
    if g.get("cur"):
        return Amount(
            start, end, sentence[start:end], value, _CURRENCY[g["cur"].lower()], approximate
        )
    if g.get("pct"):
        return Amount(start, end, sentence[start:end], value, "%", approximate)
    noun = g.get("noun") or ""
    if g["num"] and re.fullmatch(r"(?:19|20)\d\d", g["num"]):
        return None  # a year
    if noun in _TIME_UNITS or (number < 2 and not noun):
        return None
    if noun and (noun.endswith("s") or noun in _PLURAL_EXTRA) and noun not in _TIME_UNITS:
        end = match.end("noun")
        return Amount(start, end, sentence[start:end], value, noun, approximate, noun)
    before = sentence[:start].rstrip()
    if noun == "more" or re.search(r"\b(?:to|from|of|at|reached|hit)$", before):
        end = match.end("num")
        return Amount(start, end, sentence[start:end], value, "count", approximate)
    return None
