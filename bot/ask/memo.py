"""Tables every question on one knowledge version reads, worked out once per version.

What every question about one knowledge version reads alike, worked out once per version: the
table of all roles with their title words, and the text of the newest facts of each kind.

Kept in the version's Snapshot (and dropped with it), and only for a known version: a version is
the digest of the knowledge files, so the same version always holds the same facts.
Everything is kept as strings and arrays of numbers: no object the garbage collector walks on
every full collection (tens of thousands of them would pause some answer for tens of ms), and a
few MB at 10,000 articles.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from bot.answers import Context
from bot.ask.words import title_words
from bot.resolve import NameIndex
from bot.store import StoredFact, StoredRole

NO_ENTITY_SCAN = 1000  # newest facts of a kind scanned when the question names nobody
READ_BY_ID = 200  # fewer kept facts than this are read by id, not the whole scan again


@dataclass
class Roles:
    """Every role of a knowledge version, by column, indexed by title word and by person.

    Every role in the store's order, by column, and where each title word and each person's
    roles are among them.
    """

    people: list[str]
    titles: list[str]
    companies: list[str | None]
    current: bytes
    articles: list[str]
    by_title_word: dict[str, array[int]]
    by_person: array[int]  # positions, sorted by person then position
    person_keys: list[str]  # the person of each of those, for bisect

    def __len__(self) -> int:
        return len(self.people)

    def role(self, position: int) -> StoredRole:
        """The role at this position."""
        return StoredRole(
            self.people[position],
            self.titles[position],
            self.companies[position],
            bool(self.current[position]),
            self.articles[position],
        )

    def of(self, person_id: str) -> list[StoredRole]:
        """A person's roles, current ones first, as Reader.roles() gives them."""
        start = bisect.bisect_left(self.person_keys, person_id)
        stop = bisect.bisect_right(self.person_keys, person_id, start)
        return [self.role(position) for position in self.by_person[start:stop]]

    def with_title_words(self, words: frozenset[str]) -> list[int]:
        """Positions of the roles whose title holds one of these words (or their acronyms)."""
        return sorted(set().union(*(self.by_title_word.get(word, ()) for word in words)))


@dataclass
class Memo:
    """One knowledge version's tables for questions, each built on first use.

    One knowledge version's tables, built on first use (under the event loop, by the first
    question that needs each).
    """

    version: str | None
    roles: Roles | None = None
    newest: dict[str, list[str]] = field(default_factory=dict)
    newest_ids: dict[str, list[str]] = field(default_factory=dict)

    async def all_roles(self, ctx: Context) -> Roles:
        """Every role, and each title word's and each person's positions among them."""
        if self.roles is None:
            self.roles = _roles(ctx, await ctx.reader.all_roles())
        return self.roles

    async def _raw(self, ctx: Context, kind: str) -> tuple[list[str], list[StoredFact] | None]:
        """The newest facts' casefolded JSON, and the facts when they were read just now."""
        raw = self.newest.get(kind)
        if raw is not None:
            return raw, None
        facts = await ctx.reader.facts_of_kind(kind, NO_ENTITY_SCAN)
        # Hyphens dropped: "k7" is found in "K-7", and every part of "AI-related" still is.
        raw = self.newest[kind] = [
            stored.fact.model_dump_json().casefold().replace("-", "") for stored in facts
        ]
        self.newest_ids[kind] = [stored.fact.id for stored in facts]
        return raw, facts

    async def newest_facts(
        self, ctx: Context, kind: str, keep: Callable[[str], bool]
    ) -> list[StoredFact]:
        """Those of the NO_ENTITY_SCAN newest facts of a kind whose casefolded JSON passes keep()."""
        raw, facts = await self._raw(ctx, kind)
        kept = [i for i, text in enumerate(raw) if keep(text)]
        if not kept:
            return []
        if facts is None:
            # Most questions keep none; the few that do read only those again (same version),
            # rather than every one keeping thousands of objects alive.
            if len(kept) <= READ_BY_ID:
                ids = self.newest_ids[kind]
                return await ctx.reader.facts_by_id([ids[i] for i in kept])
            facts = await ctx.reader.facts_of_kind(kind, NO_ENTITY_SCAN)
        return [facts[i] for i in kept]

    async def any_newest(self, ctx: Context, kind: str, keep: Callable[[str], bool]) -> bool:
        """Whether one of the newest facts of a kind passes keep(), reading none of them."""
        raw, _ = await self._raw(ctx, kind)
        return any(keep(text) for text in raw)


def _roles(ctx: Context, roles: Sequence[StoredRole]) -> Roles:
    return roles_table(ctx.index, roles)


def roles_table(index: NameIndex, roles: Sequence[StoredRole]) -> Roles:
    """The Roles table of these roles, sharing the index's id strings (built with the snapshot)."""
    # The index's own id strings, and one copy of each title and article id, not one a row.
    shared = {entity_id: entity_id for entity_id in index.entities}

    def one(text: str) -> str:
        return shared.setdefault(text, text)

    by_word: dict[str, array[int]] = {}
    for position, role in enumerate(roles):
        for word in title_words(role.title):
            by_word.setdefault(word, array("I")).append(position)
    people = [one(role.person_id) for role in roles]
    by_person = sorted(range(len(roles)), key=people.__getitem__)  # stable: in order per person
    return Roles(
        people=people,
        titles=[one(role.title) for role in roles],
        companies=[role.company_id and one(role.company_id) for role in roles],
        current=bytes(role.current for role in roles),
        articles=[one(role.article_id) for role in roles],
        by_title_word=by_word,
        by_person=array("I", by_person),
        person_keys=[people[position] for position in by_person],
    )


async def memo(ctx: Context) -> Memo:
    """The ``Memo`` of the knowledge version the context reads, kept or new.

    The tables of the knowledge version the context reads: its snapshot's (new, unkept ones
    if it has no version, or a snapshot of another version than its read transaction).
    """
    version = await ctx.reader.version()
    kept = ctx.snapshot.memo
    return kept if version is not None and kept.version == version else Memo(version)
