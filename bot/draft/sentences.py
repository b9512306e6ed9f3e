"""Split an article's text into paragraphs and sentences, keeping each sentence's exact text.

A fact's ``quote`` must be a sentence of the article word for word, so sentences are slices of
the original text, never rebuilt from tokens.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# A sentence ends at . ! or ?, with any closing quotes or brackets, before a space and something
# that can start a sentence (a capital, a digit or an opening quote).
_END = re.compile(r"[.!?][”’\"')\]]*(?=\s+[“‘\"'(\[]?[A-Z0-9À-Þ])")
# Words before a full stop that does not end a sentence.
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "vs",
        "etc",
        "no",
        "gen",
        "gov",
        "sen",
        "rep",
        "lt",
        "col",
        "capt",
        "sgt",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "e.g",
        "i.e",
        "u.s",
        "u.k",
        "u.n",
        "a.i",
    ]
)
_TERMINAL = ".!?”’\"')"


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its exact text, where it starts in the article, and its paragraph."""

    text: str
    start: int
    paragraph: int
    heading: bool  # a line with no closing punctuation (a headline or a dateline)


def split(text: str) -> list[Sentence]:
    """Every sentence of the text in order; headline and dateline lines are marked ``heading``."""
    sentences: list[Sentence] = []
    for number, (start, paragraph) in enumerate(_paragraphs(text)):
        heading = not paragraph.rstrip().endswith(tuple(_TERMINAL))
        for offset, sentence in _sentences(paragraph):
            sentences.append(Sentence(sentence, start + offset, number, heading))
    return sentences


def _paragraphs(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each non-blank line or block; one-line paragraphs are the common case."""
    out = []
    for match in re.finditer(r"[^\n]+", text):
        body = match.group()
        stripped = body.strip()
        if stripped:
            out.append((match.start() + body.index(stripped), stripped))
    return out


def _sentences(paragraph: str) -> list[tuple[int, str]]:
    out, start = [], 0
    for match in _END.finditer(paragraph):
        end = match.end()
        if _is_abbreviation(paragraph, match.start()):
            continue
        piece = paragraph[start:end].strip()
        if piece:
            out.append((start + paragraph[start:end].index(piece), piece))
        start = end
    piece = paragraph[start:].strip()
    if piece:
        out.append((start + paragraph[start:].index(piece), piece))
    return out


def _is_abbreviation(paragraph: str, dot: int) -> bool:
    if paragraph[dot] != ".":
        return False
    word = re.search(r"[\w.]*$", paragraph[:dot])
    token = word.group().lower() if word else ""
    # A single capital is an initial ("J. Smith"); "U.S." and the like are abbreviations.
    return token in _ABBREVIATIONS or (len(token) == 1 and paragraph[dot - 1].isupper())
