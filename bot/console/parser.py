"""Console lines -> a command and its options, with the same syntax as Discord's slash commands.

`/who-left company:acme labs person:jo doe`: an option's value runs to the next
`option:` of that command, so values may contain spaces and even colons. A file option
(`/knowledge add file:new.toml`) names a local file, read here as the upload.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from bot.commands import COMMANDS, Command, Upload
from bot.knowledge.chars import printable
from bot.knowledge.loader import read_regular

# Far above any knowledge file (the desk refuses what is over MAX_KNOWLEDGE_FILE_BYTES, with
# the limit); only a wrong file is this big, and it is not read whole.
MAX_FILE_BYTES = 64 * 1024 * 1024
MAX_SHOWN_PATH = 160


@dataclass(frozen=True)
class Parsed:
    """A command line: the command's name and its options' values."""

    command: str
    options: dict[str, str | Upload] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    """A line that is a question in plain words."""

    text: str


@dataclass(frozen=True)
class UsageError:
    """A line that names a command but cannot be run: why, in words."""

    message: str


def parse_line(line: str) -> Parsed | Question | UsageError | None:
    """Parse one line; None for a blank line."""
    text = line.strip()
    if not text:
        return None
    if not text.startswith("/"):
        return Question(text)
    # Any whitespace ends the command name: a tab after `/who-left` is as good as a space.
    parts = text[1:].split(None, 2)
    name = " ".join(parts[:2]).casefold()
    if name in COMMANDS:  # a subcommand: "/knowledge draft ..."
        rest = parts[2] if len(parts) > 2 else ""
    else:
        parts = text[1:].split(None, 1)
        name = parts[0].casefold() if parts else ""
        rest = parts[1] if len(parts) > 1 else ""
    command = COMMANDS.get(name)
    if command is None:
        valid = ", ".join(f"/{n}" for n in COMMANDS)
        return UsageError(f"Unknown command /{name[:40]}. Commands: {valid}. Try /help.")
    return _options(command, rest.strip())


def _options(command: Command, rest: str) -> Parsed | UsageError:
    names = [o.name for o in command.options]
    if not rest:
        return _check_required(command, {})
    if not names:
        return UsageError(f"/{command.name} takes no options. Usage: {command.usage()}")
    marker = re.compile(rf"(?:^|\s)({'|'.join(map(re.escape, names))}):", re.IGNORECASE)
    matches = list(marker.finditer(rest))
    options: dict[str, str] = {}
    head = rest[: matches[0].start()] if matches else rest
    if head.strip():
        stray = re.match(r"^\s*([\w-]+):", head)
        if stray:
            return UsageError(
                f"Unknown option {stray.group(1)[:40]}: for /{command.name}. "
                f"Options: {', '.join(names)}. Usage: {command.usage()}"
            )
        # `/person Jo Doe` and `/who-left acme` are clear enough: the first option.
        options[command.options[0].name] = head.strip()
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(rest)
        key = match.group(1).casefold()
        value = rest[match.end() : end].strip()
        if key in options:
            return UsageError(f"Option {key}: is given twice. Usage: {command.usage()}")
        if not value:
            return UsageError(f"Option {key}: needs a value. Usage: {command.usage()}")
        options[key] = value
    return _check_required(command, options)


def _check_required(command: Command, options: dict[str, str]) -> Parsed | UsageError:
    missing = [o.name for o in command.options if o.required and o.name not in options]
    if missing:
        return UsageError(f"/{command.name} needs {', '.join(missing)}:. Usage: {command.usage()}")
    values: dict[str, str | Upload] = dict(options)
    for option in command.options:
        if option.kind == "file" and option.name in options:
            upload = read_upload(options[option.name])
            if isinstance(upload, UsageError):
                return upload
            values[option.name] = upload
    return Parsed(command.name, values)


def read_upload(where: str) -> Upload | UsageError:
    """The local file at ``where`` as an upload, or why it cannot be one (never a traceback)."""
    path = Path(os.path.expanduser(where.strip()))
    shown = printable(str(path))
    # A usage error is one line: a long path is cut (its end names the file best).
    shown = shown if len(shown) <= MAX_SHOWN_PATH else "…" + shown[-(MAX_SHOWN_PATH - 1) :]
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except ValueError as exc:
        return UsageError(f"The file {shown} {exc}.")
    if b"\0" in data:
        return UsageError(f"The file {shown} is binary, not a TOML text file.")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return UsageError(f"The file {shown} is not UTF-8 text (line {line}); save it as UTF-8.")
    return Upload(name=path.name, data=data)
