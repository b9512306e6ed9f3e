"""How close `talent-bot draft` comes to hand-written knowledge files for the same articles.

Run from the repository root: ``python benchmarks/draft_eval.py`` prints the table;
``--write`` also saves it to benchmarks/results/draft.md. Each article is drafted against a
knowledge folder holding every *other* hand-written file (so what it links to is what an admin
would have), then compared with its own hand-written file: people and companies by name, moves
by (person, from, to), figures by (subject, value), statements by speaker; plus the TODOs, the
quotes that are not exact sentences of the text, TOML validity and `check`; and the time to draft
a 2,000-word article. tests/test_draft_eval.py asserts the targets with this code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import shutil
import sys
import tempfile
import time
import tomllib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run as a script: make `bot` importable without installing
    sys.path.insert(0, str(ROOT))

from bot.draft import ArticleMeta, Known, draft  # noqa: E402
from bot.knowledge.loader import KnowledgeError, load_directory  # noqa: E402
from bot.text import normalize  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
DRAFTING = FIXTURES / "drafting"
# Article/knowledge pairs written by an author who never saw the drafter, after its rules were
# made general (issue 16): dev ones may be read and tuned on; test ones are never opened, and
# only their totals are printed.
DEV = FIXTURES / "drafting_dev"
TEST = FIXTURES / "drafting_test"
SETS = {"old": DRAFTING, "dev": DEV, "test": TEST}
RESULTS = ROOT / "benchmarks" / "results" / "draft.md"
SEED_TEXT = Path("/work/shared/seeds/000_21dff86d5f299531.txt")
SEED_KNOWLEDGE = ROOT / "knowledge" / "2025-06-26-amazon-ai-executive-leaves.toml"
SEED_NAME = "seed: amazon-ai-executive-leaves"
TUNED_ON = SEED_NAME  # the one article the drafter was tuned on
# Articles written and committed after the drafter's last change, before it first read them.
BLIND = frozenset({"orion-compute-hires-brightforge-executives"})
# Articles that were blind until their first run, which then led to fixes: that first run as
# it was measured (the drafter has changed since; a rerun shows the fixed numbers). The other
# fixtures were read while the drafter was being written, to review their hand-written files.
# The first run on the blind dev and test sets, as printed by --first-run (dev per article and
# summed, test only summed) at drafter commit 94e54d8, right after the fixtures were merged and
# before the drafter was tuned on dev; columns as in the main table. That merge caught the blind
# author mid-way (two files incomplete, 49 of the 85 moves written), so the "before this
# session" rows rerun the drafter of main 7d511f5 on the complete files: the fair baseline.
FIRST_RUN_DEV: dict[str, str] = {
    "altamira-chief-scientist-exits-for-deepmind": (
        "93% / 72% (13/14, 18 drafted) | 67% / 80% (4/6, 5 drafted)"
        " | 50% / 67% (6/12, 9 drafted) | 78% / 100% (7/9, 7 drafted) | 60 | 0 | yes"
        " | passes | 24 ms"
    ),
    "brisk-health-names-chief-ai-officer": (
        "100% / 85% (11/11, 13 drafted) | 0% / 0% (0/3, 3 drafted)"
        " | 78% / 88% (7/9, 8 drafted) | 100% / 100% (6/6, 6 drafted) | 54 | 0 | yes"
        " | passes | 19 ms"
    ),
    "marrow-bank-ai-unit-departures": (
        "100% / 69% (9/9, 13 drafted) | 17% / 33% (1/6, 3 drafted)"
        " | 46% / 75% (6/13, 8 drafted) | 78% / 100% (7/9, 7 drafted) | 42 | 0 | yes"
        " | passes | 14 ms"
    ),
    "quarry-labs-taps-solano-research-head": (
        "94% / 84% (16/17, 19 drafted) | 25% / 29% (2/8, 7 drafted)"
        " | 67% / 83% (10/15, 12 drafted) | 67% / 67% (4/6, 6 drafted) | 74 | 0 | yes"
        " | passes | 25 ms"
    ),
    "all dev articles": (
        "96% / 78% (49/51, 63 drafted) | 30% / 39% (7/23, 18 drafted)"
        " | 59% / 78% (29/49, 37 drafted) | 80% / 92% (24/30, 26 drafted) | 230 | 0 | yes"
        " | passes | 25 ms"
    ),
    "all dev articles, complete files, drafter before this session (main 7d511f5)": (
        "97% / 81% (59/61, 73 drafted) | 22% / 46% (6/27, 13 drafted)"
        " | 57% / 67% (33/58, 49 drafted) | 83% / 94% (29/35, 31 drafted) | 296 | 0 | yes"
        " | passes | 13 ms"
    ),
}
FIRST_RUN_TEST: dict[str, str] = {
    "test (blind), 4 articles, two of them incomplete": (
        "95% / 87% (54/57, 62 drafted) | 42% / 52% (11/26, 21 drafted)"
        " | 70% / 85% (33/47, 39 drafted) | 70% / 91% (21/30, 23 drafted) | 218 | 0 | yes"
        " | passes | 26 ms"
    ),
    "test (blind), 4 complete articles, drafter before this session (main 7d511f5)": (
        "96% / 88% (73/76, 83 drafted) | 22% / 38% (8/36, 21 drafted)"
        " | 72% / 84% (42/58, 50 drafted) | 70% / 92% (23/33, 25 drafted) | 282 | 0 | yes"
        " | passes | 12 ms"
    ),
}
FIRST_RUNS = {
    "quillmark-taps-helix-health-ai-chief": (
        "91% / 77% (10/11, 13 drafted) | 25% / 33% (1/4, 3 drafted) "
        "| 67% / 80% (4/6, 5 drafted) | 75% / 100% (3/4, 3 drafted) | 40"
    ),
    "ostrava-loses-perception-lead-to-carrow": (
        "100% / 100% (11/11, 11 drafted) | 33% / 50% (1/3, 2 drafted) "
        "| 50% / 50% (3/6, 6 drafted) | 25% / 100% (1/4, 1 drafted) | 46"
    ),
    "veridian-bank-hires-stratus-chief-scientist": (
        "100% / 100% (10/10, 10 drafted) | 0% / 0% (0/4, 2 drafted) "
        "| 40% / 33% (2/5, 6 drafted) | 100% / 100% (3/3, 3 drafted) | 34"
    ),
    "fenwick-research-head-exits-for-lantern": (
        "100% / 100% (11/11, 11 drafted) | 40% / 50% (2/5, 4 drafted) "
        "| 40% / 40% (2/5, 5 drafted) | 67% / 100% (2/3, 2 drafted) | 27"
    ),
}


@dataclass(frozen=True)
class Case:
    """An article's text and the hand-written knowledge file it is scored against."""

    name: str
    text: Path
    reference: Path
    set: str = "old"  # "old" (seed and tests/fixtures/drafting), "dev" or "test"

    @property
    def tuned(self) -> bool:
        return self.name == TUNED_ON

    @property
    def label(self) -> str:
        """The name to print: a test article's name is not printed, only its number."""
        return self.name if self.set != "test" else f"test article {self.name}"


def cases(sets: Iterable[str] = ("old", "dev", "test")) -> list[Case]:
    """The seed article (when its text is on this machine) and the fixtures of these sets."""
    found: list[Case] = []
    for name in sets:
        texts = sorted(SETS[name].glob("*.txt"))
        for n, p in enumerate(texts, 1):
            found.append(
                Case(p.stem if name != "test" else str(n), p, p.with_suffix(".toml"), name)
            )
    if SEED_TEXT.exists() and "old" in sets:
        found.insert(0, Case(SEED_NAME, SEED_TEXT, SEED_KNOWLEDGE))
    return found


def references() -> list[Path]:
    """Every hand-written knowledge file the drafts may link to."""
    return [
        *sorted((ROOT / "knowledge").glob("*.toml")),
        FIXTURES / "second_article.toml",
        *(p for folder in SETS.values() for p in sorted(folder.glob("*.toml"))),
    ]


def knowledge_without(case: Case, directory: Path) -> Path:
    """A knowledge folder of every hand-written file but the case's own."""
    directory.mkdir(parents=True, exist_ok=True)
    for path in references():
        if path.resolve() != case.reference.resolve():
            shutil.copy(path, directory / f"{path.parent.name}-{path.name}")
    return directory


# ---------------------------------------------------------------------- comparing


@dataclass(frozen=True)
class Score:
    """Recall and precision of one kind of item, counted as multisets of keys."""

    found: int
    expected: int
    drafted: int

    @property
    def recall(self) -> float:
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.drafted if self.drafted else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(
            self.found + other.found,
            self.expected + other.expected,
            self.drafted + other.drafted,
        )


def score(expected: Iterable[Hashable], drafted: Iterable[Hashable]) -> Score:
    want, got = Counter(expected), Counter(drafted)
    return Score(sum((want & got).values()), sum(want.values()), sum(got.values()))


def _names(data: Mapping[str, Any]) -> dict[str, str]:
    """Id -> normalised name of every person and company in a parsed file."""
    return {
        e["id"]: normalize(e["name"]) for key in ("people", "companies") for e in data.get(key, [])
    }


def _value(value: float) -> float:
    return float(f"{float(value):.6g}")


_MAGNITUDE_LOW = {"tens": 10.0, "hundreds": 100.0, "dozens": 24.0, "thousands": 1e3}
_MAGNITUDE_SCALE = {"thousands": 1e3, "millions": 1e6, "billions": 1e9, "trillions": 1e12}


def figure_values(figure: Mapping[str, Any]) -> frozenset[float]:
    """Every number a figure gives: its value, or its bounds ('more_than', 'between', ...).

    A figure matches another of the same subject when they share one of these, so "$5 million
    to $10 million" drafted as ``between`` matches a hand-written ``value = 5_000_000``.
    """
    found: list[float] = []
    for key in ("value", "more_than", "at_least", "up_to", "less_than"):
        if key in figure:
            found.append(_value(figure[key]))
    found += [_value(v) for v in figure.get("between", [])]
    words = str(figure.get("magnitude", "")).split()
    if words:
        low = _MAGNITUDE_LOW.get(words[0], 1.0) * _MAGNITUDE_SCALE.get(words[-1], 1.0)
        if words[0] in _MAGNITUDE_SCALE and len(words) == 1:
            low = _MAGNITUDE_SCALE[words[0]]
        found.append(_value(low))
    return frozenset(found)


def score_figures(
    expected: Iterable[tuple[str, frozenset[float]]],
    drafted: Iterable[tuple[str, frozenset[float]]],
) -> Score:
    """Figures matched one to one: same subject, and a number in common."""
    want, got = list(expected), list(drafted)
    left = list(got)
    found = 0
    for subject, values in want:
        hit = next((g for g in left if g[0] == subject and g[1] & values), None)
        if hit is not None:
            left.remove(hit)
            found += 1
    return Score(found, len(want), len(got))


def _keys(data: Mapping[str, Any]) -> dict[str, list[Hashable]]:
    names = _names(data)

    def name(ref: str | None) -> str:
        if ref is None:
            return "-"
        return "undisclosed" if ref == "undisclosed" else names.get(ref, f"?{ref}")

    return {
        "entities": [names[e] for e in names],
        "moves": [
            (
                name(m.get("person")) if "person" in m else "(group)",
                name(m.get("from")),
                name(m.get("to")),
            )
            for m in data.get("moves", [])
        ],
        "figures": [(name(f["subject"]), figure_values(f)) for f in data.get("figures", [])],
        "statements": [name(s["speaker"]) for s in data.get("statements", [])],
    }


_SENTENCE_END = ".!?”\")’'"


def not_exact_sentences(text: str, quotes: Iterable[str]) -> list[str]:
    """The quotes that are not whole sentences of one paragraph of the text, word for word."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n", text) if p.strip()]
    bad = []
    for quote in quotes:
        flat = " ".join(quote.split())
        if not flat or flat[-1] not in _SENTENCE_END or not _starts_sentence(flat, paragraphs):
            bad.append(quote)
    return bad


def _starts_sentence(quote: str, paragraphs: list[str]) -> bool:
    for paragraph in paragraphs:
        start = paragraph.find(quote)
        while start >= 0:
            before = paragraph[:start].rstrip()
            end = start + len(quote)
            ends = end == len(paragraph) or paragraph[end] == " "
            if ends and (not before or before[-1] in _SENTENCE_END):
                return True
            start = paragraph.find(quote, start + 1)
    return False


@dataclass(frozen=True)
class Result:
    case: Case
    entities: Score
    moves: Score
    figures: Score
    statements: Score
    todos: int
    todos_stated: int | None
    bad_quotes: list[str]
    valid_toml: bool
    check_errors: list[str]
    seconds: float
    draft: str


_TODO_HEADER = re.compile(r"^# (\d+) TODOs?\b", re.MULTILINE)


def evaluate(case: Case, workdir: Path) -> Result:
    """Draft one article against the other files and compare it with its own."""
    reference = tomllib.loads(case.reference.read_text(encoding="utf-8"))
    article = reference["article"]
    published = article["published"]
    meta = ArticleMeta(
        title=article["title"],
        publisher=article["publisher"],
        published=published if isinstance(published, dt.date) else dt.date.fromisoformat(published),
        url=article.get("url"),
    )
    knowledge = knowledge_without(case, workdir / "knowledge")
    known = Known.from_directory(knowledge)
    text = case.text.read_text(encoding="utf-8")
    started = time.perf_counter()
    result = draft(text, meta, known)
    seconds = time.perf_counter() - started
    try:
        drafted = tomllib.loads(result.toml)
        valid = True
    except tomllib.TOMLDecodeError:
        drafted, valid = {}, False
    want, got = _keys(reference), _keys(drafted)
    quotes = [
        f["quote"] for k in ("moves", "figures", "statements", "facts") for f in drafted.get(k, [])
    ]
    stated = _TODO_HEADER.search(result.toml)
    return Result(
        case=case,
        entities=score(want["entities"], got["entities"]),
        moves=score(want["moves"], got["moves"]),
        figures=score_figures(want["figures"], got["figures"]),  # type: ignore[arg-type]
        statements=score(want["statements"], got["statements"]),
        todos=sum("# TODO" in line for line in result.toml.splitlines()[1:]),
        todos_stated=int(stated.group(1)) if stated else None,
        bad_quotes=not_exact_sentences(text, quotes),
        valid_toml=valid,
        check_errors=check_errors(result.toml, knowledge),
        seconds=seconds,
        draft=result.toml,
    )


def check_errors(toml_text: str, knowledge: Path) -> list[str]:
    """What `talent-bot check` says of the draft beside the knowledge it was drafted against."""
    target = knowledge / "zz-draft.toml"
    target.write_text(toml_text, encoding="utf-8")
    try:
        load_directory(knowledge)
    except KnowledgeError as exc:
        return [str(e) for e in exc.errors]
    finally:
        target.unlink()
    return []


def evaluate_all(sets: Iterable[str] = ("old", "dev", "test")) -> list[Result]:
    """Every case of these sets drafted and compared."""
    with tempfile.TemporaryDirectory() as tmp:
        return [evaluate(case, Path(tmp) / str(i)) for i, case in enumerate(cases(sets))]


# ---------------------------------------------------------------------- reporting


def _pct(value: float) -> str:
    return f"{100 * value:.0f}%"


def _row(label: str, r: Iterable[Result]) -> str:
    rows = list(r)
    total = {
        k: sum((getattr(x, k) for x in rows), Score(0, 0, 0))
        for k in ("entities", "moves", "figures", "statements")
    }
    cells = [label]
    for key in ("entities", "moves", "figures", "statements"):
        s = total[key]
        cells.append(
            f"{_pct(s.recall)} / {_pct(s.precision)} ({s.found}/{s.expected}, {s.drafted} drafted)"
        )
    cells.append(str(sum(x.todos for x in rows)))
    cells.append(str(sum(len(x.bad_quotes) for x in rows)))
    cells.append("yes" if all(x.valid_toml for x in rows) else "NO")
    cells.append("passes" if not any(x.check_errors for x in rows) else "FAILS")
    cells.append(f"{1000 * max(x.seconds for x in rows):.0f} ms")
    return "| " + " | ".join(cells) + " |"


_HEAD = (
    "| article | people+companies R / P | moves R / P | figures R / P | statements R / P "
    "| TODOs | quotes not exact | valid TOML | check as drafted | time |\n"
    "|---|---|---|---|---|---|---|---|---|---|"
)
_FIRST_HEAD = (
    "| article | people+companies R / P | moves R / P | figures R / P | statements R / P "
    "| TODOs |\n|---|---|---|---|---|---|"
)


def table(results: list[Result]) -> str:
    """The report in Markdown: tuned-on and dev articles one by one, test ones only summed."""
    old = [r for r in results if r.case.set == "old"]
    dev = [r for r in results if r.case.set == "dev"]
    test = [r for r in results if r.case.set == "test"]
    lines = [
        "### Tuned on: the seed and tests/fixtures/drafting/ (all read while tuning)",
        "",
        _HEAD,
    ]
    for r in old:
        status = "tuned on" if r.case.tuned else "held out"
        status += ", blind" if r.case.name in BLIND else ""
        status += ", fixed after a blind first run" if r.case.name in FIRST_RUNS else ""
        lines.append(_row(f"{r.case.name} ({status})", [r]))
    held_out = [r for r in old if not r.case.tuned]
    if held_out:
        lines.append(_row("**all tests/fixtures/drafting/ articles**", held_out))
    if dev:
        lines += [
            "",
            "### Dev: tests/fixtures/drafting_dev/ (blind at their first run, tuned on since)",
            "",
            _HEAD,
            *(_row(r.case.name, [r]) for r in dev),
            _row("**all dev articles**", dev),
        ]
    lines += ["", "### Totals", "", _HEAD]
    if held_out:
        lines.append(_row("tuned on: tests/fixtures/drafting/", held_out))
    if dev:
        lines.append(_row("dev: tests/fixtures/drafting_dev/", dev))
    if test:
        lines.append(
            _row(f"**test (blind): tests/fixtures/drafting_test/, {len(test)} articles**", test)
        )
    lines += [
        "",
        "### First runs, as measured before the fixes they led to",
        "",
        "On tests/fixtures/drafting/ (each article's first run, before it was read):",
        "",
        _FIRST_HEAD,
        *(f"| {name} | {row} |" for name, row in FIRST_RUNS.items()),
    ]
    if FIRST_RUN_DEV or FIRST_RUN_TEST:
        lines += [
            "",
            "On the new blind sets, the drafter's first run on them (after the general "
            "rewrite of moves and figures, before any tuning on them):",
            "",
            _HEAD,
            *(f"| dev: {name} | {row} |" for name, row in FIRST_RUN_DEV.items()),
            *(f"| **{name}** | {row} |" for name, row in FIRST_RUN_TEST.items()),
        ]
    return "\n".join(lines)


def first_run_rows(results: list[Result]) -> str:
    """The rows to record as a first run: dev articles one by one and summed, test only summed."""
    dev = [r for r in results if r.case.set == "dev"]
    test = [r for r in results if r.case.set == "test"]
    rows = [_row(r.case.name, [r]) for r in dev]
    if dev:
        rows.append(_row("all dev articles", dev))
    if test:
        rows.append(_row(f"test (blind), {len(test)} articles", test))
    return "\n".join(rows)


def speed(words: int = 2000) -> tuple[int, float]:
    """Seconds to draft an article of about `words` words made of the fixtures' paragraphs."""
    paragraphs: list[str] = []
    for case in cases(("old", "dev")):
        paragraphs += [
            p for p in case.text.read_text(encoding="utf-8").split("\n\n")[2:] if p.strip()
        ]
    text, i = "", 0
    while len(text.split()) < words:
        text += paragraphs[i % len(paragraphs)] + "\n\n"
        i += 1
    with tempfile.TemporaryDirectory() as tmp:
        known = Known.from_directory(knowledge_without(cases(("old",))[0], Path(tmp)))
        meta = ArticleMeta("A long article", "Example Wire", dt.date(2026, 6, 1))
        started = time.perf_counter()
        draft(text, meta, known)
        return len(text.split()), time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--write", action="store_true", help=f"also write {RESULTS.relative_to(ROOT)}"
    )
    parser.add_argument(
        "--show", metavar="NAME", help="print the draft of the article whose name contains NAME"
    )
    parser.add_argument(
        "--first-run",
        action="store_true",
        help="print the rows to record as the first run on the dev and test sets",
    )
    parser.add_argument(
        "--sets",
        default="old,dev,test",
        help="comma-separated sets to evaluate (old, dev, test); tune with 'old,dev'",
    )
    args = parser.parse_args(argv)
    sets = tuple(name for name in args.sets.split(",") if name in SETS)
    if args.show:
        # Test articles are never shown: only their totals are ever printed.
        for r in evaluate_all(("old", "dev")):
            if args.show in r.case.name:
                print(r.draft)
                for error in r.check_errors:
                    print("check:", error)
                for quote in r.bad_quotes:
                    print("not a sentence:", quote)
        return 0
    results = evaluate_all(sets)
    if args.first_run:
        print(first_run_rows(results))
        return 0
    words, seconds = speed()
    report = table(results) + f"\n\nA {words:,}-word article drafted in {1000 * seconds:.0f} ms.\n"
    print(report)
    if args.write:
        RESULTS.write_text(_document(report), encoding="utf-8")
    return 0


def _document(report: str) -> str:
    return (
        "# Drafting knowledge files: `talent-bot draft` against hand-written files\n\n"
        "Produced by `python benchmarks/draft_eval.py --write`. R / P are recall and precision; "
        "people and companies are compared by name, moves by (person, from, to), figures by "
        "subject and value (a figure given as a range or a bound matches on any number it "
        "gives), statements by speaker. Each article is drafted against a knowledge folder of "
        "every other hand-written file (knowledge/, tests/fixtures/second_article.toml and the "
        "three drafting fixture folders).\n\n"
        "**Three sets, three degrees of honesty.**\n\n"
        f"- *Tuned on*: `{TUNED_ON}` and tests/fixtures/drafting/. Every one of them has been "
        "read while the drafter was written and fixed, so their rows are optimistic; the first "
        "runs of four of them, before they were read, are at the bottom.\n"
        "- *Dev*: tests/fixtures/drafting_dev/, four articles by an author who had not seen the "
        "drafter (issue 16). Their first run, recorded below, was blind; the drafter has been "
        "tuned on them since, so their current rows are not.\n"
        "- *Test (blind)*: tests/fixtures/drafting_test/, four more articles by the same author, "
        "split from dev at random. They were never opened while the drafter was tuned: only "
        "their totals are printed, never an article's row, text or draft. This is the honest "
        "measure of articles the drafter has never seen.\n\n"
        "Compare the dev and test totals with their first runs at the bottom: what tuning on dev "
        "gained there and not on test is how far the rules are fitted to the articles read.\n\n"
        + report
    )


if __name__ == "__main__":
    raise SystemExit(main())
