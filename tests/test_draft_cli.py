"""`talent-bot draft` as a user runs it: real files, stdin, every bad input one line of stderr."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from benchmarks.draft_eval import SEED_TEXT
from tests.conftest import KNOWLEDGE, run_bot

SEED_ARGS = (
    "--title",
    "Amazon AI Executive Leaves Company Amid Competition for AI Talent",
    "--publisher",
    "PYMNTS",
    "--published",
    "2025-06-26",
)
ARGS = ("--title", "Kite hires", "--publisher", "Example Wire", "--published", "2026-03-04")
TEXT = (
    "Kite Labs has hired Jana Novak, a former director at AWS, as its chief technology officer.\n"
)
needs_seed = pytest.mark.skipif(not SEED_TEXT.exists(), reason="seed article text not present")


def _one_line_error(result: object, pattern: str) -> None:
    stderr = result.stderr  # type: ignore[attr-defined]
    assert result.returncode != 0, stderr  # type: ignore[attr-defined]
    assert "Traceback" not in stderr
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert re.search(pattern, stderr), stderr


def _resolve_todos(draft: str) -> str:
    """What an admin does: on every line carrying a TODO, accept or replace the value and
    delete the comment. No other line is touched."""
    edited = []
    for line in draft.splitlines():
        if "# TODO" in line and not line.startswith("#"):
            line = line.split("  # TODO", 1)[0]
            key = line.split(" = ", 1)[0]
            if key in {"measure", "said", "summary"}:
                line = f'{key} = "Written by the admin."'
        edited.append(line)
    return "\n".join(edited) + "\n"


@needs_seed
def test_the_seed_draft_passes_check_after_only_todo_lines_are_edited(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "second_article.toml", knowledge)
    env = {"KNOWLEDGE_DIR": str(knowledge)}
    out = tmp_path / "draft.toml"
    made = run_bot(tmp_path, "draft", str(SEED_TEXT), *SEED_ARGS, "-o", str(out), env=env)
    assert made.returncode == 0, made.stderr
    draft = out.read_text(encoding="utf-8")
    todos = int(re.search(r"^# (\d+) TODOs:", draft, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert todos == sum("# TODO" in line for line in draft.splitlines()) > 0
    assert f"{todos} TODOs to resolve" in made.stderr
    edited = _resolve_todos(draft)
    before, after = draft.splitlines(), edited.splitlines()
    assert len(before) == len(after)
    assert all(b == a for b, a in zip(before, after, strict=True) if "# TODO" not in b)
    assert "# TODO" not in "\n".join(after[4:])
    (knowledge / "2025-06-26-amazon-draft.toml").write_text(edited, encoding="utf-8")
    checked = run_bot(tmp_path, "check", env=env)
    assert checked.returncode == 0, checked.stderr
    assert "2 articles" in checked.stdout


def test_stdin_to_stdout_links_names_in_the_configured_knowledge(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "draft", "-", *ARGS, stdin=TEXT)
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(result.stdout)
    assert {c["id"] for c in data["companies"]} == {"kite-labs", "amazon"}
    assert data["moves"][0]["from"] == "amazon"
    assert data["article"]["published"].isoformat() == "2026-03-04"


def test_output_file_is_never_overwritten_without_force(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "mine.toml"
    out.write_text("# the admin's own file\n", encoding="utf-8")
    refused = run_bot(tmp_path, "draft", str(article), *ARGS, "-o", str(out))
    _one_line_error(refused, r"mine\.toml exists; .*--force")
    assert out.read_text(encoding="utf-8") == "# the admin's own file\n"
    forced = run_bot(tmp_path, "draft", str(article), *ARGS, "-o", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert tomllib.loads(out.read_text(encoding="utf-8"))["article"]["title"] == "Kite hires"
    assert list(tmp_path.glob(".mine.toml.*")) == []


@pytest.mark.parametrize(
    ("content", "pattern"),
    [
        (None, r"missing\.txt: no such file"),
        (b"", r"is empty"),
        (b"Acme hired Jo Bloggs.\x00\x01", r"not a text file \(it holds binary data\)"),
        (b"Acme hired Jo.\n\xff\xfe caf\xe9", r"not UTF-8 text \(line 2\)"),
        (b"Acme \x1b[2J hired Jo.", r"control character U\+001B \(line 1\)"),
        (b"word " * 220_000, r"larger than 1024 KiB"),
    ],
    ids=["missing", "empty", "binary", "not-utf8", "escape", "huge"],
)
def test_bad_articles_are_one_line_errors(
    tmp_path: Path, content: bytes | None, pattern: str
) -> None:
    article = tmp_path / "missing.txt"
    if content is not None:
        article.write_bytes(content)
    _one_line_error(run_bot(tmp_path, "draft", str(article), *ARGS), pattern)


def test_a_folder_and_bad_options_are_one_line_errors(tmp_path: Path) -> None:
    _one_line_error(run_bot(tmp_path, "draft", str(tmp_path), *ARGS), r"is a folder")
    bad_url = (*ARGS, "--url", "example.com/x")
    _one_line_error(run_bot(tmp_path, "draft", "-", *bad_url, stdin=TEXT), r"--url must start")
    bad_date = ("--title", "T", "--publisher", "P", "--published", "26/06/2025")
    result = run_bot(tmp_path, "draft", "-", *bad_date, stdin=TEXT)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "expected a date such as 2025-06-26" in result.stderr


def test_a_knowledge_folder_that_does_not_load_is_a_warning(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run_bot(tmp_path, "draft", "-", *ARGS, stdin=TEXT, env={"KNOWLEDGE_DIR": str(empty)})
    assert result.returncode == 0, result.stderr
    assert "warning:" in result.stderr and "drafting without known" in result.stderr
    companies = {c["id"] for c in tomllib.loads(result.stdout)["companies"]}
    assert "amazon" not in companies  # nothing known: AWS is a new company
    assert KNOWLEDGE.exists()
