"""Map a field path such as ('moves', 1, 'person') to its line in the TOML text.

tomllib reports lines only for syntax errors, so validation errors are located by scanning the
file's table headers and keys. It is best effort: when a key is absent (a missing field), the
line of the table that should hold it is given instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

_HEADER = re.compile(r"^\s*(\[\[?)\s*([A-Za-z0-9_.\-\" ]+?)\s*\]\]?\s*(#.*)?$")


def field_path(loc: Sequence[str | int]) -> str:
    """('moves', 1, 'person') -> 'moves[1].person'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def line_of(lines: Sequence[str], loc: Sequence[str | int]) -> int | None:
    """1-based line of the field at ``loc``, or of its enclosing table; None if not found."""
    if not loc or not isinstance(loc[0], str):
        return None
    table = loc[0]
    index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
    rest = loc[2:] if index is not None else loc[1:]
    start = _table_start(lines, table, index)
    if start is None:
        return _key_line(lines, 0, len(lines), table)
    end = _table_end(lines, start)
    key = next((p for p in rest if isinstance(p, str)), None)
    if key is None:
        return start + 1
    found = _key_line(lines, start + 1, end, key)
    if found is None:
        # A sub-table such as [[people.roles]] follows its parent's block.
        found = _nested_table(lines, start + 1, table, key)
    return found if found is not None else start + 1


def _table_start(lines: Sequence[str], table: str, index: int | None) -> int | None:
    seen = -1
    first_array: int | None = None
    for i, line in enumerate(lines):
        match = _HEADER.match(line)
        if match and match.group(2).strip() == table:
            is_array = match.group(1) == "[["
            if index is None and not is_array:
                return i
            if is_array:
                first_array = i if first_array is None else first_array
                seen += 1
                if seen == index:
                    return i
    # A whole unknown section such as [[rumours]] is one key of the file: point at its start.
    return first_array if index is None else None


def _table_end(lines: Sequence[str], start: int) -> int:
    for i in range(start + 1, len(lines)):
        if _HEADER.match(lines[i]):
            return i
    return len(lines)


def _key_line(lines: Sequence[str], start: int, end: int, key: str) -> int | None:
    pattern = re.compile(rf"^\s*\"?{re.escape(key)}\"?\s*=")
    for i in range(start, end):
        if pattern.match(lines[i]):
            return i + 1
    return None


def _nested_table(lines: Sequence[str], start: int, table: str, key: str) -> int | None:
    for i in range(start, len(lines)):
        match = _HEADER.match(lines[i])
        if match is None:
            continue
        name = match.group(2).strip()
        if name == f"{table}.{key}":
            return i + 1
        if not name.startswith(f"{table}."):
            return None
    return None
