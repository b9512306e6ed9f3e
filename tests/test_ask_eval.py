"""The evaluation set (tests/eval/questions.toml) asked of the real service on the real knowledge."""

from __future__ import annotations

import pytest

from benchmarks.eval_ask import EvalQuestion, judge, load_questions
from bot.commands import run
from bot.console.render import render_text
from bot.models import Answer, Item, Section
from bot.service import TalentService

QUESTIONS = load_questions()


def test_the_set_covers_answers_unknowns_and_is_big_enough() -> None:
    expects = [q.expect for q in QUESTIONS]
    assert len(QUESTIONS) >= 40
    assert expects.count("unknown") >= 10 and expects.count("answer") >= 30
    assert len({q.question.casefold() for q in QUESTIONS}) == len(QUESTIONS), "duplicates"
    assert all(q.must_contain for q in QUESTIONS if q.expect == "answer")


@pytest.mark.parametrize("q", QUESTIONS, ids=[q.question for q in QUESTIONS])
async def test_question(seed_service: TalentService, q: EvalQuestion) -> None:
    answer = await run(seed_service, "ask", q.question)
    verdict = judge(q, answer)
    assert verdict.right, f"{verdict.reason}\n{render_text(answer)}"


def test_judge_counts_an_unrelated_confident_answer_as_confident_wrong() -> None:
    q = EvalQuestion("What is the capital of France?", "unknown")
    ok = Answer(
        command="ask",
        status="ok",
        title="t",
        sections=[Section(heading="Answer", items=[Item(kind="fact", text="Some fact.")])],
    )
    verdict = judge(q, ok)
    assert not verdict.right and verdict.confident_wrong
    missing = judge(EvalQuestion("q", "answer", must_contain=("Jane Roe",)), ok)
    assert not missing.right and missing.confident_wrong
    honest = judge(
        EvalQuestion("q", "answer", must_contain=("Jane Roe",)),
        Answer(command="ask", status="unknown", title="t"),
    )
    assert not honest.right and not honest.confident_wrong
