"""What every question about one knowledge version reads alike, worked out once per version: the
table of all roles with their title words, the newest facts of each kind.

Kept beside the name index of the version (and dropped with it), and only for a known version:
a version is the digest of the knowledge files, so the same version always holds the same facts.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field

from bot.answers import Context
from bot.ask.words import title_words
from bot.resolve import NameIndex
from bot.store import FactKind, StoredFact, StoredRole

NO_ENTITY_SCAN = 1000  # newest facts of a kind scanned when the question names nobody

# A StoredRole's fields, in order. Roles are kept as plain tuples, which the garbage collector
# stops tracking: tens of thousands of objects that every full collection walked would pause some
# answer for tens of milliseconds.
RoleRow = tuple[str, str, str | None, bool, str]


@dataclass
class Roles:
    """Every role in the store's order (by person, current first), and where each title word and
    each person's roles are among them."""

    rows: list[RoleRow]
    by_title_word: dict[str, tuple[int, ...]]
    by_person: dict[str, tuple[int, ...]]

    def role(self, position: int) -> StoredRole:
        """The role at this position."""
        return StoredRole(*self.rows[position])

    def of(self, person_id: str) -> list[StoredRole]:
        """A person's roles, current ones first, as Reader.roles() gives them."""
        return [self.role(position) for position in self.by_person.get(person_id, ())]

    def with_title_words(self, words: frozenset[str]) -> list[int]:
        """Positions of the roles whose title holds one of these words (or their acronyms)."""
        return sorted(set().union(*(self.by_title_word.get(word, ()) for word in words)))


@dataclass
class Newest:
    """The newest facts of a kind, each with its JSON casefolded for a quick substring test."""

    facts: list[StoredFact]
    raw: list[str]


@dataclass
class Memo:
    """One knowledge version's tables, built on first use."""

    version: str | None
    roles: Roles | None = None
    newest: dict[FactKind, Newest] = field(default_factory=dict)

    async def all_roles(self, ctx: Context) -> Roles:
        """Every role, and each title word's positions among them."""
        if self.roles is None:
            rows: list[RoleRow] = []
            by_word: dict[str, list[int]] = {}
            by_person: dict[str, list[int]] = {}
            shared: dict[str, str] = {}  # one copy of each id and title, not one a row

            def one(text: str) -> str:
                return shared.setdefault(text, text)

            for position, role in enumerate(await ctx.reader.all_roles()):
                company = role.company_id and one(role.company_id)
                rows.append(
                    (
                        one(role.person_id),
                        one(role.title),
                        company,
                        role.current,
                        one(role.article_id),
                    )
                )
                for word in title_words(role.title):
                    by_word.setdefault(word, []).append(position)
                by_person.setdefault(role.person_id, []).append(position)
            self.roles = Roles(rows, _frozen(by_word), _frozen(by_person))
        return self.roles

    async def newest_facts(self, ctx: Context, kind: FactKind) -> Newest:
        """The NO_ENTITY_SCAN newest facts of a kind."""
        if kind not in self.newest:
            facts = await ctx.reader.facts_of_kind(kind, NO_ENTITY_SCAN)
            raw = [stored.fact.model_dump_json().casefold() for stored in facts]
            self.newest[kind] = Newest(facts, raw)
        return self.newest[kind]


def _frozen(positions: dict[str, list[int]]) -> dict[str, tuple[int, ...]]:
    return {key: tuple(at) for key, at in positions.items()}


_MEMOS: weakref.WeakKeyDictionary[NameIndex, Memo] = weakref.WeakKeyDictionary()


async def memo(ctx: Context) -> Memo:
    """The tables of the knowledge version the context reads (new ones if it has no version)."""
    version = await ctx.reader.version()
    found = _MEMOS.get(ctx.index)
    if found is None or found.version != version or version is None:
        found = Memo(version)
        if version is not None:
            _MEMOS[ctx.index] = found
    return found
