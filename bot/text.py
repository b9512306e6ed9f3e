"""One normaliser for stored names and typed text, so both sides of every comparison agree."""

from __future__ import annotations

import re
import unicodedata

_POSSESSIVE = re.compile(r"(\w)['’`´]s\b")
_NON_WORD = re.compile(r"[^\w]+|_")
_SPACES = re.compile(r"\s+")

# Function words, fillers and generic nouns: never a name to fuzzy-match, never a topic that a
# fact must contain. normalize() leaves "I'm" and "you've" as "i m" and "you ve".
_STOP_TEXT = """
    a about above after again against all also am an and any anybody anyone anything are around
    as at be been before being both but by can could did do does doing done down during each
    either else ever exactly for from further get gets getting got had has have having he hello
    her here hers herself hey hi him himself his how however i if in into is it its itself just
    know let like me more much my myself new no nor not now of off ok okay on once one only
    or other our ours out over own please pls really recently right said same say she should so
    some somebody someone something still such tell than thank thanks that the their theirs them
    themselves then there these they this those through to too u under until up us very was we
    were what whats when where wheres whether which while who whos whom whose why hows will with
    would yeah yes yet you your yours bot company companies firm firms person people guy guys thing
    things
    currently actually basically exactly ya work worked working works
    big bigger large larger huge small smaller tiny
    m re ve ll d im ive youre theyre kindly anywhere somewhere everyone everybody
    mention mentions mentioned
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())


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


def is_filler(normal: str) -> bool:
    """Whether typed text is noise: stop words, single characters, one word repeated.

    Whether typed text is only stop words and single characters ("a a", "the the", "i i i"),
    or one word said again ("aa aa"): text that names something only if spelled exactly so.
    """
    words = normal.split()
    if len(words) > 1 and len(set(words)) == 1:
        return True
    return all(len(word) == 1 or word in STOP_WORDS for word in words)


def sorted_words(normal: str) -> str:
    """The words in sorted order, so "philomin vasi" and "vasi philomin" share a key."""
    return " ".join(sorted(normal.split()))


# Words that only say what legal form a company has: "Nvidia Corp" is Nvidia.
LEGAL_SUFFIXES = frozenset(
    {"inc", "incorporated", "corp", "corporation", "co", "com", "ltd", "limited", "llc", "plc"}
    | {"gmbh", "ag", "sa", "nv", "bv"}
)


def without_legal_suffix(normal: str) -> str:
    """A name without its legal form ("nvidia corp" -> "nvidia"); a bare suffix stays."""
    words = normal.split()
    while len(words) > 1 and words[-1] in LEGAL_SUFFIXES:
        words.pop()
    return " ".join(words)


class Normals:
    """normalize() for one round of texts, reusing the forms of the round before.

    normalize() of the texts of one round (a load, an index build), reusing the forms of the
    round before: a reload after a one-file edit re-normalises only what changed. The caller owns
    it and hands it from one round to the next, so no module holds forms of an old version.
    """

    def __init__(self, previous: dict[str, str] | None = None) -> None:
        self.previous: dict[str, str] = previous or {}
        self.current: dict[str, str] = {}

    def __call__(self, text: str) -> str:
        """normalize(text), reusing this round's or the last round's form of it."""
        normal = self.current.get(text)
        if normal is None:
            normal = self.previous.get(text)
            if normal is None:
                normal = normalize(text)
            self.current[text] = normal
        return normal

    def rotate(self) -> None:
        """End the round: keep only the texts it normalised, for the next."""
        self.previous, self.current = self.current, {}
