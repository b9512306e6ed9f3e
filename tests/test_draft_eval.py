"""The drafting benchmark's targets hold.

On the articles the drafter was tuned on (tests/fixtures/drafting/, not the seed) and on the dev
split: people and companies recall >= 90% and precision >= 80%, moves recall >= 70%, figures
recall >= 80%. On the blind test split, only floors at its measured totals (its articles are
never opened; a failure prints only totals). On every article: exact quotes, valid TOML that
checks, and the TODO count in the header.
"""

from __future__ import annotations

from functools import cache

from benchmarks.draft_eval import Result, Score, evaluate_all, speed


@cache
def _results() -> tuple[Result, ...]:
    return tuple(evaluate_all())


def _total(key: str, *sets: str) -> Score:
    chosen = [r for r in _results() if r.case.set in sets and not r.case.tuned]
    assert len(chosen) >= 2
    return sum((getattr(r, key) for r in chosen), Score(0, 0, 0))


def test_targets_on_the_tuned_on_and_dev_articles() -> None:
    for sets in (("old",), ("dev",)):
        entities = _total("entities", *sets)
        assert entities.recall >= 0.9 and entities.precision >= 0.8, (sets, entities)
        assert _total("moves", *sets).recall >= 0.7, (sets, _total("moves", *sets))
        assert _total("figures", *sets).recall >= 0.8, (sets, _total("figures", *sets))


def test_blind_test_articles_stay_at_their_measured_totals() -> None:
    # Floors just below the totals measured once, at the end of tuning (draft.md): people and
    # companies 93%, moves 42%, figures 64% recall. Below the targets, honestly.
    floors = {"entities": 0.9, "moves": 0.4, "figures": 0.6}
    for key, floor in floors.items():
        total = _total(key, "test")
        assert total.recall >= floor, (key, total)


def test_every_draft_is_valid_exact_and_checks() -> None:
    for r in _results():
        assert r.valid_toml and r.bad_quotes == [] and r.check_errors == [], r.case.label
        assert r.todos_stated == r.todos, r.case.label


def test_a_2000_word_article_takes_under_a_second() -> None:
    words, seconds = speed()
    assert words >= 2000 and seconds < 1.0, seconds
