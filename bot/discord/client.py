"""The Discord client: a Bot subclass that takes its dependencies and adds the slash commands."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import commands

from bot import phrasing as fmt
from bot.commands import help_answer, run
from bot.discord.replies import NO_PINGS, reply_to_message, send_text, something_went_wrong
from bot.service import TalentService
from bot.settings import Settings

log = logging.getLogger(__name__)

EXTENSIONS = ("bot.discord.slash",)
UNKNOWN_INTERACTION = 10062  # Discord's error code for an expired or unknown interaction
OUT_OF_DATE = (
    "This command has changed since Discord last loaded it; try again in a minute "
    "(or restart Discord) to get the new version."
)

_Option = discord.AppCommandOptionType
# The Python types of an option's value, as JSON decodes them.
_VALUE_TYPES: dict[_Option, tuple[type, ...]] = {
    _Option.string: (str,),
    _Option.integer: (int,),
    _Option.boolean: (bool,),
    _Option.number: (int, float),
}


class NotAdminError(app_commands.CheckFailure):
    """Raised by the server-side admin check."""


class StaleCommand(app_commands.AppCommandError):
    """An interaction that does not fit the command as this bot defines it."""


# Discord shows the commands as they were last synced, for up to an hour after they change;
# discord.py finds some mismatches itself, `_mismatch` the rest (it passes a value of any type on).
_STALE = (
    StaleCommand,
    app_commands.CommandNotFound,
    app_commands.CommandSignatureMismatch,
    app_commands.TransformerError,
)


def _mismatch(interaction: discord.Interaction[Any]) -> str | None:
    """What in a command or autocomplete interaction does not fit the command the bot has."""
    data: Any = interaction.data
    options = data.get("options", []) if isinstance(data, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("name"), str):
        return "no command name"
    if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
        return "options that are not a list of objects"
    command = interaction.command
    if command is None:
        return "no such command"
    if not isinstance(command, app_commands.Command):
        return None  # a context menu: discord.py checks those itself
    if command.parent is not None and len(options) == 1 and options[0].get("type") == 1:
        options = options[0].get("options", [])  # a subcommand's options come wrapped in it
        if not isinstance(options, list) or not all(isinstance(o, dict) for o in options):
            return "options that are not a list of objects"
    params = {p.display_name: p for p in command.parameters}
    autocomplete = interaction.type is discord.InteractionType.autocomplete
    for opt in options:
        name = opt.get("name")
        param = params.get(name) if isinstance(name, str) else None
        if param is None:
            return f"unknown option {fmt.shown(str(name), 40)!r}"
        if autocomplete:
            # Only the option being typed matters, and it arrives as the text typed so far.
            typed = isinstance(opt.get("value"), str)
            if opt.get("focused") and not (param.autocomplete and typed):
                return f"no suggestions for option {param.display_name!r}"
            continue
        if opt.get("type") != param.type.value or not _fits(opt.get("value"), param):
            return f"option {param.display_name!r} is not a {param.type.name} in range"
    return None


def _fits(value: object, param: app_commands.Parameter) -> bool:
    wanted = _VALUE_TYPES.get(param.type)
    if wanted is None:
        # Users, channels, roles, attachments: snowflakes, that discord.py reads with int() and
        # looks up in the interaction's resolved objects (what is not there it passes as Object).
        return isinstance(value, str) and value.isascii() and value.isdigit()
    # JSON's true is an int to Python, and 1 is no boolean.
    if isinstance(value, bool) or bool in wanted:
        return isinstance(value, bool) and bool in wanted
    if not isinstance(value, wanted) or not isinstance(value, str | int | float):
        return False
    # A string's range is its length; Discord enforces it only for the version it has.
    size = len(value) if isinstance(value, str) else value
    low, high = param.min_value, param.max_value
    return (low is None or size >= low) and (high is None or size <= high)


class TalentTree(app_commands.CommandTree["TalentBot"]):
    """Turns every command error into a short ephemeral reply; unexpected ones get an error id."""

    async def interaction_check(self, interaction: discord.Interaction[TalentBot], /) -> bool:
        """Refuse an interaction sent for an outdated command, telling the user why."""
        problem = _mismatch(interaction)
        if problem is not None:
            raise StaleCommand(problem)
        return True

    async def on_error(
        self, interaction: discord.Interaction[TalentBot], error: app_commands.AppCommandError
    ) -> None:
        """Tell the user what went wrong in one line: a limit, a permission, or an error id."""
        if isinstance(error, app_commands.CommandOnCooldown):
            await send_text(
                interaction, f"Slow down a little: try again in {error.retry_after:.0f} s."
            )
            return
        if isinstance(error, NotAdminError | app_commands.MissingPermissions):
            await send_text(interaction, "Only server admins can do that.")
            return
        if isinstance(error, app_commands.NoPrivateMessage):
            await send_text(interaction, "That command works only in a server.")
            return
        if isinstance(error, _STALE):
            await self._out_of_date(interaction, error)
            return
        command = interaction.command.qualified_name if interaction.command else "?"
        original = getattr(error, "original", error)
        if isinstance(original, discord.NotFound) and original.code == UNKNOWN_INTERACTION:
            # Discord gives 3 s to answer; past that no reply or notice can reach the user.
            log.warning(
                "interaction %s for /%s expired before it was answered", interaction.id, command
            )
            return
        error_id = uuid.uuid4().hex[:8]
        log.error(
            "error %s in /%s for user %s", error_id, command, interaction.user.id, exc_info=error
        )
        try:
            await send_text(interaction, something_went_wrong(error_id))
        except discord.HTTPException:
            log.warning("could not tell the user about error %s", error_id)

    async def _out_of_date(
        self, interaction: discord.Interaction[TalentBot], error: app_commands.AppCommandError
    ) -> None:
        data: Any = interaction.data
        name = fmt.visible(fmt.shown(str(data.get("name") if isinstance(data, dict) else ""), 40))
        why = str(error) if isinstance(error, StaleCommand) else error.__class__.__name__
        log.warning(
            "interaction %s for /%s does not fit the command (%s): Discord still shows an older "
            "version; `talent-bot sync` updates it",
            interaction.id,
            name,
            fmt.visible(why),
        )
        try:
            if interaction.type is discord.InteractionType.autocomplete:
                await interaction.response.autocomplete([])
            else:
                await send_text(interaction, OUT_OF_DATE)
        except discord.HTTPException as exc:
            log.warning("could not tell the user that /%s is out of date: %s", name, exc.status)


class TalentBot(commands.AutoShardedBot):
    """The bot: settings and the answer service come in; slash commands only translate to them."""

    def __init__(
        self, settings: Settings, service: TalentService, *, sync_on_start: bool = True
    ) -> None:
        # The bot never joins voice: warnings about missing voice libraries are noise.
        discord.VoiceClient.warn_nacl = discord.VoiceClient.warn_dave = False
        # No privileged intents: Discord still gives the content of messages that mention us.
        intents = discord.Intents.default()
        intents.message_content = False
        intents.members = False
        intents.presences = False
        # shard_ids only with a shard_count: discord.py decides both when neither is set.
        sharding: dict[str, Any] = {}
        if settings.shard_count is not None:
            sharding["shard_count"] = settings.shard_count
            if settings.shard_ids:
                sharding["shard_ids"] = settings.shard_ids
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            allowed_mentions=NO_PINGS,
            tree_cls=TalentTree,
            help_command=None,
            **sharding,
        )
        self.settings = settings
        self.service = service
        self.sync_on_start = sync_on_start
        self._downloads: aiohttp.ClientSession | None = None
        if settings.discord_gateway_url:
            self._connect_via(settings.discord_gateway_url)

    def _connect_via(self, gateway_url: str) -> None:
        """Open shards through a gateway proxy rather than the URL Discord's REST API names.

        AutoShardedBot asks GET /gateway/bot where to connect; behind a gateway proxy that answer
        points past the proxy, so keep its shard count and limits but swap the URL.
        """
        ask_discord = self.http.get_bot_gateway

        async def via_proxy() -> tuple[int, str, Any]:
            shards, _, limits = await ask_discord()
            return shards, gateway_url, limits

        self.http.get_bot_gateway = via_proxy  # type: ignore[method-assign]

    async def setup_hook(self) -> None:
        """Add the slash commands and, if configured, sync them before connecting."""
        # An extension that fails to load stops the start: load_extension raises, and so does start().
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        guild_id = self.settings.discord_guild_id
        if self.sync_on_start and guild_id is not None:
            # Development only: guild commands update instantly; a global sync on every start
            # would hit Discord's rate limits (run `talent-bot sync` once instead).
            guild = discord.Object(id=guild_id)
            self.tree.copy_global_to(guild=guild)
            try:
                synced = await self.tree.sync(guild=guild)
            except discord.HTTPException as exc:
                # A wrong DISCORD_GUILD_ID, or an invite without applications.commands: commands
                # synced before still work, so say what failed and keep running.
                log.error(
                    "could not sync commands to guild %s (%s %s): is the bot in that server, "
                    "invited with the applications.commands scope?",
                    guild_id,
                    exc.status,
                    exc.text,
                )
                return
            log.info("synced %d commands to guild %s", len(synced), guild_id)

    def downloads(self) -> aiohttp.ClientSession:
        """A session for attachment downloads on the client's own connection pool.

        discord.py's session is private and reads without limits; this one shares its pool
        (made at login) and sends no token. Requests pass the client's proxy themselves.
        """
        if self._downloads is None or self._downloads.closed:
            shared = self.http.connector or None  # MISSING before login: a pool of its own
            self._downloads = aiohttp.ClientSession(
                connector=shared, connector_owner=shared is None
            )
        return self._downloads

    async def close(self) -> None:
        """Close the download session, then the gateway and discord.py's HTTP session."""
        if self._downloads is not None:
            await self._downloads.close()
        await super().close()

    async def on_ready(self) -> None:
        """Log who the bot is once connected."""
        log.info(
            "ready as %s in %d guilds (shards %s)",
            self.user,
            len(self.guilds),
            sorted(self.shards),
        )

    async def on_message(self, message: discord.Message) -> None:
        """A message that mentions the bot is a question, answered like /ask."""
        if message.author.bot or self.user is None or self.user not in message.mentions:
            return
        question = re.sub(rf"<@!?{self.user.id}>", " ", message.content).strip()
        if not self._mention_allowed(message):
            return
        try:
            answer = await run(self.service, "ask", question) if question else help_answer()
            await reply_to_message(message, answer)
        except Exception:
            error_id = uuid.uuid4().hex[:8]
            log.exception(
                "error %s answering a mention in channel %s", error_id, message.channel.id
            )
            try:
                # As slash commands do: the asker gets an id to quote to the admins.
                await message.reply(something_went_wrong(error_id), allowed_mentions=NO_PINGS)
            except discord.HTTPException:
                log.warning("could not tell the user about error %s", error_id)

    def _mention_allowed(self, message: discord.Message) -> bool:
        return self.cooldown(message.author.id).update_rate_limit() is None

    def cooldown(self, user_id: int) -> app_commands.Cooldown:
        """The user's rate-limit bucket, shared by every command and mention.

        The user's rate-limit bucket, one for every command and mention together: a per-command
        bucket would let a user send COOLDOWN_RATE of each command.
        """
        bucket = self._cooldowns.get_bucket(user_id)
        assert bucket is not None  # the mapping has a cooldown, so it always makes a bucket
        return bucket

    @discord.utils.cached_property
    def _cooldowns(self) -> commands.CooldownMapping[int]:
        return commands.CooldownMapping.from_cooldown(
            self.settings.cooldown_rate, self.settings.cooldown_seconds, lambda user_id: user_id
        )
