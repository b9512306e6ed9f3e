"""Time windows: "since:" and "until:" values (dates or words) resolved against today's date.

A value is a span of days: "2025" is the whole year, "July 2025" the month, "last month" the
calendar month before today's. A fact dated only "2025-07" is inside a window if any of its days
can be, so a window never hides a fact the article dates vaguely.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from bot import phrasing

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
}
_SEASONS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11)}


@dataclass(frozen=True)
class Span:
    """The first and last day a date or a phrase can mean."""

    first: dt.date
    last: dt.date


def span_of(partial: str) -> Span:
    """The days an ISO date of any precision covers: "2025-07" -> July 1 to 31, 2025."""
    parts = [int(p) for p in partial.split("-")]
    if len(parts) == 3:
        day = dt.date(*parts)
        return Span(day, day)
    if len(parts) == 2:
        return _month(parts[0], parts[1])
    return Span(dt.date(parts[0], 1, 1), dt.date(parts[0], 12, 31))


def _month(year: int, month: int) -> Span:
    return Span(dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1]))


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def parse(text: str, today: dt.date) -> Span | None:
    """The days a date or a relative phrase means; None if it is neither.

    Dates: "2025-06-26", "June 26, 2025", "July 2025", "2025", "June". Words: "today", "last
    month", "this year", "last week", "this summer", "lately".
    """
    words = " ".join(text.lower().replace(",", " ").split())
    if re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", words):
        try:
            return span_of(words)
        except ValueError:
            return None
    relative = _relative(words, today)
    if relative is not None:
        return relative
    match = re.fullmatch(r"(?:(\d{1,2}) )?([a-z]+)(?: (\d{1,2}))?(?: (\d{4}))?", words)
    if match is None or match.group(2) not in _MONTHS or (match.group(1) and match.group(3)):
        return None
    month, day_text, year_text = (
        _MONTHS[match.group(2)],
        match.group(1) or match.group(3),
        match.group(4),
    )
    # A month without a year is the latest one not in the future: "since June" in March is last June.
    year = int(year_text) if year_text else today.year - (month > today.month)
    try:
        if day_text:
            day = dt.date(year, month, int(day_text))
            return Span(day, day)
        return _month(year, month)
    except ValueError:
        return None


def _relative(words: str, today: dt.date) -> Span | None:
    if words == "today":
        return Span(today, today)
    if words in ("lately", "recently"):
        return Span(today - dt.timedelta(days=90), today)  # a season's worth of news
    if words == "yesterday":
        day = today - dt.timedelta(days=1)
        return Span(day, day)
    if words in ("this week", "last week"):
        monday = today - dt.timedelta(days=today.weekday() + (7 if words == "last week" else 0))
        return Span(monday, monday + dt.timedelta(days=6))
    if words in ("this month", "last month"):
        return _month(*_shift_month(today, -1 if words == "last month" else 0))
    if words in ("this year", "last year"):
        year = today.year - (words == "last year")
        return Span(dt.date(year, 1, 1), dt.date(year, 12, 31))
    match = re.fullmatch(r"(?:(this|last) )?(spring|summer|autumn|fall)", words)
    if match:
        first, last = _SEASONS[match.group(2)]
        year = today.year - (match.group(1) == "last" or today.month < first)
        return Span(dt.date(year, first, 1), _month(year, last).last)
    return None


@dataclass(frozen=True)
class Window:
    """Facts from ``since`` (its first day) to ``until`` (its last day); either may be open."""

    since: Span | None = None
    until: Span | None = None

    def holds(self, partial: str) -> bool:
        """Whether a fact dated ``partial`` (any precision) may fall inside the window."""
        days = span_of(partial)
        if self.since is not None and days.last < self.since.first:
            return False
        return self.until is None or days.first <= self.until.last

    def said(self) -> str:
        """The window in words: "since June 1, 2025", "until July 31, 2025", "between … and …"."""
        first = self.since and phrasing.date(self.since.first.isoformat())
        last = self.until and phrasing.date(self.until.last.isoformat())
        if first and last:
            return f"between {first} and {last}"
        return f"since {first}" if first else f"until {last}" if last else ""


def window(since: str | None, until: str | None, today: dt.date) -> Window | str | None:
    """The window the options ask for; None for none; a message saying which value is not a date."""
    spans: list[Span | None] = []
    for name, value in (("since", since), ("until", until)):
        if value is None or not value.strip():
            spans.append(None)
            continue
        span = parse(value, today)
        if span is None:
            return (
                f"I can't read {name}:{phrasing.shown(value, 40)} as a date. Try 2025-06-26, "
                "July 2025, 2025, or words such as last month or this year."
            )
        spans.append(span)
    if spans == [None, None]:
        return None
    found = Window(spans[0], spans[1])
    if found.since and found.until and found.since.first > found.until.last:
        return f"since: ({found.since.first}) comes after until: ({found.until.last})."
    return found


_TRIGGER = re.compile(r"\b(since|after|until|till|before|in|during)\s+", re.IGNORECASE)
# "Most recently" ranks by date ("which move was reported most recently"): no window.
_ALONE = re.compile(
    r"(?<!most )\b(lately|recently|today|yesterday|(?:this|last) (?:week|month|year|spring|summer|autumn|fall))\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w-]+,?")


def find(question: str, today: dt.date) -> tuple[Window | None, str]:
    """The time window a plain question names ("in July", "since June", "lately"), if any.

    Returns the window and the question without its words; (None, question) when it names none.
    """
    for trigger in _TRIGGER.finditer(question):
        words = _WORD.findall(question[trigger.end() :])[:3]
        for n in range(len(words), 0, -1):
            phrase = " ".join(words[:n])
            span = parse(phrase, today)
            if span is None:
                continue
            end = trigger.end() + question[trigger.end() :].index(words[n - 1]) + len(words[n - 1])
            rest = (question[: trigger.start()] + question[end:]).strip()
            how, one_day = trigger.group(1).lower(), dt.timedelta(days=1)
            if how == "after":
                return Window(since=Span(span.last + one_day, span.last + one_day)), rest
            if how == "before":
                return Window(until=Span(span.first - one_day, span.first - one_day)), rest
            if how == "since":
                return Window(since=span), rest
            if how in ("until", "till"):
                return Window(until=span), rest
            return Window(since=span, until=span), rest
    alone = _ALONE.search(question)
    if alone is not None:
        span = parse(alone.group(1), today)
        if span is not None:
            rest = (question[: alone.start()] + question[alone.end() :]).strip()
            relative = alone.group(1).lower() in ("lately", "recently")
            return Window(since=span, until=None if relative else span), rest
    return None, question
