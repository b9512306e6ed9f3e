"""What the desk adds below it: overrides in load_directory, a scan, jobs in the reload worker."""

from __future__ import annotations

import functools
import os
from pathlib import Path

import pytest

from bot.desk.check import Proposal, judge
from bot.knowledge.loader import KnowledgeError, Loader, load_directory
from bot.reloader import WorkerLoader
from tests.conftest import SECOND_ARTICLE, copy_knowledge

SECOND = SECOND_ARTICLE.read_bytes()


def test_overrides_add_replace_and_remove_without_touching_the_disk(tmp_path: Path) -> None:
    folder = copy_knowledge(tmp_path / "k")
    before = sorted(os.listdir(folder))
    (seed,) = before
    both = load_directory(folder, overrides={"b.toml": SECOND})
    assert [f.name for f in both.files] == sorted([seed, "b.toml"])
    alone = load_directory(folder, overrides={seed: None, "b.toml": SECOND})
    assert [f.name for f in alone.files] == ["b.toml"]
    with pytest.raises(KnowledgeError) as caught:
        load_directory(folder, overrides={seed: b"[article]\nid = 'x'\n"})
    assert {e.file for e in caught.value.errors} == {seed}
    assert all(e.line == 1 for e in caught.value.errors)  # located from the bytes given
    assert sorted(os.listdir(folder)) == before


def test_a_check_reuses_the_loaders_parses_and_the_next_load_reuses_the_upload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = copy_knowledge(tmp_path / "k")
    loader = Loader()
    loader.load(folder)
    import bot.knowledge.loader as loader_module

    parsed: list[str] = []
    real = loader_module._parse

    def counting(raw: object, *args: object) -> object:
        parsed.append(raw.name)  # type: ignore[attr-defined]
        return real(raw, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(loader_module, "_parse", counting)
    verdict = judge(Proposal("add", folder, 1 << 20, data=SECOND), loader)
    assert verdict.ok and verdict.new_file == "2026-03-02-kestrel-cto-joins-orbital.toml"
    assert parsed == [verdict.new_file]  # only the upload was parsed
    (folder / verdict.new_file).write_bytes(SECOND)
    again = loader.load(folder)
    assert parsed == [verdict.new_file]  # and not again when the folder reloads
    assert loader.load(folder) is again  # an unchanged folder is not checked again
    (folder / verdict.new_file).write_bytes(SECOND + b"\n")
    changed = loader.load(folder)
    assert changed is not again and changed.version != again.version


async def test_jobs_run_in_the_reload_worker(tmp_path: Path) -> None:
    folder = copy_knowledge(tmp_path / "k")
    worker = WorkerLoader(folder, 1 << 20)
    try:
        verdict = await worker.call(
            functools.partial(judge, Proposal("add", folder, 1 << 20, data=SECOND))
        )
        assert verdict.ok and verdict.article is not None and verdict.article.facts == 4
        refused = await worker.call(
            functools.partial(judge, Proposal("remove", folder, 1 << 20, article_id="nope"))
        )
        assert refused.refusal is not None and "nope" in refused.refusal
    finally:
        worker.close()
