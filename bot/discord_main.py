"""Entry points for the Discord side: `talent-bot run` and `talent-bot sync`."""

from __future__ import annotations

import sys

from bot.settings import Settings


def run_bot(settings: Settings) -> int:
    """Run the bot until Ctrl-C or SIGTERM."""
    if settings.discord_token is None:
        print("talent-bot: DISCORD_TOKEN is not set (in the environment or .env).", file=sys.stderr)
        return 2
    print("talent-bot: the Discord front end is not built yet.", file=sys.stderr)
    return 1


async def sync_commands(settings: Settings, guild_id: int | None) -> int:
    """Register the slash commands globally, or with one guild."""
    return run_bot(settings)
