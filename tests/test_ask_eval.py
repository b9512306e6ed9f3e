"""The evaluation sets: the old one asked of the real service, the issue-12 ones checked in shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.eval_ask import (
    HEDGE_PREFIX,
    KNOWLEDGE,
    KNOWLEDGE_KINDS,
    SETS,
    STYLES,
    EvalQuestion,
    evaluate,
    grade,
    is_hedged,
    judge,
    knowledge_dir,
    load_questions,
    summarize,
    tally,
)
from bot.commands import run
from bot.console.render import render_text
from bot.models import Answer, Citation, Item, Section
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
    # Graded as the table grades it: "The news doesn't say" declines a question it cannot settle.
    assert grade(q, answer) == "right", f"{verdict.reason}\n{render_text(answer)}"


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


# ------------------------------------------------------------------ the issue-12 sets (dev, test)
# A floor on dev (tuned on, issue 12) a little under what it reaches, so a regression fails; the
# test split is never asserted on, only reported by benchmarks/eval_ask.py.

DEV = load_questions(SETS["dev"])
TEST = load_questions(SETS["test"])
DEV_RIGHT_OR_HEDGED = 113  # of 123; reached: 116 (100 right, 16 hedged-right)
DEV_WRONG = 0  # reached: 0


async def test_dev_stays_above_its_floor() -> None:
    counts = tally(grade(q, answer) for q, answer, _ in await evaluate(DEV))
    assert counts["right"] + counts["hedged"] >= DEV_RIGHT_OR_HEDGED, counts
    assert counts["wrong"] <= DEV_WRONG, counts


def _key(q: EvalQuestion) -> str:
    return " ".join(q.question.casefold().split())


def test_the_new_sets_are_big_balanced_and_distinct() -> None:
    pool = DEV + TEST
    assert len(pool) >= 200 and len(TEST) >= 100
    unknown = sum(q.expect == "unknown" for q in pool) / len(pool)
    assert 0.07 <= unknown <= 0.15, f"{unknown:.0%} unknown, want about a tenth"
    assert all(q.expect == "unknown" for q in DEV if not q.must_contain) and any(
        q.expect == "unknown" for q in TEST
    )
    everything = [_key(q) for q in pool + QUESTIONS]
    assert len(set(everything)) == len(everything), "a question appears twice across the sets"
    for style in STYLES:
        share = sum(q.style == style for q in pool) / len(pool)
        assert share >= 0.15, f"style {style} has only {share:.0%} of the questions"
    assert {q.knowledge for q in pool} == set(KNOWLEDGE_KINDS)
    assert all(q.must_contain for q in pool if q.expect == "answer")


# The second blind pool (dev2, test2): dev2 is tuned on and has a floor; test2 is only reported.
DEV2 = load_questions(SETS["dev2"])
TEST2 = load_questions(SETS["test2"])
DEV2_RIGHT_OR_HEDGED = 74  # of 100; reached: 77 (64 right, 13 hedged-right)
DEV2_WRONG = 1  # reached: 1, hedged
DEV2_CONFIDENT_WRONG = 0


async def test_dev2_stays_above_its_floor() -> None:
    results = await evaluate(DEV2)
    counts = tally(grade(q, answer) for q, answer, _ in results)
    assert counts["right"] + counts["hedged"] >= DEV2_RIGHT_OR_HEDGED, counts
    assert counts["wrong"] <= DEV2_WRONG, counts
    confident = sum(
        grade(q, answer) == "wrong" and not is_hedged(answer) for q, answer, _ in results
    )
    assert confident <= DEV2_CONFIDENT_WRONG, counts


def test_the_second_pool_is_balanced_and_new() -> None:
    pool = DEV2 + TEST2
    assert len(DEV2) == len(TEST2) == 100
    unknown = sum(q.expect == "unknown" for q in pool) / len(pool)
    assert 0.07 <= unknown <= 0.15, f"{unknown:.0%} unknown, want about a tenth"
    assert any(q.expect == "unknown" for q in DEV2) and any(q.expect == "unknown" for q in TEST2)
    everything = [_key(q) for q in pool + DEV + TEST + QUESTIONS]
    assert len(set(everything)) == len(everything), "a question appears twice across the sets"
    for style in STYLES:
        share = sum(q.style == style for q in pool) / len(pool)
        assert share >= 0.15, f"style {style} has only {share:.0%} of the questions"
    assert {q.knowledge for q in DEV2} == {q.knowledge for q in TEST2} == set(KNOWLEDGE_KINDS)
    assert all(q.must_contain for q in pool if q.expect == "answer")


def test_loading_refuses_an_unknown_knowledge_or_style(tmp_path: Path) -> None:
    for bad in ('knowledge = "third"', 'style = "pirate"', 'colour = "red"'):
        path = tmp_path / "q.toml"
        path.write_text(f'[[questions]]\nquestion = "q"\nexpect = "unknown"\n{bad}\n')
        with pytest.raises(ValueError, match=r"bad evaluation entry in q\.toml"):
            load_questions(path)


def test_both_knowledge_is_the_seed_plus_the_second_article(tmp_path: Path) -> None:
    assert knowledge_dir("seed", tmp_path) == KNOWLEDGE
    both = knowledge_dir("both", tmp_path)
    names = sorted(p.name for p in both.glob("*.toml"))
    assert names == sorted(
        [*(p.name for p in KNOWLEDGE.glob("*.toml")), "2026-03-02-kestrel-cto.toml"]
    )


def _ok(heading: str = "Answer", title: str = "t", text: str = "Jane Roe left Acme.") -> Answer:
    item = Item(kind="fact", text=text)
    return Answer(
        command="ask", status="ok", title=title, sections=[Section(heading=heading, items=[item])]
    )


def test_grades_tell_right_hedged_dont_know_and_wrong_apart() -> None:
    q = EvalQuestion("who left acme", "answer", must_contain=("Jane Roe",))
    assert grade(q, _ok()) == "right"
    assert grade(q, _ok(heading=f"{HEDGE_PREFIX}:")) == "hedged"
    assert grade(q, _ok(title=f"{HEDGE_PREFIX.lower()}, Jane Roe")) == "hedged"
    assert grade(q, _ok(text="John Doe left Acme.")) == "wrong"
    assert grade(q, _ok(heading=HEDGE_PREFIX, text="John Doe left Acme.")) == "wrong"
    assert grade(q, Answer(command="ask", status="unknown", title="t")) == "dont_know"
    nothing = EvalQuestion("who is acme's ceo", "unknown")
    assert grade(nothing, Answer(command="ask", status="unknown", title="t")) == "right"
    assert grade(nothing, Answer(command="ask", status="not_found", title="t")) == "right"
    assert grade(nothing, _ok(heading=HEDGE_PREFIX)) == "wrong"
    assert grade(nothing, _ok(title="The news doesn\u2019t say. Related:")) == "right"
    unsure = _ok(title="The news doesn't say.", text="John Doe left Acme.")
    assert grade(q, unsure) == "dont_know"
    hedged_wrong = _ok(heading=HEDGE_PREFIX, text="John Doe left Acme.")
    counts = summarize([(q, _ok()), (q, hedged_wrong), (q, _ok(text="John Doe left Acme."))])
    assert counts == {"right": 1, "hedged": 0, "dont_know": 0, "wrong": 2, "confident_wrong": 1}


def test_claim_strings_are_checked_against_the_fact_not_its_shared_quote() -> None:
    q = EvalQuestion("which grew most", "answer", claim_must_contain=("60%",))
    quoted = Citation(
        article_id="a", title="t", publisher="p", published="2025-01-01", quote="60% and 42%"
    )
    item = Item(kind="figure", text="Clients grew 42%.", citation=quoted)
    answer = Answer(
        command="ask", status="ok", title="t", sections=[Section(heading="Answer", items=[item])]
    )
    assert grade(q, answer) == "wrong"
    assert tally(["right", "wrong", "wrong"]) == {
        "right": 1,
        "hedged": 0,
        "dont_know": 0,
        "wrong": 2,
    }
