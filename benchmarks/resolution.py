"""How often typed names get the right answer, by kind of slip, through the real slash commands.

    python benchmarks/resolution.py --label after            # 1,000 and 10,000 articles, dev+test
    python benchmarks/resolution.py --sizes 1000 --pools dev --label try   # a quick tuning run

Separate from the latency benchmark (run.py): this one asks whether an answer is *right*. For each
size and name pool it writes knowledge with benchmarks/generate.py, opens the service on it (a
real SQLite file), draws lookups in classes (exact, case, alias, swapped words, one edit, two
edits, one transposition, a short first name, a legal form changed: all must answer; a word
dropped, added or replaced, names that look real but do not exist, and noise: none may answer)
and runs each through /company, /who-left, /stats or /person. Tune on the "dev" pool only; the
"test" pool has other given names, surnames, company stems and suffixes. Results are kept per
--label in benchmarks/results/resolution.json and written as tables to resolution.md.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sys
import tempfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import OSA

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import names as words  # noqa: E402
from benchmarks.generate import POOLS, Entity, Pool, World, generate  # noqa: E402
from bot.commands import run  # noqa: E402
from bot.models import Answer  # noqa: E402
from bot.text import compact, normalize, sorted_words, without_legal_suffix  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"

# (class, must it answer?, what the user typed); the order is the order of the tables.
CLASSES: tuple[tuple[str, bool, str], ...] = (
    ("exact", True, "the name as stored"),
    ("case", True, "lower, upper or swapped case"),
    ("alias", True, "an alias (nickname, short name, initialism)"),
    ("swapped words", True, "the words in reverse order"),
    ("one edit", True, "one letter dropped, doubled or replaced"),
    ("two edits", True, "two such slips in a name of 8+ letters"),
    ("one transposition", True, "two neighbouring letters swapped"),
    ("short first name", True, "a common short form or a prefix of the first name"),
    ("legal form changed", True, "Corp/Inc/Ltd/GmbH/… added, dropped or swapped"),
    ("word changed", False, "a company's word dropped, added or replaced"),
    ("nonexistent", False, "a real-looking name that is no one's (not a typo of one)"),
    ("noise", False, "stop words and single letters"),
)
MUST_ANSWER = {name: must for name, must, _ in CLASSES}
OUTCOMES = ("right", "right, closest", "asked, right first", "asked, other", "wrong", "not found")
COMMANDS = {"company": ("company", "who-left", "stats"), "person": ("person", "who-left")}
NOISE = ("a a a a", "the the", "a", "i i i", "of the", "x y z", "and and", "the a", "a b c d")


@dataclass(frozen=True)
class Lookup:
    """One typed name, the command it goes to, and who it means (None: no one)."""

    cls: str
    text: str
    kind: str
    command: str
    expected: str | None  # the entity's name


# ---------------------------------------------------------------------- drawing lookups


def keys(text: str) -> set[str]:
    """The forms under which typed text names a stored name exactly (legal forms ignored)."""
    normal = normalize(text)
    bare = without_legal_suffix(normal)
    return {k for n in (normal, bare) for k in (n, compact(n), sorted_words(n)) if k}


def _legal(word: str) -> bool:
    return normalize(word) in {normalize(f) for f in words.LEGAL_FORMS} | {"corporation"}


class _Draw:
    def __init__(self, world: World, pool: Pool, seed: str) -> None:
        self.rng = random.Random(seed)
        self.pool = pool
        known = world.known()
        self.owners: dict[str, set[str]] = {}
        for entity in known:
            for shown in (entity.name, *entity.aliases):
                for key in keys(shown):
                    self.owners.setdefault(key, set()).add(entity.id)
        normals = Counter(normalize(e.name) for e in known)
        # Namesakes are a choice to make, not a name to get right: never a target.
        self.by_kind = {
            kind: [e for e in known if e.kind == kind and normals[normalize(e.name)] == 1]
            for kind in ("person", "company")
        }
        self.normals = {
            kind: [normalize(e.name) for e in known if e.kind == kind]
            for kind in ("person", "company")
        }
        self.first_by_last: dict[str, set[str]] = {}
        for e in known:
            if e.kind == "person":
                first, _, last = normalize(e.name).partition(" ")
                self.first_by_last.setdefault(last, set()).add(first)
        self.skipped: Counter[str] = Counter()

    def names_other(self, text: str, entity: Entity | None) -> bool:
        """Whether the text is exactly the name or alias of someone else (or anyone, for None)."""
        owners = set().union(*(self.owners.get(k, set()) for k in keys(text)))
        return bool(owners - ({entity.id} if entity else set()))

    def closer_other(self, text: str, entity: Entity) -> bool:
        """Whether another stored name is at least as few edits from the text as the target:
        then "did you mean" is the right answer, and the lookup has no single truth."""
        normal = normalize(text)
        mine = OSA.distance(normal, normalize(entity.name))
        mine = min([mine, *(OSA.distance(normal, normalize(a)) for a in entity.aliases)])
        hits = process.extract(
            normal,
            self.normals[entity.kind],
            scorer=OSA.distance,
            score_cutoff=mine,
            limit=3,
        )
        return any(name != normalize(entity.name) for name, _, _ in hits)

    def typo_close(self, text: str, kind: str) -> bool:
        """Whether the text is within two edits of a stored name: then it may well be a typo."""
        return bool(
            process.extractOne(
                normalize(text), self.normals[kind], scorer=OSA.distance, score_cutoff=2
            )
        )

    def edit(self, text: str, op: str) -> str:
        chars = list(text)
        letters = [i for i, c in enumerate(chars) if c.isalpha() and i > 0]
        i = self.rng.choice(letters)
        if op == "drop":
            del chars[i]
        elif op == "double":
            chars.insert(i, chars[i])
        elif op == "replace":
            chars[i] = self.rng.choice([c for c in "aeioulnrstmdk" if c != chars[i].lower()])
        else:  # swap with the next letter
            pairs = [j for j in letters if j + 1 < len(chars) and chars[j + 1].isalpha()]
            pairs = [j for j in pairs if chars[j].lower() != chars[j + 1].lower()]
            if not pairs:
                return text
            j = self.rng.choice(pairs)
            chars[j], chars[j + 1] = chars[j + 1], chars[j]
        return "".join(chars)

    def lookup(self, cls: str) -> Lookup | None:
        """A lookup of the class, or None when this draw cannot make one."""
        rng = self.rng
        if cls == "noise":
            text = rng.choice(NOISE)
            kind = rng.choice(("person", "company"))
            return Lookup(cls, text, kind, rng.choice(COMMANDS[kind]), None)
        kind = {"word changed": "company", "legal form changed": "company"}.get(cls)
        kind = kind or (
            "person" if cls == "short first name" else rng.choice(("person", "company"))
        )
        if cls == "nonexistent":
            text = self.stranger(kind)
            if text is None:
                return None
            return Lookup(cls, text, kind, rng.choice(COMMANDS[kind]), None)
        entity = rng.choice(self.by_kind[kind])
        text = self.variant(cls, entity)
        if text is None:
            return None
        expected = entity.name if MUST_ANSWER[cls] else None
        if self.names_other(text, entity if MUST_ANSWER[cls] else None):
            self.skipped[cls] += 1
            return None
        if cls in {"one edit", "two edits", "one transposition"} and self.closer_other(
            text, entity
        ):
            self.skipped[cls] += 1
            return None
        return Lookup(cls, text, kind, rng.choice(COMMANDS[kind]), expected)

    def variant(self, cls: str, e: Entity) -> str | None:
        rng, name = self.rng, e.name
        parts = name.split()
        if cls == "exact":
            return name
        if cls == "case":
            return rng.choice((name.lower(), name.upper(), name.swapcase()))
        if cls == "alias":
            return rng.choice(e.aliases) if e.aliases else None
        if cls == "swapped words":
            return " ".join(reversed(parts)) if len(parts) == 2 else None
        if cls == "one edit":
            return self.edit(name, rng.choice(("drop", "double", "replace")))
        if cls == "two edits":
            if len(compact(normalize(name))) < 8:
                return None
            text = name
            for _ in range(2):
                text = self.edit(text, rng.choice(("drop", "double", "replace")))
            return text if OSA.distance(normalize(text), normalize(name)) == 2 else None
        if cls == "one transposition":
            text = self.edit(name, "swap")
            return text if OSA.distance(normalize(text), normalize(name)) == 1 else None
        if cls == "short first name":
            return self.short_first(e)
        if cls == "legal form changed":
            if _legal(parts[-1]):
                others = [f for f in words.LEGAL_FORMS if normalize(f) != normalize(parts[-1])]
                return " ".join(parts[:-1] + rng.choice([[], [rng.choice(others)]]))
            return f"{name} {rng.choice(words.LEGAL_FORMS)}"
        if cls == "word changed":
            return self.word_changed(parts)
        raise ValueError(cls)

    def short_first(self, e: Entity) -> str | None:
        first, last = e.name.split(" ", 1)
        short = self.pool.nicknames.get(first)
        if short is None or self.rng.random() < 0.4:
            if len(first) < 6:
                return None
            short = first[: self.rng.randint(3, len(first) - 2)]
        # Another same-surname person whose given name the short form also fits makes a tie.
        fits = [
            f
            for f in self.first_by_last.get(normalize(last), set())
            if f.startswith(normalize(short)) or f == normalize(first)
        ]
        text = f"{short} {last}"
        # So does a stored name one typo from the short form ("Ana Bader" for "Ada Bader").
        if len(fits) != 1 or process.extractOne(
            normalize(text), self.normals["person"], scorer=OSA.distance, score_cutoff=1
        ):
            self.skipped["short first name"] += 1
            return None
        return text

    def word_changed(self, parts: list[str]) -> str | None:
        rng, pool = self.rng, self.pool
        legal = parts[-1:] if _legal(parts[-1]) else []
        core = parts[: len(parts) - len(legal)]
        how = rng.choice(("drop", "add", "replace"))
        if how == "drop":
            if len(core) < 2:
                return None
            del core[rng.randrange(len(core))]
        elif how == "add":
            if rng.random() < 0.5:
                core.insert(0, rng.choice(pool.prefixes))
            else:
                core.append(rng.choice(pool.suffixes))
        else:
            if len(core) < 2:
                return None
            core[-1] = rng.choice([s for s in pool.suffixes if s != core[-1]])
        return " ".join(core + legal)

    def stranger(self, kind: str) -> str | None:
        rng, pool = self.rng, self.pool
        if kind == "person":
            first, last = rng.choice(pool.first_names), rng.choice(pool.last_names)
            text = f"{first} {last}"
            # A prefix of a namesake's first name is a legitimate short form, not a stranger.
            if any(
                f.startswith(normalize(first)) for f in self.first_by_last.get(normalize(last), ())
            ):
                return None
        else:
            text = f"{rng.choice(pool.stems)} {rng.choice(pool.suffixes)}"
            if rng.random() < 0.3:
                text = f"{rng.choice(pool.prefixes)} {text}"
        if self.names_other(text, None) or self.typo_close(text, kind):
            self.skipped["nonexistent"] += 1
            return None
        return text


def build_lookups(
    world: World, pool: Pool, seed: str, per_class: int
) -> tuple[list[Lookup], Counter[str]]:
    """`per_class` lookups of every class (fewer if the world cannot make them)."""
    draw = _Draw(world, pool, seed)
    out: list[Lookup] = []
    for cls, _, _ in CLASSES:
        made = 0
        for _ in range(per_class * 30):
            if made >= per_class:
                break
            lookup = draw.lookup(cls)
            if lookup is not None:
                out.append(lookup)
                made += 1
    return out, draw.skipped


# ---------------------------------------------------------------------- judging answers


def answered(answer: Answer, lookup: Lookup) -> str | None:
    """The name of the entity the answer is about, or None when it is about no one."""
    if answer.status not in {"ok", "empty"}:
        return None
    title = answer.title
    for prefix in ("Departures from ", "Departures by ", "Figures about "):
        if title.startswith(prefix):
            title = title[len(prefix) :]
            break
    # /stats falls back to a word search when the topic names no one: 'Figures about “…”'.
    return None if title.startswith("“") else title


def outcome(answer: Answer, lookup: Lookup) -> str:
    """One of OUTCOMES."""
    name = answered(answer, lookup)
    noted = bool(getattr(answer, "notes", None))
    if name is not None:
        if lookup.expected is not None and name == lookup.expected:
            return "right, closest" if noted else "right"
        return "wrong"
    if answer.status == "ambiguous":
        first = answer.suggestions[0].name if answer.suggestions else None
        return "asked, right first" if first == lookup.expected else "asked, other"
    return "not found"


def correct(cls: str, counts: Counter[str]) -> int:
    """Lookups answered right: the right entity, or for the must-not-answer classes no entity."""
    if MUST_ANSWER[cls]:
        return counts["right"] + counts["right, closest"]
    return sum(counts.values()) - counts["wrong"]


async def measure(
    size: int, pool_name: str, per_class: int, seed: int, show: Callable[[str], None]
) -> dict[str, Any]:
    """Every class's outcome counts for one corpus, and the misses to read."""
    from bot.service import TalentService
    from bot.store import Store

    with tempfile.TemporaryDirectory(prefix=f"talent-names-{size}-") as tmp:
        work = Path(tmp)
        made = generate(work / "knowledge", size, seed, pool_name)
        lookups, skipped = build_lookups(
            made.world, POOLS[pool_name], f"lookups-{pool_name}-{seed}-{size}", per_class
        )
        table: dict[str, Counter[str]] = {cls: Counter() for cls, _, _ in CLASSES}
        misses: list[dict[str, str | None]] = []
        async with Store(str(work / "names.db")) as store:
            service = TalentService(store, work / "knowledge")
            report = await service.start()
            assert report is not None and report.ok, report
            for lookup in lookups:
                key = {"who-left": lookup.kind, "stats": "topic"}.get(lookup.command, "name")
                answer = await run(service, lookup.command, **{key: lookup.text})
                result = outcome(answer, lookup)
                table[lookup.cls][result] += 1
                good = (
                    result in {"right", "right, closest"}
                    if MUST_ANSWER[lookup.cls]
                    else result != "wrong"
                )
                if not good:
                    misses.append(
                        {
                            "class": lookup.cls,
                            "typed": lookup.text,
                            "command": lookup.command,
                            "expected": lookup.expected,
                            "outcome": result,
                            "got": answered(answer, lookup)
                            or ", ".join(s.name for s in answer.suggestions),
                        }
                    )
    total = sum(correct(c, n) for c, n in table.items())
    count = sum(sum(n.values()) for n in table.values())
    show(f"   {size:,} articles, {pool_name}: {total}/{count} right ({100 * total / count:.1f}%)")
    return {
        "size": size,
        "pool": pool_name,
        "classes": {c: dict(n) for c, n in table.items()},
        "skipped": dict(skipped),
        "misses": misses,
    }


# ---------------------------------------------------------------------- report


def _table(run_: dict[str, Any]) -> list[str]:
    head = "| class | n | " + " | ".join(OUTCOMES) + " | correct |"
    lines = [head, "|---|" + "---:|" * (len(OUTCOMES) + 2)]
    tot_n = tot_right = 0
    must_n = must_right = 0
    for cls, must, _ in CLASSES:
        counts = Counter(run_["classes"].get(cls, {}))
        n = sum(counts.values())
        if not n:
            continue
        right = correct(cls, counts)
        tot_n, tot_right = tot_n + n, tot_right + right
        if must:
            must_n, must_right = must_n + n, must_right + right
        name = cls if must else f"{cls} (must not answer)"
        cells = " | ".join(str(counts[o]) for o in OUTCOMES)
        lines.append(f"| {name} | {n} | {cells} | {100 * right / n:.1f}% |")
    wrong = sum(Counter(v)["wrong"] for v in run_["classes"].values())
    lines.append(
        f"| **all** | {tot_n} | | | | | {wrong} | | **{100 * tot_right / max(tot_n, 1):.1f}%** |"
    )
    lines.append("")
    lines.append(
        f"Names that must answer: {100 * must_right / max(must_n, 1):.1f}% right; "
        f"confident answers about a different or nonexistent entity: {wrong}."
    )
    return lines


SUMMARY_CLASSES = ("one edit", "one transposition", "two edits", "short first name")


def summary(saved: dict[str, Any]) -> list[str]:
    """One row per label, size and pool: how many names that must answer did, the typo classes,
    and the confident wrong answers (the README shows this table)."""
    head = ["code", "articles", "pool", "must answer: right", *SUMMARY_CLASSES, "confident wrong"]
    lines = ["| " + " | ".join(head) + " |", "|---|---:|---|" + "---:|" * (len(head) - 3)]
    for label, entry in saved.items():
        for run_ in entry["runs"]:
            classes = {c: Counter(n) for c, n in run_["classes"].items()}
            must = [c for c, m, _ in CLASSES if m and c in classes]
            right = sum(correct(c, classes[c]) for c in must)
            total = sum(sum(classes[c].values()) for c in must)

            def pct(cls: str, classes: dict[str, Counter[str]] = classes) -> str:
                n = sum(classes[cls].values())
                return f"{100 * correct(cls, classes[cls]) / max(n, 1):.1f}%"

            wrong = sum(n["wrong"] for n in classes.values())
            cells = [
                label,
                f"{run_['size']:,}",
                run_["pool"],
                f"{100 * right / max(total, 1):.1f}%",
            ]
            cells += [pct(c) for c in SUMMARY_CLASSES] + [str(wrong)]
            lines.append("| " + " | ".join(cells) + " |")
    return lines


def write_markdown(saved: dict[str, Any], path: Path) -> None:
    """Every label's tables, newest label last."""
    out = [
        "# Name resolution accuracy",
        "",
        "Made by `python benchmarks/resolution.py` (see its docstring). Lookups are typed into "
        "/company, /who-left, /stats and /person against knowledge from `benchmarks/generate.py`; "
        "the **dev** pool is what the matching rules were tuned on, the **test** pool (other "
        "given names, surnames, company stems and suffixes) was not looked at while tuning.",
        "",
        "Outcomes: *right* answers the meant entity; *right, closest* does so with the note "
        "“Showing X, the closest name to …”; *asked* is a “did you mean” (with the meant one "
        "first, or not); *wrong* is a confident answer about someone else; *not found* says so. "
        "For the classes that must not answer, everything but *wrong* is correct. Lookups whose "
        "typo lands as close to another stored name as to its own, or that spell another "
        "entity's name exactly, are not drawn (no single right answer).",
        "",
        "Classes: " + "; ".join(f"*{c}*: {d}" for c, _, d in CLASSES) + ".",
    ]
    out += ["", "## Summary", "", *summary(saved)]
    for label, entry in saved.items():
        out += [
            "",
            f"## {label}",
            "",
            f"Measured {entry['generated']}; {entry['note']}".rstrip("; "),
        ]
        for run_ in entry["runs"]:
            out += ["", f"### {run_['size']:,} articles, {run_['pool']} pool", "", *_table(run_)]
    path.write_text("\n".join(out) + "\n", encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, keep the result under --label, rewrite the tables."""
    parser = argparse.ArgumentParser(description="talent-bot name-resolution accuracy")
    parser.add_argument("--sizes", default="1000,10000")
    parser.add_argument("--pools", default="dev,test")
    parser.add_argument("--per-class", type=int, default=150)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--label", default="latest", help="the name this run is kept under")
    parser.add_argument("--note", default="", help="one line saying what was measured")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--misses", type=int, default=0, help="print this many misses per run")
    args = parser.parse_args(argv)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    pools = [p.strip() for p in args.pools.split(",") if p.strip()]
    runs = []
    for size in sizes:
        for pool in pools:
            result = asyncio.run(measure(size, pool, args.per_class, args.seed, print))
            for miss in result["misses"][: args.misses]:
                print("     ", miss)
            runs.append(result)
    args.out.mkdir(parents=True, exist_ok=True)
    store = args.out / "resolution.json"
    saved = json.loads(store.read_text(encoding="utf-8")) if store.exists() else {}
    saved[args.label] = {
        "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "note": args.note,
        "runs": runs,
    }
    store.write_text(json.dumps(saved, indent=1) + "\n", encoding="utf-8")
    write_markdown(saved, args.out / "resolution.md")
    print(f"wrote {store} and {args.out / 'resolution.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
