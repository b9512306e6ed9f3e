"""An in-process fake Discord (REST API + gateway) that the unmodified discord.py can log in to.

Why: end-to-end tests must exercise the real library (login, gateway handshake, zlib-stream
compression, sharding, resumes, interaction callbacks, rate-limit retries) without the internet,
and must fail when the bot sends something real Discord would refuse (over-long content, too many
embeds/choices/options, bad command names ...). Every such refusal is answered like Discord does
(HTTP 400 + ``{"code": 50035, "message": "Invalid Form Body", "errors": {...}}``) and recorded in
``fake.rejections`` so a test can assert that none happened (``fake.assert_clean()``).

Usage::

    async with FakeDiscord(guilds=[FakeGuild(make_snowflake())]) as fake:
        configure_endpoints(fake.api_base, fake.gateway_url)   # bot.discord.endpoints
        task = asyncio.create_task(bot.start(fake.token))
        await fake.wait_ready()
        sent = await fake.send_command("ping")
        callback = await fake.wait_callback(sent)   # {"type": 4, "data": {...}}

The server binds only to 127.0.0.1 on an ephemeral port. It is single-event-loop code: create it
inside the test's loop (pytest-asyncio gives every test its own) and never share it across loops.
All ``wait_*`` helpers are driven by a change notification instead of sleep-polling and raise
``TimeoutError`` with a summary of what the fake saw (handy when a test fails).
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import itertools
import json
import logging
import math
import re
import secrets
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final, Protocol, TypeVar, cast
from urllib.parse import quote

from aiohttp import WSCloseCode, WSMsgType, web

__all__ = [
    "ALL_PERMISSIONS",
    "CDN_PREFIX",
    "DEFAULT_TOKEN",
    "DISCORD_CDN_HOST",
    "FakeAttachment",
    "FakeChannel",
    "FakeDiscord",
    "FakeGuild",
    "FakeMember",
    "FakeRole",
    "FakeUser",
    "Intents",
    "InteractionType",
    "RecordedRequest",
    "Rejection",
    "SentInteraction",
    "make_snowflake",
]

_log = logging.getLogger(__name__)

JSON = dict[str, Any]
_T = TypeVar("_T")

API_PREFIX: Final = "/api/v10"
# Attachments are served under this path of the fake (the bot's DISCORD_CDN_BASE), while their
# URLs name Discord's CDN hosts as real payloads do, so the bot must point downloads at the base.
CDN_PREFIX: Final = "/cdn"
DISCORD_CDN_HOST: Final = "cdn.discordapp.com"
DISCORD_MEDIA_HOST: Final = "media.discordapp.net"
DEFAULT_TOKEN: Final = "fake-bot-token"
DISCORD_EPOCH_MS: Final = 1_420_070_400_000


class Intents:
    """Gateway intent bits the fake looks at (a subset of Discord's)."""

    GUILDS: Final = 1 << 0
    GUILD_MEMBERS: Final = 1 << 1
    GUILD_PRESENCES: Final = 1 << 8
    GUILD_MESSAGES: Final = 1 << 9
    MESSAGE_CONTENT: Final = 1 << 15
    PRIVILEGED: Final = GUILD_MEMBERS | GUILD_PRESENCES | MESSAGE_CONTENT


class InteractionType:
    """Discord's interaction types (what ``send_interaction`` dispatches)."""

    PING: Final = 1
    APPLICATION_COMMAND: Final = 2
    MESSAGE_COMPONENT: Final = 3
    AUTOCOMPLETE: Final = 4
    MODAL_SUBMIT: Final = 5


# Which callback types Discord accepts for each interaction type (anything else is a 400).
_ALLOWED_CALLBACKS: Final[dict[int, frozenset[int]]] = {
    1: frozenset({1}),
    2: frozenset({4, 5, 9, 12}),
    3: frozenset({4, 5, 6, 7, 9, 12}),
    4: frozenset({8}),
    5: frozenset({4, 5, 6, 7}),
}

# Permission bits (a realistic @everyone default, the bot's managed role, "everything").
ADMINISTRATOR: Final = 1 << 3
ALL_PERMISSIONS: Final = (1 << 51) - 1
DEFAULT_EVERYONE_PERMISSIONS: Final = (
    (1 << 0)  # create instant invite
    | (1 << 6)  # add reactions
    | (1 << 10)  # view channel
    | (1 << 11)  # send messages
    | (1 << 14)  # embed links
    | (1 << 15)  # attach files
    | (1 << 16)  # read message history
    | (1 << 18)  # use external emojis
    | (1 << 20)  # connect
    | (1 << 21)  # speak
    | (1 << 26)  # change nickname
    | (1 << 31)  # use application commands
    | (1 << 35)  # create public threads
    | (1 << 38)  # send messages in threads
)
DEFAULT_BOT_PERMISSIONS: Final = DEFAULT_EVERYONE_PERMISSIONS | (1 << 13)  # + manage messages

_MESSAGE_FLAG_EPHEMERAL: Final = 1 << 6
_MESSAGE_FLAG_LOADING: Final = 1 << 7
_MESSAGE_FLAG_COMPONENTS_V2: Final = 1 << 15

# Chat-input command/option names. Discord's rule is ^[-_'\p{L}\p{N}...]{1,32}$ and lowercase where
# a lowercase form exists; Python's unicode \w (letters, digits, underscore) is a close match.
_COMMAND_NAME_RE: Final = re.compile(r"^[-_'\w]{1,32}$")
_USER_MENTION_RE: Final = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION_RE: Final = re.compile(r"<@&(\d+)>")


# --------------------------------------------------------------------------------------------
# Snowflakes and timestamps

_snowflake_counter = itertools.count(1)


def make_snowflake(*, shard_id: int | None = None, shard_count: int = 1) -> int:
    """Return a fresh, process-unique snowflake whose timestamp part is "now".

    With ``shard_id`` the id is chosen so that ``(id >> 22) % shard_count == shard_id``, i.e. a
    guild with this id is delivered to that shard (Discord's sharding formula).
    """
    ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    if shard_id is not None:
        ms -= (ms - shard_id) % shard_count
    # The low 22 bits (worker/process/increment on Discord) hold a process-wide counter, so ids
    # never collide even when many are made in the same millisecond.
    return (ms << 22) | (next(_snowflake_counter) % (1 << 22))


def _shard_for(guild_id: int, shard_count: int) -> int:
    return (guild_id >> 22) % shard_count


def _iso(ms: float) -> str:
    return datetime.fromtimestamp(ms / 1000, tz=UTC).isoformat(timespec="microseconds")


def _snowflake_time(snowflake: int) -> str:
    return _iso((snowflake >> 22) + DISCORD_EPOCH_MS)


# --------------------------------------------------------------------------------------------
# The fake guild model: plain dataclasses that tests build; the fake renders Discord JSON.


@dataclass
class FakeUser:
    """A Discord user."""

    id: int = field(default_factory=make_snowflake)
    username: str = "user"
    global_name: str | None = None
    bot: bool = False

    def to_json(self) -> JSON:
        return {
            "id": str(self.id),
            "username": self.username,
            "discriminator": "0",
            "global_name": self.global_name,
            "avatar": None,
            "avatar_decoration_data": None,
            "banner": None,
            "accent_color": None,
            "bot": self.bot,
            "system": False,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass
class FakeRole:
    """A guild role (the @everyone role, id == guild id, is added automatically)."""

    id: int = field(default_factory=make_snowflake)
    name: str = "role"
    permissions: int = 0
    position: int = 1
    color: int = 0
    managed: bool = False
    bot_id: int | None = None  # set for a bot's managed role

    def to_json(self) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "name": self.name,
            "description": None,
            "permissions": str(self.permissions),
            "position": self.position,
            "color": self.color,
            "colors": {
                "primary_color": self.color,
                "secondary_color": None,
                "tertiary_color": None,
            },
            "hoist": False,
            "managed": self.managed,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class FakeChannel:
    """A guild channel (type 0 = text, 2 = voice, 4 = category, 5 = announcement)."""

    id: int = field(default_factory=make_snowflake)
    name: str = "general"
    type: int = 0
    position: int = 0
    parent_id: int | None = None
    topic: str | None = None

    def to_json(self, guild_id: int | None = None) -> JSON:
        data: JSON = {
            "id": str(self.id),
            "type": self.type,
            "name": self.name,
            "position": self.position,
            "parent_id": None if self.parent_id is None else str(self.parent_id),
            "permission_overwrites": [],
            "flags": 0,
        }
        if self.type in (0, 5):
            data.update(topic=self.topic, nsfw=False, rate_limit_per_user=0, last_message_id=None)
        if self.type == 2:
            data.update(bitrate=64000, user_limit=0, rtc_region=None, nsfw=False)
        if guild_id is not None:
            data["guild_id"] = str(guild_id)
        return data


@dataclass
class FakeMember:
    """A guild member: a user plus the ids of the (non-@everyone) roles they hold."""

    user: FakeUser = field(default_factory=FakeUser)
    roles: list[int] = field(default_factory=list)
    nick: str | None = None

    def to_json(self, *, with_user: bool = True) -> JSON:
        data: JSON = {
            "roles": [str(r) for r in self.roles],
            "nick": self.nick,
            "avatar": None,
            "banner": None,
            "joined_at": _snowflake_time(self.user.id),
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
            "communication_disabled_until": None,
        }
        if with_user:
            data["user"] = self.user.to_json()
        return data


@dataclass
class FakeGuild:
    """A guild the bot is in. Defaults: one owner, one regular member, one #general channel."""

    id: int = field(default_factory=make_snowflake)
    name: str = "Fake Guild"
    owner: FakeUser = field(default_factory=lambda: FakeUser(username="owner"))
    members: list[FakeMember] = field(
        default_factory=lambda: [FakeMember(FakeUser(username="member"))]
    )
    channels: list[FakeChannel] = field(default_factory=lambda: [FakeChannel(name="general")])
    roles: list[FakeRole] = field(default_factory=list)  # besides @everyone and the bot's role
    everyone_permissions: int = DEFAULT_EVERYONE_PERMISSIONS
    preferred_locale: str = "en-US"

    def text_channel(self) -> FakeChannel:
        """The first text channel (where interactions/messages go by default)."""
        return next(c for c in self.channels if c.type in (0, 5))


@dataclass
class FakeAttachment:
    """A file on the fake's CDN: one a user attached to a command option, or one the bot sent.

    ``size`` is the size the payload reports when a test wants it to differ from the bytes the
    CDN serves; ``url`` replaces the CDN URL (another host); ``delay`` holds the CDN's answer
    back that many seconds (a slow download); ``chunked`` sends the bytes without a length.
    """

    filename: str
    data: bytes
    content_type: str | None = "application/toml; charset=utf-8"
    id: int = field(default_factory=make_snowflake)
    channel_id: int = field(default_factory=make_snowflake)
    size: int | None = None
    url: str | None = None
    delay: float = 0.0
    chunked: bool = False
    ephemeral: bool = True  # a command option's upload is; a message's attachment is not
    # The CDN refuses a URL without the signature Discord adds (ex, is, hm), as the real one does.
    signature: str = field(default_factory=lambda: secrets.token_hex(32))
    expires: str = field(default_factory=lambda: f"{int(time.time()) + 86_400:x}")

    @property
    def path(self) -> str:
        """The URL's path (decoded), the same on Discord's CDN and under ``CDN_PREFIX``."""
        folder = "ephemeral-attachments" if self.ephemeral else "attachments"
        return f"/{folder}/{self.channel_id}/{self.id}/{self.filename.replace('/', '_')}"

    @property
    def query(self) -> str:
        """The signed query string Discord's CDN URLs carry."""
        issued = f"{int(time.time()):x}"
        return f"ex={self.expires}&is={issued}&hm={self.signature}&"

    def option(self, name: str) -> JSON:
        """The command option (type 11) that carries this file; the fake resolves it."""
        return {"name": name, "type": 11, "value": str(self.id)}

    def to_json(self) -> JSON:
        """The attachment object, as in an interaction's ``resolved.attachments``."""
        data: JSON = {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data) if self.size is None else self.size,
            "url": self.url or f"https://{DISCORD_CDN_HOST}{quote(self.path)}?{self.query}",
            "proxy_url": self.url or f"https://{DISCORD_MEDIA_HOST}{quote(self.path)}?{self.query}",
            "ephemeral": self.ephemeral,
        }
        if self.content_type is not None:
            data["content_type"] = self.content_type
        return data


# --------------------------------------------------------------------------------------------
# Records exposed to tests


@dataclass
class Rejection:
    """A request the fake refused the way real Discord would (4xx answered by the fake itself)."""

    method: str
    path: str
    status: int
    body: JSON
    request_json: Any

    @property
    def messages(self) -> list[str]:
        """Readable errors, e.g. ``["embeds.0.title: Must be 256 or fewer in length."]``."""
        errors = self.body.get("errors")
        if isinstance(errors, Mapping):
            return _flatten_errors(errors)
        return [f"{self.body.get('code')}: {self.body.get('message')}"]

    def __str__(self) -> str:
        return f"{self.method} {self.path} -> {self.status} {'; '.join(self.messages)}"


@dataclass
class RecordedRequest:
    """A REST request the fake received (``path`` is relative to ``/api/v10``)."""

    method: str
    path: str
    query: dict[str, str]
    json: Any
    files: list[str]
    status: int = 0


@dataclass
class SentInteraction:
    """An interaction dispatched by ``send_interaction``; the fake fills in what the bot did."""

    id: int
    token: str
    type: int
    guild_id: int | None
    channel_id: int
    payload: JSON
    created_at: float
    callbacks: list[JSON] = field(default_factory=list)  # accepted callback bodies (normally 1)
    original_message_id: int | None = None
    followup_ids: list[int] = field(default_factory=list)
    source_message_id: int | None = None  # the message a component was clicked on

    @property
    def acknowledged(self) -> bool:
        return bool(self.callbacks)


class _DiscordError(Exception):
    """Raised by handlers to answer like Discord refuses a request."""

    def __init__(self, status: int, body: JSON, *, rejection: bool = True) -> None:
        super().__init__(body.get("message", ""))
        self.status = status
        self.body = body
        self.rejection = rejection


def _error(status: int, code: int, message: str) -> _DiscordError:
    return _DiscordError(status, {"message": message, "code": code})


_FieldError = tuple[tuple[str | int, ...], str, str]  # (path, Discord error code, message)


def _form_error(errors: Sequence[_FieldError]) -> _DiscordError:
    """Discord's nested 'Invalid Form Body' shape: errors.<path...>._errors[]."""
    root: JSON = {}
    for path, code, message in errors:
        node = root
        for part in path:
            node = node.setdefault(str(part), {})
        node.setdefault("_errors", []).append({"code": code, "message": message})
    return _DiscordError(400, {"code": 50035, "message": "Invalid Form Body", "errors": root})


def _flatten_errors(errors: Mapping[str, Any], prefix: str = "") -> list[str]:
    out: list[str] = []
    for key, value in errors.items():
        if key == "_errors":
            out.extend(f"{prefix or '<root>'}: {e['message']}" for e in value)
        elif isinstance(value, Mapping):
            out.extend(_flatten_errors(value, f"{prefix}.{key}" if prefix else key))
    return out


# --------------------------------------------------------------------------------------------
# Validation of Discord's documented limits. Each returns a list of field errors.


def _check_len(
    errors: list[_FieldError],
    path: tuple[str | int, ...],
    value: object,
    lo: int,
    hi: int,
) -> None:
    if not isinstance(value, str):
        errors.append((path, "BASE_TYPE_STRING", "Must be a string."))
    elif not lo <= len(value) <= hi:
        if lo == 0:
            errors.append((path, "BASE_TYPE_MAX_LENGTH", f"Must be {hi} or fewer in length."))
        else:
            errors.append(
                (path, "BASE_TYPE_BAD_LENGTH", f"Must be between {lo} and {hi} in length.")
            )


def _check_max_items(
    errors: list[_FieldError], path: tuple[str | int, ...], items: Sequence[Any], hi: int
) -> None:
    if len(items) > hi:
        errors.append((path, "BASE_TYPE_MAX_LENGTH", f"Must be {hi} or fewer in length."))


def _as_list(value: object) -> list[Any]:
    return list(value) if isinstance(value, list) else []


def _embed_text_length(embed: Mapping[str, Any]) -> int:
    total = len(embed.get("title") or "") + len(embed.get("description") or "")
    for f in _as_list(embed.get("fields")):
        if isinstance(f, Mapping):
            total += len(f.get("name") or "") + len(f.get("value") or "")
    for key, sub in (("footer", "text"), ("author", "name")):
        part = embed.get(key)
        if isinstance(part, Mapping):
            total += len(part.get(sub) or "")
    return total


def _validate_embeds(embeds: list[Any], errors: list[_FieldError]) -> None:
    _check_max_items(errors, ("embeds",), embeds, 10)
    for i, embed in enumerate(embeds):
        p: tuple[str | int, ...] = ("embeds", i)
        if not isinstance(embed, Mapping):
            errors.append((p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used in a ModelType"))
            continue
        if embed.get("title") is not None:
            _check_len(errors, (*p, "title"), embed["title"], 0, 256)
        if embed.get("description") is not None:
            _check_len(errors, (*p, "description"), embed["description"], 0, 4096)
        fields = _as_list(embed.get("fields"))
        _check_max_items(errors, (*p, "fields"), fields, 25)
        for j, f in enumerate(fields):
            fp = (*p, "fields", j)
            if not isinstance(f, Mapping):
                errors.append((fp, "MODEL_TYPE_CONVERT", "Only dictionaries may be used"))
                continue
            for key, hi in (("name", 256), ("value", 1024)):
                if not f.get(key):
                    errors.append(((*fp, key), "BASE_TYPE_REQUIRED", "This field is required"))
                else:
                    _check_len(errors, (*fp, key), f[key], 1, hi)
        for key, sub, hi in (("footer", "text", 2048), ("author", "name", 256)):
            part = embed.get(key)
            if isinstance(part, Mapping):
                if not part.get(sub):
                    errors.append(((*p, key, sub), "BASE_TYPE_REQUIRED", "This field is required"))
                else:
                    _check_len(errors, (*p, key, sub), part[sub], 1, hi)
    total = sum(_embed_text_length(e) for e in embeds if isinstance(e, Mapping))
    if total > 6000:
        errors.append(
            (("embeds",), "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")
        )


def _iter_components(components: Iterable[Any]) -> Iterable[Mapping[str, Any]]:
    """Every component, recursively (action rows, containers, sections and their children)."""
    for comp in components:
        if not isinstance(comp, Mapping):
            continue
        yield comp
        yield from _iter_components(_as_list(comp.get("components")))
        accessory = comp.get("accessory")
        if isinstance(accessory, Mapping):
            yield from _iter_components([accessory])


def _validate_components(components: list[Any], flags: int, errors: list[_FieldError]) -> None:
    if flags & _MESSAGE_FLAG_COMPONENTS_V2:
        # Components V2 layouts: up to 40 components in total, custom_id rules still apply.
        if sum(1 for _ in _iter_components(components)) > 40:
            errors.append((("components",), "BASE_TYPE_MAX_LENGTH", "Must be 40 or fewer."))
    else:
        _check_max_items(errors, ("components",), components, 5)
        for i, row in enumerate(components):
            p: tuple[str | int, ...] = ("components", i)
            if not isinstance(row, Mapping) or row.get("type") != 1:
                errors.append(((*p, "type"), "UNION_TYPE_CHOICES", "Must be an action row (1)."))
                continue
            children = _as_list(row.get("components"))
            if not 1 <= len(children) <= 5:
                errors.append(
                    (
                        (*p, "components"),
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 5 in length.",
                    )
                )
            selects = [c for c in children if isinstance(c, Mapping) and c.get("type") != 2]
            if selects and len(children) > 1:
                errors.append(
                    (
                        (*p, "components"),
                        "COMPONENT_LAYOUT_WIDTH_EXCEEDED",
                        "The specified component exceeds the maximum width",
                    )
                )
            for j, comp in enumerate(children):
                if isinstance(comp, Mapping):
                    _validate_component(comp, (*p, "components", j), errors)
    seen: set[str] = set()
    for comp in _iter_components(components):
        cid = comp.get("custom_id")
        if isinstance(cid, str):
            if cid in seen:
                errors.append(
                    (
                        ("components",),
                        "COMPONENT_CUSTOM_ID_DUPLICATED",
                        "Component custom id cannot be duplicated",
                    )
                )
            seen.add(cid)
            if not 1 <= len(cid) <= 100:
                errors.append(
                    (
                        ("components", "custom_id"),
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 100 in length.",
                    )
                )


def _validate_component(
    comp: Mapping[str, Any], p: tuple[str | int, ...], errors: list[_FieldError]
) -> None:
    ctype = comp.get("type")
    if ctype == 2:  # button
        style = comp.get("style")
        if style == 5:
            if not comp.get("url"):
                errors.append(((*p, "url"), "BASE_TYPE_REQUIRED", "This field is required"))
        elif style != 6 and not comp.get("custom_id"):
            errors.append(((*p, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required"))
        if comp.get("label") is not None:
            _check_len(errors, (*p, "label"), comp["label"], 0, 80)
    elif ctype in (3, 5, 6, 7, 8):  # selects
        if not comp.get("custom_id"):
            errors.append(((*p, "custom_id"), "BASE_TYPE_REQUIRED", "This field is required"))
        if comp.get("placeholder") is not None:
            _check_len(errors, (*p, "placeholder"), comp["placeholder"], 0, 150)
        if ctype == 3:
            options = _as_list(comp.get("options"))
            if not 1 <= len(options) <= 25:
                errors.append(
                    (
                        (*p, "options"),
                        "BASE_TYPE_BAD_LENGTH",
                        "Must be between 1 and 25 in length.",
                    )
                )
            for k, opt in enumerate(options):
                if isinstance(opt, Mapping):
                    _check_len(errors, (*p, "options", k, "label"), opt.get("label"), 1, 100)
                    _check_len(errors, (*p, "options", k, "value"), opt.get("value"), 1, 100)
                    if opt.get("description") is not None:
                        _check_len(
                            errors, (*p, "options", k, "description"), opt["description"], 0, 100
                        )
        for key, lo in (("min_values", 0), ("max_values", 1)):
            value = comp.get(key)
            if value is not None and not (isinstance(value, int) and lo <= value <= 25):
                errors.append(((*p, key), "NUMBER_TYPE_MAX", f"int value should be {lo}..25."))


def _validate_message(
    payload: Mapping[str, Any], *, creating: bool, has_files: bool = False
) -> list[_FieldError]:
    """Message create/edit bodies (channel messages, interaction responses, webhooks)."""
    errors: list[_FieldError] = []
    content = payload.get("content")
    if content is not None:
        _check_len(errors, ("content",), content, 0, 2000)
    embeds = payload.get("embeds")
    if embeds is not None:
        if not isinstance(embeds, list):
            errors.append((("embeds",), "BASE_TYPE_ARRAY", "Must be an array."))
        else:
            _validate_embeds(embeds, errors)
    components = payload.get("components")
    flags = payload.get("flags") or 0
    if components is not None:
        if not isinstance(components, list):
            errors.append((("components",), "BASE_TYPE_ARRAY", "Must be an array."))
        else:
            _validate_components(components, int(flags), errors)
    if creating and not errors and _message_is_empty(payload, has_files=has_files):
        raise _error(400, 50006, "Cannot send an empty message")
    return errors


def _message_is_empty(payload: Mapping[str, Any], *, has_files: bool) -> bool:
    content = payload.get("content")
    return not (
        (isinstance(content, str) and content.strip())
        or payload.get("embeds")
        or payload.get("components")
        or payload.get("sticker_ids")
        or payload.get("poll")
        or has_files
        or payload.get("attachments")
    )


def _validate_choices(
    choices: list[Any], path: tuple[str | int, ...], errors: list[_FieldError]
) -> None:
    _check_max_items(errors, path, choices, 25)
    for i, choice in enumerate(choices):
        if not isinstance(choice, Mapping):
            errors.append(((*path, i), "MODEL_TYPE_CONVERT", "Only dictionaries may be used"))
            continue
        _check_len(errors, (*path, i, "name"), choice.get("name"), 1, 100)
        value = choice.get("value")
        if isinstance(value, str):
            _check_len(errors, (*path, i, "value"), value, 0, 100)
        elif not isinstance(value, int | float) or isinstance(value, bool):
            errors.append(((*path, i, "value"), "BASE_TYPE_REQUIRED", "This field is required"))


def _check_command_name(
    errors: list[_FieldError], path: tuple[str | int, ...], name: object, *, chat_input: bool
) -> None:
    if not isinstance(name, str) or not name:
        errors.append((path, "BASE_TYPE_REQUIRED", "This field is required"))
    elif chat_input and (not _COMMAND_NAME_RE.fullmatch(name) or name != name.lower()):
        errors.append((path, "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid"))
    else:
        _check_len(errors, path, name, 1, 32)


def _check_localizations(
    errors: list[_FieldError], path: tuple[str | int, ...], value: object, *, name: bool
) -> None:
    if isinstance(value, Mapping):
        for locale, text in value.items():
            if name:
                _check_command_name(errors, (*path, locale), text, chat_input=True)
            else:
                _check_len(errors, (*path, locale), text, 1, 100)


def _validate_options(
    options: list[Any], path: tuple[str | int, ...], parent: str, errors: list[_FieldError]
) -> int:
    """Validate options under a command ("command"), a group ("group") or a subcommand.

    Returns the characters they contribute to the command's 4000-character budget.
    """
    size = 0
    _check_max_items(errors, path, options, 25)
    names: set[str] = set()
    seen_optional = False
    kinds: set[str] = set()
    for i, opt in enumerate(options):
        p = (*path, i)
        if not isinstance(opt, Mapping):
            errors.append((p, "MODEL_TYPE_CONVERT", "Only dictionaries may be used"))
            continue
        otype = opt.get("type")
        name = opt.get("name")
        _check_command_name(errors, (*p, "name"), name, chat_input=True)
        if isinstance(name, str):
            if name in names:
                errors.append(
                    (
                        (*p, "name"),
                        "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
                        "Option names must be unique",
                    )
                )
            names.add(name)
            size += len(name)
        description = opt.get("description")
        _check_len(errors, (*p, "description"), description, 1, 100)
        size += len(description) if isinstance(description, str) else 0
        _check_localizations(
            errors, (*p, "name_localizations"), opt.get("name_localizations"), name=True
        )
        _check_localizations(
            errors,
            (*p, "description_localizations"),
            opt.get("description_localizations"),
            name=False,
        )
        if not isinstance(otype, int) or not 1 <= otype <= 11:
            errors.append(((*p, "type"), "BASE_TYPE_CHOICES", "Value must be one of 1..11."))
            continue
        is_sub = otype in (1, 2)
        kinds.add("sub" if is_sub else "value")
        if parent == "group" and otype != 1:
            errors.append(
                (
                    (*p, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Subcommand groups may only contain subcommands",
                )
            )
        if parent == "subcommand" and is_sub:
            errors.append(
                (
                    (*p, "type"),
                    "APPLICATION_COMMAND_OPTION_TYPE_INVALID",
                    "Subcommands may not contain subcommands or groups",
                )
            )
        if is_sub:
            size += _validate_options(
                _as_list(opt.get("options")),
                (*p, "options"),
                "group" if otype == 2 else "subcommand",
                errors,
            )
            continue
        if opt.get("required"):
            if seen_optional:
                errors.append(
                    (
                        (*p, "required"),
                        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
                        "Required options must be placed before non-required options",
                    )
                )
        else:
            seen_optional = True
        choices = opt.get("choices")
        if choices is not None:
            if otype not in (3, 4, 10):
                errors.append(
                    ((*p, "choices"), "BASE_TYPE_BAD_VALUE", "Choices are not allowed here")
                )
            if opt.get("autocomplete"):
                errors.append(
                    (
                        (*p, "autocomplete"),
                        "APPLICATION_COMMAND_OPTION_CHOICES_AUTOCOMPLETE",
                        "Autocomplete cannot be set with choices",
                    )
                )
            _validate_choices(_as_list(choices), (*p, "choices"), errors)
            for c in _as_list(choices):
                if isinstance(c, Mapping):
                    size += len(str(c.get("name", ""))) + len(str(c.get("value", "")))
        if opt.get("autocomplete") and otype not in (3, 4, 10):
            errors.append(
                (
                    (*p, "autocomplete"),
                    "APPLICATION_COMMAND_OPTION_AUTOCOMPLETE_INVALID",
                    "Autocomplete is only for string, integer and number options",
                )
            )
        channel_types = opt.get("channel_types")
        if channel_types is not None and (
            otype != 7
            or not isinstance(channel_types, list)
            or not all(isinstance(t, int) and 0 <= t <= 16 for t in channel_types)
        ):
            errors.append(
                ((*p, "channel_types"), "BASE_TYPE_BAD_VALUE", "Channel types are not valid here")
            )
        for key in ("min_length", "max_length"):
            value = opt.get(key)
            if value is not None and not (isinstance(value, int) and 0 <= value <= 6000):
                errors.append(((*p, key), "NUMBER_TYPE_MAX", "int value should be 0..6000."))
    if parent == "command" and kinds == {"sub", "value"}:
        errors.append(
            (
                path,
                "APPLICATION_COMMAND_OPTIONS_TYPE_INVALID",
                "Sub-command and sub-command group option types are mutually exclusive to all "
                "other types",
            )
        )
    return size


def _validate_commands(payload: list[Any]) -> list[_FieldError]:
    """Bulk-overwrite body: ≤100 chat-input, ≤5 user, ≤5 message commands, unique names."""
    errors: list[_FieldError] = []
    counts = {1: 0, 2: 0, 3: 0}
    seen: set[tuple[int, str]] = set()
    for i, cmd in enumerate(payload):
        if not isinstance(cmd, Mapping):
            errors.append(((i,), "MODEL_TYPE_CONVERT", "Only dictionaries may be used"))
            continue
        ctype = cmd.get("type", 1)
        if ctype not in counts:
            errors.append(((i, "type"), "BASE_TYPE_CHOICES", "Value must be one of (1, 2, 3)."))
            continue
        counts[ctype] += 1
        chat_input = ctype == 1
        name = cmd.get("name")
        _check_command_name(errors, (i, "name"), name, chat_input=chat_input)
        if isinstance(name, str):
            if (ctype, name) in seen:
                errors.append(
                    (
                        (i, "name"),
                        "APPLICATION_COMMANDS_DUPLICATE_NAME",
                        f"Application command names must be unique ({name})",
                    )
                )
            seen.add((ctype, name))
        description = cmd.get("description", "")
        if chat_input:
            _check_len(errors, (i, "description"), description, 1, 100)
        elif description:
            errors.append(
                (
                    (i, "description"),
                    "APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION",
                    "Context menu commands cannot have description",
                )
            )
        _check_localizations(
            errors, (i, "name_localizations"), cmd.get("name_localizations"), name=chat_input
        )
        _check_localizations(
            errors,
            (i, "description_localizations"),
            cmd.get("description_localizations"),
            name=False,
        )
        options = _as_list(cmd.get("options"))
        if not chat_input and options:
            errors.append(
                ((i, "options"), "BASE_TYPE_BAD_VALUE", "Context menu commands cannot have options")
            )
        size = len(name or "") + len(description or "")
        size += _validate_options(options, (i, "options"), "command", errors)
        if size > 4000:
            errors.append(
                ((i,), "APPLICATION_COMMAND_TOO_LARGE", "Command exceeds maximum size (4000)")
            )
    for ctype, limit in ((1, 100), (2, 5), (3, 5)):
        if counts[ctype] > limit:
            errors.append(
                (
                    (),
                    "APPLICATION_COMMANDS_TOO_MANY",
                    f"Maximum number of application commands of type {ctype} reached ({limit})",
                )
            )
    return errors


def _validate_modal(data: Mapping[str, Any]) -> list[_FieldError]:
    errors: list[_FieldError] = []
    _check_len(errors, ("data", "custom_id"), data.get("custom_id"), 1, 100)
    _check_len(errors, ("data", "title"), data.get("title"), 1, 45)
    rows = _as_list(data.get("components"))
    if not 1 <= len(rows) <= 5:
        errors.append(
            (("data", "components"), "BASE_TYPE_BAD_LENGTH", "Must be between 1 and 5 in length.")
        )
    for comp in _iter_components(rows):
        if comp.get("custom_id") is not None:
            _check_len(errors, ("data", "components", "custom_id"), comp["custom_id"], 1, 100)
        if comp.get("type") == 4 and comp.get("label") is not None:
            _check_len(errors, ("data", "components", "label"), comp["label"], 1, 45)
    return errors


# --------------------------------------------------------------------------------------------
# Gateway plumbing


class _Compressor(Protocol):
    def __call__(self, data: bytes) -> bytes: ...


def _make_compressor(mode: str | None) -> _Compressor | None:
    """One persistent stream compressor per connection, as Discord's transport compression."""
    if mode == "zlib-stream":
        zctx = zlib.compressobj()

        def zlib_stream(data: bytes) -> bytes:
            # Z_SYNC_FLUSH ends every message with 00 00 ff ff, which discord.py looks for.
            return zctx.compress(data) + zctx.flush(zlib.Z_SYNC_FLUSH)

        return zlib_stream
    if mode == "zstd-stream":
        return _make_zstd_compressor()
    return None  # no (or unsupported) transport compression: send plain text frames


def _make_zstd_compressor() -> _Compressor | None:
    # discord.py only asks for zstd-stream when it can import zstandard (or 3.14's
    # compression.zstd); we use whichever is importable here. Each message is a flushed block
    # of one never-ending frame, which discord.py's streaming decompressor expects.
    try:
        import zstandard  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        pass
    else:
        zobj = zstandard.ZstdCompressor().compressobj()
        block: int = zstandard.COMPRESSOBJ_FLUSH_BLOCK

        def zstd_stream(data: bytes) -> bytes:
            return cast(bytes, zobj.compress(data)) + cast(bytes, zobj.flush(block))

        return zstd_stream
    try:
        from compression import zstd  # type: ignore[import-not-found, unused-ignore]
    except ImportError:
        _log.warning("client asked for zstd-stream but no zstd module; sending plain text")
        return None
    sctx = zstd.ZstdCompressor()

    def stdlib_zstd_stream(data: bytes) -> bytes:
        return cast(bytes, sctx.compress(data, mode=zstd.ZstdCompressor.FLUSH_BLOCK))

    return stdlib_zstd_stream


class _Connection:
    """One gateway websocket. Sends are serialised because the compressor is a stream."""

    def __init__(
        self, ws: web.WebSocketResponse, transport: asyncio.BaseTransport | None, mode: str | None
    ) -> None:
        self.ws = ws
        self.transport = transport
        self.compression = mode
        self._compress = _make_compressor(mode)
        self._send_lock = asyncio.Lock()
        self.session: _Session | None = None
        self.closed = False

    async def send(self, payload: JSON) -> None:
        async with self._send_lock:
            if self.closed or self.ws.closed:
                raise ConnectionResetError("gateway connection is closed")
            raw = json.dumps(payload, separators=(",", ":"))
            if self._compress is None:
                await self.ws.send_str(raw)
            else:
                await self.ws.send_bytes(self._compress(raw.encode()))

    async def close(self, code: int, message: str = "") -> None:
        self.closed = True
        if not self.ws.closed:
            await self.ws.close(code=code, message=message.encode())

    def abort(self) -> None:
        self.closed = True
        if isinstance(self.transport, asyncio.WriteTransport):
            self.transport.abort()


@dataclass
class _Session:
    """A gateway session (what RESUME resumes): sequence numbers and the replay backlog."""

    id: str
    shard_id: int
    shard_count: int
    intents: int
    conn: _Connection | None = None
    seq: int = 0
    backlog: deque[JSON] = field(default_factory=lambda: deque(maxlen=1000))
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    ready: bool = False  # READY and every GUILD_CREATE have been sent
    invalid: bool = False  # op 9 (not resumable) was sent: RESUME must fail

    @property
    def live(self) -> bool:
        return self.conn is not None and not self.conn.closed and not self.invalid


@dataclass
class _Body:
    """A request's parsed body: JSON (or multipart ``payload_json``) plus (filename, bytes)s."""

    json: Any
    files: list[tuple[str, bytes]]


_BODY: Final = web.RequestKey("fake_discord_body", _Body)


@dataclass
class _InjectedFailure:
    method: str
    path: re.Pattern[str]
    status: int
    retry_after: float
    remaining: int


# --------------------------------------------------------------------------------------------


class FakeDiscord:
    """A fake Discord REST API + gateway on 127.0.0.1 (see the module docstring)."""

    def __init__(
        self,
        guilds: Iterable[FakeGuild | int] = (),
        *,
        token: str = DEFAULT_TOKEN,
        bot_id: int | None = None,
        bot_name: str = "talent-bot",
        application_id: int | None = None,
        shard_count: int = 1,
        max_concurrency: int = 1,
        heartbeat_interval_ms: int = 41_250,
        application_flags: int = (1 << 19) | (1 << 15) | (1 << 13),
        bot_permissions: int = DEFAULT_BOT_PERMISSIONS,
        allowed_privileged_intents: int = Intents.PRIVILEGED,
        interaction_timeout: float | None = None,
        echo_bot_messages: bool = True,
    ) -> None:
        """Configure the fake; nothing listens until ``start()`` / ``async with``.

        ``shard_count`` is the count /gateway/bot recommends (AutoShardedClient uses it when
        given no shard_count). ``allowed_privileged_intents``: IDENTIFYing with any other
        privileged intent closes the gateway with 4014 like Discord. ``interaction_timeout``: if
        set, a callback later than this many seconds gets 404 "Unknown interaction" (Discord's
        limit is 3 s). ``echo_bot_messages``: also dispatch MESSAGE_CREATE/UPDATE for the bot's
        own non-ephemeral messages (when its intents include GUILD_MESSAGES), as Discord does.
        """
        self.token = token
        self.bot_user = FakeUser(
            id=bot_id if bot_id is not None else make_snowflake(),
            username=bot_name,
            bot=True,
        )
        # On real Discord a bot's user id equals its application id (for bots made since 2019).
        self.application_id = application_id if application_id is not None else self.bot_user.id
        self.owner_user = FakeUser(username="app-owner")
        self.recommended_shards = shard_count
        self.max_concurrency = max_concurrency
        self.heartbeat_interval_ms = heartbeat_interval_ms
        self.application_flags = application_flags
        self.bot_permissions = bot_permissions
        self.allowed_privileged_intents = allowed_privileged_intents
        self.interaction_timeout = interaction_timeout
        self.echo_bot_messages = echo_bot_messages
        self.ack_heartbeats = True  # set False to simulate a zombie connection

        self.guilds: dict[int, FakeGuild] = {}
        for g in guilds:
            guild = FakeGuild(id=g) if isinstance(g, int) else g
            self.guilds[guild.id] = guild
        # Each guild gets the bot's managed role (what Discord creates when a bot joins).
        self._bot_roles: dict[int, FakeRole] = {gid: self._new_bot_role() for gid in self.guilds}

        # --- records tests can inspect -------------------------------------------------------
        self.requests: list[RecordedRequest] = []
        self.rejections: list[Rejection] = []
        self.unknown_routes: list[str] = []
        self.injected_failures: list[RecordedRequest] = []
        self.identify_count = 0
        self.resume_count = 0
        self.heartbeat_count = 0
        self.identify_payloads: list[JSON] = []
        self.gateway_queries: list[dict[str, str]] = []  # ?v=&encoding=&compress= per connect
        self.gateway_ops: list[JSON] = []  # presence (3), voice (4), member requests (8)
        self.commands: dict[int | None, list[JSON]] = {}  # scope (guild id / None) -> stored
        self.command_payloads: dict[int | None, list[JSON]] = {}  # scope -> last PUT body
        self.command_syncs: list[tuple[int | None, list[JSON]]] = []  # every PUT, in order
        self.interactions: dict[int, SentInteraction] = {}
        self.messages: dict[int, JSON] = {}  # every message the fake knows, by id
        self.message_edits: dict[int, list[JSON]] = {}  # message id -> edit bodies
        self.deleted_message_ids: list[int] = []
        self.channel_messages_sent: dict[int, list[JSON]] = {}  # bot POSTs to /channels/{id}
        self.attachments: dict[int, FakeAttachment] = {}  # on the CDN: uploads and bot files
        self.cdn_requests: list[RecordedRequest] = []  # GETs of the CDN, answered or refused

        self._interactions_by_token: dict[str, SentInteraction] = {}
        self._sessions: dict[str, _Session] = {}
        self._shard_sessions: dict[int, _Session] = {}  # current session per shard
        self._expected_shards: int | None = None
        self._connections: set[_Connection] = set()
        self._failures: list[_InjectedFailure] = []
        self._message_cursors: dict[int, int] = {}
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self._port = 0

    def _new_bot_role(self) -> FakeRole:
        return FakeRole(
            name=self.bot_user.username,
            permissions=self.bot_permissions,
            managed=True,
            bot_id=self.bot_user.id,
            position=1,
        )

    async def add_guild(self, guild: FakeGuild) -> None:
        """Add a guild at runtime; if its shard is connected it gets GUILD_CREATE (a bot join)."""
        self.guilds[guild.id] = guild
        self._bot_roles[guild.id] = self._new_bot_role()
        session = self._shard_sessions.get(self.shard_for_guild(guild.id))
        if session is not None and not session.invalid:
            await self._dispatch(session, "GUILD_CREATE", self._guild_create(guild))

    # ------------------------------------------------------------------ lifecycle / addresses

    async def start(self) -> None:
        """Start listening on 127.0.0.1 (ephemeral port)."""
        app = web.Application(middlewares=[self._middleware], client_max_size=64 * 1024 * 1024)
        self._add_routes(app)
        self._runner = web.AppRunner(app, shutdown_timeout=2.0, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)  # loopback only, never another address
        await site.start()
        self._port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        """Close every gateway connection and stop the server."""
        for conn in list(self._connections):
            try:
                await asyncio.wait_for(conn.close(WSCloseCode.GOING_AWAY, "fake shutting down"), 1)
            except (TimeoutError, ConnectionError, RuntimeError):
                conn.abort()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeDiscord:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    @property
    def port(self) -> int:
        return self._port

    @property
    def api_base(self) -> str:
        """REST base for ``configure_endpoints``, e.g. ``http://127.0.0.1:PORT/api/v10``."""
        return f"http://127.0.0.1:{self._port}{API_PREFIX}"

    @property
    def gateway_url(self) -> str:
        """Gateway URL for ``configure_endpoints``, e.g. ``ws://127.0.0.1:PORT/gateway``."""
        return f"ws://127.0.0.1:{self._port}/gateway"

    @property
    def cdn_base(self) -> str:
        """Where the fake serves attachments (the bot's DISCORD_CDN_BASE), without a slash."""
        return f"http://127.0.0.1:{self._port}{CDN_PREFIX}"

    # ------------------------------------------------------------------ attachments (the CDN)

    def upload(self, filename: str, data: bytes, **kwargs: Any) -> FakeAttachment:
        """A file a user attaches to a command: its bytes go on the CDN; pass
        ``attachment.option(name)`` among a command's options and the fake resolves it."""
        attachment = FakeAttachment(filename, data, **kwargs)
        self.attachments[attachment.id] = attachment
        return attachment

    def attachment_data(self, attachment: Mapping[str, Any]) -> bytes:
        """The bytes of an attachment object of a message the bot sent (or of an upload)."""
        return self.attachments[int(attachment["id"])].data

    def cdn_downloads(self, attachment: FakeAttachment | None = None) -> list[RecordedRequest]:
        """CDN requests the fake answered with the file (of one attachment, or of any)."""
        return [
            r
            for r in self.cdn_requests
            if r.status == 200 and (attachment is None or r.path == attachment.path)
        ]

    # ------------------------------------------------------------------ waiting

    def _notify(self) -> None:
        # Wake every waiter; they re-check their predicate (a broadcast that needs no lock).
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait_until(
        self, predicate: Callable[[], _T | None], timeout: float = 10.0, what: str = "condition"
    ) -> _T:
        """Wait until ``predicate()`` is truthy (re-checked on every fake state change)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            result = predicate()
            if result:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(
                    f"timed out after {timeout}s waiting for {what}; {self.summary()}"
                )
            # Woken by any fake state change; the 50 ms cap only matters for predicates over
            # state the fake cannot see (e.g. the bot's own attributes).
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.05))

    async def wait_ready(self, shard_id: int | None = None, timeout: float = 10.0) -> None:
        """Wait until the shard (or every shard the client identified for) has a live session
        that got READY and all its GUILD_CREATEs. The client may still be in its
        ``guild_ready_timeout`` delay: use ``client.wait_until_ready()`` for on_ready."""

        def ready() -> bool:
            if shard_id is not None:
                return self._shard_ready(shard_id)
            count = self._expected_shards
            return count is not None and all(self._shard_ready(s) for s in range(count))

        await self.wait_until(
            ready, timeout, f"shard {shard_id if shard_id is not None else '*'} ready"
        )

    def _shard_ready(self, shard_id: int) -> bool:
        session = self._shard_sessions.get(shard_id)
        return session is not None and session.ready and session.live

    def summary(self) -> str:
        """One-line description of the fake's state, for failure messages."""
        shards = {s: ("live" if v.live else "down") for s, v in self._shard_sessions.items()}
        return (
            f"shards={shards} identifies={self.identify_count} resumes={self.resume_count} "
            f"requests={[f'{r.method} {r.path} {r.status}' for r in self.requests[-8:]]} "
            f"rejections={[str(r) for r in self.rejections]} unknown_routes={self.unknown_routes}"
        )

    def assert_clean(self) -> None:
        """Fail if the fake refused anything or saw a route it does not know."""
        problems = [str(r) for r in self.rejections] + [f"unknown {u}" for u in self.unknown_routes]
        if problems:
            raise AssertionError("fake Discord saw problems:\n  " + "\n  ".join(problems))

    # ------------------------------------------------------------------ fault injection

    def fail_next_request(
        self,
        method: str,
        path_pattern: str,
        status: int = 500,
        *,
        retry_after: float = 0.2,
        count: int = 1,
    ) -> None:
        """Answer the next ``count`` REST requests whose method matches and whose path (after
        /api/v10) matches the regex ``path_pattern`` with ``status`` (429 carries Discord's
        rate-limit body and headers, so discord.py sleeps ``retry_after`` and retries)."""
        self._failures.append(
            _InjectedFailure(method.upper(), re.compile(path_pattern), status, retry_after, count)
        )

    def fail_next_callback(
        self, status: int = 429, retry_after: float = 0.2, count: int = 1
    ) -> None:
        """Fail the next interaction callback POST(s): 404 = "Unknown interaction", 429 = rate
        limited (discord.py retries after ``retry_after``), 5xx = server error."""
        self.fail_next_request(
            "POST",
            r"^/interactions/\d+/[^/]+/callback$",
            status,
            retry_after=retry_after,
            count=count,
        )

    async def drop_connection(self, shard_id: int = 0, code: int | None = None) -> None:
        """Kill the shard's gateway socket: abruptly (TCP abort, like a network failure) or, with
        ``code``, with a close frame (4000 = Discord's "unknown error, reconnect")."""
        session = self._require_session(shard_id)
        async with session.lock:  # not in the middle of a dispatch
            conn = session.conn
            session.conn = None
        if conn is None:
            return
        if code is None:
            conn.abort()
        else:
            await conn.close(code, "fake dropped the connection")
        self._notify()

    async def send_reconnect(self, shard_id: int = 0) -> None:
        """Send op 7 RECONNECT: the client should close and RESUME."""
        session = self._require_session(shard_id)
        async with session.lock:
            conn = session.conn
            session.conn = None  # further events are buffered for the resume
        if conn is not None:
            await conn.send({"op": 7, "d": None, "s": None, "t": None})
        self._notify()

    async def send_invalid_session(self, shard_id: int = 0, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION; when not resumable the session is also forgotten, so the
        client must IDENTIFY again (a RESUME attempt gets another op 9)."""
        session = self._require_session(shard_id)
        async with session.lock:
            conn = session.conn
            if not resumable:
                session.invalid = True
            session.conn = None
        if conn is not None:
            await conn.send({"op": 9, "d": resumable, "s": None, "t": None})
        self._notify()

    def _require_session(self, shard_id: int) -> _Session:
        session = self._shard_sessions.get(shard_id)
        if session is None:
            raise RuntimeError(f"shard {shard_id} never identified; {self.summary()}")
        return session

    # ------------------------------------------------------------------ dispatching events

    def shard_for_guild(self, guild_id: int) -> int:
        """The shard that owns a guild, for the shard count the client identified with."""
        return _shard_for(guild_id, self._expected_shards or 1)

    async def dispatch(self, shard_id: int, event: str, data: JSON) -> None:
        """Dispatch an arbitrary gateway event (op 0) on a shard's session. While the shard is
        disconnected the event is kept in the backlog and replayed when the client resumes."""
        await self._dispatch(self._require_session(shard_id), event, data)

    async def _dispatch(self, session: _Session, event: str, data: JSON) -> None:
        async with session.lock:
            await self._emit(session, event, data)
        self._notify()

    @staticmethod
    async def _emit(session: _Session, event: str, data: JSON) -> None:
        """Number, keep (for RESUME replay) and send one event; the caller holds session.lock."""
        session.seq += 1
        payload: JSON = {"op": 0, "t": event, "s": session.seq, "d": data}
        session.backlog.append(payload)
        conn = session.conn
        if conn is not None and not conn.closed:
            try:
                await conn.send(payload)
            except (ConnectionError, RuntimeError):
                # The client will resume and get it from the backlog.
                session.conn = None

    async def send_interaction(
        self,
        interaction_type: int = InteractionType.APPLICATION_COMMAND,
        *,
        name: str | None = None,
        options: Sequence[Mapping[str, Any]] = (),
        command_id: int | None = None,
        command_type: int = 1,
        command_guild_id: int | None = None,
        target_id: int | None = None,
        resolved: Mapping[str, Any] | None = None,
        custom_id: str | None = None,
        component_type: int = 2,
        values: Sequence[str] | None = None,
        components: Sequence[Mapping[str, Any]] | None = None,
        message: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        user_id: int | None = None,
        roles: Sequence[int] | None = None,
        permissions: int | None = None,
        app_permissions: int | None = None,
        locale: str = "en-US",
        dm: bool = False,
        dispatch: bool = True,
    ) -> SentInteraction:
        """Build an INTERACTION_CREATE like Discord's and dispatch it to the owning shard.

        * type 2 (command) / 4 (autocomplete): ``name`` + ``options`` in wire format, e.g.
          ``[{"name": "q", "type": 3, "value": "ab", "focused": True}]``. ``command_id``
          defaults to the id the fake assigned at sync; ``command_guild_id`` defaults to the
          guild when the command was synced to that guild (discord.py's tree needs it to find
          guild commands), else the command is treated as global.
        * type 3 (component): ``custom_id``, ``component_type``, ``values``; ``message`` defaults
          to the newest bot message carrying that custom_id (so the bot's View matches it).
        * type 5 (modal submit): ``custom_id`` + ``components`` (the submitted rows).
        * ``data`` replaces the generated ``data`` object entirely.
        * ``dispatch=False`` only registers it (for tests that call the REST API themselves).
        * The member defaults to the guild's first regular member; ``permissions`` defaults to
          what their roles grant; ``app_permissions`` to the bot's role permissions.
        """
        if dm:
            guild = None
        elif guild_id is not None:
            guild = self.guilds[guild_id]
        elif self.guilds:
            guild = next(iter(self.guilds.values()))
        else:
            raise ValueError("no guild: pass dm=True or give FakeDiscord a guild")

        user = self._pick_user(guild, user_id)
        iid = make_snowflake()
        token = f"aW50ZXJhY3Rpb246{iid}:{secrets.token_urlsafe(48)}"
        payload: JSON = {
            "id": str(iid),
            "application_id": str(self.application_id),
            "type": interaction_type,
            "token": token,
            "version": 1,
            "locale": locale,
            "entitlements": [],
            "entitlement_sku_ids": [],
            "attachment_size_limit": 10 * 1024 * 1024,
        }
        if interaction_type != InteractionType.PING:
            payload["data"] = (
                dict(data)
                if data is not None
                else self._interaction_data(
                    interaction_type,
                    guild,
                    name=name,
                    options=options,
                    command_id=command_id,
                    command_type=command_type,
                    command_guild_id=command_guild_id,
                    target_id=target_id,
                    resolved=resolved,
                    custom_id=custom_id,
                    component_type=component_type,
                    values=values,
                    components=components,
                )
            )

        if guild is None:
            channel_id = channel_id if channel_id is not None else make_snowflake()
            payload["channel_id"] = str(channel_id)
            payload["channel"] = {
                "id": str(channel_id),
                "type": 1,
                "last_message_id": None,
                "flags": 0,
                "recipients": [user.to_json()],
            }
            payload["user"] = user.to_json()
            payload["context"] = 1  # bot DM
            payload["authorizing_integration_owners"] = {"0": "0"}
            payload["app_permissions"] = str(
                app_permissions if app_permissions is not None else self.bot_permissions
            )
        else:
            channel = self._guild_channel(guild, channel_id)
            member = self._member_of(guild, user.id) or FakeMember(user)
            member_json = member.to_json()
            if roles is not None:
                member_json["roles"] = [str(r) for r in roles]
            role_ids = [int(r) for r in member_json["roles"]]
            perms = (
                permissions
                if permissions is not None
                else self._permissions(guild, user.id, role_ids)
            )
            member_json["permissions"] = str(perms)
            app_perms = (
                app_permissions if app_permissions is not None else self._bot_permissions(guild)
            )
            resolved_channels = payload.get("data", {}).get("resolved", {}).get("channels", {})
            for resolved_channel in resolved_channels.values():
                if resolved_channel.get("permissions") is None:
                    resolved_channel["permissions"] = str(perms)  # no overwrites in the fake
            payload.update(
                guild_id=str(guild.id),
                guild={"id": str(guild.id), "locale": guild.preferred_locale, "features": []},
                guild_locale=guild.preferred_locale,
                channel_id=str(channel.id),
                channel={**channel.to_json(guild.id), "permissions": str(perms)},
                member=member_json,
                app_permissions=str(app_perms),
                context=0,
                authorizing_integration_owners={"0": str(guild.id)},
            )

        source_id: int | None = None
        if interaction_type in (InteractionType.MESSAGE_COMPONENT, InteractionType.MODAL_SUBMIT):
            msg = (
                dict(message)
                if message is not None
                else self._find_component_message(
                    custom_id, int(payload["channel_id"]), guild, required=interaction_type == 3
                )
            )
            if msg is not None:
                payload["message"] = msg
                source_id = int(msg["id"])

        sent = SentInteraction(
            id=iid,
            token=token,
            type=interaction_type,
            guild_id=guild.id if guild else None,
            channel_id=int(payload["channel_id"]),
            payload=payload,
            created_at=time.monotonic(),
            source_message_id=source_id,
        )
        self.interactions[iid] = sent
        self._interactions_by_token[token] = sent
        if not dispatch:
            return sent
        shard = 0 if guild is None else self.shard_for_guild(guild.id)
        await self._dispatch(self._require_session(shard), "INTERACTION_CREATE", payload)
        return sent

    async def send_command(
        self, name: str, options: Sequence[Mapping[str, Any]] = (), **kwargs: Any
    ) -> SentInteraction:
        """Shorthand for ``send_interaction(2, name=..., options=...)``."""
        return await self.send_interaction(
            InteractionType.APPLICATION_COMMAND, name=name, options=options, **kwargs
        )

    async def send_autocomplete(
        self, name: str, options: Sequence[Mapping[str, Any]], **kwargs: Any
    ) -> SentInteraction:
        """Shorthand for type 4; mark the option being typed with ``"focused": True``."""
        return await self.send_interaction(
            InteractionType.AUTOCOMPLETE, name=name, options=options, **kwargs
        )

    async def send_component(self, custom_id: str, **kwargs: Any) -> SentInteraction:
        """Shorthand for a type-3 click/select (see ``send_interaction``)."""
        return await self.send_interaction(
            InteractionType.MESSAGE_COMPONENT, custom_id=custom_id, **kwargs
        )

    async def send_message_create(
        self,
        content: str,
        author_id: int | None = None,
        guild_id: int | None = None,
        channel_id: int | None = None,
        mentions: Sequence[int] | None = None,
        *,
        reference_message_id: int | None = None,
    ) -> JSON | None:
        """Dispatch a MESSAGE_CREATE from a user (e.g. ``f"<@{fake.bot_user.id}> hi"``).

        ``mentions`` defaults to the ``<@id>`` mentions found in ``content``. Like Discord, the
        event is only delivered when the bot identified with GUILD_MESSAGES (returns None
        otherwise), and without MESSAGE_CONTENT the content/embeds are blanked unless the bot is
        mentioned. Returns the dispatched message object.
        """
        guild = self.guilds[guild_id] if guild_id is not None else next(iter(self.guilds.values()))
        channel = self._guild_channel(guild, channel_id)
        author = self._pick_user(guild, author_id)
        member = self._member_of(guild, author.id) or FakeMember(author)
        mention_ids = (
            list(mentions)
            if mentions is not None
            else [int(m) for m in _USER_MENTION_RE.findall(content)]
        )
        mention_objs = []
        for uid in mention_ids:
            m = self._member_of(guild, uid)
            user = m.user if m else self._known_user(uid)
            obj = user.to_json()
            if m is not None:
                obj["member"] = m.to_json(with_user=False)
            mention_objs.append(obj)
        mid = make_snowflake()
        msg: JSON = {
            "id": str(mid),
            "channel_id": str(channel.id),
            "guild_id": str(guild.id),
            "author": author.to_json(),
            "member": member.to_json(with_user=False),
            "content": content,
            "timestamp": _snowflake_time(mid),
            "edited_timestamp": None,
            "tts": False,
            "mention_everyone": "@everyone" in content,
            "mentions": mention_objs,
            "mention_roles": _ROLE_MENTION_RE.findall(content),
            "attachments": [],
            "embeds": [],
            "components": [],
            "pinned": False,
            "type": 0,
            "flags": 0,
            "nonce": str(make_snowflake()),
        }
        if reference_message_id is not None:
            msg["type"] = 19
            msg["message_reference"] = {
                "type": 0,
                "message_id": str(reference_message_id),
                "channel_id": str(channel.id),
                "guild_id": str(guild.id),
            }
            msg["referenced_message"] = self.messages.get(reference_message_id)
        self.messages[mid] = msg
        session = self._require_session(self.shard_for_guild(guild.id))
        if not session.intents & Intents.GUILD_MESSAGES:
            _log.warning("MESSAGE_CREATE not delivered: bot lacks the GUILD_MESSAGES intent")
            return None
        delivered = copy.deepcopy(msg)
        if not session.intents & Intents.MESSAGE_CONTENT and self.bot_user.id not in mention_ids:
            delivered.update(content="", embeds=[], attachments=[], components=[])
        await self._dispatch(session, "MESSAGE_CREATE", delivered)
        return delivered

    # ------------------------------------------------------------------ inspecting results

    def _interaction(self, interaction: SentInteraction | int | str) -> SentInteraction:
        if isinstance(interaction, SentInteraction):
            return interaction
        if isinstance(interaction, str) and interaction in self._interactions_by_token:
            return self._interactions_by_token[interaction]
        return self.interactions[int(interaction)]

    async def wait_callback(
        self, interaction: SentInteraction | int | str, timeout: float = 10.0
    ) -> JSON:
        """The first accepted callback body for an interaction: ``{"type": N, "data": {...}}``."""
        sent = self._interaction(interaction)
        return await self.wait_until(
            lambda: sent.callbacks[0] if sent.callbacks else None,
            timeout,
            f"callback for interaction {sent.id}",
        )

    def original_response(self, interaction: SentInteraction | int | str) -> JSON | None:
        """The @original message as it stands now (after any edits), or None."""
        sent = self._interaction(interaction)
        if sent.original_message_id is None:
            return None
        return self.messages.get(sent.original_message_id)

    async def wait_original_edit(
        self, interaction: SentInteraction | int | str, count: int = 1, timeout: float = 10.0
    ) -> JSON:
        """Wait until @original has been PATCHed ``count`` times (e.g. after a defer); returns
        the current message."""
        sent = self._interaction(interaction)

        def edited() -> JSON | None:
            mid = sent.original_message_id
            if mid is None or len(self.message_edits.get(mid, [])) < count:
                return None
            return self.messages.get(mid)

        return await self.wait_until(edited, timeout, f"@original edit of interaction {sent.id}")

    def followups(self, interaction: SentInteraction | int | str) -> list[JSON]:
        """Follow-up messages sent with the interaction's token (current state, in order)."""
        sent = self._interaction(interaction)
        return [self.messages[m] for m in sent.followup_ids if m in self.messages]

    async def wait_followups(
        self, interaction: SentInteraction | int | str, count: int = 1, timeout: float = 10.0
    ) -> list[JSON]:
        """Wait until at least ``count`` follow-ups exist; returns them all."""
        sent = self._interaction(interaction)
        return await self.wait_until(
            lambda: self.followups(sent) if len(sent.followup_ids) >= count else None,
            timeout,
            f"{count} followup(s) of interaction {sent.id}",
        )

    def channel_messages(self, channel_id: int) -> list[JSON]:
        """Messages the bot POSTed to /channels/{channel_id}/messages, in order."""
        return list(self.channel_messages_sent.get(channel_id, []))

    async def wait_message(self, channel_id: int, timeout: float = 10.0) -> JSON:
        """The next bot message in the channel not yet returned by an earlier ``wait_message``."""
        cursor = self._message_cursors.get(channel_id, 0)
        msgs = self.channel_messages_sent
        msg = await self.wait_until(
            lambda: msgs[channel_id][cursor] if len(msgs.get(channel_id, [])) > cursor else None,
            timeout,
            f"a bot message in channel {channel_id}",
        )
        self._message_cursors[channel_id] = cursor + 1
        return msg

    # ------------------------------------------------------------------ model helpers

    def _pick_user(self, guild: FakeGuild | None, user_id: int | None) -> FakeUser:
        if user_id is not None:
            member = self._member_of(guild, user_id) if guild else None
            return member.user if member else self._known_user(user_id)
        if guild is None:
            return FakeUser(username="dm-user")
        return guild.members[0].user if guild.members else guild.owner

    def _known_user(self, user_id: int) -> FakeUser:
        if user_id == self.bot_user.id:
            return self.bot_user
        for guild in self.guilds.values():
            member = self._member_of(guild, user_id)
            if member is not None:
                return member.user
        return FakeUser(id=user_id, username=f"user{user_id}")

    def _member_of(self, guild: FakeGuild | None, user_id: int) -> FakeMember | None:
        if guild is None:
            return None
        return next((m for m in self._all_members(guild) if m.user.id == user_id), None)

    def _all_members(self, guild: FakeGuild) -> list[FakeMember]:
        bot = FakeMember(self.bot_user, roles=[self._bot_roles[guild.id].id])
        owner = (
            []
            if any(m.user.id == guild.owner.id for m in guild.members)
            else [FakeMember(guild.owner)]
        )
        return [*owner, *guild.members, bot]

    def _all_roles(self, guild: FakeGuild) -> list[FakeRole]:
        everyone = FakeRole(
            id=guild.id, name="@everyone", permissions=guild.everyone_permissions, position=0
        )
        return [everyone, *guild.roles, self._bot_roles[guild.id]]

    def _permissions(self, guild: FakeGuild, user_id: int, role_ids: Iterable[int]) -> int:
        if user_id == guild.owner.id:
            return ALL_PERMISSIONS
        wanted = {guild.id, *role_ids}
        perms = 0
        for role in self._all_roles(guild):
            if role.id in wanted:
                perms |= role.permissions
        return ALL_PERMISSIONS if perms & ADMINISTRATOR else perms

    def _bot_permissions(self, guild: FakeGuild) -> int:
        return self._permissions(guild, self.bot_user.id, [self._bot_roles[guild.id].id])

    def _guild_channel(self, guild: FakeGuild, channel_id: int | None) -> FakeChannel:
        if channel_id is None:
            return guild.text_channel()
        for channel in guild.channels:
            if channel.id == channel_id:
                return channel
        raise KeyError(f"channel {channel_id} is not in guild {guild.id}")

    def _channel_guild(self, channel_id: int) -> tuple[FakeGuild, FakeChannel] | None:
        for guild in self.guilds.values():
            for channel in guild.channels:
                if channel.id == channel_id:
                    return guild, channel
        return None

    def _guild_json(self, guild: FakeGuild) -> JSON:
        text = guild.text_channel() if guild.channels else None
        return {
            "id": str(guild.id),
            "name": guild.name,
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(guild.owner.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "roles": [r.to_json() for r in self._all_roles(guild)],
            "emojis": [],
            "stickers": [],
            "features": [],
            "mfa_level": 0,
            "application_id": None,
            "system_channel_id": str(text.id) if text else None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "preferred_locale": guild.preferred_locale,
            "nsfw_level": 0,
            "premium_progress_bar_enabled": False,
            "max_members": 500_000,
            "max_video_channel_users": 25,
            "incidents_data": None,
        }

    def _guild_create(self, guild: FakeGuild) -> JSON:
        members = self._all_members(guild)
        return {
            **self._guild_json(guild),
            "joined_at": _snowflake_time(guild.id),
            "large": len(members) >= 250,
            "unavailable": False,
            "lazy": True,
            "member_count": len(members),
            # Real Discord sends the full member list only with GUILD_PRESENCES (else just the
            # bot and voice members); the fake sends them all so guild.owner/get_member work.
            "members": [m.to_json() for m in members],
            "channels": [c.to_json() for c in guild.channels],
            "threads": [],
            "presences": [],
            "voice_states": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
        }

    def _command_scope_lookup(
        self, name: str | None, guild: FakeGuild | None
    ) -> tuple[JSON | None, int | None]:
        if name is None:
            return None, None
        if guild is not None:
            for cmd in self.commands.get(guild.id, []):
                if cmd["name"] == name:
                    return cmd, guild.id
        for cmd in self.commands.get(None, []):
            if cmd["name"] == name:
                return cmd, None
        return None, None

    def _interaction_data(
        self,
        interaction_type: int,
        guild: FakeGuild | None,
        *,
        name: str | None,
        options: Sequence[Mapping[str, Any]],
        command_id: int | None,
        command_type: int,
        command_guild_id: int | None,
        target_id: int | None,
        resolved: Mapping[str, Any] | None,
        custom_id: str | None,
        component_type: int,
        values: Sequence[str] | None,
        components: Sequence[Mapping[str, Any]] | None,
    ) -> JSON:
        if interaction_type in (InteractionType.APPLICATION_COMMAND, InteractionType.AUTOCOMPLETE):
            if name is None:
                raise ValueError("name is required for command/autocomplete interactions")
            registered, scope = self._command_scope_lookup(name, guild)
            data: JSON = {
                "id": str(command_id or (registered and registered["id"]) or make_snowflake()),
                "name": name,
                "type": command_type,
            }
            cmd_guild = command_guild_id if command_guild_id is not None else scope
            if cmd_guild is not None:
                data["guild_id"] = str(cmd_guild)
            if options:
                data["options"] = [dict(o) for o in options]
            found = self._resolve_options(guild, options) if interaction_type == 2 else {}
            for key, value in (resolved or {}).items():
                found[key] = {**found.get(key, {}), **value}  # the test's own objects win
            if found:
                data["resolved"] = found
            if target_id is not None:
                data["target_id"] = str(target_id)
            return data
        if interaction_type == InteractionType.MESSAGE_COMPONENT:
            if custom_id is None:
                raise ValueError("custom_id is required for component interactions")
            data = {"custom_id": custom_id, "component_type": component_type}
            if values is not None:
                data["values"] = list(values)
            if resolved is not None:
                data["resolved"] = dict(resolved)
            return data
        if interaction_type == InteractionType.MODAL_SUBMIT:
            return {"custom_id": custom_id, "components": [dict(c) for c in components or []]}
        raise ValueError(f"unsupported interaction type {interaction_type}")

    def _resolve_options(
        self, guild: FakeGuild | None, options: Iterable[Mapping[str, Any]]
    ) -> JSON:
        """``resolved`` as Discord fills it: the attachments (type 11) and channels (type 7)
        the options name, looked up among the fake's uploads and the guild's channels."""
        found: JSON = {}
        for opt in options:
            kind, value = opt.get("type"), str(opt.get("value"))
            if kind in (1, 2):
                for key, objects in self._resolve_options(guild, opt.get("options") or []).items():
                    found.setdefault(key, {}).update(objects)
            elif kind == 11 and value.isdigit() and int(value) in self.attachments:
                attachment = self.attachments[int(value)]
                found.setdefault("attachments", {})[value] = attachment.to_json()
            elif kind == 7 and guild is not None and value.isdigit():
                channel = next((c for c in guild.channels if c.id == int(value)), None)
                if channel is not None:
                    # "permissions" are the invoking member's there: filled in once known.
                    found.setdefault("channels", {})[value] = {
                        **channel.to_json(guild.id),
                        "permissions": None,
                    }
        return found

    def _find_component_message(
        self, custom_id: str | None, channel_id: int, guild: FakeGuild | None, *, required: bool
    ) -> JSON | None:
        candidates = [
            m
            for m in reversed(self.messages.values())
            if m["author"]["id"] == str(self.bot_user.id)
            and any(
                c.get("custom_id") == custom_id for c in _iter_components(m.get("components") or [])
            )
        ]
        candidates.sort(key=lambda m: m["channel_id"] != str(channel_id))  # same channel first
        if candidates:
            return copy.deepcopy(candidates[0])
        if not required:
            return None
        # Nothing the bot sent carries that custom_id: synthesise a message with such a button
        # (enough for persistent views, which match on custom_id alone).
        mid = make_snowflake()
        button = {"type": 2, "style": 1, "label": "button", "custom_id": custom_id}
        return self._message_json(
            mid,
            channel_id,
            guild.id if guild else None,
            {"content": "", "components": [{"type": 1, "components": [button]}]},
        )

    def _message_json(
        self,
        mid: int,
        channel_id: int,
        guild_id: int | None,
        body: Mapping[str, Any],
        *,
        msg_type: int = 0,
        interaction: SentInteraction | None = None,
        attachments: Sequence[tuple[str, bytes]] = (),
    ) -> JSON:
        """A message object as Discord returns it for something the bot sent."""
        flags = int(body.get("flags") or 0)
        files = [
            self.upload(name, data, content_type=None, channel_id=channel_id, ephemeral=False)
            for name, data in attachments
        ]
        msg: JSON = {
            "id": str(mid),
            "channel_id": str(channel_id),
            "author": self.bot_user.to_json(),
            "content": body.get("content") or "",
            "timestamp": _snowflake_time(mid),
            "edited_timestamp": None,
            "tts": bool(body.get("tts", False)),
            "mention_everyone": False,
            "mentions": [],
            "mention_roles": [],
            "attachments": [f.to_json() for f in files],
            "embeds": [{"type": "rich", **e} for e in body.get("embeds") or []],
            "components": list(body.get("components") or []),
            "pinned": False,
            "type": msg_type,
            "flags": flags,
        }
        if guild_id is not None:
            msg["guild_id"] = str(guild_id)
            if interaction is None:
                guild = self.guilds.get(guild_id)
                member = self._member_of(guild, self.bot_user.id) if guild else None
                if member is not None:
                    msg["member"] = member.to_json(with_user=False)
        if interaction is not None:
            msg["webhook_id"] = str(self.application_id)
            msg["application_id"] = str(self.application_id)
            user = interaction.payload.get("member", {}).get("user") or interaction.payload.get(
                "user"
            )
            msg["interaction_metadata"] = {
                "id": str(interaction.id),
                "type": interaction.type,
                "user": user,
                "authorizing_integration_owners": interaction.payload.get(
                    "authorizing_integration_owners", {}
                ),
            }
        return msg

    async def _echo(self, msg: JSON, event: str) -> None:
        """Deliver the bot's own message back over the gateway, as Discord does."""
        if not self.echo_bot_messages or int(msg.get("flags", 0)) & _MESSAGE_FLAG_EPHEMERAL:
            return
        guild_id = msg.get("guild_id")
        if guild_id is None:
            return
        session = self._shard_sessions.get(self.shard_for_guild(int(guild_id)))
        if session is None or session.invalid or not session.intents & Intents.GUILD_MESSAGES:
            return
        await self._dispatch(session, event, copy.deepcopy(msg))

    # ------------------------------------------------------------------ HTTP plumbing

    def _add_routes(self, app: web.Application) -> None:
        p = API_PREFIX
        r = app.router
        r.add_get("/gateway", self._gateway_handler)
        r.add_route("*", CDN_PREFIX + "/{path:.*}", self._cdn)
        r.add_get(p + "/users/@me", self._get_me)
        r.add_get(p + "/users/{user_id:\\d+}", self._get_user)
        r.add_get(p + "/gateway", self._get_gateway)
        r.add_get(p + "/gateway/bot", self._get_gateway_bot)
        r.add_get(p + "/applications/@me", self._get_application)
        r.add_get(p + "/oauth2/applications/@me", self._get_application)
        cmds = p + "/applications/{app_id}/commands"
        gcmds = p + "/applications/{app_id}/guilds/{guild_id}/commands"
        for base in (cmds, gcmds):
            r.add_get(base, self._get_commands)
            r.add_put(base, self._put_commands)
            r.add_post(base, self._post_command)
            r.add_get(base + "/{command_id:\\d+}", self._get_command)
            r.add_patch(base + "/{command_id:\\d+}", self._patch_command)
            r.add_delete(base + "/{command_id:\\d+}", self._delete_command)
        r.add_get(gcmds + "/permissions", self._get_command_permissions)
        r.add_post(p + "/interactions/{interaction_id}/{token}/callback", self._post_callback)
        hook = p + "/webhooks/{app_id}/{token}"
        r.add_post(hook, self._post_followup)
        r.add_get(hook + "/messages/{message_id}", self._get_webhook_message)
        r.add_patch(hook + "/messages/{message_id}", self._patch_webhook_message)
        r.add_delete(hook + "/messages/{message_id}", self._delete_webhook_message)
        ch = p + "/channels/{channel_id:\\d+}"
        r.add_get(ch, self._get_channel)
        r.add_post(ch + "/messages", self._post_channel_message)
        r.add_get(ch + "/messages/{message_id:\\d+}", self._get_channel_message)
        r.add_patch(ch + "/messages/{message_id:\\d+}", self._patch_channel_message)
        r.add_delete(ch + "/messages/{message_id:\\d+}", self._delete_channel_message)
        r.add_post(ch + "/typing", self._no_content)
        r.add_put(ch + "/messages/{message_id:\\d+}/reactions/{emoji}/@me", self._no_content)
        r.add_delete(ch + "/messages/{message_id:\\d+}/reactions/{emoji}/@me", self._no_content)
        g = p + "/guilds/{guild_id:\\d+}"
        r.add_get(g, self._get_guild)
        r.add_get(g + "/channels", self._get_guild_channels)
        r.add_get(g + "/roles", self._get_guild_roles)
        r.add_get(g + "/members/{user_id:\\d+}", self._get_guild_member)

    @staticmethod
    def _json(
        data: Any, status: int = 200, headers: Mapping[str, str] | None = None
    ) -> web.Response:
        # discord.py only parses a body as JSON when Content-Type is exactly "application/json"
        # (no charset), which is what Discord sends; web.json_response would add a charset.
        resp = web.Response(body=json.dumps(data).encode(), status=status, headers=headers)
        resp.headers["Content-Type"] = "application/json"
        return resp

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Any]
    ) -> web.StreamResponse:
        if request.path == "/gateway":
            return cast(web.StreamResponse, await handler(request))
        if request.path.startswith(CDN_PREFIX + "/"):
            return cast(web.StreamResponse, await handler(request))  # no token, no JSON
        path = (
            request.path[len(API_PREFIX) :] if request.path.startswith(API_PREFIX) else request.path
        )
        body, files = await self._read_body(request)
        request[_BODY] = _Body(body, files)
        record = RecordedRequest(
            request.method, path, dict(request.query), body, [f for f, _ in files]
        )
        self.requests.append(record)
        resp: web.StreamResponse | None
        try:
            resp = self._injected_failure(request.method, path)
            if resp is not None:
                self.injected_failures.append(record)
            else:
                # Only interaction callbacks and token webhooks go without the bot token.
                needs_auth = not path.startswith(("/interactions/", "/webhooks/"))
                if needs_auth and request.headers.get("Authorization") != f"Bot {self.token}":
                    raise _error(401, 0, "401: Unauthorized")
                resp = cast(web.StreamResponse, await handler(request))
        except _DiscordError as exc:
            resp = self._json(exc.body, exc.status)
            if exc.rejection:
                self.rejections.append(Rejection(request.method, path, exc.status, exc.body, body))
                _log.info("fake Discord refused %s %s: %s", request.method, path, exc.body)
        except web.HTTPException as exc:
            if exc.status not in (404, 405):
                raise
            # A route discord.py used that the fake does not implement: make it visible.
            self.unknown_routes.append(f"{request.method} {path}")
            _log.warning("fake Discord: unknown route %s %s", request.method, path)
            resp = self._json({"message": "404: Not Found", "code": 0}, 404)
        record.status = resp.status
        self._notify()
        return resp

    @staticmethod
    async def _read_body(request: web.Request) -> tuple[Any, list[tuple[str, bytes]]]:
        """JSON body, or the ``payload_json`` part of a multipart upload (+ the files)."""
        if not request.can_read_body:
            return None, []
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            files: list[tuple[str, bytes]] = []
            payload: Any = None
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files.append((value.filename, value.file.read()))
                elif key == "payload_json":
                    payload = json.loads(value if isinstance(value, str) else bytes(value).decode())
            return payload, files
        raw = await request.read()
        if not raw:
            return None, []
        try:
            return json.loads(raw), []
        except ValueError:
            raise _error(400, 50109, "The request body contains invalid JSON.") from None

    def _injected_failure(self, method: str, path: str) -> web.Response | None:
        for failure in self._failures:
            if failure.method == method and failure.path.search(path):
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                return self._failure_response(failure, path)
        return None

    def _failure_response(self, failure: _InjectedFailure, path: str) -> web.Response:
        status = failure.status
        if status == 429:
            retry = failure.retry_after
            headers = {
                "Retry-After": str(max(1, math.ceil(retry))),
                "X-RateLimit-Limit": "5",
                "X-RateLimit-Remaining": "0",
                "X-RateLimit-Reset": f"{time.time() + retry:.3f}",
                "X-RateLimit-Reset-After": f"{retry:.3f}",
                "X-RateLimit-Bucket": "fakebucket" + secrets.token_hex(8),
                "X-RateLimit-Scope": "user",
                # discord.py treats a 429 without Via as a Cloudflare ban and does not retry.
                "Via": "1.1 google",
            }
            body = {"message": "You are being rate limited.", "retry_after": retry, "global": False}
            return self._json(body, 429, headers)
        if status == 404 and path.startswith("/interactions/"):
            return self._json({"message": "Unknown interaction", "code": 10062}, 404)
        messages = {400: "400: Bad Request", 403: "Missing Permissions", 404: "404: Not Found"}
        code = 50013 if status == 403 else 0
        return self._json(
            {"message": messages.get(status, f"{status}: Server Error"), "code": code}, status
        )

    async def _cdn(self, request: web.Request) -> web.StreamResponse:
        """Serve an attachment's bytes, as Discord's CDN does: only at its signed URL."""
        path = request.path[len(CDN_PREFIX) :]  # decoded, however the client encoded it
        record = RecordedRequest(request.method, path, dict(request.query), None, [])
        self.cdn_requests.append(record)
        if "Authorization" in request.headers:
            # The CDN needs no token; a bot that sends it leaks it to whatever URL it fetched.
            self.rejections.append(
                Rejection(request.method, CDN_PREFIX + path, 0, {"message": "token sent"}, None)
            )
        match = re.fullmatch(r"/(ephemeral-)?attachments/(\d+)/(\d+)/([^/]+)", path)
        attachment = self.attachments.get(int(match[3])) if match else None
        signed = attachment is not None and request.query.get("hm") == attachment.signature
        resp: web.StreamResponse
        if request.method != "GET" or attachment is None or path != attachment.path or not signed:
            resp = web.Response(status=404, text="This content is no longer available.")
        else:
            if attachment.delay:
                await asyncio.sleep(attachment.delay)
            kind = (attachment.content_type or "application/octet-stream").split(";")[0]
            if attachment.chunked:
                stream = web.StreamResponse(headers={"Content-Type": kind})
                stream.enable_chunked_encoding()
                await stream.prepare(request)
                with contextlib.suppress(ConnectionError):  # the client may stop reading
                    for start in range(0, len(attachment.data), 16 * 1024):
                        await stream.write(attachment.data[start : start + 16 * 1024])
                    await stream.write_eof()
                record.status = stream.status
                self._notify()
                return stream
            resp = web.Response(body=attachment.data, content_type=kind)
        record.status = resp.status
        self._notify()
        return resp

    async def _no_content(self, request: web.Request) -> web.Response:
        return web.Response(status=204)

    # ------------------------------------------------------------------ REST: users, gateway, app

    async def _get_me(self, request: web.Request) -> web.Response:
        return self._json(
            {
                **self.bot_user.to_json(),
                "verified": True,
                "mfa_enabled": True,
                "locale": "en-US",
                "email": None,
                "bio": "",
            }
        )

    async def _get_user(self, request: web.Request) -> web.Response:
        return self._json(self._known_user(int(request.match_info["user_id"])).to_json())

    async def _get_gateway(self, request: web.Request) -> web.Response:
        return self._json({"url": self.gateway_url})

    async def _get_gateway_bot(self, request: web.Request) -> web.Response:
        return self._json(
            {
                "url": self.gateway_url,
                "shards": self.recommended_shards,
                "session_start_limit": {
                    "total": 1000,
                    "remaining": max(0, 1000 - self.identify_count),
                    "reset_after": 14_400_000,
                    "max_concurrency": self.max_concurrency,
                },
            }
        )

    async def _get_application(self, request: web.Request) -> web.Response:
        return self._json(
            {
                "id": str(self.application_id),
                "name": self.bot_user.username,
                "icon": None,
                "description": "",
                "summary": "",
                "type": None,
                "hook": True,
                "bot_public": True,
                "bot_require_code_grant": False,
                "verify_key": "0" * 64,
                "flags": self.application_flags,
                "owner": self.owner_user.to_json(),
                "team": None,
                "bot": self.bot_user.to_json(),
                "tags": [],
                "approximate_guild_count": len(self.guilds),
                "interactions_endpoint_url": None,
                "redirect_uris": [],
                "install_params": None,
                "integration_types_config": {"0": {}},
                "is_monetized": False,
            }
        )

    # ------------------------------------------------------------------ REST: application commands

    def _command_scope(self, request: web.Request) -> int | None:
        if request.match_info["app_id"] != str(self.application_id):
            raise _error(403, 50001, "Missing Access")
        raw = request.match_info.get("guild_id")
        if raw is None:
            return None
        if not raw.isdigit() or int(raw) not in self.guilds:
            raise _error(403, 50001, "Missing Access")
        return int(raw)

    def _stored_command(
        self, scope: int | None, body: Mapping[str, Any], existing: Mapping[tuple[str, int], JSON]
    ) -> JSON:
        ctype = int(body.get("type", 1))
        old = existing.get((str(body.get("name")), ctype))
        cmd: JSON = {
            "id": old["id"] if old else str(make_snowflake()),
            "application_id": str(self.application_id),
            "version": str(make_snowflake()),
            "type": ctype,
            "name": body.get("name"),
            "name_localizations": body.get("name_localizations"),
            "description": body.get("description", ""),
            "description_localizations": body.get("description_localizations"),
            "options": copy.deepcopy(body.get("options") or []),
            "default_member_permissions": body.get("default_member_permissions"),
            "dm_permission": body.get("dm_permission", True),
            "contexts": body.get("contexts"),
            "integration_types": body.get("integration_types", [0]),
            "nsfw": bool(body.get("nsfw", False)),
        }
        if scope is not None:
            cmd["guild_id"] = str(scope)
        return cmd

    async def _get_commands(self, request: web.Request) -> web.Response:
        return self._json(self.commands.get(self._command_scope(request), []))

    async def _put_commands(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        body = request[_BODY].json
        if not isinstance(body, list):
            raise _form_error([((), "BASE_TYPE_ARRAY", "Must be an array.")])
        errors = _validate_commands(body)
        if errors:
            raise _form_error(errors)
        existing = {(c["name"], c["type"]): c for c in self.commands.get(scope, [])}
        self.commands[scope] = [self._stored_command(scope, c, existing) for c in body]
        self.command_payloads[scope] = copy.deepcopy(body)
        self.command_syncs.append((scope, copy.deepcopy(body)))
        return self._json(self.commands[scope])

    async def _post_command(self, request: web.Request) -> web.Response:
        scope = self._command_scope(request)
        body = request[_BODY].json
        if not isinstance(body, Mapping):
            raise _form_error([((), "MODEL_TYPE_CONVERT", "Only dictionaries may be used")])
        current = self.commands.setdefault(scope, [])
        existing = {(c["name"], c["type"]): c for c in current}
        key = (str(body.get("name")), int(body.get("type", 1)))
        others = [c for c in current if (c["name"], c["type"]) != key]
        errors = _validate_commands([*others, dict(body)])
        if errors:
            raise _form_error(errors)
        cmd = self._stored_command(scope, body, existing)
        self.commands[scope] = [*others, cmd]
        return self._json(cmd, 200 if key in existing else 201)

    def _find_command(self, request: web.Request) -> tuple[int | None, JSON]:
        scope = self._command_scope(request)
        cid = request.match_info["command_id"]
        for cmd in self.commands.get(scope, []):
            if cmd["id"] == cid:
                return scope, cmd
        raise _error(404, 10063, "Unknown application command")

    async def _get_command(self, request: web.Request) -> web.Response:
        return self._json(self._find_command(request)[1])

    async def _patch_command(self, request: web.Request) -> web.Response:
        scope, cmd = self._find_command(request)
        merged = {**cmd, **(request[_BODY].json or {})}
        others = [c for c in self.commands[scope] if c is not cmd]
        errors = _validate_commands([*others, merged])
        if errors:
            raise _form_error(errors)
        cmd.update(self._stored_command(scope, merged, {(cmd["name"], cmd["type"]): cmd}))
        return self._json(cmd)

    async def _delete_command(self, request: web.Request) -> web.Response:
        scope, cmd = self._find_command(request)
        self.commands[scope].remove(cmd)
        return web.Response(status=204)

    async def _get_command_permissions(self, request: web.Request) -> web.Response:
        self._command_scope(request)
        return self._json([])

    # ------------------------------------------------------------------ REST: interactions

    async def _post_callback(self, request: web.Request) -> web.Response:
        raw_id = request.match_info["interaction_id"]
        sent = self.interactions.get(int(raw_id)) if raw_id.isdigit() else None
        if sent is None or sent.token != request.match_info["token"]:
            raise _error(404, 10062, "Unknown interaction")
        age = time.monotonic() - sent.created_at
        if (
            self.interaction_timeout is not None
            and not sent.acknowledged
            and age > self.interaction_timeout
        ):
            raise _error(404, 10062, "Unknown interaction")
        if sent.acknowledged:
            raise _error(400, 40060, "Interaction has already been acknowledged.")
        body = request[_BODY].json
        if not isinstance(body, Mapping):
            raise _form_error([(("type",), "BASE_TYPE_REQUIRED", "This field is required")])
        cb_type = body.get("type")
        if cb_type not in _ALLOWED_CALLBACKS.get(sent.type, frozenset()):
            raise _form_error(
                [
                    (
                        ("type",),
                        "INTERACTION_RESPONSE_TYPE_INVALID",
                        f"Invalid response type {cb_type} for interaction type {sent.type}",
                    )
                ]
            )
        data = body.get("data") or {}
        files = request[_BODY].files
        errors: list[_FieldError] = []
        if cb_type in (4, 7):
            errors = [
                (("data", *p), c, m)
                for p, c, m in _validate_message(data, creating=cb_type == 4, has_files=bool(files))
            ]
        elif cb_type == 8:
            _validate_choices(_as_list(data.get("choices")), ("data", "choices"), errors)
        elif cb_type == 9:
            errors = _validate_modal(data)
        if errors:
            raise _form_error(errors)

        sent.callbacks.append(copy.deepcopy(dict(body)))
        flags = int(data.get("flags") or 0)
        resource: JSON | None = None
        response_id: int | None = None
        if cb_type in (4, 5):
            mid = make_snowflake()
            msg_body = (
                dict(data)
                if cb_type == 4
                else {"content": "", "flags": flags | _MESSAGE_FLAG_LOADING}
            )
            msg = self._message_json(
                mid,
                sent.channel_id,
                sent.guild_id,
                msg_body,
                msg_type=20 if sent.type == 2 else 0,
                interaction=sent,
                attachments=files,
            )
            self.messages[mid] = msg
            sent.original_message_id = response_id = mid
            resource = {"type": cb_type, "message": msg}
            await self._echo(msg, "MESSAGE_CREATE")
        elif cb_type in (6, 7) and sent.source_message_id is not None:
            # For components, @original is the message the component is on.
            sent.original_message_id = response_id = sent.source_message_id
            if cb_type == 7:
                msg = self._edit_message(sent.source_message_id, data, files, sent)
                resource = {"type": 7, "message": msg}
                await self._echo(msg, "MESSAGE_UPDATE")
        result: JSON = {
            "interaction": {
                "id": str(sent.id),
                "type": sent.type,
                "response_message_loading": cb_type == 5,
                "response_message_ephemeral": bool(flags & _MESSAGE_FLAG_EPHEMERAL),
            }
        }
        if response_id is not None:
            result["interaction"]["response_message_id"] = str(response_id)
        if resource is not None:
            result["resource"] = resource
        return self._json(result)

    def _edit_message(
        self,
        mid: int,
        body: Mapping[str, Any],
        files: Sequence[tuple[str, bytes]],
        interaction: SentInteraction | None,
    ) -> JSON:
        old = self.messages.get(mid)
        if old is None:
            # A component message the test passed in by hand: adopt it.
            source = interaction.payload.get("message") if interaction else None
            if source is None:
                raise _error(404, 10008, "Unknown Message")
            old = copy.deepcopy(source)
        new = copy.deepcopy(old)
        for key in ("content", "components", "flags", "allowed_mentions"):
            if key in body and body[key] is not None:
                new[key] = body[key]
        if body.get("embeds") is not None:
            new["embeds"] = [{"type": "rich", **e} for e in body["embeds"]]
        if "attachments" in body or files:
            kept = {
                str(a.get("id")) for a in body.get("attachments") or [] if isinstance(a, Mapping)
            }
            new["attachments"] = [a for a in old.get("attachments", []) if a["id"] in kept]
            new["attachments"] += self._message_json(
                mid, int(old["channel_id"]), None, {}, attachments=files
            )["attachments"]
        new["flags"] = int(new.get("flags") or 0) & ~_MESSAGE_FLAG_LOADING
        if _message_is_empty(new, has_files=bool(new.get("attachments"))):
            raise _error(400, 50006, "Cannot send an empty message")
        new["edited_timestamp"] = _iso(time.time() * 1000)
        self.messages[mid] = new
        self.message_edits.setdefault(mid, []).append(copy.deepcopy(dict(body)))
        return new

    def _webhook_interaction(self, request: web.Request) -> SentInteraction:
        sent = self._interactions_by_token.get(request.match_info["token"])
        if request.match_info["app_id"] != str(self.application_id) or sent is None:
            raise _error(404, 10015, "Unknown Webhook")
        return sent

    def _webhook_message_id(self, request: web.Request, sent: SentInteraction) -> int:
        raw = request.match_info["message_id"]
        if raw == "@original":
            if sent.original_message_id is None:
                raise _error(404, 10008, "Unknown Message")
            return sent.original_message_id
        if not raw.isdigit() or int(raw) not in (sent.original_message_id, *sent.followup_ids):
            raise _error(404, 10008, "Unknown Message")
        return int(raw)

    async def _post_followup(self, request: web.Request) -> web.Response:
        sent = self._webhook_interaction(request)
        if not sent.acknowledged:
            # Follow-ups only work once the interaction got its initial response.
            raise _error(404, 10015, "Unknown Webhook")
        body = request[_BODY].json or {}
        errors = _validate_message(body, creating=True, has_files=bool(request[_BODY].files))
        if errors:
            raise _form_error(errors)
        mid = make_snowflake()
        msg = self._message_json(
            mid,
            sent.channel_id,
            sent.guild_id,
            body,
            msg_type=20 if sent.type == 2 else 0,
            interaction=sent,
            attachments=request[_BODY].files,
        )
        self.messages[mid] = msg
        sent.followup_ids.append(mid)
        await self._echo(msg, "MESSAGE_CREATE")
        if request.query.get("wait") in ("1", "true", "True"):
            return self._json(msg)
        return web.Response(status=204)

    async def _get_webhook_message(self, request: web.Request) -> web.Response:
        sent = self._webhook_interaction(request)
        mid = self._webhook_message_id(request, sent)
        if mid not in self.messages:
            raise _error(404, 10008, "Unknown Message")
        return self._json(self.messages[mid])

    async def _patch_webhook_message(self, request: web.Request) -> web.Response:
        sent = self._webhook_interaction(request)
        mid = self._webhook_message_id(request, sent)
        body = request[_BODY].json or {}
        errors = _validate_message(body, creating=False)
        if errors:
            raise _form_error(errors)
        msg = self._edit_message(mid, body, request[_BODY].files, sent)
        await self._echo(msg, "MESSAGE_UPDATE")
        return self._json(msg)

    async def _delete_webhook_message(self, request: web.Request) -> web.Response:
        sent = self._webhook_interaction(request)
        mid = self._webhook_message_id(request, sent)
        if self.messages.pop(mid, None) is None:
            raise _error(404, 10008, "Unknown Message")
        self.deleted_message_ids.append(mid)
        return web.Response(status=204)

    # ------------------------------------------------------------------ REST: channels & guilds

    def _channel(self, request: web.Request) -> tuple[FakeGuild, FakeChannel]:
        found = self._channel_guild(int(request.match_info["channel_id"]))
        if found is None:
            raise _error(404, 10003, "Unknown Channel")
        return found

    async def _get_channel(self, request: web.Request) -> web.Response:
        guild, channel = self._channel(request)
        return self._json(channel.to_json(guild.id))

    async def _post_channel_message(self, request: web.Request) -> web.Response:
        guild, channel = self._channel(request)
        body = request[_BODY].json or {}
        files = request[_BODY].files
        errors = _validate_message(body, creating=True, has_files=bool(files))
        ref = body.get("message_reference")
        referenced: JSON | None = None
        if isinstance(ref, Mapping) and ref.get("message_id") is not None:
            referenced = self.messages.get(int(ref["message_id"]))
            if referenced is None and ref.get("fail_if_not_exists", True):
                errors.append(
                    (("message_reference",), "MESSAGE_REFERENCE_UNKNOWN_MESSAGE", "Unknown message")
                )
        if errors:
            raise _form_error(errors)
        mid = make_snowflake()
        msg = self._message_json(
            mid, channel.id, guild.id, body, msg_type=19 if referenced else 0, attachments=files
        )
        if referenced is not None:
            msg["message_reference"] = {
                "type": 0,
                "message_id": referenced["id"],
                "channel_id": referenced["channel_id"],
                "guild_id": str(guild.id),
            }
            msg["referenced_message"] = referenced
        if "nonce" in body:
            msg["nonce"] = body["nonce"]
        self.messages[mid] = msg
        self.channel_messages_sent.setdefault(channel.id, []).append(msg)
        await self._echo(msg, "MESSAGE_CREATE")
        return self._json(msg)

    def _channel_message(self, request: web.Request) -> tuple[FakeGuild, JSON]:
        guild, channel = self._channel(request)
        msg = self.messages.get(int(request.match_info["message_id"]))
        if msg is None or msg["channel_id"] != str(channel.id):
            raise _error(404, 10008, "Unknown Message")
        return guild, msg

    async def _get_channel_message(self, request: web.Request) -> web.Response:
        return self._json(self._channel_message(request)[1])

    async def _patch_channel_message(self, request: web.Request) -> web.Response:
        _, msg = self._channel_message(request)
        if msg["author"]["id"] != str(self.bot_user.id):
            raise _error(403, 50005, "Cannot edit a message authored by another user")
        body = request[_BODY].json or {}
        errors = _validate_message(body, creating=False)
        if errors:
            raise _form_error(errors)
        new = self._edit_message(int(msg["id"]), body, request[_BODY].files, None)
        await self._echo(new, "MESSAGE_UPDATE")
        return self._json(new)

    async def _delete_channel_message(self, request: web.Request) -> web.Response:
        _, msg = self._channel_message(request)
        del self.messages[int(msg["id"])]
        self.deleted_message_ids.append(int(msg["id"]))
        return web.Response(status=204)

    def _guild(self, request: web.Request) -> FakeGuild:
        guild = self.guilds.get(int(request.match_info["guild_id"]))
        if guild is None:
            raise _error(404, 10004, "Unknown Guild")
        return guild

    async def _get_guild(self, request: web.Request) -> web.Response:
        return self._json(self._guild_json(self._guild(request)))

    async def _get_guild_channels(self, request: web.Request) -> web.Response:
        guild = self._guild(request)
        return self._json([c.to_json(guild.id) for c in guild.channels])

    async def _get_guild_roles(self, request: web.Request) -> web.Response:
        return self._json([r.to_json() for r in self._all_roles(self._guild(request))])

    async def _get_guild_member(self, request: web.Request) -> web.Response:
        member = self._member_of(self._guild(request), int(request.match_info["user_id"]))
        if member is None:
            raise _error(404, 10007, "Unknown Member")
        return self._json(member.to_json())

    # ------------------------------------------------------------------ gateway

    async def _gateway_handler(self, request: web.Request) -> web.StreamResponse:
        # discord.py connects with ?v=10&encoding=json&compress=zlib-stream (zstd-stream when it
        # can import zstandard). ETF encoding is not supported (discord.py never asks for it).
        self.gateway_queries.append(dict(request.query))
        ws = web.WebSocketResponse(autoping=True, max_msg_size=0)
        transport = request.transport  # kept to be able to drop the TCP connection abruptly
        await ws.prepare(request)
        conn = _Connection(ws, transport, request.query.get("compress"))
        self._connections.add(conn)
        try:
            await conn.send(
                {
                    "op": 10,
                    "d": {
                        "heartbeat_interval": self.heartbeat_interval_ms,
                        "_trace": ["fake-gateway"],
                    },
                    "s": None,
                    "t": None,
                }
            )
            async for msg in ws:
                if msg.type not in (WSMsgType.TEXT, WSMsgType.BINARY):
                    break
                try:
                    frame = json.loads(msg.data)
                except ValueError:
                    await conn.close(4002, "Error while decoding payload.")
                    break
                await self._handle_op(conn, frame)
                if conn.closed:
                    break
        except (ConnectionError, RuntimeError) as exc:
            _log.debug("gateway connection ended: %r", exc)
        finally:
            conn.closed = True
            self._connections.discard(conn)
            session = conn.session
            if session is not None and session.conn is conn:
                session.conn = None
            self._notify()
        return ws

    async def _handle_op(self, conn: _Connection, frame: Mapping[str, Any]) -> None:
        op = frame.get("op")
        d = frame.get("d")
        if op == 1:
            self.heartbeat_count += 1
            if self.ack_heartbeats:
                await conn.send({"op": 11, "d": None, "s": None, "t": None})
        elif op == 2 and isinstance(d, Mapping):
            await self._identify(conn, d)
        elif op == 6 and isinstance(d, Mapping):
            await self._resume(conn, d)
        elif op in (3, 4, 8):
            self.gateway_ops.append(dict(frame))
            if op == 8 and isinstance(d, Mapping):
                await self._request_members(conn, d)
        else:
            await conn.close(4001, "Unknown opcode.")

    async def _identify(self, conn: _Connection, d: Mapping[str, Any]) -> None:
        if conn.session is not None:
            await conn.close(4005, "Already authenticated.")
            return
        if d.get("token") != self.token:
            await conn.close(4004, "Authentication failed.")
            return
        intents = d.get("intents")
        if not isinstance(intents, int):
            await conn.close(4013, "Invalid intent(s).")
            return
        if intents & Intents.PRIVILEGED & ~self.allowed_privileged_intents:
            await conn.close(4014, "Disallowed intent(s).")
            return
        shard = d.get("shard") or [0, 1]
        shard_id, shard_count = int(shard[0]), int(shard[1])
        if not 0 <= shard_id < shard_count:
            await conn.close(4010, "Invalid shard.")
            return
        self.identify_count += 1
        self.identify_payloads.append(dict(d))
        self._expected_shards = shard_count
        session = _Session(secrets.token_hex(16), shard_id, shard_count, intents)
        self._sessions[session.id] = session
        old = self._shard_sessions.get(shard_id)
        if old is not None:
            old.invalid = True
        self._shard_sessions[shard_id] = session
        conn.session = session
        own = [g for g in self.guilds.values() if _shard_for(g.id, shard_count) == shard_id]
        ready: JSON = {
            "v": 10,
            "user": {
                **self.bot_user.to_json(),
                "verified": True,
                "mfa_enabled": True,
                "email": None,
            },
            "guilds": [{"id": str(g.id), "unavailable": True} for g in own],
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self.gateway_url,
            "shard": [shard_id, shard_count],
            "application": {"id": str(self.application_id), "flags": self.application_flags},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["fake"],
            "user_settings": {},
            "auth": {},
            "_trace": ["fake-gateway"],
        }
        # Holding the lock keeps other events (e.g. a test's interaction) out of the handshake.
        async with session.lock:
            session.conn = conn
            await self._emit(session, "READY", ready)
            for guild in own:
                await self._emit(session, "GUILD_CREATE", self._guild_create(guild))
            session.ready = True
        self._notify()

    async def _resume(self, conn: _Connection, d: Mapping[str, Any]) -> None:
        session = self._sessions.get(str(d.get("session_id")))
        seq = d.get("seq")
        if d.get("token") != self.token:
            await conn.close(4004, "Authentication failed.")
            return
        replay: list[JSON] | None = None
        if (
            session is not None
            and not session.invalid
            and self._shard_sessions.get(session.shard_id) is session
        ):
            last = int(seq) if isinstance(seq, int) else 0
            missed = [e for e in session.backlog if e["s"] > last]
            # Resumable only if the backlog still reaches back to the client's sequence.
            if last == session.seq or (missed and missed[0]["s"] == last + 1):
                replay = missed
        if session is None or replay is None:
            await conn.send({"op": 9, "d": False, "s": None, "t": None})
            return
        async with session.lock:
            old = session.conn
            session.conn = conn
            conn.session = session
            if old is not None and old is not conn:
                old.abort()  # Discord drops the zombie connection of a resumed session
            for event in replay:
                await conn.send(event)
            session.seq += 1
            await conn.send({"op": 0, "t": "RESUMED", "s": session.seq, "d": {"_trace": ["fake"]}})
            session.backlog.append({"op": 0, "t": "RESUMED", "s": session.seq, "d": {}})
        self.resume_count += 1
        self._notify()

    async def _request_members(self, conn: _Connection, d: Mapping[str, Any]) -> None:
        session = conn.session
        guild = self.guilds.get(int(d.get("guild_id", 0)))
        if session is None or guild is None:
            return
        members = self._all_members(guild)
        user_ids = d.get("user_ids")
        if user_ids is not None:
            ids = {int(u) for u in (user_ids if isinstance(user_ids, list) else [user_ids])}
            members = [m for m in members if m.user.id in ids]
        elif d.get("query"):
            query = str(d["query"]).lower()
            members = [m for m in members if m.user.username.lower().startswith(query)]
        limit = d.get("limit") or 0
        if limit:
            members = members[:limit]
        chunk: JSON = {
            "guild_id": str(guild.id),
            "members": [m.to_json() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
        }
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        await self._dispatch(session, "GUILD_MEMBERS_CHUNK", chunk)
