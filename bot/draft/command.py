"""`talent-bot draft`: read an article's text, draft its knowledge file, print or save it.

Every problem with the input is one line on stderr and exit code 1 or 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import BinaryIO

from bot import phrasing as fmt
from bot.draft import ArticleMeta, Known, draft
from bot.draft.request import (
    MAX_ARTICLE_BYTES,
    InputError,
    UsageError,
    article_bytes,
    article_meta,
    published_date,
)
from bot.knowledge.chars import printable
from bot.knowledge.loader import KnowledgeError
from bot.settings import Settings

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `draft` subcommand and its options."""
    parser = sub.add_parser(
        "draft", help="draft a knowledge file from an article's plain text (stdout by default)"
    )
    parser.add_argument("article", help="the article as a UTF-8 text file, or - for stdin")
    parser.add_argument("--title", required=True, help="the article's headline")
    parser.add_argument("--publisher", required=True, help="the outlet that published it")
    parser.add_argument(
        "--published", required=True, type=_date, help="publication date, YYYY-MM-DD"
    )
    parser.add_argument("--url", help="the article's address (http:// or https://)")
    parser.add_argument("-o", "--output", type=Path, help="write the draft to this new file")
    parser.add_argument(
        "--force", action="store_true", help="with -o, replace the file if it exists"
    )


def run(args: argparse.Namespace, settings: Settings) -> int:
    """Draft the article named on the command line; the exit code."""
    try:
        meta = _meta(args)
        text = _read_article(args.article)
    except InputError as exc:
        print(f"talent-bot draft: {exc}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, UsageError) else EXIT_ERROR
    known = _known(settings)
    result = draft(text, meta, known)
    if args.output is None:
        sys.stdout.write(result.toml)
        sys.stdout.flush()
        print(f"talent-bot draft: {fmt.count(result.todos, 'TODOs')} to resolve", file=sys.stderr)
        return EXIT_OK
    where = printable(str(args.output))
    try:
        _write(args.output, result.toml, force=args.force)
    except FileExistsError:
        print(
            f"talent-bot draft: {where} exists; the bot does not overwrite files it did not"
            " write (use --force to replace it)",
            file=sys.stderr,
        )
        return EXIT_ERROR
    except OSError as exc:
        print(f"talent-bot draft: cannot write {where}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_ERROR
    print(
        f"wrote {where}: {fmt.count(result.todos, 'TODOs')} to resolve, then run"
        " `talent-bot check`",
        file=sys.stderr,
    )
    return EXIT_OK


def _date(value: str) -> dt.date:
    try:
        return published_date(value)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _meta(args: argparse.Namespace) -> ArticleMeta:
    return article_meta(args.title, args.publisher, args.published, args.url, prefix="--")


def _read_article(name: str) -> str:
    if name == "-":
        data = _read_at_most(sys.stdin.buffer, "stdin")
        where = "stdin"
    else:
        path = Path(name)
        where = printable(name)
        try:
            if path.is_dir():
                raise InputError(f"{where} is a folder, not a text file")
            with path.open("rb") as handle:
                data = _read_at_most(handle, where)
        except FileNotFoundError:
            raise InputError(f"{where}: no such file") from None
        except PermissionError:
            raise InputError(f"{where}: permission denied") from None
        except OSError as exc:
            raise InputError(f"cannot read {where}: {exc.strerror or exc}") from None
    return article_bytes(data, where)


def _read_at_most(handle: BinaryIO, where: str) -> bytes:
    # One byte past the cap is enough for article_bytes to refuse a larger file.
    return handle.read(MAX_ARTICLE_BYTES + 1)


def _known(settings: Settings) -> Known:
    """The configured knowledge folder's entities; none (with a warning) if it does not check."""
    try:
        return Known.from_directory(settings.knowledge_dir, settings.max_knowledge_file_bytes)
    except KnowledgeError as exc:
        where = printable(str(settings.knowledge_dir))
        first = exc.errors[0] if exc.errors else ""
        print(
            f"talent-bot draft: warning: {where} does not load ({first}); drafting without"
            " known people and companies",
            file=sys.stderr,
        )
        return Known()


def _write(path: Path, text: str, *, force: bool) -> None:
    data = text.encode("utf-8")
    if not force:
        # "x" creates the file or fails: never a window in which an existing file is replaced.
        with path.open("xb") as handle:
            handle.write(data)
        return
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
