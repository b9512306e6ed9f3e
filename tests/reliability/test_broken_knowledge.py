"""Broken knowledge never loses knowledge: every broken file is refused, named, and the old stays.

Each case drops one broken file into a copy of the real knowledge folder served from a real
SQLite file, then reloads and restarts: the reload must be refused with an error naming the file,
the field and the line, and the previous knowledge must keep answering, before and after restart.
"""

from __future__ import annotations

import os
import random
import shutil
import tomllib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.commands import run
from bot.knowledge.loader import DEFAULT_MAX_FILE_BYTES
from bot.service import TalentService
from bot.store import Store
from tests.conftest import SECOND_ARTICLE, copy_knowledge
from tests.reliability.conftest import (
    BigKnowledge,
    Tally,
    check_answer,
    seed_still_answers,
)

CORPUS = Path(__file__).resolve().parent.parent / "broken"
Writer = Callable[[Path], None]  # puts the broken file into the knowledge dir


@dataclass(frozen=True)
class Case:
    """One broken file: its name in the knowledge dir, an error fragment, and the error's line."""

    name: str
    expect: str
    line: int | None
    write: Writer

    def __str__(self) -> str:
        return self.name


def _copy(source: Path) -> Writer:
    return lambda knowledge: shutil.copy(source, knowledge / source.name)


def corpus() -> list[Case]:
    """The committed cases, read from their `# expect:` and `# expect-line:` header lines."""
    cases = []
    for path in sorted(CORPUS.glob("*.toml")):
        header = dict(
            line[2:].split(": ", 1)
            for line in path.read_text(encoding="utf-8").splitlines()[:2]
            if line.startswith("# expect")
        )
        line = header.get("expect-line")
        cases.append(Case(path.name, header["expect"], int(line) if line else None, _copy(path)))
    return cases


def _bytes(name: str, data: bytes) -> Writer:
    return lambda knowledge: (knowledge / name).write_bytes(data)


def _link(name: str, target: Callable[[Path], Path]) -> Writer:
    """A symlink in the knowledge dir to a valid knowledge file somewhere else."""

    def write(knowledge: Path) -> None:
        outside = target(knowledge)
        if outside.suffix == ".toml" and "missing" not in outside.name:
            outside.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(SECOND_ARTICLE, outside)
        # A relative target stays relative, as an admin's `ln -s ../x.toml` would be.
        link_to = os.path.relpath(outside, knowledge) if name.startswith("relative") else outside
        os.symlink(link_to, knowledge / name)

    return write


def _folder(knowledge: Path) -> None:
    (knowledge / "folder.toml").mkdir()


_OVERSIZE = DEFAULT_MAX_FILE_BYTES + 1
LATIN_1 = '[article]\nid = "latin-1"\ntitle = "Caf\u00e9 society"\n'.encode("latin-1")
GENERATED = [
    Case("not-utf8.toml", "is not UTF-8 text", 3, _bytes("not-utf8.toml", LATIN_1)),
    Case("zero-bytes.toml", "is empty", None, _bytes("zero-bytes.toml", b"")),
    Case("whitespace.toml", "is empty", None, _bytes("whitespace.toml", b" \n\t\r\n")),
    Case(
        "oversize.toml",
        f"is {_OVERSIZE:,} bytes; the limit is {DEFAULT_MAX_FILE_BYTES:,}",
        None,
        _bytes("oversize.toml", b"#" * (_OVERSIZE - 1) + b"\n"),
    ),
    Case(
        "relative-link.toml",
        "is a link to a file outside the knowledge directory",
        None,
        _link("relative-link.toml", lambda k: k.parent / "outside.toml"),
    ),
    Case(
        "absolute-link.toml",
        "is a link to a file outside the knowledge directory",
        None,
        _link("absolute-link.toml", lambda k: k.parent / "elsewhere" / "article.toml"),
    ),
    Case(
        "relative-dotdot-link.toml",
        "is a link to a file outside the knowledge directory",
        None,
        # In and out again: knowledge/../knowledge-evil/x.toml shares the folder's name prefix.
        _link("relative-dotdot-link.toml", lambda k: k.parent / f"{k.name}-evil" / "x.toml"),
    ),
    Case(
        "dangling-link.toml",
        "cannot be read",
        None,
        _link("dangling-link.toml", lambda k: k / "missing.toml"),
    ),
    Case("folder.toml", "cannot be read", None, _folder),
]
CASES = corpus() + GENERATED


def test_the_corpus_is_there() -> None:
    assert len(corpus()) >= 20
    names = [c.name for c in corpus()]
    # Cross-file errors blame the later file: every broken file sorts after the dated seed.
    assert all(name[0].isalpha() for name in names)


@pytest.mark.parametrize("case", CASES, ids=str)
async def test_broken_file_is_refused_and_nothing_is_lost(
    tmp_path: Path, case: Case, tally: Tally
) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    db = str(tmp_path / "bot.db")
    async with Store(db) as store:
        service = TalentService(store, knowledge)
        first = await service.start()
        assert first is not None and first.ok
        version = service.version
        case.write(knowledge)

        report = await service.reload()
        kept = (
            report.version == version
            and service.version == version
            and (await store.manifest()).version == version
            and await seed_still_answers(service)
        )
        tally["broken_files"] += 1
        tally["broken_files_rejected"] += not report.ok
        tally["data_lost"] += not kept
        assert not report.ok
        assert kept
        matching = [e for e in report.errors if case.expect in e]
        assert matching, report.errors
        where = f"{case.name}:{case.line}: " if case.line else f"{case.name}: "
        assert any(e.startswith(where) for e in matching), (where, matching)
        # Only the broken file is blamed: the good files around it are fine.
        assert all(e.startswith(f"{case.name}:") for e in report.errors), report.errors
        check_answer(report.to_answer())

    # A restart with the broken file still there serves the knowledge the database holds.
    async with Store(db) as store:
        service = TalentService(store, knowledge)
        restart = await service.start()
        assert restart is not None and not restart.ok
        assert service.version == version and await seed_still_answers(service)
        # Fixing the folder is picked up by the next reload.
        remove = (knowledge / case.name).rmdir if case.name == "folder.toml" else None
        (remove or (knowledge / case.name).unlink)()
        fixed = await service.reload()
        assert fixed.ok and fixed.version == version and fixed.unchanged


async def test_every_error_of_several_broken_files_is_listed(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    async with Store(str(tmp_path / "bot.db")) as store:
        service = TalentService(store, knowledge)
        await service.start()
        version = service.version
        for case in CASES:
            case.write(knowledge)
        report = await service.reload()
        assert not report.ok and report.version == version
        for case in CASES:
            assert any(e.startswith(f"{case.name}:") for e in report.errors), case.name
        # More errors than one answer lists: the refusal still fits in Discord.
        check_answer(report.to_answer())
        assert await seed_still_answers(service)


async def test_a_byte_order_mark_is_not_an_error(tmp_path: Path) -> None:
    """Windows editors save UTF-8 with a BOM; the file is still UTF-8 and must load."""
    knowledge = copy_knowledge(tmp_path / "knowledge")
    data = SECOND_ARTICLE.read_bytes()
    (knowledge / "2026-03-02-kestrel-cto.toml").write_bytes(b"\xef\xbb\xbf" + data)
    async with Store(str(tmp_path / "bot.db")) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is not None and report.ok, report.errors
        assert (await run(service, "who-left", "kestrel")).status == "ok"


@pytest.mark.parametrize("how", ["dotdot", "symlinked-dir"])
async def test_knowledge_dir_given_by_dots_or_a_link_loads_but_stays_closed(
    tmp_path: Path, how: str
) -> None:
    real = copy_knowledge(tmp_path / "knowledge")
    (tmp_path / "elsewhere").mkdir()
    if how == "dotdot":
        given = tmp_path / "elsewhere" / ".." / "knowledge"
    else:
        given = tmp_path / "linked"
        given.symlink_to(real, target_is_directory=True)
    # A link between files of the folder itself is harmless and allowed.
    (real / "2026-03-02-kestrel-cto.toml").write_bytes(SECOND_ARTICLE.read_bytes())
    (real / "zz-same-folder-link.toml").symlink_to("2026-03-02-kestrel-cto.toml")
    async with Store(str(tmp_path / "bot.db")) as store:
        service = TalentService(store, given)
        report = await service.start()
        assert report is not None and not report.ok
        # ...but two files then hold the same article: the link is followed, not trusted.
        assert any("zz-same-folder-link.toml:" in e for e in report.errors)
        (real / "zz-same-folder-link.toml").unlink()
        assert (await service.reload()).ok
        assert (await run(service, "who-left", "kestrel")).status == "ok"
        (tmp_path / "outside.toml").write_text("# nothing here\n", encoding="utf-8")
        (real / "escape.toml").symlink_to(Path("..") / "outside.toml")
        refused = await service.reload()
        assert refused.errors == [
            "escape.toml: is a link to a file outside the knowledge directory"
        ]


async def test_ten_thousand_facts_load_and_answer(
    tmp_path: Path, big_knowledge: BigKnowledge, tally: Tally
) -> None:
    async with Store(str(tmp_path / "big.db")) as store:
        service = TalentService(store, big_knowledge.directory)
        report = await service.start()
        assert report is not None and report.ok, report.errors[:5]
        assert big_knowledge.facts >= 10_000
        sources = await run(service, "sources")
        assert (
            sources.message
            == f"{big_knowledge.articles:,} articles, {big_knowledge.facts:,} facts."
        )
        assert await seed_still_answers(service)
        for answer in (
            sources,
            await run(service, "stats"),
            await run(service, "who-left"),
            await run(service, "who-joined"),
        ):
            check_answer(answer)
        files = sorted(big_knowledge.directory.glob("*.toml"))
        async with service.context() as ctx:
            names = Counter(e.name for e in ctx.index.entities.values())
        answered = 0
        for path in random.Random(7).sample(files, 40):
            content = tomllib.loads(path.read_text(encoding="utf-8"))
            people = {p["id"]: p["name"] for p in content.get("people", [])}
            move = next(m for m in content["moves"] if m.get("person") in people and "from" in m)
            name = people[move["person"]]
            answer = await run(service, "who-left", person=name)
            if names[name] > 1:
                assert answer.status == "ambiguous", name
                continue
            assert answer.status == "ok", (name, answer.message)
            assert move["quote"] in {i.citation.quote for i in answer.items() if i.citation}
            check_answer(answer)
            answered += 1
        assert answered >= 30
        tally["big_facts"] = big_knowledge.facts
