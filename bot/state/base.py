"""The state store's one interface, whichever database holds it."""

from __future__ import annotations

import abc
import datetime as dt
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Self

if TYPE_CHECKING:
    from bot.settings import Settings

Action = Literal["add", "replace", "remove", "announce"]


class StateError(Exception):
    """The state database cannot be opened or written; the message says why, never a secret."""


@dataclass(frozen=True)
class AuditEntry:
    """One thing an admin did to the knowledge or a server's settings, and what it changed."""

    actor_id: int | None  # a Discord user id; None for the console (a local user)
    actor: str  # the name shown in /knowledge history
    action: Action
    article: str | None = None  # the article id acted on
    file: str | None = None  # its file name inside the knowledge folder
    guild_id: int | None = None
    version_before: str | None = None
    version_after: str | None = None
    summary: str = ""  # what changed, in a line
    at: str = ""  # an ISO moment in UTC; filled in when recorded
    id: int | None = None  # the log's own number; filled in when recorded

    def values(self) -> tuple[object, ...]:
        """Its fields after ``at``, in the audit table's column order (the same in both backends)."""
        return (
            self.actor_id,
            self.actor,
            self.action,
            self.article,
            self.file,
            self.guild_id,
            self.version_before,
            self.version_after,
            self.summary,
        )


def now() -> str:
    """This moment in UTC, as the log records it."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class StateStore(abc.ABC):
    """Audit log, per-server news channels and the facts announced there; one schema version."""

    @abc.abstractmethod
    async def open(self) -> None:
        """Connect, and create or migrate the schema (never dropping anything)."""

    @abc.abstractmethod
    async def close(self) -> None:
        """Close the connection; safe to call twice."""

    async def __aenter__(self) -> Self:
        await self.open()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.close()

    @abc.abstractmethod
    async def schema_version(self) -> int:
        """The schema version the database is at."""

    @abc.abstractmethod
    async def record(self, entry: AuditEntry) -> AuditEntry:
        """Append ``entry`` to the audit log; the entry as stored (with its id and time)."""

    @abc.abstractmethod
    async def history(self, limit: int = 10, offset: int = 0) -> list[AuditEntry]:
        """The newest audit entries first."""

    @abc.abstractmethod
    async def count_history(self) -> int:
        """How many entries the audit log holds."""

    @abc.abstractmethod
    async def set_news_channel(self, guild_id: int, channel_id: int | None) -> None:
        """Set (or with None, clear) the channel a server's news is announced in."""

    @abc.abstractmethod
    async def news_channels(self, guild_ids: Iterable[int] | None = None) -> dict[int, int]:
        """Server id -> news channel id, for ``guild_ids`` or every server that set one."""

    @abc.abstractmethod
    async def unannounced(self, guild_id: int, fact_ids: Iterable[str]) -> list[str]:
        """Those of ``fact_ids`` (in their order) not yet announced in that server."""

    @abc.abstractmethod
    async def mark_announced(self, guild_id: int, fact_ids: Iterable[str]) -> None:
        """Remember that these facts were announced in that server (again is harmless)."""


@asynccontextmanager
async def open_state(settings: Settings) -> AsyncIterator[StateStore]:
    """The state store the settings name: PostgreSQL with a URL, else a SQLite file."""
    from bot.state.sqlite import SqliteState

    store: StateStore
    if settings.state_database_url is not None:
        from bot.state.postgres import PostgresState

        store = PostgresState(settings.state_database_url.get_secret_value())
    else:
        store = SqliteState(settings.state_database_path)
    async with store:
        yield store
