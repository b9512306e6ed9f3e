"""Confident wrong answers: negative questions answered as if positive (issue 10, item 13), and
filler text ("a a a a") matched to a company through compact keys, prefixes or fuzzy matching
(item 15). Every question goes through the real service on a real SQLite file."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.commands import run
from bot.console.render import render_text
from bot.models import Answer
from bot.service import TalentService
from bot.store import Store
from tests.conftest import ROOT, bot_env, copy_knowledge, run_bot

STAYED = "The news I have records departures, not who stayed."
CANNOT = "I can't answer negative questions"
DEPARTURE = "Vasi Philomin left Amazon"


def first_text(answer: Answer) -> str:
    items = answer.items()
    return items[0].text if items else ""


# ---------------------------------------------------------------------- 13: negation


@pytest.mark.parametrize(
    "question",
    [
        "who did not leave amazon?",
        "who didn't leave amazon",
        "who didnt leave amazon",
        "who never left amazon",
        "who hasn't left Amazon yet",
        "who has not left amazon",
        "who stayed at amazon",
        "who is still at amazon",
        "who still works at AWS",
        "no one left amazon?",
        "which vp did not leave amazon",
        "who at amazon did not quit",
        "who has remained at amazon",
        "who left amazon and who stayed",
    ],
)
async def test_who_did_not_leave_names_the_people_with_no_departure(
    seed_service: TalentService, question: str
) -> None:
    answer = await run(seed_service, "ask", question)
    text = render_text(answer)
    assert answer.status == "ok", text
    assert answer.message is not None and answer.message.startswith(STAYED), text
    assert answer.sections[0].heading == "No departure on record", text
    assert first_text(answer) == "Rajesh Sheth is Vice President at Amazon.", text
    assert answer.items()[0].citation is not None
    # The departure is shown, and said to be one, never as the answer.
    assert answer.sections[1].heading == "Departures from Amazon it records", text
    assert answer.sections[1].items[0].text.startswith(DEPARTURE)


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("which ceo did not leave amazon", "it names no one in a current role there as “ceo”"),
        (
            "who remains at amazon besides sheth",
            "at Amazon (leaving out Rajesh Sheth), it names no",
        ),
    ],
)
async def test_no_one_fits_who_did_not_leave(
    seed_service: TalentService, question: str, message: str
) -> None:
    answer = await run(seed_service, "ask", question)
    assert answer.status == "unknown", render_text(answer)
    assert message in (answer.message or ""), render_text(answer)
    assert [s.heading for s in answer.sections] == ["Departures from Amazon it records"]


async def test_who_did_not_leave_reads_any_article(two_article_service: TalentService) -> None:
    answer = await run(two_article_service, "ask", "who didn't leave kestrel robotics")
    assert first_text(answer) == "Lee Okafor is Interim CTO at Kestrel Robotics.", render_text(
        answer
    )
    assert "Dana Whitfield" in answer.sections[1].items[0].text
    gone = await run(two_article_service, "ask", "is dana whitfield still at kestrel?")
    assert gone.message == "No: the news records that Dana Whitfield left Kestrel Robotics."


@pytest.mark.parametrize(
    ("question", "message", "first"),
    [
        (
            "is vasi philomin still at amazon?",
            "No: the news records that Vasi Philomin left Amazon.",
            DEPARTURE,
        ),
        (
            "did vasi philomin not leave amazon",
            "The news records that Vasi Philomin left Amazon.",
            DEPARTURE,
        ),
        (
            "is rajesh sheth still at amazon?",
            "Yes, as far as the news says: it records no departure of Rajesh Sheth from Amazon",
            "Rajesh Sheth is Vice President at Amazon.",
        ),
        (
            "did philomin leave or stay at amazon",
            "The news records that Vasi Philomin left Amazon.",
            DEPARTURE,
        ),
    ],
)
async def test_whether_one_person_stayed_is_settled_by_the_facts(
    seed_service: TalentService, question: str, message: str, first: str
) -> None:
    answer = await run(seed_service, "ask", question)
    assert answer.status == "ok", render_text(answer)
    assert (answer.message or "").startswith(message), render_text(answer)
    assert first_text(answer).startswith(first), render_text(answer)


@pytest.mark.parametrize(
    "question",
    [
        "is vasi philomin no longer at amazon?",
        "who is no longer at amazon",
        "who isn't at amazon anymore",
        "who doesn't work at amazon any more",
    ],
)
async def test_no_longer_asks_who_left(seed_service: TalentService, question: str) -> None:
    answer = await run(seed_service, "ask", question)
    assert answer.status == "ok", render_text(answer)
    assert first_text(answer).startswith(DEPARTURE), render_text(answer)


@pytest.mark.parametrize(
    ("question", "known"),
    [
        ("who did not replace vasi philomin", "Rajesh Sheth took over"),
        ("what did philomin not build", "Vasi Philomin built Amazon Bedrock."),
        ("who left amazon without a successor", DEPARTURE),
        ("which companies did not lose anyone", DEPARTURE),
        ("which companies didn't lose anybody", DEPARTURE),
        ("who is not at amazon", None),
        ("did philomin not join meta", None),
        ("what did sam altman never say", None),
        ("who joined meta but did not come from openai", None),
        ("is nvidia not worth more than upwork", None),
        ("who left amazon and did not join meta", None),
        ("neither amazon nor meta lost anyone?", None),
        ("who did not leave amazon for meta", None),
        ("who did not leave amazon in 2025", DEPARTURE),
        ("is there no news about meta?", None),
    ],
)
async def test_negative_questions_the_facts_cannot_settle_are_refused(
    seed_service: TalentService, question: str, known: str | None
) -> None:
    answer = await run(seed_service, "ask", question)
    text = render_text(answer)
    assert answer.status == "unknown", text
    assert answer.title == CANNOT, text
    assert "records only what did" in (answer.message or ""), text
    if answer.sections:
        # What it knows is shown under its own heading, never as the answer.
        assert [s.heading for s in answer.sections] == ["What the news does record"], text
    if known is not None:
        assert known in answer.sections[0].items[0].text + str(answer.items()[0].detail), text


@pytest.mark.parametrize(
    "question",
    [
        "who left amazon other than vasi philomin",
        "who left amazon except philomin",
        "who besides vasi philomin left amazon",
        "apart from philomin, who left amazon?",
        "aside from Vasi Philomin and Rajesh Sheth who left Amazon",
        "who left amazon excluding philomin",
    ],
)
async def test_names_left_out_are_not_the_answer(
    seed_service: TalentService, question: str
) -> None:
    answer = await run(seed_service, "ask", question)
    text = render_text(answer)
    assert answer.status == "unknown", text
    assert DEPARTURE not in text, text
    assert any(t.startswith("Leaving out Vasi Philomin") for t in answer.tips), text


async def test_a_group_left_out_by_where_it_came_from(seed_service: TalentService) -> None:
    answer = await run(seed_service, "ask", "who joined meta but not from openai")
    assert answer.status == "unknown", render_text(answer)
    assert "OpenAI researchers" not in render_text(answer)


async def test_left_out_something_unknown_is_refused(seed_service: TalentService) -> None:
    answer = await run(seed_service, "ask", "who left amazon other than the interns")
    assert answer.status == "unknown", render_text(answer)
    assert answer.title == "I can't tell what to leave out", render_text(answer)


@pytest.mark.parametrize(
    ("question", "first"),
    [
        # "Not Meta" only says which company is meant: answered, saying Meta was left out.
        ("who left amazon, not meta?", DEPARTURE),
        ("did philomin leave amazon or not", DEPARTURE),
        ("didn't philomin leave amazon?", DEPARTURE),
        ("never mind, who left amazon", DEPARTURE),
        ("who left amazon but not for meta", DEPARTURE),
        ("no, who left amazon?", DEPARTURE),
        ("I'm not sure who replaced Vasi Philomin", "Rajesh Sheth took over"),
        ("I don't know who replaced philomin, do you?", "Rajesh Sheth took over"),
        ("not only meta: which companies are competing for ai talent", "Meta, OpenAI"),
        ("how long did philomin stay at amazon", "Vasi Philomin was at Amazon for eight years."),
        ("which companies other than meta are competing for ai talent", "Meta, OpenAI"),
    ],
)
async def test_positive_questions_with_negative_words_are_answered(
    seed_service: TalentService, question: str, first: str
) -> None:
    answer = await run(seed_service, "ask", question)
    assert answer.status == "ok", render_text(answer)
    assert first_text(answer).startswith(first), render_text(answer)


async def test_not_before_a_name_says_it_was_left_out(seed_service: TalentService) -> None:
    answer = await run(seed_service, "ask", "who left amazon, not meta?")
    assert answer.message == "Leaving out Meta, as you asked."


def test_who_did_not_leave_through_the_real_entry_point(tmp_path: Path) -> None:
    result = run_bot(tmp_path, "ask", "who did not leave amazon?")
    assert result.returncode == 0, result.stderr
    out = " ".join(result.stdout.split())
    assert STAYED in out, result.stdout
    assert "No departure on record: • Rajesh Sheth is Vice President at Amazon." in out
    answer_part = out.split("Departures from Amazon it records:")[0]
    assert DEPARTURE not in answer_part, result.stdout
    refused = run_bot(tmp_path, "ask", "who did not replace vasi philomin")
    assert refused.returncode == 0, refused.stderr
    assert refused.stdout.startswith(CANNOT), refused.stdout


# ---------------------------------------------------------------------- 15: filler text

# Initialisms and names that filler text joins or starts: "a a" -> AA, "a b c" -> ABC,
# "i i i" -> III, "aa aa" -> AAAA, "the the" -> TheThe (compact keys); "they" starts Theya
# Health (a prefix); "the then" is one letter from Thee Then (fuzzy); "a i" -> AI.
INITIALISMS = """
[article]
id = "initialisms"
title = "Initialisms Everywhere"
publisher = "Example Wire"
published = 2025-01-05

[[people]]
id = "nora-quill"
name = "Nora Quill"
roles = [{ title = "CTO", company = "apex-analytics", current = false }]

[[companies]]
id = "apex-analytics"
name = "Apex Analytics"
aliases = ["AA"]

[[companies]]
id = "applied-bits-cloud"
name = "Applied Bits Cloud"
aliases = ["ABC", "X"]

[[companies]]
id = "iron-island-industries"
name = "Iron Island Industries"
aliases = ["III", "AAAA", "TheThe"]

[[companies]]
id = "theya-health"
name = "Theya Health"

[[companies]]
id = "thee-then"
name = "Thee Then"
aliases = ["AI"]

[[moves]]
id = "quill-leaves-apex"
person = "nora-quill"
from = "apex-analytics"
to = "applied-bits-cloud"
role = "CTO"
reported_on = 2025-01-05
quote = "Nora Quill left Apex Analytics for Applied Bits Cloud; Theya Health and Thee Then watched."
"""
NOISE_NAMES = ("Apex Analytics", "Applied Bits", "Iron Island", "Theya Health", "Thee Then")
FILLER = ("a a", "a a a a", "a b c", "i i i", "the the", "aa aa", "a i", "they", "the then")


@pytest.fixture
def noisy_knowledge(tmp_path: Path) -> Path:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    (knowledge / "2025-01-05-initialisms.toml").write_text(INITIALISMS, encoding="utf-8")
    return knowledge


@pytest.fixture
async def noisy_service(noisy_knowledge: Path, tmp_path: Path) -> AsyncIterator[TalentService]:
    async with Store(str(tmp_path / "noisy.db")) as store:
        service = TalentService(store, noisy_knowledge)
        report = await service.start()
        assert report is not None and report.ok, report
        yield service


@pytest.mark.parametrize("text", FILLER)
async def test_filler_names_no_company(noisy_service: TalentService, text: str) -> None:
    for answer in (
        await run(noisy_service, "company", text),
        await run(noisy_service, "who-left", text),
    ):
        assert answer.status == "not_found", render_text(answer)


@pytest.mark.parametrize("text", ["a", "b", "x y", "i"])
async def test_single_letters_name_nothing_they_are_not(
    noisy_service: TalentService, text: str
) -> None:
    for answer in (
        await run(noisy_service, "company", text),
        await run(noisy_service, "who-left", text),
    ):
        assert answer.status == "not_found", render_text(answer)


@pytest.mark.parametrize(
    "question",
    [
        *FILLER,
        "a a a a a a",
        "who left a a",
        "who left a b c?",
        "what happened to i i i",
        "who left aa aa",
        "who is the the",
        "who left x",
    ],
)
async def test_filler_in_free_text_names_no_company(
    noisy_service: TalentService, question: str
) -> None:
    answer = await run(noisy_service, "ask", question)
    # The best answer and the names it says it knows; "who left a a" is "who left", whose other
    # answers may include any departure.
    best = render_text(answer.model_copy(update={"sections": answer.sections[:1]}))
    assert not any(name in best for name in NOISE_NAMES), best


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("open ai", "OpenAI"),
        ("openai", "OpenAI"),
        ("aa", "Apex Analytics"),
        ("abc", "Applied Bits Cloud"),
        ("x", "Applied Bits Cloud"),
        ("iii", "Iron Island Industries"),
        ("thee then", "Thee Then"),
        ("amazon web services", "Amazon"),
    ],
)
async def test_names_spelled_as_written_still_resolve(
    noisy_service: TalentService, query: str, name: str
) -> None:
    answer = await run(noisy_service, "company", query)
    assert answer.title == name, render_text(answer)


async def test_a_name_with_a_word_dropped_is_asked_about(noisy_service: TalentService) -> None:
    # "Theya" is not "Theya Health" (issue 13: a dropped word is another name), but it is
    # worth suggesting.
    answer = await run(noisy_service, "company", "theya")
    assert answer.status == "ambiguous", render_text(answer)
    assert [s.name for s in answer.suggestions] == ["Theya Health"]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("who did meta hire from open ai", "OpenAI researchers"),
        ("who left aa", "Nora Quill left Apex Analytics"),
        ("who left apex analytics", "Nora Quill left Apex Analytics"),
    ],
)
async def test_names_in_free_text_still_found(
    noisy_service: TalentService, question: str, expected: str
) -> None:
    answer = await run(noisy_service, "ask", question)
    assert answer.status == "ok", render_text(answer)
    assert expected in first_text(answer), render_text(answer)


def test_filler_through_the_real_entry_point(noisy_knowledge: Path, tmp_path: Path) -> None:
    env = {**bot_env(tmp_path), "KNOWLEDGE_DIR": str(noisy_knowledge)}
    for line, said in (("/company name:a a", "No company found"), ("a b c", "I don't know that")):
        result = subprocess.run(
            [sys.executable, "-m", "bot", "ask", line],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith(said), result.stdout
        assert not any(name in result.stdout for name in NOISE_NAMES), result.stdout
