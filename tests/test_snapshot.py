"""One snapshot per knowledge version: built off the event loop, swapped in by one assignment,
reusing what did not change by being handed the previous one, and no module-level caches."""

from __future__ import annotations

import ast
import asyncio
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

import bot.knowledge.loader
import bot.snapshot
from bot.ask.memo import memo
from bot.ask.reading import NameWords
from bot.commands import run
from bot.knowledge.loader import Loader, load_directory
from bot.service import TalentService
from bot.snapshot import Snapshot
from bot.store import Store
from tests.conftest import ROOT, SECOND_ARTICLE, copy_knowledge

SECOND = "kestrel-robotics"  # a company only the second article knows


def _whole(snapshot: Snapshot) -> None:
    """Every part of the snapshot is of its one version."""
    assert snapshot.index.version == snapshot.version
    assert snapshot.memo.version == snapshot.version
    assert snapshot.name_words == NameWords.of(snapshot.index)
    assert snapshot.tables.figures is None or snapshot.tables.figures.version == snapshot.version


async def test_a_reload_swaps_the_whole_snapshot_in_one_assignment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    assigned: list[object] = []

    class Recording(TalentService):
        def __setattr__(self, name: str, value: Any) -> None:
            if name == "snapshot":
                assigned.append(value)
            super().__setattr__(name, value)

    builders: list[threading.Thread] = []
    build = bot.snapshot._snapshot_of

    def slow_build(*args: Any) -> Snapshot:
        builders.append(threading.current_thread())
        time.sleep(0.3)  # long enough for the watcher below to see what is served meanwhile
        return build(*args)

    monkeypatch.setattr(bot.snapshot, "_snapshot_of", slow_build)
    async with Store(str(tmp_path / "swap.db")) as store:
        service = Recording(store, knowledge)
        await service.start()
        old = service.snapshot
        _whole(old)
        assigned.clear()
        shutil.copy(SECOND_ARTICLE, knowledge / "2026-03-02-kestrel-cto.toml")
        seen: list[Snapshot] = []
        reloading = True

        async def watch() -> None:
            while reloading:
                seen.append(service.snapshot)
                await asyncio.sleep(0.005)

        watcher = asyncio.create_task(watch())
        report = await service.reload()
        reloading = False
        await watcher
        new = service.snapshot
    assert report.ok and report.version != old.version
    assert assigned == [new]  # one assignment, of the finished snapshot
    _whole(new)
    assert new.version == report.version and SECOND in new.index.entities
    assert SECOND not in old.index.entities
    # While the next snapshot was built (in another thread), the loop went on serving the old.
    assert builders and all(t is not threading.main_thread() for t in builders)
    assert all(s is old or s is new for s in seen)
    assert sum(s is old for s in seen) >= 10


async def test_the_next_snapshot_reuses_what_did_not_change(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    seed = next(knowledge.glob("*.toml"))
    async with Store(str(tmp_path / "reuse.db")) as store:
        service = TalentService(store, knowledge)
        await service.start()
        first = service.snapshot
        await run(service, "ask", "who is the cto")
        assert first.memo.roles is not None  # built with the snapshot, before it was served
        async with service.context() as ctx:
            assert await memo(ctx) is first.memo

        # An edit that changes no name: the name tables and name words are shared.
        seed.write_text(seed.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        assert (await service.reload()).ok
        second = service.snapshot
        assert second.version != first.version
        assert second.index.same_names(first.index)
        assert second.name_words is first.name_words
        # Its own question tables, built before the swap, not the first version's.
        assert second.memo is not first.memo and second.memo.roles is not None
        assert second.memo.roles is not first.memo.roles

        # New names: new tables, but the names already known are not normalised again.
        shutil.copy(SECOND_ARTICLE, knowledge / "2026-03-02-kestrel-cto.toml")
        assert (await service.reload()).ok
        third = service.snapshot
        assert not third.index.same_names(second.index)
        assert third.name_words is not second.name_words
        _whole(third)
        assert third.index.normal("Vasi Philomin") is second.index.normal("Vasi Philomin")


def test_a_loader_validates_again_only_the_files_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge", second=True)
    files = sorted(knowledge.glob("*.toml"))
    parsed: list[str] = []
    parse = bot.knowledge.loader._parse

    def counting(raw: Any, *args: Any) -> Any:
        parsed.append(raw.name)
        return parse(raw, *args)

    monkeypatch.setattr(bot.knowledge.loader, "_parse", counting)
    loader = Loader()
    before = loader.load(knowledge)
    assert sorted(parsed) == [f.name for f in files]
    parsed.clear()
    files[0].write_text(files[0].read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    after = loader.load(knowledge)
    assert parsed == [files[0].name]
    assert after.version != before.version
    assert after.files[1].content is before.files[1].content
    # Another loader, like a one-off load, shares nothing with this one.
    parsed.clear()
    load_directory(knowledge)
    assert len(parsed) == len(files)


def test_a_load_shares_equal_fields_sets() -> None:
    kb = load_directory(ROOT / "knowledge")
    roles = [r for f in kb.files for p in f.content.people for r in p.roles]
    assert len(roles) > 1
    by_keys: dict[frozenset[str], set[int]] = {}
    for role in roles:
        by_keys.setdefault(frozenset(role.model_fields_set), set()).add(
            id(role.__pydantic_fields_set__)
        )
    assert all(len(ids) == 1 for ids in by_keys.values()), by_keys


# ---------------------------------------------------------------------- no module-level caches

# What a version-keyed cache in a module looks like: the old ones, by name, and any module-level
# instance of a cache-like class or empty container (a table filled as the bot runs).
OLD_CACHES = {"_parsed", "_normal", "_last_tables", "_MEMOS", "_NAME_WORDS", "_FIELD_SETS"}
CACHE_WORDS = ("Cache", "Normals", "Memo", "Weak", "Snapshot", "NameIndex", "Loader")
EMPTY_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"}
# An lru_cache may stay only on a pure function of text: the same for every knowledge version.
PURE_ARGUMENTS = {"str", "tuple[str, ...]", "frozenset[str]"}


def _call_name(node: ast.expr) -> str:
    func = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(func).rsplit(".", 1)[-1]


def module_level_caches(source: str, where: str) -> list[str]:
    """Every place in the source that keeps state of a knowledge version in a module."""
    found: list[str] = []
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            modules = [a.name for a in node.names] + [getattr(node, "module", None) or ""]
            if any(m.split(".")[0] == "weakref" for m in modules):
                found.append(f"{where}:{node.lineno}: imports weakref")
        if isinstance(node, ast.Global):
            found.append(f"{where}:{node.lineno}: global {', '.join(node.names)}")
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            cached = [d for d in node.decorator_list if _call_name(d) in {"lru_cache", "cache"}]
            arguments = [*node.args.posonlyargs, *node.args.args, *node.args.kwonlyargs]
            shown = [ast.unparse(a.annotation) if a.annotation else "?" for a in arguments]
            if cached and not all(s in PURE_ARGUMENTS for s in shown):
                found.append(f"{where}:{node.lineno}: lru_cache on {node.name}({', '.join(shown)})")
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            targets, value = statement.targets, statement.value
        elif isinstance(statement, ast.AnnAssign) and statement.value is not None:
            targets, value = [statement.target], statement.value
        else:
            continue
        names = [ast.unparse(t) for t in targets]
        empty = (isinstance(value, ast.Dict) and not value.keys) or (
            isinstance(value, ast.List) and not value.elts
        )
        if isinstance(value, ast.Call):
            called = _call_name(value)
            empty |= called in EMPTY_CALLS and not value.args and not value.keywords
            empty |= any(word in called for word in CACHE_WORDS)
        if empty or OLD_CACHES & set(names):
            found.append(f"{where}:{statement.lineno}: {', '.join(names)} = {ast.unparse(value)}")
    return found


def test_no_module_keeps_state_of_a_knowledge_version() -> None:
    found = [
        problem
        for path in sorted((ROOT / "bot").rglob("*.py"))
        for problem in module_level_caches(
            path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))
        )
    ]
    assert not found, "derived state belongs on the Snapshot (docs/architecture.md):\n" + (
        "\n".join(found)
    )


def test_the_cache_check_finds_the_caches_it_forbids() -> None:
    source = """
import weakref
from functools import lru_cache
_MEMOS: weakref.WeakKeyDictionary[object, object] = weakref.WeakKeyDictionary()
_last_tables: list[object] = []
_seen = {}
_parsed = _ParseCache()
TABLE = {"a": 1}

@lru_cache(maxsize=8)
def words_of(index: NameIndex) -> list[str]: ...

@lru_cache(maxsize=8)
def stem(word: str) -> str: ...

def remember(value: str) -> None:
    global TABLE
"""
    found = module_level_caches(source, "x.py")
    assert [line.split(":")[1] for line in found] == ["2", "11", "17", "4", "5", "6", "7"], found
