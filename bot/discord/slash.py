"""The slash commands, made from the command table: one per command that is not console-only.

Each one only translates an interaction into ``commands.run()`` and the Answer into a reply, so
a new entry in bot/commands.py is a new slash command, with its options, their descriptions and
autocomplete, and nothing to write here.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import discord
from discord import app_commands

from bot import phrasing as fmt
from bot.commands import COMMANDS, GROUPS, Caller, Command, Option, OptionKind, Upload, run
from bot.discord.attachments import AttachmentRef, DownloadError, check, download
from bot.discord.client import NotAdminError
from bot.discord.replies import send_answer, send_text
from bot.service import TalentService

if TYPE_CHECKING:
    from bot.discord.client import TalentBot

QUESTION_MAX = 500  # characters of free text a user may send, unless the option says
_PRIVATE = "Show the answer only to you"
# Where announcements can be posted: text and announcement (news) channels.
CHANNEL_TYPES = (discord.ChannelType.text, discord.ChannelType.news)


class Suggestion(Protocol):
    """An autocomplete choice: what the user sees, and the value sent back."""

    @property
    def label(self) -> str:
        """What the user sees (at most 100 characters)."""

    @property
    def value(self) -> str:
        """What the option's value becomes when it is picked."""


Suggest = Callable[[TalentService, str], Sequence[Suggestion]]
_COMPLETES: dict[OptionKind, Suggest] = {
    "company": lambda service, text: service.complete(text, "company"),
    "person": lambda service, text: service.complete(text, "person"),
    "topic": lambda service, text: service.complete(text, None),
    "article": lambda service, text: service.complete_articles(text),
}


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


def caller_of(interaction: discord.Interaction[TalentBot]) -> Caller:
    """Who sent the interaction, and from which server, for the audit log and announcements."""
    return Caller(
        name=interaction.user.name, user_id=interaction.user.id, guild_id=interaction.guild_id
    )


def _require_admin(interaction: discord.Interaction[TalentBot]) -> bool:
    if not is_admin(interaction):
        raise NotAdminError("not an admin")
    return True


def _cooldown(interaction: discord.Interaction[TalentBot]) -> app_commands.Cooldown | None:
    # The bot's shared bucket, so the limit is per user across commands, not per command.
    return interaction.client.cooldown(interaction.user.id)


class ChannelId(app_commands.Transformer["TalentBot"]):
    """A channel option limited to text and announcement channels, passed on as its id.

    The id alone: discord.py's TextChannel transformer needs the channel in its cache.
    """

    @property
    def type(self) -> discord.AppCommandOptionType:
        """A channel option (Discord's type 7)."""
        return discord.AppCommandOptionType.channel

    @property
    def channel_types(self) -> list[discord.ChannelType]:
        """The kinds of channel Discord lets the user pick."""
        return list(CHANNEL_TYPES)

    async def transform(self, interaction: discord.Interaction[TalentBot], value: Any, /) -> int:
        """The channel's id; a channel of another kind (an outdated command) is refused."""
        kind = getattr(value, "type", None)  # a resolved channel's; an Object's is its class
        if isinstance(kind, discord.ChannelType) and kind not in CHANNEL_TYPES:
            raise app_commands.TransformerError(value, self.type, self)
        return int(value.id)


def _parameter(option: Option) -> inspect.Parameter:
    """The callback parameter discord.py reads an option's type and requiredness from."""
    limit = option.max_length or QUESTION_MAX
    kind: Any = {
        "text": app_commands.Range[str, 1, limit],
        "file": discord.Attachment,  # type 11, resolved from the interaction's attachments
        "channel": ChannelId(),
    }.get(option.kind, str)
    optional = kind if isinstance(kind, app_commands.Transformer) else kind | None
    return inspect.Parameter(
        option.name,
        inspect.Parameter.KEYWORD_ONLY,
        annotation=kind if option.required else optional,
        default=inspect.Parameter.empty if option.required else None,
    )


def _completer(suggest: Suggest) -> Any:
    async def complete(
        interaction: discord.Interaction[TalentBot], current: str
    ) -> list[app_commands.Choice[str]]:
        return [
            app_commands.Choice(name=c.label, value=c.value)
            for c in suggest(interaction.client.service, current[:100])
        ]

    return complete


def _ref(attachment: discord.Attachment) -> AttachmentRef:
    return AttachmentRef(attachment.filename, attachment.size, attachment.url)


def _refusal(interaction: discord.Interaction[TalentBot], value: object) -> str | None:
    """Why an attached file is not downloaded at all (too large, not on Discord's CDN), if so."""
    if not isinstance(value, discord.Attachment):
        return "The file did not come with the command; attach it again."
    settings = interaction.client.settings
    try:
        check(
            _ref(value), limit=settings.max_knowledge_file_bytes, cdn_base=settings.discord_cdn_base
        )
    except DownloadError as exc:
        return f"Not downloading {_named(value)}: {exc}."
    return None


def _named(attachment: discord.Attachment) -> str:
    return f"“{fmt.shown(attachment.filename, 80)}”"


async def _uploads(
    interaction: discord.Interaction[TalentBot], attachments: dict[str, discord.Attachment]
) -> dict[str, Upload]:
    """Each attached file, downloaded from Discord's CDN (DownloadError says why not)."""
    bot = interaction.client
    uploads = {}
    for name, attachment in attachments.items():
        try:
            data = await download(
                bot.downloads(),
                _ref(attachment),
                limit=bot.settings.max_knowledge_file_bytes,
                cdn_base=bot.settings.discord_cdn_base,
                proxy=bot.http.proxy,
                proxy_auth=bot.http.proxy_auth,
            )
        except DownloadError as exc:
            raise DownloadError(f"Could not download {_named(attachment)}: {exc}.") from None
        uploads[name] = Upload(attachment.filename, data)
    return uploads


def slash_command(spec: Command) -> app_commands.Command[Any, ..., None]:
    """The slash command of one table entry: its options, descriptions, autocomplete, checks."""
    files = {option.name for option in spec.options if option.kind == "file"}

    async def callback(interaction: discord.Interaction[TalentBot], **values: Any) -> None:
        private = bool(values.pop("private", False)) or spec.private
        attached = {name: values[name] for name in files if values.get(name) is not None}
        for value in attached.values():
            problem = _refusal(interaction, value)
            if problem is not None:
                await send_text(interaction, problem)
                return
        if spec.slow or attached:
            # Reading thousands of files, or downloading one, can take longer than Discord's 3 s.
            await interaction.response.defer(ephemeral=private, thinking=True)
        try:
            values |= await _uploads(interaction, attached)
        except DownloadError as exc:
            await send_text(interaction, str(exc))
            return
        answer = await run(
            interaction.client.service, spec.name, caller=caller_of(interaction), **values
        )
        await send_answer(interaction, answer, private=private)

    parameters = [
        inspect.Parameter(
            "interaction", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=discord.Interaction
        ),
        *(_parameter(option) for option in spec.options),
    ]
    described = {option.name: option.description for option in spec.options}
    if not spec.private:
        parameters.append(
            inspect.Parameter(
                "private", inspect.Parameter.KEYWORD_ONLY, annotation=bool, default=False
            )
        )
        described["private"] = _PRIVATE
    # discord.py reads options from the callback's signature; a plain (not nested) qualname
    # tells it the callback is no method.
    callback.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
    callback.__name__ = callback.__qualname__ = spec.name.replace("-", "_")
    command: app_commands.Command[Any, ..., None] = app_commands.Command(
        name=spec.name.split()[-1],
        description=spec.description,
        callback=app_commands.describe(**described)(callback),
    )
    for option in spec.options:
        suggest = _COMPLETES.get(option.kind)
        if suggest is not None:
            command.autocomplete(option.name)(_completer(suggest))
    if spec.admin:
        if " " not in spec.name:  # a subcommand's group carries these (Discord's rule)
            app_commands.default_permissions(manage_guild=True)(command)
            app_commands.guild_only()(command)
        app_commands.check(_require_admin)(command)
    else:
        app_commands.checks.dynamic_cooldown(_cooldown)(command)
    return command


def slash_commands() -> list[app_commands.Command[Any, ..., None] | app_commands.Group]:
    """Every slash command of the table; "group sub" entries become subcommands of a group.

    A group of admin subcommands is limited to Manage Server and to servers, as Discord allows
    only on top-level commands; each subcommand checks the admin again on the bot's side.
    """
    top: dict[str, app_commands.Command[Any, ..., None] | app_commands.Group] = {}
    for spec in COMMANDS.values():
        if spec.console_only:
            continue
        command = slash_command(spec)
        if " " not in spec.name:
            top[spec.name] = command
            continue
        name = spec.name.split()[0]
        group = top.get(name)
        if not isinstance(group, app_commands.Group):
            group = app_commands.Group(
                name=name,
                description=GROUPS[name],
                default_permissions=discord.Permissions(manage_guild=True) if spec.admin else None,
                guild_only=spec.admin,
            )
            top[name] = group
        group.add_command(command)
    return list(top.values())


async def setup(bot: TalentBot) -> None:
    """Add every slash command of the table to the bot's tree (discord.py's extension hook)."""
    for command in slash_commands():
        bot.tree.add_command(command)


async def teardown(bot: TalentBot) -> None:
    """Remove them again when the extension is unloaded."""
    for command in slash_commands():
        bot.tree.remove_command(command.name)
