"""results.json -> results.md (tables, targets) and latency.png (p99 against size)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

SLASH = (
    "who-left",
    "who-left company",
    "who-left person",
    "who-joined company",
    "stats topic",
    "stats",
    "person",
    "company",
    "sources",
)
SPEEDUP_TARGET = 20.0
MB_TARGET = 250.0


def _ms(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def _speedup(entry: dict[str, Any], key: str) -> float:
    return float(entry["naive"][key]) / max(float(entry["ours"][key]), 1e-9)


def targets(run: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(what, goal, measured, met) for the issue's targets, at one size."""
    lat = run["latency"]
    worst_slash = max(SLASH, key=lambda op: lat[op]["ours"]["p99_ms"])
    ratios = {op: _speedup(entry, "p50_ms") for op, entry in lat.items()}
    slowest = min(ratios, key=lambda op: ratios[op])
    rows = [
        ("autocomplete p99", "≤ 5 ms", lat["autocomplete"]["ours"]["p99_ms"], 5.0),
        (
            f"slash answers p99 (worst: /{worst_slash})",
            "≤ 10 ms",
            lat[worst_slash]["ours"]["p99_ms"],
            10.0,
        ),
        ("free-text p99", "≤ 30 ms", lat["ask"]["ours"]["p99_ms"], 30.0),
    ]
    out = [(what, goal, f"{_ms(v)} ms", v <= limit) for what, goal, v, limit in rows]
    reload_s = run["reload"]["seconds"]
    out.append(("/reload after an edit", "≤ 3 s", f"{reload_s:.2f} s", reload_s <= 3.0))
    rss = run["peak_rss_mb"]
    out.append(("peak RSS", f"≤ {MB_TARGET:.0f} MB", f"{rss:.0f} MB", rss <= MB_TARGET))
    out.append(
        (
            f"speed-up over naive, p50 (least: {slowest})",
            f"≥ {SPEEDUP_TARGET:.0f}×",
            f"{ratios[slowest]:,.0f}×",
            ratios[slowest] >= SPEEDUP_TARGET,
        )
    )
    return out


def write_markdown(report: dict[str, Any], path: Path) -> None:
    """The tables of results.md."""
    runs = report["sizes"]
    machine = report["machine"]
    ops: dict[str, str] = report["ops"]
    largest = runs[-1]
    lines = [
        "# talent-bot benchmarks",
        "",
        f"Measured {report['generated']} on {machine['cpus']} cores, Python {machine['python']}, "
        f"SQLite {machine['sqlite']}, pydantic {machine['pydantic']}, rapidfuzz {machine['rapidfuzz']}; "
        f"the whole run took {report['seconds'] / 60:.1f} minutes. Reproduce with "
        "`pip install -e '.[dev,bench]' && python benchmarks/run.py` (`--sizes 1,100` for a quick run).",
        "",
        "Synthetic knowledge from `benchmarks/generate.py` (seed "
        f"{report['seed']}): realistic names with aliases, Zipf-distributed employers, six facts per "
        "article on average. Each size is measured in a fresh process against a real SQLite file; "
        f"{report['iterations']} timed calls per operation after a warm-up, cycling through inputs "
        "that include misspelt names (1-2 edits), aliases, swapped words and names that do not "
        "exist. The naive baseline (difflib over every name, facts found by a full scan of their "
        "JSON) runs in the same process, capped by time, so its sample counts can be smaller.",
        "",
        f"## Targets at {largest['size']:,} articles",
        "",
        "| target | goal | measured | met |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {what} | {goal} | {measured} | {'yes' if met else '**no**'} |"
        for what, goal, measured, met in targets(largest)
    ]
    lines += [
        "",
        "## Loading and memory",
        "",
        "| articles | people | companies | facts | `check` s | full load s | facts/s | /reload s "
        "| unchanged /reload s | peak RSS MB | DB MB (+ WAL) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for run in runs:
        c = run["counts"]
        lines.append(
            f"| {run['size']:,} | {c['people']:,} | {c['companies']:,} | {c['all_facts']:,} "
            f"| {run['check_seconds']:.2f} | {run['load']['seconds']:.2f} "
            f"| {run['load']['facts_per_second']:,.0f} | {run['reload']['seconds']:.2f} "
            f"| {run['reload']['unchanged_seconds']:.2f} | {run['peak_rss_mb']:.0f} "
            f"| {run['db_mb']:.1f} (+ {run.get('wal_mb', 0.0):.1f}) |"
        )
    stages = largest.get("memory_mb", {})
    if stages:
        lines += [
            "",
            f"Resident memory of the measuring process at {largest['size']:,} articles, MB: "
            + "; ".join(
                f"{stage} {mb['now']:.0f} (peak so far {mb['peak']:.0f})"
                for stage, mb in stages.items()
            )
            + ".",
        ]
    header = "| call | " + " | ".join(f"{r['size']:,} articles" for r in runs) + " |"
    rule = "|---|" + "---:|" * len(runs)
    lines += [
        "",
        "`check` is the whole `talent-bot check` command (interpreter start-up included). Full "
        "load is the first start on an empty database: parse, validate, write SQLite and build "
        "the name index. /reload follows an edit of one file (the median of three). Peak RSS is "
        "that of the measuring process (fresh per size) up to the end of the talent-bot calls: "
        "Python, discord.py, the knowledge, the name index, three reloads and every call; the "
        "naive baseline runs after. The WAL file keeps the size of the largest write (the first "
        "load) for reuse.",
        "",
        "## Latency: p50 / p99 in ms (speed-up over naive at p50)",
        "",
        "Each slash command and question is timed end to end: name resolution, SQL, building the "
        "answer and rendering it as the Discord embeds the bot would send.",
        "",
        header,
        rule,
    ]
    for op, label in ops.items():
        cells = []
        for run in runs:
            entry = run["latency"][op]
            ours = entry["ours"]
            cells.append(
                f"{_ms(ours['p50_ms'])} / {_ms(ours['p99_ms'])} (×{_speedup(entry, 'p50_ms'):,.0f})"
            )
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "## Naive baseline: p50 / p99 in ms (calls timed)", "", header, rule]
    for op, label in ops.items():
        cells = []
        for run in runs:
            naive = run["latency"][op]["naive"]
            cells.append(f"{_ms(naive['p50_ms'])} / {_ms(naive['p99_ms'])} ({naive['n']})")
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", "![p99 latency against size](latency.png)", ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def write_plot(report: dict[str, Any], path: Path) -> bool:
    """p99 latency against size, ours beside naive; False when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot")
        return False
    runs = report["sizes"]
    sizes = [r["size"] for r in runs]
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 6.5), sharey=True)
    colours = plt.get_cmap("tab20").colors
    markers = "osD^v<>phX*P"
    for n, (op, label) in enumerate(report["ops"].items()):
        style = {
            "color": colours[(2 * n) % 20 if n < 10 else (2 * n + 1) % 20],
            "marker": markers[n % len(markers)],
            "linestyle": "-" if op in ("resolve", "autocomplete", "ask") else "--",
            "label": label,
        }
        left.plot(sizes, [r["latency"][op]["ours"]["p99_ms"] for r in runs], **style)
        right.plot(sizes, [r["latency"][op]["naive"]["p99_ms"] for r in runs], **style)
    for limit, what in ((5, "autocomplete target"), (10, "slash target"), (30, "free-text target")):
        left.axhline(limit, color="grey", linewidth=0.8, linestyle=":")
        left.annotate(what, (sizes[0], limit), fontsize=7, color="grey", va="bottom")
    for ax, title in ((left, "talent-bot"), (right, "naive baseline")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("articles")
        ax.set_title(f"{title}: p99 latency per call")
        ax.grid(True, which="both", alpha=0.25)
    left.set_ylabel("ms (log)")
    handles, labels = left.get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=6, fontsize=7, frameon=False)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return True
