"""The local front end: an interactive prompt and one-shot `ask`, both answering in plain text."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

from bot import phrasing as fmt
from bot.commands import CONSOLE, run
from bot.console.parser import Parsed, Question, UsageError, parse_line
from bot.console.render import render_text
from bot.models import Answer
from bot.service import TalentService, open_service
from bot.settings import Settings

log = logging.getLogger(__name__)

PROMPT = "talent-bot> "
HISTORY = Path("~/.talent_bot_history").expanduser()
EXIT_READER_GONE = 141  # 128 + SIGPIPE: what `yes | head` reports for `yes`


@asynccontextmanager
async def _console_service(settings: Settings) -> AsyncIterator[TalentService]:
    """The service, with a start that the files refused shown on stderr."""
    async with open_service(settings) as service:
        report = service.start_report
        if report is not None and not report.ok:
            print(render_text(report.to_answer()), file=sys.stderr)
        yield service


async def answer(service: TalentService, line: Parsed | Question) -> Answer:
    """Run one parsed command, or a plain question as /ask."""
    if isinstance(line, Question):
        return await run(service, "ask", line.text)
    return await run(service, line.command, caller=CONSOLE, **line.options)


async def respond(service: TalentService, line: str) -> tuple[str, bool]:
    """(text to print, whether the line was valid usage)."""
    parsed = parse_line(line)
    if parsed is None:
        return "", True
    if isinstance(parsed, UsageError):
        return fmt.visible(parsed.message), False
    return render_text(await answer(service, parsed)), True


async def ask_once(settings: Settings, line: str) -> int:
    """Answer one line; exit code 2 for bad usage, 0 otherwise."""
    _tolerant_stdio()
    async with _console_service(settings) as service:
        text, ok = await respond(service, _from_argv(line))
    print(text, file=sys.stdout if ok else sys.stderr, flush=True)
    return 0 if ok else 2


def run_console(settings: Settings) -> int:
    """An interactive prompt with line editing and history; /quit or Ctrl-D leaves."""
    interactive = sys.stdin.isatty()
    _tolerant_stdio()
    if interactive:
        _enable_history()
    with asyncio.Runner() as runner, _sigint_only_in_main_thread():
        runner.get_loop().set_default_executor(
            ThreadPoolExecutor(thread_name_prefix="console", initializer=_block_sigint)
        )
        service_cm = _console_service(settings)
        service = runner.run(service_cm.__aenter__())
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        try:
            if interactive:
                print(f"talent-bot console, knowledge {service.version}. /help lists the commands.")
            while True:
                try:
                    line = input(PROMPT if interactive else "")
                except EOFError:
                    break
                except KeyboardInterrupt:
                    print()
                    continue
                if not interactive and line.strip():
                    # No terminal echoes piped lines: echo them so the output reads as a transcript.
                    print(PROMPT + fmt.visible(line.strip()))
                parsed = parse_line(line)
                if isinstance(parsed, Parsed) and parsed.command == "quit":
                    break
                text, _ = runner.run(respond(service, line))
                if text:
                    # Flushed per answer, so a reader that has gone is noticed here, not at exit.
                    print(text + "\n", flush=True)
        finally:
            runner.run(service_cm.__aexit__(None, None, None))
            if interactive:
                _save_history()
    return 0


def reader_gone() -> int:
    """After a BrokenPipeError on stdout (`talent-bot console | head`): leave quietly.

    Python's recipe: point stdout at devnull, so the flush at exit cannot fail a second time.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)
    return EXIT_READER_GONE


def _tolerant_stdio() -> None:
    # Under a UTF-8 locale Python decodes stdin strictly: one bad byte would end the console
    # and lose every piped line after it. U+FFFD in its place keeps the rest of the line.
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "backslashreplace")):
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors=errors)


def _from_argv(line: str) -> str:
    """An argument as the user typed it, a byte that is not UTF-8 as U+FFFD.

    Python keeps such bytes as lone surrogates, which no UTF-8 terminal can be sent.
    """
    return os.fsencode(line).decode("utf-8", "replace")


def _block_sigint() -> None:
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


@contextmanager
def _sigint_only_in_main_thread() -> Iterator[None]:
    """Keep Ctrl-C out of worker threads while they start.

    Keep Ctrl-C out of worker threads (SQLite's, the executor's): threads inherit the mask
    of the thread that starts them. A SIGINT delivered to a worker would leave the main thread
    blocked in input() until the next keystroke.
    """
    before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _enable_history() -> None:
    try:
        import readline

        readline.set_history_length(1000)
        if HISTORY.exists():
            readline.read_history_file(HISTORY)
    except (ImportError, OSError):
        log.debug("no line editing or history available")


def _save_history() -> None:
    try:
        import readline

        readline.write_history_file(HISTORY)
    except (ImportError, OSError):
        log.debug("could not save the console history")
