"""The console and `ask` with bytes that are not UTF-8, and with a reader that stops early.

Under a UTF-8 locale Python decodes stdin strictly; ``PYTHONIOENCODING=utf-8`` gives the same
strict handler on machines whose only UTF-8 locale is C.UTF-8 (there Python is lenient).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT, bot_env

UTF8_STRICT = {"PYTHONIOENCODING": "utf-8", "LC_ALL": "C.UTF-8"}


def run_bytes(
    tmp_path: Path, *args: str | bytes, stdin: bytes = b""
) -> subprocess.CompletedProcess[bytes]:
    """`python -m bot ARGS` with raw bytes in and out, as a terminal or a pipe would give them."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=bot_env(tmp_path) | UTF8_STRICT,
        input=stdin,
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_an_invalid_byte_on_stdin_loses_no_line_after_it(tmp_path: Path) -> None:
    lines = b"who left amazon?\n\xff\xfe who replaced vasi philomin?\n/sources\n/quit\n"
    result = run_bytes(tmp_path, "console", stdin=lines)
    out, err = result.stdout.decode(), result.stderr.decode()
    assert result.returncode == 0, err
    assert "Traceback" not in err
    # The bad bytes are shown as U+FFFD, and the line around them is still answered.
    assert "talent-bot> \ufffd\ufffd who replaced vasi philomin?" in out
    assert out.count("Vasi Philomin") >= 2
    assert "Sources" in out


def test_an_invalid_byte_in_an_argument_is_answered(tmp_path: Path) -> None:
    for line in (b"\xff", b"/person name:zzqx\xff", b"/bogus\xff"):
        result = run_bytes(tmp_path, "ask", line)
        err = result.stderr.decode()
        assert "Traceback" not in err, line
        assert result.returncode in (0, 2), (line, err)
        # Every byte written is UTF-8: the bad byte became U+FFFD, not a raw 0xff.
        text = (result.stdout + result.stderr).decode("utf-8")
        assert text.strip()
    named = run_bytes(tmp_path, "ask", b"/person name:zzqx\xff").stdout.decode()
    assert "“zzqx\ufffd”" in named


def _closed_early(tmp_path: Path, *args: str, stdin: bytes) -> tuple[int, str]:
    """Run with stdout into a pipe whose reader takes two lines and closes it (`… | head -2`)."""
    with subprocess.Popen(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=bot_env(tmp_path) | UTF8_STRICT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as proc:
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write(stdin)
        proc.stdin.close()
        head = [proc.stdout.readline() for _ in range(2)]
        assert all(head), head
        proc.stdout.close()
        try:
            err = proc.stderr.read().decode()
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    return code, err


def test_console_into_a_closed_pipe_exits_quietly(tmp_path: Path) -> None:
    # Far more than a pipe holds (64 KiB), so writes go on after the reader has gone.
    code, err = _closed_early(tmp_path, "console", stdin=b"/help\n" * 400)
    assert err == ""
    assert code == 141  # what a program killed by SIGPIPE reports, as `yes | head` does
