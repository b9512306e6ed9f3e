"""The blind drafting fixtures (dev and test splits) are valid knowledge and quote their texts."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from bot.knowledge.loader import load_directory
from tests.conftest import KNOWLEDGE, copy_knowledge

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SPLITS = (FIXTURES / "drafting_dev", FIXTURES / "drafting_test")
PAIRS = sorted(path for split in SPLITS for path in split.glob("*.toml"))
FACT_SECTIONS = ("moves", "figures", "statements", "facts")


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_each_split_holds_at_least_four_articles_with_their_texts() -> None:
    for split in SPLITS:
        tomls = {path.stem for path in split.glob("*.toml")}
        texts = {path.stem for path in split.glob("*.txt")}
        assert len(tomls) >= 4 and tomls == texts, split.name
    assert len({path.stem for path in PAIRS}) == len(PAIRS) >= 8


@pytest.mark.parametrize("split", SPLITS, ids=lambda split: split.name)
def test_split_loads_with_the_knowledge(tmp_path: Path, split: Path) -> None:
    folder = copy_knowledge(tmp_path / "knowledge", *split.glob("*.toml"))
    added = len(list(split.glob("*.toml")))
    assert len(load_directory(folder).files) == len(list(KNOWLEDGE.glob("*.toml"))) + added


def test_both_splits_load_together_with_the_knowledge(tmp_path: Path) -> None:
    folder = copy_knowledge(tmp_path / "knowledge", *PAIRS)
    kb = load_directory(folder)
    assert len(kb.files) == len(list(KNOWLEDGE.glob("*.toml"))) + len(PAIRS)
    assert {f.content.article.id for f in kb.files} >= {path.stem for path in PAIRS}


def test_every_hand_written_file_loads_together(tmp_path: Path) -> None:
    # The draft benchmark links each article against all the others: one clash breaks it.
    others = [*(FIXTURES / "drafting").glob("*.toml"), FIXTURES / "second_article.toml"]
    folder = copy_knowledge(tmp_path / "knowledge", *PAIRS, *others)
    assert len(load_directory(folder).files) == len(list(folder.glob("*.toml")))


@pytest.mark.parametrize("toml_path", PAIRS, ids=lambda path: path.stem)
def test_every_quote_is_in_the_text(toml_path: Path) -> None:
    text = toml_path.with_suffix(".txt").read_text(encoding="utf-8")
    assert 350 <= len(text.split()) <= 900
    normal_text = _normal(text)
    data = tomllib.loads(toml_path.read_text(encoding="utf-8"))
    assert data["article"]["id"] == toml_path.stem
    assert data["article"]["title"] == text.splitlines()[0].strip()
    entries = [entry for section in FACT_SECTIONS for entry in data.get(section, [])]
    assert entries
    missing = [e["id"] for e in entries if _normal(e["quote"]) not in normal_text]
    assert not missing, missing
