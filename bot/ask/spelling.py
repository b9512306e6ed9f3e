"""Chat spelling of the words that are not names: abbreviations, dropped apostrophes, typos.

People type "who r u talkin abt" in chat. Before a question is read, each word that is no word of
a known name or alias is spelled out: a small table of chat abbreviations, filler dropped, and a
word that is in no English dictionary corrected by one edit to the commonest word that is. The
dictionary is the English word-frequency list that ships inside symspellpy's wheel, read once.
"""

from __future__ import annotations

import importlib.resources
import string
from collections.abc import Callable, Sequence
from functools import cache, lru_cache

# Chat abbreviations and spellings of ordinary words; general English, nothing from knowledge/.
CHAT: dict[str, str] = {
    "u": "you",
    "ur": "your",
    "r": "are",
    "y": "why",
    "n": "and",
    "w": "with",
    "abt": "about",
    "bout": "about",
    "tho": "though",
    "pls": "please",
    "plz": "please",
    "ppl": "people",
    "bc": "because",
    "cuz": "because",
    "coz": "because",
    "rn": "now",
    "ovr": "over",
    "wat": "what",
    "wht": "what",
    "wut": "what",
    "whos": "who",
    "whats": "what",
    "wheres": "where",
    "whered": "where",
    "hows": "how",
    "any1": "anyone",
    "some1": "someone",
    "every1": "everyone",
    "no1": "no one",
    "b4": "before",
    "thx": "thanks",
    "ty": "thanks",
    "mkt": "market",
    "yr": "year",
    "yrs": "years",
    "info": "information",
    "govt": "government",
    "approx": "about",
    "bday": "birthday",
    "mgmt": "management",
    "exec": "executive",
    "execs": "executives",
    "dept": "department",
}
MIN_TYPO_CHARS = 4  # shorter words are too often abbreviations or names to correct
MIN_COUNT = 100_000  # a correction must be a common word, not a rare one a letter away

_LETTERS = string.ascii_lowercase
# Words that carry no meaning in a question: dropped.
_FILLER_TEXT = """
    lol lmao lmfao rofl haha hahaha hehe anyway anyways btw tbh imo imho ngl fr nah yo
    pls plz omg wtf idk iirc afaik smh ikr hmm hm um uh uhh ah oh wow ok okay kinda sorta
    bro dude fam
"""
FILLER = frozenset(_FILLER_TEXT.split())


@cache
def dictionary() -> dict[str, int]:
    """English words and their frequencies, from symspellpy's wheel; {} if it is not installed."""
    try:
        path = importlib.resources.files("symspellpy") / "frequency_dictionary_en_82_765.txt"
        text = path.read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    words: dict[str, int] = {}
    for line in text.splitlines():
        word, _, count = line.partition(" ")
        if count.isdigit():
            words[word] = int(count)
    return words


def _edits(word: str) -> set[str]:
    """Every word one deletion, transposition, replacement or insertion away."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    out = {a + b[1:] for a, b in splits if b}
    out |= {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    out |= {a + c + b[1:] for a, b in splits if b for c in _LETTERS}
    out |= {a + c + b for a, b in splits for c in _LETTERS}
    return out


@lru_cache(maxsize=1 << 14)  # a pure function of the word and a version's names: bounded
def correct(word: str, names: frozenset[str] = frozenset()) -> str:
    """The word, or the commonest English word one edit away if it is in no dictionary.

    A word one edit from a word of a name (``names``) is a typo of the name: left for the
    name matcher.
    """
    words = dictionary()
    if not words or len(word) < MIN_TYPO_CHARS or not word.isalpha() or word in words:
        return word
    edits = _edits(word)
    if any(e in names for e in edits):
        return word
    best = max(edits, key=lambda w: words.get(w, 0))
    return best if words.get(best, 0) >= MIN_COUNT else word


def respell(words: Sequence[str], names: frozenset[str], keep: Callable[[str], bool]) -> list[str]:
    """The question's words with chat spellings expanded, filler dropped and typos corrected.

    ``names`` are the words of every known name and alias, and ``keep`` says whether a word
    means something as typed (the start of a name, "didn" of "didn't"): those are never changed.
    """
    out: list[str] = []
    for word in words:
        if word in names or keep(word):
            out.append(word)
        elif word in FILLER:
            continue
        elif word in CHAT:
            out.extend(CHAT[word].split())
        else:
            out.append(correct(word, names))
    return out
