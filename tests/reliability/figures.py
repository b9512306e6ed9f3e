"""Run the reliability tests and print the figures for the README's reliability section.

    python tests/reliability/figures.py

The tests count what they try into a tally (see conftest.py), written as JSON to a temp file
that this script reads back once pytest is done. Exit status is pytest's.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
FIGURES_ENV = "TALENT_BOT_FIGURES"  # the same name as in conftest.py, which imports the bot


class _Outcomes:
    """Counts passed, failed and skipped tests, as pytest reports them."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.when == "call" or report.outcome != "passed":
            self.counts[report.outcome] += 1


def run() -> tuple[int, Counter[str], dict[str, int], float]:
    """(pytest exit code, outcomes, tally, seconds) of one run of tests/reliability."""
    outcomes = _Outcomes()
    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "figures.json"
        os.environ[FIGURES_ENV] = str(target)
        os.chdir(ROOT)
        started = time.perf_counter()
        code = pytest.main(["-q", "-p", "no:cacheprovider", str(HERE)], plugins=[outcomes])
        seconds = time.perf_counter() - started
        tally = json.loads(target.read_text()) if target.exists() else {}
    return int(code), outcomes.counts, tally, seconds


def report(outcomes: Counter[str], tally: dict[str, int], seconds: float) -> str:
    """The figures as lines of text."""
    t = Counter(tally)
    # The claims below are what the passing tests assert; a failure voids them.
    verdict = "none" if not outcomes["failed"] else "SEE THE FAILURES ABOVE"
    tests = ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
    return "\n".join(
        [
            "Reliability figures",
            f"  bad inputs tried (hypothesis examples):  {t['inputs']:,} "
            f"({t['inputs_with_pings']:,} with pings, longest {t['longest_input']:,} characters); "
            f"crashes or replies over Discord's limits: {verdict}",
            f"  broken knowledge files rejected:         {t['broken_files_rejected']} of "
            f"{t['broken_files']}",
            f"  queries during reloads:                  {t['queries_under_reload']:,} during "
            f"{t['reloads_under_load']} reloads ({t['answers_from_v1']} answered from the old "
            f"version, {t['answers_from_v2']} from the new, from a mix: {verdict})",
            f"  errors:                                  {t['errors_under_reload']}",
            f"  kills (SIGKILL) during a reload:         {t['kills_during_reload']} "
            f"({t['kills_mid_replace']} mid-replace; left the old version "
            f"{t['kills_left_old_version']}, the new {t['kills_left_new_version']})",
            f"  damaged or deleted databases rebuilt:    {t['damaged_databases_rebuilt']}",
            f"  largest knowledge loaded:                {t['big_facts']:,} facts",
            f"  data lost:                               {t['data_lost']}",
            f"  tests: {tests} in {seconds:.1f} s",
        ]
    )


def main() -> int:
    """Run, print, and exit with pytest's status."""
    code, outcomes, tally, seconds = run()
    print()
    print(report(outcomes, tally, seconds))
    return code


if __name__ == "__main__":
    sys.exit(main())
