"""`talent-bot`: run the Discord bot, talk to it locally, or check the knowledge files."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import ValidationError

from bot import phrasing as fmt
from bot.knowledge.chars import printable
from bot.knowledge.facts import KINDS
from bot.knowledge.loader import KnowledgeError, load_directory
from bot.settings import Settings

log = logging.getLogger("bot")

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The parser of the `talent-bot` command line and all its subcommands."""
    parser = argparse.ArgumentParser(
        prog="talent-bot",
        description="Answers questions about AI talent news, citing the article behind each fact.",
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="log at DEBUG level")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    sub.add_parser("run", help="run the Discord bot (needs DISCORD_TOKEN)")
    sub.add_parser(
        "console", help="ask questions locally in an interactive prompt (no token needed)"
    )
    ask = sub.add_parser("ask", help='answer one line and exit, e.g. ask "/who-left company:NAME"')
    ask.add_argument("line", help="a /command line or a plain question")
    check = sub.add_parser("check", help="validate the knowledge files and print a summary")
    check.add_argument("directory", nargs="?", type=Path, help="default: KNOWLEDGE_DIR")
    sync = sub.add_parser("sync", help="register the slash commands with Discord")
    sync.add_argument("--guild", type=int, help="sync to one guild only (instant; for testing)")
    from bot.draft.command import add_parser as add_draft

    add_draft(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `talent-bot` command; returns the exit code."""
    from bot.settings import SettingsFileError

    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load()
    except SettingsFileError as exc:
        print(f"talent-bot: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except ValidationError as exc:
        print(f"talent-bot: invalid setting: {_first_error(exc)}", file=sys.stderr)
        return EXIT_USAGE
    interactive = args.command in {"console", "ask", "check", "draft"}
    level = "DEBUG" if args.verbose else settings.log_level
    if interactive and not args.verbose and settings.log_level == "INFO":
        level = "WARNING"  # keep the console's answers free of log chatter
    logging.basicConfig(
        level=level,
        format="%(asctime)s %(levelname)-7s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    from bot.state import StateError
    from bot.store import ForeignDatabaseError, StoreError

    try:
        if args.command == "check":
            return check(
                args.directory or settings.knowledge_dir, settings.max_knowledge_file_bytes
            )
        if args.command == "draft":
            from bot.draft.command import run as run_draft

            return run_draft(args, settings)
        if args.command == "console":
            from bot.console.prompt import run_console

            return run_console(settings)
        if args.command == "ask":
            from bot.console.prompt import ask_once

            return asyncio.run(ask_once(settings, args.line))
        from bot.discord.main import run_bot, sync_commands

        if args.command == "sync":
            return asyncio.run(sync_commands(settings, args.guild))
        return run_bot(settings)
    except KeyboardInterrupt:
        return 130
    except StoreError as exc:
        # A database the bot must not touch is a usage error; a lock, a full disk or an
        # unusable path is a failure. Either way one line, and nothing was deleted.
        print(f"talent-bot: {printable(str(exc))}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, ForeignDatabaseError) else EXIT_ERROR
    except StateError as exc:
        print(f"talent-bot: {printable(str(exc))}", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        from bot.console.prompt import reader_gone

        return reader_gone()


def check(directory: Path, max_file_bytes: int) -> int:
    """Validate a knowledge directory; print a summary, or every error with file, line and field."""
    where = printable(str(directory))  # a path given in bytes that are not UTF-8 is escaped
    try:
        kb = load_directory(directory, max_file_bytes)
    except KnowledgeError as exc:
        print(f"{where}: {fmt.count(len(exc.errors), 'errors')}", file=sys.stderr)
        for error in exc.errors:
            print(f"  {error}", file=sys.stderr)
        return EXIT_ERROR
    c = kb.counts()
    print(f"{where}: OK (version {kb.version})")
    print("  " + ", ".join(fmt.count(c[k], k) for k in ("articles", "people", "companies")))
    facts = sum(c[kind.SECTION] for kind in KINDS)
    kinds = ", ".join(fmt.count(c[kind.SECTION], kind.NOUN) for kind in KINDS)
    print(f"  {fmt.count(facts, 'facts')}: {kinds}")
    return EXIT_OK


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"]).upper()
    return f"{where}: {err['msg']}"


if __name__ == "__main__":
    raise SystemExit(main())
