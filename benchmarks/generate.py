"""Synthetic knowledge at any size, written as real knowledge files that pass `talent-bot check`.

Deterministic for a given (articles, seed). Each article introduces three new people, mentions
companies drawn Zipf-like (a few big employers dominate the news, as in reality), and holds six
facts on average: moves, figures, statements and other facts. At 10,000 articles that is 30,000
people, 5,000 companies and about 60,000 facts.

Importable by tests, e.g. ``generate(tmp_path / "knowledge", articles=1700)`` for ~10,000 facts.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import itertools
import json
import random
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import names as words
from bot.text import normalize

FACTS_PER_ARTICLE = 6  # on average
PEOPLE_PER_ARTICLE = 3
ARTICLES_PER_COMPANY = 2
FIRST_DAY = dt.date(2022, 1, 3)
SPAN_DAYS = 1460
_ASCII = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "ß": "ss", "ł": "l", "đ": "d"})


@dataclass(frozen=True)
class Pool:
    """The word lists a world's names are drawn from, and how many company names carry a legal
    form ("Primestream Corp."); benchmarks/resolution.py tunes on one pool and tests on another."""

    first_names: Sequence[str] = words.FIRST_NAMES
    last_names: Sequence[str] = words.LAST_NAMES
    nicknames: dict[str, str] = field(default_factory=lambda: dict(words.NICKNAMES))
    stems: Sequence[str] = words.COMPANY_STEMS
    prefixes: Sequence[str] = words.COMPANY_PREFIXES
    suffixes: Sequence[str] = words.COMPANY_SUFFIXES
    legal_share: float = 0.0


POOLS = {
    # The latency benchmark's world, unchanged.
    "base": Pool(),
    "dev": Pool(legal_share=0.12),
    "test": Pool(
        words.TEST_FIRST_NAMES,
        words.TEST_LAST_NAMES,
        dict(words.TEST_NICKNAMES),
        words.TEST_COMPANY_STEMS,
        words.TEST_COMPANY_PREFIXES,
        words.TEST_COMPANY_SUFFIXES,
        legal_share=0.15,
    ),
}


@dataclass(frozen=True)
class Entity:
    """A person or company of the synthetic world."""

    id: str
    kind: str  # "person" | "company"
    name: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None
    description: str | None = None


@dataclass
class World:
    """Every person and company the articles may mention, and how often each was mentioned."""

    people: list[Entity]
    companies: list[Entity]
    mentions: Counter[str] = field(default_factory=Counter)
    by_id: dict[str, Entity] = field(default_factory=dict)
    declared: set[str] = field(default_factory=set)  # ids some article declares

    def __post_init__(self) -> None:
        self.by_id = {e.id: e for e in self.entities()}

    def entities(self) -> Iterator[Entity]:
        """People then companies."""
        yield from self.people
        yield from self.companies

    def known(self) -> list[Entity]:
        """The entities some article declares: what the bot will know."""
        return [e for e in self.entities() if e.id in self.declared]


@dataclass(frozen=True)
class Generated:
    """What generate() wrote: the world behind it and how many files and facts."""

    directory: Path
    world: World
    articles: int
    facts: int


def slug(text: str) -> str:
    """An ASCII id slug of a name: "Søren Müller" -> "soren-muller"."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_ASCII))
    ascii_text = ascii_text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:70]


def typo(text: str, rng: random.Random, edits: int = 1) -> str:
    """The text with `edits` random keyboard slips (drop, double, swap or replace a letter)."""
    chars = list(text)
    for _ in range(edits):
        letters = [i for i, c in enumerate(chars) if c.isalpha() and i > 0]
        if not letters:
            break
        i = rng.choice(letters)
        op = rng.randrange(4)
        if op == 0 and len(letters) > 3:
            del chars[i]
        elif op == 1:
            chars.insert(i, chars[i])
        elif op == 2 and i + 1 < len(chars) and chars[i + 1].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = rng.choice([c for c in "aeioulnrst" if c != chars[i].lower()])
    return "".join(chars)


def build_world(articles: int, seed: int = 0, pool: Pool = POOLS["base"]) -> World:
    """The people and companies for a knowledge base of `articles` articles."""
    rng = random.Random(f"world-{seed}")
    people = _people(rng, PEOPLE_PER_ARTICLE * max(articles, 1), pool)
    companies = _companies(rng, max(8, articles // ARTICLES_PER_COMPANY), pool)
    _give_aliases(rng, people, companies, pool)
    return World(people, companies)


def _people(rng: random.Random, count: int, pool: Pool) -> list[Entity]:
    seen: set[str] = set()
    ids: Counter[str] = Counter()
    out: list[Entity] = []
    while len(out) < count:
        name = f"{rng.choice(pool.first_names)} {rng.choice(pool.last_names)}"
        # About 1% namesakes: real news has two John Smiths, and the bot must ask which.
        if name in seen and rng.random() > 0.01:
            continue
        seen.add(name)
        base = slug(name)
        ids[base] += 1
        entity_id = base if ids[base] == 1 else f"{base}-{ids[base]}"
        out.append(Entity(entity_id, "person", name))
    return out


def _companies(rng: random.Random, count: int, pool: Pool) -> list[Entity]:
    seen: set[str] = set()
    out: list[Entity] = []
    while len(out) < count:
        stem = rng.choice(pool.stems)
        roll = rng.random()
        if roll < 0.08:
            name = stem
        elif roll < 0.7:
            name = f"{stem} {rng.choice(pool.suffixes)}"
        else:
            name = f"{rng.choice(pool.prefixes)} {stem} {rng.choice(pool.suffixes)}"
        if pool.legal_share and rng.random() < pool.legal_share:
            name = f"{name} {rng.choice(words.LEGAL_FORMS)}"
        if slug(name) in seen:
            continue
        seen.add(slug(name))
        # The biggest employers (the head of the Zipf draw) are parents of some smaller firms.
        parent = None
        if len(out) >= 20 and rng.random() < 0.08:
            parent = out[rng.randrange(20)].id
        description = None
        if rng.random() < 0.3:
            description = f"{rng.choice(('AI', 'cloud', 'chip', 'robotics', 'data'))} {rng.choice(('startup', 'company', 'provider', 'lab'))}"
        out.append(Entity(slug(name), "company", name, (), parent, description))
    return out


def _give_aliases(
    rng: random.Random, people: list[Entity], companies: list[Entity], pool: Pool
) -> None:
    """Nicknames, middle initials, short names and initialisms, each owned by one entity only."""
    taken = {normalize(e.name) for e in (*people, *companies)}

    def claim(candidates: Sequence[str]) -> tuple[str, ...]:
        out = []
        for alias in candidates:
            key = normalize(alias)
            if key and key not in taken:
                taken.add(key)
                out.append(alias)
        return tuple(out)

    for i, person in enumerate(people):
        first, last = person.name.split(" ", 1)
        candidates = []
        if first in pool.nicknames and rng.random() < 0.6:
            candidates.append(f"{pool.nicknames[first]} {last}")
        if rng.random() < 0.2:
            candidates.append(f"{first} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {last}")
        people[i] = Entity(person.id, "person", person.name, claim(candidates))
    for i, company in enumerate(companies):
        parts = company.name.split()
        candidates = []
        if len(parts) > 1 and rng.random() < 0.5:
            candidates.append(parts[0] if parts[0] not in pool.prefixes else " ".join(parts[:2]))
        if len(parts) > 1 and rng.random() < 0.4:
            candidates.append("".join(p[0] for p in parts).upper())
        if len(parts) > 1 and rng.random() < 0.2:
            candidates.append("".join(parts))  # "KestrelAI"
        companies[i] = Entity(
            company.id,
            "company",
            company.name,
            claim(candidates),
            company.parent,
            company.description,
        )


class _Zipf:
    """Draws indices 0..n-1 with weight 1/(k+1)**s: a few companies make most of the news."""

    def __init__(self, n: int, s: float = 1.0) -> None:
        self.cum = list(itertools.accumulate(1 / (k + 1) ** s for k in range(n)))

    def draw(self, rng: random.Random, limit: int | None = None) -> int:
        """An index below `limit` (default: any)."""
        end = len(self.cum) if limit is None else limit
        return bisect.bisect(self.cum, rng.random() * self.cum[end - 1], 0, end - 1)


def generate(directory: Path, articles: int, seed: int = 0, pool: str = "base") -> Generated:
    """Write `articles` knowledge files into `directory` (created if needed); `pool` names the
    word lists (POOLS) its names come from."""
    directory.mkdir(parents=True, exist_ok=True)
    world = build_world(articles, seed, POOLS[pool])
    company_zipf = _Zipf(len(world.companies))
    people_zipf = _Zipf(len(world.people), 1.1)
    facts = 0
    for i in range(articles):
        rng = random.Random(f"article-{seed}-{i}")
        writer = _Article(world, rng, i, articles)
        writer.compose(company_zipf, people_zipf)
        facts += writer.fact_count
        (directory / writer.filename).write_text(writer.toml(), encoding="utf-8")
    return Generated(directory, world, articles, facts)


class _Article:
    """One synthetic article: who moved where, the money involved, and who said what."""

    def __init__(self, world: World, rng: random.Random, index: int, total: int) -> None:
        self.world, self.rng, self.index = world, rng, index
        self.published = FIRST_DAY + dt.timedelta(days=index * SPAN_DAYS // max(total, 1))
        self.publisher = rng.choice(words.PUBLISHERS)
        self.cites = rng.sample(words.OUTLETS, 2)
        self.people: dict[str, tuple[Entity, list[tuple[str, str, bool]]]] = {}
        self.companies: dict[str, Entity] = {}
        self.sections: dict[str, list[dict[str, object]]] = {
            "moves": [],
            "figures": [],
            "statements": [],
            "facts": [],
        }
        self.fact_count = 0

    # ------------------------------------------------------------------ composing

    def compose(self, company_zipf: _Zipf, people_zipf: _Zipf) -> None:
        rng, world, i = self.rng, self.world, self.index
        n = len(world.companies)
        a = world.companies[company_zipf.draw(rng)]
        b = world.companies[company_zipf.draw(rng)]
        while b.id == a.id:
            b = world.companies[company_zipf.draw(rng)]
        # Every company is covered by some article, not only the head of the distribution.
        c = world.companies[i % n]
        if c.id in (a.id, b.id):
            c = (
                world.companies[(i + 1) % n]
                if world.companies[(i + 1) % n].id not in (a.id, b.id)
                else c
            )
        p1, p2, p3 = (world.people[PEOPLE_PER_ARTICLE * i + k] for k in range(3))
        recurring = None
        if i > 0 and rng.random() < 0.5:
            recurring = world.people[people_zipf.draw(rng, PEOPLE_PER_ARTICLE * i)]
        self.title_slug = f"{slug(p1.name)}-leaves-{slug(a.name)}"
        self.title = f"{a.name} {rng.choice(('AI Executive', 'Research Chief', 'AI Leader'))} {p1.name} Departs"

        undisclosed = rng.random() < 0.15
        role = rng.choice(words.ROLE_TITLES)
        self._person(p1, (role, a.id, False), None if undisclosed else (role, b.id, True))
        self._company(a)
        if not undisclosed:
            self._company(b)
        self._company(c)
        self._move_p1(p1, p2, a, b, role, undisclosed)
        self._move_second(p3, a, b, c)
        self._figure_offer(p1, a, b, undisclosed, recurring)
        if rng.random() < 0.3:
            self._figure_company(c)
        self._statement(p1, a, b, recurring, undisclosed)
        self._fact_tenure(p1, a)
        # Every new person is named in some fact, so each article adds three people.
        if p2.id not in self.people or rng.random() < 0.5:
            self._fact_other(p2, c)

    def _person(self, person: Entity, *roles: tuple[str, str, bool] | None) -> None:
        self.world.declared.add(person.id)
        entry = self.people.setdefault(person.id, (person, []))
        for role in roles:
            if role is not None and role not in entry[1]:
                entry[1].append(role)

    def _company(self, company: Entity) -> None:
        if company.parent is not None:
            parent = self.world.by_id[company.parent]
            self.companies.setdefault(parent.id, parent)
            self.world.declared.add(parent.id)
        self.companies.setdefault(company.id, company)
        self.world.declared.add(company.id)

    def _sourced(self, section: str, key: str, quote: str, **fields: object) -> None:
        rng = self.rng
        fact: dict[str, object] = {"id": f"{key}-{self.index}-{len(self.sections[section])}"}
        fact.update({k: v for k, v in fields.items() if v is not None})
        fact["reported_on"] = self.published - dt.timedelta(days=rng.choice((0, 0, 1, 2)))
        by = rng.choice((*self.cites, None))
        if by is not None:
            fact["reported_by"] = by
        fact["quote"] = quote
        self.sections[section].append(fact)
        self.fact_count += 1
        for ref in _refs(fields):
            self.world.mentions[ref] += 1

    def _move_p1(
        self, p1: Entity, p2: Entity, a: Entity, b: Entity, role: str, undisclosed: bool
    ) -> None:
        rng = self.rng
        successor = p2 if rng.random() < 0.6 else None
        scope = rng.choice(("some of the former responsibilities", "the research team", None))
        where = "another, unnamed firm" if undisclosed else b.name
        quote = f"{p1.name}, {role} at {a.name}, has left the company to join {where}."
        if successor is not None:
            self._person(p2, ("Interim " + role, a.id, True))
            quote += f" {successor.name} will take over {scope or 'the role'}."
        self._sourced(
            "moves",
            slug(p1.name.split()[-1]) + "-leaves",
            quote,
            person=p1.id,
            **{"from": a.id, "to": "undisclosed" if undisclosed else b.id},
            role=role,
            successor=successor.id if successor else None,
            successor_scope=scope if successor else None,
        )

    def _move_second(self, p3: Entity, a: Entity, b: Entity, c: Entity) -> None:
        rng = self.rng
        if rng.random() < 0.55:
            role = rng.choice(words.ROLE_TITLES)
            self._person(p3, (role, c.id, True))
            self._sourced(
                "moves",
                slug(p3.name.split()[-1]) + "-joins",
                f"{p3.name} joined {c.name} as {role} from {a.name}.",
                person=p3.id,
                **{"from": a.id, "to": c.id},
                role=role,
            )
            return
        self._person(p3, (rng.choice(words.ROLE_TITLES), a.id, True))
        count = rng.randint(2, 40)
        kind = rng.choice(words.GROUP_KINDS)
        to = b if b.id in self.companies else c
        self._sourced(
            "moves",
            "group-move",
            f"{to.name} also hired {count} {kind} from {a.name}, according to people familiar with the matter.",
            group={"count": count, "description": f"{a.name} {kind}"},
            **{"from": a.id, "to": to.id},
        )

    def _figure_offer(
        self, p1: Entity, a: Entity, b: Entity, undisclosed: bool, recurring: Entity | None
    ) -> None:
        rng = self.rng
        value = rng.choice((1, 2, 5, 10, 20, 50, 100, 150, 300)) * 1_000_000
        payer = a if undisclosed else b
        measure = rng.choice(("signing bonus offered to", "compensation package offered to"))
        if undisclosed:
            measure = "retention package offered to"
        according = recurring if recurring is not None else None
        if according is not None:
            self._person(according)
        said = f", {according.name} said" if according else ""
        self._sourced(
            "figures",
            "offer",
            f"{payer.name} offered {p1.name} a {measure.split(' offered')[0]} worth ${value // 1_000_000} million{said}.",
            subject=payer.id,
            measure=f"{measure} {p1.name}",
            value=value,
            unit="USD",
            approximate=rng.random() < 0.2,
            according_to=according.id if according else None,
            about=[p1.id],
        )

    def _figure_company(self, c: Entity) -> None:
        rng = self.rng
        options: list[tuple[str, float, str, str | None, str]] = [
            ("valuation", rng.randint(1, 400) * 100_000_000, "USD", None, "is valued at"),
            (
                "funding raised in its latest round",
                rng.randint(5, 500) * 1_000_000,
                "USD",
                None,
                "raised",
            ),
            (
                "growth in AI-related revenue",
                rng.randint(5, 180),
                "%",
                "the previous year",
                "grew AI revenue by",
            ),
            ("AI researchers employed", rng.randint(20, 3000), "researchers", None, "employs"),
            (
                "research budget",
                rng.randint(10, 900) * 1_000_000,
                "EUR",
                "2025",
                "set a research budget of",
            ),
        ]
        measure, value, unit, period, verb = rng.choice(options)
        shown = (
            f"{value:,.0f} {unit}"
            if unit not in ("%", "USD")
            else (f"{value:.0f}%" if unit == "%" else f"${value:,.0f}")
        )
        self._sourced(
            "figures",
            slug(measure)[:30],
            f"{c.name} {verb} {shown}, the company said.",
            subject=c.id,
            measure=measure,
            value=value,
            unit=unit,
            period=period,
            as_of=self.published.isoformat()[:7] if rng.random() < 0.3 else None,
            according_to=c.id,
        )

    def _statement(
        self, p1: Entity, a: Entity, b: Entity, recurring: Entity | None, undisclosed: bool
    ) -> None:
        rng = self.rng
        first = p1.name.split()[0]
        if recurring is not None and rng.random() < 0.5:
            self._person(recurring)
            said = f"Talent is the scarcest resource in AI, and {b.name if not undisclosed else 'everyone'} knows it."
            self._sourced(
                "statements",
                "statement",
                f"“{said[:-1]},” {recurring.name} said.",
                speaker=recurring.id,
                said=said,
                about=[a.id],
            )
        elif rng.random() < 0.5:
            said = f"We thank {first} for their contributions and wish them well."
            self._sourced(
                "statements",
                "statement",
                f"“{said[:-1]},” a {a.name} spokesperson said.",
                speaker=a.id,
                speaker_role="spokesperson",
                said=said,
                about=[p1.id],
            )
        else:
            said = rng.choice(
                (
                    "This is where the next generation of models will be built.",
                    "I wanted to work on problems that matter at a larger scale.",
                    "It was time for a new chapter.",
                )
            )
            self._sourced(
                "statements",
                "statement",
                f"“{said[:-1]},” {p1.name} wrote on LinkedIn.",
                speaker=p1.id,
                said=said,
                said_on=(self.published - dt.timedelta(days=1)).isoformat(),
            )

    def _fact_tenure(self, p1: Entity, a: Entity) -> None:
        years = self.rng.randint(2, 15)
        self._sourced(
            "facts",
            "tenure",
            f"{p1.name} spent {years} years at {a.name}.",
            kind="tenure",
            subjects=[p1.id],
            summary=f"{p1.name} spent {years} years at {a.name}.",
            company=a.id,
            duration=f"{years} years",
        )

    def _fact_other(self, person: Entity, c: Entity) -> None:
        rng = self.rng
        if rng.random() < 0.5:
            kind, obj = "built", rng.choice(words.PRODUCTS)
        else:
            kind, obj = "oversaw", rng.choice(words.TEAMS)
        summary = f"{person.name} {kind} {obj}."
        self._person(person)
        self._company(c)
        self._sourced(
            "facts",
            kind,
            f"At {c.name}, {person.name} {kind} {obj}.",
            kind=kind,
            subjects=[person.id],
            summary=summary,
            object=obj,
            company=c.id,
        )

    # ------------------------------------------------------------------ writing

    @property
    def filename(self) -> str:
        return f"{self.published.isoformat()}-{self.title_slug}-{self.index}.toml"

    def toml(self) -> str:
        out = [f"# Synthetic article {self.index} for benchmarks; not real news.", "", "[article]"]
        out += _pairs(
            {
                "id": f"{self.title_slug}-{self.index}",
                "title": self.title,
                "publisher": self.publisher,
                "published": self.published,
                "url": f"https://news.example.com/{self.index}",
                "cites": self.cites,
            }
        )
        for person, roles in self.people.values():
            out += ["", "[[people]]"]
            out += _pairs({"id": person.id, "name": person.name, "aliases": list(person.aliases)})
            if roles:
                inline = ", ".join(
                    f"{{ title = {_value(t)}, company = {_value(c)}, current = {_value(cur)} }}"
                    for t, c, cur in roles
                )
                out.append(f"roles = [{inline}]")
        for company in self.companies.values():
            out += ["", "[[companies]]"]
            out += _pairs(
                {
                    "id": company.id,
                    "name": company.name,
                    "aliases": list(company.aliases),
                    "parent": company.parent,
                    "description": company.description,
                }
            )
        for section, facts in self.sections.items():
            for fact in facts:
                out += ["", f"[[{section}]]", *_pairs(fact)]
        return "\n".join(out) + "\n"


def _refs(fields: dict[str, object]) -> Iterator[str]:
    for key in (
        "person",
        "from",
        "to",
        "successor",
        "subject",
        "speaker",
        "according_to",
        "company",
    ):
        value = fields.get(key)
        if isinstance(value, str) and value != "undisclosed":
            yield value
    for key in ("about", "subjects", "related"):
        value = fields.get(key)
        if isinstance(value, list):
            yield from (v for v in value if isinstance(v, str))


def _pairs(values: dict[str, object]) -> list[str]:
    return [
        f"{k} = {_value(v)}" for k, v in values.items() if v is not None and v != [] and v != ()
    ]


def _value(value: object) -> str:
    """A TOML literal; JSON strings are valid TOML basic strings."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML form for {value!r}")


def main() -> None:
    """`python -m benchmarks.generate DIR --articles N`: write synthetic knowledge."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("directory", type=Path)
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pool", choices=sorted(POOLS), default="base")
    args = parser.parse_args()
    made = generate(args.directory, args.articles, args.seed, args.pool)
    kinds = Counter(e.kind for e in made.world.known())
    print(
        f"{made.directory}: {made.articles} articles, {kinds['person']} people, "
        f"{kinds['company']} companies, {made.facts} facts"
    )


if __name__ == "__main__":
    main()
