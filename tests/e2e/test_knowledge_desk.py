"""The knowledge desk end to end: files attached to `/knowledge` commands in the fake Discord,
downloaded by the real bot (`python -m bot run`) from the fake's CDN, checked, written, answered.

One bot serves the module's first tests, which run in file order, each leaving the folder as it
found it or saying what it adds; the last runs two shard processes of its own on one folder.
"""

from __future__ import annotations

import json
import tomllib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from bot.discord.client import OUT_OF_DATE
from tests.conftest import KNOWLEDGE, SECOND_ARTICLE, copy_knowledge
from tests.e2e.conftest import (
    Deployed,
    deployed,
    embed_of,
    embed_text,
    final_reply,
    is_ephemeral,
    option,
    running_bot,
    shard_envs,
    shard_guilds,
    write_moves_article,
)
from tests.e2e.fake_discord import (
    FakeAttachment,
    FakeDiscord,
    FakeMember,
    SentInteraction,
)
from tests.e2e.test_watch import LOADED, WATCHING

pytestmark = pytest.mark.asyncio(loop_scope="module")

LIMIT = 16 * 1024  # MAX_KNOWLEDGE_FILE_BYTES here: the seed file fits, a padded upload does not
# The replies as the fake received them, for the closing note.
REPLIES_JSON = Path("/tmp/knowledge_desk_replies.json")
_replies: dict[str, Any] = {}

BROKEN = """\
[article]
id = "two-mistakes"
title = "Two Mistakes in One File"
published = 2026-01-05

[[companies]]
id = "two-mistakes-co"
name = "Two Mistakes Co"

[[moves]]
id = "two-mistakes-move"
person = "two-mistakes-person"
from = "two-mistakes-co"
reported_on = 2026-01-05
"""


@dataclass
class Desk:
    """The module's deployment, with the server's owner (an admin) and a regular member."""

    dep: Deployed
    knowledge: Path
    admin: int
    member: int

    async def send(
        self, sub: str, *options: dict[str, Any], user: int | None = None
    ) -> SentInteraction:
        """`/knowledge SUB options…`, sent by the admin unless ``user`` is given."""
        wrapped = {"name": sub, "type": 1, "options": list(options)}
        return await self.dep.fake.send_command(
            "knowledge", [wrapped], user_id=self.admin if user is None else user
        )

    async def reply(self, sub: str, *options: dict[str, Any], user: int | None = None) -> Any:
        """The message the bot answered `/knowledge SUB` with (after its defer)."""
        return await final_reply(self.dep.fake, await self.send(sub, *options, user=user))

    def upload(self, filename: str, data: bytes, **kwargs: Any) -> FakeAttachment:
        """A file attached to a command, on the fake's CDN."""
        return self.dep.fake.upload(filename, data, **kwargs)

    async def ask(self, command: str, *options: dict[str, Any]) -> str:
        """The text of the bot's answer to a member's command."""
        sent = await self.dep.fake.send_command(command, list(options), user_id=self.member)
        return embed_text(embed_of(await final_reply(self.dep.fake, sent)))

    def files(self) -> set[str]:
        """The knowledge folder's top-level files (what the bot serves)."""
        return {p.name for p in self.knowledge.glob("*.toml")}


def shown(message: dict[str, Any]) -> str:
    """A plain-text reply as Discord shows it (the bot escapes Markdown in it)."""
    return str(message["content"]).replace("\\_", "_")


def _keep(name: str, reply: Any) -> None:
    _replies[name] = reply
    REPLIES_JSON.write_text(json.dumps(_replies, indent=2, ensure_ascii=False) + "\n")


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def desk(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Desk]:
    def prepare(env: dict[str, str]) -> None:
        env["MAX_KNOWLEDGE_FILE_BYTES"] = str(LIMIT)

    home = tmp_path_factory.mktemp("desk")
    async with deployed("Knowledge desk", home, prepare=prepare) as dep:
        [member] = [m for m in dep.guild.members if m.user.id != dep.guild.owner.id]
        assert isinstance(member, FakeMember)
        yield Desk(dep, home / "knowledge", dep.guild.owner.id, member.user.id)


def _moves(tmp_path: Path, count: int) -> bytes:
    """A made-up article of ``count`` departures from one company, as an admin would upload."""
    return write_moves_article(tmp_path, count=count, company="Quillmere Analytics").read_bytes()


# ---------------------------------------------------------------------- add


async def test_an_admin_adds_an_article_that_is_then_answered(desk: Desk) -> None:
    assert "Dana Whitfield" not in await desk.ask("who-left", option("company", "kestrel"))
    upload = desk.upload("my notes (final).toml", SECOND_ARTICLE.read_bytes())
    sent = await desk.send("add", upload.option("file"))
    assert (await desk.dep.fake.wait_callback(sent))["type"] == 5  # deferred, then downloaded
    reply = await final_reply(desk.dep.fake, sent)
    _keep("add", reply)
    assert is_ephemeral(reply)
    text = embed_text(embed_of(reply))
    assert "Added 'Kestrel Robotics CTO Joins Orbital Labs'" in text
    # Written under a name made of the article's date and id, never the upload's.
    assert "2026-03-02-kestrel-cto-joins-orbital.toml" in desk.files()
    assert (desk.knowledge / "2026-03-02-kestrel-cto-joins-orbital.toml").read_bytes() == (
        upload.data
    )
    assert len(desk.dep.fake.cdn_downloads(upload)) == 1
    assert "Dana Whitfield" in await desk.ask("who-left", option("company", "kestrel"))
    desk.dep.fake.assert_clean()


async def test_a_broken_article_is_refused_with_every_error_and_nothing_written(
    desk: Desk,
) -> None:
    before = desk.files()
    reply = await desk.reply("add", desk.upload("draft.toml", BROKEN.encode()).option("file"))
    _keep("broken add", reply)
    assert is_ephemeral(reply)
    embed = embed_of(reply)
    assert embed["title"] == "Not added: 2 errors"
    text = embed_text(embed)
    assert "Nothing was changed." in text
    # Each error names the upload as the admin named it, its line and its field.
    assert "draft.toml:1: article.publisher: required, but missing" in text
    assert "draft.toml:10: moves[0].quote: required, but missing" in text
    assert desk.files() == before
    desk.dep.fake.assert_clean()


async def test_a_member_cannot_add_even_if_the_server_shows_them_the_command(
    desk: Desk, tmp_path: Path
) -> None:
    # Discord hides /knowledge from members without Manage Server, unless a server overrides
    # that: the fake delivers it anyway, and the bot checks again.
    before = desk.files()
    upload = desk.upload("quillmere.toml", _moves(tmp_path, 2))
    reply = await desk.reply("add", upload.option("file"), user=desk.member)
    _keep("add by a member", reply)
    assert is_ephemeral(reply) and reply["content"] == "Only server admins can do that."
    assert desk.dep.fake.cdn_downloads(upload) == []  # refused before downloading
    assert desk.files() == before
    desk.dep.fake.assert_clean()


async def test_files_too_large_or_not_on_discords_cdn_are_never_written(
    desk: Desk, tmp_path: Path
) -> None:
    before = desk.files()
    data = _moves(tmp_path, 2)
    padded = data + b"\n# padding" * ((LIMIT - len(data)) // 10 + 1)
    assert len(padded) > LIMIT
    big = desk.upload("big.toml", padded)
    sent = await desk.send("add", big.option("file"))
    callback = await desk.dep.fake.wait_callback(sent)
    assert callback["type"] == 4  # refused at once, before any download
    _keep("oversized add", callback)
    assert is_ephemeral(callback)
    assert shown(callback["data"]) == (
        f"Not downloading “big.toml”: the file is {len(padded):,} bytes; the limit is {LIMIT:,} "
        "(MAX_KNOWLEDGE_FILE_BYTES)."
    )
    assert [r for r in desk.dep.fake.cdn_requests if r.path == big.path] == []

    # A size that undersells the bytes: the download stops at the limit.
    lying = desk.upload("small.toml", padded, size=len(data), chunked=True)
    reply = await desk.reply("add", lying.option("file"))
    assert is_ephemeral(reply)
    assert shown(reply) == (
        "Could not download “small.toml”: the file is over the limit of "
        f"{LIMIT:,} bytes (MAX_KNOWLEDGE_FILE_BYTES)."
    )

    elsewhere = desk.upload("x.toml", data, url="https://files.example.com/x.toml")
    callback = await desk.dep.fake.wait_callback(
        await desk.send("replace", elsewhere.option("file"))
    )
    assert callback["type"] == 4 and is_ephemeral(callback)  # refused at once too
    assert shown(callback["data"]) == (
        "Not downloading “x.toml”: the attachment is not on Discord's file server "
        "(files.example.com)."
    )
    assert desk.files() == before
    desk.dep.fake.assert_clean()


# ---------------------------------------------------------------------- show, replace, remove


async def test_show_sends_the_article_file_as_an_attachment(desk: Desk) -> None:
    [seed] = KNOWLEDGE.glob("*.toml")
    article_id = tomllib.loads(seed.read_text(encoding="utf-8"))["article"]["id"]
    sent = await desk.send("show", option("article", article_id))
    assert is_ephemeral(await final_reply(desk.dep.fake, sent))
    message = desk.dep.fake.original_response(sent)  # the message, with its file on the CDN
    assert message is not None
    [attachment] = message["attachments"]
    assert attachment["filename"] == seed.name
    assert desk.dep.fake.attachment_data(attachment) == (desk.knowledge / seed.name).read_bytes()
    desk.dep.fake.assert_clean()


async def test_replace_shows_the_facts_changed_and_remove_keeps_the_file_in_history(
    desk: Desk, tmp_path: Path
) -> None:
    before = desk.files()
    reply = await desk.reply("add", desk.upload("q.toml", _moves(tmp_path, 2)).option("file"))
    assert "Added 'Engineers Leave Quillmere Analytics'" in embed_text(embed_of(reply))
    [added] = desk.files() - before

    # A new version with a third departure: matched by the article's id, not the file's name.
    reply = await desk.reply("replace", desk.upload("v2.toml", _moves(tmp_path, 3)).option("file"))
    _keep("replace", reply)
    text = embed_text(embed_of(reply))
    assert "Replaced 'Engineers Leave Quillmere Analytics'" in text
    assert "Facts: 1 added, 0 removed, 0 changed" in text
    assert "Tester 03 Lindqvist" in await desk.ask(
        "who-left", option("company", "quillmere analytics")
    )

    sent = await desk.dep.fake.send_autocomplete(
        "knowledge",
        [{"name": "remove", "type": 1, "options": [option("article", "quillm", focused=True)]}],
        user_id=desk.admin,
    )
    choices = (await desk.dep.fake.wait_callback(sent))["data"]["choices"]
    assert [c["value"] for c in choices] == ["quillmere-analytics-exodus"]

    reply = await desk.reply("remove", option("article", choices[0]["value"]))
    _keep("remove", reply)
    assert is_ephemeral(reply)
    assert "Removed 'Engineers Leave Quillmere Analytics'" in embed_text(embed_of(reply))
    assert desk.files() == before
    kept = list((desk.knowledge / ".history").rglob("*.toml"))
    assert any(added.removesuffix(".toml") in p.name for p in kept), kept
    assert "Tester 03" not in await desk.ask("who-left", option("company", "quillmere analytics"))

    # Who did it, as Discord named them, newest first.
    text = embed_text(embed_of(await desk.reply("history")))
    done = [
        f"owner: {action} quillmere-analytics-exodus" for action in ("remove", "replace", "add")
    ]
    assert all(line in text for line in done), text
    assert text.index(done[0]) < text.index(done[1]) < text.index(done[2])
    desk.dep.fake.assert_clean()


async def test_a_file_option_that_brought_no_file_is_asked_for_again(desk: Desk) -> None:
    downloads = len(desk.dep.fake.cdn_requests)
    # An attachment id Discord did not resolve: nothing to download.
    reply = await desk.reply("add", {"name": "file", "type": 11, "value": "1234567890"})
    assert is_ephemeral(reply)
    assert reply["content"] == "The file did not come with the command; attach it again."
    # Not an attachment at all (Discord still shows an older command): said to be out of date.
    for wrong in ({"type": 3, "value": "article.toml"}, {"type": 11, "value": "../a.toml"}):
        reply = await desk.reply("add", {"name": "file", **wrong})
        assert is_ephemeral(reply) and reply["content"] == OUT_OF_DATE
    assert len(desk.dep.fake.cdn_requests) == downloads
    desk.dep.fake.assert_clean()


# ---------------------------------------------------------------------- two processes


async def test_an_article_added_through_one_shard_process_is_answered_and_announced_by_both(
    tmp_path: Path,
) -> None:
    guilds = shard_guilds()
    knowledge = copy_knowledge(tmp_path / "knowledge")  # one folder shared, a database each
    async with FakeDiscord(guilds, shard_count=2) as fake:
        envs = shard_envs(
            fake,
            tmp_path,
            guilds,
            knowledge,
            state_database_path=tmp_path / "state.db",  # one machine: one audit log
            **WATCHING,
        )
        async with running_bot(envs[0]) as zero, running_bot(envs[1]) as one:
            # Shard 1's server has a news channel; the file is added through shard 0's.
            news = guilds[1].text_channel()
            announce = {"name": "channel", "type": 7, "value": str(news.id)}
            sent = await fake.send_command(
                "knowledge",
                [{"name": "announce", "type": 1, "options": [announce]}],
                guild_id=guilds[1].id,
                user_id=guilds[1].owner.id,
            )
            assert embed_of(await final_reply(fake, sent))["title"] == "News channel set"

            upload = fake.upload("kestrel.toml", SECOND_ARTICLE.read_bytes())
            sent = await fake.send_command(
                "knowledge",
                [{"name": "add", "type": 1, "options": [upload.option("file")]}],
                guild_id=guilds[0].id,
                user_id=guilds[0].owner.id,
            )
            added = embed_of(await final_reply(fake, sent))
            assert added["title"] == "Added 'Kestrel Robotics CTO Joins Orbital Labs'"
            # The other process sees the new file by watching the folder, without /reload.
            await one.wait_output(LOADED, count=2, timeout=20)
            posted = await fake.wait_message(news.id, timeout=20)
            _keep("announcement after an add through the other process", posted)
            message = embed_of(posted)
            assert message["title"] == "New in the news: 1 move"
            assert "Dana Whitfield" in embed_text(message)
            for guild in guilds:
                sent = await fake.send_command(
                    "who-left", [option("company", "kestrel")], guild_id=guild.id
                )
                assert "Dana Whitfield" in embed_text(embed_of(await final_reply(fake, sent)))
            assert len(fake.cdn_downloads(upload)) == 1  # downloaded once, by shard 0
        for proc in (zero, one):
            assert proc.proc.returncode == 0 and "Traceback" not in proc.output, proc.tail()
        fake.assert_clean()
