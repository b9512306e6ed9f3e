"""What every fact extractor reads, and the item type it produces.

What every fact extractor reads: the sentences, their names and dates, and the item type
they produce (a section entry as key/value pairs, each value with its TODO reason if unsure).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from bot.draft import dates, roles
from bot.draft.names import Entity, Mention, Names, slug
from bot.draft.sentences import Sentence

Value = str | int | float | bool | list[str] | list[int | float] | dict[str, str | int]

# Verbs that attribute what follows (or precedes) to a source.
REPORTING = re.compile(
    r"\b(?:reported|reports|said|says|told|tells|announced|confirmed|added|noted|estimated|"
    r"published|wrote|according to)\b"
)
_PRONOUN_COMPANY = re.compile(
    r"\b(?:it|its|the (?:company|startup|firm|group|lab)(?:’s|'s)?)\s*(?:[a-z][\w-]*\s+){0,4}"
    r"?(?:,\s*[^,]*,\s*)?$",
    re.IGNORECASE,
)


@dataclass
class Item:
    """One entry of a section: ordered (key, value, todo) triples; todo "" means sure."""

    section: str
    fields: list[tuple[str, Value, str]] = field(default_factory=list)
    sentence: int = -1  # the sentence it quotes

    def set(self, key: str, value: Value | None, todo: str = "") -> None:
        """Add a key (skipped when the value is None)."""
        if value is not None:
            self.fields.append((key, value, todo))

    def get(self, key: str) -> Value | None:
        """The value of the first field with this key, or None."""
        return next((v for k, v, _ in self.fields if k == key), None)

    def replace(self, key: str, value: Value, todo: str = "") -> None:
        """Set a key, in place if it is there already."""
        for n, (k, _, _) in enumerate(self.fields):
            if k == key:
                self.fields[n] = (key, value, todo)
                return
        self.fields.append((key, value, todo))


@dataclass
class Context:
    """The sentences and names of one article being drafted, read by every fact extractor."""

    sentences: list[Sentence]
    names: Names
    published: dt.date
    publisher: str
    taken: set[str]
    used: set[int] = field(default_factory=set)  # sentences that gave a move, figure or statement
    _titles: dict[str, list[tuple[int, str, bool]]] | None = None
    # Person id -> the company the article's moves take them to (filled in by the moves).
    joined: dict[str, str] = field(default_factory=dict)

    def titles(self) -> dict[str, list[tuple[int, str, bool]]]:
        """Person id -> (sentence, company, guessed) of every title the article gives them."""
        if self._titles is None:
            found: dict[str, list[tuple[int, str, bool]]] = {}
            for i, sentence in enumerate(self.sentences):
                if sentence.heading:
                    continue
                given = roles.find(
                    sentence.text, self.mentions(i), self.names.entities, self.salient(i)
                )
                for person, role in given.items():
                    if role.company is not None:
                        found.setdefault(person, []).append((i, role.company, bool(role.todo)))
            self._titles = found
        return self._titles

    def main_company(self) -> str | None:
        """The company the article names most often."""
        counts: dict[str, int] = {}
        for row in self.names.mentions:
            for m in row:
                if self.names.entities[m.entity].kind == "company":
                    counts[m.entity] = counts.get(m.entity, 0) + 1
        return max(counts, key=lambda k: counts[k]) if counts else None

    def last_person(self, i: int, position: int) -> str | None:
        """Who 'he' or 'she' at ``position`` of sentence i means.

        The person named last before it in the sentence; else the subject of the sentence
        before (its first person named, as a reader takes "He" to continue the subject).
        """
        here = [m for m in self.mentions(i, "person") if m.end <= position]
        if here:
            return here[-1].entity
        for j in range(i - 1, max(-1, i - 4), -1):
            # Names inside a quotation are not who the sentence is about.
            quoted = [q.span() for q in re.finditer(r"“[^”]*”", self.sentences[j].text)]
            row = [
                m
                for m in self.mentions(j, "person")
                if not m.possessive and not any(a <= m.start < b for a, b in quoted)
            ]
            if row:
                return row[0].entity
        return None

    def company_of(self, person: str, i: int) -> str | None:
        """The company a person works for: where a move takes them, else their latest title's."""
        if person in self.joined:
            return self.joined[person]
        sure = [c for j, c, guess in self.titles().get(person, []) if j <= i and not guess]
        return sure[-1] if sure else None

    def entity(self, mention: Mention) -> Entity:
        """The entity the mention names."""
        return self.names.entities[mention.entity]

    def mentions(self, i: int, kind: str | None = None) -> list[Mention]:
        """The mentions of sentence i in order, only those of entities of ``kind`` if given."""
        row = self.names.mentions[i]
        return [m for m in row if kind is None or self.names.entities[m.entity].kind == kind]

    def salient(self, i: int, position: int | None = None) -> str | None:
        """The company 'it' or 'the company' most likely means at this point of sentence i."""
        if position is not None:
            before = [m for m in self.mentions(i, "company") if m.end <= position]
            if before:
                return before[0].entity
        for j in range(i - 1, -1, -1):
            if self.sentences[j].heading:
                continue
            companies = self.mentions(j, "company")
            if companies:
                return companies[0].entity
        return None

    def company_pronoun_before(self, i: int, position: int) -> str | None:
        """The company meant by 'it' / 'the company' right before ``position``, if any."""
        if _PRONOUN_COMPANY.search(self.sentences[i].text[:position]):
            return self.salient(i, position)
        return None

    def new_id(self, *parts: str) -> str:
        """A fact id from its parts that no file uses yet."""
        base = "-".join(p for p in (slug(part, 40) for part in parts) if p)[:70].strip("-")
        base = base or "fact"
        candidate, n = base, 2
        while candidate in self.taken:
            candidate, n = f"{base}-{n}", n + 1
        self.taken.add(candidate)
        return candidate

    def sourced(self, item: Item, i: int) -> Item:
        """Add what every fact carries: quote, reported_on, reported_by."""
        sentence = self.sentences[i].text
        item.sentence = i
        item.set("quote", sentence)
        value, todo = self.reported_on(i)
        item.set("reported_on", value, todo)
        item.set("reported_by", self.outlet(i))
        return item

    def outlet(self, i: int) -> str | None:
        """The outlet the sentence attributes itself to, if it names one."""
        sentence = self.sentences[i].text
        hits = [(sentence.find(o), o) for o in self.names.outlets if _names(sentence, o)]
        return min(hits)[1] if hits else None

    def reported_on(self, i: int) -> tuple[str, str]:
        """The date a reporting verb carries ('reported Thursday (June 26)'), else publication."""
        sentence = self.sentences[i].text
        phrases = dates.find(sentence, self.published)
        attached = attached_date(sentence, phrases)
        if attached is not None:
            return attached.value, ""
        other = [p for p in phrases if len(p.value) > 4]
        if other:
            return self.published.isoformat(), f"the sentence also says {other[0].text!r}"
        return self.published.isoformat(), ""


def attached_date(sentence: str, phrases: list[dates.DatePhrase]) -> dates.DatePhrase | None:
    """The date phrase that says when something was reported or said, if one does."""
    for phrase in phrases:
        before = sentence[: phrase.start]
        after = sentence[phrase.end :]
        if re.search(REPORTING.pattern + r"\s*(?:on|in|last)?\s*$", before):
            return phrase
        if phrase.start <= 8 and re.match(r"^,?\s*(?:\S+\s+){0,3}?" + REPORTING.pattern, after):
            return phrase
        if phrase.start <= 8 and re.match(r"^,\s*it was reported", after):
            return phrase
    return None


def _names(sentence: str, outlet: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(outlet)}(?!\w)", sentence) is not None
