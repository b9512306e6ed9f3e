"""The store: every seed fact is queryable after a load, and replace() is atomic for readers."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from pathlib import Path

import pytest

from benchmarks.generate import generate
from bot.commands import run
from bot.knowledge.facts import Figure, Move, Note, Statement
from bot.knowledge.loader import KnowledgeBase, load_directory
from bot.service import TalentService
from bot.store import Store
from tests.conftest import KNOWLEDGE, copy_knowledge


@pytest.fixture(params=["file", "memory"])
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return str(tmp_path / "t.db") if request.param == "file" else ":memory:"


async def test_every_seed_fact_is_stored(db_path: str) -> None:
    kb = load_directory(KNOWLEDGE)
    async with Store(db_path) as store:
        manifest = await store.replace(kb)
        assert manifest.version == kb.version
        async with store.reading() as r:
            assert await r.version() == kb.version
            [departure] = await r.facts_about("amazon", ["move"], ["from"])
            move = departure.fact
            assert isinstance(move, Move)
            assert (move.person, move.to_company, move.successor) == (
                "vasi-philomin",
                "undisclosed",
                "rajesh-sheth",
            )
            assert move.successor_scope == "some of his former responsibilities"
            [poach] = await r.facts_about("meta", ["move"], ["to"])
            assert isinstance(poach.fact, Move) and poach.fact.group is not None
            assert (poach.fact.group.count, poach.fact.from_company) == (3, "openai")

            figures = {f.fact.id: f.fact for f in await r.facts_of_kind("figure")}
            values = {k: (v.value, v.unit) for k, v in figures.items() if isinstance(v, Figure)}
            assert values == {
                "meta-signing-bonus-offers": (100_000_000, "USD"),
                "upwork-ai-gsv-growth": (60, "%"),
                "upwork-ai-clients-growth": (42, "%"),
                "upwork-ai-freelancer-earnings-premium": (44, "%"),
                "nvidia-market-cap": (3_750_000_000_000, "USD"),
            }
            speakers = {
                s.fact.speaker
                for s in await r.facts_of_kind("statement")
                if isinstance(s.fact, Statement)
            }
            assert speakers == {"vasi-philomin", "amazon", "sam-altman", "upwork"}
            facts = await r.facts_about("vasi-philomin", ["note"])
            objects = {f.fact.object for f in facts if isinstance(f.fact, Note)}
            assert {"Amazon Bedrock"} < objects
            tenure = [f.fact for f in facts if isinstance(f.fact, Note) and f.fact.kind == "tenure"]
            assert [t.duration for t in tenure] == ["eight years"]
            [ebs] = await r.facts_about("rajesh-sheth", ["note"])
            assert isinstance(ebs.fact, Note) and ebs.fact.object == "Amazon Elastic Block Store"
            roles = await r.roles("mark-zuckerberg")
            assert [(x.title, x.company_id, x.current) for x in roles] == [("CEO", "meta", True)]
            entities = {e.id: e for e in await r.entities()}
            assert set(entities["amazon"].aliases) == {"AWS", "Amazon Web Services"}
            articles = await r.articles()
            assert [a.fact_count for a in articles.values()] == [19]
            # Every quote is stored with its fact.
            assert all(f.fact.quote for f in await r.facts_about("nvidia"))


def _with_duplicate_fact(kb: KnowledgeBase) -> KnowledgeBase:
    """A knowledge base the loader would refuse: the store's constraints must stop it midway."""
    loaded = kb.files[0]
    clone = dataclasses.replace(loaded, name="clone.toml")
    return KnowledgeBase(files=(loaded, clone), entities=kb.entities, version="broken")


async def test_failed_replace_keeps_the_old_content(db_path: str) -> None:
    kb = load_directory(KNOWLEDGE)
    async with Store(db_path) as store:
        await store.replace(kb)
        with pytest.raises(sqlite3.IntegrityError):
            await store.replace(_with_duplicate_fact(kb))
        manifest = await store.manifest()
        assert manifest.version == kb.version
        assert len(manifest.facts) == 19


async def test_readers_see_old_or_new_never_a_mix(tmp_path: Path, db_path: str) -> None:
    small = load_directory(KNOWLEDGE)
    big = load_directory(copy_knowledge(tmp_path / "two", second=True))
    expected = {small.version: 19, big.version: 23}
    seen: list[tuple[str | None, int, int]] = []
    async with Store(db_path) as store:
        await store.replace(small)
        stop = asyncio.Event()

        async def read() -> None:
            while not stop.is_set():
                async with store.reading() as r:
                    version = await r.version()
                    moves = len(await r.facts_of_kind("move"))
                    facts = sum(a.fact_count for a in (await r.articles()).values())
                seen.append((version, moves, facts))
                await asyncio.sleep(0)

        readers = [asyncio.create_task(read()) for _ in range(3)]
        for kb in [big, small] * 5:
            await store.replace(kb)
            await asyncio.sleep(0)
        stop.set()
        await asyncio.gather(*readers)
    assert len(seen) > 10
    for version, moves, facts in seen:
        assert version in expected
        assert facts == expected[version]
        assert moves == (2 if version == small.version else 3)


async def test_start_reuses_a_current_database_and_reloads_a_stale_one(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "k")
    db = str(tmp_path / "bot.db")
    async with Store(db) as store:
        first = await TalentService(store, knowledge).start()
        assert first is not None and first.ok
    async with Store(db) as store:
        assert await TalentService(store, knowledge).start() is None  # nothing changed
    copy_knowledge(knowledge, second=True)
    async with Store(db) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is not None and report.ok
        assert report.articles.added == ["kestrel-cto-joins-orbital"]
        assert (await run(service, "who-left", "kestrel")).status == "ok"


async def test_corrupt_database_is_rebuilt(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    db = tmp_path / "bot.db"
    async with Store(str(db)):
        pass  # the bot's own (marked) file...
    data = db.read_bytes()
    db.write_bytes(data[:100] + b"this is not a database" * 100)  # ...damaged after its header
    async with Store(str(db)) as store:
        report = await TalentService(store, KNOWLEDGE).start()
        assert report is not None and report.ok
        assert (await store.manifest()).version == report.version
    assert any("unusable" in r.getMessage() for r in caplog.records)


async def test_articles_are_newest_first_then_by_id(tmp_path: Path) -> None:
    # Enough articles for several months and for the decoding to happen in a thread.
    generate(tmp_path / "knowledge", articles=2_500, seed=5)
    async with Store(str(tmp_path / "k.db")) as store:
        await store.replace(load_directory(tmp_path / "knowledge"))
        async with store.reading() as r:
            every = await r.articles()
            keys = [(a.article.published, i) for i, a in every.items()]
            assert len({p[:7] for p, _ in keys}) > 1
            assert len(keys) == 2_500 and keys == sorted(keys, reverse=True)
            some = list(every)[::7]
            assert list(await r.articles(reversed(some))) == some
