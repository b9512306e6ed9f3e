"""The user commands: each one translates an interaction into a service call and back."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.commands import COMMANDS, run
from bot.discord.replies import send_answer
from bot.resolve import Kind

if TYPE_CHECKING:
    from bot.discord.client import TalentBot

_PRIVATE = "Show the answer only to you"


def _described(name: str) -> dict[str, str]:
    """The option descriptions of a command, from the shared command table."""
    return {o.name: o.description for o in COMMANDS[name].options} | {"private": _PRIVATE}


def _cooldown(interaction: discord.Interaction[TalentBot]) -> app_commands.Cooldown | None:
    # The bot's shared bucket, so the limit is per user across commands, not per command.
    return interaction.client.cooldown(interaction.user.id)


def _choices(bot: TalentBot, current: str, kind: Kind | None) -> list[app_commands.Choice[str]]:
    return [
        app_commands.Choice(name=c.label, value=c.value)
        for c in bot.service.complete(current[:100], kind)
    ]


class News(commands.Cog):
    """/who-left, /who-joined, /stats, /person, /company, /sources, /ask and /help."""

    def __init__(self, bot: TalentBot) -> None:
        self.bot = bot

    async def company_choices(
        self, _: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(self.bot, current, "company")

    async def person_choices(
        self, _: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(self.bot, current, "person")

    async def topic_choices(
        self, _: discord.Interaction, current: str
    ) -> list[app_commands.Choice[str]]:
        return _choices(self.bot, current, None)

    @app_commands.command(name="who-left", description=COMMANDS["who-left"].description)
    @app_commands.describe(**_described("who-left"))
    @app_commands.autocomplete(company=company_choices, person=person_choices)
    @app_commands.checks.dynamic_cooldown(_cooldown)
    async def who_left(
        self,
        interaction: discord.Interaction,
        company: str | None = None,
        person: str | None = None,
        private: bool = False,
    ) -> None:
        answer = await run(self.bot.service, "who-left", company, person)
        await send_answer(interaction, answer, private=private)

    @app_commands.command(name="who-joined", description=COMMANDS["who-joined"].description)
    @app_commands.describe(**_described("who-joined"))
    @app_commands.autocomplete(company=company_choices, person=person_choices)
    @app_commands.checks.dynamic_cooldown(_cooldown)
    async def who_joined(
        self,
        interaction: discord.Interaction,
        company: str | None = None,
        person: str | None = None,
        private: bool = False,
    ) -> None:
        answer = await run(self.bot.service, "who-joined", company, person)
        await send_answer(interaction, answer, private=private)

    @app_commands.command(name="stats", description=COMMANDS["stats"].description)
    @app_commands.describe(**_described("stats"))
    @app_commands.autocomplete(topic=topic_choices)
    @app_commands.checks.dynamic_cooldown(_cooldown)
    async def stats(
        self, interaction: discord.Interaction, topic: str | None = None, private: bool = False
    ) -> None:
        await send_answer(interaction, await run(self.bot.service, "stats", topic), private=private)

    @app_commands.command(name="person", description=COMMANDS["person"].description)
    @app_commands.describe(**_described("person"))
    @app_commands.autocomplete(name=person_choices)
    @app_commands.checks.dynamic_cooldown(_cooldown)
    async def person(
        self, interaction: discord.Interaction, name: str, private: bool = False
    ) -> None:
        await send_answer(interaction, await run(self.bot.service, "person", name), private=private)

    @app_commands.command(name="company", description=COMMANDS["company"].description)
    @app_commands.describe(**_described("company"))
    @app_commands.autocomplete(name=company_choices)
    @app_commands.checks.dynamic_cooldown(_cooldown)
    async def company(
        self, interaction: discord.Interaction, name: str, private: bool = False
    ) -> None:
        await send_answer(
            interaction, await run(self.bot.service, "company", name), private=private
        )

    @app_commands.command(name="sources", description=COMMANDS["sources"].description)
    @app_commands.describe(private=_PRIVATE)
    @app_commands.checks.dynamic_cooldown(_cooldown)
    async def sources(self, interaction: discord.Interaction, private: bool = False) -> None:
        await send_answer(interaction, await run(self.bot.service, "sources"), private=private)

    @app_commands.command(name="ask", description=COMMANDS["ask"].description)
    @app_commands.describe(**_described("ask"))
    @app_commands.checks.dynamic_cooldown(_cooldown)
    async def ask(
        self,
        interaction: discord.Interaction,
        question: app_commands.Range[str, 1, 500],
        private: bool = False,
    ) -> None:
        await send_answer(
            interaction, await run(self.bot.service, "ask", question), private=private
        )

    @app_commands.command(name="help", description=COMMANDS["help"].description)
    async def help(self, interaction: discord.Interaction) -> None:
        await send_answer(interaction, await run(self.bot.service, "help"), private=True)


async def setup(bot: TalentBot) -> None:
    await bot.add_cog(News(bot))
