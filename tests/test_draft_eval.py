"""The drafting benchmark's targets hold: on the articles the drafter was not tuned on, people
and companies recall >= 90% and precision >= 80%, moves recall >= 70%, figures recall >= 80%;
on every article exact quotes, valid TOML that checks, and the TODO count in the header."""

from __future__ import annotations

from functools import cache

from benchmarks.draft_eval import Result, Score, evaluate_all, speed


@cache
def _results() -> tuple[Result, ...]:
    return tuple(evaluate_all())


def _total(key: str) -> Score:
    held_out = [r for r in _results() if not r.case.tuned]
    assert len(held_out) >= 2
    return sum((getattr(r, key) for r in held_out), Score(0, 0, 0))


def test_held_out_targets() -> None:
    entities = _total("entities")
    assert entities.recall >= 0.9 and entities.precision >= 0.8, entities
    assert _total("moves").recall >= 0.7, _total("moves")
    assert _total("figures").recall >= 0.8, _total("figures")


def test_every_draft_is_valid_exact_and_checks() -> None:
    for r in _results():
        assert r.valid_toml and r.bad_quotes == [] and r.check_errors == [], r.case.name
        assert r.todos_stated == r.todos, r.case.name


def test_a_2000_word_article_takes_under_a_second() -> None:
    words, seconds = speed()
    assert words >= 2000 and seconds < 1.0, seconds
