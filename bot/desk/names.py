"""The names the desk gives files: never the uploaded name, always a plain name in one folder."""

from __future__ import annotations

import datetime as dt
import re

_UNSAFE = re.compile(r"[^a-z0-9-]+")
_DATE = re.compile(r"^\d{4}(-\d{2}){0,2}$")
MAX_STEM = 120  # well under every filesystem's 255 bytes, with room for a history stamp


def knowledge_name(article_id: object, published: object, taken: set[str] | None = None) -> str:
    """``YYYY-MM-DD-<id>.toml`` from an article's date and id as parsed, sanitised.

    Only lowercase letters, digits and single dashes survive, so the name can hold no path
    separator, no leading dot and nothing a terminal would act on; ``-2``, ``-3``… are added
    while the name is in ``taken``.
    """
    date = published.isoformat() if isinstance(published, dt.date) else str(published or "")
    date = date if _DATE.match(date) else ""
    slug = _UNSAFE.sub("-", str(article_id or "").lower()).strip("-")
    stem = "-".join(part for part in (date, slug) if part)[:MAX_STEM].strip("-") or "article"
    taken = taken or set()
    name, n = f"{stem}.toml", 1
    while name in taken:
        n += 1
        name = f"{stem}-{n}.toml"
    return name


def history_name(file_name: str, moment: dt.datetime | None = None) -> str:
    """A file's name in the history folder: the UTC moment it left, then its name."""
    moment = (moment or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    return f"{moment:%Y%m%dT%H%M%S.%fZ}-{file_name}"
