"""News announcements: the moves a reload brought, posted once to every server's news channel.

Everything here is the answer layer (no Discord): which facts are news, the message that tells
them, which servers still need them (the state store remembers what each was told, across
restarts), and the notice that the files are broken. The Discord side only sends.

Rules: only moves are news, and only moves whose ids a reload *added* (a reworded fact keeps its
id, so it is not news again); the first load into an empty database is not news either (it is
everything); a server is never told of a fact twice, nor of facts that were there before it
chose its channel.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass

from bot import answers
from bot import phrasing as fmt
from bot.knowledge.facts import Move
from bot.models import Answer, Section
from bot.service import ReloadReport, TalentService
from bot.state import AuditEntry

log = logging.getLogger(__name__)

ANNOUNCE_MAX = 10  # moves listed in one announcement; the rest are counted
# Sends an answer to a channel; True once it was delivered (only then is it remembered as told).
Send = Callable[[int, Answer], Awaitable[bool]]


def is_news(report: ReloadReport) -> bool:
    """Whether the facts a reload added are news: not after a failed or a first load."""
    return report.ok and report.previous_version is not None


async def new_moves(
    ctx: answers.Context, report: ReloadReport, also: Iterable[str] = ()
) -> list[str]:
    """The ids of the moves ``report``'s reload added (and ``also``), newest reported first.

    None of the added ones after a first load (see is_news); facts no longer served are skipped.
    Only ids: a `git pull` of thousands of articles is not decoded on the event loop.
    """
    ids = list(dict.fromkeys([*(report.facts.added if is_news(report) else []), *also]))
    return await ctx.reader.ids_of_kind(Move.KIND, ids) if ids else []


async def announcement(ctx: answers.Context, moves: Sequence[str]) -> Answer:
    """One message for the moves ``moves`` names (newest first): the first ANNOUNCE_MAX, cited."""
    shown = await ctx.reader.facts_by_id(moves[:ANNOUNCE_MAX])
    more = len(moves) - len(shown)
    await ctx.cite(shown)
    items = []
    for stored in shown:
        item = answers.item(ctx, stored)
        # The source (title, publisher, address) stays; the quote would crowd ten into one embed.
        citation = item.citation.model_copy(update={"quote": None}) if item.citation else None
        items.append(item.model_copy(update={"citation": citation}))
    title = f"New in the news: {fmt.count(len(moves), 'moves')}"
    return Answer(
        command="announce",
        status="ok",
        title=title,
        message="Newest first." if len(moves) > 1 else None,
        sections=[Section(heading="New moves", items=items)],
        tips=[f"… and {more} more: /latest lists the newest news."] if more else [],
    )


def broken_notice(report: ReloadReport) -> Answer:
    """The one short message a server gets when changed files do not load (the old ones serve)."""
    return Answer(
        command="watch",
        status="invalid",
        title="The knowledge files were changed but do not load",
        message=report.stale_note(),
    )


@dataclass(frozen=True)
class Delivery:
    """What one server was sent: its channel, the answer, and the fact ids it announced."""

    guild_id: int
    channel_id: int
    answer: Answer
    fact_ids: list[str]


class Announcer:
    """Posts each reload's new moves to the news channels of the servers ``guilds()`` names.

    ``guilds`` is this process's servers (a shard process announces only to its own), ``send``
    delivers one answer to one channel. Announcements run one at a time, so no two reloads can
    both tell a server the same fact.
    """

    def __init__(
        self, service: TalentService, guilds: Callable[[], Iterable[int]], send: Send
    ) -> None:
        self.service = service
        self.guilds = guilds
        self.send = send
        self._lock = asyncio.Lock()
        # Moves a send failed for (Discord down, a missing permission): tried again next time.
        self._pending: set[str] = set()

    async def announce(self, report: ReloadReport) -> list[Delivery]:
        """Tell every server with a news channel the new moves it was not told yet."""
        state = self.service.state
        if state is None or not (is_news(report) or self._pending):
            return []
        async with self._lock:
            channels = await state.news_channels(list(self.guilds()))
            if not channels:
                return []
            planned: list[Delivery] = []
            # Read and worded in one read; the sends come after, holding no transaction.
            async with self.service.context() as ctx:
                moves = await new_moves(ctx, report, sorted(self._pending))
                worded: dict[tuple[str, ...], Answer] = {}
                for guild_id, channel_id in sorted(channels.items()):
                    key = tuple(await state.unannounced(guild_id, moves))  # in the moves' order
                    if not key:
                        continue
                    if key not in worded:
                        worded[key] = await announcement(ctx, key)
                    planned.append(Delivery(guild_id, channel_id, worded[key], list(key)))
            delivered = []
            self._pending = set()
            for delivery in planned:
                if await self.send(delivery.channel_id, delivery.answer):
                    await state.mark_announced(delivery.guild_id, delivery.fact_ids)
                    delivered.append(delivery)
                else:
                    self._pending.update(delivery.fact_ids)
            if delivered:
                log.info(
                    "announced %s in %s",
                    fmt.count(len(delivered[0].fact_ids), "moves"),
                    fmt.count(len(delivered), "servers"),
                )
            return delivered

    async def tell_problem(self, report: ReloadReport) -> int:
        """Tell every server with a news channel that the files are broken; how many were told."""
        state = self.service.state
        if state is None:
            return 0
        channels = await state.news_channels(list(self.guilds()))
        notice = broken_notice(report)
        told = 0
        for channel_id in channels.values():
            told += await self.send(channel_id, notice)
        return told


async def use_channel(
    service: TalentService,
    guild_id: int | None,
    channel: object,
    *,
    actor: str,
    actor_id: int | None,
) -> Answer:
    """Set a server's news channel: from now on, new moves are announced there.

    Every move already known counts as told there, so the first announcement is news only.
    """
    if guild_id is None:
        return Answer(
            command="knowledge announce",
            status="invalid",
            title="Only in a server",
            message="News channels belong to servers: run /knowledge announce in one.",
        )
    channel_id = _channel_id(channel)
    if channel_id is None:
        return Answer(
            command="knowledge announce",
            status="invalid",
            title="Not a channel",
            message="Pick a text channel of this server for channel:.",
        )
    state = service.state
    if state is None:
        return Answer(
            command="knowledge announce",
            status="invalid",
            title="Nothing can be saved here",
            message="This bot runs without a state database, so it cannot keep a news channel.",
        )
    async with service.context() as ctx:
        known = await ctx.reader.ids_of_kind(Move.KIND)
        version = await ctx.reader.version()
    await state.mark_announced(guild_id, known)
    await state.set_news_channel(guild_id, channel_id)
    await state.record(
        AuditEntry(
            actor_id=actor_id,
            actor=actor,
            action="announce",
            guild_id=guild_id,
            version_before=version,
            version_after=version,
            summary=f"news channel set to {channel_id}",
        )
    )
    return Answer(
        command="knowledge announce",
        status="ok",
        title="News channel set",
        message=f"New moves will be announced in channel {channel_id}, once each, when a "
        f"reload brings them; the {fmt.count(len(known), 'moves')} known now are not news.",
    )


def _channel_id(value: object) -> int | None:
    """A channel id as the front ends give it: an int (Discord), or digits typed (console)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None
