"""/reload: admins re-read the knowledge files; the old knowledge stays if the new is broken."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot.commands import COMMANDS, run
from bot.discord.client import NotAdminError
from bot.discord.replies import send_answer

if TYPE_CHECKING:
    from bot.discord.client import TalentBot


def is_admin(interaction: discord.Interaction[TalentBot]) -> bool:
    """Manage Server, or a configured admin user or role.

    Checked here on the server because a guild can override a command's default permissions.
    """
    settings = interaction.client.settings
    if interaction.user.id in settings.admin_user_ids:
        return True
    member = interaction.user
    if isinstance(member, discord.Member):
        if any(role.id in settings.admin_role_ids for role in member.roles):
            return True
        # interaction.permissions are the member's resolved permissions in this channel,
        # as Discord sends them with the interaction.
        return interaction.permissions.manage_guild or interaction.permissions.administrator
    return False


def _require_admin(interaction: discord.Interaction[TalentBot]) -> bool:
    if not is_admin(interaction):
        raise NotAdminError("not an admin")
    return True


class Admin(commands.Cog):
    def __init__(self, bot: TalentBot) -> None:
        self.bot = bot

    @app_commands.command(name="reload", description=COMMANDS["reload"].description)
    @app_commands.default_permissions(manage_guild=True)
    @app_commands.guild_only()
    @app_commands.check(_require_admin)
    async def reload(self, interaction: discord.Interaction) -> None:
        # Reading and validating thousands of files can take longer than Discord's 3 s window.
        await interaction.response.defer(ephemeral=True, thinking=True)
        await send_answer(interaction, await run(self.bot.service, "reload"), private=True)


async def setup(bot: TalentBot) -> None:
    await bot.add_cog(Admin(bot))
