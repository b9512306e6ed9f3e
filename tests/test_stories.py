"""Stories that develop: when things happened, quantities as said, follow-ups, corrections, retractions.

Run through the real service on knowledge folders of the seed plus made-up follow-up articles
(tests/fixtures/stories/).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot import windows
from bot.commands import run
from bot.console.render import render_text
from bot.knowledge.facts import Figure
from bot.knowledge.loader import KnowledgeError, load_directory
from bot.models import Answer
from bot.service import TalentService
from tests.conftest import KNOWLEDGE, copy_knowledge, started_service

STORIES = Path(__file__).resolve().parent / "fixtures" / "stories"
FOLLOW_UP = STORIES / "2025-08-01-philomin-follow-up.toml"
CORRECTIONS = STORIES / "2025-08-05-corrections.toml"


async def open_on(tmp_path: Path, *extra: Path) -> AsyncIterator[TalentService]:
    """The real service over a real SQLite file, on the seed plus ``extra``."""
    knowledge = copy_knowledge(tmp_path / "knowledge", *extra)
    async with started_service(tmp_path / "stories.db", knowledge) as service:
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
    with pytest.raises(ValueError, match=r"figure|magnitude|between|approximate"):
        quantity(**given)


# ---------------------------------------------------------------------- follow-ups


async def test_a_follow_up_tells_one_departure_with_its_history_each_part_cited(
    follow_up: TalentService,
) -> None:
    answer = await run(follow_up, "who-left", "amazon")
    assert answer.message == "2 departures recorded."  # Philomin once, and Lee Sample
    vasi = [i for i in answer.items() if "Vasi Philomin" in i.text]
    event, earlier = vasi
    assert event.text.startswith("Vasi Philomin left Amazon for an undisclosed company")
    assert "reported June 26, 2025; then joined Example Corp as chief AI officer, " in event.text
    assert event.text.endswith("reported August 1, 2025.")
    assert event.citation is not None and event.citation.published == "2025-08-01"
    assert earlier.kind == "history" and earlier.text.startswith("Earlier report: ")
    assert earlier.citation is not None and earlier.citation.published == "2025-06-26"
    text = flat(answer)
    assert "Former AWS AI Leader Philomin Surfaces at Example Corp (Example Wire" in text
    assert "Amazon AI Executive Leaves Company Amid Competition for AI Talent (PYMNTS" in text


async def test_counts_and_profiles_count_events_not_reports(follow_up: TalentService) -> None:
    joined = await run(follow_up, "who-joined")
    assert [i.text for i in joined.items() if i.kind == "move"].count(
        next(i.text for i in joined.items() if "Vasi" in i.text)
    ) == 1
    # Seed: Meta's 3 researchers and Philomin's move; follow-up: Pat, Lee (Philomin's is his).
    assert joined.message == "4 arrivals recorded."
    tally = texts(await run(follow_up, "stats"))
    assert "Amazon: 2 left, 0 joined" in tally
    assert "Example Corp: 0 left, 3 joined" in tally
    for command, name in (("person", "vasi philomin"), ("company", "amazon")):
        moves = next(
            s for s in (await run(follow_up, command, name)).sections if s.heading == "Moves"
        )
        vasi = [i for i in moves.items if i.kind == "move" and "Vasi" in i.text]
        assert len(vasi) == 1 and "then joined Example Corp" in vasi[0].text, command


async def test_a_correction_replaces_the_claim_and_stays_in_the_history(
    corrected: TalentService,
) -> None:
    answer = await run(corrected, "who-left", "amazon")
    assert answer.message == "1 departure recorded."
    event, *history = answer.items()
    assert "then joined Example Corp as chief scientist, reported August 5, 2025" in event.text
    assert "chief AI officer" not in event.text
    assert [h.text.split(":")[0] for h in history] == [
        "Earlier report",
        "Corrected on August 5, 2025",
    ]
    assert "chief AI officer" in history[1].text
    assert {h.citation.published for h in history if h.citation} == {"2025-06-26", "2025-08-01"}


async def test_a_retraction_removes_the_claim_and_profiles_say_so(
    corrected: TalentService,
) -> None:
    assert "Lee Sample" not in flat(await run(corrected, "who-left", "amazon"))
    assert "Lee Sample" not in flat(await run(corrected, "who-joined", "example corp"))
    assert "Amazon: 1 left, 0 joined" in texts(await run(corrected, "stats"))
    for command, name in (("person", "lee sample"), ("company", "amazon")):
        answer = await run(corrected, command, name)
        retracted = next(s for s in answer.sections if s.heading == "Retracted")
        first, why = retracted.items
        assert (
            first.text
            == "Retracted: Lee Sample left Amazon for Example Corp, reported August 1, 2025."
        )
        assert why.text.startswith("Retraction: Example Wire withdrew its report")
        assert why.citation is not None and why.citation.title == "Corrections: Example Corp Hires"
        moves = [i.text for s in answer.sections if s.heading == "Moves" for i in s.items]
        assert not [t for t in moves if "Lee Sample" in t]
    assert not [
        s for s in (await run(corrected, "person", "vasi")).sections if s.heading == "Retracted"
    ]


def test_the_console_tells_the_follow_up_story(tmp_path: Path) -> None:
    from tests.conftest import run_bot

    knowledge = copy_knowledge(tmp_path / "knowledge", FOLLOW_UP)
    env = {"KNOWLEDGE_DIR": str(knowledge)}
    left = run_bot(tmp_path, "ask", "/who-left company:amazon", env=env)
    assert left.returncode == 0, left.stderr
    text = " ".join(left.stdout.split())
    assert "2 departures recorded." in text
    assert "then joined Example Corp as chief AI officer, reported August 1, 2025." in text
    assert (
        "— Former AWS AI Leader Philomin Surfaces at Example Corp (Example Wire, August 1, 2025; via Reuters)"
        in text
    )
    person = run_bot(tmp_path, "ask", "/person name:vasi philomin", env=env)
    assert person.returncode == 0, person.stderr
    assert " ".join(person.stdout.split()).count("then joined Example Corp") == 1


# ---------------------------------------------------------------------- check


def _linked(tmp_path: Path, moves: str, published: str = "2025-08-01") -> Path:
    """A folder of the seed and one article whose moves are ``moves`` (TOML)."""
    target = copy_knowledge(tmp_path / "k")
    (target / "x.toml").write_text(
        f"""[article]
id = "x"
title = "X"
publisher = "Example Wire"
published = {published}

{moves}
""",
        encoding="utf-8",
    )
    return target


def _move(fact_id: str, link: str) -> str:
    return f"""[[moves]]
id = "{fact_id}"
{link}
person = "vasi-philomin"
from = "amazon"
reported_on = 2025-06-26
quote = "q"
"""


@pytest.mark.parametrize(
    ("moves", "published", "problem"),
    [
        (_move("a", 'updates = "nothing-here"'), "2025-08-01", "unknown fact 'nothing-here'"),
        (
            _move("a", 'corrects = "meta-signing-bonus-offers"'),
            "2025-08-01",
            "a move cannot correct the figure 'meta-signing-bonus-offers'",
        ),
        (
            _move("a", 'updates = "philomin-leaves-amazon"'),
            "2025-06-01",
            "'philomin-leaves-amazon' is in a later article (2025-06-26) than this one",
        ),
        (
            _move("a", 'updates = "b"') + _move("b", 'updates = "a"'),
            "2025-08-01",
            "loops back",
        ),
        (_move("a", 'updates = "a"'), "2025-08-01", "cannot follow up itself"),
        (
            _move("a", 'updates = "philomin-leaves-amazon"\nretracts = "philomin-leaves-amazon"'),
            "2025-08-01",
            "at most one of 'updates', 'corrects' or 'retracts'",
        ),
    ],
)
def test_check_refuses_a_link_that_does_not_hold(
    tmp_path: Path, moves: str, published: str, problem: str
) -> None:
    with pytest.raises(KnowledgeError) as caught:
        load_directory(_linked(tmp_path, moves, published))
    errors = "\n".join(str(e) for e in caught.value.errors)
    assert problem in errors
    assert "x.toml" in errors


def test_a_retraction_may_be_of_another_kind_and_the_fixtures_load(tmp_path: Path) -> None:
    load_directory(copy_knowledge(tmp_path / "k", FOLLOW_UP, CORRECTIONS))


async def test_ask_answers_with_the_story_not_a_second_departure(follow_up: TalentService) -> None:
    answer = await run(follow_up, "ask", "where did vasi philomin go")
    assert [s.heading for s in answer.sections] == ["Answer"]
    first, earlier = answer.items()
    assert "Example Corp" in first.text
    assert earlier.text.startswith("Earlier report: Vasi Philomin left Amazon for an undisclosed")
    assert earlier.citation is not None and earlier.citation.published == "2025-06-26"


async def test_ask_never_answers_with_a_retracted_claim(corrected: TalentService) -> None:
    answer = await run(corrected, "ask", "did lee sample leave amazon")
    assert not [i for i in answer.items() if i.kind == "move" and "Lee Sample" in i.text]


# ---------------------------------------------------------------------- time windows


async def test_since_and_until_filter_by_when_it_happened_and_are_said_back(
    follow_up: TalentService,
) -> None:
    answer = await run(follow_up, "who-joined", "example corp", since="2025")
    assert answer.title == "Arrivals at Example Corp since January 1, 2025"
    assert answer.message == "2 arrivals recorded since January 1, 2025."
    assert "Pat Placeholder" not in flat(answer)  # joined in 2021, reported in 2025
    old = await run(follow_up, "who-joined", "example corp", until="2024")
    assert old.message == "1 arrival recorded until December 31, 2024."
    assert texts(old)[0].startswith("Pat Placeholder joined Example Corp from Alphabet")
    july = await run(follow_up, "who-left", since="June 2025", until="July 2025")
    assert july.message == "2 departures recorded between June 1, 2025 and July 31, 2025."
    assert "Vasi Philomin" in flat(july) and "Lee Sample" not in flat(july)


async def test_relative_words_are_read_against_today(follow_up: TalentService) -> None:
    this_year = await run(follow_up, "who-left", since="this year")
    year = dt.datetime.now(dt.UTC).year
    assert this_year.title == f"Departures since January 1, {year}"
    assert this_year.status == "empty" or this_year.message
    bad = await run(follow_up, "who-left", since="the day after the party")
    assert bad.status == "invalid"
    assert bad.message is not None and "can't read since:the day after the party" in bad.message
    backwards = await run(follow_up, "who-left", since="2026", until="2025")
    assert backwards.status == "invalid"


@pytest.mark.parametrize(
    ("words", "first", "last"),
    [
        ("2025", "2025-01-01", "2025-12-31"),
        ("July 2025", "2025-07-01", "2025-07-31"),
        ("june 26, 2025", "2025-06-26", "2025-06-26"),
        ("2025-02", "2025-02-01", "2025-02-28"),
        ("last month", "2026-02-01", "2026-02-28"),
        ("this year", "2026-01-01", "2026-12-31"),
        ("june", "2025-06-01", "2025-06-30"),  # the latest June not in the future
        ("this summer", "2025-06-01", "2025-08-31"),
        ("lately", "2025-12-09", "2026-03-09"),
    ],
)
def test_window_words(words: str, first: str, last: str) -> None:
    span = windows.parse(words, dt.date(2026, 3, 9))
    assert span is not None
    assert (span.first.isoformat(), span.last.isoformat()) == (first, last)


def test_a_vaguely_dated_fact_is_inside_a_window_it_may_fall_in() -> None:
    july = windows.Window(since=windows.parse("2025-07-15", dt.date(2026, 1, 1)))
    assert july.holds("2025-07") and july.holds("2025") and not july.holds("2025-06")


# ---------------------------------------------------------------------- /latest


async def test_latest_puts_the_newest_reports_first_and_tells_stories_once(
    corrected: TalentService,
) -> None:
    answer = await run(corrected, "latest")
    assert answer.message == "Newest first; the latest reported August 5, 2025."
    moves = [i for i in answer.items() if i.kind == "move"]
    assert moves[0].text.endswith(
        "then joined Example Corp as chief scientist, reported August 5, 2025."
    )
    assert [i.text for i in answer.items()].count(moves[0].text) == 1
    assert any(i.text.startswith("Retracted: Lee Sample") for i in answer.items())
    about = await run(corrected, "latest", "example corp")
    assert about.title == "Latest about Example Corp"
    assert all(i.citation is not None for i in about.items())
    missing = await run(corrected, "latest", "zzyzx")
    assert missing.status == "not_found"


def test_latest_in_the_console(tmp_path: Path) -> None:
    from tests.conftest import run_bot

    env = {"KNOWLEDGE_DIR": str(copy_knowledge(tmp_path / "knowledge", FOLLOW_UP))}
    latest = run_bot(tmp_path, "ask", "/latest name:philomin", env=env)
    assert latest.returncode == 0, latest.stderr
    assert latest.stdout.startswith("Latest about Vasi Philomin")


# ---------------------------------------------------------------------- docs


def test_the_readme_follow_up_examples_load_and_tell_one_story(tmp_path: Path) -> None:
    readme = (KNOWLEDGE / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Follow-ups, corrections and retractions") :]
    blocks = [b.split("```", 1)[0] for b in section.split("```toml\n")[1:]]
    assert len(blocks) == 2
    extra = []
    for i, block in enumerate(blocks):
        path = tmp_path / f"2025-08-0{i + 1}-example.toml"
        path.write_text(block, encoding="utf-8")
        extra.append(path)
    kb = load_directory(copy_knowledge(tmp_path / "k", *extra))
    links = [f.link() for file in kb.files for f in file.content.all_facts() if f.link()]
    assert links == [
        ("updates", "philomin-leaves-amazon"),
        ("corrects", "philomin-joins-example-corp"),
    ]


@pytest.mark.parametrize(
    ("question", "said", "rest"),
    [
        (
            "who left amazon in june 2025?",
            "between June 1, 2025 and June 30, 2025",
            "who left amazon ?",
        ),
        ("who joined since June", "since June 1, 2025", "who joined"),
        ("who left before 2024", "until December 31, 2023", "who left"),
        ("who left lately", "since December 9, 2025", "who left"),
        ("what happened this summer", "between June 1, 2025 and August 31, 2025", "what happened"),
    ],
)
def test_time_phrases_in_questions(question: str, said: str, rest: str) -> None:
    window, left = windows.find(question, dt.date(2026, 3, 9))
    assert window is not None and window.said() == said
    assert left == rest


def test_questions_without_a_time_keep_their_words() -> None:
    for question in ("who joined meta from openai", "who left in ai", "who built bedrock"):
        assert windows.find(question, dt.date(2026, 3, 9)) == (None, question)


async def test_ask_filters_by_the_time_it_names_and_says_so(follow_up: TalentService) -> None:
    june = await run(follow_up, "ask", "who left amazon in june 2025")
    assert june.message == "Only news between June 1, 2025 and June 30, 2025."
    assert "Vasi Philomin" in june.items()[0].text
    assert "Lee Sample" not in flat(june)  # reported (and done) in August
    old = await run(follow_up, "ask", "who joined example corp before 2025")
    assert old.items()[0].text.startswith("Pat Placeholder")
    none = await run(follow_up, "ask", "who left amazon in 2019")
    assert none.status == "empty"
    assert none.message == (
        "The news I know has nothing that fits between January 1, 2019 and December 31, 2019."
    )


def test_inclusive_bounds_at_the_same_number_leave_the_order_open() -> None:
    hundred = quantity(value=100)
    assert "does not say which" in quantity(at_least=100).compared(hundred)
    assert "does not say which" in quantity(up_to=100).compared(hundred)
    assert quantity(more_than=100).compared(hundred).endswith("is more than $100.")
    assert quantity(less_than=100).compared(hundred).endswith("is less than $100.")
    assert hundred.compared(quantity(value=100)) == "$100 is the same as $100."
