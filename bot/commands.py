"""The command set shared by every front end: names, options and the help text users see.

Discord's slash commands, the console's `/help` and its line parser all read this table, so a
command is described once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

OptionKind = Literal["company", "person", "topic", "text"]


@dataclass(frozen=True)
class Option:
    name: str
    description: str
    kind: OptionKind
    required: bool = False


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    options: tuple[Option, ...] = ()
    admin: bool = False

    def usage(self) -> str:
        """ "/who-left [company:…] [person:…]"."""
        parts = [f"/{self.name}"]
        for option in self.options:
            part = f"{option.name}:…"
            parts.append(part if option.required else f"[{part}]")
        return " ".join(parts)


_COMPANY = Option("company", "A company's name or alias (typos are fine)", "company")
_PERSON = Option("person", "A person's name (typos are fine)", "person")

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "who-left",
            "Who left which company, where they went and who took over",
            (_COMPANY, _PERSON),
        ),
        Command("who-joined", "Who joined which company, and from where", (_COMPANY, _PERSON)),
        Command(
            "stats",
            "Figures in the news: bonuses, market caps, market growth",
            (Option("topic", "A company, person or measure, e.g. market cap", "topic"),),
        ),
        Command(
            "person",
            "Everything the news says about a person",
            (Option("name", "The person's name (typos are fine)", "person", required=True),),
        ),
        Command(
            "company",
            "Everything the news says about a company",
            (
                Option(
                    "name",
                    "The company's name or an alias (typos are fine)",
                    "company",
                    required=True,
                ),
            ),
        ),
        Command("sources", "The articles I know, with how many facts each holds"),
        Command(
            "ask",
            "Ask a question in plain words, e.g. who left which company?",
            (Option("question", "Your question", "text", required=True),),
        ),
        Command("reload", "Re-read the knowledge files (admins only)", admin=True),
        Command("help", "What I can answer and how to ask"),
    )
}
