"""The loader: every real file validates; every kind of broken file is named with file, line, field."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeError, Loader, load_directory
from tests.conftest import KNOWLEDGE, SECOND_ARTICLE, copy_knowledge

SEED_FILE = next(KNOWLEDGE.glob("*.toml"))


def test_every_knowledge_file_validates() -> None:
    files = sorted(KNOWLEDGE.glob("*.toml"))
    assert files, "knowledge/ has no files"
    kb = load_directory(KNOWLEDGE)
    assert len(kb.files) == len(files)
    assert all(f.content.fact_count() > 0 for f in kb.files)


def test_seed_counts() -> None:
    counts = load_directory(KNOWLEDGE).counts()
    assert counts == {
        "articles": 1,
        "people": 4,
        "companies": 9,
        "moves": 2,
        "figures": 5,
        "statements": 4,
        "facts": 8,
    }


def _errors(directory: Path) -> list[str]:
    with pytest.raises(KnowledgeError) as caught:
        load_directory(directory, max_file_bytes=64 * 1024)
    return [str(e) for e in caught.value.errors]


def _broken(tmp_path: Path, edit: tuple[str, str]) -> Path:
    """The seed file with one replacement, alone in a temp dir."""
    text = SEED_FILE.read_text(encoding="utf-8")
    old, new = edit
    assert old in text, old
    (tmp_path / SEED_FILE.name).write_text(text.replace(old, new, 1), encoding="utf-8")
    return tmp_path


# (what is wrong, the replacement in the seed file, a fragment every matching error must contain)
BROKEN = [
    ("unknown key", ('title = "Amazon AI', 'titel = "Amazon AI'), "article.titel: unknown key"),
    (
        "unknown person",
        ('person = "vasi-philomin"', 'person = "vasi-philomn"'),
        "moves[0].person: unknown person 'vasi-philomn'",
    ),
    ("unknown company", ('from = "openai"', 'from = "open-ai"'), "moves[1].from: unknown company"),
    ("wrong type", ("value = 60\n", 'value = "sixty"\n'), "figures[1].value:"),
    ("missing field", ('said = "He told Reuters', 'sad = "He told Reuters'), "statements[0].said"),
    ("bad date", ("reported_on = 2025-06-18", 'reported_on = "June 18"'), "expected a date"),
    ("empty name", ('name = "Rajesh Sheth"', 'name = "  "'), "people[1].name"),
    (
        "duplicate fact id",
        ('id = "upwork-ai-clients-growth"', 'id = "upwork-ai-gsv-growth"'),
        "fact id 'upwork-ai-gsv-growth' is used twice",
    ),
    (
        "duplicate entity id",
        ('id = "rajesh-sheth"', 'id = "vasi-philomin"'),
        "'vasi-philomin' is declared twice",
    ),
    (
        "alias collision",
        ('aliases = ["Sheth"]', 'aliases = ["AWS"]'),
        "companies[0].aliases: alias 'AWS' is already claimed by 'rajesh-sheth'",
    ),
    (
        "outlet not cited",
        ('reported_by = "LinkedIn"', 'reported_by = "LinkdIn"'),
        "not the publisher",
    ),
    ("invalid TOML", ('id = "meta"', 'id = "meta'), "is not valid TOML"),
    (
        "move with no one",
        ('person = "vasi-philomin"\nfrom', "from"),
        "exactly one of 'person' or 'group'",
    ),
]


@pytest.mark.parametrize(("what", "edit", "fragment"), BROKEN, ids=[b[0] for b in BROKEN])
def test_broken_file_is_named(
    tmp_path: Path, what: str, edit: tuple[str, str], fragment: str
) -> None:
    errors = _errors(_broken(tmp_path, edit))
    matching = [e for e in errors if fragment in e]
    assert matching, errors
    # The file and a line number lead every message.
    assert all(e.startswith(f"{SEED_FILE.name}:") for e in matching)
    assert all(e.split(":")[1].strip().isdigit() for e in matching), matching


def test_line_points_at_the_bad_key(tmp_path: Path) -> None:
    directory = _broken(tmp_path, ('person = "vasi-philomin"', 'person = "vasi-philomn"'))
    error = next(e for e in _errors(directory) if "vasi-philomn" in e)
    line = int(error.split(":")[1])
    text = (directory / SEED_FILE.name).read_text(encoding="utf-8").splitlines()
    assert text[line - 1].strip() == 'person = "vasi-philomn"'


def test_every_error_of_every_file_is_reported(tmp_path: Path) -> None:
    _broken(tmp_path, ('title = "Amazon AI', 'titel = "Amazon AI'))
    (tmp_path / "b.toml").write_text("[article\n", encoding="utf-8")
    errors = _errors(tmp_path)
    assert any(e.startswith(f"{SEED_FILE.name}:") for e in errors)
    assert any(e.startswith("b.toml:1") for e in errors)


def test_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "latin1.toml").write_bytes('[article]\ntitle = "Caf\u00e9"\n'.encode("latin-1"))
    assert _errors(tmp_path) == ["latin1.toml:2: is not UTF-8 text"]


def test_too_large(tmp_path: Path) -> None:
    (tmp_path / "big.toml").write_text("# " + "x" * 70_000, encoding="utf-8")
    [error] = _errors(tmp_path)
    assert error.startswith("big.toml: is 70,002 bytes; the limit is 65,536")


def test_empty_file(tmp_path: Path) -> None:
    (tmp_path / "empty.toml").write_text("  \n", encoding="utf-8")
    assert _errors(tmp_path) == [
        "empty.toml: is empty; a knowledge file needs at least an [article]"
    ]


def test_link_outside_directory(tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    inside = tmp_path / "knowledge"
    inside.mkdir()
    os.symlink(outside, inside / "sneaky.toml")
    assert _errors(inside) == ["sneaky.toml: is a link to a file outside the knowledge directory"]


def test_duplicate_article_across_files(tmp_path: Path) -> None:
    copy_knowledge(tmp_path)
    (tmp_path / "copy.toml").write_text(SEED_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    errors = _errors(tmp_path)
    assert any(
        "article id 'amazon-ai-executive-leaves-2025-06-26' is also used by" in e for e in errors
    )
    assert any("is used twice (also in" in e for e in errors)


def test_same_person_in_two_files_is_merged(tmp_path: Path) -> None:
    copy_knowledge(tmp_path, second=True)
    text = SECOND_ARTICLE.read_text(encoding="utf-8") + (
        '\n[[people]]\nid = "sam-altman"\nname = "Sam Altman"\naliases = ["Sama"]\n'
    )
    (tmp_path / "2026-03-02-kestrel-cto.toml").write_text(text, encoding="utf-8")
    kb = load_directory(tmp_path)
    altman = kb.entities["sam-altman"]
    assert altman.aliases == ("Altman", "Sama")
    assert len(altman.articles) == 2


def test_same_id_different_name_across_files(tmp_path: Path) -> None:
    copy_knowledge(tmp_path, second=True)
    text = SECOND_ARTICLE.read_text(encoding="utf-8") + (
        '\n[[people]]\nid = "sam-altman"\nname = "Samuel Altman"\n'
    )
    (tmp_path / "2026-03-02-kestrel-cto.toml").write_text(text, encoding="utf-8")
    errors = _errors(tmp_path)
    assert any("'sam-altman' is the person 'Sam Altman' in" in e for e in errors), errors


def test_missing_directory(tmp_path: Path) -> None:
    assert _errors(tmp_path / "nope") == [f"{tmp_path / 'nope'}: is not a directory"]


def test_a_seeded_loader_parses_only_the_files_it_has_no_summary_for(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge", second=True)
    kb = load_directory(knowledge)
    first, second = kb.files[0], kb.files[1]
    loader = Loader()
    taken = loader.seed(
        [
            (first.name, first.sha256, first.summary.to_json()),
            (second.name, second.sha256, "not JSON"),  # unreadable: that file is parsed
            ("other.toml", "0" * 64, "[1]"),
        ]
    )
    assert taken == 1
    again = loader.load(knowledge)
    assert (again.version, again.entities, again.counts()) == (kb.version, kb.entities, kb.counts())
    assert again.files[0].parsed is None and again.files[1].parsed is not None
    # The content of a file known by its summary alone is parsed when asked for.
    assert again.files[0].content == first.content


def test_a_file_known_by_summary_that_changed_since_is_an_error_not_stale_content(
    tmp_path: Path,
) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    kb = load_directory(knowledge)
    loaded = kb.files[0]
    loader = Loader()
    loader.seed([(loaded.name, loaded.sha256, loaded.summary.to_json())])
    again = loader.load(knowledge)
    path = knowledge / loaded.name
    path.write_text(path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        _ = again.files[0].content
    assert [str(e) for e in caught.value.errors] == [
        f"{loaded.name}: changed while loading; reload again"
    ]
