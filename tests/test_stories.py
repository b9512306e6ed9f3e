"""Stories that develop: when things happened, quantities as said, follow-ups, corrections, retractions.

Run through the real service on knowledge folders of the seed plus made-up follow-up articles
(tests/fixtures/stories/).
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.commands import run
from bot.console.render import render_text
from bot.knowledge.facts import Figure
from bot.knowledge.loader import KnowledgeError, load_directory
from bot.models import Answer
from bot.service import TalentService
from bot.store import Store
from tests.conftest import KNOWLEDGE

STORIES = Path(__file__).resolve().parent / "fixtures" / "stories"
FOLLOW_UP = STORIES / "2025-08-01-philomin-follow-up.toml"
CORRECTIONS = STORIES / "2025-08-05-corrections.toml"


def folder(target: Path, *extra: Path) -> Path:
    """A knowledge folder: the seed plus the given fixture articles."""
    target.mkdir(parents=True, exist_ok=True)
    for path in (*KNOWLEDGE.glob("*.toml"), *extra):
        shutil.copy(path, target / path.name)
    return target


async def open_on(tmp_path: Path, *extra: Path) -> AsyncIterator[TalentService]:
    """The real service over a real SQLite file, on the seed plus ``extra``."""
    knowledge = folder(tmp_path / "knowledge", *extra)
    async with Store(str(tmp_path / "stories.db")) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is not None and report.ok, report
        yield service


@pytest.fixture
async def follow_up(tmp_path: Path) -> AsyncIterator[TalentService]:
    """The seed and the follow-up that says where Vasi Philomin went."""
    async for service in open_on(tmp_path, FOLLOW_UP):
        yield service


@pytest.fixture
async def corrected(tmp_path: Path) -> AsyncIterator[TalentService]:
    """The seed, the follow-up, and the article correcting and retracting parts of it."""
    async for service in open_on(tmp_path, FOLLOW_UP, CORRECTIONS):
        yield service


def texts(answer: Answer) -> list[str]:
    """The text of every item, in order."""
    return [item.text for item in answer.items()]


def flat(answer: Answer) -> str:
    """The answer as the console prints it, on one line."""
    return " ".join(render_text(answer).split())


# ---------------------------------------------------------------------- when it happened


async def test_a_move_years_before_its_report_says_so_and_sorts_by_when_it_happened(
    follow_up: TalentService,
) -> None:
    answer = await run(follow_up, "who-left", "alphabet")
    assert texts(answer) == [
        "Pat Placeholder left Alphabet for Example Corp (Head of Research), "
        "in 2021 (reported August 1, 2025)."
    ]
    joined = texts(await run(follow_up, "who-joined", "example corp"))
    # Reported the same day as Philomin's and Sample's moves, but it happened in 2021: last.
    assert joined[-1].startswith("Pat Placeholder joined Example Corp from Alphabet")


# ---------------------------------------------------------------------- quantities


@pytest.mark.parametrize(
    ("fact_id", "wording"),
    [
        ("meta-signing-bonus-offers", "$100 million"),
        ("philomin-package", "tens of millions of dollars per year"),
        ("example-corp-ai-spend", "tens of billions of dollars this year"),
        ("example-corp-ai-hires", "more than 100 people"),
        ("example-corp-lab-budget-share", "between 40% and 50%"),
        ("example-corp-retention-grants", "up to $5 million"),
        ("example-corp-lab-teams", "hundreds of teams"),
    ],
)
async def test_every_kind_of_quantity_reads_as_the_article_says_it(
    follow_up: TalentService, fact_id: str, wording: str
) -> None:
    for topic in ("example corp", "meta"):
        answer = await run(follow_up, "stats", topic)
        for item in answer.items():
            if item.fact is not None and item.fact.id == fact_id:
                assert f": {wording}" in item.text, item.text
                assert wording in flat(answer)
                return
    raise AssertionError(f"{fact_id} not in /stats")


def quantity(**given: object) -> Figure:
    """A figure of Example Corp with the given quantity fields."""
    fields: dict[str, object] = {
        "id": "f",
        "quote": "q",
        "reported_on": "2025",
        "subject": "example-corp",
        "measure": "m",
        "unit": "USD",
    }
    return Figure.model_validate(fields | given)


def test_an_old_figure_with_value_and_approximate_still_reads_about() -> None:
    assert quantity(value=3.75e12, approximate=True).display() == "about $3.75 trillion"


def test_comparisons_say_what_is_known_and_what_is_not() -> None:
    tens = quantity(magnitude="tens of millions")
    hundred = quantity(value=100_000_000)
    assert tens.compared(hundred) == "tens of millions of dollars is less than $100 million."
    assert quantity(more_than=200_000_000).compared(hundred).endswith("is more than $100 million.")
    assert "does not say which" in tens.compared(quantity(value=50_000_000))
    assert "does not say which" in quantity(up_to=5e6).compared(quantity(between=[1e6, 2e6]))
    assert "different units" in tens.compared(quantity(value=1, unit="%"))
    ranked = sorted([hundred, tens, quantity(value=5e6)], key=Figure.sort_key, reverse=True)
    assert [f.display() for f in ranked] == [
        "$100 million",
        "tens of millions of dollars",
        "$5 million",
    ]


@pytest.mark.parametrize(
    "given",
    [
        {},
        {"value": 1, "more_than": 2},
        {"magnitude": "lots"},
        {"magnitude": "tens of hundreds"},
        {"between": [5, 1]},
        {"more_than": 1, "approximate": True},
    ],
)
def test_a_figure_gives_exactly_one_sound_quantity(given: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="figure|magnitude|between|approximate"):
        quantity(**given)
