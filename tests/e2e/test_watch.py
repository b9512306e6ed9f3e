"""The watcher and announcements through `python -m bot run` against the fake Discord.

Files are dropped into the knowledge folder by hand, as an admin would; no /reload is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
from pathlib import Path
from typing import Any

from tests.conftest import SECOND_ARTICLE, copy_knowledge
from tests.e2e.conftest import (
    bot_env,
    deployed,
    embed_of,
    embed_text,
    final_reply,
    is_ephemeral,
    running_bot,
    shard_envs,
    shard_guilds,
    write_moves_article,
)
from tests.e2e.fake_discord import FakeDiscord, FakeGuild

LOADED = "loaded in"  # bot.service logs "knowledge VERSION loaded in 0.12s (...)" per load
WATCHING = {"watch_knowledge": "true", "watch_quiet_seconds": "0.2", "watch_max_seconds": "1"}
NOTES = Path("/tmp/notes/announcement.md")


def _watching(env: dict[str, str]) -> None:
    env.update({k.upper(): v for k, v in WATCHING.items()})


async def _who_joined(fake: FakeDiscord, guild_id: int) -> str:
    sent = await fake.send_command("who-joined", guild_id=guild_id)
    return embed_text(embed_of(await final_reply(fake, sent)))


async def test_a_file_dropped_into_the_folder_is_answered_without_reload(tmp_path: Path) -> None:
    async with deployed("watched", tmp_path, prepare=_watching) as d:
        assert "Dana Whitfield" not in await _who_joined(d.fake, d.guild.id)
        shutil.copy(SECOND_ARTICLE, tmp_path / "knowledge" / "2026-03-02-kestrel-cto.toml")
        await d.bot.wait_output(LOADED, count=2, timeout=20)
        assert "Dana Whitfield" in await _who_joined(d.fake, d.guild.id)
        assert d.bot.count("watching ") == 1


async def test_watch_knowledge_false_reloads_nothing(tmp_path: Path) -> None:
    async with deployed("unwatched", tmp_path) as d:  # bot_env turns the watcher off
        assert d.bot.count("not watching") == 1
        shutil.copy(SECOND_ARTICLE, tmp_path / "knowledge" / "2026-03-02-kestrel-cto.toml")
        await asyncio.sleep(2.0)
        assert d.bot.count(LOADED) == 1  # the start-up load only
        assert "Dana Whitfield" not in await _who_joined(d.fake, d.guild.id)


async def test_both_shard_processes_answer_a_file_added_to_the_shared_folder(
    tmp_path: Path,
) -> None:
    guilds = shard_guilds()
    knowledge = copy_knowledge(tmp_path / "knowledge")  # one folder, a database per process
    async with FakeDiscord(guilds, shard_count=2) as fake:
        envs = shard_envs(
            fake,
            tmp_path,
            guilds,
            knowledge,
            **WATCHING,
        )
        async with running_bot(envs[0]) as zero, running_bot(envs[1]) as one:
            shutil.copy(SECOND_ARTICLE, knowledge / "2026-03-02-kestrel-cto.toml")
            for proc in (zero, one):
                await proc.wait_output(LOADED, count=2, timeout=20)
            for guild in guilds:
                assert "Dana Whitfield" in await _who_joined(fake, guild.id)
        for proc in (zero, one):
            assert proc.proc.returncode == 0 and "Traceback" not in proc.output, proc.tail()
        fake.assert_clean()


def _announce_in(channel_id: int) -> list[dict[str, Any]]:
    """/knowledge announce channel:… in wire format (a subcommand with a channel option)."""
    channel = {"name": "channel", "type": 7, "value": str(channel_id)}
    return [{"name": "announce", "type": 1, "options": [channel]}]


async def test_each_shard_process_announces_only_in_its_own_servers(tmp_path: Path) -> None:
    guilds = shard_guilds()
    admins = [g.members[0].user.id for g in guilds]
    knowledge = copy_knowledge(tmp_path / "knowledge")
    async with FakeDiscord(guilds, shard_count=2) as fake:
        envs = shard_envs(
            fake,
            tmp_path,
            guilds,
            knowledge,
            # One machine: the shards share the state file (what each server was told).
            state_database_path=tmp_path / "state.db",
            admin_user_ids=",".join(map(str, admins)),
            **WATCHING,
        )
        async with running_bot(envs[0]) as zero, running_bot(envs[1]) as one:
            for guild, admin in zip(guilds, admins, strict=True):
                sent = await fake.send_command(
                    "knowledge",
                    _announce_in(guild.text_channel().id),
                    guild_id=guild.id,
                    user_id=admin,
                )
                assert embed_of(await final_reply(fake, sent))["title"] == "News channel set"
            shutil.copy(SECOND_ARTICLE, knowledge / "2026-03-02-kestrel-cto.toml")
            for guild in guilds:
                message = embed_of(await fake.wait_message(guild.text_channel().id, timeout=20))
                assert message["title"] == "New in the news: 1 move"
            for shard, proc in enumerate((zero, one)):
                await proc.wait_output("announced 1 move in 1 server", timeout=10)
                # Each process posted in its own guild's channel only.
                own, other = guilds[shard].text_channel().id, guilds[1 - shard].text_channel().id
                assert f"/channels/{own}/messages" in proc.output
                assert f"/channels/{other}/messages" not in proc.output
            await asyncio.sleep(1.0)
            assert [len(fake.channel_messages(g.text_channel().id)) for g in guilds] == [1, 1]
        for proc in (zero, one):
            assert proc.proc.returncode == 0 and "Traceback" not in proc.output, proc.tail()
        fake.assert_clean()


def _posted_bodies(fake: FakeDiscord, channel_id: int) -> list[Any]:
    path = f"/channels/{channel_id}/messages"
    return [r.json for r in fake.requests if r.method == "POST" and r.path == path]


async def test_new_moves_are_announced_once_in_the_news_channel(tmp_path: Path) -> None:
    guild = FakeGuild(name="newsroom")
    news = guild.text_channel()
    admin = guild.members[0]
    async with FakeDiscord([guild]) as fake:
        env = bot_env(fake, tmp_path, guild_id=guild.id, admin_user_ids=admin.user.id, **WATCHING)
        knowledge = Path(env["KNOWLEDGE_DIR"])
        async with running_bot(env) as bot:
            sent = await fake.send_command(
                "knowledge", _announce_in(news.id), user_id=admin.user.id
            )
            reply = await final_reply(fake, sent)
            assert is_ephemeral(reply)
            assert embed_of(reply)["title"] == "News channel set"
            # The known moves are not news: nothing is posted for them.
            write_moves_article(knowledge, count=12, dated=True)
            message = await fake.wait_message(news.id, timeout=20)
            embed = embed_of(message)
            assert embed["title"] == "New in the news: 12 moves"
            assert len(embed["fields"]) == 10
            assert embed["fields"][0]["name"].startswith("Tester 12 Lindqvist")
            assert "2 more" in embed["description"]
            assert "Engineers Leave Pagewell Systems" in embed["fields"][0]["value"]
            [body] = _posted_bodies(fake, news.id)
            assert body["allowed_mentions"]["parse"] == []
            _save_for_the_notes("12 new moves dropped into the folder; no /reload", body)

            # A broken change: one notice, not one per save.
            broken = knowledge / "2026-05-01-broken.toml"
            broken.write_text("[article]\nid = 'broken'\n", encoding="utf-8")
            notice = embed_of(await fake.wait_message(news.id, timeout=20))
            assert "do not load" in notice["title"]
            assert "/reload" in notice["description"]
            broken.write_text("[article]\nid = 'broken'\n\n", encoding="utf-8")
            await bot.wait_output("still have the same", timeout=20)
            broken.unlink()
            await bot.wait_output(LOADED, count=3, timeout=20)
            assert len(fake.channel_messages(news.id)) == 2
        # Added while the bot is down: its restart announces it, once.
        shutil.copy(SECOND_ARTICLE, knowledge / "2026-03-02-kestrel-cto.toml")
        async with running_bot(env) as bot:
            restarted = embed_of(await fake.wait_message(news.id, timeout=20))
            assert restarted["title"] == "New in the news: 1 move"
            assert "Dana Whitfield" in embed_text(restarted)
            assert "(https://example.com/kestrel-cto)" in embed_text(restarted)
            _save_for_the_notes(
                "an article added while the bot was down; announced by the restart",
                _posted_bodies(fake, news.id)[-1],
            )
        async with running_bot(env) as bot:
            await asyncio.sleep(2.0)  # time enough for a wrong announcement to arrive
        assert bot.proc.returncode == 0 and "Traceback" not in bot.output, bot.tail()
        assert len(fake.channel_messages(news.id)) == 3
        fake.assert_clean()


async def test_set_the_news_channel_is_for_admins_only(tmp_path: Path) -> None:
    async with deployed("members", tmp_path) as d:
        channel = d.guild.text_channel()
        member = d.guild.members[0]
        sent = await d.fake.send_command(
            "knowledge", _announce_in(channel.id), user_id=member.user.id
        )
        callback = await d.fake.wait_callback(sent)
        assert "Only server admins" in callback["data"]["content"]


def _save_for_the_notes(what: str, body: Any) -> None:
    """An announcement exactly as the fake Discord received it, for the closing note."""
    with contextlib.suppress(OSError):
        os.makedirs(NOTES.parent, exist_ok=True)
        first = "12 new" in what
        text = "" if first or not NOTES.exists() else NOTES.read_text(encoding="utf-8")
        if not text:
            text = (
                "# Announcements the fake Discord received\n\nFrom `tests/e2e/test_watch.py::"
                "test_new_moves_are_announced_once_in_the_news_channel`: the POST body of\n"
                "`/channels/{news}/messages`, as discord.py sent it.\n"
            )
        text += f"\n## {what}\n\n```json\n{json.dumps(body, indent=2, ensure_ascii=False)}\n```\n"
        NOTES.write_text(text, encoding="utf-8")
