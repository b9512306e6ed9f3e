"""One knowledge version and everything held in memory about it, as one object.

The service serves one Snapshot at a time and replaces it by ONE assignment once the next is
whole: a query keeps the snapshot it started with, so it sees the old version or the new one,
never a mix. Nothing derived from a version lives in a module: what a version shares with the one
before it (name tables, normal forms of names) is handed over explicitly, by building the next
snapshot from the previous one.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from bot import phrasing as fmt
from bot.answers import Tables
from bot.ask.memo import Memo, roles_table
from bot.ask.reading import NameWords
from bot.desk.complete import ArticleIndex
from bot.knowledge.facts import KINDS, Figure
from bot.resolve import EntityRef, NameIndex
from bot.store import Reader, StoredEntity, StoredFact, StoredRole, release
from bot.stories import Stories


@dataclass(frozen=True, eq=False)
class Snapshot:
    """What the questions and answers on one knowledge version share, kept for that version.

    A knowledge version's name index, the first names and surnames questions are read with,
    and the tables answers (``tables``) and questions (``memo``) share, each filled by the first
    answer needing it, under the event loop. The store keeps its own per-version read cache of
    rows (Reader: articles, counts), checked against each read transaction's version.
    """

    version: str | None
    index: NameIndex
    name_words: NameWords
    tables: Tables
    memo: Memo
    articles: ArticleIndex  # ids and titles, newest first, for the article autocomplete

    @classmethod
    def empty(cls) -> Snapshot:
        """What is served before any knowledge is read: no version, no names."""
        return cls(None, NameIndex(None, []), NameWords(), Tables(), Memo(None), ArticleIndex())


async def build_snapshot(reader: Reader, previous: Snapshot) -> Snapshot:
    """The snapshot of the knowledge the reader sees, reusing ``previous``.

    The snapshot of the knowledge the reader sees, reusing what ``previous`` worked out for
    the names that did not change.

    The rows are read here; the rest is built in a thread, since at 10,000 articles that is a
    second of CPU that would otherwise stall every other interaction. What the first answers of
    a version would otherwise work out on the event loop (the questions' role table, the
    store's per-version articles and counts) is worked out here too, before the swap, so the
    first /stats or /ask after a reload costs what the others do (the stories and fact counts
    too).
    """
    version = await reader.version()
    entities = await reader.entities()
    # Current roles first, per person: the first of each is the hint beside a name (as
    # first_roles() would give), and all of them make the questions' role table.
    roles = await reader.all_roles()
    await _fill_version_cache(reader)
    articles = [
        (a.article.id, a.article.title, a.article.published)
        for a in (await reader.articles()).values()
    ]
    linked = await reader.linked_facts()
    return await asyncio.to_thread(
        _snapshot_of, version, entities, roles, articles, linked, previous
    )


async def _fill_version_cache(reader: Reader) -> None:
    """Compute the store's per-version aggregates the first /stats and /sources would need."""
    await reader.articles()
    await reader.move_tally()
    await reader.count_moves("from")
    await reader.count_moves("to")
    for kind in KINDS:
        await reader.count_facts(kind.KIND)
    await reader.count_subjects(Figure.KIND)


def _snapshot_of(
    version: str | None,
    entities: list[StoredEntity],
    roles: list[StoredRole],
    articles: list[tuple[str, str, str]],
    linked: list[StoredFact],
    previous: Snapshot,
) -> Snapshot:
    index = _index_of(version, entities, roles, previous.index)
    same = index.same_names(previous.index)
    names = previous.name_words if same else NameWords.of(index)
    memo = Memo(version, roles=roles_table(index, roles))
    # The first /stats or profile after a swap would otherwise work the stories out (70 ms).
    tables = Tables(stories=Stories.of(version, linked))
    snapshot = Snapshot(version, index, names, tables, memo, ArticleIndex(articles))
    # Nothing keeps these lists (only what they hold): emptied here, not freed on the loop.
    release(entities, roles, articles, linked)
    return snapshot


def _index_of(
    version: str | None,
    entities: list[StoredEntity],
    roles: list[StoredRole],
    previous: NameIndex,
) -> NameIndex:
    """The name index with a hint beside every name: a person's first role, else a description.

    ``roles`` are in all_roles() order, so the first of a person's is its first_roles() one.
    """
    names = {e.id: e.name for e in entities}
    hints: dict[str, str] = {}
    for role in roles:
        if role.person_id not in hints:
            company = names.get(role.company_id, "") if role.company_id else None
            hints[role.person_id] = fmt.role(role.title, company, role.current)
    refs = [
        (
            EntityRef(e.id, e.kind, e.name, hints.get(e.id, e.description or ""), e.mentions),
            e.aliases,
        )
        for e in entities
    ]
    return NameIndex(version, refs, previous)
