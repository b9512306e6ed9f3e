"""Every query on the seed and on a second article: the facts of each answer, and their sources."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from bot.answers import unresolved
from bot.commands import run
from bot.console.render import render_text
from bot.knowledge.facts import Figure, Move, Statement
from bot.models import Answer, Citation, Item, Section
from bot.resolve import EntityRef, Resolution
from bot.service import TalentService
from bot.store import Store
from tests.conftest import KNOWLEDGE, SECOND_ARTICLE

SEED = tomllib.loads(next(KNOWLEDGE.glob("*.toml")).read_text(encoding="utf-8"))
SECOND = tomllib.loads(SECOND_ARTICLE.read_text(encoding="utf-8"))
SEED_TITLE = "Amazon AI Executive Leaves Company Amid Competition for AI Talent"
SECOND_TITLE = "Kestrel Robotics CTO Joins Orbital Labs"


def quote(article: dict[str, Any], fact_id: str) -> str:
    """The quote a knowledge file gives for a fact: what its citation must carry, word for word."""
    for section in ("moves", "figures", "statements", "facts"):
        for fact in article.get(section, []):
            if fact["id"] == fact_id:
                return str(fact["quote"])
    raise KeyError(fact_id)


def rendered(answer: Answer) -> str:
    """The answer as the console prints it, checked to name the source of every cited item."""
    text = render_text(answer)
    flat = " ".join(text.split())  # lines wrap at 100 columns, titles included
    assert answer.title in text
    for item in answer.items():
        if item.citation is not None:
            assert item.citation.title in flat, (item.text, item.citation.title)
            assert item.citation.publisher in flat, (item.text, item.citation.publisher)
            if item.citation.quote:
                assert " ".join(item.citation.quote.split()) in flat
    return flat


def seed_citation(
    cited: Citation | None, fact_id: str | None, reported_by: str | None = None
) -> None:
    """The citation names the seed article, its date, and (for facts) the exact sentence."""
    assert cited is not None
    assert (cited.article_id, cited.title, cited.publisher, cited.published) == (
        SEED["article"]["id"],
        SEED_TITLE,
        "PYMNTS",
        "2025-06-26",
    )
    assert cited.quote == (quote(SEED, fact_id) if fact_id else None)
    assert cited.reported_by == reported_by


def second_citation(
    cited: Citation | None, fact_id: str | None, reported_by: str | None = None
) -> None:
    assert cited is not None
    assert (cited.title, cited.publisher, cited.published, cited.url) == (
        SECOND_TITLE,
        "Example Wire",
        "2026-03-02",
        "https://example.com/kestrel-cto",
    )
    assert cited.quote == (quote(SECOND, fact_id) if fact_id else None)
    assert cited.reported_by == reported_by


def move_of(item: Item) -> Move:
    """The move an item states."""
    assert isinstance(item.fact, Move), item
    return item.fact


def figure_of(item: Item) -> Figure:
    """The figure an item states."""
    assert isinstance(item.fact, Figure), item
    return item.fact


def texts(items: list[Item]) -> list[str]:
    return [i.text for i in items]


def section(answer: Answer, heading: str) -> list[Item]:
    [found] = [s for s in answer.sections if s.heading == heading]
    return found.items


# ---------------------------------------------------------------------- who left / joined


@pytest.mark.parametrize("company", ["Amazn", "Amazon", "AWS", "amazon web services", "amazon's"])
async def test_who_left_amazon(seed_service: TalentService, company: str) -> None:
    answer = await run(seed_service, "who-left", company=company)
    assert (answer.status, answer.title) == ("ok", "Departures from Amazon")
    [departure] = answer.items()
    move = move_of(departure)
    assert (move.person, move.from_company, move.to_company) == (
        "vasi-philomin",
        "amazon",
        "undisclosed",
    )
    assert move.role == "Vice President and General Manager, Machine Learning and AI"
    assert (move.successor, move.successor_scope) == (
        "rajesh-sheth",
        "some of his former responsibilities",
    )
    assert departure.text.startswith("Vasi Philomin left Amazon for an undisclosed company")
    assert "reported June 26, 2025" in departure.text
    assert departure.detail == (
        "Rajesh Sheth took over some of Vasi Philomin's former responsibilities at Amazon."
    )
    seed_citation(departure.citation, "philomin-leaves-amazon", "Reuters")
    flat = rendered(answer)
    assert "Rajesh Sheth took over" in flat and "via Reuters" in flat


async def test_who_left_everyone_newest_first(seed_service: TalentService) -> None:
    answer = await run(seed_service, "who-left")
    assert (answer.status, answer.title, answer.message) == (
        "ok",
        "Departures",
        "2 departures recorded.",
    )
    philomin, researchers = answer.items()
    assert philomin.text.startswith("Vasi Philomin left Amazon")
    group = move_of(researchers).group
    assert group is not None and group.count == 3
    assert researchers.text.startswith("3 OpenAI researchers left OpenAI for Meta")
    assert move_of(philomin).reported_on > move_of(researchers).reported_on
    seed_citation(philomin.citation, "philomin-leaves-amazon", "Reuters")
    seed_citation(researchers.citation, "meta-hires-three-openai-researchers")
    rendered(answer)


@pytest.mark.parametrize("company", ["Microsoft", "microsoft", "Anthropic"])
async def test_who_left_a_company_nobody_left(seed_service: TalentService, company: str) -> None:
    answer = await run(seed_service, "who-left", company=company)
    assert answer.status == "empty"
    assert answer.message is not None and f"No departures from {company.title()}" in answer.message
    assert answer.items() == []  # never someone else's departure
    assert "Philomin" not in rendered(answer)


async def test_who_left_by_person(seed_service: TalentService) -> None:
    answer = await run(seed_service, "who-left", person="vasi philomen")
    assert (answer.status, answer.title) == ("ok", "Departures by Vasi Philomin")
    [departure] = answer.items()
    assert move_of(departure).person == "vasi-philomin"
    seed_citation(departure.citation, "philomin-leaves-amazon", "Reuters")
    rendered(answer)

    both = await run(seed_service, "who-left", company="AWS", person="Philomin")
    assert [i.fact.id for i in both.items() if i.fact] == ["philomin-leaves-amazon"]
    nobody = await run(seed_service, "who-left", company="Amazon", person="Sam Altman")
    assert nobody.status == "empty" and nobody.items() == []
    assert (
        nobody.message == "No departures from Amazon by Sam Altman are recorded in the news I know."
    )
    never_moved = await run(seed_service, "who-left", person="Zuckerberg")
    assert never_moved.status == "empty" and never_moved.items() == []


async def test_who_joined_meta(seed_service: TalentService) -> None:
    answer = await run(seed_service, "who-joined", company="meta")
    assert (answer.status, answer.title) == ("ok", "Arrivals at Meta")
    [arrival] = answer.items()
    move = move_of(arrival)
    assert move.group is not None and move.group.count == 3
    assert (move.from_company, move.to_company) == ("openai", "meta")
    assert arrival.text.startswith("3 OpenAI researchers joined Meta from OpenAI")
    assert move.role == "researchers, joining Meta's AI efforts"
    assert "3 OpenAI researchers" in arrival.text and "Meta" in arrival.text
    seed_citation(arrival.citation, "meta-hires-three-openai-researchers")
    rendered(answer)

    # Philomin's new firm is undisclosed: he joined no company the news names.
    amazon = await run(seed_service, "who-joined", company="Amazon")
    assert amazon.status == "empty" and amazon.items() == []
    everyone = await run(seed_service, "who-joined")
    assert {i.fact.id for i in everyone.items() if i.fact} == {
        "meta-hires-three-openai-researchers",
        "philomin-leaves-amazon",
    }


# ---------------------------------------------------------------------- figures


async def test_stats_upwork_is_exactly_its_three_figures(seed_service: TalentService) -> None:
    answer = await run(seed_service, "stats", "upwork")
    assert (answer.status, answer.title) == ("ok", "Figures about Upwork")
    figures = [figure_of(i) for i in answer.items()]
    assert sorted((f.value, f.unit, f.display()) for f in figures) == [
        (42, "%", "42%"),
        (44, "%", "44%"),
        (60, "%", "60%"),
    ]
    for item in answer.items():
        figure = figure_of(item)
        assert (figure.subject, figure.according_to) == ("upwork", "upwork")
        assert figure.period == "the previous year"
        assert item.text.endswith("(the previous year), according to Upwork.")
        seed_citation(item.citation, figure.id, "Upwork")
    assert any("gross services volume" in t and "60%" in t for t in texts(answer.items()))
    assert any("clients" in t and "42%" in t for t in texts(answer.items()))
    assert any("hourly earnings" in t and "44%" in t for t in texts(answer.items()))
    rendered(answer)


async def test_stats_nvidia_market_cap(seed_service: TalentService) -> None:
    answer = await run(seed_service, "stats", "nvidia")
    [cap] = answer.items()
    figure = figure_of(cap)
    assert (figure.value, figure.unit, figure.as_of) == (3.75e12, "USD", "2025-06-25")
    assert figure.display() == "about $3.75 trillion"
    assert cap.text == "Nvidia: market capitalisation: about $3.75 trillion (as of June 25, 2025)."
    seed_citation(cap.citation, "nvidia-market-cap")
    rendered(answer)


async def test_stats_meta_signing_bonuses(seed_service: TalentService) -> None:
    answer = await run(seed_service, "stats", "meta")
    [bonus] = answer.items()
    figure = figure_of(bonus)
    assert (figure.display(), figure.according_to) == ("$100 million", "sam-altman")
    assert "signing bonuses" in figure.measure
    assert "according to Sam Altman" in bonus.text
    seed_citation(bonus.citation, "meta-signing-bonus-offers")
    rendered(answer)


async def test_stats_everything_by_subject_with_a_move_tally(seed_service: TalentService) -> None:
    answer = await run(seed_service, "stats")
    assert answer.status == "ok"
    assert answer.message == "5 figures about 3 subjects."
    by_subject = {
        s.heading: sorted(figure_of(i).display() for i in s.items)
        for s in answer.sections
        if s.heading != "Moves by company"
    }
    assert by_subject == {
        "Nvidia": ["about $3.75 trillion"],
        "Meta": ["$100 million"],
        "Upwork": ["42%", "44%", "60%"],
    }
    for item in answer.items():
        if isinstance(item.fact, Figure):
            assert item.text.split(":")[0] in by_subject
            assert item.citation is not None and item.citation.quote == quote(SEED, item.fact.id)
    assert texts(section(answer, "Moves by company")) == [
        "Amazon: 1 left, 0 joined",
        "Meta: 0 left, 1 joined",
        "OpenAI: 1 left, 0 joined",
    ]
    rendered(answer)


@pytest.mark.parametrize(
    ("topic", "fact_ids"),
    [
        ("market cap", {"nvidia-market-cap"}),
        ("Market Capitalisation", {"nvidia-market-cap"}),
        ("signing bonus", {"meta-signing-bonus-offers"}),
        ("bonuses", {"meta-signing-bonus-offers"}),
        ("clients", {"upwork-ai-clients-growth"}),
        ("gross services volume", {"upwork-ai-gsv-growth"}),
    ],
)
async def test_stats_by_measure_words(
    seed_service: TalentService, topic: str, fact_ids: set[str]
) -> None:
    answer = await run(seed_service, "stats", topic)
    assert answer.status == "ok", answer
    assert {i.fact.id for i in answer.items() if i.fact} == fact_ids
    rendered(answer)


async def test_stats_unknown_and_figureless_topics(seed_service: TalentService) -> None:
    unknown = await run(seed_service, "stats", "xyz")
    assert (unknown.status, unknown.items()) == ("not_found", [])
    assert unknown.message == "I know no figures about “xyz”."
    # Microsoft is known, but the news gives no figure about it.
    figureless = await run(seed_service, "stats", "Microsoft")
    assert (figureless.status, figureless.items()) == ("empty", [])
    assert figureless.message is not None and "Microsoft" in figureless.message
    rendered(unknown)
    rendered(figureless)


# ---------------------------------------------------------------------- profiles


async def test_person_profile(seed_service: TalentService) -> None:
    answer = await run(seed_service, "person", "vasi philomen")
    assert (answer.status, answer.title) == ("ok", "Vasi Philomin")
    assert [s.heading for s in answer.sections] == ["Roles", "Moves", "Statements", "Facts"]
    roles = section(answer, "Roles")
    assert texts(roles) == [
        "Vice President and General Manager, Machine Learning and AI at Amazon (former)",
        "Leader in AI product strategy at AWS at Amazon (former)",
    ]
    for role in roles:
        seed_citation(role.citation, None)
    [move] = section(answer, "Moves")
    assert move_of(move).successor == "rajesh-sheth"
    statements = {i.fact.id: i for i in section(answer, "Statements") if i.fact is not None}
    assert set(statements) == {"philomin-tells-reuters", "amazon-confirms-philomin-departure"}
    spokesperson = statements["amazon-confirms-philomin-departure"]
    assert spokesperson.text.startswith(
        "Amazon's spokesperson said (June 26, 2025): Philomin has left"
    )
    facts = {i.fact.id: i for i in section(answer, "Facts") if i.fact is not None}
    assert set(facts) == {
        "philomin-tenure-amazon",
        "philomin-built-bedrock",
        "philomin-pioneered-ai-services",
    }
    assert facts["philomin-built-bedrock"].text == "Vasi Philomin built Amazon Bedrock."
    for fact_id, item in {**statements, **facts}.items():
        seed_citation(item.citation, fact_id, "LinkedIn" if fact_id in facts else "Reuters")
    rendered(answer)


async def test_company_profile_by_alias(seed_service: TalentService) -> None:
    answer = await run(seed_service, "company", "AWS")
    assert (answer.status, answer.title) == ("ok", "Amazon")
    assert [s.heading for s in answer.sections] == ["People", "Moves", "Statements", "Facts"]
    assert texts(section(answer, "People")) == [
        "Rajesh Sheth: Vice President",
        "Vasi Philomin: Vice President and General Manager, Machine Learning and AI (former)",
        "Vasi Philomin: Leader in AI product strategy at AWS (former)",
    ]
    [move] = section(answer, "Moves")
    assert move_of(move).id == "philomin-leaves-amazon"
    [statement] = section(answer, "Statements")
    assert statement.text.startswith("Amazon's spokesperson said")
    seed_citation(statement.citation, "amazon-confirms-philomin-departure", "Reuters")
    facts = {i.fact.id for i in section(answer, "Facts") if i.fact}
    assert {"philomin-built-bedrock", "sheth-oversaw-ebs", "nvidia-shares-all-time-high"} <= facts
    rendered(answer)

    meta = await run(seed_service, "company", "meta")
    assert meta.message == "social media giant"
    assert texts(section(meta, "People")) == ["Mark Zuckerberg: CEO"]
    assert {figure_of(i).display() for i in section(meta, "Figures")} == {"$100 million"}
    rendered(meta)


async def test_sources(seed_service: TalentService) -> None:
    answer = await run(seed_service, "sources")
    assert answer.status == "ok"
    [article] = answer.items()
    fact_count = sum(len(SEED[s]) for s in ("moves", "figures", "statements", "facts"))
    assert answer.message == f"1 article, {fact_count} facts."
    assert article.text == f"{SEED_TITLE} — PYMNTS, June 26, 2025: {fact_count} facts"
    assert article.detail == "cites Reuters, LinkedIn, PYMNTS and Upwork"
    seed_citation(article.citation, None)
    rendered(answer)


# ---------------------------------------------------------------------- names not understood


@pytest.mark.parametrize(
    ("method", "option", "name", "label"),
    [
        ("who_left", "company", "Apple", "company"),
        ("who_joined", "company", "xyz", "company"),
        ("who_left", "person", "Amazon", "person"),
        ("person", "name", "xyz", "person"),
        ("person", "name", "Amazon", "person"),
        ("company", "name", "Vasi Philomin", "company"),
        ("company", "name", "metadata", "company"),
    ],
)
async def test_unknown_names_are_not_found(
    seed_service: TalentService, method: str, option: str, name: str, label: str
) -> None:
    answer: Answer = await run(seed_service, method.replace("_", "-"), **{option: name})
    assert answer.status == "not_found"
    assert answer.is_error and answer.items() == []
    assert answer.title == f"No {label} found"
    assert answer.message is not None and f"“{name}”" in answer.message
    assert answer.tips
    assert name in rendered(answer)


NAMESAKES = """
[article]
id = "namesakes"
title = "Two Smiths Trade Places"
publisher = "Test Gazette"
published = 2026-01-05

[[people]]
id = "jon-smith"
name = "Jon Smith"
roles = [{ title = "CEO", company = "acme", current = true }]

[[people]]
id = "jan-smith"
name = "Jan Smith"
roles = [{ title = "CTO", company = "acme", current = false }]

[[companies]]
id = "acme"
name = "Acme"

[[moves]]
id = "jan-leaves-acme"
person = "jan-smith"
from = "acme"
reported_on = 2026-01-05
quote = "Jan Smith has left Acme."
"""


NAMES = ("Jon Smith", "Jan Smith")


async def test_near_namesakes_get_did_you_mean(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "2026-01-05-namesakes.toml").write_text(NAMESAKES, encoding="utf-8")
    async with Store(str(tmp_path / "n.db")) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is not None and report.ok, report.errors
        for answer in (
            await run(service, "person", "Jen Smith"),
            await run(service, "who-left", person="Smith"),
        ):
            assert answer.status == "ambiguous" and answer.is_error
            assert answer.title == "Which person do you mean?"
            assert {(s.name, s.hint) for s in answer.suggestions} == {
                ("Jon Smith", "CEO at Acme"),
                ("Jan Smith", "CTO at Acme (former)"),
            }
            assert answer.message is not None
            assert answer.message.endswith(
                tuple(f"Did you mean {a} or {b}?" for a, b in (NAMES, NAMES[::-1]))
            )
            flat = rendered(answer)
            assert "Jon Smith (CEO at Acme)" in flat and "Jan Smith (CTO at Acme (former))" in flat
        exact = await run(service, "who-left", person="Jan Smith")
        [move] = exact.items()
        assert move.citation is not None and move.citation.quote == "Jan Smith has left Acme."
        assert "Test Gazette" in rendered(exact)


def test_rendering_keeps_long_links_whole() -> None:
    url = "https://example.com/" + "a-very-long-article-slug-" * 6
    cited = Citation(
        article_id="a", title="T", publisher="P", published="2026-01", url=url, quote="Q."
    )
    answer = Answer(
        command="sources",
        status="ok",
        title="Sources",
        sections=[Section(heading="Articles", items=[Item(kind="text", text="x", citation=cited)])],
    )
    text = render_text(answer)
    assert f"<{url}>" in text.splitlines()[-1]
    assert "— T (P, January 2026)" in text and "“Q.”" in text
    assert "“Q.”" not in render_text(answer, quotes=False)


def test_did_you_mean_one_name() -> None:
    only = EntityRef("acme", "company", "Acme", "robots")
    answer = unresolved(
        "company", Resolution("Acme Inc", "ambiguous", candidates=(only,)), "company"
    )
    assert answer.message == "I have no company called “Acme Inc”. Did you mean Acme?"
    assert [(s.name, s.kind, s.hint) for s in answer.suggestions] == [("Acme", "company", "robots")]
    assert "  - Acme (robots)" in render_text(answer)


# ---------------------------------------------------------------------- a second article


async def test_second_article_who_left_and_joined(two_article_service: TalentService) -> None:
    for answer in (
        await run(two_article_service, "who-left", company="kestrel"),
        await run(two_article_service, "who-joined", company="orbital labs"),
    ):
        assert answer.status == "ok"
        [move] = answer.items()
        fact = move_of(move)
        assert (fact.person, fact.from_company, fact.to_company, fact.role) == (
            "dana-whitfield",
            "kestrel-robotics",
            "orbital-labs",
            "Head of Research",
        )
        assert "Dana Whitfield" in move.text and "Kestrel Robotics" in move.text
        assert move.detail == "Lee Okafor took over from Dana Whitfield at Kestrel Robotics."
        second_citation(move.citation, "whitfield-to-orbital", "Bloomberg")
        assert "https://example.com/kestrel-cto" in rendered(answer)
    everyone = await run(two_article_service, "who-left")
    assert [i.text.split(" left ")[0] for i in everyone.items()] == [
        "Dana Whitfield",
        "Vasi Philomin",
        "3 OpenAI researchers",
    ]
    rendered(everyone)


async def test_second_article_stats(two_article_service: TalentService) -> None:
    answer = await run(two_article_service, "stats", "orbital")
    [grant] = answer.items()
    assert (figure_of(grant).subject, figure_of(grant).display()) == (
        "orbital-labs",
        "€12.5 million",
    )
    assert grant.text == "Orbital Labs: retention grant offered to Dana Whitfield: €12.5 million."
    second_citation(grant.citation, "orbital-retention-grant", "Bloomberg")
    rendered(answer)
    everything = await run(two_article_service, "stats")
    assert everything.message == "6 figures about 4 subjects."
    tally = texts(section(everything, "Moves by company"))
    assert "Kestrel Robotics: 1 left, 0 joined" in tally
    assert "Orbital Labs: 0 left, 1 joined" in tally
    rendered(everything)


async def test_second_article_person(two_article_service: TalentService) -> None:
    answer = await run(two_article_service, "person", "dana whitfield")
    assert (answer.status, answer.title) == ("ok", "Dana Whitfield")
    assert [s.heading for s in answer.sections] == [
        "Roles",
        "Moves",
        "Figures",
        "Statements",
        "Facts",
    ]
    assert texts(section(answer, "Roles")) == [
        "Head of Research at Orbital Labs",
        "Chief Technology Officer at Kestrel Robotics (former)",
    ]
    [statement] = section(answer, "Statements")
    assert isinstance(statement.fact, Statement)
    assert statement.fact.said == "Orbital is where embodied AI will be built."
    second_citation(statement.citation, "whitfield-on-move")
    [fact] = section(answer, "Facts")
    assert fact.text == "Dana Whitfield built the K-7 robotic arm at Kestrel Robotics."
    second_citation(fact.citation, "whitfield-built-arm")
    rendered(answer)


async def test_second_article_company_parent_and_people(two_article_service: TalentService) -> None:
    orbital = await run(two_article_service, "company", "Orbital Labs")
    assert (orbital.status, orbital.title) == ("ok", "Orbital Labs")
    assert orbital.message == "Part of Helios Group."
    [role] = section(orbital, "People")
    assert role.text == "Dana Whitfield: Head of Research"
    second_citation(role.citation, None)
    [move] = section(orbital, "Moves")
    assert move_of(move).id == "whitfield-to-orbital"
    assert [figure_of(i).display() for i in section(orbital, "Figures")] == ["€12.5 million"]
    rendered(orbital)
    kestrel = await run(two_article_service, "company", "Kestrel")
    assert texts(section(kestrel, "People")) == [
        "Lee Okafor: Interim CTO",
        "Dana Whitfield: Chief Technology Officer (former)",
    ]
    rendered(kestrel)
    helios = await run(two_article_service, "company", "helios group")
    assert helios.status == "empty" and helios.items() == []
    assert helios.message is not None and helios.message.startswith("Parent of Orbital Labs.")
    rendered(helios)


async def test_second_article_sources(two_article_service: TalentService) -> None:
    answer = await run(two_article_service, "sources")
    second, seed = answer.items()  # newest first
    assert second.text == f"{SECOND_TITLE} — Example Wire, March 2, 2026: 4 facts"
    assert second.detail == "cites Bloomberg"
    second_citation(second.citation, None)
    seed_citation(seed.citation, None)
    assert answer.message == "2 articles, 23 facts."
    rendered(answer)
