"""Property-based fuzzing of the loader: generated TOML and generated folders never crash it.

Whatever a knowledge folder holds (odd TOML: deep, wide, odd numbers and keys; article files with
random damage; FIFOs, link loops, dangling links, folders named *.toml, names that are not UTF-8,
empty files, files over the size limit), `load_directory` returns knowledge or raises
KnowledgeError, in bounded time, and every error names its file in printable text.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bot.knowledge.chars import printable
from bot.knowledge.loader import KnowledgeBase, KnowledgeError, load_directory
from tests.conftest import KNOWLEDGE, SECOND_ARTICLE
from tests.reliability.test_hostile_knowledge import bounded

SEED = next(KNOWLEDGE.glob("*.toml")).read_text(encoding="utf-8")
SECOND = SECOND_ARTICLE.read_text(encoding="utf-8")
CAP = 32 * 1024  # over the seed's size; "huge" files are just over it, to stay fast
FUZZ = settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_UNSAFE_OUT = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@contextmanager
def folder() -> Iterator[Path]:
    """A fresh knowledge folder per example (hypothesis reuses a test's tmp_path)."""
    with tempfile.TemporaryDirectory() as top:
        directory = Path(top) / "knowledge"
        directory.mkdir()
        yield directory


def load(directory: Path) -> tuple[KnowledgeBase | None, list[str]]:
    """Load ``directory``; the knowledge, or the errors, each checked to name a file in it."""
    outcome = bounded(lambda d: load_directory(d, CAP), directory)
    if isinstance(outcome, KnowledgeBase):
        for loaded in outcome.files:
            sane(loaded.content.model_dump())
        return outcome, []
    assert isinstance(outcome, KnowledgeError), repr(outcome)  # nothing else may escape
    assert outcome.errors
    names = {printable(os.fsdecode(n)) for n in os.listdir(os.fsencode(directory))}
    texts = []
    for error in outcome.errors:
        assert error.file in names or error.file == printable(str(directory)), error
        text = str(error)
        text.encode("utf-8")  # printable to a UTF-8 stdout: no lone surrogates
        assert not _UNSAFE_OUT.search(text), text
        texts.append(text)
    return None, texts


def sane(value: object) -> None:
    """Loaded knowledge holds finite numbers and text with no control character but tab and
    newline, at any depth."""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        for item in value:
            sane(item)
    elif isinstance(value, float):
        assert math.isfinite(value)
    elif isinstance(value, str):
        assert not _UNSAFE_OUT.search(value.replace("\t", "").replace("\n", "")), value


# -- generated TOML --------------------------------------------------------------------------

keys = st.one_of(
    st.sampled_from(["article", "id", "title", "people", "figures", "value", "name", "quote"]),
    st.text(min_size=0, max_size=12),
)
scalars = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(["nan", "inf", "-inf", "1e400", "9" * 4400, "0x_1", "1__0"]).map(
        lambda raw: ("raw", raw)
    ),
    st.text(max_size=40),
    st.booleans(),
    st.dates(min_value=dt.date(1, 1, 1)),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=20,
)


def toml_key(key: str) -> str:
    return key if _BARE_KEY.match(key) else toml_string(key)


def toml_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub(r"[\x00-\x1f\x7f]", lambda m: f"\\u{ord(m.group()):04x}", escaped) + '"'


def toml_value(value: object) -> str:
    """TOML text of a generated value (raw tuples are written as they are, valid or not)."""
    if isinstance(value, tuple):
        return str(value[1])
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return (
            "nan"
            if math.isnan(value)
            else ("inf" if value > 0 else "-inf")
            if math.isinf(value)
            else repr(value)
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


@st.composite
def documents(draw: st.DrawFn) -> str:
    """A TOML document: key/values at the top, tables and arrays of tables, deep nesting."""
    lines = [
        f"{toml_key(k)} = {toml_value(v)}"
        for k, v in draw(st.dictionaries(keys, values, max_size=4)).items()
    ]
    for _ in range(draw(st.integers(0, 3))):
        header = ".".join(toml_key(k) for k in draw(st.lists(keys, min_size=1, max_size=3)))
        lines.append(f"[[{header}]]" if draw(st.booleans()) else f"[{header}]")
        lines += [
            f"{toml_key(k)} = {toml_value(v)}"
            for k, v in draw(st.dictionaries(keys, values, max_size=3)).items()
        ]
    depth = draw(st.sampled_from([0, 0, 10, 400, 3000]))
    if depth:
        opener, closer = draw(st.sampled_from([("[", "]"), ("{ a = ", " }"), ("[{ a = ", " }]")]))
        lines.append(f"deep = {opener * depth}1{closer * depth}")
    return "\n".join(lines) + "\n"


@FUZZ
@given(documents())
def test_generated_toml_never_escapes_the_loader(document: str) -> None:
    with folder() as directory:
        (directory / "doc.toml").write_text(document, encoding="utf-8")
        knowledge, errors = load(directory)
        assert knowledge is None, document  # no generated document is a whole valid article
        assert all(e.startswith("doc.toml") for e in errors), errors


# -- valid-looking articles with random damage ----------------------------------------------


@st.composite
def damaged(draw: st.DrawFn) -> str:
    """The seed or second article with one to three random edits of its text."""
    text = draw(st.sampled_from([SEED, SECOND]))
    for _ in range(draw(st.integers(1, 3))):
        lines = text.split("\n")
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(
            st.sampled_from(["value", "insert", "delete", "duplicate", "truncate", "chars"])
        )
        if edit == "value" and "=" in lines[at]:
            key = lines[at].split("=", 1)[0]
            lines[at] = f"{key}= {toml_value(draw(values))}"
        elif edit == "insert":
            lines.insert(at, draw(st.text(max_size=30)))
        elif edit == "delete":
            del lines[at : at + draw(st.integers(1, 5))]
        elif edit == "duplicate":
            lines[at:at] = lines[at : at + draw(st.integers(1, 12))]
        elif edit == "truncate":
            lines = lines[:at]
        else:
            line = lines[at]
            cut = draw(st.integers(0, len(line)))
            lines[at] = line[:cut] + draw(st.text(max_size=8)) + line[cut:]
        text = "\n".join(lines)
    return text


@FUZZ
@given(damaged())
def test_damaged_articles_load_or_are_refused_by_name(text: str) -> None:
    with folder() as directory:
        (directory / "article.toml").write_text(text, encoding="utf-8")
        knowledge, errors = load(directory)
        event("loaded" if knowledge else "refused")
        assert knowledge is not None or all(e.startswith("article.toml") for e in errors)


# -- generated folders -----------------------------------------------------------------------

name_text = st.text(
    st.characters(blacklist_characters="/\x00", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=16,
)
names = st.one_of(
    name_text.map(lambda n: (n + ".toml").encode("utf-8")),
    st.binary(min_size=1, max_size=12).map(
        lambda b: b.replace(b"/", b"_").replace(b"\0", b"_") + b".toml"
    ),
    name_text.map(lambda n: n.encode("utf-8")),  # not *.toml: ignored
    st.sampled_from([b".hidden.toml", b"a.toml", b"b.toml", b"caf\xe9.toml", b"x\x1b[2J.toml"]),
)
Maker = Callable[[bytes, list[bytes]], None]  # (path, names made so far)


def _write(data: bytes) -> Maker:
    def make(path: bytes, made: list[bytes]) -> None:
        with open(path, "wb") as file:
            file.write(data)

    return make


def _link(choose: Callable[[bytes, list[bytes]], bytes]) -> Maker:
    return lambda path, made: os.symlink(choose(path, made), path)


ENTRIES: dict[str, Maker] = {
    "seed": _write(SEED.encode()),
    "second": _write(SECOND.encode()),
    "empty": _write(b""),
    "blank": _write(b" \n\t\n"),
    "latin-1": _write('[article]\ntitle = "Caf\u00e9"\n'.encode("latin-1")),
    "huge": _write(b"#" * (CAP + 1)),
    "deep": _write(b"a = " + b"[" * 5000 + b"]" * 5000),
    "fifo": lambda path, made: os.mkfifo(path),
    "folder": lambda path, made: os.mkdir(path),
    "loop": _link(lambda path, made: os.path.basename(path)),
    "dangling": _link(lambda path, made: b"missing.toml"),
    "outside": _link(lambda path, made: b"../outside.toml"),
    "parent": _link(lambda path, made: b".."),
    "to-another": _link(lambda path, made: made[-1] if made else b"nothing.toml"),
}
entries = st.lists(st.tuples(names, st.sampled_from(sorted(ENTRIES))), max_size=6)


@FUZZ
@given(entries)
def test_generated_folders_never_escape_the_loader(plan: list[tuple[bytes, str]]) -> None:
    with folder() as directory:
        (directory.parent / "outside.toml").write_text(SECOND, encoding="utf-8")
        base = os.fsencode(directory)
        made: list[bytes] = []
        for name, kind in plan:
            path = base + b"/" + name
            if name in made or name in (b".", b"..") or len(name) > 255 or os.path.lexists(path):
                continue
            ENTRIES[kind](path, made)
            made.append(name)
        knowledge, errors = load(directory)
        event(f"{len(made)} entries, {'loaded' if knowledge else f'{len(errors)} errors'}")
        if knowledge is not None:
            assert {f.name.encode() for f in knowledge.files} <= set(made)
