"""Accuracy of the plain-words answerer on tests/eval/questions.toml, and its confident wrongs.

Run from the repository root: ``python benchmarks/eval_ask.py``. tests/test_ask_eval.py asserts
the same verdicts with the loading and judging code below.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bot` importable without installing
    sys.path.insert(0, str(ROOT))

from bot.commands import run  # noqa: E402
from bot.console.render import render_text  # noqa: E402
from bot.models import Answer  # noqa: E402

QUESTIONS = ROOT / "tests" / "eval" / "questions.toml"
KNOWLEDGE = ROOT / "knowledge"


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    expect: Literal["answer", "unknown"]
    must_contain: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Verdict:
    right: bool
    confident_wrong: bool
    reason: str


def load_questions(path: Path = QUESTIONS) -> list[EvalQuestion]:
    """Every question of the evaluation file, validated."""
    with path.open("rb") as fh:
        rows = tomllib.load(fh)["questions"]
    out = []
    for row in rows:
        unknown = set(row) - {"question", "expect", "must_contain", "must_not_contain", "note"}
        if unknown or row.get("expect") not in ("answer", "unknown"):
            raise ValueError(f"bad evaluation entry {row!r}")
        out.append(
            EvalQuestion(
                question=row["question"],
                expect=row["expect"],
                must_contain=tuple(row.get("must_contain", ())),
                must_not_contain=tuple(row.get("must_not_contain", ())),
                note=row.get("note", ""),
            )
        )
    return out


def answer_text(answer: Answer) -> str:
    """What an answer is judged on: for "ok", only the best fact (first section) as rendered."""
    if answer.status == "ok":
        answer = answer.model_copy(update={"sections": answer.sections[:1]})
    return render_text(answer)


def claim_text(answer: Answer) -> str:
    """The best fact's own sentence and detail, without the quote it may share with others."""
    first = answer.items()[:1]
    return " ".join(f"{i.text} {i.detail or ''}" for i in first)


def judge(q: EvalQuestion, answer: Answer) -> Verdict:
    """Right or wrong, and whether wrong with confidence (status "ok" when it should not be)."""
    # Rendering wraps lines: compare with whitespace collapsed.
    text, claim = (
        " ".join(t.casefold().split()) for t in (answer_text(answer), claim_text(answer))
    )
    missing = [s for s in q.must_contain if s.casefold() not in text]
    present = [s for s in q.must_not_contain if s.casefold() in claim]
    if q.expect == "unknown":
        if answer.status != "unknown":
            return Verdict(False, answer.status == "ok", f"expected unknown, got {answer.status}")
    elif answer.status != "ok":
        return Verdict(False, False, f"expected an answer, got {answer.status}")
    if missing or present:
        reason = "; ".join(
            part
            for part in (
                f"missing {missing}" if missing else "",
                f"should not contain {present}" if present else "",
            )
            if part
        )
        return Verdict(False, answer.status == "ok", reason)
    return Verdict(True, False, "")


async def evaluate(questions: list[EvalQuestion]) -> list[tuple[EvalQuestion, Answer, Verdict]]:
    """Ask every question of a fresh service over the real knowledge, in a temporary database."""
    from bot.service import TalentService
    from bot.store import Store

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        async with Store(str(Path(tmp) / "eval.db")) as store:
            service = TalentService(store, KNOWLEDGE)
            report = await service.start()
            if report is not None and not report.ok:
                raise SystemExit("the knowledge files have errors: run `talent-bot check`")
            for q in questions:
                answer = await run(service, "ask", q.question)
                results.append((q, answer, judge(q, answer)))
    return results


def main() -> int:
    """Print each verdict, the accuracy and the confident-wrong count; exit 1 unless all right."""
    results = asyncio.run(evaluate(load_questions()))
    for q, answer, verdict in results:
        mark = "ok  " if verdict.right else ("WRONG" if verdict.confident_wrong else "miss")
        first = (
            answer.items()[0].text if answer.status == "ok" and answer.items() else answer.status
        )
        print(f"{mark:5} {q.question}\n      -> {first}")
        if verdict.reason:
            print(f"      !! {verdict.reason}")
    right = sum(v.right for _, _, v in results)
    wrong = sum(v.confident_wrong for _, _, v in results)
    print(f"\naccuracy: {right}/{len(results)} = {right / len(results):.1%}")
    print(f"confident wrong answers: {wrong}")
    return 0 if right == len(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
