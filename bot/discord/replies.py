"""Sending an Answer in Discord: embeds, ephemeral rules, pager buttons, and no pings, ever."""

from __future__ import annotations

import io
import logging

import discord

from bot.discord.embeds import escaped, render_embeds
from bot.models import Answer

log = logging.getLogger(__name__)

NO_PINGS = discord.AllowedMentions.none()
PAGER_TIMEOUT = 600.0


class Pager(discord.ui.View):
    """Previous/next buttons that only the person who asked can press."""

    def __init__(self, pages: list[discord.Embed], owner_id: int) -> None:
        super().__init__(timeout=PAGER_TIMEOUT)
        self.pages = pages
        self.owner_id = owner_id
        self.page = 0
        self._sync_buttons()

    def _sync_buttons(self) -> None:
        self.previous.disabled = self.page == 0
        self.next.disabled = self.page >= len(self.pages) - 1

    async def interaction_check(self, interaction: discord.Interaction) -> bool:
        """Only the asker turns the pages."""
        if interaction.user.id == self.owner_id:
            return True
        await interaction.response.send_message(
            "Only the person who asked can turn these pages; use the command yourself to browse.",
            ephemeral=True,
            allowed_mentions=NO_PINGS,
        )
        return False

    async def _turn(self, interaction: discord.Interaction, step: int) -> None:
        self.page = max(0, min(len(self.pages) - 1, self.page + step))
        self._sync_buttons()
        await interaction.response.edit_message(
            embed=self.pages[self.page], view=self, allowed_mentions=NO_PINGS
        )

    @discord.ui.button(label="Previous", style=discord.ButtonStyle.secondary)
    async def previous(self, interaction: discord.Interaction, _: discord.ui.Button[Pager]) -> None:
        """Show the page before."""
        await self._turn(interaction, -1)

    @discord.ui.button(label="Next", style=discord.ButtonStyle.secondary)
    async def next(self, interaction: discord.Interaction, _: discord.ui.Button[Pager]) -> None:
        """Show the page after."""
        await self._turn(interaction, +1)


async def send_answer(
    interaction: discord.Interaction, answer: Answer, *, private: bool = False
) -> None:
    """Reply to an interaction; errors, "not found" and "did you mean" only the asker sees."""
    pages = render_embeds(answer)
    ephemeral = private or answer.is_error
    view = Pager(pages, interaction.user.id) if len(pages) > 1 else discord.utils.MISSING
    file = discord.utils.MISSING
    if answer.attachment is not None:
        data = io.BytesIO(answer.attachment.content.encode("utf-8"))
        file = discord.File(data, filename=answer.attachment.filename)
    if interaction.response.is_done():
        await interaction.followup.send(
            embed=pages[0], view=view, ephemeral=ephemeral, allowed_mentions=NO_PINGS, file=file
        )
    else:
        await interaction.response.send_message(
            embed=pages[0], view=view, ephemeral=ephemeral, allowed_mentions=NO_PINGS, file=file
        )


async def send_text(interaction: discord.Interaction, text: str) -> None:
    """A short ephemeral notice (errors, cooldowns, refusals), in plain text."""
    text = escaped(text)[:2000]
    if interaction.response.is_done():
        await interaction.followup.send(text, ephemeral=True, allowed_mentions=NO_PINGS)
    else:
        await interaction.response.send_message(text, ephemeral=True, allowed_mentions=NO_PINGS)


async def reply_to_message(message: discord.Message, answer: Answer) -> None:
    """Answer an @mention in the channel, without pinging the author or anyone else."""
    pages = render_embeds(answer)
    if len(pages) > 1:
        await message.reply(
            embed=pages[0],
            view=Pager(pages, message.author.id),
            mention_author=False,
            allowed_mentions=NO_PINGS,
        )
    else:
        await message.reply(embed=pages[0], mention_author=False, allowed_mentions=NO_PINGS)


def something_went_wrong(error_id: str) -> str:
    """What a user is told of an unexpected error: the id to quote when asking the admins."""
    return f"Something went wrong (error id {error_id})."
