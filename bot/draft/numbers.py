"""Amounts in a sentence: money, percentages and counts.

Amounts in a sentence: money ("about $3.75 trillion", "tens of millions of dollars"),
percentages ("grew 60%") and counts ("85 employees"), with unit and approximation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.draft.words import WORD_NUMBERS

_QUALIFIER = (
    r"(?:(?P<q>about|roughly|around|nearly|almost|approximately|some|close to|just over|"
    r"just under|an estimated|more than|over|above|upwards of|north of|in excess of|"
    r"as much as|as many as|up to|at least|no fewer than|less than|fewer than|under)\s+)?"
)
# Qualifiers that bound a figure rather than round it: the schema's more_than, up_to, ...
_BOUNDS = {
    "more than": "more_than",
    "over": "more_than",
    "above": "more_than",
    "upwards of": "more_than",
    "north of": "more_than",
    "in excess of": "more_than",
    "as much as": "up_to",
    "as many as": "up_to",
    "up to": "up_to",
    "at least": "at_least",
    "no fewer than": "at_least",
    "less than": "less_than",
    "fewer than": "less_than",
    "under": "less_than",
}
_NUMBER = r"(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_SCALE = r"(?:\s*(?P<mult>thousand|million|billion|trillion|mn|bn|[mbk])\b)?"
_CURRENCY = {
    "$": "USD",
    "€": "EUR",
    "£": "GBP",
    "usd": "USD",
    "eur": "EUR",
    "gbp": "GBP",
    "dollars": "USD",
    "euros": "EUR",
    "pounds": "GBP",
    "dollar": "USD",
    "euro": "EUR",
    "pound": "GBP",
}
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
# The least an order of magnitude means, as the knowledge schema reads it.
_MAGNITUDE_LOW = {"tens": 10.0, "hundreds": 100.0, "dozens": 24.0, "thousands": 1000.0}
_VAGUE = {"tens": 10, "hundreds": 100, "dozens": 12}

_WORD_NUMBERS = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
_FRACTIONS = {
    "a quarter": 25.0,
    "one quarter": 25.0,
    "three quarters": 75.0,
    "three-quarters": 75.0,
    "a third": 100 / 3,
    "one third": 100 / 3,
    "two thirds": 200 / 3,
    "two-thirds": 200 / 3,
    "half": 50.0,
    "a fifth": 20.0,
    "one fifth": 20.0,
    "a tenth": 10.0,
    "one tenth": 10.0,
}
_LOW = r"(?P<low>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
_LOW_SCALE = r"(?:\s*(?P<lowmult>thousand|million|billion|trillion|mn|bn|[mbk])\b)?"
_PATTERNS = (
    # Ranges first: "$5 million to $10 million", "between 10% and 15%", "$5-10 million".
    re.compile(
        rf"(?P<between>between\s+)?(?P<cur>[$€£])\s?{_LOW}{_LOW_SCALE}\s*(?P<sep>-|–|to|and)\s*"
        rf"[$€£]?\s?{_NUMBER}{_SCALE}",
        re.I,
    ),
    re.compile(
        rf"(?P<between>between\s+)?{_LOW}\s*(?:%|percent|per cent)?\s*(?P<sep>-|–|to|and)\s*"
        rf"{_NUMBER}\s*(?P<pct>%|percent\b|per cent\b)",
        re.I,
    ),
    re.compile(rf"{_QUALIFIER}(?P<cur>[$€£]|\b(?:USD|EUR|GBP)\s)\s?{_NUMBER}{_SCALE}", re.I),
    re.compile(rf"{_QUALIFIER}{_NUMBER}{_SCALE}\s+(?P<cur>dollars?|euros?|pounds?)\b", re.I),
    re.compile(
        rf"{_QUALIFIER}(?:(?P<vague>tens|hundreds|dozens)\s+of\s+)?"
        r"(?P<mult>thousands|millions|billions)\s+of\s+(?P<cur>dollars|euros|pounds)\b",
        re.I,
    ),
    re.compile(rf"{_QUALIFIER}{_NUMBER}\s*(?P<pct>%|percent\b|per cent\b)", re.I),
    # Head counts: "a 40-person team", "a 300-strong staff".
    re.compile(
        rf"{_QUALIFIER}(?<![\w.,$€£-]){_NUMBER}-(?P<noun>person|people|member|strong|employee)\b"
    ),
    re.compile(
        rf"{_QUALIFIER}(?<![\w.,$€£-]){_NUMBER}(?:\s+(?P<mult>thousand|million|billion))?"
        r"(?![\w%-]|[.,]\d)(?:\s+(?P<noun>[a-z][\w-]*))?"
    ),
    # Shares in words: "roughly a quarter", "about half of U.S. levels".
    re.compile(
        rf"{_QUALIFIER}(?<!\w)(?<!first )(?<!second )(?<!third )(?P<fraction>a quarter|one quarter|"
        r"three quarters|three-quarters|a third|one third|two thirds|two-thirds|half|a fifth|"
        r"one fifth|a tenth|one tenth)\b(?!\s+(?:of\s+)?(?:the\s+)?(?:year|century|decade|hour|"
        r"season|a\b)|,)",
        re.I,
    ),
    # Counts in words: "four senior researchers", "two of its engineers".
    re.compile(
        rf"{_QUALIFIER}\b(?P<word>{_WORD_NUMBERS})\s+(?P<wordnoun>(?:[a-z][\w-]*\s+){{0,2}}?"
        r"[a-z][\w-]*s)\b",
        re.I,
    ),
    # Orders of magnitude: "hundreds of engineers", "dozens of researchers".
    re.compile(
        rf"{_QUALIFIER}[“\"]?\b(?P<magnitude>(?:tens|hundreds|dozens)(?:\s+of\s+thousands)?|thousands)[”\"]?"
        r"\s+of\s+(?P<noun>[a-z][\w-]*s)\b",
        re.I,
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
_PLURAL_EXTRA = frozenset(["people", "staff", "personnel", "workforce", "headcount"])
# Words after a number that do not describe what it counts ("800 within", "12 of its").
_NOT_ADJECTIVE = frozenset(
    {"of", "in", "on", "at", "to", "from", "for", "by", "with", "within", "and", "or", "but"}
    | {"than", "as", "per", "a", "an", "the", "its", "their", "this", "that", "more"}
    | {"million", "billion", "thousand", "percent"}
)
# Plurals a word number is seldom a figure of: "two others", "three times".
_NOT_COUNTED = frozenset({"others", "times", "ones", "sides", "ways", "things", "words"})
# Words before a bare number that make it a count: "grew to 800", "a workforce of 1,200".
_COUNT_BEFORE = (
    r"\b(?:to|from|of|at|reached|reach|reaches|reaching|hit|exceed|exceeds|top|tops|employs|employed|employing|totals|totaled|totalled|"
    r"numbering|headcount|workforce|staff)$"
)


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
    bound: str = ""  # "more_than", "up_to", ...: the value bounds the figure
    high: float | None = None  # a range's upper end ("$5 million to $10 million")
    magnitude: str = ""  # an order of magnitude ("hundreds"), when the text gives no number


def find(sentence: str, dates: list[tuple[int, int]]) -> list[Amount]:
    """Every amount in the sentence that is not part of a date or a duration, in order."""
    taken = list(dates)
    found: list[Amount] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(sentence):
            start = match.start("q") if match.groupdict().get("q") else _value_start(match)
            amount = _amount(match, start, sentence)
            # What the amount itself spans ("12", not "12 today") must be free.
            if amount is None or any(start < e and amount.end > s for s, e in taken):
                continue
            found.append(amount)
            taken.append((start, amount.end))
    return sorted(found, key=lambda a: a.start)


def _value_start(match: re.Match[str]) -> int:
    groups = match.groupdict()
    names = ("between", "cur", "vague", "low", "num", "mult", "magnitude")
    present = [match.start(n) for n in names if groups.get(n)]
    return min(present) if present else match.start()


def _amount(match: re.Match[str], start: int, sentence: str) -> Amount | None:
    g = match.groupdict()
    qualifier = (g.get("q") or "").lower()
    bound = _BOUNDS.get(qualifier, "")
    approximate = bool(qualifier) and not bound
    mult = (g.get("mult") or "").lower()
    scale = _MULTIPLIER.get(mult, 1.0)
    if g.get("num"):
        number = float(g["num"].replace(",", ""))
    else:
        number = float(_VAGUE.get((g.get("vague") or "").lower(), 1))
        approximate = True
    value = number * scale
    end = match.end()
    text = sentence[start:end]
    if g.get("low"):
        if g.get("sep", "").lower() == "and" and not g.get("between"):
            return None  # "$5 million and $10 million" are two amounts
        low_mult = (g.get("lowmult") or "").lower()
        low = float(g["low"].replace(",", ""))
        # "$5-10 million": the low end takes the high end's scale, unless it is larger as it
        # stands ("$900,000 and $1.4 million").
        borrow = not low_mult and low < number
        low *= _MULTIPLIER.get(low_mult or (mult if borrow else ""), 1.0)
        if low >= value:
            return None
        unit = "%" if g.get("pct") else _CURRENCY[g["cur"].strip().lower()]
        return Amount(start, end, text, low, unit, False, high=value)
    if g.get("cur"):
        unit = _CURRENCY[g["cur"].strip().lower()]
        return Amount(start, end, text, value, unit, approximate, bound=bound)
    if g.get("pct"):
        return Amount(start, end, text, value, "%", approximate, bound=bound)
    if g.get("fraction"):
        value = round(_FRACTIONS[" ".join(g["fraction"].lower().split())], 1)
        # A share in words is a rounded one.
        return Amount(start, end, text, value, "%", not bound, bound=bound)
    if g.get("word"):
        noun_phrase = " ".join(g["wordnoun"].split())
        last = noun_phrase.split()[-1].lower()
        if last in _TIME_UNITS or last in _NOT_COUNTED:
            return None
        value = float(WORD_NUMBERS[g["word"].lower()])
        exact = bool(qualifier) and not bound
        return Amount(start, end, text, value, last, exact, noun_phrase, bound=bound)
    noun = g.get("noun") or ""
    if g.get("magnitude"):
        magnitude = " ".join(g["magnitude"].lower().split())
        first = magnitude.split()[0]
        value = _MAGNITUDE_LOW[first] * (
            1000.0 if magnitude.endswith("thousands") and first != "thousands" else 1.0
        )
        return Amount(start, end, text, value, noun, False, noun, magnitude=magnitude)
    if g["num"] and re.fullmatch(r"(?:19|20)\d\d", g["num"]) and not mult:
        return None  # a year
    if noun in {"person", "people", "member", "strong", "employee"} and "-" in text:
        return Amount(start, end, text, value, "people", approximate, "people", bound=bound)
    if noun in _TIME_UNITS or (value < 2 and not noun):
        return None
    if noun and not noun.endswith("s") and noun not in _PLURAL_EXTRA and noun not in _NOT_ADJECTIVE:
        # "2,000 new hires", "25 machine learning specialists": a noun after describing words.
        following = re.match(
            r"((?:\s+[a-z][\w-]*)?)\s+([a-z][\w-]*s)\b", sentence[match.end("noun") :]
        )
        if following and following.group(2) not in _TIME_UNITS:
            end = match.end("noun") + following.end()
            text = sentence[start:end]
            counted = f"{noun}{following.group(1)} {following.group(2)}"
            return Amount(
                start, end, text, value, following.group(2), approximate, counted, bound=bound
            )
    if noun and (noun.endswith("s") or noun in _PLURAL_EXTRA) and noun not in _TIME_UNITS:
        end = match.end("noun")
        text = sentence[start:end]
        return Amount(start, end, text, value, noun, approximate, noun, bound=bound)
    before = sentence[:start].rstrip()
    if noun == "more" or re.search(_COUNT_BEFORE, before):
        end = match.end("mult") if mult else match.end("num")
        text = sentence[start:end]
        return Amount(start, end, text, value, "count", approximate, bound=bound)
    return None
