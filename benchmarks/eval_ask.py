"""Accuracy of the plain-words answerer on its evaluation sets, graded in four tiers.

Run from the repository root: ``python benchmarks/eval_ask.py`` prints, for the dev, test, dev2,
test2 and old sets (tests/eval/questions_dev.toml, questions_test.toml, questions_dev2.toml,
questions_test2.toml, questions.toml), how many answers were right, hedged-right, don't-know and
wrong. ``--show dev`` lists every question of a set with its verdict; ``--results`` also writes
the table to benchmarks/results/ask.md. tests/test_ask_eval.py asserts the old set's verdicts
with the loading and judging code below.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import tempfile
import tomllib
from collections.abc import Iterable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal, get_args

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bot` importable without installing
    sys.path.insert(0, str(ROOT))

from bot.commands import run  # noqa: E402
from bot.console.render import render_text  # noqa: E402
from bot.models import Answer  # noqa: E402

EVAL_DIR = ROOT / "tests" / "eval"
QUESTIONS = EVAL_DIR / "questions.toml"
SETS = {
    "dev": EVAL_DIR / "questions_dev.toml",
    "test": EVAL_DIR / "questions_test.toml",
    # A second blind pool, split the same way: dev2 to tune on, test2 only to report.
    "dev2": EVAL_DIR / "questions_dev2.toml",
    "test2": EVAL_DIR / "questions_test2.toml",
    "old": QUESTIONS,
}
KNOWLEDGE = ROOT / "knowledge"
SECOND_ARTICLE = ROOT / "tests" / "fixtures" / "second_article.toml"
RESULTS = ROOT / "benchmarks" / "results" / "ask.md"

Knowledge = Literal["seed", "both"]  # knowledge/ alone, or with the second article beside it
KNOWLEDGE_KINDS: tuple[str, ...] = get_args(Knowledge)
STYLES = ("chat", "newcomer", "nonnative", "analyst")
Grade = Literal["right", "hedged", "dont_know", "wrong"]
GRADES: tuple[Grade, ...] = get_args(Grade)
GRADE_LABELS = {
    "right": "right",
    "hedged": "hedged-right",
    "dont_know": "don't know",
    "wrong": "wrong",
}

# How a hedged answer ("likely, not certain") is told from a confident one. The answerer has no
# such tier yet; once it has, it must mark it this way: status "ok" with the title, the message
# or the first section's heading starting with this phrase (compared case-insensitively).
HEDGE_PREFIX = "The closest I know"
# A yes/no question may be answered "The news doesn't say", with related facts, as an "ok"
# answer: for a question the news does not answer, that is an honest decline, not a claim.
DECLINE_PREFIXES = ("The news doesn't say", "I don't know")

_KEYS = {
    "question",
    "expect",
    "must_contain",
    "must_not_contain",
    "claim_must_contain",
    "style",
    "knowledge",
    "note",
}


@dataclass(frozen=True)
class EvalQuestion:
    question: str
    expect: Literal["answer", "unknown"]
    must_contain: tuple[str, ...] = ()
    must_not_contain: tuple[str, ...] = ()
    note: str = ""
    style: str = ""  # one of STYLES; empty in the old set
    knowledge: Knowledge = "seed"
    # Checked against the best fact's own words: facts sharing a quote would pass must_contain.
    claim_must_contain: tuple[str, ...] = ()


@dataclass(frozen=True)
class Verdict:
    right: bool
    confident_wrong: bool
    reason: str


def load_questions(path: Path = QUESTIONS) -> list[EvalQuestion]:
    """Every question of an evaluation file, validated."""
    with path.open("rb") as fh:
        rows = tomllib.load(fh)["questions"]
    out = []
    for row in rows:
        if (
            set(row) - _KEYS
            or row.get("expect") not in ("answer", "unknown")
            or row.get("knowledge", "seed") not in KNOWLEDGE_KINDS
            or row.get("style", "") not in ("", *STYLES)
        ):
            raise ValueError(f"bad evaluation entry in {path.name}: {row!r}")
        out.append(
            EvalQuestion(
                question=row["question"],
                expect=row["expect"],
                must_contain=tuple(row.get("must_contain", ())),
                must_not_contain=tuple(row.get("must_not_contain", ())),
                note=row.get("note", ""),
                style=row.get("style", ""),
                knowledge=row.get("knowledge", "seed"),
                claim_must_contain=tuple(row.get("claim_must_contain", ())),
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


def _opens_with(answer: Answer, prefixes: tuple[str, ...]) -> bool:
    """Whether the title, the message or the first heading of an "ok" answer starts so."""
    if answer.status != "ok":
        return False
    heading = answer.sections[0].heading if answer.sections else ""
    wanted = tuple(p.casefold() for p in prefixes)
    return any(
        (text or "").strip().replace("\u2019", "'").casefold().startswith(wanted)
        for text in (answer.title, answer.message, heading)
    )


def is_hedged(answer: Answer) -> bool:
    """Whether the bot gives this answer as likely but not certain (see HEDGE_PREFIX)."""
    return _opens_with(answer, (HEDGE_PREFIX,))


def is_decline(answer: Answer) -> bool:
    """Whether an "ok" answer says the news does not settle it (see DECLINE_PREFIXES)."""
    return _opens_with(answer, DECLINE_PREFIXES)


def judge(q: EvalQuestion, answer: Answer) -> Verdict:
    """Right or wrong, and whether wrong with confidence (status "ok" when it should not be)."""
    # Rendering wraps lines: compare with whitespace collapsed.
    text, claim = (
        " ".join(t.casefold().split()) for t in (answer_text(answer), claim_text(answer))
    )
    missing = [s for s in q.must_contain if s.casefold() not in text]
    unclaimed = [s for s in q.claim_must_contain if s.casefold() not in claim]
    present = [s for s in q.must_not_contain if s.casefold() in claim]
    if q.expect == "unknown":
        if answer.status != "unknown":
            return Verdict(False, answer.status == "ok", f"expected unknown, got {answer.status}")
    elif answer.status != "ok":
        return Verdict(False, False, f"expected an answer, got {answer.status}")
    if missing or unclaimed or present:
        reason = "; ".join(
            part
            for part in (
                f"missing {missing}" if missing else "",
                f"best fact does not say {unclaimed}" if unclaimed else "",
                f"should not contain {present}" if present else "",
            )
            if part
        )
        return Verdict(False, answer.status == "ok", reason)
    return Verdict(True, False, "")


def grade(q: EvalQuestion, answer: Answer) -> Grade:
    """One of the four tiers: right, hedged-right, don't-know or wrong.

    Any answer with status "ok" that fails the expectations is wrong, hedged or not, unless it
    opens by saying the news does not settle it (don't know). For a question the news does not
    answer, declining in any form (unknown, not found, did you mean, or an "ok" answer opening
    with a DECLINE_PREFIXES phrase) is right; any other answer is wrong.
    """
    if q.expect == "unknown":
        return "wrong" if answer.status == "ok" and not is_decline(answer) else "right"
    if answer.status != "ok":
        return "dont_know"
    if not judge(q, answer).right:
        # "The news doesn't say" beside related facts claims none of them as the answer.
        return "dont_know" if is_decline(answer) else "wrong"
    return "hedged" if is_hedged(answer) else "right"


def knowledge_dir(kind: Knowledge, tmp: Path) -> Path:
    """The folder to load for ``kind``: knowledge/ itself, or a copy with the second article."""
    if kind == "seed":
        return KNOWLEDGE
    target = tmp / f"knowledge-{kind}"
    target.mkdir(exist_ok=True)
    for path in KNOWLEDGE.glob("*.toml"):
        shutil.copy(path, target / path.name)
    shutil.copy(SECOND_ARTICLE, target / "2026-03-02-kestrel-cto.toml")
    return target


async def evaluate(questions: list[EvalQuestion]) -> list[tuple[EvalQuestion, Answer, Verdict]]:
    """Ask every question of a fresh service over its knowledge, in temporary databases."""
    from bot.service import TalentService
    from bot.store import Store

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        async with AsyncExitStack() as stack:
            services: dict[str, TalentService] = {}
            for q in questions:
                if q.knowledge not in services:
                    db = str(Path(tmp) / f"eval-{q.knowledge}.db")
                    store = await stack.enter_async_context(Store(db))
                    service = TalentService(store, knowledge_dir(q.knowledge, Path(tmp)))
                    report = await service.start()
                    if report is not None and not report.ok:
                        raise SystemExit("the knowledge files have errors: run `talent-bot check`")
                    services[q.knowledge] = service
                answer = await run(services[q.knowledge], "ask", q.question)
                results.append((q, answer, judge(q, answer)))
    return results


def tally(graded: Iterable[Grade]) -> dict[Grade, int]:
    """How many answers fell in each tier."""
    counts = dict.fromkeys(GRADES, 0)
    for g in graded:
        counts[g] += 1
    return counts


def summarize(pairs: Iterable[tuple[EvalQuestion, Answer]]) -> dict[str, int]:
    """The four tiers' counts, plus how many of the wrong answers were given with confidence."""
    graded = [(grade(q, a), a) for q, a in pairs]
    counts = tally(g for g, _ in graded)
    out: dict[str, int] = {g: counts[g] for g in GRADES}
    out["confident_wrong"] = sum(g == "wrong" and not is_hedged(a) for g, a in graded)
    return out


def table(rows: dict[str, dict[str, int]]) -> str:
    """A Markdown table: one row per set, the four tiers, and right-or-hedged as a share."""
    labels = [GRADE_LABELS[g] for g in GRADES]
    head = ["set", "questions", *labels, "of which confident wrong", "right or hedged"]
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for name, counts in rows.items():
        total = sum(counts[g] for g in GRADES)
        share = (counts["right"] + counts["hedged"]) / total if total else 0.0
        cells = [name, str(total), *(str(counts[g]) for g in GRADES)]
        cells += [str(counts["confident_wrong"]), f"{share:.0%}"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def show(name: str, results: list[tuple[EvalQuestion, Answer, Verdict]]) -> None:
    """Every question of one set with its grade, the bot's first line and why it failed."""
    print(f"\n## {name}")
    for q, answer, verdict in results:
        g = grade(q, answer)
        first = (
            answer.items()[0].text if answer.status == "ok" and answer.items() else answer.status
        )
        print(f"{GRADE_LABELS[g]:12} [{q.style or '-'}/{q.knowledge}] {q.question}\n    -> {first}")
        if g != "right" and verdict.reason:
            print(f"    !! {verdict.reason}")


RESULTS_INTRO = """\
# Plain questions: evaluation

Measured {stamp} with `python benchmarks/eval_ask.py --results`.

Sets: **dev** (tests/eval/questions_dev.toml, tune on it), **test**
(tests/eval/questions_test.toml, never tuned on), both from one pool of questions written for
issue 12 in four styles (chat, newcomer, nonnative, analyst), on the seed article, the second
article (tests/fixtures/second_article.toml) and both; and **old**
(tests/eval/questions.toml, the first 72). Each question runs against a fresh service on its
knowledge: `seed` is knowledge/, `both` is knowledge/ plus the second article.

Grades: **right** is a confident answer whose best fact passes the question's checks, or a
decline for a question the news does not answer; **hedged-right** passes them but is marked
"{hedge}…" (status ok, with the title, message or first heading starting so);
**don't know** declines a question the news answers; **wrong** is any answer, hedged or not,
that fails the checks, or any answer to a question the news does not answer (one opening "The
news doesn't say" or "I don't know" counts as a decline there). "Right or hedged" is the share
of the first two.

{table}
"""
HISTORY = "\n## History"  # hand-written notes below this heading survive a rewrite


def write_results(table_md: str) -> None:
    """Rewrite benchmarks/results/ask.md with this run, keeping its hand-written history."""
    old = RESULTS.read_text(encoding="utf-8") if RESULTS.exists() else ""
    history = old[old.index(HISTORY) :] if HISTORY in old else ""
    stamp = datetime.now(UTC).replace(microsecond=0).isoformat()
    text = RESULTS_INTRO.format(stamp=stamp, hedge=HEDGE_PREFIX, table=table_md)
    RESULTS.write_text(text + history, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Print the four counts per set (and per style); optionally list one set or write ask.md."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--show",
        choices=sorted(SETS),
        action="append",
        default=[],
        help="list every question of this set with its grade (never 'test' while tuning)",
    )
    parser.add_argument("--results", action="store_true", help=f"write the table to {RESULTS}")
    args = parser.parse_args(argv)

    by_set = {name: asyncio.run(evaluate(load_questions(path))) for name, path in SETS.items()}
    for name in args.show:
        show(name, by_set[name])
    rows = {name: summarize((q, a) for q, a, _ in res) for name, res in by_set.items()}
    # Per style on dev only: that breakdown is for tuning, which the test set must never guide.
    styles = {
        f"dev, {style}": summarize((q, a) for q, a, _ in by_set["dev"] if q.style == style)
        for style in STYLES
    }
    out = table(rows) + "\n\n" + table(styles)
    print("\n" + out)
    if args.results:
        write_results(out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
