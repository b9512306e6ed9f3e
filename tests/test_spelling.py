"""Chat spelling of the words that are not names (bot/ask/spelling.py)."""

from __future__ import annotations

from bot.ask.spelling import correct, dictionary, respell


def _keep_nothing(word: str) -> bool:
    return False


def test_the_dictionary_loads_offline_from_the_wheel() -> None:
    assert len(dictionary()) > 50_000


def test_chat_words_are_spelled_out_and_filler_dropped() -> None:
    words = ["who", "r", "u", "talkin", "abt", "lol"]
    assert respell(words, frozenset(), _keep_nothing) == [
        "who",
        "are",
        "you",
        "talking",
        "about",
    ]


def test_typos_are_corrected_but_names_and_kept_words_never() -> None:
    assert correct("waht") == "what" and correct("leaft") == "left"
    assert correct("acmee", frozenset({"acme"})) == "acmee"  # a name's typo: the matcher's job
    words = ["zorbex", "waht", "didn"]
    assert respell(words, frozenset({"zorbex"}), lambda w: w == "didn") == [
        "zorbex",
        "what",
        "didn",
    ]
