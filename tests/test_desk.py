"""The knowledge desk (/knowledge add, replace, remove, list, show, history) on real folders.

Every test runs the real service over a real SQLite file and a copy of the knowledge folder,
with a real SQLite state store, through the command table as the console and Discord call it.
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import os
import tomllib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.commands import Caller, Upload, run
from bot.console.render import render_text
from bot.desk import files
from bot.models import Answer
from bot.service import ReloadReport, TalentService
from bot.state.sqlite import SqliteState
from tests.conftest import KNOWLEDGE, SECOND_ARTICLE, copy_knowledge, started_service

SECOND = SECOND_ARTICLE.read_bytes()
SECOND_NAME = "2026-03-02-kestrel-cto-joins-orbital.toml"
SEED_ID = "amazon-ai-executive-leaves-2025-06-26"
ADMIN = Caller(name="ada", user_id=42, guild_id=7)

# Follows the second article and names a person and a company declared only there.
FOLLOW_UP = b"""
[article]
id = "orbital-hires-more"
title = "Orbital Labs Hires Again"
publisher = "Example Wire"
published = 2026-04-01
follows = ["kestrel-cto-joins-orbital"]

[[people]]
id = "ravi-osei"
name = "Ravi Osei"

[[moves]]
id = "osei-to-orbital"
person = "ravi-osei"
to = "orbital-labs"
role = "Engineer"
reported_on = 2026-04-01
quote = "Ravi Osei joined Orbital Labs, where Dana Whitfield leads research."
"""


def snapshot_of(folder: Path) -> dict[str, bytes]:
    """Every entry of the folder's top level (files by bytes), to prove nothing changed."""
    return {
        p.name: p.read_bytes() if p.is_file() else b"<dir>"
        for p in folder.iterdir()
        if p.name != files.LOCK
    }


@pytest.fixture
async def desk(tmp_path: Path) -> AsyncIterator[TalentService]:
    """The seed in a writable folder, served, with a real state store for the audit log."""
    knowledge = copy_knowledge(tmp_path / "knowledge")
    async with (
        SqliteState(tmp_path / "state.db") as state,
        started_service(tmp_path / "knowledge.db", knowledge) as service,
    ):
        service.state = state
        yield service


async def add(service: TalentService, data: bytes, name: str = "new.toml") -> Answer:
    return await run(service, "knowledge add", file=Upload(name, data), caller=ADMIN)


async def test_add_writes_the_file_under_its_safe_name_and_it_is_answered(
    desk: TalentService,
) -> None:
    before = desk.version
    answer = await add(desk, SECOND, "My Upload.toml")
    assert answer.status == "ok", render_text(answer)
    written = desk.knowledge_dir / SECOND_NAME
    assert written.read_bytes() == SECOND
    assert not (desk.knowledge_dir / "My Upload.toml").exists()
    text = render_text(answer)
    assert "Kestrel Robotics CTO Joins Orbital Labs" in text
    assert "2 people, 3 companies, 4 facts" in text
    assert f"{before} → {desk.version}" in text and desk.version != before
    person = await run(desk, "person", "dana whitfield")
    assert person.status == "ok" and "Orbital Labs" in render_text(person)
    asked = await run(desk, "ask", "where did dana whitfield go?")
    assert "Orbital Labs" in render_text(asked)
    assert not [n for n in os.listdir(desk.knowledge_dir) if n.endswith(".tmp")]
    assert desk.state is not None
    (entry,) = await desk.state.history()
    assert (entry.actor, entry.actor_id, entry.guild_id) == ("ada", 42, 7)
    assert (entry.action, entry.article, entry.file) == (
        "add",
        "kestrel-cto-joins-orbital",
        SECOND_NAME,
    )
    assert (entry.version_before, entry.version_after) == (before, desk.version)


SEED_FACT = tomllib.loads((KNOWLEDGE / "2025-06-26-amazon-ai-executive-leaves.toml").read_text())[
    "moves"
][0]["id"]
# Valid alone, but a person unknown anywhere and a fact id the seed uses already.
BAD_REFERENCES = SECOND.replace(b'person = "dana-whitfield"', b'person = "dana-whitfeld"').replace(
    b'id = "whitfield-on-move"', b'id = "' + SEED_FACT.encode() + b'"'
)
# Not even a valid file: a misspelt key and a fact without its quote.
BAD_SCHEMA = SECOND.replace(b'role = "Head of Research"', b'rol = "Head of Research"').replace(
    b'quote = "At Kestrel, Whitfield built the K-7 robotic arm."', b""
)


@pytest.mark.parametrize(
    ("data", "wanted"),
    [
        (
            BAD_REFERENCES,
            [
                ("moves[0].person", "unknown person 'dana-whitfeld'", "dana-whitfeld"),
                ("statements[0].id", f"fact id '{SEED_FACT}' is used twice", SEED_FACT),
            ],
        ),
        (
            BAD_SCHEMA,
            [
                ("moves[0].rol", "unknown key", "rol ="),
                ("facts[0].quote", "required, but missing", "[[facts]]"),
            ],
        ),
    ],
    ids=["references", "schema"],
)
async def test_a_broken_upload_writes_nothing_and_lists_every_error(
    desk: TalentService, data: bytes, wanted: list[tuple[str, str, str]]
) -> None:
    before = snapshot_of(desk.knowledge_dir)
    version = desk.version
    answer = await add(desk, data, "kestrel.toml")
    assert answer.status == "invalid"
    assert f"{len(wanted)} errors" in answer.title, render_text(answer)
    lines = [item.text for item in answer.items()]
    source = data.decode().splitlines()
    for field, message, on_line in wanted:
        (text,) = [t for t in lines if f": {field}: " in t]
        assert text.startswith("kestrel.toml:") and message in text
        assert on_line in source[int(text.split(":")[1]) - 1]
    assert "Nothing was changed" in (answer.message or "")
    assert SECOND_NAME not in render_text(answer)  # the upload is named as the user named it
    assert snapshot_of(desk.knowledge_dir) == before and desk.version == version
    assert desk.state is not None and await desk.state.count_history() == 0


async def test_an_existing_article_id_is_refused_pointing_to_replace(desk: TalentService) -> None:
    assert (await add(desk, SECOND)).status == "ok"
    again = SECOND.replace(b"published = 2026-03-02", b"published = 2026-03-05")
    before = snapshot_of(desk.knowledge_dir)
    answer = await add(desk, again)
    assert answer.status == "invalid"
    assert "/knowledge replace" in (answer.message or "") and SECOND_NAME in (answer.message or "")
    assert snapshot_of(desk.knowledge_dir) == before


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"x" * (1024 * 1024 + 1), ["1,048,577 bytes", "limit"]),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", ["binary"]),
        ('[article]\ntitle = "Caf\u00e9"\n'.encode("latin-1"), ["not UTF-8", "line 2"]),
        (b"a = " + b"[" * 200 + b"]" * 200 + b"\n", ["nests 200 levels", "line 1"]),
        (b"   \n\n", ["empty"]),
        (b"[article\nid = 1", ["not valid TOML"]),
    ],
    ids=["oversized", "binary", "latin-1", "deep", "empty", "not-toml"],
)
async def test_untrusted_uploads_are_refused_with_the_reason(
    desk: TalentService, data: bytes, words: list[str]
) -> None:
    before = snapshot_of(desk.knowledge_dir)
    answer = await add(desk, data, "upload.toml")
    assert answer.status == "invalid"
    text = render_text(answer)
    for word in words:
        assert word in text, text
    assert snapshot_of(desk.knowledge_dir) == before


async def test_the_uploaded_name_is_never_a_path(desk: TalentService, tmp_path: Path) -> None:
    answer = await add(desk, SECOND, "../../etc/passwd")
    assert answer.status == "ok"
    assert (desk.knowledge_dir / SECOND_NAME).read_bytes() == SECOND
    assert not (tmp_path / "etc").exists()
    outside = [p for p in tmp_path.rglob("*") if "passwd" in p.name]
    assert outside == []
    # A hostile article id cannot become a name either: it fails validation, nothing is written.
    before = snapshot_of(desk.knowledge_dir)
    evil = SECOND.replace(b'id = "kestrel-cto-joins-orbital"', b'id = "../../x\\u0000"')
    refused = await add(desk, evil, "\x1b[31mred.toml")
    assert refused.status == "invalid" and "article.id" in render_text(refused)
    assert "\x1b" not in render_text(refused)
    assert snapshot_of(desk.knowledge_dir) == before


async def test_replace_shows_the_facts_diff_and_keeps_the_old_file(desk: TalentService) -> None:
    assert (await add(desk, SECOND)).status == "ok"
    new = SECOND.replace(b"the K-7 robotic arm", b"the K-8 robotic arm").replace(
        b'id = "whitfield-on-move"', b'id = "whitfield-on-orbital"'
    )
    answer = await run(desk, "knowledge replace", file=Upload("v2.toml", new), caller=ADMIN)
    assert answer.status == "ok", render_text(answer)
    text = render_text(answer)
    assert "Facts: 1 added, 1 removed, 1 changed" in text
    assert "Added: whitfield-on-orbital" in text
    assert "Removed: whitfield-on-move" in text and "Changed: whitfield-built-arm" in text
    assert (desk.knowledge_dir / SECOND_NAME).read_bytes() == new
    (kept,) = (desk.knowledge_dir / files.HISTORY).iterdir()
    assert kept.read_bytes() == SECOND and kept.name.endswith(SECOND_NAME)
    assert kept.name in text
    assert desk.state is not None
    latest = (await desk.state.history())[0]
    assert latest.action == "replace" and latest.article == "kestrel-cto-joins-orbital"


async def test_replace_says_its_own_diff_when_the_watcher_reloaded_first(
    desk: TalentService, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (await add(desk, SECOND)).status == "ok"
    real = desk.reload

    async def watcher_first() -> ReloadReport:
        await real()  # the watcher saw the new file first
        return await real()  # so the desk's own reload changes nothing

    monkeypatch.setattr(desk, "reload", watcher_first)
    new = SECOND.replace(b"the K-7 robotic arm", b"the K-8 robotic arm")
    answer = await run(desk, "knowledge replace", file=Upload("v2.toml", new), caller=ADMIN)
    assert "Facts: 0 added, 0 removed, 1 changed" in render_text(answer)
    assert "Changed: whitfield-built-arm" in render_text(answer)


async def test_replace_under_a_new_date_moves_the_old_name_to_history(desk: TalentService) -> None:
    assert (await add(desk, SECOND)).status == "ok"
    new = SECOND.replace(b"published = 2026-03-02", b"published = 2026-03-03")
    answer = await run(desk, "knowledge replace", file=Upload("v2.toml", new), caller=ADMIN)
    assert answer.status == "ok", render_text(answer)
    names = sorted(n for n in os.listdir(desk.knowledge_dir) if n.endswith(".toml"))
    assert "2026-03-03-kestrel-cto-joins-orbital.toml" in names and SECOND_NAME not in names
    (kept,) = (desk.knowledge_dir / files.HISTORY).iterdir()
    assert kept.read_bytes() == SECOND


async def test_replace_keeps_a_copy_where_hard_links_are_not_supported(
    desk: TalentService, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert (await add(desk, SECOND)).status == "ok"

    def no_links(*_: object, **__: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    new = SECOND + b"\n# a second version\n"
    answer = await run(desk, "knowledge replace", file=Upload("v2.toml", new), caller=ADMIN)
    assert answer.status == "ok", render_text(answer)
    (kept,) = (desk.knowledge_dir / files.HISTORY).iterdir()
    assert kept.read_bytes() == SECOND and (desk.knowledge_dir / SECOND_NAME).read_bytes() == new


async def test_replace_of_an_unknown_article_is_refused(desk: TalentService) -> None:
    before = snapshot_of(desk.knowledge_dir)
    answer = await run(desk, "knowledge replace", file=Upload("x.toml", SECOND), caller=ADMIN)
    assert answer.status == "invalid" and "/knowledge add" in (answer.message or "")
    assert snapshot_of(desk.knowledge_dir) == before


async def test_remove_is_refused_while_other_files_depend_on_it(desk: TalentService) -> None:
    assert (await add(desk, SECOND)).status == "ok"
    assert (await add(desk, FOLLOW_UP, "followup.toml")).status == "ok"
    before = snapshot_of(desk.knowledge_dir)
    answer = await run(desk, "knowledge remove", article="kestrel-cto-joins-orbital", caller=ADMIN)
    assert answer.status == "invalid"
    assert "other files depend on" in answer.title
    text = render_text(answer)
    follow_up = "2026-04-01-orbital-hires-more.toml"
    assert f"in {follow_up}. Remove or change those first" in (answer.message or "")
    assert f"{follow_up}:" in text and "article.follows[0]" in text
    assert "moves[0].to" in text and "unknown company 'orbital-labs'" in text
    assert snapshot_of(desk.knowledge_dir) == before


async def test_remove_moves_the_file_into_history(desk: TalentService) -> None:
    assert (await add(desk, SECOND)).status == "ok"
    assert (await add(desk, FOLLOW_UP, "followup.toml")).status == "ok"
    answer = await run(desk, "knowledge remove", article="orbital-hires-more", caller=ADMIN)
    assert answer.status == "ok", render_text(answer)
    assert "Orbital Labs Hires Again" in answer.title
    assert not (desk.knowledge_dir / "2026-04-01-orbital-hires-more.toml").exists()
    (kept,) = (desk.knowledge_dir / files.HISTORY).iterdir()
    assert kept.read_bytes() == FOLLOW_UP
    person = await run(desk, "person", "ravi osei")
    assert person.status != "ok"
    # The only article left cannot go: the knowledge would be empty.
    await run(desk, "knowledge remove", article="kestrel-cto-joins-orbital", caller=ADMIN)
    last = await run(desk, "knowledge remove", article=SEED_ID, caller=ADMIN)
    assert last.status == "invalid" and "only article" in last.title
    assert (desk.knowledge_dir / "2025-06-26-amazon-ai-executive-leaves.toml").exists()


async def test_list_show_and_history(desk: TalentService) -> None:
    assert (await add(desk, SECOND)).status == "ok"
    listed = await run(desk, "knowledge list")
    ids = [item.detail or "" for item in listed.items()]
    assert ids[0].startswith("id kestrel-cto-joins-orbital · " + SECOND_NAME)
    assert ids[1].startswith(f"id {SEED_ID}")
    assert "2 articles" in (listed.message or "")
    assert (await run(desk, "knowledge list", page="2")).status == "empty"
    assert (await run(desk, "knowledge list", page="two")).status == "invalid"
    shown = await run(desk, "knowledge show", article="kestrel-cto-joins-orbital")
    assert shown.attachment is not None and shown.attachment.filename == SECOND_NAME
    assert shown.attachment.content.encode() == SECOND
    assert (await run(desk, "knowledge show", article="no-such")).status == "not_found"
    await run(desk, "knowledge remove", article="kestrel-cto-joins-orbital", caller=ADMIN)
    history = await run(desk, "knowledge history")
    first, second = history.items()
    assert "ada: remove kestrel-cto-joins-orbital" in first.text
    assert "ada: add kestrel-cto-joins-orbital" in second.text
    assert second.detail is not None and "→" in second.detail


async def test_a_failed_write_leaves_the_folder_as_it_was(
    desk: TalentService, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot_of(desk.knowledge_dir)

    def full(*_: object, **__: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    answer = await add(desk, SECOND)
    assert answer.status == "invalid"
    assert "No space left on device" in (answer.message or "")
    assert "Nothing was changed" in (answer.message or "")
    assert snapshot_of(desk.knowledge_dir) == before
    monkeypatch.undo()
    assert (await add(desk, SECOND)).status == "ok"
    monkeypatch.setattr(os, "rename", full)
    monkeypatch.setattr(os, "link", full)
    middle = snapshot_of(desk.knowledge_dir)
    moved = SECOND.replace(b"published = 2026-03-02", b"published = 2026-03-04")
    for data in (moved, SECOND + b"\n"):
        answer = await run(desk, "knowledge replace", file=Upload("v.toml", data), caller=ADMIN)
        assert answer.status == "invalid" and "No space left" in (answer.message or "")
        assert {
            k: v for k, v in snapshot_of(desk.knowledge_dir).items() if k != files.HISTORY
        } == middle
    removed = await run(desk, "knowledge remove", article="kestrel-cto-joins-orbital")
    assert removed.status == "invalid"
    assert (desk.knowledge_dir / SECOND_NAME).read_bytes() == SECOND
    assert not list((desk.knowledge_dir / files.HISTORY).iterdir())


async def test_a_failed_reload_after_the_write_keeps_the_valid_file(
    desk: TalentService, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.reloader import Outcome

    async def locked(_: object) -> Outcome:
        return Outcome(None, errors=["database is locked"], cause="database")

    monkeypatch.setattr(desk.loader, "load", locked)
    answer = await add(desk, SECOND)
    assert answer.status == "invalid"
    assert "but the reload failed" in answer.title
    assert "database is locked" in render_text(answer)
    assert (desk.knowledge_dir / SECOND_NAME).read_bytes() == SECOND
    assert desk.state is not None
    (entry,) = await desk.state.history()
    assert entry.version_after is None


async def test_edits_wait_for_each_other_in_and_across_processes(
    desk: TalentService, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = SECOND.replace(b"kestrel-cto-joins-orbital", b"kestrel-cto-again").replace(
        b'id = "', b'id = "x-'
    )
    both = await asyncio.gather(add(desk, SECOND), add(desk, SECOND))
    assert sorted(a.status for a in both) == ["invalid", "ok"]
    # Another process holding the folder's lock: the edit waits, then gives up cleanly.
    monkeypatch.setattr(files, "LOCK_WAIT_SECONDS", 0.3)
    fd = os.open(desk.knowledge_dir / files.LOCK, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        before = snapshot_of(desk.knowledge_dir)
        busy = await add(desk, other)
        assert busy.status == "invalid" and "Another process" in (busy.message or "")
        assert snapshot_of(desk.knowledge_dir) == before
    finally:
        os.close(fd)


async def test_article_autocomplete_serves_ids_and_titles(desk: TalentService) -> None:
    assert (await add(desk, SECOND)).status == "ok"
    newest = desk.complete_articles("")
    assert [c.value for c in newest] == ["kestrel-cto-joins-orbital", SEED_ID]
    assert newest[0].label.startswith("2026-03-02 Kestrel Robotics")
    assert [c.value for c in desk.complete_articles("orbital")] == ["kestrel-cto-joins-orbital"]
    assert [c.value for c in desk.complete_articles("ROBOTICS cto")] == [
        "kestrel-cto-joins-orbital"
    ]
    assert desk.complete_articles("zzzz") == []
    assert len(desk.complete_articles("", limit=1)) == 1
