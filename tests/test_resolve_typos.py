"""Issue 13: the obvious typo is answered (and says so), a different name never is.

One test per class of benchmarks/resolution.py, on small indexes built directly, plus the seed
examples through the real commands and both renderers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from benchmarks.resolution import measure
from bot.commands import run
from bot.console.render import render_text
from bot.discord.embeds import render_embeds
from bot.knowledge.schema import EntityKind
from bot.resolve import EntityRef, NameIndex, Resolution
from bot.service import TalentService
from tests.conftest import copy_knowledge, started_service
from tests.test_resolve import company, index_of, person

COMPANIES = index_of(
    company("lynxhub", "Lynxhub Security"),
    company("primestream", "Primestream Corp."),
    company("pinestream", "Pinestream Health"),
    company("omnistream", "Omnistream"),
    company("zircon", "Zircon Works"),
    company("bear-dendrite", "Bear Dendrite Ventures"),
    company("neurocraft-labs", "Neurocraft Labs"),
    company("kestrel-labs", "Kestrel Labs"),
    company("cedar-foundry", "Cedar Foundry"),
    company("clear-nova", "Clear Nova Cloud"),
    company("mesa-ai", "Mesa AI"),
    (company("umber-group", "Umber Group"), ["Umber"]),
    company("amber-group", "Amber Group"),
    company("aa", "AA"),
    company("theranos", "The Theranos Co"),
)
PEOPLE = index_of(
    person("alexandr-wang", "Alexandr Wang"),
    person("christopher-evans", "Christopher Evans"),
    person("william-hughes", "William Hughes"),
    person("rajesh-sheth", "Rajesh Sheth"),
    person("theodore-lin", "Theodore Lin"),
    person("alexander-moreno", "Alexander Moreno"),
    person("alexandra-moreno", "Alexandra Moreno"),
)


def found(index: NameIndex, query: str, kind: EntityKind | None = None) -> Resolution:
    resolution = index.resolve(query, kind)
    assert resolution.status == "found", (query, resolution)
    return resolution


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Lynxxhub Seucrity", "lynxhub"),  # a doubled letter and a swap, in two words
        ("Onmitream", "omnistream"),  # a swap and a lost letter
        ("Primsetream Corp.", "primestream"),  # one transposition: one typo, not two
        ("Zirocn Wlrks", "zircon"),  # two small typos, one per word
        ("Mesa IA", "mesa-ai"),  # a two-letter word takes a swap
        ("Mesa AII", "mesa-ai"),  # or a doubled letter
    ],
)
@pytest.mark.parametrize("kind", ["company", None])
def test_the_clear_winner_is_answered_and_marked_closest(
    query: str, expected: str, kind: EntityKind | None
) -> None:
    resolution = found(COMPANIES, query, kind)
    assert resolution.entity is not None and resolution.entity.id == expected
    assert resolution.closest


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Primestream Inc", "primestream"),  # swapped legal form
        ("Primestream", "primestream"),  # dropped
        ("primestream corp", "primestream"),
        ("Lynxhub Security Ltd", "lynxhub"),  # added
        ("Lynxhub Security GmbH", "lynxhub"),
        ("Omnistream LLC", "omnistream"),
    ],
)
def test_legal_forms_name_no_company(query: str, expected: str) -> None:
    resolution = found(COMPANIES, query, "company")
    assert resolution.entity is not None and resolution.entity.id == expected
    assert not resolution.closest  # the name is as stored, give or take its legal form


def test_a_legal_form_matches_its_own_name_first() -> None:
    index = index_of(company("pd-plc", "Prairie Data PLC"), company("pd", "Prairie Data"))
    for query, expected in (("Prrairie Data PLC", "pd-plc"), ("Prrairie Data", "pd")):
        resolution = found(index, query, "company")
        assert resolution.entity is not None and resolution.entity.id == expected, query


@pytest.mark.parametrize(
    "query",
    [
        "Dendrite Ventures",  # a word dropped from Bear Dendrite Ventures
        "Neurocraft Corp.",  # Neurocraft Labs with its word swapped for a legal form
        "Neurocraft",
        "Kestrel Health",  # a word replaced
        "Kestrel Labs Robotics",  # a word added
        "Deep Kestrel Labs",
        "Clear Foundry",  # "clear" is a stored word, not a typo of "cedar"
        "Amber",  # starts Amber Group: no typo of the alias Umber
    ],
)
@pytest.mark.parametrize("kind", ["company", None])
def test_a_different_name_is_a_different_company(query: str, kind: EntityKind | None) -> None:
    resolution = COMPANIES.resolve(query, kind)
    assert resolution.status != "found", (query, resolution)


def test_neurocraft_corp_matches_neurocraft_but_not_neurocraft_labs() -> None:
    for stored in ("Neurocraft", "Neurocraft Corp"):
        index = index_of(company("labs", "Neurocraft Labs"), company("it", stored))
        resolution = found(index, "Neurocraft Corp.", "company")
        assert resolution.entity is not None and resolution.entity.id == "it"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("alex wang", "alexandr-wang"),  # a prefix of the given name
        ("chris evans", "christopher-evans"),
        ("bill hughes", "william-hughes"),  # a short form from the table
        ("raj sheth", "rajesh-sheth"),
        ("raj shet", "rajesh-sheth"),  # and a near surname
        ("Bill Hughs", "william-hughes"),
    ],
)
def test_short_first_names_resolve_when_unique(query: str, expected: str) -> None:
    for kind in ("person", None):
        resolution = found(PEOPLE, query, kind)
        assert resolution.entity is not None and resolution.entity.id == expected
        assert resolution.closest


@pytest.mark.parametrize(
    "query",
    [
        "alex moreno",  # Alexander or Alexandra: ask
        "john wang",  # another given name is another person
        "the lin",  # a stop word is no short form of Theodore
        "bob hughes",  # Bob is Robert, not William
    ],
)
def test_short_first_names_never_guess(query: str) -> None:
    resolution = PEOPLE.resolve(query, "person")
    assert resolution.status != "found", (query, resolution)
    if query == "alex moreno":
        assert {c.id for c in resolution.candidates} == {"alexander-moreno", "alexandra-moreno"}


@pytest.mark.parametrize("query", ["a a a a", "the the", "of the", "a", "i i i", "a b c d"])
@pytest.mark.parametrize("kind", ["company", "person", None])
def test_noise_never_matches(query: str, kind: EntityKind | None) -> None:
    for index in (COMPANIES, PEOPLE):
        assert index.resolve(query, kind).status == "not_found", query


def test_ties_still_ask() -> None:
    index = index_of(company("a", "Orbit Labs"), company("b", "Orbix Labs"))
    resolution = index.resolve("Orbiy Labs", "company")
    assert resolution.status == "ambiguous"
    assert {c.id for c in resolution.candidates} == {"a", "b"}


def test_exact_names_carry_no_note() -> None:
    index = index_of(EntityRef("acme", "company", "Acme Robotics"))
    assert not found(index, "ACME robotics").closest


# ---------------------------------------------------------------------- through the commands


ALEXANDR_WANG = """
[article]
id = "wang-joins-meta"
title = "Scale AI's Alexandr Wang Joins Meta"
publisher = "Example Wire"
published = 2025-06-13
cites = ["Reuters"]

[[people]]
id = "alexandr-wang"
name = "Alexandr Wang"
roles = [{ title = "Chief AI Officer", company = "meta", current = true }]

[[companies]]
id = "scale-ai"
name = "Scale AI"

[[companies]]
id = "meta"
name = "Meta"

[[moves]]
id = "wang-to-meta"
person = "alexandr-wang"
from = "scale-ai"
to = "meta"
role = "Chief AI Officer"
reported_on = 2025-06-12
quote = "Alexandr Wang, the founder of Scale AI, is joining Meta."
"""


@pytest.fixture
async def wang_service(tmp_path: Path) -> AsyncIterator[TalentService]:
    """The seed knowledge plus an article that makes Alexandr Wang known."""
    knowledge = copy_knowledge(tmp_path / "knowledge")
    (knowledge / "2025-06-13-wang-joins-meta.toml").write_text(ALEXANDR_WANG, encoding="utf-8")
    async with started_service(tmp_path / "wang.db", knowledge) as service:
        yield service


@pytest.mark.parametrize(
    ("command", "typed", "shown"),
    [
        ("person", "raj sheth", "Rajesh Sheth"),
        ("person", "alex wang", "Alexandr Wang"),
        ("company", "nvidai", "Nvidia"),
    ],
)
async def test_seed_examples_answer_directly_with_the_note(
    wang_service: TalentService, command: str, typed: str, shown: str
) -> None:
    answer = await run(wang_service, command, typed)
    assert answer.status in {"ok", "empty"}, answer
    assert answer.title == shown
    note = f"Showing {shown}, the closest name to “{typed}”."
    assert answer.notes == [note]
    # At the top of the answer, in the console and in Discord alike.
    assert render_text(answer).splitlines()[2] == note
    description = render_embeds(answer)[0].description or ""
    assert description.splitlines()[0] == f"*{note}*"


async def test_who_left_and_stats_carry_the_note(wang_service: TalentService) -> None:
    left = await run(wang_service, "who-left", company="Scael AI")
    assert left.title == "Departures from Scale AI"
    assert left.notes == ["Showing Scale AI, the closest name to “Scael AI”."]
    both = await run(wang_service, "who-left", company="Scale AI", person="alex wang")
    assert both.notes == ["Showing Alexandr Wang, the closest name to “alex wang”."]
    figures = await run(wang_service, "stats", "Amazn")
    assert figures.title == "Figures about Amazon"
    assert figures.notes == ["Showing Amazon, the closest name to “Amazn”."]
    exact = await run(wang_service, "company", "Amazon")
    assert exact.notes == []


async def test_no_confident_answer_about_a_company_that_is_not_known(
    wang_service: TalentService,
) -> None:
    for typed in ("Scale", "Scale Robotics", "Meta Labs", "Nvidia Research", "a a a a"):
        answer = await run(wang_service, "company", typed)
        assert answer.status in {"not_found", "ambiguous"}, (typed, answer)
        assert answer.notes == []


async def test_the_accuracy_benchmark_runs_and_answers_no_one_wrongly() -> None:
    """benchmarks/resolution.py at a small size: every class drawn, no confident wrong answer."""
    result = await measure(200, "test", 12, 0, lambda _: None)
    assert set(result["classes"]) >= {"exact", "one transposition", "word changed", "noise"}
    assert all(sum(counts.values()) for counts in result["classes"].values())
    assert sum(counts.get("wrong", 0) for counts in result["classes"].values()) == 0
