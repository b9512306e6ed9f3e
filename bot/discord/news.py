"""Sending the news: announcements and broken-file notices, to this process's servers only.

What is news and how it reads is decided in bot/announcements.py; this module renders it as
one embed and posts it, in the background, so that no /reload waits for a hundred channels.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

import discord

from bot.announcements import ANNOUNCE_MAX, Announcer
from bot.discord.embeds import render_embeds
from bot.discord.replies import NO_PINGS
from bot.models import Answer
from bot.service import ReloadReport

if TYPE_CHECKING:
    from bot.discord.client import TalentBot

log = logging.getLogger(__name__)


class News:
    """Posts every reload's new moves, and the watcher's notices, to the news channels."""

    def __init__(self, bot: TalentBot) -> None:
        self.bot = bot
        # bot.guilds: in a sharded deployment, only the servers of this process's shards.
        self.announcer = Announcer(bot.service, lambda: [g.id for g in bot.guilds], self.send)
        self._tasks: set[asyncio.Task[Any]] = set()

    def start(self) -> None:
        """Announce after every reload; and what the start-up load brought, once connected."""
        self.bot.service.after_reload.append(self.after_reload)
        report = self.bot.service.start_report
        if report is not None:
            # A restart whose load brought moves announces them: the state says what was told.
            self._spawn(self.announcer.announce(report))

    async def close(self) -> None:
        """Stop listening and drop the sends still waiting (the bot is going away)."""
        with contextlib.suppress(ValueError):
            self.bot.service.after_reload.remove(self.after_reload)
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def after_reload(self, report: ReloadReport) -> None:
        """A reload listener (TalentService.after_reload): its announcement, in the background."""
        self._spawn(self.announcer.announce(report))

    async def problem(self, report: ReloadReport) -> None:
        """The watcher's notice that changed files do not load, to every news channel."""
        self._spawn(self.announcer.tell_problem(report))

    def _spawn(self, work: Coroutine[Any, Any, object]) -> None:
        task = asyncio.get_running_loop().create_task(self._when_ready(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _when_ready(self, work: Coroutine[Any, Any, object]) -> None:
        try:
            # Before the gateway is ready the bot knows none of its servers.
            await self.bot.wait_until_ready()
            await work
        except asyncio.CancelledError:
            work.close()
            raise
        except Exception:
            log.exception("announcing the news failed")

    async def send(self, channel_id: int, answer: Answer) -> bool:
        """Post ``answer`` as one embed in the channel, pinging no one; whether Discord took it."""
        [embed] = render_embeds(answer, fields_per_page=ANNOUNCE_MAX, max_pages=1)
        try:
            await self.bot.get_partial_messageable(channel_id).send(
                embed=embed, allowed_mentions=NO_PINGS
            )
        except discord.HTTPException as exc:
            # A deleted channel or a missing permission: the server's admins can pick another.
            log.warning(
                "could not post to news channel %s: %s %s", channel_id, exc.status, exc.text
            )
            return False
        return True


@asynccontextmanager
async def announcing(bot: TalentBot) -> AsyncIterator[News]:
    """News sent while inside; stopped on the way out."""
    news = News(bot)
    news.start()
    try:
        yield news
    finally:
        await news.close()
