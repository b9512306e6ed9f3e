"""Prove FakeDiscord works with the real, unmodified discord.py client.

Each test starts its own fake on 127.0.0.1, points discord.py at it with configure_endpoints,
logs a small AutoShardedBot in over the real gateway protocol and drives it.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import discord
import pytest
import yarl
from discord import app_commands
from discord.ext import commands

from bot.discord.endpoints import configure_endpoints
from tests.e2e.fake_discord import (
    DEFAULT_EVERYONE_PERMISSIONS,
    DISCORD_CDN_HOST,
    FakeChannel,
    FakeDiscord,
    FakeGuild,
    make_snowflake,
)

HEARTBEAT_MS = 1000  # short, so heartbeats really flow during a test


class _Panel(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.button(label="Go", custom_id="panel:go")
    async def go(self, interaction: discord.Interaction, button: discord.ui.Button[_Panel]) -> None:
        await interaction.response.edit_message(content="clicked", view=None)


class _TestBot(commands.AutoShardedBot):
    """/echo (with autocomplete), /long, /panel (a button), /slow (defer + edit + followup),
    /upload (a file and a channel option) and an @mention handler."""

    def __init__(self, **kwargs: Any) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            guild_ready_timeout=0.05,  # don't wait 2 s after the last GUILD_CREATE
            **kwargs,
        )
        self.errors: list[BaseException] = []
        self.uploads: list[discord.Attachment] = []

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        # discord.py sleeps 5 s before every non-initial IDENTIFY (Discord's identify rate
        # limit); the fake has no such limit and tests must stay fast.
        return None

    async def setup_hook(self) -> None:
        @app_commands.command(name="echo", description="Repeat some text")
        @app_commands.describe(text="What to repeat")
        async def echo(interaction: discord.Interaction, text: str) -> None:
            await interaction.response.send_message(f"echo: {text}")

        @echo.autocomplete("text")
        async def echo_complete(
            interaction: discord.Interaction, current: str
        ) -> list[app_commands.Choice[str]]:
            return [
                app_commands.Choice(name=f"{current}-{i}", value=f"{current}{i}") for i in range(3)
            ]

        @app_commands.command(name="long", description="Reply with too much text")
        async def long(interaction: discord.Interaction) -> None:
            try:
                await interaction.response.send_message("x" * 2001)
            except discord.HTTPException as exc:
                self.errors.append(exc)
                await interaction.response.send_message("too long", ephemeral=True)

        @app_commands.command(name="panel", description="Show a button")
        async def panel(interaction: discord.Interaction) -> None:
            await interaction.response.send_message("press it", view=_Panel())

        @app_commands.command(name="slow", description="Defer, then answer")
        async def slow(interaction: discord.Interaction) -> None:
            await interaction.response.defer(thinking=True)
            await interaction.edit_original_response(content="done")
            await interaction.followup.send("more", ephemeral=True)

        @app_commands.command(name="upload", description="Say what was attached, and where")
        @app_commands.describe(file="A file", channel="A text channel")
        async def upload(
            interaction: discord.Interaction,
            file: discord.Attachment,
            channel: discord.TextChannel | None = None,
        ) -> None:
            where = channel.name if channel is not None else "-"
            self.uploads.append(file)
            await interaction.response.send_message(f"{file.filename} {file.size} {where}")

        self.tree.add_command(echo)
        self.tree.add_command(long)
        self.tree.add_command(upload)
        self.tree.add_command(panel)
        self.tree.add_command(slow)

    async def on_message(self, message: discord.Message) -> None:
        if message.author == self.user or self.user is None:
            return
        if self.user not in message.mentions:
            return
        try:
            if "long" in message.content:
                await message.channel.send("x" * 2001)
            elif "file" in message.content:
                await message.reply("here", file=discord.File(io.BytesIO(b"abc"), "a.txt"))
            else:
                await message.reply(f"pong {message.author.id}")
        except discord.HTTPException as exc:
            self.errors.append(exc)


@contextlib.asynccontextmanager
async def running_bot(fake: FakeDiscord, **kwargs: Any) -> AsyncIterator[_TestBot]:
    """Start the bot against the fake, wait for on_ready, always close it afterwards."""
    configure_endpoints(fake.api_base, fake.gateway_url)
    bot = _TestBot(**kwargs)
    try:
        async with bot:  # runs _async_setup_hook so wait_until_ready works before login
            task = asyncio.create_task(bot.start(fake.token))
            try:
                ready = asyncio.create_task(bot.wait_until_ready())
                done, _ = await asyncio.wait(
                    {task, ready}, timeout=10, return_when=asyncio.FIRST_COMPLETED
                )
                ready.cancel()
                if task in done:
                    task.result()  # raise the startup error (LoginFailure, 4014, ...)
                    raise AssertionError("bot stopped before it became ready")
                if not done:
                    raise TimeoutError(f"bot not ready in 10 s; {fake.summary()}")
                yield bot
            finally:
                await bot.close()
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(task, 5)
    finally:
        configure_endpoints(None, None)


def _guild() -> FakeGuild:
    return FakeGuild(make_snowflake(), name="Talent HQ")


@pytest.mark.asyncio
async def test_ready_populates_guild_cache_and_sync_is_recorded() -> None:
    guild = _guild()
    async with FakeDiscord([guild], heartbeat_interval_ms=HEARTBEAT_MS) as fake:
        async with running_bot(fake) as bot:
            await fake.wait_ready()
            cached = bot.get_guild(guild.id)
            assert cached is not None and cached.name == "Talent HQ"
            assert cached.owner_id == guild.owner.id
            assert cached.default_role.id == guild.id  # @everyone role id == guild id
            assert cached.me is not None and cached.me.id == fake.bot_user.id
            assert [c.name for c in cached.text_channels] == ["general"]
            assert bot.application_id == fake.application_id
            assert bot.shard_count == 1

            joined = FakeGuild(make_snowflake(), name="Later")
            await fake.add_guild(joined)
            await fake.wait_until(lambda: bot.get_guild(joined.id), what="GUILD_CREATE of a join")

            bot.tree.copy_global_to(guild=discord.Object(guild.id))
            synced = await bot.tree.sync(guild=discord.Object(guild.id))
            assert sorted(c.name for c in synced) == ["echo", "long", "panel", "slow", "upload"]
            payload = fake.command_payloads[guild.id]
            echo = next(c for c in payload if c["name"] == "echo")
            assert echo["options"][0]["name"] == "text"
            assert echo["options"][0]["autocomplete"] is True
            assert {c.id for c in synced} == {int(c["id"]) for c in fake.commands[guild.id]}
            # The fake sets data.guild_id for guild-synced commands, so the tree finds them.
            sent = await fake.send_command("echo", [{"name": "text", "type": 3, "value": "g"}])
            assert sent.payload["data"]["guild_id"] == str(guild.id)
            assert (await fake.wait_callback(sent))["data"]["content"] == "echo: g"
        fake.assert_clean()
        assert fake.identify_count == 1
        assert fake.identify_payloads[0]["shard"] == [0, 1]
        assert any(r.path == "/gateway/bot" for r in fake.requests)
        # discord.py asks for transport compression (zstd-stream only if it can import zstd).
        query = fake.gateway_queries[0]
        assert query["v"] == "10" and query["encoding"] == "json"
        assert query["compress"] == discord.utils._ActiveDecompressionContext.COMPRESSION_TYPE


@pytest.mark.asyncio
async def test_command_and_autocomplete_callbacks() -> None:
    guild = _guild()
    async with FakeDiscord([guild], heartbeat_interval_ms=HEARTBEAT_MS) as fake:
        async with running_bot(fake) as bot:
            await bot.tree.sync()  # global
            sent = await fake.send_command("echo", [{"name": "text", "type": 3, "value": "hi"}])
            callback = await fake.wait_callback(sent)
            assert callback["type"] == 4
            assert callback["data"]["content"] == "echo: hi"
            original = fake.original_response(sent)
            assert original is not None and original["content"] == "echo: hi"

            dm = await fake.send_command(
                "echo", [{"name": "text", "type": 3, "value": "dm"}], dm=True
            )
            assert (await fake.wait_callback(dm))["data"]["content"] == "echo: dm"

            ac = await fake.send_autocomplete(
                "echo", [{"name": "text", "type": 3, "value": "ab", "focused": True}]
            )
            choices = await fake.wait_callback(ac)
            assert choices["type"] == 8
            assert choices["data"]["choices"] == [
                {"name": f"ab-{i}", "value": f"ab{i}"} for i in range(3)
            ]
        fake.assert_clean()


@pytest.mark.asyncio
async def test_over_long_content_is_rejected_and_recorded() -> None:
    guild = _guild()
    async with FakeDiscord([guild], heartbeat_interval_ms=HEARTBEAT_MS) as fake:
        async with running_bot(fake) as bot:
            channel_id = guild.text_channel().id
            await fake.send_message_create(f"<@{fake.bot_user.id}> long")
            await fake.wait_until(lambda: bot.errors, what="the bot's HTTPException")
            assert isinstance(bot.errors[0], discord.HTTPException)
            assert bot.errors[0].status == 400 and bot.errors[0].code == 50035
            [rejection] = fake.rejections
            assert rejection.path == f"/channels/{channel_id}/messages"
            assert (
                rejection.body["errors"]["content"]["_errors"][0]["code"] == "BASE_TYPE_MAX_LENGTH"
            )

            # Same limit on an interaction response; the bot then falls back to a short reply.
            await bot.tree.sync()
            sent = await fake.send_command("long")
            callback = await fake.wait_callback(sent)
            assert callback["data"]["content"] == "too long"
            assert len(fake.rejections) == 2
            assert fake.rejections[1].path.endswith("/callback")
        assert fake.unknown_routes == []


@pytest.mark.asyncio
async def test_mention_gets_a_channel_reply() -> None:
    guild = _guild()
    async with FakeDiscord([guild], heartbeat_interval_ms=HEARTBEAT_MS) as fake:
        async with running_bot(fake):
            author = guild.members[0].user.id
            sent = await fake.send_message_create(f"<@{fake.bot_user.id}> hi", author_id=author)
            assert sent is not None
            reply = await fake.wait_message(guild.text_channel().id)
            assert reply["content"] == f"pong {author}"
            assert reply["author"]["id"] == str(fake.bot_user.id)
            assert reply["message_reference"]["message_id"] == sent["id"]

            await fake.send_message_create(f"<@{fake.bot_user.id}> file please")
            upload = await fake.wait_message(guild.text_channel().id)
            assert upload["content"] == "here"
            assert [(a["filename"], a["size"]) for a in upload["attachments"]] == [("a.txt", 3)]
            # The file is on the fake's CDN, at a URL naming Discord's, with the bytes sent.
            [attachment] = upload["attachments"]
            assert attachment["url"].startswith(f"https://{DISCORD_CDN_HOST}/attachments/")
            assert fake.attachment_data(attachment) == b"abc"
        fake.assert_clean()


@pytest.mark.asyncio
async def test_rate_limited_callback_is_retried() -> None:
    guild = _guild()
    async with FakeDiscord([guild], heartbeat_interval_ms=HEARTBEAT_MS) as fake:
        async with running_bot(fake) as bot:
            await bot.tree.sync()
            fake.fail_next_callback(status=429, retry_after=0.2)
            sent = await fake.send_command("echo", [{"name": "text", "type": 3, "value": "x"}])
            callback = await fake.wait_callback(sent)
            assert callback["data"]["content"] == "echo: x"
            attempts = [
                r for r in fake.requests if r.path.endswith(f"/{sent.id}/{sent.token}/callback")
            ]
            assert [r.status for r in attempts] == [429, 200]
            assert len(fake.injected_failures) == 1
        fake.assert_clean()


@pytest.mark.asyncio
async def test_drop_and_reconnect_resume_and_still_answer() -> None:
    guild = _guild()
    async with FakeDiscord([guild], heartbeat_interval_ms=HEARTBEAT_MS) as fake:
        async with running_bot(fake) as bot:
            await bot.tree.sync()
            await fake.drop_connection(0)
            # An event sent while the shard is down is replayed on RESUME.
            sent = await fake.send_command("echo", [{"name": "text", "type": 3, "value": "a"}])
            await fake.wait_ready(0)
            assert (await fake.wait_callback(sent))["data"]["content"] == "echo: a"
            assert fake.resume_count == 1

            await fake.send_reconnect(0)
            await fake.wait_until(lambda: fake.resume_count == 2, what="second resume")
            sent = await fake.send_command("echo", [{"name": "text", "type": 3, "value": "b"}])
            assert (await fake.wait_callback(sent))["data"]["content"] == "echo: b"

            await fake.send_invalid_session(0, resumable=False)
            await fake.wait_until(lambda: fake.identify_count == 2, what="re-identify")
            await fake.wait_ready(0)
            sent = await fake.send_command("echo", [{"name": "text", "type": 3, "value": "c"}])
            assert (await fake.wait_callback(sent))["data"]["content"] == "echo: c"
            assert fake.heartbeat_count >= 1
        fake.assert_clean()


@pytest.mark.asyncio
async def test_two_shards_route_guilds_and_interactions() -> None:
    g0 = FakeGuild(make_snowflake(shard_id=0, shard_count=2), name="zero")
    g1 = FakeGuild(make_snowflake(shard_id=1, shard_count=2), name="one")
    async with FakeDiscord([g0, g1], shard_count=2, heartbeat_interval_ms=HEARTBEAT_MS) as fake:
        async with running_bot(fake) as bot:
            await fake.wait_ready()
            assert bot.shard_count == 2
            assert {g.id: g.shard_id for g in bot.guilds} == {g0.id: 0, g1.id: 1}
            await bot.tree.sync()
            sent = await fake.send_command(
                "echo", [{"name": "text", "type": 3, "value": "s1"}], guild_id=g1.id
            )
            assert (await fake.wait_callback(sent))["data"]["content"] == "echo: s1"
        assert sorted(p["shard"][0] for p in fake.identify_payloads) == [0, 1]
        fake.assert_clean()


@pytest.mark.asyncio
async def test_rejected_token_raises_login_failure() -> None:
    async with FakeDiscord([_guild()]) as fake:
        configure_endpoints(fake.api_base, fake.gateway_url)
        bot = _TestBot()
        try:
            async with bot:
                with pytest.raises(discord.LoginFailure):
                    await bot.login("not-the-token")
        finally:
            configure_endpoints(None, None)
        assert fake.rejections[0].status == 401
        assert fake.identify_count == 0


@pytest.mark.asyncio
async def test_components_defer_edit_and_followups() -> None:
    guild = _guild()
    async with FakeDiscord([guild], heartbeat_interval_ms=HEARTBEAT_MS) as fake:
        async with running_bot(fake) as bot:
            await bot.tree.sync()
            sent = await fake.send_command("panel")
            shown = await fake.wait_callback(sent)
            assert shown["data"]["components"][0]["components"][0]["custom_id"] == "panel:go"
            original = fake.original_response(sent)
            assert original is not None

            click = await fake.send_component("panel:go")
            assert click.payload["message"]["id"] == original["id"]  # the bot's View matches it
            update = await fake.wait_callback(click)
            assert update["type"] == 7 and update["data"]["content"] == "clicked"
            assert fake.messages[int(original["id"])]["content"] == "clicked"

            slow = await fake.send_command("slow")
            assert (await fake.wait_callback(slow))["type"] == 5
            edited = await fake.wait_original_edit(slow)
            assert edited["content"] == "done"
            [followup] = await fake.wait_followups(slow)
            assert followup["content"] == "more" and followup["flags"] & 64
        fake.assert_clean()


@pytest.mark.asyncio
async def test_disallowed_privileged_intent_closes_with_4014() -> None:
    async with FakeDiscord([_guild()], allowed_privileged_intents=0) as fake:
        with pytest.raises(discord.PrivilegedIntentsRequired):
            async with running_bot(fake):
                pass


@pytest.mark.asyncio
async def test_discord_limits_are_enforced() -> None:
    """Raw requests (discord.py validates some of these itself) get Discord's 400s."""
    guild = _guild()
    async with (
        FakeDiscord([guild]) as fake,
        aiohttp.ClientSession(headers={"Authorization": f"Bot {fake.token}"}) as http,
    ):
        app = fake.application_id

        async def status(method: str, path: str, body: Any) -> int:
            async with http.request(method, fake.api_base + path, json=body) as resp:
                assert resp.headers["Content-Type"] == "application/json"
                return resp.status

        def command(**overrides: Any) -> dict[str, Any]:
            return {"name": "ok", "description": "fine", "type": 1, **overrides}

        option = {"name": "o", "description": "d", "type": 3}
        bad_commands = [
            [command(name="Upper")],
            [command(name="has space")],
            [command(name="x" * 33)],
            [command(description="")],
            [command(description="d" * 101)],
            [command(options=[{**option, "name": f"o{i}"} for i in range(26)])],
            [command(options=[{**option, "description": "d" * 101}])],
            [command(options=[{**option, "choices": [{"name": "c", "value": "v"}] * 26}])],
            [command(name=f"c{i}") for i in range(101)],
        ]
        for body in bad_commands:
            assert await status("PUT", f"/applications/{app}/commands", body) == 400
        assert len(fake.rejections) == len(bad_commands)
        assert await status("PUT", f"/applications/{app}/commands", [command()]) == 200

        def row(custom_id: str) -> dict[str, Any]:
            return {"type": 1, "components": [{"type": 2, "style": 1, "custom_id": custom_id}]}

        channel = f"/channels/{guild.text_channel().id}/messages"
        bad_messages: list[dict[str, Any]] = [
            {"content": "x" * 2001},
            {"embeds": [{"title": "t"}] * 11},
            {"embeds": [{"title": "t" * 257}]},
            {"embeds": [{"description": "d" * 4097}]},
            {"embeds": [{"fields": [{"name": "n", "value": "v"}] * 26}]},
            {"embeds": [{"fields": [{"name": "", "value": "v"}]}]},
            {"embeds": [{"fields": [{"name": "n", "value": "v" * 1025}]}]},
            {"embeds": [{"footer": {"text": "f" * 2049}}]},
            {"embeds": [{"author": {"name": "a" * 257}}]},
            {"embeds": [{"description": "d" * 4000}, {"description": "d" * 2001}]},
            {"content": "x", "components": [row(f"b{i}") for i in range(6)]},
            {"content": "x", "components": [row("c" * 101)]},
            {"content": "   "},
        ]
        before = len(fake.rejections)
        for message in bad_messages:
            assert await status("POST", channel, message) == 400, message
        assert len(fake.rejections) - before == len(bad_messages)
        limits_ok = {
            "content": "x" * 2000,
            "embeds": [{"description": "d" * 4000}, {"description": "d" * 2000}],
            "components": [row(f"b{i}") for i in range(5)],
        }
        assert await status("POST", channel, limits_ok) == 200

        # Autocomplete results: at most 25 choices, names 1-100 characters.
        for choices in ([{"name": "n", "value": "v"}] * 26, [{"name": "n" * 101, "value": "v"}]):
            sent = await fake.send_autocomplete(
                "ok", [{"name": "o", "type": 3, "value": "", "focused": True}], dispatch=False
            )
            callback = f"/interactions/{sent.id}/{sent.token}/callback"
            assert await status("POST", callback, {"type": 8, "data": {"choices": choices}}) == 400
            assert not sent.acknowledged
        ok = {"type": 8, "data": {"choices": [{"name": "n", "value": "v"}] * 25}}
        assert await status("POST", callback, ok) == 200
        assert await status("POST", callback, ok) == 400  # already acknowledged (40060)
        assert fake.unknown_routes == []


@pytest.mark.asyncio
async def test_attachment_and_channel_options_are_resolved_and_served_like_discord() -> None:
    guild = _guild()
    news = FakeChannel(name="news", type=5)
    guild.channels.append(news)
    async with (
        FakeDiscord([guild], heartbeat_interval_ms=HEARTBEAT_MS) as fake,
        aiohttp.ClientSession() as http,
    ):
        async with running_bot(fake) as bot:
            await bot.tree.sync()
            [upload] = [c for c in fake.command_payloads[None] if c["name"] == "upload"]
            file_option, channel_option = upload["options"]
            assert file_option["type"] == 11 and channel_option["type"] == 7
            assert sorted(channel_option["channel_types"]) == [0, 5]

            article = fake.upload("my article.toml", b'[article]\nid = "x"\n')
            sent = await fake.send_command(
                "upload",
                [article.option("file"), {"name": "channel", "type": 7, "value": str(news.id)}],
            )
            callback = await fake.wait_callback(sent)
            assert callback["data"]["content"] == "my article.toml 19 news"
            resolved = sent.payload["data"]["resolved"]
            assert resolved["channels"][str(news.id)]["type"] == 5
            # The sender's permissions there (a regular member: @everyone's).
            everyone = str(DEFAULT_EVERYONE_PERMISSIONS)
            assert resolved["channels"][str(news.id)]["permissions"] == everyone
            [attachment] = bot.uploads
            assert attachment.ephemeral and attachment.content_type == article.content_type
            assert attachment.url.startswith(f"https://{DISCORD_CDN_HOST}/ephemeral-attachments/")
            assert "my%20article.toml?ex=" in attachment.url and "&hm=" in attachment.url
        assert fake.cdn_downloads() == []  # resolving an option downloads nothing

        # The CDN serves the bytes at the URL's path and query under cdn_base, and only there.
        url = yarl.URL(attachment.url)
        at_fake = f"{fake.cdn_base}{url.raw_path}?{url.raw_query_string}"
        async with http.get(yarl.URL(at_fake, encoded=True)) as resp:
            assert resp.status == 200 and await resp.read() == article.data
        unsigned = f"{fake.cdn_base}{url.raw_path}"
        async with http.get(yarl.URL(unsigned, encoded=True)) as resp:
            assert resp.status == 404
        assert [r.status for r in fake.cdn_requests] == [200, 404]
        assert fake.cdn_downloads(article) == fake.cdn_requests[:1]
        # A file the bot sends is on the CDN too, with the bytes it sent.
        assert fake.attachment_data(attachment.to_dict()) == article.data
        fake.assert_clean()
        # Nothing but a plain GET: a bot that sends its token to the CDN is caught.
        async with http.get(at_fake, headers={"Authorization": f"Bot {fake.token}"}) as resp:
            assert resp.status == 200
        with pytest.raises(AssertionError, match="token sent"):
            fake.assert_clean()


@pytest.mark.asyncio
async def test_options_discord_refuses_in_a_command_are_refused() -> None:
    async with (
        FakeDiscord([_guild()]) as fake,
        aiohttp.ClientSession(headers={"Authorization": f"Bot {fake.token}"}) as http,
    ):
        path = f"{fake.api_base}/applications/{fake.application_id}/commands"

        def command(**option: Any) -> list[dict[str, Any]]:
            base = {"name": "o", "description": "d", "type": 3}
            return [{"name": "c", "description": "d", "type": 1, "options": [{**base, **option}]}]

        for bad in (
            command(type=11, autocomplete=True),  # autocomplete only on strings and numbers
            command(type=3, channel_types=[0]),  # channel types only on channels
            command(type=7, channel_types=["text"]),
            command(type=12),
        ):
            async with http.put(path, json=bad) as resp:
                assert resp.status == 400, bad
        async with http.put(path, json=command(type=7, channel_types=[0, 5])) as resp:
            assert resp.status == 200
        assert len(fake.rejections) == 4
