"""The speed paths give the same answers as the simple ones.

Incremental reloads against a fresh full load, the trigram prefilter of name resolution against
an exhaustive scan, the /stats topic word index against a brute-force filter, the newest-50 limits
of per-entity queries, and gc.freeze() after every load against memory growth.
"""

from __future__ import annotations

import random
import re
import shutil
import sqlite3
import tomllib
from collections import Counter
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from rapidfuzz import fuzz, process

import bot.knowledge.loader
import bot.store
from benchmarks.generate import build_world, generate, typo
from bot import answers
from bot.commands import run
from bot.knowledge.facts import Figure, Move
from bot.knowledge.schema import EntityKind
from bot.models import Answer
from bot.resolve import FULL_SCAN_NAMES, EntityRef, NameIndex
from bot.service import ReloadReport, TalentService
from bot.store import INCREMENTAL_SHARE, Store
from bot.text import normalize, sorted_words
from tests.conftest import KNOWLEDGE, SECOND_ARTICLE

# ---------------------------------------------------------------------- helpers


@asynccontextmanager
async def serving(db: Path, knowledge: Path) -> AsyncIterator[TalentService]:
    """A service over a real SQLite file, started (so loaded) from the directory."""
    async with Store(str(db)) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is None or report.ok, report
        yield service


def table_dump(db: Path) -> dict[str, Any]:
    """Every row of every knowledge table (roles in their seq order, which answers use)."""
    conn = sqlite3.connect(db)
    try:
        dump: dict[str, Any] = {
            table: sorted(conn.execute(f"SELECT * FROM {table}"))
            for table in ("articles", "entities", "aliases", "facts", "fact_entities")
        }
        dump["roles"] = list(conn.execute("SELECT * FROM roles ORDER BY seq"))
        dump["version"] = conn.execute("SELECT value FROM meta WHERE key = 'version'").fetchall()
        return dump
    finally:
        conn.close()


def fact_count(path: Path) -> int:
    """How many facts of any kind one knowledge file holds."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return sum(len(data.get(s, [])) for s in ("moves", "figures", "statements", "facts"))


async def all_answers(
    service: TalentService, people: list[str], companies: list[str]
) -> list[Answer]:
    """The answers of every command over a sample of names."""
    out = [
        await run(service, "who-left"),
        await run(service, "who-joined"),
        await run(service, "stats"),
        await run(service, "sources"),
    ]
    for name in companies:
        out += [
            await run(service, "who-left", company=name),
            await run(service, "who-joined", company=name),
            await run(service, "company", name),
            await run(service, "stats", name),
            await run(service, "ask", f"who left {name}?"),
        ]
    for name in people:
        out += [
            await run(service, "person", name),
            await run(service, "who-left", person=name),
            await run(service, "stats", name),
            await run(service, "ask", f"where did {name} go?"),
        ]
    return out


async def sample_names(
    service: TalentService, extra: Iterable[str] = ()
) -> tuple[list[str], list[str]]:
    """Every tenth person and company by id, plus the given names when they exist."""
    async with service.store.reading() as reader:
        entities = await reader.entities()
    people = [e.name for e in entities if e.kind == "person"][::10]
    companies = [e.name for e in entities if e.kind == "company"][::10]
    for e in entities:
        if e.name in extra:
            (people if e.kind == "person" else companies).append(e.name)
    return people, companies


# ---------------------------------------------------------------------- 1. incremental reload

THIRD_ARTICLE = """
[article]
id = "orbital-follow-up"
title = "Orbital Labs Expands"
publisher = "Example Wire"
published = 2026-04-01

[[companies]]
id = "orbital-labs"
name = "Orbital Labs"
aliases = [{aliases}]

[[facts]]
id = "okafor-oversaw-transition"
kind = "oversaw"
subjects = ["lee-okafor"]
summary = "Lee Okafor oversaw the transition at Kestrel Robotics."
company = "kestrel-robotics"
reported_on = 2026-04-01
quote = "Okafor oversaw the transition."
"""


def third_article(aliases: Sequence[str] = ()) -> str:
    return THIRD_ARTICLE.format(aliases=", ".join(f'"{a}"' for a in aliases))


class ReloadChecker:
    """Applies edits to one knowledge dir served incrementally, and compares with fresh loads."""

    def __init__(self, tmp: Path, service: TalentService, knowledge: Path) -> None:
        self.tmp, self.service, self.knowledge = tmp, service, knowledge
        self.fresh_loads = 0

    async def same_as_fresh(self, extra_names: Iterable[str] = ()) -> None:
        """The served database holds what a full load of the same directory into a new file does."""
        self.fresh_loads += 1
        fresh_db = self.tmp / f"fresh-{self.fresh_loads}.db"
        async with serving(fresh_db, self.knowledge) as fresh:
            assert table_dump(Path(self.service.store.path)) == table_dump(fresh_db)
            mine, theirs = await self.service.store.manifest(), await fresh.store.manifest()
            assert (mine.version, mine.articles, mine.facts) == (
                theirs.version,
                theirs.articles,
                theirs.facts,
            )
            people, companies = await sample_names(fresh, extra_names)
            assert people and companies
            assert await all_answers(self.service, people, companies) == await all_answers(
                fresh, people, companies
            )


async def test_incremental_reloads_match_fresh_full_loads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = tmp_path / "knowledge"
    generate(knowledge, articles=30, seed=3)
    for path in KNOWLEDGE.glob("*.toml"):
        shutil.copy(path, knowledge / path.name)
    # Record which reloads took the incremental path (it deletes only the stale articles).
    incremental: list[list[str]] = []
    delete_articles = bot.store._delete_articles

    async def recording(conn: Any, ids: list[str]) -> set[str]:
        incremental.append(ids)
        return await delete_articles(conn, ids)

    monkeypatch.setattr(bot.store, "_delete_articles", recording)
    generated = sorted(p for p in knowledge.glob("*.toml") if p.name.startswith("20"))[:30]
    async with serving(tmp_path / "served.db", knowledge) as service:
        assert not incremental  # the first load fills every table
        stored = len(list(knowledge.glob("*.toml")))
        check = ReloadChecker(tmp_path, service, knowledge)
        await check.same_as_fresh()

        async def step(
            articles: tuple[int, int, int], facts: tuple[int, int, int], names: Iterable[str] = ()
        ) -> ReloadReport:
            report = await service.reload()
            assert report.ok, report.errors
            assert incremental, "the edit should have taken the incremental path"
            assert len(incremental[-1]) <= INCREMENTAL_SHARE * stored
            got_articles = tuple(
                len(x)
                for x in (report.articles.added, report.articles.removed, report.articles.changed)
            )
            got_facts = tuple(
                len(x) for x in (report.facts.added, report.facts.removed, report.facts.changed)
            )
            assert (got_articles, got_facts) == (articles, facts)
            await check.same_as_fresh(names)
            return report

        # One fact's value changes in one file.
        edited = generated[0]
        text = edited.read_text(encoding="utf-8")
        edited.write_text(
            re.sub(r"^value = .*$", "value = 123456789", text, count=1, flags=re.M), "utf-8"
        )
        await step((0, 0, 1), (0, 0, 1))

        # A file is deleted.
        gone = generated[1]
        gone_facts = fact_count(gone)
        gone.unlink()
        await step((0, 1, 0), (0, gone_facts, 0))

        # A file is renamed with the same bytes: its facts now sort by the new name.
        renamed = generated[2]
        renamed.rename(knowledge / ("2099-" + renamed.name))
        await step((0, 0, 0), (0, 0, 0))

        # Two files are added: the second article and one that reuses its entities.
        second = knowledge / "2026-03-02-kestrel-cto.toml"
        shutil.copy(SECOND_ARTICLE, second)
        third = knowledge / "2026-04-01-orbital-follow-up.toml"
        third.write_text(third_article(), encoding="utf-8")
        added = fact_count(second) + fact_count(third)
        await step((2, 0, 0), (added, 0, 0), ["Kestrel Robotics", "Orbital Labs", "Lee Okafor"])

        # An alias is renamed: only the entity tables change.
        second.write_text(
            second.read_text(encoding="utf-8").replace(
                'aliases = ["Kestrel"]', 'aliases = ["Kestrel Robo"]'
            ),
            "utf-8",
        )
        await step((0, 0, 1), (0, 0, 0), ["Kestrel Robotics"])
        async with service.context() as ctx:
            found = ctx.index.resolve("kestrel robo", "company")
            assert found.entity is not None and found.entity.id == "kestrel-robotics"

        # The alias moves to another entity declared in another file.
        second.write_text(
            second.read_text(encoding="utf-8").replace(
                'aliases = ["Kestrel Robo"]', "aliases = []"
            ),
            "utf-8",
        )
        third.write_text(third_article(["Kestrel Robo"]), encoding="utf-8")
        await step((0, 0, 2), (0, 0, 0), ["Kestrel Robotics", "Orbital Labs"])
        async with service.context() as ctx:
            found = ctx.index.resolve("kestrel robo", "company")
            assert found.entity is not None and found.entity.id == "orbital-labs"

        # An entity that the third file's fact references is removed: rejected, old kept.
        before = table_dump(Path(service.store.path))
        people, companies = await sample_names(service, ["Lee Okafor", "Kestrel Robotics"])
        answers_before = await all_answers(service, people, companies)
        kept = second.read_text(encoding="utf-8")
        second.write_text(
            re.sub(r'\[\[people\]\]\nid = "lee-okafor"\n[^\[]*roles = \[[^\n]*\]\n', "", kept),
            "utf-8",
        )
        assert "lee-okafor" not in second.read_text(encoding="utf-8").split("[[moves]]")[0]
        refused = await service.reload()
        assert not refused.ok
        assert any(third.name in e and "unknown entity 'lee-okafor'" in e for e in refused.errors)
        assert refused.version == refused.previous_version == before["version"][0][0]
        assert table_dump(Path(service.store.path)) == before
        after = await all_answers(service, people, companies)
        # The answers are the old ones; /sources adds only that the files now fail.
        [sources] = [a for a in after if a.command == "sources"]
        assert "serving the last good version" in sources.tips[0]
        assert [a if a is not sources else a.model_copy(update={"tips": []}) for a in after] == (
            answers_before
        )

        # Put back, the files are the version still served: nothing to rewrite.
        second.write_text(kept, "utf-8")
        again = await service.reload()
        assert again.ok and again.unchanged
        await check.same_as_fresh(["Lee Okafor"])


async def test_a_restart_parses_only_the_changed_files_and_matches_a_fresh_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = tmp_path / "knowledge"
    generate(knowledge, articles=30, seed=3)
    for path in KNOWLEDGE.glob("*.toml"):
        shutil.copy(path, knowledge / path.name)
    served = tmp_path / "served.db"
    async with serving(served, knowledge):
        pass
    # While the bot is down: a value edited, a file deleted, one renamed and one added.
    generated = sorted(p for p in knowledge.glob("*.toml") if p.name.startswith("20"))
    edited, gone, renamed = generated[0], generated[1], generated[2]
    edited.write_text(
        re.sub(
            r"^value = .*$", "value = 987654321", edited.read_text("utf-8"), count=1, flags=re.M
        ),
        "utf-8",
    )
    gone.unlink()
    renamed.rename(knowledge / ("2099-" + renamed.name))
    shutil.copy(SECOND_ARTICLE, knowledge / "2026-03-02-kestrel-cto.toml")
    parsed: list[str] = []
    parse = bot.knowledge.loader._parse

    def counting(raw: Any, errors: Any, context: Any) -> Any:
        parsed.append(raw.name)
        return parse(raw, errors, context)

    monkeypatch.setattr(bot.knowledge.loader, "_parse", counting)
    async with serving(served, knowledge) as service:
        # The database's summaries stand in for the rest; a renamed file's rows are rewritten,
        # so it is parsed too.
        assert sorted(parsed) == sorted(
            [edited.name, "2099-" + renamed.name, "2026-03-02-kestrel-cto.toml"]
        )
        check = ReloadChecker(tmp_path, service, knowledge)
        await check.same_as_fresh(["Kestrel Robotics"])
        # Enough edits for a full rewrite: the files known only by summary are parsed for it.
        for path in sorted(knowledge.glob("*.toml"))[:12]:
            path.write_text(path.read_text("utf-8") + "# edited\n", "utf-8")
        report = await service.reload()
        assert report.ok, report.errors
        await check.same_as_fresh()


# ---------------------------------------------------------------------- 2. trigram prefilter


@dataclass(frozen=True)
class BigNames:
    """A name index over more than FULL_SCAN_NAMES people, and every (entity, name or alias)."""

    index: NameIndex
    names: list[tuple[EntityRef, str]]


@pytest.fixture(scope="module")
def big() -> BigNames:
    """Generated people (with nicknames and initials as aliases) and companies."""
    world = build_world(800, seed=5)
    rng = random.Random(5)
    pairs: list[tuple[EntityRef, tuple[str, ...]]] = []
    for e in world.entities():
        kind: EntityKind = "person" if e.kind == "person" else "company"
        pairs.append((EntityRef(e.id, kind, e.name, mentions=rng.randrange(50)), e.aliases))
    names = [(ref, shown) for ref, aliases in pairs for shown in (ref.name, *aliases)]
    assert sum(ref.kind == "person" for ref, _ in names) > FULL_SCAN_NAMES
    return BigNames(NameIndex("big", pairs), names)


def exhaustive_fuzzy(
    big: BigNames, normal: str, kinds: Sequence[EntityKind]
) -> list[tuple[EntityRef, float, str]]:
    """resolve.py's documented scorer over every name, no prefilter: max(QRatio, 0.95 x QRatio
    of the sorted words) with a cutoff of 60, best per entity, highest first, ties by name."""
    entries = [(ref, n) for ref, shown in big.names if ref.kind in kinds if (n := normalize(shown))]
    normals = [n for _, n in entries]
    best: dict[str, tuple[float, str]] = {}
    for query, choices, weight in (
        (normal, normals, 1.0),
        (sorted_words(normal), [sorted_words(n) for n in normals], 0.95),
    ):
        for _, score, i in process.extract(
            query, choices, scorer=fuzz.QRatio, limit=None, score_cutoff=60
        ):
            owner, value = entries[i][0].id, score * weight
            if value > best.get(owner, (0.0, ""))[0]:
                best[owner] = (value, normals[i])
    ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], big.index.entities[kv[0]].name))
    return [(big.index.entities[i], score, name) for i, (score, name) in ranked]


def typo_queries(big: BigNames, count: int) -> list[tuple[str, str | None]]:
    """(query, the id it was made from, or None for an absent name): typos, swapped words."""
    rng = random.Random(11)
    people = sorted(
        (e for e in big.index.entities.values() if e.kind == "person"), key=lambda e: e.id
    )
    out: list[tuple[str, str | None]] = []
    for ref in rng.sample(people, count):
        out.append((typo(ref.name, rng, 1), ref.id))
        out.append((typo(ref.name, rng, 2), ref.id))
        out.append((" ".join(reversed(ref.name.split())), ref.id))
    for i in range(count // 2):
        out.append((f"Zyxwv Qoplim {i}", None))
        out.append((f"{rng.choice(people).name.split()[0]} Xylophonist", None))
    return out


def test_prefiltered_resolution_matches_an_exhaustive_scan(
    big: BigNames, monkeypatch: pytest.MonkeyPatch
) -> None:
    queries = typo_queries(big, 60)
    kinds: tuple[EntityKind | None, ...] = ("person", None)
    fast = [big.index.resolve(q, kind) for q, _ in queries for kind in kinds]
    assert {r.status for r in fast} == {"found", "ambiguous", "not_found"}
    # The same decision rules, with the fuzzy step scoring every name.
    monkeypatch.setattr(
        big.index, "_fuzzy", lambda normal, kinds: exhaustive_fuzzy(big, normal, kinds)
    )
    slow = [big.index.resolve(q, kind) for q, _ in queries for kind in kinds]
    differ = [
        (f.query, f, s)
        for f, s in zip(fast, slow, strict=True)
        if (f.status, f.entity, f.candidates) != (s.status, s.entity, s.candidates)
    ]
    assert not differ, differ
    for (query, origin), found in zip(queries, fast[::2], strict=True):
        if origin is None:
            assert found.status != "found", (query, found)
        elif found.status == "found":
            assert found.entity is not None
            # A unique resolution of a typo is never someone else, unless the typo is a name.
            assert found.entity.id == origin or normalize(query) == normalize(found.matched)


def test_one_edit_from_a_unique_name_resolves_to_it(big: BigNames) -> None:
    rng = random.Random(7)
    people = sorted(
        (e for e in big.index.entities.values() if e.kind == "person"), key=lambda e: e.id
    )
    namesakes = Counter(e.name for e in people)
    unique = [e for e in people if namesakes[e.name] == 1]
    checked = 0
    for ref in rng.sample(unique, 120):
        query = typo(ref.name, rng, 1)
        if len(normalize(query)) < 10 or big.index.exact(normalize(query)):
            continue  # short names allow 1 edit only; a typo that is someone's name is theirs
        near = [
            e
            for e, score, _ in exhaustive_fuzzy(big, normalize(query), ["person"])[:2]
            if score >= 90
        ]
        if len(near) > 1:
            continue  # two names within reach: "did you mean" is the right answer
        checked += 1
        found = big.index.resolve(query, "person")
        assert found.status == "found" and found.entity is not None, (query, ref, found)
        assert found.entity.id == ref.id, (query, ref, found)
    assert checked > 60


def word_start(shown: str, normal: str) -> bool:
    """Whether the text starts the name, or a word of it from that word on."""
    words = normalize(shown).split(" ")
    return any(" ".join(words[i:]).startswith(normal) for i in range(len(words)))


def test_autocomplete_is_short_with_exact_and_prefix_first(big: BigNames) -> None:
    rng = random.Random(3)
    people = sorted(
        (e for e in big.index.entities.values() if e.kind == "person"), key=lambda e: e.id
    )
    for ref in rng.sample(people, 40):
        for text in (ref.name, ref.name[:4], ref.name.split()[-1][:5], typo(ref.name, rng, 1)):
            choices = big.index.complete(text, "person")
            assert len(choices) <= 25
            normal = normalize(text)
            # Every entity with a name or alias a word of which starts with the text comes first.
            starting = {
                r.id for r, shown in big.names if r.kind == "person" and word_start(shown, normal)
            }
            lead = {c.entity.id for c in choices[: min(len(starting), 25)]}
            assert lead <= starting, (text, lead - starting)
            if len(starting) <= 25:
                assert lead == starting, (text, starting - lead)
            if text == ref.name:
                assert normalize(choices[0].entity.name) == normalize(ref.name)


# ---------------------------------------------------------------------- 3, 4. stats and limits


@pytest.fixture
async def big_news(tmp_path: Path) -> AsyncIterator[TalentService]:
    """The seed and 300 generated articles: hundreds of figures, employers in 100+ facts."""
    knowledge = tmp_path / "knowledge"
    generate(knowledge, articles=300, seed=9)
    for path in KNOWLEDGE.glob("*.toml"):
        shutil.copy(path, knowledge / path.name)
    async with serving(tmp_path / "big.db", knowledge) as service:
        yield service


def brute_force_figures(ctx: answers.Context, figures: list[Any], topic: str) -> list[str]:
    """Ids of the figures whose measure, period or subject's name has a word matching every
    typed word (answers._word_matches, the documented rule), newest first."""
    out = []
    for stored in figures:
        fact = stored.fact
        assert isinstance(fact, Figure)
        words = normalize(f"{fact.measure} {fact.period or ''} {ctx.name(fact.subject)}").split()
        typed = normalize(topic).split()
        if all(any(answers._word_matches(t, w) for w in words) for t in typed):
            out.append(fact.id)
    return out


def figure_ids(answer: Answer) -> list[str]:
    return [i.fact.id for i in answer.items() if i.fact is not None]


async def test_stats_topic_index_matches_a_brute_force_filter(big_news: TalentService) -> None:
    async with big_news.context() as ctx:
        figures = await ctx.reader.facts_of_kind("figure")
        companies = sorted(e.name for e in ctx.index.entities.values() if e.kind == "company")
    topics = [
        "market cap",
        "market caps",
        "signing bonus",
        "signing bonuses",
        "bonuses",
        "growth previous year",
        "AI-related",
        "ai",
        "funding",
        "research budget",
        "researchers",
        "gsv",
        "hourly earnings",
        "retention package",
        "valuation",
        "of",
        "xyzzy",
        *companies[::25],
        *(name.split()[0] for name in companies[::40]),
    ]
    matched_many = 0
    for topic in topics:
        async with big_news.context() as ctx:
            expected = brute_force_figures(ctx, figures, topic)
            got = [f.fact.id for f in await answers._figures_matching(ctx, topic)]
            resolution = ctx.index.resolve(topic)
        assert got == expected[: answers.MAX_ITEMS], topic
        matched_many += len(expected) > answers.MAX_ITEMS
        answer = await run(big_news, "stats", topic)
        if resolution.status != "found":
            assert figure_ids(answer) == expected[: answers.MAX_ITEMS], topic
            assert (answer.status == "ok") == bool(expected), topic
    assert matched_many >= 2  # the cut to the newest 50 is exercised


async def test_per_entity_queries_show_the_newest_50_and_the_total(
    big_news: TalentService,
) -> None:
    async with big_news.context() as ctx:
        tally = await ctx.reader.move_tally()
        top = ctx.index.entities[tally[0][0]]
        everything = await ctx.reader.facts_about(top.id)  # the simple path: no limit
        all_figures = await ctx.reader.facts_of_kind("figure")
        all_departures = await ctx.reader.moves("from")
    departures = [
        f.fact.id for f in everything if isinstance(f.fact, Move) and f.fact.from_company == top.id
    ]
    assert len(departures) > answers.MAX_ITEMS

    def newest_first(ids: list[str], facts: list[Any]) -> None:
        day = {f.fact.id: f.fact.reported_on for f in facts}
        days = [day[i] for i in ids]
        assert days == sorted(days, reverse=True)

    left = await run(big_news, "who-left", company=top.name)
    shown = [i.fact.id for i in left.items() if i.fact is not None]
    assert shown == departures[: answers.MAX_ITEMS]
    newest_first(shown, everything)
    assert left.message == f"{len(departures):,} departures recorded."

    anyone = await run(big_news, "who-left")
    shown = [i.fact.id for i in anyone.items() if i.fact is not None]
    assert shown == [f.fact.id for f in all_departures][: answers.MAX_ITEMS]
    assert anyone.message == f"{len(all_departures):,} departures recorded."

    profile = await run(big_news, "company", top.name)
    for section in profile.sections:
        assert len(section.items) <= answers.MAX_ITEMS
    by_kind: dict[str, list[str]] = {}
    for stored in everything:
        by_kind.setdefault(stored.kind, []).append(stored.fact.id)
    moves = next(s for s in profile.sections if s.heading.startswith("Moves"))
    shown = [i.fact.id for i in moves.items if i.fact is not None]
    assert shown == by_kind["move"][: answers.MAX_ITEMS]
    assert str(len(by_kind["move"])) in moves.heading.replace(",", "")

    overview = await run(big_news, "stats")
    shown = figure_ids(overview)
    assert sorted(shown) == sorted(f.fact.id for f in all_figures[: answers.MAX_ITEMS])
    subjects = {f.fact.subject for f in all_figures if isinstance(f.fact, Figure)}
    assert overview.message == f"{len(all_figures):,} figures about {len(subjects):,} subjects."


# ---------------------------------------------------------------------- 5. gc.freeze()


def rss_bytes() -> int:
    """This process's resident memory now (not its peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS in /proc/self/status")


async def test_reloads_after_gc_freeze_do_not_grow_memory(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    generate(knowledge, articles=300, seed=13)
    edited = sorted(knowledge.glob("*.toml"))[0]
    original = edited.read_text(encoding="utf-8")
    sizes = []
    async with serving(tmp_path / "gc.db", knowledge) as service:
        for n in range(5):
            # Each reload is a new version: a rewritten article, a new index of names and figures.
            edited.write_text(original.replace('title = "', f'title = "{n} ', 1), "utf-8")
            report = await service.reload()
            assert report.ok and not report.unchanged, report.errors
            await run(service, "stats", "signing bonus")
            await run(service, "who-left")
            sizes.append(rss_bytes())
    grown = sizes[-1] - sizes[1]
    assert grown < 30 * 1024 * 1024, [s // 1024 for s in sizes]
