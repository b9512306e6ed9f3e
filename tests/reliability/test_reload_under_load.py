"""Reload under load: hundreds of concurrent queries while reloads swap two knowledge versions.

Version 1 is the seed alone; version 2 adds the second article. Every answer must come whole from
one of them: never an error, never one article with the second article's facts.
"""

from __future__ import annotations

import asyncio
import random
import shutil
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

from bot import answers
from bot.ask import ask
from bot.ask.memo import memo
from bot.ask.reading import NameWords
from bot.commands import run
from bot.console.prompt import respond
from bot.models import Answer
from bot.service import TalentService
from bot.store import Store
from tests.conftest import SECOND_ARTICLE, copy_knowledge
from tests.reliability.conftest import Tally, check_answer, check_choices, seed_still_answers

QUERIES = 400
RELOADS = 40
SPREAD_SECONDS = 1.0  # queries start spread over this window, so reloads land among them
V1_SOURCES, V2_SOURCES = "1 article, 19 facts.", "2 articles, 23 facts."
SECOND = "kestrel"  # a company only the second article knows


async def _paired(service: TalentService) -> str:
    """Sources and a second-article query in one read: both must come from the same version, and
    so must every part of the snapshot the read was given (index, name words, tables)."""
    async with service.context() as ctx:
        sources = await answers.sources(ctx)
        kestrel = await answers.who_left(ctx, SECOND)
        stats = await answers.stats(ctx, "market cap")
        question = await ask(ctx, "who is the cto")
        version = await ctx.reader.version()
        snapshot = ctx.snapshot
        index_version = ctx.index.version
        tables = await memo(ctx)
    check_answer(stats)
    check_answer(question)
    assert version == index_version == snapshot.version, (version, index_version)
    assert ctx.index is snapshot.index and tables is snapshot.memo
    assert tables.version == version and tables.roles is not None
    assert snapshot.tables.figures is not None and snapshot.tables.figures.version == version
    assert snapshot.name_words == NameWords.of(snapshot.index)
    pair = (sources.message, kestrel.status)
    assert pair in {(V1_SOURCES, "not_found"), (V2_SOURCES, "ok")}, pair
    return "v1" if pair[0] == V1_SOURCES else "v2"


async def _sources(service: TalentService) -> str:
    answer = await run(service, "sources")
    assert answer.message in {V1_SOURCES, V2_SOURCES}, answer.message
    check_answer(answer)
    return "v1" if answer.message == V1_SOURCES else "v2"


async def _second(service: TalentService) -> str:
    answer = await run(service, "company", SECOND)
    check_answer(answer)
    assert answer.status in {"ok", "not_found"}, answer.status
    return "v2" if answer.status == "ok" else "v1"


async def _seed(service: TalentService) -> str:
    assert await seed_still_answers(service)
    check_answer(await run(service, "stats", "market cap"))
    return "either"


async def _console(service: TalentService) -> str:
    text, ok = await respond(service, "/who-left company:kestrel")
    assert ok and text
    return "v2" if "Dana Whitfield" in text else "v1"


async def _complete(service: TalentService) -> str:
    snapshot = service.snapshot  # what autocomplete reads, swapped whole by a reload
    assert snapshot.index.version == snapshot.version
    choices = service.complete("kestrel")
    check_choices(choices)
    return "v2" if any(c.entity.name == "Kestrel Robotics" for c in choices) else "v1"


QUERY_KINDS: list[Callable[[TalentService], Awaitable[str]]] = [
    _paired,
    _sources,
    _second,
    _seed,
    _console,
    _complete,
]


async def test_queries_during_reloads_see_one_version_each(tmp_path: Path, tally: Tally) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    extra = knowledge / "2026-03-02-kestrel-cto.toml"
    rng = random.Random(2026)
    async with Store(str(tmp_path / "load.db")) as store:
        service = TalentService(store, knowledge)
        first = await service.start()
        assert first is not None and first.ok
        versions = {first.version}

        async def query(i: int) -> str:
            await asyncio.sleep(rng.random() * SPREAD_SECONDS)
            return await QUERY_KINDS[i % len(QUERY_KINDS)](service)

        async def reloads() -> list[Answer]:
            done = []
            for i in range(RELOADS):
                if i % 2 == 0:
                    shutil.copy(SECOND_ARTICLE, extra)
                else:
                    extra.unlink()
                report = await service.reload()
                assert report.ok, report.errors
                versions.add(report.version)
                done.append(report.to_answer())
                await asyncio.sleep(SPREAD_SECONDS / RELOADS)
            return done

        results = await asyncio.gather(
            reloads(), *(query(i) for i in range(QUERIES)), return_exceptions=True
        )
        errors = [r for r in results if isinstance(r, BaseException)]
        seen = Counter(r for r in results[1:] if isinstance(r, str))
        tally["queries_under_reload"] += QUERIES
        tally["reloads_under_load"] += RELOADS
        tally["errors_under_reload"] += len(errors)
        tally["answers_from_v1"] += seen["v1"]
        tally["answers_from_v2"] += seen["v2"]
        assert not errors, errors[:3]
        # Both versions were really served while the queries ran, and only those two.
        assert seen["v1"] > 20 and seen["v2"] > 20, seen
        assert len(versions) == 2
        final = await run(service, "sources")
        assert final.message == V1_SOURCES  # an even number of reloads ends on version 1
