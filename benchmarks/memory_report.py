"""benchmarks/results/memory.md from memory.json (written by benchmarks/memory.py).

python benchmarks/memory_report.py [benchmarks/results/memory.json]
"""

from __future__ import annotations

import json
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"

Run = dict[str, Any]


def _first_after_swap(kind: str) -> Callable[[Run], float]:
    def worst(run: Run) -> float:
        return max(v for k, v in run.items() if k.startswith(f"first {kind} after reload"))

    return worst


def _lag(phases: tuple[str, ...]) -> Callable[[Run], float]:
    """The worst stall of the phases named, or starting with a name ending in "*"."""

    def wanted(phase: str) -> bool:
        return any(phase == p or (p.endswith("*") and phase.startswith(p[:-1])) for p in phases)

    def worst(run: Run) -> float:
        lags: dict[str, float] = run["lag ms"]
        return max((v for k, v in lags.items() if wanted(k)), default=0.0)

    return worst


# (row, unit, how to read it off one run); the median over runs is shown.
ROWS: tuple[tuple[str, str, Callable[[Run], float]], ...] = (
    ("peak RSS of the serving process", "MB", lambda r: r["peak RSS MB"]),
    ("RSS after start", "MB", lambda r: r["memory MB"]["after start"]),
    ("RSS after three reloads", "MB", lambda r: r["memory MB"]["after reloads"]),
    ("cold start on an empty database", "s", lambda r: r["cold start s"]),
    ("restart on a loaded database: ready", "s", lambda r: r["restart ready s"]),
    (
        "first /reload after a restart (one file edited)",
        "s",
        lambda r: r["first reload after restart s"],
    ),
    (
        "later reloads, one file edited (median of 3)",
        "s",
        lambda r: statistics.median(r["reload s"]),
    ),
    ("reload after editing 100 files", "s", lambda r: r["reload 100 edited s"]),
    ("longest loop stall: cold start", "ms", _lag(("cold start",))),
    ("longest loop stall: one-file reloads", "ms", _lag(("reload 1", "reload 2", "reload 3"))),
    (
        "longest loop stall: restart + first reload",
        "ms",
        _lag(("restart", "restart preparing", "first reload after restart")),
    ),
    ("longest loop stall: reload of 100 edited files", "ms", _lag(("reload 100 edited",))),
    (
        "longest loop stall: first /stats or /ask after a swap",
        "ms",
        _lag(("first stats*", "first ask*")),
    ),
    (
        "longest loop stall: freeing the first service (the benchmark's own, before restarting)",
        "ms",
        _lag(("freeing the first service",)),
    ),
    (
        "longest loop stall: idle (the machine's noise floor)",
        "ms",
        lambda r: r["lag ms"].get("idle", 0.0),
    ),
    ("first /stats after a swap (worst of 3)", "ms", _first_after_swap("stats")),
    ("first /ask after a swap (worst of 3)", "ms", _first_after_swap("ask")),
    ("steady /stats p50", "ms", lambda r: r["steady stats p50 ms"]),
)


def _fmt(value: float, unit: str) -> str:
    return f"{value:,.0f}" if unit in ("MB", "ms") else f"{value:,.2f}"


def markdown(report: dict[str, list[Run] | dict[str, list[Run]]]) -> str:
    """The before/after table of every size in ``report``."""
    out: list[str] = []
    for size, codes in report.items():
        assert isinstance(codes, dict)
        runs = {name: len(v) for name, v in codes.items()}
        out += [
            f"### {int(size):,} articles (median of {min(runs.values())} runs each)",
            "",
            "| what | unit | before | after | after / before |",
            "|---|---|---:|---:|---:|",
        ]
        for label, unit, read in ROWS:
            values = {}
            for name in ("old", "new"):
                if name in codes:
                    values[name] = statistics.median(read(r) for r in codes[name])
            old, new = values.get("old"), values.get("new")
            ratio = f"{new / old:.2f}" if old and new is not None else "—"
            shown_old = _fmt(old, unit) if old is not None else "—"
            shown_new = _fmt(new, unit) if new is not None else "—"
            out.append(f"| {label} | {unit} | {shown_old} | {shown_new} | {ratio} |")
        out.append("")
    return "\n".join(out)


def main() -> int:
    """Print the tables of memory.json (or the file given)."""
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else RESULTS / "memory.json"
    print(markdown(json.loads(path.read_text(encoding="utf-8"))))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
