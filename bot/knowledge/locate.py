"""Map a field path such as ('moves', 1, 'person') to its line in the TOML text.

tomllib reports lines only for syntax errors, so validation errors are located from one pass over
the file that notes its table headers and the keys of each table, skipping what is inside strings,
arrays and inline tables. The pass and every lookup are linear in the file's size whatever it
holds (a file can have thousands of errors, and a hostile line must not make it cubic). It is best
effort: when a key is absent (a missing field), the line of the table that should hold it is
given instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Every pattern below matches in one left-to-right pass: no two alternatives start alike.
_TOKEN = re.compile(r"\"\"\"|'''|\"(?:[^\"\\]|\\.)*\"?|'[^']*'?|#|[\[\]{}]")
_BASIC_END = re.compile(r"(?:[^\"\\]|\\.|\"(?!\"\"))*\"{3,5}")
_LITERAL_END = re.compile(r"(?:[^']|'(?!''))*'{3,5}")
_KEY_PART = re.compile(r"[ \t]*(?:([A-Za-z0-9_-]+)|\"((?:[^\"\\]|\\.)*)\"|'([^']*)')[ \t]*")
_OPENERS, _CLOSERS = "[{", "]}"


def field_path(loc: Sequence[str | int]) -> str:
    """('moves', 1, 'person') -> 'moves[1].person'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


@dataclass(frozen=True)
class _Header:
    line: int  # 0-based
    array: bool
    name: str


class Locator:
    """The table headers and keys of one file's lines, read once, to locate many errors."""

    def __init__(self, lines: Sequence[str]) -> None:
        self.headers: list[_Header] = []
        # keys[0] are the keys before any header; keys[k + 1] those under headers[k].
        self.keys: list[dict[str, int]] = [{}]
        self.anywhere: dict[str, int] = {}
        self.deepest = (0, 0)  # (nesting depth, 0-based line where it is first reached)
        self._tables: dict[str, int] = {}
        self._arrays: dict[str, list[int]] = {}
        self._subtables: dict[int, dict[str, int]] = {}
        self._scan(lines)

    def line_of(self, loc: Sequence[str | int]) -> int | None:
        """1-based line of the field at ``loc``, or of its enclosing table; None if not found."""
        if not loc or not isinstance(loc[0], str):
            return None
        table = loc[0]
        index = loc[1] if len(loc) > 1 and isinstance(loc[1], int) else None
        rest = loc[2:] if index is not None else loc[1:]
        start = self._table_start(table, index)
        if start is None:
            found = self.anywhere.get(table)
            return None if found is None else found + 1
        header = self.headers[start]
        key = next((p for p in rest if isinstance(p, str)), None)
        if key is None:
            return header.line + 1
        found = self.keys[start + 1].get(key)
        if found is None:
            # A sub-table such as [[people.roles]] follows its parent's block.
            found = self._subtables_of(start).get(f"{table}.{key}")
        return (found if found is not None else header.line) + 1

    def _table_start(self, table: str, index: int | None) -> int | None:
        arrays = self._arrays.get(table, [])
        if index is None:
            # A whole unknown section such as [[rumours]] is one key of the file: its start.
            found = self._tables.get(table)
            return found if found is not None else (arrays[0] if arrays else None)
        return arrays[index] if 0 <= index < len(arrays) else None

    def _subtables_of(self, start: int) -> dict[str, int]:
        """First line of each header in the block of sub-tables right after headers[start]."""
        found = self._subtables.get(start)
        if found is None:
            found = {}
            prefix = self.headers[start].name + "."
            for k in range(start + 1, len(self.headers)):
                header = self.headers[k]
                if not header.name.startswith(prefix):
                    break
                found.setdefault(header.name, header.line)
            self._subtables[start] = found
        return found

    def _scan(self, lines: Sequence[str]) -> None:
        depth, closing = 0, ""  # closing: the delimiter of the multi-line string we are in
        for number, line in enumerate(lines):
            pos = 0
            if closing:
                end = (_BASIC_END if closing == '"""' else _LITERAL_END).match(line)
                if end is None:
                    continue
                pos, closing = end.end(), ""
            elif depth == 0:
                pos = self._statement(line, number)
                if pos < 0:
                    continue
            depth, closing = self._values(line, pos, depth, number)

    def _statement(self, line: str, number: int) -> int:
        """Note a header or key that starts ``line``; where its value starts, or -1 if none."""
        stripped = line.lstrip(" \t")
        if stripped.startswith("["):
            array = stripped.startswith("[[")
            parts, _ = _dotted(stripped, 2 if array else 1)
            if parts:
                self._header(_Header(number, array, ".".join(parts)))
                self.anywhere.setdefault(parts[0], number)
                self._deeper(len(parts), number)
            return -1
        parts, end = _dotted(line, 0)
        if not parts or not line.startswith("=", end):
            return 0
        self.keys[-1].setdefault(parts[0], number)
        self.anywhere.setdefault(parts[0], number)
        self._deeper(len(parts), number)
        return end + 1

    def _header(self, header: _Header) -> None:
        k = len(self.headers)
        self.headers.append(header)
        self.keys.append({})
        if header.array:
            self._arrays.setdefault(header.name, []).append(k)
        else:
            self._tables.setdefault(header.name, k)

    def _values(self, line: str, pos: int, depth: int, number: int) -> tuple[int, str]:
        """Follow strings and brackets from ``pos`` to the end of the line."""
        while (token := _TOKEN.search(line, pos)) is not None:
            text, pos = token.group(), token.end()
            if text == "#":
                break
            if text in ('"""', "'''"):
                end = (_BASIC_END if text == '"""' else _LITERAL_END).match(line, pos)
                if end is None:
                    return depth, text
                pos = end.end()
            elif text in _OPENERS:
                depth += 1
                self._deeper(depth, number)
            elif text in _CLOSERS:
                depth = max(depth - 1, 0)
        return depth, ""

    def _deeper(self, depth: int, number: int) -> None:
        if depth > self.deepest[0]:
            self.deepest = (depth, number)


def _dotted(line: str, pos: int) -> tuple[list[str], int]:
    """The parts of a dotted key starting at ``pos`` and where it ends; no parts if none."""
    parts: list[str] = []
    while (part := _KEY_PART.match(line, pos)) is not None:
        parts.append(next(g for g in part.groups() if g is not None))
        pos = part.end()
        if not line.startswith(".", pos):
            break
        pos += 1
    return parts, pos
