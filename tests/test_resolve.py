"""Name resolution: typos, aliases and word order resolve; near ties ask; strangers stay unknown."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.knowledge.schema import EntityKind
from bot.resolve import EntityRef, NameIndex, _equal_in_slices, _sorted_in_slices
from bot.service import TalentService
from bot.store import Store
from tests.conftest import KNOWLEDGE


@pytest.fixture(scope="module")
def seed_index(tmp_path_factory: pytest.TempPathFactory) -> NameIndex:
    """The name index the service builds from the seed knowledge (built once: it is read-only)."""

    async def build(path: Path) -> NameIndex:
        async with Store(str(path)) as store:
            service = TalentService(store, KNOWLEDGE)
            await service.start()
            async with service.context() as ctx:
                return ctx.index

    return asyncio.run(build(tmp_path_factory.mktemp("index") / "seed.db"))


def person(entity_id: str, name: str, mentions: int = 0, hint: str = "") -> EntityRef:
    return EntityRef(entity_id, "person", name, hint, mentions)


def company(entity_id: str, name: str, mentions: int = 0) -> EntityRef:
    return EntityRef(entity_id, "company", name, "", mentions)


def index_of(*entities: EntityRef | tuple[EntityRef, list[str]]) -> NameIndex:
    """A small index built directly, for cases the seed does not contain."""
    return NameIndex("test", [e if isinstance(e, tuple) else (e, []) for e in entities])


# ---------------------------------------------------------------------- the seed knowledge

MUST_RESOLVE: list[tuple[str, EntityKind, str]] = [
    ("Amazn", "company", "Amazon"),
    ("AWS", "company", "Amazon"),
    ("aws", "company", "Amazon"),
    ("Amazon Web Services", "company", "Amazon"),
    ("amazon's", "company", "Amazon"),
    ("Amazon’s", "company", "Amazon"),
    ("Open AI", "company", "OpenAI"),
    ("OpenAl", "company", "OpenAI"),
    ("Google Deepmind", "company", "Google DeepMind"),
    ("nvidea", "company", "Nvidia"),
    ("NVIDIA", "company", "Nvidia"),
    ("Microsft", "company", "Microsoft"),
    ("meta", "company", "Meta"),
    ("vasi philomen", "person", "Vasi Philomin"),
    ("Vasi Philomin", "person", "Vasi Philomin"),
    ("Philomin", "person", "Vasi Philomin"),
    ("Zuckerberg", "person", "Mark Zuckerberg"),
    ("Zuckerburg", "person", "Mark Zuckerberg"),
    ("Altman", "person", "Sam Altman"),
    ("rajesh sheth", "person", "Rajesh Sheth"),
    # Legal forms say nothing about which company is meant.
    ("Nvidia Corp", "company", "Nvidia"),
    ("Microsoft Corporation", "company", "Microsoft"),
    ("Amazon.com, Inc.", "company", "Amazon"),
]


@pytest.mark.parametrize(("query", "kind", "expected"), MUST_RESOLVE)
def test_seed_names_resolve(
    seed_index: NameIndex, query: str, kind: EntityKind, expected: str
) -> None:
    for asked in (kind, None):
        resolution = seed_index.resolve(query, asked)
        assert resolution.status == "found", (query, asked, resolution)
        assert resolution.entity is not None
        assert (resolution.entity.name, resolution.entity.kind) == (expected, kind)


@pytest.mark.parametrize(
    "query", ["metadata", "Apple", "xyz", "x", "ai", "", "   ", "?!", "Inc", "Apple Inc"]
)
@pytest.mark.parametrize("kind", ["person", "company", None])
def test_strangers_do_not_resolve(
    seed_index: NameIndex, query: str, kind: EntityKind | None
) -> None:
    resolution = seed_index.resolve(query, kind)
    assert resolution.status != "found"
    assert resolution.entity is None


@pytest.mark.parametrize(
    ("query", "kind"),
    [
        ("Amazon", "person"),
        ("AWS", "person"),
        ("nvidea", "person"),
        ("Vasi Philomin", "company"),
        ("Zuckerberg", "company"),
        ("Sam Altman", "company"),
    ],
)
def test_people_and_companies_resolve_separately(
    seed_index: NameIndex, query: str, kind: EntityKind
) -> None:
    resolution = seed_index.resolve(query, kind)
    assert resolution.status == "not_found"
    assert resolution.candidates == ()


_SEED_WORDS = ["Amazon", "AWS", "Vasi", "Philomin", "Sam", "Altman", "Meta", "OpenAI", "Nvidia"]


@settings(max_examples=150, deadline=None)
@given(
    text=st.one_of(
        st.text(max_size=30),
        st.lists(st.sampled_from(_SEED_WORDS), min_size=1, max_size=3).map(" ".join),
    ),
    kind=st.sampled_from(["person", "company"]),
)
def test_resolution_never_crosses_kinds(seed_index: NameIndex, text: str, kind: EntityKind) -> None:
    resolution = seed_index.resolve(text, kind)
    found = [resolution.entity] if resolution.entity else []
    assert all(e.kind == kind for e in [*found, *resolution.candidates])
    assert len(resolution.candidates) <= 3
    assert (resolution.status == "found") == (resolution.entity is not None)


# ---------------------------------------------------------------------- did you mean


def test_near_tie_asks_which_one() -> None:
    index = index_of(
        person("jon", "Jon Smith", 2, "CEO at Acme"), person("jan", "Jan Smith", 1, "CTO at Beta")
    )
    for query in ("Jen Smith", "Jn Smith", "Smith"):
        resolution = index.resolve(query, "person")
        assert resolution.status == "ambiguous", query
        assert {c.name for c in resolution.candidates} == {"Jon Smith", "Jan Smith"}
        # The hint is what tells namesakes apart in "did you mean".
        assert {c.hint for c in resolution.candidates} == {"CEO at Acme", "CTO at Beta"}
    exact = index.resolve("jon smith", "person")
    assert exact.status == "found" and exact.entity is not None and exact.entity.id == "jon"


def test_did_you_mean_offers_at_most_three() -> None:
    index = index_of(
        *(
            person(f"p{i}", f"{first} Smith", i)
            for i, first in enumerate(["Ann", "Bob", "Kim", "Lee", "Max"])
        )
    )
    resolution = index.resolve("Smith", "person")
    assert resolution.status == "ambiguous"
    assert len(resolution.candidates) == 3
    # Most mentioned first: the likelier meaning leads.
    assert [c.name for c in resolution.candidates] == ["Max Smith", "Lee Smith", "Kim Smith"]


def test_surname_alone_resolves_only_when_unique() -> None:
    index = index_of(person("jon", "Jon Smith"), person("ada", "Ada Lovelace"))
    unique = index.resolve("Lovelace", "person")
    assert unique.status == "found" and unique.entity is not None and unique.entity.id == "ada"
    assert index.resolve("Smith", "person").status == "found"
    crowded = index_of(person("jon", "Jon Smith"), person("jan", "Jan Smith"))
    assert crowded.resolve("Smith", "person").status == "ambiguous"


# ---------------------------------------------------------------------- spelling variants


ACME = index_of(
    (person("jose", "José Núñez"), ["Pepe"]),
    person("vasi", "Vasi Philomin"),
    company("smith-co", "Smith & Co"),
    (company("ab", "AB InBev"), ["A.B."]),
    company("open", "OpenAI"),
)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("jose nunez", "jose"),
        ("JOSE NUNEZ", "jose"),
        ("José   Núñez", "jose"),
        ("  josé núñez!! ", "jose"),
        ("Núñez, José", "jose"),
        ("Nunez Jose", "jose"),
        ("pepe", "jose"),
        ("Philomin Vasi", "vasi"),
        ("philomin, vasi", "vasi"),
        ("Smith and Co", "smith-co"),
        ("smith & co.", "smith-co"),
        ("SMITH&CO", "smith-co"),
        ("ab inbev", "ab"),
        ("A.B.", "ab"),
        ("open-ai", "open"),
        ("Open  AI", "open"),
    ],
)
def test_accents_punctuation_spaces_and_word_order(query: str, expected: str) -> None:
    resolution = ACME.resolve(query)
    assert resolution.status == "found", (query, resolution)
    assert resolution.entity is not None and resolution.entity.id == expected


# ---------------------------------------------------------------------- autocomplete


def test_complete_offers_the_alias_with_its_entity(seed_index: NameIndex) -> None:
    choices = seed_index.complete("aws")
    assert choices, "no choice for aws"
    first = choices[0]
    assert first.label == "AWS → Amazon"
    assert first.value == "amazon"  # the id: what the command then resolves
    assert seed_index.resolve(first.value).entity == first.entity


def test_complete_ranks_exact_then_prefix_then_fuzzy() -> None:
    # Mentions favour the later tiers, so only the tiering can put them in this order.
    index = index_of(
        company("meta", "Meta", 1),
        company("metaverse", "Metaverse Labs", 50),
        company("beta-meta", "Beta Meta Group", 80),
        company("mesa", "Mesa", 99),
        company("nothing", "Unrelated Corp", 100),
    )
    labels = [c.label for c in index.complete("meta")]
    assert labels == ["Meta", "Metaverse Labs", "Beta Meta Group", "Mesa"]


def test_complete_offers_at_most_25() -> None:
    index = index_of(*(person(f"p{i}", f"Person{i:03d} Zed", i) for i in range(60)))
    for text in ("person", "zed", "", "persn"):
        choices = index.complete(text)
        assert 0 < len(choices) <= 25, text
        assert len({c.entity.id for c in choices}) == len(choices)
    assert len(index.complete("person", limit=5)) == 5


def test_complete_empty_offers_the_most_mentioned(seed_index: NameIndex) -> None:
    choices = seed_index.complete("")
    mentions = [c.entity.mentions for c in choices]
    assert choices and mentions == sorted(mentions, reverse=True)
    most = max(seed_index.entities.values(), key=lambda e: e.mentions)
    assert choices[0].entity.mentions == most.mentions
    people = seed_index.complete("", "person")
    assert people and all(c.entity.kind == "person" for c in people)
    assert {c.entity.id for c in people} == {
        e.id for e in seed_index.entities.values() if e.kind == "person"
    }


def test_complete_respects_kind_and_label_length(seed_index: NameIndex) -> None:
    assert all(c.entity.kind == "company" for c in seed_index.complete("vasi", "company"))
    assert [c.value for c in seed_index.complete("zuck", "person")] == ["mark-zuckerberg"]
    long = index_of((company("long", "L" + "o" * 150), ["Lo"]))
    for choice in long.complete("lo"):
        # Discord rejects choice names and values over 100 characters.
        assert len(choice.label) <= 100 and len(choice.value) <= 100


def test_namesakes_in_autocomplete_are_told_apart_and_each_answers() -> None:
    """Two companies called Acme: the choices read differently and each picks its own."""
    index = index_of(
        EntityRef("acme-robotics", "company", "Acme", "robot maker"),
        EntityRef("acme-foods", "company", "Acme", "snack maker"),
    )
    assert index.resolve("Acme").status == "ambiguous"
    choices = index.complete("acme")
    assert sorted(c.label for c in choices) == ["Acme — robot maker", "Acme — snack maker"]
    for choice in choices:
        found = index.resolve(choice.value, "company")
        assert found.status == "found" and found.entity == choice.entity
    assert index.resolve("acme-foods", "person").status != "found"  # an id of the other kind


def test_prefixes_sorted_in_slices_are_sorted_as_a_whole() -> None:
    # Short strings, strings that are prefixes of others, "\0" and non-ASCII: every case where
    # sorting by a two-character start could differ from sorting whole strings.
    strings = ["", "a", "ab", "a\x001", "b", "a b\x002", "zz", "z", "é", "éa", "aa", "a"]
    strings += [f"{a}{b}{c}" for a in "ba" for b in "\x00 ab" for c in "cz"]
    assert _sorted_in_slices(strings) == sorted(strings)


def test_lists_compared_in_slices_are_equal_only_when_whole_lists_are() -> None:
    items = [(str(i), "person", f"name {i}", ()) for i in range(11)]
    assert _equal_in_slices(items, list(items), size=3)
    assert not _equal_in_slices(items, [*items[:-1], ("10", "person", "other", ())], size=3)
    assert not _equal_in_slices(items, items[:-1], size=3)
    assert _equal_in_slices([], [], size=3)
