"""What an uploaded file must be before it is validated with the knowledge: text TOML of a sane size.

Uploaded content is untrusted. These checks are cheap and need no parse; everything a knowledge
file must be beyond them is the loader's to check, with every current file.
"""

from __future__ import annotations

from bot import phrasing as fmt
from bot.knowledge.chars import printable
from bot.knowledge.locate import Locator

# Knowledge files nest a few levels (roles in a person, fields in a role); tomllib recurses once
# per level, so a hostile file could otherwise exhaust the stack of whoever parses it.
MAX_DEPTH = 16
MAX_SHOWN_NAME = 80


def shown_name(name: str) -> str:
    """The user's name for an upload, escaped and cut, to quote in replies (never a path)."""
    name = printable(name.strip()) or "the upload"
    return name if len(name) <= MAX_SHOWN_NAME else name[: MAX_SHOWN_NAME - 1] + "…"


def problem(data: bytes, max_bytes: int) -> str | None:
    """Why ``data`` cannot be a knowledge file, before any parse; None if it may be one."""
    if len(data) > max_bytes:
        return f"it is {fmt.count(len(data), 'bytes')}; the limit is {max_bytes:,}"
    if not data.strip():
        return "it is empty; a knowledge file needs at least an [article]"
    if b"\0" in data:
        return "it is a binary file, not TOML text (it holds NUL bytes)"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return f"it is not UTF-8 text (line {line}); save it as UTF-8"
    depth, line = Locator(text.splitlines()).deepest
    if depth > MAX_DEPTH:
        return (
            f"it nests {depth} levels deep at line {line + 1} (arrays, inline tables or dotted "
            f"keys inside each other); the limit is {MAX_DEPTH}"
        )
    return None
