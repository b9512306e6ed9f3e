"""The drafter as a function: valid TOML that loads, exact quotes, links to known entities."""

from __future__ import annotations

import datetime as dt
import shutil
import tomllib
from pathlib import Path

import pytest

from benchmarks.draft_eval import SEED_TEXT, not_exact_sentences
from bot.draft import ArticleMeta, Known, dates, draft, numbers, sentences
from bot.knowledge.loader import load_directory
from bot.service import TalentService
from tests.conftest import KNOWLEDGE, SECOND_ARTICLE

DRAFTING = Path(__file__).resolve().parent / "fixtures" / "drafting"
SEED_META = ArticleMeta(
    "Amazon AI Executive Leaves Company Amid Competition for AI Talent",
    "PYMNTS",
    dt.date(2025, 6, 26),
)
needs_seed = pytest.mark.skipif(not SEED_TEXT.exists(), reason="seed article text not present")


def _folder(tmp_path: Path, *files: Path) -> Path:
    folder = tmp_path / "knowledge"
    folder.mkdir()
    for path in files:
        shutil.copy(path, folder / path.name)
    return folder


def _articles() -> list[Path]:
    # The test split is left out on purpose: its texts are never opened outside the benchmark.
    found = sorted(DRAFTING.glob("*.txt")) + sorted(
        DRAFTING.with_name("drafting_dev").glob("*.txt")
    )
    return [SEED_TEXT, *found] if SEED_TEXT.exists() else found


@pytest.mark.parametrize("article", _articles(), ids=lambda p: p.stem)
def test_every_quote_is_an_exact_sentence_and_the_draft_loads(
    article: Path, tmp_path: Path
) -> None:
    folder = _folder(tmp_path, SECOND_ARTICLE)
    text = article.read_text(encoding="utf-8")
    result = draft(text, SEED_META, Known.from_directory(folder))
    data = tomllib.loads(result.toml)
    quotes = [
        f["quote"] for key in ("moves", "figures", "statements", "facts") for f in data.get(key, [])
    ]
    assert quotes and not_exact_sentences(text, quotes) == []
    assert result.todos == sum("# TODO" in line for line in result.toml.splitlines())
    assert f"# {result.todos} TODOs:" in result.toml
    (folder / "draft.toml").write_text(result.toml, encoding="utf-8")
    load_directory(folder)  # raises KnowledgeError with every problem


@needs_seed
def test_known_entities_keep_their_ids_and_new_ids_are_free(tmp_path: Path) -> None:
    """Drafting the seed beside its own hand-written file links every name to it, reuses no
    fact or article id, and the two files load together."""
    known = Known.from_directory(KNOWLEDGE)
    result = draft(SEED_TEXT.read_text(encoding="utf-8"), SEED_META, known)
    data = tomllib.loads(result.toml)
    drafted = {e["id"] for key in ("people", "companies") for e in data[key]}
    assert drafted <= set(known.entities)
    assert {"vasi-philomin", "rajesh-sheth", "amazon", "meta", "nvidia"} <= drafted
    ids = [data["article"]["id"]] + [
        f["id"] for key in ("moves", "figures", "statements", "facts") for f in data[key]
    ]
    assert not set(ids) & known.taken - drafted
    folder = _folder(tmp_path, *KNOWLEDGE.glob("*.toml"))
    (folder / "draft.toml").write_text(result.toml, encoding="utf-8")
    load_directory(folder)


def test_an_alias_links_to_the_known_company(tmp_path: Path) -> None:
    text = (
        "Kite Labs has hired Jana Novak, a former director of storage at AWS, as its chief "
        "technology officer, the company said on Monday. Novak spent six years at AWS."
    )
    meta = ArticleMeta("Kite Labs hires AWS storage director", "Example Wire", dt.date(2026, 3, 4))
    data = tomllib.loads(draft(text, meta, Known.from_directory(KNOWLEDGE)).toml)
    companies = {c["name"]: c["id"] for c in data["companies"]}
    assert companies["Amazon"] == "amazon"  # "AWS" is an alias of the seed's Amazon
    assert companies["Kite Labs"] == "kite-labs"
    [person] = data["people"]
    assert (person["id"], person["aliases"]) == ("jana-novak", ["Novak"])
    [move] = data["moves"]
    assert (move["person"], move["from"], move["to"]) == ("jana-novak", "amazon", "kite-labs")
    assert move["reported_on"] == dt.date(2026, 3, 2)  # "on Monday" before Wednesday the 4th


def test_a_draft_without_known_entities_proposes_new_ones() -> None:
    text = "Orbit Robotics CEO Lee Park said the company now employs 120 people."
    meta = ArticleMeta("Orbit grows", "Example Wire", dt.date(2026, 1, 5))
    data = tomllib.loads(draft(text, meta).toml)
    assert [p["id"] for p in data["people"]] == ["lee-park"]
    assert data["people"][0]["roles"][0] == {
        "title": "CEO",
        "company": "orbit-robotics",
        "current": True,
    }
    [figure] = data["figures"]
    assert (figure["subject"], figure["value"], figure["unit"]) == ("orbit-robotics", 120, "people")
    [statement] = data["statements"]
    assert statement["speaker"] == "lee-park"


def test_date_phrases_resolve_against_the_published_date() -> None:
    published = dt.date(2025, 6, 26)  # a Thursday
    found = dates.find(
        "Reuters reported Thursday (June 26) that on June 18 it said in February, "
        "Wednesday and last month, as in 2021.",
        published,
    )
    assert [d.value for d in found] == [
        "2025-06-26",
        "2025-06-18",
        "2025-02",
        "2025-06-25",
        "2025-05",
        "2021",
    ]
    assert dates.find("in December", dt.date(2026, 1, 10))[0].value == "2025-12"


@pytest.mark.parametrize(
    ("text", "value", "unit", "approximate"),
    [
        ("$100 million signing bonuses", 100_000_000, "USD", False),
        ("revenue grew 60%", 60, "%", False),
        ("to about $3.75 trillion", 3_750_000_000_000, "USD", True),
        ("tens of millions of dollars per year", 10_000_000, "USD", True),
        ("a grant of 12.5 million euros", 12_500_000, "EUR", False),
        ("now has 85 employees", 85, "employees", False),
    ],
)
def test_amounts(text: str, value: float, unit: str, approximate: bool) -> None:
    [amount] = numbers.find(text, [])
    assert (amount.value, amount.unit, amount.approximate) == (value, unit, approximate)


def test_durations_and_years_are_not_figures() -> None:
    assert numbers.find("for eight years since 2019 and for 6 months", []) == []


def test_sentences_keep_their_exact_text() -> None:
    text = "Title Line\n\n“It works,” Dr. Smith said. She left U.S. Steel in May.\nNext one?"
    split = sentences.split(text)
    assert [s.text for s in split] == [
        "Title Line",
        "“It works,” Dr. Smith said.",
        "She left U.S. Steel in May.",
        "Next one?",
    ]
    assert split[0].heading and not split[1].heading
    assert all(text[s.start : s.start + len(s.text)] == s.text for s in split)


async def test_knowledge_draft_answers_with_a_file_linked_to_the_knowledge(
    seed_service: TalentService, tmp_path: Path
) -> None:
    from bot.commands import run

    text = "Amazon said Rajesh Sheth will lead the group. Sheth joined Meta on Monday."
    answer = await run(
        seed_service,
        "knowledge draft",
        text=text,
        title="Sheth moves",
        publisher="Example Wire",
        published="2026-03-02",
    )
    assert answer.status == "ok" and answer.attachment is not None
    draft = answer.attachment.content
    tomllib.loads(draft)  # valid TOML as sent
    assert 'id = "rajesh-sheth"' in draft and 'id = "amazon"' in draft  # the known ids
    # Beside the knowledge it was drafted against, it checks as it stands.
    folder = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE, folder)
    (folder / answer.attachment.filename).write_text(draft, encoding="utf-8")
    assert len(load_directory(folder).files) == 2
    nothing = await run(
        seed_service, "knowledge draft", text=" ", title="t", publisher="p", published="2026-03-02"
    )
    assert nothing.status == "invalid" and nothing.message == "the article text is empty"


def _moves_of(text: str) -> set[tuple[str, str | None, str | None]]:
    article = f"Headline\n\nMarch 4, 2027\n\n{text}\n"
    result = draft(article, ArticleMeta("Headline", "Example Wire", dt.date(2027, 3, 4)), Known())
    data = tomllib.loads(result.toml)
    return {(m.get("person") or "group", m.get("from"), m.get("to")) for m in data.get("moves", [])}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # an apposition gives where from; "defected to" says where to
            "Tomas Berg, a senior engineer at Halden Systems, defected to Vantage AI in October.",
            {("tomas-berg", "halden-systems", "vantage-ai")},
        ),
        (  # passive voice, with the hirer after "by" and a descriptor before it
            "Sara Kim was hired away from Orbital Data by trading firm Meridian Grid last month.",
            {("sara-kim", "orbital-data", "meridian-grid")},
        ),
        (  # an announced move, and the successor through a pronoun
            "Maya Okafor is departing Solvent Health to join Arclight Bio as chief scientist.",
            {("maya-okafor", "solvent-health", "arclight-bio")},
        ),
        (  # two movers, each with their own apposition, in a subordinate clause's company
            "Raj Malhotra, who ran Brightforge’s data center sales, and Karin Olsen, "
            "Brightforge’s former head of validation, are also joining Orion Compute.",
            {
                ("raj-malhotra", "brightforge", "orion-compute"),
                ("karin-olsen", "brightforge", "orion-compute"),
            },
        ),
        (  # two clauses, two moves; 'while a third, X,' names the second mover
            "Glimmer AI hired Omar Haddad and Lena Fischer from Stratavale, while a third, "
            "Ben Adler, was poached by Quarry Systems.",
            {
                ("omar-haddad", "stratavale", "glimmer-ai"),
                ("lena-fischer", "stratavale", "glimmer-ai"),
                ("ben-adler", "stratavale", "quarry-systems"),
            },
        ),
        (  # 'joins from': where to is the company the sentence before named
            "Vantage AI tapped Greta Lind as its chief operating officer. "
            "Lind joins from Corvid Networks, where she led infrastructure.",
            {("greta-lind", "corvid-networks", "vantage-ai")},
        ),
        (  # a promotion is no move; a planned hire of an unnamed group is none either
            "Pemberton Cloud named Ana Ruiz, its president, as chief executive. "
            "Pemberton Cloud said it would hire 40 engineers next year.",
            set(),
        ),
        (  # a later verb of the clause completes the move a noun began
            "The hire follows the exit of Cobalt Systems’ operating chief, Idris Kane, "
            "who left in January to join Nettle AI.",
            {("idris-kane", "cobalt-systems", "nettle-ai")},
        ),
        (  # a group of any plural noun, leaving for places the article does not name
            "At least 14 members of Marrow Bank’s AI group have left since July, most of them "
            "for hedge funds and trading firms.",
            {("group", "marrow-bank", "undisclosed")},
        ),
    ],
)
def test_moves_in_trade_press_phrasing(
    text: str, expected: set[tuple[str, str | None, str | None]]
) -> None:
    assert _moves_of(text) == expected


@pytest.mark.parametrize(
    ("text", "key", "value", "unit"),
    [
        ("pay of $1 million to $1.8 million a year", "between", [1_000_000, 1_800_000], "USD"),
        ("between $900,000 and $1.4 million", "between", [900_000, 1_400_000], "USD"),
        ("rose by between 20% and 30%", "between", [20, 30], "%"),
        ("more than $50 million over four years", "more_than", 50_000_000, "USD"),
        ("hire up to 40 people there", "up_to", 40, "people"),
        ("a 22 million euro Series A", "value", 22_000_000, "EUR"),
        ("a 40-person research team", "value", 40, "people"),
        ("at least 25 machine learning specialists", "at_least", 25, "specialists"),
        ("has lost four senior researchers", "value", 4, "researchers"),
        ("roughly a quarter going to data", "value", 25, "%"),
        ("would hire “dozens” of engineers", "magnitude", "dozens", "engineers"),
    ],
)
def test_figures_in_trade_press_phrasing(text: str, key: str, value: object, unit: str) -> None:
    article = f"Headline\n\nMarch 4, 2027\n\nAcme Labs said it {text}.\n"
    result = draft(article, ArticleMeta("Headline", "Example Wire", dt.date(2027, 3, 4)), Known())
    figures = tomllib.loads(result.toml)["figures"]
    assert [(f[key], f["unit"]) for f in figures if key in f] == [(value, unit)], figures
