"""Entry points for the Discord side: `talent-bot run` and `talent-bot sync`."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress

import discord

from bot.discord.client import TalentBot
from bot.discord.endpoints import configure_endpoints
from bot.discord.news import announcing
from bot.knowledge.chars import describe
from bot.service import open_service
from bot.settings import Settings
from bot.watcher import watching

log = logging.getLogger(__name__)

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _token(settings: Settings) -> str | None:
    token = settings.discord_token.get_secret_value().strip() if settings.discord_token else ""
    if not token:
        print("talent-bot: DISCORD_TOKEN is not set (in the environment or .env).", file=sys.stderr)
        return None
    # A token is letters, digits, "-", "_" and dots; anything else (a pasted newline, an escape,
    # a zero-width space) would fail deep in the HTTP library with a traceback. Never echo it.
    odd = next((i for i, c in enumerate(token) if not _token_char(c)), None)
    if odd is not None:
        print(
            f"talent-bot: DISCORD_TOKEN holds a character no token has ({describe(token[odd])} "
            f"at position {odd + 1}); copy the token again from the developer portal.",
            file=sys.stderr,
        )
        return None
    return token


def _token_char(char: str) -> bool:
    return char.isascii() and char.isprintable() and not char.isspace()


@asynccontextmanager
async def _bot(settings: Settings, *, sync_on_start: bool) -> AsyncIterator[TalentBot]:
    configure_endpoints(settings.discord_api_base, settings.discord_gateway_url)
    async with open_service(settings, worker=True) as service:
        bot = TalentBot(settings, service, sync_on_start=sync_on_start)
        async with bot:
            yield bot


def run_bot(settings: Settings) -> int:
    """Run the bot until Ctrl-C or SIGTERM; exit 2 without a token, 1 if Discord refuses it."""
    token = _token(settings)
    if token is None:
        return EXIT_USAGE
    try:
        return asyncio.run(_run(settings, token))
    except KeyboardInterrupt:
        return EXIT_OK


async def _run(settings: Settings, token: str) -> int:
    async with (
        _bot(settings, sync_on_start=True) as bot,
        announcing(bot) as news,
        watching(settings, bot.service, news.problem),
    ):
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            with suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        running = asyncio.create_task(bot.start(token))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({running, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if stop.is_set():
            await _stop(bot, running)
        else:
            try:
                await running
            except discord.LoginFailure:
                print(
                    "talent-bot: Discord rejected the token; check DISCORD_TOKEN.", file=sys.stderr
                )
                return EXIT_FAILED
            except discord.PrivilegedIntentsRequired:
                print("talent-bot: Discord refused the requested intents.", file=sys.stderr)
                return EXIT_FAILED
            except (discord.GatewayNotFound, discord.ConnectionClosed, OSError) as exc:
                print(
                    f"talent-bot: cannot reach Discord: {exc.__class__.__name__}", file=sys.stderr
                )
                return EXIT_FAILED
    log.info("stopped")
    return EXIT_OK


async def _stop(bot: TalentBot, running: asyncio.Task[None]) -> None:
    """End start() wherever it is, then close the gateway and the HTTP session.

    Cancelling first matters during login or the first connect: closing under them makes
    discord.py log a traceback and retry a shard whose session is gone.
    """
    while not running.done():
        running.cancel()
        # Python 3.11's wait_for can swallow a cancel that races its inner task: cancel again.
        await asyncio.wait({running}, timeout=0.5)
    if not running.cancelled() and running.exception() is not None:
        log.debug("start() ended with %r while stopping", running.exception())
    await bot.close()


async def sync_commands(settings: Settings, guild_id: int | None) -> int:
    """Register the slash commands globally, or with one guild (instant, for testing)."""
    token = _token(settings)
    if token is None:
        return EXIT_USAGE
    async with _bot(settings, sync_on_start=False) as bot:
        try:
            await bot.login(token)
        except discord.LoginFailure:
            print("talent-bot: Discord rejected the token; check DISCORD_TOKEN.", file=sys.stderr)
            return EXIT_FAILED
        guild = discord.Object(id=guild_id) if guild_id is not None else None
        if guild is not None:
            bot.tree.copy_global_to(guild=guild)
        try:
            synced = await bot.tree.sync(guild=guild)
        except discord.HTTPException as exc:
            print(
                f"talent-bot: Discord refused the commands: {exc.status} {exc.text}",
                file=sys.stderr,
            )
            if guild is not None:
                print(
                    "talent-bot: is the bot in that server, invited with the "
                    "applications.commands scope?",
                    file=sys.stderr,
                )
            return EXIT_FAILED
    where = f"guild {guild_id}" if guild_id is not None else "every guild (may take up to an hour)"
    print(f"Synced {len(synced)} commands to {where}: {', '.join(c.name for c in synced)}")
    return EXIT_OK
