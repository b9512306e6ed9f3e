"""Console lines -> a command and its options, with the same syntax as Discord's slash commands.

`/who-left company:acme labs person:jo doe`: an option's value runs to the next
`option:` of that command, so values may contain spaces and even colons.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.commands import COMMANDS, Command


@dataclass(frozen=True)
class Parsed:
    """A command line: the command's name and its options' values."""

    command: str
    options: dict[str, str] = field(default_factory=dict)


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
    return Parsed(command.name, options)
