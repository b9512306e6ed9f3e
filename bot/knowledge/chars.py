"""Characters a knowledge file may not hold, and how to show them when it does.

Characters that must never reach a terminal or an embed from a knowledge file, and a way to
show text that holds them.

A control character (C0, DEL, C1) can retitle a terminal, clear it or move its cursor; a bidi
override or isolate reorders what follows it on the line; a line or paragraph separator breaks a
line where the reader does not expect it. A lone surrogate is what ``os.fsdecode`` makes of a file
name byte that is not UTF-8, and it cannot be encoded for output at all.
"""

from __future__ import annotations

import re

# Tab and newline are allowed in long prose (quotes, statements, summaries, descriptions),
# never in one-line text.
_LAYOUT = r"\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(rf"[\x00-\x1f{_LAYOUT}]")
_UNSAFE_IN_PROSE = re.compile(rf"[\x00-\x08\x0b-\x1f{_LAYOUT}]")
_UNPRINTABLE = re.compile(rf"[\x00-\x1f{_LAYOUT}\ud800-\udfff]")
# os.fsdecode turns an undecodable byte 0xNN into the lone surrogate U+DC00 + 0xNN.
_ESCAPED_BYTES = range(0xDC80, 0xDD00)


def first_unsafe(text: str, *, prose: bool = False) -> str | None:
    """The first character of ``text`` that must not be shown raw, or None."""
    found = (_UNSAFE_IN_PROSE if prose else _UNSAFE).search(text)
    return found.group() if found else None


def describe(char: str) -> str:
    """'U+001B' for one character, as error messages name it."""
    return f"U+{ord(char):04X}"


def printable(text: str) -> str:
    r"""``text`` with every unsafe character and undecodable byte escaped: 'caf\\xe9.toml'."""
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code in _ESCAPED_BYTES:
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
