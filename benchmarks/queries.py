"""What users type, drawn from a synthetic world: names with typos, aliases, unknown names, questions.

Popular entities are asked about more often (half the draws weigh by mentions), as in a real
server; a sixth of every name is one that does not exist.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass

from benchmarks import names as words
from benchmarks.generate import Entity, World, typo

ASK_TEMPLATES_ONE = (
    ("company", "who left {} recently?"),
    ("company", "Who joined {}?"),
    ("person", "who replaced {}?"),
    ("person", "where did {} go?"),
    ("person", "tell me about {}"),
    ("company", "how much is {} worth?"),
    ("company", "what signing bonus did {} offer?"),
    ("person", "what did {} say?"),
)
ASK_TEMPLATES_TWO = ("did anyone leave {} for {}?", "who went from {} to {}?")
ASK_OFF_TOPIC = (
    "what's the weather like in Lisbon tomorrow?",
    "can you recommend a good pizza place",
    "how do I reset my password",
    "who won the football match last night?",
)


@dataclass(frozen=True)
class Queries:
    """Every timed input, as plain lists so that it travels as JSON to the measuring process."""

    resolve: list[tuple[str, str | None]]  # (text, kind)
    complete: list[tuple[str, str | None]]
    company: list[str]
    person: list[str]
    topic: list[str]
    ask: list[str]

    def to_json(self) -> dict[str, object]:
        """A JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, list[object]]) -> Queries:
        """The inverse of to_json."""
        pairs = {k: [tuple(x) for x in data[k]] for k in ("resolve", "complete")}
        return cls(**pairs, **{k: data[k] for k in ("company", "person", "topic", "ask")})  # type: ignore[arg-type]


class _Draw:
    def __init__(self, world: World, seed: int) -> None:
        self.rng = random.Random(f"queries-{seed}")
        known = world.known()
        self.by_kind = {k: [e for e in known if e.kind == k] for k in ("person", "company")}
        self.weights = {
            k: [1 + world.mentions[e.id] for e in self.by_kind[k]] for k in self.by_kind
        }
        self.names = {e.name.casefold() for e in known}
        self.names |= {a.casefold() for e in known for a in e.aliases}

    def entity(self, kind: str) -> Entity:
        pool = self.by_kind[kind]
        if self.rng.random() < 0.5:
            return self.rng.choices(pool, weights=self.weights[kind])[0]
        return self.rng.choice(pool)

    def unknown(self, kind: str) -> str:
        rng = self.rng
        while True:
            if kind == "person":
                name = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
            else:
                stem = typo(rng.choice(words.COMPANY_STEMS), rng, 2)
                name = f"{stem} {rng.choice(words.COMPANY_SUFFIXES)}"
            if name.casefold() not in self.names:
                return name

    def name(self, kind: str) -> str:
        """A name as a user would type it: exact, alias, sloppy, misspelt, swapped, or unknown."""
        rng = self.rng
        roll = rng.random()
        if roll < 1 / 6:
            return self.unknown(kind)
        entity = self.entity(kind)
        shown = entity.name
        if roll < 0.25 and entity.aliases:
            shown = rng.choice(entity.aliases)
        roll = rng.random()
        if roll < 0.35:
            return shown
        if roll < 0.45:
            return shown.lower()
        if roll < 0.75:
            return typo(shown, rng, 1)
        if roll < 0.9:
            return typo(shown, rng, 2 if len(shown) >= 10 else 1)
        first, _, rest = shown.partition(" ")
        return f"{rest} {first}" if kind == "person" and rest else shown.upper()

    def keystrokes(self) -> tuple[str, str | None]:
        """What autocomplete sees mid-word: a prefix of a (possibly misspelt) name."""
        rng = self.rng
        kind = rng.choice(("person", "company"))
        text = self.name(kind)
        cut = rng.randint(0, len(text))
        return text[:cut], rng.choice((kind, kind, None))


def build_queries(world: World, seed: int = 0, count: int = 400) -> Queries:
    """`count` inputs per kind of call, deterministic for (world, seed)."""
    draw = _Draw(world, seed)
    rng = draw.rng
    resolve = [
        (draw.name(kind), rng.choice((kind, None)))
        for kind in (rng.choice(("person", "company")) for _ in range(count))
    ]
    complete = [draw.keystrokes() for _ in range(count)]
    topics = []
    for _ in range(count):
        if rng.random() < 0.7:
            topics.append(draw.name(rng.choice(("company", "person"))))
        else:
            topics.append(
                rng.choice(("valuation", "signing bonus", "research budget", "funding", "pizza"))
            )
    ask = []
    for _ in range(count):
        roll = rng.random()
        if roll < 0.08:
            ask.append(rng.choice(ASK_OFF_TOPIC))
        elif roll < 0.25:
            ask.append(
                rng.choice(ASK_TEMPLATES_TWO).format(draw.name("company"), draw.name("company"))
            )
        else:
            kind, template = rng.choice(ASK_TEMPLATES_ONE)
            ask.append(template.format(draw.name(kind)))
    return Queries(
        resolve=resolve,
        complete=complete,
        company=[draw.name("company") for _ in range(count)],
        person=[draw.name("person") for _ in range(count)],
        topic=topics,
        ask=ask,
    )
