"""The console: its line parser, `talent-bot ask`, and the interactive prompt, run as real processes."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from bot.cli import EXIT_OK, EXIT_USAGE, main
from bot.commands import COMMANDS, help_lines
from bot.console.parser import Parsed, Question, UsageError, parse_line
from bot.console.prompt import answer as dispatch
from bot.service import TalentService
from tests.conftest import ROOT, bot_env, run_bot
from tests.test_answers import SEED_TITLE

# ---------------------------------------------------------------------- the line parser


@pytest.mark.parametrize(
    ("line", "command", "options"),
    [
        ("/who-left company:amazon", "who-left", {"company": "amazon"}),
        ("/person name:Vasi Philomin", "person", {"name": "Vasi Philomin"}),
        ("/stats topic:upwork", "stats", {"topic": "upwork"}),
        ("/who-left", "who-left", {}),
        ("  /who-left   ", "who-left", {}),
        ("/stats", "stats", {}),
        ("/sources", "sources", {}),
        ("/help", "help", {}),
        ("/reload", "reload", {}),
        ("/quit", "quit", {}),
        (
            "/who-left company:amazon web services person:vasi philomin",
            "who-left",
            {"company": "amazon web services", "person": "vasi philomin"},
        ),
        (
            "/who-joined person:Dana company:Orbital",
            "who-joined",
            {"person": "Dana", "company": "Orbital"},
        ),
        ("/who-left company:  amazon  ", "who-left", {"company": "amazon"}),
        ("/WHO-LEFT Company:Amazon", "who-left", {"company": "Amazon"}),
        ("/who-left\tcompany:amazon", "who-left", {"company": "amazon"}),
        # A value runs to the next option of *this* command, so it may hold colons and words
        # that are options elsewhere.
        (
            "/ask question:who left at 10:30? ratio 3:1",
            "ask",
            {"question": "who left at 10:30? ratio 3:1"},
        ),
        ("/person name:Foo company:Bar", "person", {"name": "Foo company:Bar"}),
        ("/stats topic:AI:growth", "stats", {"topic": "AI:growth"}),
        ("/company name:https://example.com/x", "company", {"name": "https://example.com/x"}),
        # Without a name, the text is the first option.
        ("/person Vasi Philomin", "person", {"name": "Vasi Philomin"}),
        ("/who-left amazon person:vasi", "who-left", {"company": "amazon", "person": "vasi"}),
    ],
)
def test_parse_commands(line: str, command: str, options: dict[str, str]) -> None:
    assert parse_line(line) == Parsed(command, options)


def test_parse_questions_and_blank_lines() -> None:
    assert parse_line("who replaced Vasi Philomin?") == Question("who replaced Vasi Philomin?")
    assert parse_line("  what is 3:1  ") == Question("what is 3:1")
    assert parse_line("") is None
    assert parse_line("   \t ") is None


def usage_error(line: str) -> str:
    parsed = parse_line(line)
    assert isinstance(parsed, UsageError), parsed
    return parsed.message


@pytest.mark.parametrize("line", ["/foo", "/who_left", "/", "/whoo-left company:x"])
def test_unknown_command_lists_the_valid_ones(line: str) -> None:
    message = usage_error(line)
    assert message.startswith("Unknown command /")
    for name in list(COMMANDS):
        assert f"/{name}" in message
    assert "/help" in message


def test_unknown_option_lists_the_valid_ones() -> None:
    message = usage_error("/who-left firm:amazon")
    assert "Unknown option firm:" in message
    assert "company, person" in message
    assert COMMANDS["who-left"].usage() in message
    assert "name" in usage_error("/person who:vasi")


@pytest.mark.parametrize(
    ("line", "words"),
    [
        ("/person", ["/person needs name:", "/person name:…"]),
        ("/company", ["needs name:"]),
        ("/ask", ["needs question:"]),
        ("/person name:", ["name: needs a value"]),
        ("/who-left company:amazon company:meta", ["company: is given twice"]),
        ("/sources all of them", ["/sources takes no options"]),
        ("/help me", ["/help takes no options"]),
    ],
)
def test_usage_errors(line: str, words: list[str]) -> None:
    message = usage_error(line)
    for word in words:
        assert word in message


def test_help_lists_every_command() -> None:
    text = "\n".join(help_lines())
    for command in COMMANDS.values():
        assert command.usage() in text
        assert command.description in text


EXAMPLES = {
    "company": "Amazon",
    "person": "Vasi Philomin",
    "topic": "upwork",
    "text": "who left Amazon?",
    "date": "2025",
    "article": "amazon-ai-executive-leaves-2025-06-26",
    "channel": "1234",
}
# Options whose text has a form of its own.
BY_NAME = {"published": "2025-06-26", "url": "https://example.com/article", "page": "1"}
# They change the knowledge folder, here the real one: tests/test_desk.py runs them on copies.
EDITS = {"knowledge add", "knowledge replace", "knowledge remove"}
# Commands about a Discord server: the console has none, and is told so.
SERVER_ONLY = {"knowledge announce"}


async def test_every_command_has_a_handler(seed_service: TalentService) -> None:
    for name in list(COMMANDS.keys() - EDITS):
        command = COMMANDS.get(name)
        options = (
            {
                o.name: BY_NAME.get(o.name, EXAMPLES[o.kind])
                for o in command.options
                # An optional file stands instead of a text ("knowledge draft"): text is given.
                if o.kind != "file" or o.required
            }
            if command
            else {}
        )
        answer = await dispatch(seed_service, Parsed(name, options))
        assert answer.command == name and answer.title, name
        if name in SERVER_ONLY:
            assert answer.status == "invalid" and "server" in (answer.message or ""), answer
            continue
        assert answer.status in {"ok", "empty"}, (name, answer)


# ---------------------------------------------------------------------- talent-bot ask


def flat(text: str) -> str:
    return " ".join(text.split())


def test_ask_who_left_amazn(tmp_path: Path) -> None:
    run = run_bot(tmp_path, "ask", "/who-left company:Amazn")
    assert (run.returncode, run.stderr) == (0, "")
    out = flat(run.stdout)
    assert out.startswith("Departures from Amazon")
    assert "Vasi Philomin left Amazon for an undisclosed company" in out
    assert "(Vice President and General Manager, Machine Learning and AI)" in out
    assert (
        "Rajesh Sheth took over some of Vasi Philomin's former responsibilities at Amazon." in out
    )
    assert "reportedly left the company to join another, unspecified firm." in out
    assert f"— {SEED_TITLE} (PYMNTS, June 26, 2025; via Reuters)" in out


def test_ask_stats_upwork(tmp_path: Path) -> None:
    run = run_bot(tmp_path, "ask", "/stats topic:upwork")
    assert (run.returncode, run.stderr) == (0, "")
    out = flat(run.stdout)
    lines = [line for line in run.stdout.splitlines() if line.startswith("• ")]
    assert len(lines) == 3
    for share in ("60%", "42%", "44%"):
        assert f"{share} (the previous year), according to Upwork." in out
    assert f"— {SEED_TITLE} (PYMNTS, June 26, 2025; via Upwork)" in out


@pytest.mark.parametrize(
    ("line", "code", "words"),
    [
        ("/person name:xyz", EXIT_OK, ["No person found", "“xyz”"]),
        ("/who-left company:Microsoft", EXIT_OK, ["No departures from Microsoft"]),
        ("who replaced Vasi Philomin?", EXIT_OK, ["Rajesh Sheth"]),
        ("/help", EXIT_OK, [c.usage() for c in COMMANDS.values()]),
        ("/quit", EXIT_OK, ["/quit leaves the interactive console"]),
        ("/sources", EXIT_OK, [f"{SEED_TITLE} — PYMNTS"]),
        ("/foo", EXIT_USAGE, ["Unknown command /foo"]),
        ("/person", EXIT_USAGE, ["/person needs name:"]),
        ("/who-left firm:amazon", EXIT_USAGE, ["Unknown option firm:", "company, person"]),
    ],
)
def test_ask_exit_codes(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    line: str,
    code: int,
    words: list[str],
) -> None:
    for key, value in bot_env(tmp_path).items():
        monkeypatch.setenv(key, value)
    assert main(["ask", line]) == code
    out, err = capsys.readouterr()
    # Answers (not-found included) go to stdout; usage errors to stderr, and nothing to stdout.
    assert (out if code == EXIT_USAGE else err) == ""
    for word in words:
        assert word in flat(out if code == EXIT_OK else err)


# ---------------------------------------------------------------------- the interactive console


def test_console_with_piped_input(tmp_path: Path) -> None:
    script = "/help\n\n/who-left company:amazn\n/nope\n/quit\n/sources\n"
    run = run_bot(tmp_path, "console", stdin=script)
    assert (run.returncode, run.stderr) == (0, "")
    out = run.stdout
    for command in list(COMMANDS):
        assert f"/{command}" in out
    assert "talent-bot> /who-left company:amazn" in out  # piped lines are echoed
    assert "Vasi Philomin left Amazon" in out
    assert "Unknown command /nope" in out
    assert "talent-bot> /sources" not in out and "Articles:" not in out  # /quit stopped it


def test_console_leaves_at_end_of_input(tmp_path: Path) -> None:
    run = run_bot(tmp_path, "console", stdin="/stats topic:nvidia")  # no newline, then EOF
    assert (run.returncode, run.stderr) == (0, "")
    assert "about $3.75 trillion" in run.stdout


class Terminal:
    """The console on a pseudo-terminal, as a person at a keyboard would run it."""

    def __init__(self, tmp_path: Path) -> None:
        self.fd, child = pty.openpty()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "console"],
            cwd=ROOT,
            env={**bot_env(tmp_path), "TERM": "dumb"},
            stdin=child,
            stdout=child,
            stderr=child,
            close_fds=True,
            # Its own session with the pty as controlling terminal, so Ctrl-C is a SIGINT.
            start_new_session=True,
            preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0),
        )
        os.close(child)
        self.seen = ""

    def read_until(self, text: str, timeout: float = 20.0) -> str:
        """Everything printed up to and including the next `text`."""
        deadline = time.monotonic() + timeout
        while text not in self.seen:
            remaining = deadline - time.monotonic()
            assert remaining > 0, f"no {text!r} in {self.seen[-2000:]!r}"
            ready, _, _ = select.select([self.fd], [], [], remaining)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:  # the child closed the terminal
                    chunk = b""
                assert chunk, f"console ended before {text!r}: {self.seen[-2000:]!r}"
                self.seen += chunk.decode("utf-8", "replace").replace("\r\n", "\n")
        head, _, self.seen = self.seen.partition(text)
        return head + text

    def type(self, keys: str) -> None:
        os.write(self.fd, keys.encode())

    def exit_code(self) -> int:
        try:
            return self.process.wait(timeout=20)
        finally:
            os.close(self.fd)


PROMPT = "talent-bot> "


def test_console_on_a_terminal(tmp_path: Path) -> None:
    term = Terminal(tmp_path)
    banner = term.read_until(PROMPT)
    assert "/help lists the commands" in banner
    term.type("/help\n")
    help_text = term.read_until(PROMPT)
    for command in COMMANDS.values():
        assert command.usage() in help_text
    term.type("/who-left company:amazn\n")
    answer = flat(term.read_until(PROMPT))
    assert "Vasi Philomin left Amazon for an undisclosed company" in answer
    assert SEED_TITLE in answer
    term.type("/who-joined company:ama")
    # A person presses Ctrl-C a moment after seeing the echo. Sooner, the SIGINT can land in
    # the gap before readline's select() (CPython checks signals only on EINTR) and then waits
    # for the next key: a race no keyboard is fast enough to hit.
    term.read_until("company:ama")
    time.sleep(0.2)
    term.type("\x03")  # Ctrl-C abandons the line, not the console
    term.read_until(PROMPT)
    term.type("/stats topic:meta\n")
    answer = term.read_until(PROMPT)
    assert "Figures about Meta" in answer and "$100 million" in answer
    assert "Arrivals" not in answer
    term.type("/quit\n")
    assert term.exit_code() == 0
    history = (tmp_path / ".talent_bot_history").read_text(encoding="utf-8")
    assert "/who-left company:amazn" in history


def test_console_leaves_on_ctrl_d(tmp_path: Path) -> None:
    term = Terminal(tmp_path)
    term.read_until(PROMPT)
    term.type("\x04")
    assert term.exit_code() == 0
