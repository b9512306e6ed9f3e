"""A draft written as TOML text, with a TODO comment on every guess.

Write a draft as TOML text, one key per line, with a '# TODO' comment on every guess and a
header saying how many there are.

Written directly as text (not through the schema classes) so each line can carry its comment,
and so that resolving a TODO is editing one line: the draft is valid TOML and passes
`talent-bot check` as it stands; a TODO says which values are guesses to confirm or correct.
"""

from __future__ import annotations

import datetime as dt
import json
import re

from bot.draft.context import Item, Value
from bot.knowledge.facts import KINDS

TODO = "# TODO"
_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_KEYS = {"published", "reported_on", "said_on", "as_of"}
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_SECTIONS = ("people", "companies", *(kind.SECTION for kind in KINDS))  # as a file orders them


def render(article: Item, sections: dict[str, list[Item]], source: str) -> tuple[str, int]:
    """The draft's text and how many TODO lines it holds."""
    body: list[str] = ["[article]", *(_line(k, v, t) for k, v, t in article.fields)]
    for name in _SECTIONS:
        items = sections.get(name, [])
        if not items:
            continue
        body += ["", f"# {'-' * 64} {name}"]
        for item in items:
            body += ["", f"[[{name}]]"]
            for key, value, todo in item.fields:
                body.append(_line(key, value, todo))
    body = "\n".join(body).split("\n")  # a roles array is several lines
    todos = sum(TODO in line for line in body)
    head = [
        "# Draft knowledge file written by `talent-bot draft` for the article",
        f"# {_one_line(source)}",
        f"# {todos} {'TODO' if todos == 1 else 'TODOs'}: a line ending in a TODO comment holds a"
        " guess. Check it against the",
        "# article, correct the value if needed and delete the comment; then run"
        " `talent-bot check`.",
        "",
    ]
    return "\n".join(head + body) + "\n", todos


def _line(key: str, value: Value, todo: str) -> str:
    if isinstance(value, list) and key == "roles":
        return _roles([str(v) for v in value])
    text = f"{_key(key)} = {_value(key, value)}"
    if todo:
        text += f"  {TODO}: {_one_line(todo)}"
    return text


def _roles(rows: list[str]) -> str:
    # Roles are prepared as ready-made inline tables, each with its own comment.
    return "roles = [\n" + "".join(f"  {row}\n" for row in rows) + "]"


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else json.dumps(key)


def _value(key: str, value: Value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:_}" if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list):
        return (
            "["
            + ", ".join(string(v) if isinstance(v, str) else _value(key, v) for v in value)
            + "]"
        )
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {_value(k, v)}" for k, v in value.items())
        return "{ " + inner + " }"
    if key in _DATE_KEYS and _FULL_DATE.match(value):
        dt.date.fromisoformat(value)
        return value
    return string(value)


def string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's, minus the surrogate pairs."""
    return json.dumps(text, ensure_ascii=False)


def role(title: str, company: str | None, current: bool, todo: str) -> str:
    """One line of a person's roles array, with its TODO comment if any."""
    parts = [f"title = {string(title)}"]
    if company is not None:
        parts.append(f"company = {string(company)}")
    parts.append(f"current = {'true' if current else 'false'}")
    line = "{ " + ", ".join(parts) + " },"
    return f"{line}  {TODO}: {_one_line(todo)}" if todo else line


def _one_line(text: str) -> str:
    return " ".join(text.split())
