"""The table's option kinds as slash command parameters: files, channels and articles."""

from __future__ import annotations

from typing import Any

import discord
import pytest
from discord import app_commands

from bot.commands import Caller, Command, Option, Options
from bot.discord.slash import ChannelId, slash_command
from bot.models import Answer
from bot.service import TalentService


async def _nothing(service: TalentService, options: Options, caller: Caller) -> Answer:
    return Answer(command="probe", status="ok", title="Nothing")


PROBE = Command(
    "probe",
    "Every kind of option the knowledge desk uses",
    _nothing,
    (
        Option("file", "A file", "file", required=True),
        Option("channel", "A channel", "channel"),
        Option("article", "An article", "article"),
    ),
    admin=True,
)


def test_files_channels_and_articles_become_discords_option_types() -> None:
    params = {p.name: p for p in slash_command(PROBE).parameters}
    kind = discord.AppCommandOptionType
    assert (params["file"].type, params["file"].required) == (kind.attachment, True)
    assert (params["channel"].type, params["channel"].required) == (kind.channel, False)
    assert params["channel"].channel_types == [discord.ChannelType.text, discord.ChannelType.news]
    assert params["article"].type is kind.string and params["article"].autocomplete
    assert not params["file"].autocomplete and not params["channel"].autocomplete


def _channel(kind: int) -> app_commands.AppCommandChannel:
    data: Any = {"id": "42", "type": kind, "name": "news", "permissions": "0"}
    return app_commands.AppCommandChannel(state=None, data=data, guild_id=1)  # type: ignore[arg-type]


async def test_a_channel_option_is_passed_on_as_the_channels_id() -> None:
    transformer = ChannelId()
    interaction: Any = None  # the transformer reads only the value
    assert await transformer.transform(interaction, _channel(0)) == 42  # text
    assert await transformer.transform(interaction, _channel(5)) == 42  # announcement
    assert await transformer.transform(interaction, discord.Object(id=7)) == 7  # not resolved
    with pytest.raises(app_commands.TransformerError):
        await transformer.transform(interaction, _channel(2))  # a voice channel: an old command
