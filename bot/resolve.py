"""Typed names -> stored people and companies: exact keys, then prefixes, then careful fuzzy matching.

Precision beats recall here: a wrong person in an answer is worse than "did you mean". The
design and its thresholds follow the measurements in shared/research/name-resolution.md.
"""

from __future__ import annotations

import bisect
import dataclasses
import functools
import heapq
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence, Set
from dataclasses import dataclass, field
from typing import Literal

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from bot.knowledge.schema import EntityKind
from bot.short_names import SHORT_FORMS, is_short_form
from bot.text import (
    LEGAL_SUFFIXES,
    STOP_WORDS,
    Normals,
    compact,
    is_filler,
    normalize,
    sorted_words,
    without_legal_suffix,
)

Match = Literal["found", "ambiguous", "not_found"]  # how a typed name resolved

MIN_FUZZY_CHARS = 4  # below this, one typo is a third of the word: exact matches only
SUGGEST_SCORE = 75.0  # "did you mean" threshold (0-100)
MIN_PREFIX_CHARS = 4
# Fuzzy matching scans every name of a kind up to this many; beyond, it scores only the names
# sharing the most trigrams with the query (shared/research/name-resolution.md: at 10k names
# this keeps 99%+ top-1 accuracy at a fraction of the cost of a full scan).
FULL_SCAN_NAMES = 2_000
FUZZY_CANDIDATES = 256


@dataclass(frozen=True, slots=True)
class EntityRef:
    """Enough of an entity to name it and tell it from its namesakes."""

    id: str
    kind: EntityKind
    name: str
    hint: str = ""
    mentions: int = 0


@dataclass(frozen=True)
class Resolution:
    """What a typed name resolved to: one entity, candidates to choose from, or nothing."""

    query: str
    status: Match
    entity: EntityRef | None = None
    candidates: tuple[EntityRef, ...] = ()
    matched: str = ""  # the name or alias that matched
    # Found as the clear winner among near names (a typo, a short first name), not spelled as
    # stored: the answer says whom it shows.
    closest: bool = False


@dataclass(frozen=True)
class Choice:
    """An autocomplete suggestion: what the user sees and the value sent back."""

    label: str
    value: str
    entity: EntityRef


@dataclass
class _Names:
    """The searchable strings of one kind of entity, parallel lists indexed together."""

    normals: list[str] = field(default_factory=list)
    sorted_forms: list[str] = field(default_factory=list)
    owners: list[str] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)  # the name or alias as written
    # "<suffix from a word start>\0<name index>", sorted: one string per entry rather than a
    # tuple, a string and an int (normal forms never contain "\0", which sorts before any letter).
    prefixes: list[str] = field(default_factory=list)
    # trigram -> indices of the names that have it; arrays take a seventh of a list of ints.
    trigrams: dict[str, array[int]] = field(default_factory=dict)

    def candidates(self, normal: str) -> list[int] | None:
        """Indices of the names most like the text by shared trigrams; None means all names."""
        if len(self.normals) <= FULL_SCAN_NAMES:
            return None
        shared: Counter[int] = Counter()
        for gram in _trigrams(normal):
            shared.update(self.trigrams.get(gram, ()))
        if len(shared) <= FUZZY_CANDIDATES:
            return list(shared)
        # The lowest shared count that still admits FUZZY_CANDIDATES names; cheaper than a heap.
        histogram = Counter(shared.values())
        wanted, floor = FUZZY_CANDIDATES, 0
        for count in sorted(histogram, reverse=True):
            wanted -= histogram[count]
            floor = count
            if wanted <= 0:
                break
        return [i for i, count in shared.items() if count >= floor]

    def starting(self, normal: str) -> Iterator[int]:
        """Indices of the names with a word-start suffix that starts with the text, in order."""
        prefixes = self.prefixes
        for j in range(bisect.bisect_left(prefixes, normal), len(prefixes)):
            suffix, _, i = prefixes[j].rpartition("\0")
            if not suffix.startswith(normal):
                return
            yield int(i)

    def has_word(self, word: str) -> bool:
        r"""Whether the word is a whole word of some name or alias.

        Word-start suffixes sort "word\0…" and "word …" before any longer word.
        """
        j = bisect.bisect_left(self.prefixes, word)
        return j < len(self.prefixes) and self.prefixes[j].startswith((f"{word}\0", f"{word} "))

    def extends(self, word: str) -> bool:
        r"""Whether some word of some name starts with this word and goes on ("raj": Rajesh).

        "!" sorts after the "\0" and " " that end a word and before any letter or digit.
        """
        j = bisect.bisect_left(self.prefixes, f"{word}!")
        return j < len(self.prefixes) and self.prefixes[j].startswith(word)

    def pick(self, forms: list[str], subset: list[int] | None) -> list[str]:
        """The forms of a candidate subset (or all of them)."""
        return forms if subset is None else [forms[i] for i in subset]


class NameIndex:
    """An in-memory index of every name and alias, built once per knowledge version.

    ``previous``, the index of the version before, lends what did not change: its name tables
    whole when no name changed, else the normal form of every name it had.
    """

    def __init__(
        self,
        version: str | None,
        entities: Iterable[tuple[EntityRef, Sequence[str]]],
        previous: NameIndex | None = None,
    ):
        self.version = version
        pairs = [(ref, tuple(aliases)) for ref, aliases in entities]
        self.entities: dict[str, EntityRef] = {ref.id: ref for ref, _ in pairs}
        names_key = [(ref.id, ref.kind, ref.name, aliases) for ref, aliases in pairs]
        last: _NameTables | None = previous._tables if previous is not None else None
        if last is not None and _equal_in_slices(last.key, names_key):
            # A reload that changed facts but no name (the usual edit) shares the name tables,
            # which never change after they are built; only hints and mention counts are new.
            self._exact, self._names = last.exact, last.names
            self._tables: _NameTables = last
        else:
            normals = Normals(last.normals if last is not None else None)
            self._build(pairs, normals)
            self._tables = _NameTables(names_key, self._exact, self._names, normals.current)
        self._popular: dict[EntityKind | None, list[EntityRef]] = {}
        for kind in ("person", "company", None):
            pool = (e for e in self.entities.values() if kind is None or e.kind == kind)
            # nsmallest, not a sort: sorting 35,000 keys is one C call holding the GIL (7 ms
            # at 10,000 articles, ten times that at 100,000) that stalls the event loop.
            self._popular[kind] = heapq.nsmallest(
                25, pool, key=lambda e: (-e.mentions, e.name.casefold())
            )

    def same_names(self, other: NameIndex) -> bool:
        """Whether both indexes hold the very same names and aliases of the very same entities."""
        return self._tables is other._tables

    def name_words(self) -> frozenset[str]:
        """Every word of every name and alias, in normal form."""
        return frozenset(
            word for names in self._names.values() for n in names.normals for word in n.split()
        )

    def normal(self, name: str) -> str:
        """normalize() of a name or alias of the index, as worked out when it was built."""
        normal = self._tables.normals.get(name)
        return normalize(name) if normal is None else normal

    def _build(self, pairs: list[tuple[EntityRef, tuple[str, ...]]], normals: Normals) -> None:
        exact: dict[str, tuple[str, ...]] = {}
        self._names = {"person": _Names(), "company": _Names()}
        for ref, aliases in pairs:
            for shown in (ref.name, *aliases):
                self._add(exact, ref, normals(shown), shown, is_alias=shown != ref.name)
        self._exact = exact
        for names in self._names.values():
            names.prefixes = _sorted_in_slices(names.prefixes)
            if len(names.normals) > FULL_SCAN_NAMES:
                for i, normal in enumerate(names.normals):
                    for gram in _trigrams(normal):
                        names.trigrams.setdefault(gram, array("I")).append(i)

    def _add(
        self,
        exact: dict[str, tuple[str, ...]],
        ref: EntityRef,
        normal: str,
        shown: str,
        *,
        is_alias: bool,
    ) -> None:
        if not normal:
            return
        keys = {normal, compact(normal), sorted_words(normal)}
        if ref.kind == "person" and not is_alias and " " in normal:
            # People are often named by surname alone ("Zuckerberg"); a surname is a key only
            # as long as no one else has it, which resolve() checks.
            keys.add("~" + normal.rsplit(" ", 1)[1])
        for key in keys:
            # Tuples, not sets: a set costs four times the memory and most keys have one owner.
            owners = exact.get(key, ())
            if ref.id not in owners:
                exact[key] = (*owners, ref.id)
        names = self._names[ref.kind]
        position = len(names.normals)
        names.normals.append(normal)
        names.sorted_forms.append(sorted_words(normal))
        names.owners.append(ref.id)
        names.shown.append(shown)
        start = 0
        for word in normal.split(" "):
            names.prefixes.append(f"{normal[start:]}\0{position}")
            start += len(word) + 1

    # ------------------------------------------------------------------ resolution

    def resolve(self, query: str, kind: EntityKind | None = None) -> Resolution:
        """Resolve typed text to one entity, a short list to choose from, or nothing."""
        # Autocomplete sends ids, so that a choice between two "Acme"s stays a choice.
        picked = self.entities.get(query.strip())
        if picked is not None and (kind is None or picked.kind == kind):
            return Resolution(query, "found", picked, matched=picked.name)
        normal = normalize(query)
        if not normal:
            return Resolution(query, "not_found")
        kinds: tuple[EntityKind, ...] = (kind,) if kind else ("person", "company")
        bare = without_legal_suffix(normal)
        # Spelled as stored; then a surname alone; then with the legal form dropped, added or
        # swapped ("Primestream Inc" is "Primestream Corp."): a legal form names no company.
        for keys in (_keys(normal), ("~" + normal,), _legal_variants(bare)):
            ids = set().union(*(self._exact.get(k, ()) for k in keys))
            hits = [self.entities[i] for i in sorted(ids) if self.entities[i].kind in kinds]
            if len(hits) == 1:
                return Resolution(query, "found", hits[0], matched=query)
            if hits:
                return Resolution(query, "ambiguous", candidates=tuple(_rank(hits)[:3]))
        if is_filler(normal):
            # "the the" starts "The Theranos Co" and "a a a a" is QRatio-close to "AA": filler
            # words name something only when spelled exactly as its name.
            return Resolution(query, "not_found")
        prefixed: list[EntityRef] = []
        if len(normal) >= MIN_PREFIX_CHARS:
            prefixed = self._prefix_matches(normal, kinds, limit=50)
        scored = self._fuzzy(normal, kinds) if len(compact(normal)) >= MIN_FUZZY_CHARS else []
        near = self._near(normal, scored, kinds)
        if near:
            (best, cost, form), runner_up = near[0], near[1][1] if len(near) > 1 else None
            # The clear-winner rule, calibrated on benchmarks/resolution.py's dev pool: the
            # nearest name is answered when no other is as near (fewer typos, counted per
            # word, a short first name as one); a tie is a real "did you mean". A name the
            # text starts a word of ("Amber" for Amber Group) is another reading of it, as
            # near as any typo: it blocks a winner it is not.
            blocked = cost > 0 and any(e.id != best.id for e in prefixed)
            if (runner_up is None or runner_up > cost) and not blocked:
                return Resolution(query, "found", best, matched=form, closest=cost > 1)
        candidates = [e for e, _, _ in near[:3]]
        candidates += [e for e, score, _ in scored[:3] if score >= SUGGEST_SCORE]
        candidates += _rank(prefixed)
        unique = list(dict.fromkeys(candidates))
        if unique:
            return Resolution(query, "ambiguous", candidates=tuple(unique[:3]))
        return Resolution(query, "not_found")

    def _near(
        self, normal: str, scored: list[tuple[EntityRef, float, str]], kinds: Sequence[EntityKind]
    ) -> list[tuple[EntityRef, int, str]]:
        """The entities the text is a typo (or a short first name) of, nearest first.

        The entities the text is a typo (or a short first name) of, nearest first: (entity,
        _name_cost, the name or alias it is nearest). Every word must be its stored word give or
        take a typo: a word added, dropped or replaced makes another name ("Neurocraft Labs" is
        not "Neurocraft Corp.").
        """
        bare = without_legal_suffix(normal)
        forms: dict[str, set[str]] = {}
        for entity, _, form in scored[:NEAR_CANDIDATES]:
            forms.setdefault(entity.id, set()).update((form, _normal_name(entity)))
        words = normal.split()
        longer = SHORT_FORMS.get(words[0], frozenset())
        if (
            "person" in kinds
            and len(words) == 2
            and _may_be_short(words[0])
            and (longer or self._names["person"].extends(words[0]))
        ):
            # "raj sheth": everyone with the surname as typed whose given name the first word
            # may stand for is a candidate (judged in full below).
            for owner in self._exact.get("~" + words[1], ())[:SURNAME_CANDIDATES]:
                entity = self.entities[owner]
                name = _normal_name(entity)
                if entity.kind == "person" and (
                    name.startswith(words[0]) or name.partition(" ")[0] in longer
                ):
                    forms.setdefault(owner, set()).add(name)
        order = {e.id: rank for rank, (e, _, _) in enumerate(scored)}
        known = {w for w in words if any(self._names[k].has_word(w) for k in kinds)}
        near: list[tuple[int, int, str, str]] = []
        for owner, names in forms.items():
            kind = self.entities[owner].kind
            judged = [(_name_cost(normal, bare, name, kind, known), name) for name in sorted(names)]
            found = [(cost, name) for cost, name in judged if cost is not None]
            if found:
                cost, name = min(found)
                near.append((cost, order.get(owner, len(order)), owner, name))
        near.sort()
        return [(self.entities[owner], cost, name) for cost, _, owner, name in near]

    def _fuzzy(
        self, normal: str, kinds: Sequence[EntityKind]
    ) -> list[tuple[EntityRef, float, str]]:
        """Best score per entity, highest first.

        The scorer is max(QRatio, 0.95 x token_sort_ratio): QRatio is plain edit similarity, which
        keeps "meta" far from "metadata" (unlike WRatio/partial_ratio, which score substrings 90-100),
        and the sorted-words ratio forgives swapped first and last names at a small discount.
        """
        best: dict[str, tuple[float, str]] = {}
        query_sorted = sorted_words(normal)
        for kind in kinds:
            names = self._names[kind]
            subset = names.candidates(normal)
            for query, choices, weight in (
                (normal, names.pick(names.normals, subset), 1.0),
                (query_sorted, names.pick(names.sorted_forms, subset), 0.95),
            ):
                for _, score, j in process.extract(
                    query, choices, scorer=fuzz.QRatio, limit=20, score_cutoff=60
                ):
                    i = j if subset is None else subset[j]
                    owner, value = names.owners[i], score * weight
                    if value > best.get(owner, (0.0, ""))[0]:
                        best[owner] = (value, names.normals[i])
        ranked = sorted(best.items(), key=lambda kv: (-kv[1][0], self.entities[kv[0]].name))
        return [(self.entities[i], score, name) for i, (score, name) in ranked]

    def _prefix_matches(
        self, normal: str, kinds: Sequence[EntityKind], limit: int
    ) -> list[EntityRef]:
        """Entities with a name or alias, or a word of one, that starts with the text."""
        seen: dict[str, EntityRef] = {}
        for kind in kinds:
            names = self._names[kind]
            for i in names.starting(normal):
                if len(seen) >= limit:
                    break
                owner = names.owners[i]
                seen.setdefault(owner, self.entities[owner])
        return list(seen.values())

    # ------------------------------------------------------------------ autocomplete

    def complete(self, text: str, kind: EntityKind | None = None, limit: int = 25) -> list[Choice]:
        """Suggestions ranked exact, then prefix, then fuzzy; empty text offers the most mentioned."""
        normal = normalize(text)
        if not normal:
            return _told_apart([Choice(e.name, _value(e), e) for e in self._popular[kind][:limit]])
        kinds: tuple[EntityKind, ...] = (kind,) if kind else ("person", "company")
        out: dict[str, Choice] = {}

        def offer(entity_id: str, shown: str) -> None:
            if entity_id not in out and len(out) < limit:
                entity = self.entities[entity_id]
                label = entity.name if shown == entity.name else f"{shown} → {entity.name}"
                out[entity_id] = Choice(label[:100], _value(entity), entity)

        # Exact names first, then whole-name prefixes, then word prefixes ("zuck" -> Zuckerberg).
        prefix_hits: list[tuple[int, str, str]] = []
        for kind_ in kinds:
            names = self._names[kind_]
            for i in names.starting(normal):
                if len(prefix_hits) >= 4 * limit:
                    break
                whole = names.normals[i]
                tier = 0 if whole == normal else 1 if whole.startswith(normal) else 2
                prefix_hits.append((tier, names.owners[i], names.shown[i]))
        for _, owner, shown in sorted(
            prefix_hits, key=lambda h: (h[0], -self.entities[h[1]].mentions, h[2].casefold())
        ):
            offer(owner, shown)
        # Fuzzy suggestions only once a few letters are typed: WRatio's substring branch scores
        # "kes" 72 against "amazon web services", and a prefix already covers short input.
        if len(out) < limit and len(compact(normal)) >= MIN_FUZZY_CHARS:
            for kind_ in kinds:
                names = self._names[kind_]
                subset = names.candidates(normal)
                for _, _, j in process.extract(
                    normal,
                    names.pick(names.normals, subset),
                    scorer=fuzz.WRatio,
                    limit=limit,
                    score_cutoff=75,
                ):
                    i = j if subset is None else subset[j]
                    offer(names.owners[i], names.shown[i])
        return _told_apart(list(out.values()))

    # ------------------------------------------------------------------ mentions in free text

    def exact(self, normal: str, kind: EntityKind | None = None) -> list[EntityRef]:
        """Entities whose name or alias has exactly this normal form (or its compact/sorted key)."""
        ids = set().union(*(self._exact.get(k, ()) for k in _keys(normal)))
        return _rank(self.entities[i] for i in ids if kind is None or self.entities[i].kind == kind)

    def surname(self, normal: str) -> list[EntityRef]:
        """People whose surname is exactly this word."""
        return _rank(self.entities[i] for i in self._exact.get("~" + normal, ()))


def _keys(normal: str) -> tuple[str, ...]:
    """The exact-table keys typed text is looked up by.

    The exact-table keys typed text is looked up by: its words run together ("open ai" ->
    openai) only when they are not filler, which would join into any initialism ("a a" -> AA).
    """
    if is_filler(normal):
        return (normal, sorted_words(normal))
    return (normal, compact(normal), sorted_words(normal))


def _value(entity: EntityRef) -> str:
    """What a choice sends back: the id (Discord allows 100 characters), else the name."""
    return entity.id if len(entity.id) <= 100 else entity.name[:100]


def _told_apart(choices: list[Choice]) -> list[Choice]:
    """Namesakes among the choices get their hint (role or description) beside the name."""
    seen = Counter(c.label for c in choices)
    return [
        dataclasses.replace(c, label=f"{c.label} — {c.entity.hint}"[:100])
        if seen[c.label] > 1 and c.entity.hint
        else c
        for c in choices
    ]


def _equal_in_slices(a: Sequence[object], b: Sequence[object], size: int = 5_000) -> bool:
    """Whether two lists are equal (==), compared a slice at a time.

    One == of two lists of 35,000 tuples of fresh strings is one C call holding the GIL (5 ms
    at 10,000 articles, 40 ms at ten times the names): slices let the event loop in between.
    """
    return len(a) == len(b) and all(
        a[i : i + size] == b[i : i + size] for i in range(0, len(a), size)
    )


def _sorted_in_slices(strings: list[str]) -> list[str]:
    """sorted(strings), as one sort per two-character start, joined in order.

    One sort of 80,000 strings (300,000+ at 100,000 articles) is one C call holding the GIL
    for 20-300 ms, a stall of the event loop while a thread builds the next snapshot; the
    slices are small sorts, with bytecode between them where the loop gets its turn.
    """
    slices: dict[str, list[str]] = {}
    for text in strings:
        slices.setdefault(text[:2], []).append(text)
    ordered: list[str] = []
    for start in sorted(slices):
        # Strings compare by code point: those starting with a smaller two-character prefix
        # (or a one-character string before its longer extensions) sort first.
        ordered.extend(sorted(slices[start]))
    return ordered


def _trigrams(normal: str) -> set[str]:
    padded = f" {normal} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@dataclass(frozen=True)
class _NameTables:
    """The name part of an index, shared by versions with the same names.

    The name part of an index (never changed once built, so shared by the indexes of versions
    with the same names), the (id, kind, name, aliases) it was built from, and the normal form of
    each name and alias, for the next build (normalize is most of an index build).
    """

    key: list[tuple[str, EntityKind, str, tuple[str, ...]]]
    exact: dict[str, tuple[str, ...]]
    names: dict[EntityKind, _Names]
    normals: dict[str, str]


WORD_TWO_EDITS = 5  # letters from which a word not itself a stored word may hold two typos
NEAR_CANDIDATES = 8  # the best fuzzy-scored entities, judged for typos
SURNAME_CANDIDATES = 400  # people with a typed surname judged for a short first name


_LEGAL = tuple(sorted(LEGAL_SUFFIXES))


def _legal_variants(bare: str) -> tuple[str, ...]:
    """Exact keys of a name without its legal form, and with each legal form after it."""
    return (*_keys(bare), *(f"{bare} {suffix}" for suffix in _LEGAL))


@functools.lru_cache(maxsize=1 << 16)
def _normal_of(name: str) -> str:
    return normalize(name)


def _normal_name(entity: EntityRef) -> str:
    """The normal form of an entity's own name (cached: judged again and again)."""
    return _normal_of(entity.name)


def _word_edits(typed: str, stored: str, known: Set[str]) -> int | None:
    """Typos between a typed word and a stored one, or None when too many.

    Typos between a typed word and a stored one (a transposition is one, as people count),
    or None when there are more than the stored word allows (calibrated on the dev pool): none
    up to 2 letters, bar a swap or a doubled letter ("IA" or "AII" for "AI"); one up to 4
    letters, or when the typed word is itself a word of some stored name ("Clear" is no typo
    of "Cedar"); else two from 5 letters ("Cluu" for "Cloud").
    """
    if typed == stored:
        return 0
    size = len(stored)
    if size <= 2:
        swapped = len(typed) == size and sorted(typed) == sorted(stored)
        doubled = typed in {stored[0] + stored, stored + stored[-1]}
        return 1 if swapped or doubled else None
    allowed = 1 if size < WORD_TWO_EDITS or typed in known else 2
    edits = OSA.distance(typed, stored, score_cutoff=allowed)
    return edits if edits <= allowed else None


def _typo_edits(typed: str, stored: str, known: Set[str]) -> int | None:
    """Typos between typed text and a stored name, judged word by word.

    Typos between typed text and a stored name judged word by word, in the stored order or
    (two words) swapped; None when a word is added, dropped or beyond a typo, or when the whole
    holds more than 1 typo (names under 8 letters) or 2.
    """
    typed_words, stored_words = typed.split(), stored.split()
    if len(typed_words) != len(stored_words):
        return None
    budget = 1 if len(compact(stored)) < 8 else 2
    orders = [stored_words, stored_words[::-1]] if len(stored_words) == 2 else [stored_words]
    best: int | None = None
    for order in orders:
        total = 0
        for a, b in zip(typed_words, order, strict=True):
            edits = _word_edits(a, b, known)
            if edits is None:
                break
            total += edits
        else:
            if total <= budget and (best is None or total < best):
                best = total
    return best


def _may_be_short(word: str) -> bool:
    """Whether a typed first word may be a short given name: stop words ("the wang") are not."""
    return len(word) >= 2 and (word not in STOP_WORDS or word in SHORT_FORMS)


def _short_first_edits(typed: str, stored: str, known: Set[str]) -> int | None:
    """Typos of a short first name: "raj sheth" for Rajesh Sheth.

    A short form or prefix of the given name (one edit) with
    the surname as stored or one typo away.
    """
    typed_words, stored_words = typed.split(), stored.split()
    if len(typed_words) != 2 or len(stored_words) < 2:
        return None
    first, last = typed_words
    if not _may_be_short(first) or not is_short_form(first, stored_words[0]):
        return None
    edits = _word_edits(last, stored_words[-1], known)
    return None if edits is None or edits > 1 else 1 + edits


def _name_cost(
    normal: str, bare: str, stored: str, kind: EntityKind, known: Set[str]
) -> int | None:
    """How far the text is from a stored name, or None when it is no typo of it.

    How far the text is from a stored name: two per typo, one more when only the forms
    without their legal forms agree ("Prairie Data" is nearer Prairie Data than Prairie Data
    PLC); None when it is not a typo of it. ``known``: the typed words that are stored words.
    """
    costs = []
    edits = _typo_edits(normal, stored, known)
    if edits is not None:
        costs.append(2 * edits)
    stored_bare = without_legal_suffix(stored)
    if bare != normal or stored_bare != stored:
        edits = _typo_edits(bare, stored_bare, known)
        if edits is not None:
            costs.append(2 * edits + 1)
    if kind == "person":
        edits = _short_first_edits(normal, stored, known)
        if edits is not None:
            costs.append(2 * edits)
    return min(costs, default=None)


def _rank(entities: Iterable[EntityRef]) -> list[EntityRef]:
    return sorted(entities, key=lambda e: (-e.mentions, e.name.casefold(), e.id))
