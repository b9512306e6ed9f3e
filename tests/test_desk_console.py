"""The desk from the console: `file:path` reads a local file as the upload, for a local admin."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.commands import Upload
from bot.console.parser import Parsed, UsageError, parse_line
from tests.conftest import SECOND_ARTICLE, copy_knowledge, run_bot

SECOND_NAME = "2026-03-02-kestrel-cto-joins-orbital.toml"


def test_a_file_option_reads_the_local_file(tmp_path: Path) -> None:
    path = tmp_path / "my draft.toml"
    path.write_bytes(SECOND_ARTICLE.read_bytes())
    parsed = parse_line(f"/knowledge add file:{path}")
    assert isinstance(parsed, Parsed)
    assert parsed.options["file"] == Upload("my draft.toml", SECOND_ARTICLE.read_bytes())


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda p: p, ["No such file"]),
        (lambda p: (p.mkdir(), p)[1], ["a directory"]),
        (lambda p: (os.mkfifo(p), p)[1], ["FIFO"]),
        (lambda p: (p.write_bytes(b"\x7fELF\x02\x01\x00\x00"), p)[1], ["binary"]),
        (lambda p: (p.write_bytes(b"title = '\xe9'\n"), p)[1], ["not UTF-8", "line 1"]),
    ],
    ids=["missing", "directory", "fifo", "binary", "latin-1"],
)
def test_a_file_that_cannot_be_an_upload_is_a_usage_error(
    tmp_path: Path, make: object, words: list[str]
) -> None:
    path = make(tmp_path / "x.toml")  # type: ignore[operator]
    parsed = parse_line(f"/knowledge replace file:{path}")
    assert isinstance(parsed, UsageError)
    for word in words:
        assert word in parsed.message


def test_talent_bot_ask_adds_a_local_file(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    draft = tmp_path / "new.toml"
    draft.write_bytes(SECOND_ARTICLE.read_bytes())
    env = {"KNOWLEDGE_DIR": str(knowledge), "STATE_DATABASE_PATH": str(tmp_path / "state.db")}
    added = run_bot(tmp_path, "ask", f"/knowledge add file:{draft}", env=env)
    assert added.returncode == 0, added.stderr
    assert "Added 'Kestrel Robotics CTO Joins Orbital Labs'" in added.stdout
    assert (knowledge / SECOND_NAME).read_bytes() == draft.read_bytes()
    asked = run_bot(tmp_path, "ask", "/person name:dana whitfield", env=env)
    assert "Orbital Labs" in asked.stdout
    history = run_bot(tmp_path, "ask", "/knowledge history", env=env)
    assert "console: add kestrel-cto-joins-orbital" in history.stdout
    missing = run_bot(tmp_path, "ask", f"/knowledge add file:{tmp_path / 'nope.toml'}", env=env)
    assert missing.returncode == 2 and "No such file" in missing.stderr
    assert "Traceback" not in missing.stderr
