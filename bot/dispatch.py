"""A parsed console line -> the service call that answers it."""

from __future__ import annotations

from bot.commands import COMMANDS
from bot.console_parser import Parsed, Question, help_lines
from bot.models import Answer, Item, Section
from bot.service import TalentService


def help_answer() -> Answer:
    """Every command with its usage and what it does."""
    return Answer(
        command="help",
        status="ok",
        title="What I can answer",
        message="I answer questions about AI talent moves from the news articles I know, "
        "and cite the article behind every fact.",
        sections=[
            Section(heading="Commands", items=[Item(kind="note", text=t) for t in help_lines()])
        ],
    )


async def answer(service: TalentService, line: Parsed | Question) -> Answer:
    """Run one command or question against the service."""
    if isinstance(line, Question):
        return await service.ask(line.text)
    o = line.options
    match line.command:
        case "who-left":
            return await service.who_left(o.get("company"), o.get("person"))
        case "who-joined":
            return await service.who_joined(o.get("company"), o.get("person"))
        case "stats":
            return await service.stats(o.get("topic"))
        case "person":
            return await service.person(o["name"])
        case "company":
            return await service.company(o["name"])
        case "sources":
            return await service.sources()
        case "ask":
            return await service.ask(o["question"])
        case "reload":
            return (await service.reload()).to_answer()
        case "help":
            return help_answer()
        case "quit":
            # Only the console loop acts on /quit; `talent-bot ask "/quit"` has nothing to leave.
            return Answer(
                command="quit",
                status="ok",
                title="Nothing to leave",
                message="/quit leaves the interactive console (talent-bot console).",
            )
    raise ValueError(f"no handler for /{line.command}; known: {', '.join(COMMANDS)}")
