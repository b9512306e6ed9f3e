"""What a drafting request must hold, checked alike for every front end.

The command line and `/knowledge draft` both check the article's metadata and its text here,
each problem said in one line.
"""

from __future__ import annotations

import datetime as dt
import re

from bot.draft import ArticleMeta
from bot.knowledge.chars import describe, first_unsafe

# An article is a few dozen KB; a larger input is almost surely the wrong file.
MAX_ARTICLE_BYTES = 1024 * 1024


class InputError(Exception):
    """The article or an option cannot be used; the message says why, in one line."""


class UsageError(InputError):
    """An option is wrong, as opposed to the article's text."""


def published_date(value: str) -> dt.date:
    """The publication date from YYYY-MM-DD text."""
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"expected a date such as 2025-06-26, got {value[:40]!r}") from None


def article_meta(
    title: str, publisher: str, published: dt.date, url: str | None, *, prefix: str = ""
) -> ArticleMeta:
    """The metadata, refused with the option named (``prefix`` + name) when it is unusable."""
    for option, value in (("title", title), ("publisher", publisher)):
        if not value.strip():
            raise UsageError(f"{prefix}{option} is empty")
        char = first_unsafe(value)
        if char is not None:
            raise UsageError(f"{prefix}{option} holds the control character {describe(char)}")
    if url is not None and not re.fullmatch(r"https?://\S+", url):
        raise UsageError(f"{prefix}url must start with http:// or https:// and hold no spaces")
    if url is not None and first_unsafe(url) is not None:
        raise UsageError(f"{prefix}url holds a control character")
    return ArticleMeta(title.strip(), publisher.strip(), published, url)


def article_text(text: str, where: str) -> str:
    """The article's text with line ends made plain.

    Refused if empty or holding control characters other than tab and newline.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    char = first_unsafe(text, prose=True)
    if char is not None:
        line = text.count("\n", 0, text.index(char)) + 1
        raise InputError(
            f"{where} holds the control character {describe(char)} (line {line}); only tab"
            " and newline are allowed"
        )
    if not text.strip():
        raise InputError(f"{where} is empty")
    return text


def article_bytes(data: bytes, where: str, limit: int = MAX_ARTICLE_BYTES) -> str:
    """The article's text from a file's bytes: at most ``limit`` bytes of UTF-8, no binary."""
    if len(data) > limit:
        raise InputError(
            f"{where} is larger than {limit // 1024} KiB; an article's text is far smaller"
            " (is it the right file?)"
        )
    if b"\0" in data:
        raise InputError(f"{where} is not a text file (it holds binary data)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{where} is not UTF-8 text (line {line}); save it as UTF-8") from None
    return article_text(text, where)
