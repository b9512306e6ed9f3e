"""The people and companies a text names, known or new, located in their sentences.

Find the people and companies a text names: known ones linked to their ids through the
resolver, new ones proposed with new ids, each mention located in its sentence.

Names are runs of capitalised words. Known names are looked up first, on pieces as small as the
halves of a word run together ("MetaOpenAI" holds Meta and OpenAI); what is left is a new name
unless it starts a sentence and never appears mid-sentence, names a place ("in Oslo"), a product
("the Transcribe Medical service"), or an outlet ("Reuters reported").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from bot.draft.known import Known
from bot.draft.sentences import Sentence
from bot.draft.words import (
    COMPANY_NOUNS,
    COMPANY_WORDS,
    GENERIC,
    MEMBER_NOUNS,
    ORG_HEADS,
    OUTLET_AFTER,
    OUTLET_WORDS,
    TITLE_CONTINUATION,
    TITLE_TOKENS,
    TITLE_WORDS,
)
from bot.knowledge.schema import EntityKind
from bot.text import STOP_WORDS, normalize

_TOKEN = re.compile(r"[^\W_][\w&\-]*")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_POSSESSIVE = ("’s", "'s", "’", "'")
_OPENERS = "“‘\"'("
_PERSON_BEFORE = re.compile(
    r"(?:\b(?:ceo|cto|cfo|coo|cpo|chief executive|chair|chairman|chairwoman|co-?founder|founder"
    r"|president|officer|director|head of [\w ]+|executive|scientist),?\s*$)"
    # The object of a hire or a succession is a person: "poached X", "succeeded by X".
    r"|\b(?:poached|hired|hired away|appointed|tapped|recruited|lured|lured away|"
    r"succeeded by|replaced by|succeeds|replaces)\s*$"
    r"|\b(?:succeeded|replaced)\s+(?:\w+\s+){1,4}by\s*$",
    re.IGNORECASE,
)
_PERSON_AFTER = re.compile(
    r"^(?:,\s*(?:who|whose|previously|formerly|\d{2},|(?:a|an|the|its|their)\s+"
    r"(?:(?:company|firm|startup|group|lab)(?:’s|'s)\s+)?(?:(?:former|new|longtime|current|then)\s+)?"
    r"(?P<title>[\w-]+))\b"
    # ", Brisk’s vice president of engineering": a company’s title after the comma.
    r"|,\s*(?:[A-Z][\w&.-]*\s+){0,3}[A-Z][\w&.-]*(?:’s|'s|’)\s+(?:(?:former|new|longtime)\s+)?"
    r"(?P<owned>[\w-]+)\b"
    r"|\s+(?:told|said\s+(?:he|she)))"
)
_COMPANY_BEFORE = re.compile(
    r"\b(?:at|join|joined|joins|joining|such as|like|by|for|from|rival)\s*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Mention:
    """Where a sentence names an entity (offsets within the sentence)."""

    start: int
    end: int
    entity: str
    possessive: bool


@dataclass
class Entity:
    """A person or company of the draft; ``known`` ones keep their stored id and name."""

    id: str
    kind: EntityKind
    name: str
    known: bool
    aliases: list[str] = field(default_factory=list)
    unsure: str = ""  # why the kind is a guess, for a TODO


@dataclass
class Names:
    """The entities of a text by id, each sentence's mentions of them, and the outlets it cites."""

    entities: dict[str, Entity]
    mentions: list[list[Mention]]  # per sentence, in order
    outlets: list[str]


@dataclass(frozen=True, slots=True)
class _Piece:
    sentence: int
    start: int
    end: int
    text: str
    possessive: bool
    after_known: bool  # glued to a known name in one run: a product ("Amazon Bedrock")


def find(sentences: list[Sentence], known: Known, publisher: str = "") -> Names:
    """Every person and company named in the sentences, and where each is named.

    The ``publisher``'s name is an outlet wherever it appears ("Byteline has learned").
    """
    midsentence = _midsentence_words(sentences)
    entities: dict[str, Entity] = {}
    mentions: list[list[Mention]] = [[] for _ in sentences]
    outlets: list[str] = []
    pieces: list[_Piece] = []
    for number, sentence in enumerate(sentences):
        if sentence.heading:
            continue
        for run in _runs(sentence.text):
            for piece in _link_known(number, sentence.text, run, known, entities, mentions):
                pieces.append(piece)
    publishers = frozenset({publisher} if publisher else ())
    new = _propose(pieces, sentences, midsentence, known, entities, mentions, outlets, publishers)
    for entity in new:
        entities.setdefault(entity.id, entity)
    for row in mentions:
        row.sort(key=lambda m: m.start)
    order: dict[str, int] = {}
    for row in mentions:
        for m in row:
            order.setdefault(m.entity, len(order))
    ordered = dict(sorted(entities.items(), key=lambda kv: order.get(kv[0], len(order))))
    return Names(ordered, mentions, outlets)


def _midsentence_words(sentences: list[Sentence]) -> set[str]:
    """Capitalised words seen other than first in a sentence: evidence that they are names."""
    seen: set[str] = set()
    for sentence in sentences:
        if sentence.heading:
            continue
        for match in _TOKEN.finditer(sentence.text):
            if match.start() == 0 or sentence.text[match.start() - 1] in _OPENERS:
                continue
            if match.group()[0].isupper():
                seen.add(match.group())
        # "Veridian Bank has named ...": the first word of a longer name is a name too, so
        # "Veridian, which manages ..." later is not an ordinary word starting a sentence.
        for run in _runs(sentence.text):
            words = [sentence.text[a:b] for a, b in run]
            if len(words) > 1 and words[1] not in GENERIC:
                seen.add(words[0])
    return seen


def _runs(text: str) -> list[list[tuple[int, int]]]:
    """Runs of capitalised words (token offsets) joined by single spaces."""
    runs: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    tokens = list(_TOKEN.finditer(text))
    for i, match in enumerate(tokens):
        word = match.group()
        if word[0].isupper():
            gap = text[current[-1][1] : match.start()] if current else ""
            if current and (gap not in {" ", " & "} or _possessive_at(text, current[-1][1])):
                runs.append(current)
                current = []
            current.append((match.start(), match.end()))
            continue
        # "University of Tarrow": 'of' joins a run only after an organisation's head word.
        nxt = tokens[i + 1] if i + 1 < len(tokens) else None
        if (
            word == "of"
            and current
            and text[current[0][0] : current[0][1]] in ORG_HEADS
            and nxt is not None
            and nxt.group()[0].isupper()
        ):
            current.append((match.start(), match.end()))
            continue
        if current:
            runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _possessive_at(text: str, end: int) -> bool:
    """Whether a name ending here is possessive: "Amazon’s", "Partners’"."""
    if text.startswith(("’s", "'s"), end):
        return True
    return text.startswith(("’", "'"), end) and text[end - 1] == "s"


def _atoms(text: str, run: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(start, end, starts_a_word) of the word halves of a run: "OpenAIGoogle" is 3 atoms."""
    atoms = []
    for start, end in run:
        cuts = [start] + [start + m.start() for m in _CAMEL.finditer(text[start:end]) if m.start()]
        cuts.append(end)
        for k in range(len(cuts) - 1):
            atoms.append((cuts[k], cuts[k + 1], k == 0))
    return atoms


def _link_known(
    number: int,
    text: str,
    run: list[tuple[int, int]],
    known: Known,
    entities: dict[str, Entity],
    mentions: list[list[Mention]],
) -> list[_Piece]:
    """Record the known names in a run; return the pieces left between them."""
    atoms = _atoms(text, run)
    ends = {end for _, end in run}
    left: list[_Piece] = []
    i, pending, after_known = 0, -1, False
    while i < len(atoms):
        match = None
        for j in range(min(len(atoms), i + 6), i, -1):
            start, end = atoms[i][0], atoms[j - 1][1]
            if not (atoms[i][2] or i == pending or _follows_match(atoms, i)):
                continue
            if end not in ends and not (j < len(atoms) and not atoms[j][2]):
                continue
            match = _lookup(text[start:end], known, whole_word=atoms[i][2] and end in ends)
            if match:
                break
        if match is None:
            if pending < 0:
                pending = i
            i += 1
            continue
        entity = known.entities[match]
        rest = [text[a:b] for a, b, _ in atoms[j:]]
        if entity.kind == "company" and rest and all(w in _ARMS for w in rest) and pending < 0:
            # "Microsoft Research", "Google Ventures": an arm of a known company is its own.
            pending, i = i, len(atoms)
            continue
        if pending >= 0:
            left.append(_piece(number, text, atoms, pending, i, after_known))
            pending = -1
        entities.setdefault(match, Entity(entity.id, entity.kind, entity.name, known=True))
        end = atoms[j - 1][1]
        mentions[number].append(Mention(atoms[i][0], end, match, _possessive_at(text, end)))
        after_known = entity.kind == "company"
        i = j
    if pending >= 0:
        left.append(_piece(number, text, atoms, pending, len(atoms), after_known))
    return left


# Words after a known company's name that make an organisation of its own.
_ARMS = frozenset({"Research", "Labs", "Ventures", "Capital", "Foundation", "Institute"})


def _follows_match(atoms: list[tuple[int, int, bool]], i: int) -> bool:
    return i > 0 and not atoms[i][2]


def _piece(
    number: int, text: str, atoms: list[tuple[int, int, bool]], i: int, j: int, after: bool
) -> _Piece:
    start, end = atoms[i][0], atoms[j - 1][1]
    return _Piece(number, start, end, text[start:end], _possessive_at(text, end), after and i > 0)


def _lookup(candidate: str, known: Known, *, whole_word: bool) -> str | None:
    normal = normalize(candidate)
    if len(normal) < 2 or candidate in GENERIC:
        return None
    hits = known.index.exact(normal)
    if not hits and whole_word and " " not in normal:
        hits = known.index.surname(normal)
    return hits[0].id if hits else None


# ---------------------------------------------------------------------- new names


def _propose(
    pieces: list[_Piece],
    sentences: list[Sentence],
    midsentence: set[str],
    known: Known,
    entities: dict[str, Entity],
    mentions: list[list[Mention]],
    outlets: list[str],
    publishers: frozenset[str] = frozenset(),
) -> list[Entity]:
    """New entities from the pieces no known name covered, with their mentions recorded."""
    candidates: list[tuple[_Piece, str]] = []  # (piece, its name)
    for piece in pieces:
        for part in _split_titles(piece):
            cleaned = _clean(part, sentences[part.sentence].text, midsentence)
            if cleaned is not None:
                candidates.append(cleaned)
    votes: dict[str, list[str]] = defaultdict(list)  # name -> evidence of each mention
    for piece, _ in candidates:
        sentence = sentences[piece.sentence].text
        role = _role_of(piece, sentence)
        votes[piece.text].append(role)
        if role == "outlet":
            # "according to The Information": the article is part of the outlet's name.
            the = sentence[: piece.start].endswith("The ")
            outlet = f"The {piece.text}" if the else piece.text
            if outlet not in outlets:
                outlets.append(outlet)
    full: dict[str, Entity] = {}
    taken = set(known.taken) | set(entities)
    # Longer names first, so that "Meridian" can be recognised as short for "Meridian Labs".
    outlet_names = {
        name
        for name, evidence in votes.items()
        if name.split()[-1] in OUTLET_WORDS
        or name in publishers
        or (
            "outlet" in evidence
            and not {"company", "person"} & set(evidence)
            and name.split()[-1] not in COMPANY_WORDS  # "according to Halbrook Advisory"
        )
    }
    for name in outlet_names:
        if name not in outlets and not known.index.exact(normalize(name)):
            outlets.append(name)
    for name in sorted(votes, key=lambda n: (-len(n.split()), n)):
        # An "outlet" clue on a name that is not an outlet's is no clue at all.
        roles = ["" if r == "outlet" else r for r in votes[name] if r != "skip"]
        if not roles or name in outlet_names:
            continue
        short = _short_for(name, full)
        if short is not None:
            surname = short.kind == "company" or short.name.split()[-1] == name
            if surname and name not in short.aliases and not known.index.exact(normalize(name)):
                short.aliases.append(name)
            continue
        kind, unsure = _kind(name, roles, votes)
        entity = Entity(_new_id(name, taken), kind, name, known=False, unsure=unsure)
        taken.add(entity.id)
        full[name] = entity
    for piece, _ in candidates:
        linked = full.get(piece.text) or _short_for(piece.text, full)
        if piece.text in outlet_names:
            continue
        if linked is not None and _role_of(piece, sentences[piece.sentence].text) != "skip":
            mentions[piece.sentence].append(
                Mention(piece.start, piece.end, linked.id, piece.possessive)
            )
    return list(full.values())


def _split_titles(piece: _Piece) -> list[_Piece]:
    """'Meridian Labs CEO Aisha Okonkwo' -> 'Meridian Labs', 'Aisha Okonkwo'."""
    out: list[_Piece] = []
    words = [(m.start(), m.end()) for m in _TOKEN.finditer(piece.text)]
    start_word, in_title = 0, False
    for k, (ws, we) in enumerate(words):
        word = piece.text[ws:we]
        is_title = word in TITLE_TOKENS or (in_title and word in TITLE_CONTINUATION)
        if is_title and not in_title and k > start_word:
            out.append(_sub(piece, words[start_word][0], words[k - 1][1]))
        if is_title:
            in_title, start_word = True, k + 1
        elif in_title:
            in_title = False
    if start_word < len(words):
        out.append(_sub(piece, words[start_word][0], words[-1][1]))
    return out


def _sub(piece: _Piece, start: int, end: int) -> _Piece:
    text = piece.text[start:end]
    last = start == 0 and end == len(piece.text)
    return _Piece(
        piece.sentence,
        piece.start + start,
        piece.start + end,
        text,
        piece.possessive and end == len(piece.text),
        piece.after_known and (start == 0 or last),
    )


def _clean(piece: _Piece, sentence: str, midsentence: set[str]) -> tuple[_Piece, str] | None:
    """Drop a sentence's first word that is not a name, and generic words at the edges."""
    words = [(m.start(), m.end()) for m in _TOKEN.finditer(piece.text)]
    texts = [piece.text[a:b] for a, b in words]
    while words:
        first = texts[0]
        at_start = piece.start + words[0][0] == 0 or sentence[piece.start - 1] in _OPENERS
        # A capitalised first word that is never capitalised mid-sentence is an ordinary word
        # ("Investors have", "Voice AI startup"), unless a name follows it ("Vasi Philomin").
        ordinary = at_start and first not in midsentence and all(t in GENERIC for t in texts[1:])
        if ordinary and len(texts) > 1 and texts[-1] in COMPANY_WORDS:
            # "Glimmer AI hired ..." names a company; "Voice AI startup X" describes one.
            after = re.match(r"\s+([\w-]+)", sentence[piece.start + words[-1][1] :])
            verb = after is not None and (
                after.group(1).endswith("ed")
                or after.group(1) in {"has", "have", "had", "is", "was", "said", "says", "will"}
            )
            ordinary = not verb
        # "Leaving Cobalt after a decade, ...": a participle opening the sentence.
        participle = (
            at_start
            and len(texts) > 1
            and first.endswith("ing")
            and re.match(r",", sentence[piece.end :] + ",") is None
            and re.search(r",", sentence[piece.end : piece.end + 80]) is not None
        )
        if _generic(first) or ordinary or participle or first == "of":
            words, texts = words[1:], texts[1:]
            continue
        break
    while words and _generic(texts[-1]) and texts[-1] not in COMPANY_WORDS:
        words, texts = words[:-1], texts[:-1]
    if not words:
        return None
    sub = _sub(piece, words[0][0], words[-1][1])
    if len(sub.text) < 2 or (len(words) == 1 and len(sub.text) == 1):
        return None
    return sub, sub.text


def _generic(word: str) -> bool:
    """Never a name: "The", "CEO", "June", or a hyphenated adjective such as "AI-related"."""
    return word in GENERIC or ("-" in word and word.rsplit("-", 1)[1].islower())


def _role_of(piece: _Piece, sentence: str) -> str:
    """The kind of name this mention looks like, from the words around it.

    What this mention looks like: 'outlet', 'skip' (place, product, acronym), 'person',
    'company' or '' (no clue).
    """
    before = sentence[: piece.start].rstrip()
    after = sentence[piece.end :]
    after_word = re.match(r"\s*(?:’s|'s)?\s*([\w-]+)", after)
    next_word = after_word.group(1) if after_word else ""
    if next_word in OUTLET_AFTER or re.search(r"\b(?:according to|told)(?:\s+the)?$", before, re.I):
        return "outlet"
    if re.match(r"\s+(?:has|have)\s+learned\b", after) or re.search(
        r"\b(?:seen|viewed|obtained|reviewed)\s+by(?:\s+the)?$", before
    ):
        return "outlet"  # "Byteline has learned", "an email seen by Harborline News"
    if piece.after_known:
        return "skip"  # "Amazon Bedrock": a product of a known company
    if (
        not before
        and piece.text.isupper()
        and re.match(r",\s*[A-Z][a-z]{2,}\.?\s+\d|\s*[-–—]", after)
    ):
        return "skip"  # a dateline: "SAN FRANCISCO, March 3 - ..."
    if before.endswith("(") and piece.text.isupper():
        return "skip"  # "(GSV)": an acronym spelled out
    if not piece.possessive and (
        re.search(r"\b(?:in|across|near|outside|throughout|within)(?:\s+the)?$", before)
        or re.search(r"\b(?:in|across|near|outside)\s+[A-Z][\w ]*\band$", before)
    ):
        return "skip"  # "founded in Kraków", "offices in Oslo and Toronto"
    lower_next = bool(next_word) and next_word[0].islower() and next_word not in STOP_WORDS
    if next_word in COMPANY_NOUNS and re.match(r"\s+[\w-]+\s+[A-Z]", after):
        return "skip"  # "Legal AI company Quillmark", "Voice AI startup Corvane": a description
    # "the few European lenders", "many Chinese labs": an adjective, not a name.
    determiner = re.search(
        r"\b(?:the|its|his|her|their|our|a|an|few|many|several|some|most|other|all)$", before, re.I
    )
    if determiner and lower_next and not piece.possessive and next_word not in MEMBER_NOUNS:
        return "skip"  # "the Bedrock agents team", "a San Francisco startup"
    owned = re.search(r"(?:’s|'s)(?:\s+[a-z]+)?$", before)
    verbish = next_word.endswith("ed") or next_word in {"said", "says", "has", "is", "was", "told"}
    if owned and lower_next and not verbish and next_word not in MEMBER_NOUNS:
        return "skip"  # "Solano’s Vela family of models", "Marrow’s new Canary Wharf offices"
    person_after = _PERSON_AFTER.match(after)
    if person_after and (person_after.group("title") or person_after.group("owned")):
        # ", a vice president": a title after the comma; ", the companies said" is not one.
        title = (person_after.group("title") or person_after.group("owned")).lower()
        person_after = person_after if title in TITLE_WORDS and title != "the" else None
    if _PERSON_BEFORE.search(before) or person_after:
        return "person"
    last_before = before.split()[-1].lower() if before.split() else ""
    if _COMPANY_BEFORE.search(before) or last_before in COMPANY_NOUNS:
        return "company"
    return ""


def _short_for(name: str, full: dict[str, Entity]) -> Entity | None:
    """The longer new name this one is short for: a person's surname, a company's first word."""
    if " " in name:
        return None
    for entity in full.values():
        words = entity.name.split()
        if len(words) < 2:
            continue
        if entity.kind == "person" and name in (words[0], words[-1]):
            return entity
        if entity.kind == "company" and words[0] == name:
            return entity
    return None


def _kind(name: str, roles: list[str], votes: dict[str, list[str]]) -> tuple[EntityKind, str]:
    words = name.split()
    if words[-1] in COMPANY_WORDS or words[0] in ORG_HEADS:
        return "company", ""
    people, companies = roles.count("person"), roles.count("company")
    if len(words) > 1:
        # Used alone later: a person by the surname, a company by its first word.
        surname = any(votes.get(words[-1], ()))
        first = any(votes.get(words[0], ()))
        people += surname
        companies += first and not surname
    if len(words) == 1 and people and not companies and people < 2:
        # A person is seldom introduced by one name: one clue is not enough.
        return "company", "a single word: is it a company or a person?"
    if people > companies:
        return "person", ""
    if companies > people:
        return "company", ""
    if len(words) == 1:
        return "company", "a single word with no clue: is it a company?"
    return "person", "no clue said whether this is a person or a company"


def _new_id(name: str, taken: set[str]) -> str:
    base = slug(name) or "entity"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def slug(text: str, limit: int = 60) -> str:
    """A lowercase id from any text: "Joaquín Ferreira" -> "joaquin-ferreira"."""
    words = normalize(text).encode("ascii", "ignore").decode().split()
    out = "-".join(w for w in words if w)
    return out[:limit].strip("-")
