"""Knowledge directory -> one validated KnowledgeBase, or a report naming every error.

Nothing is half-loaded: if any file has any error, the caller gets the errors and no knowledge,
so the bot keeps serving what it had.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from bot.knowledge.chars import describe, first_unsafe, printable
from bot.knowledge.facts import KINDS
from bot.knowledge.file import FileModel, KnowledgeFile
from bot.knowledge.locate import Locator, field_path
from bot.knowledge.schema import UNDISCLOSED, EntityKind, Fact, RefTarget, Role
from bot.text import Normals

log = logging.getLogger(__name__)

DEFAULT_MAX_FILE_BYTES = 1024 * 1024
# A 1 MB file can hold half a million errors; nobody reads past the first hundred, and locating
# and printing the rest would take seconds.
MAX_ERRORS_PER_FILE = 100

_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")


@dataclass(frozen=True)
class LoadError:
    """One problem in one file: where it is and what is wrong."""

    file: str
    message: str
    field: str | None = None
    line: int | None = None

    def __post_init__(self) -> None:
        # File names come from the disk and field names from the file's keys: either may hold
        # bytes that are not UTF-8 or characters that rewrite a terminal, so neither is kept raw.
        for key in ("file", "message", "field"):
            value = getattr(self, key)
            if value is not None:
                object.__setattr__(self, key, printable(value))

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return (
            f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"
        )


class KnowledgeError(Exception):
    """Raised with every error found, so one run of `check` shows them all."""

    def __init__(self, errors: list[LoadError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} error(s) in the knowledge files")


@dataclass(frozen=True)
class EntityRecord:
    """A person or company merged across every file that declares it."""

    id: str
    kind: EntityKind
    name: str
    aliases: tuple[str, ...]
    parent: str | None = None
    description: str | None = None
    roles: tuple[tuple[Role, str], ...] = ()  # (role, article id that reports it)
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadedFile:
    """One knowledge file as loaded: its name, the sha256 of its bytes and its validated content."""

    name: str
    sha256: str
    content: KnowledgeFile


@dataclass(frozen=True)
class KnowledgeBase:
    """A loaded knowledge directory: its files, their entities by id, and its version digest."""

    files: tuple[LoadedFile, ...]
    entities: dict[str, EntityRecord]
    version: str

    def counts(self) -> dict[str, int]:
        """Articles, people, companies and facts by kind (their sections' names), for summaries."""
        kinds = [e.kind for e in self.entities.values()]
        return {
            "articles": len(self.files),
            "people": kinds.count("person"),
            "companies": kinds.count("company"),
            **{
                kind.SECTION: sum(len(f.content.of_kind(kind)) for f in self.files)
                for kind in KINDS
            },
        }


@dataclass
class _Raw:
    """One file as read.

    Its text is let go once parsed (10,000 files of text would otherwise stay in memory through the
    whole load); the text is only needed again to locate an error.
    """

    name: str
    path: Path
    sha256: str
    text: str
    cap: int
    data: bytes | None = None  # the bytes of a file given in memory (an override), not on disk
    _locator: Locator | None = field(default=None, repr=False)

    @property
    def locator(self) -> Locator:
        """Where each table and key of the file is, read on the first error located."""
        if self._locator is None:
            self._locator = Locator((self.text or self._reread()).splitlines())
        return self._locator

    def _reread(self) -> str:
        """The text again if the file still holds the bytes parsed; else none (no lines)."""
        if self.data is not None:
            return self.data.decode("utf-8").removeprefix("\ufeff")
        try:
            data = _read_regular(self.path, self.cap)
        except _UnreadableError:
            return ""
        if hashlib.sha256(data).hexdigest() != self.sha256:
            return ""
        return data.decode("utf-8").removeprefix("\ufeff")


class _ParseCache:
    """The validated contents of the last load's files, by the sha256 of their bytes.

    Validated contents of the files of the last load, by the sha256 of their bytes: a reload
    after a one-file edit parses and validates that file only (parsing is most of a load).
    """

    def __init__(self) -> None:
        self.previous: dict[str, KnowledgeFile] = {}
        self.current: dict[str, KnowledgeFile] = {}
        # Equal fields-sets of model instances shared (see Strict._compact); a few dozen, ever.
        self.context: dict[str, Any] = {"field_sets": {}}

    def parse(self, raw: _Raw, errors: list[LoadError]) -> KnowledgeFile | None:
        # current too: a scan (Loader.article_files) may have parsed it earlier in this load.
        content = self.current.get(raw.sha256)
        if content is None:
            content = self.previous.get(raw.sha256)
        if content is None:
            content = _parse(raw, errors, self.context)
        if content is not None:
            self.current[raw.sha256] = content
        return content

    def rotate(self) -> None:
        """Keep only the files of the load just finished."""
        self.previous, self.current = self.current, {}


class Loader:
    """A loader of one knowledge directory that reuses what the last load worked out.

    Loads a knowledge directory again and again, each load reusing the work of the one before
    (files validated, names normalised) for what did not change.

    Whoever reloads owns one: a ThreadLoader, or the worker process. What it keeps is the last
    load's, never a module's, so two loaders (two services, two tests) never share it; a Loader
    is used by one load at a time (the service's reload lock sees to that).
    """

    def __init__(self) -> None:
        self._parsed = _ParseCache()
        self._normal = Normals()
        # The last knowledge validated whole: a folder byte for byte the same loads as it again
        # (the reload right after a desk check, or a /reload with nothing changed).
        self._last: KnowledgeBase | None = None

    def load(
        self,
        directory: Path,
        max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
        overrides: Mapping[str, bytes | None] | None = None,
    ) -> KnowledgeBase:
        """load_directory() with what this loader's last load validated."""
        return load_directory(directory, max_file_bytes, self, overrides)

    def article_files(
        self, directory: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES
    ) -> dict[str, LoadedFile]:
        """Article id -> the first file (by name) that holds it, of the files that validate.

        Reads and hashes every file but parses only those this loader has not seen (the next
        load reuses them), so it costs a fraction of a load. Raises OSError when the directory
        cannot be listed.
        """
        root = Path(os.path.realpath(directory))
        found: dict[str, LoadedFile] = {}
        for path in knowledge_files(directory):
            ignored: list[LoadError] = []
            raw = _read(path, root, max_file_bytes, ignored)
            content = None if raw is None else self._parsed.parse(raw, ignored)
            if raw is not None and content is not None:
                found.setdefault(content.article.id, LoadedFile(path.name, raw.sha256, content))
        return found


def knowledge_files(directory: Path) -> list[Path]:
    """The *.toml entries directly inside the directory (of any type), in a stable order.

    Raises OSError when the directory cannot be listed, which glob() would hide as no files.
    """
    with os.scandir(directory) as entries:
        names = [e.name for e in entries if e.name.endswith(".toml")]
    return [directory / name for name in sorted(names) if not name.startswith(".")]


def version_of(contents: Iterable[tuple[str, bytes]]) -> str:
    """A short hash of file names and bytes: equal versions mean identical knowledge."""
    return _version_of_digests((name, hashlib.sha256(data).hexdigest()) for name, data in contents)


def _version_of_digests(digests: Iterable[tuple[str, str]]) -> str:
    """version_of() from each file's name and sha256 hex digest (names are unique in a folder)."""
    digest = hashlib.sha256()
    for name, sha in sorted(digests):
        digest.update(os.fsencode(name) + b"\0" + bytes.fromhex(sha))
    return digest.hexdigest()[:16]


def directory_version(directory: Path, max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> str | None:
    """The version the directory would load as, or None, read without parsing.

    The version the directory would load as, without parsing; None if it cannot be read,
    holds no knowledge file, or holds one that load_directory() could not read either.
    """
    try:
        paths = knowledge_files(directory)
        root = Path(os.path.realpath(directory))
        contents = [(p.name, _read_regular(_target(p, root), max_file_bytes)) for p in paths]
    except (OSError, _UnreadableError):
        return None
    return version_of(contents) if contents else None


def load_directory(
    directory: Path,
    max_file_bytes: int = DEFAULT_MAX_FILE_BYTES,
    loader: Loader | None = None,
    overrides: Mapping[str, bytes | None] | None = None,
) -> KnowledgeBase:
    """Read, parse and validate every file; raise KnowledgeError listing every problem.

    No exception but KnowledgeError leaves it. A folder that cannot be listed, or that holds no
    knowledge file, is an error too: loading it would replace every article with nothing.
    ``loader`` lends what its last load validated (and keeps this load's); without one, every
    file is validated afresh. ``overrides`` validates the folder as it would be with some files
    changed, added (name -> bytes) or removed (name -> None), without writing anything.
    """
    loader = loader or Loader()
    overrides = overrides or {}
    try:
        paths = [p for p in knowledge_files(directory) if p.name not in overrides]
        paths += [directory / n for n, data in overrides.items() if data is not None]
        paths.sort(key=lambda p: p.name)
    except (FileNotFoundError, NotADirectoryError):
        raise KnowledgeError([LoadError(str(directory), "is not a directory")]) from None
    except OSError as exc:
        message = f"cannot be listed: {exc.strerror or exc}"
        raise KnowledgeError([LoadError(str(directory), message)]) from None
    if not paths:
        message = "has no knowledge files (*.toml); refusing to replace the knowledge with none"
        raise KnowledgeError([LoadError(str(directory), message)])
    errors: list[LoadError] = []
    root = Path(os.path.realpath(directory))
    raws: list[_Raw] = []
    parsed: list[tuple[_Raw, KnowledgeFile]] = []
    # One file at a time, from bytes to validated content, so only one file's text is in memory.
    for path in paths:
        try:
            given = overrides.get(path.name)
            if given is None:
                raw = _read(path, root, max_file_bytes, errors)
            else:
                raw = _from_bytes(path.name, path, given, max_file_bytes, errors)
            if raw is None:
                continue
            raws.append(raw)
            content = loader._parsed.parse(raw, errors)
        except Exception as exc:
            # A bug met on one odd file must not take the whole load (nor the bot) down.
            log.exception("unexpected error checking %s", printable(str(path)))
            message = f"could not be checked: unexpected {type(exc).__name__} (a bug; see the log)"
            errors.append(LoadError(path.name, message))
            continue
        raw.text = ""
        if content is not None:
            parsed.append((raw, content))
    loader._parsed.rotate()
    version = _version_of_digests((r.name, r.sha256) for r in raws)
    last = loader._last
    if not errors and last is not None and last.version == version:
        return last  # the same names and bytes: the checks across files cannot differ
    entities = _merge_entities(parsed, errors, loader._normal)
    _check_references(parsed, entities, errors, loader._normal)
    _check_links(parsed, errors)
    loader._normal.rotate()
    if errors:
        raise KnowledgeError(errors)
    files = tuple(LoadedFile(raw.name, raw.sha256, content) for raw, content in parsed)
    loader._last = KnowledgeBase(files, entities, version)
    return loader._last


class _UnreadableError(Exception):
    """Why a knowledge file cannot be read, in the words of its error."""


def read_regular(path: Path, cap: int) -> bytes:
    """The bytes of the regular file at ``path`` (at most ``cap``); ValueError saying why not.

    Never blocks on a FIFO nor opens a device: what the loader reads files with.
    """
    try:
        return _read_regular(path, cap)
    except _UnreadableError as exc:
        raise ValueError(str(exc)) from None


def _read(path: Path, root: Path, cap: int, errors: list[LoadError]) -> _Raw | None:
    name = path.name
    problem = _name_problem(name)
    if problem is not None:
        errors.append(LoadError(name, problem))
        return None
    try:
        target = _target(path, root)
        data = _read_regular(target, cap)
    except _UnreadableError as exc:
        errors.append(LoadError(name, str(exc)))
        return None
    return _from_bytes(name, target, data, cap, errors, kept=False)


def _from_bytes(
    name: str, path: Path, data: bytes, cap: int, errors: list[LoadError], *, kept: bool = True
) -> _Raw | None:
    """A file's bytes as text to parse; ``kept`` keeps them for locating errors (no file)."""
    try:
        _within(len(data), cap)
    except _UnreadableError as exc:
        errors.append(LoadError(name, str(exc)))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        errors.append(LoadError(name, "is not UTF-8 text", line=line))
        return None
    # Windows editors save UTF-8 with a byte-order mark, which tomllib rejects as a bad statement.
    text = text.removeprefix("\ufeff")
    if not text.strip():
        errors.append(LoadError(name, "is empty; a knowledge file needs at least an [article]"))
        return None
    return _Raw(name, path, hashlib.sha256(data).hexdigest(), text, cap, data if kept else None)


def _name_problem(name: str) -> str | None:
    """Why a file name cannot be stored and shown as it is, if it cannot."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return "the file name is not UTF-8; rename the file"
    char = first_unsafe(name)
    if char is not None:
        return f"the file name has the control character {describe(char)}; rename the file"
    return None


def _target(path: Path, root: Path) -> Path:
    """The file to read for ``path``: itself, or where its link leads inside the directory."""
    # Only a link can lead outside; resolving every path costs a syscall per path component.
    if not path.is_symlink():
        return path
    target = Path(os.path.realpath(path))  # a loop is left as it is, for os.stat to refuse
    if not target.is_relative_to(root):
        raise _UnreadableError("is a link to a file outside the knowledge directory")
    return target


_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
# Non-blocking, so that a FIFO swapped in after the stat cannot hang the open; never a link.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_NOCTTY | os.O_CLOEXEC


def _read_regular(path: Path, cap: int) -> bytes:
    """The bytes of the regular file at ``path``, at most ``cap`` of them.

    The bytes of the regular file at ``path``; anything else, or more than ``cap`` bytes,
    raises _UnreadableError. Never blocks: a FIFO or a device is reported, not opened.
    """
    try:
        # Opening a FIFO for reading waits for a writer, and opening a device may act on it.
        _regular(os.stat(path).st_mode)
        fd = os.open(path, _OPEN_FLAGS)
        try:
            status = os.fstat(fd)
            _regular(status.st_mode)  # what was opened, which may have been swapped in since
            _within(status.st_size, cap)
            data = _read_at_most(fd, cap + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise _UnreadableError(f"cannot be read: {exc.strerror or exc}") from exc
    _within(len(data), cap)  # it grew while being read
    return data


def _regular(mode: int) -> None:
    if not stat.S_ISREG(mode):
        kind = next((kind for test, kind in _KINDS if test(mode)), "not a file")
        raise _UnreadableError(f"cannot be read: it is {kind}, not a regular file")


def _within(size: int, cap: int) -> None:
    if size > cap:
        raise _UnreadableError(f"is {size:,} bytes; the limit is {cap:,}")


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks: list[bytes] = []
    while limit > 0 and (chunk := os.read(fd, min(limit, 1 << 20))):
        chunks.append(chunk)
        limit -= len(chunk)
    return b"".join(chunks)


def _parse(raw: _Raw, errors: list[LoadError], context: dict[str, Any]) -> KnowledgeFile | None:
    try:
        document = tomllib.loads(raw.text)
    except tomllib.TOMLDecodeError as exc:
        # Python 3.11's tomllib gives the position only inside the message text.
        found = _TOML_POSITION.search(str(exc))
        message = _TOML_POSITION.sub("", str(exc)).strip()
        line = int(found.group(1)) if found else None
        column = f" (column {found.group(2)})" if found else ""
        errors.append(LoadError(raw.name, f"is not valid TOML: {message}{column}", line=line))
        return None
    except RecursionError:
        # tomllib recurses once per level of arrays, inline tables and dotted keys.
        depth, line = raw.locator.deepest
        message = "is nested too deeply (arrays, inline tables or dotted keys inside each other)"
        errors.append(LoadError(raw.name, message, line=line + 1 if depth else None))
        return None
    except ValueError as exc:
        # tomllib lets int() refuse a number of more than 4,300 digits.
        errors.append(LoadError(raw.name, f"is not valid TOML: {str(exc).split(';')[0]}"))
        return None
    try:
        return FileModel.model_validate(document, context=context)
    except ValidationError as exc:
        locator = raw.locator
        problems = exc.errors(include_url=False, include_input=False)
        for err in problems[:MAX_ERRORS_PER_FILE]:
            loc = tuple(err["loc"])
            message = _message(err["type"], err["msg"])
            errors.append(LoadError(raw.name, message, field_path(loc), locator.line_of(loc)))
        if len(problems) > MAX_ERRORS_PER_FILE:
            more = len(problems) - MAX_ERRORS_PER_FILE
            errors.append(LoadError(raw.name, f"and {more:,} more errors like these"))
        return None


def _message(kind: str, message: str) -> str:
    if kind == "extra_forbidden":
        return "unknown key (is it misspelt?)"
    if kind == "missing":
        return "required, but missing"
    return message.removeprefix("Value error, ")


def _merge_entities(
    parsed: list[tuple[_Raw, KnowledgeFile]], errors: list[LoadError], normal: Normals
) -> dict[str, EntityRecord]:
    """Merge people and companies across files; the same id must mean the same entity."""
    merged: dict[str, EntityRecord] = {}
    declared_in: dict[str, str] = {}
    alias_owner: dict[str, str] = {}
    for raw, content in parsed:
        seen_here: set[str] = set()
        article = content.article.id
        for decl in _declarations(content):
            kind, entity_id, name, aliases = decl.kind, decl.id, decl.name, decl.aliases
            err = _ErrorAt(raw, decl.section, decl.index)
            if entity_id in seen_here:
                errors.append(err("id", f"'{entity_id}' is declared twice in this file"))
                continue
            seen_here.add(entity_id)
            old = merged.get(entity_id)
            if old is not None and (old.kind != kind or old.name != name):
                errors.append(
                    err(
                        "id",
                        f"'{entity_id}' is the {old.kind} '{old.name}' in "
                        f"{declared_in[entity_id]}, not the {kind} '{name}'",
                    )
                )
                continue
            for alias in aliases:
                key = normal(alias)
                owner = alias_owner.setdefault(key, entity_id)
                if not key:
                    errors.append(err("aliases", f"alias '{alias}' has no letters"))
                elif owner != entity_id:
                    errors.append(
                        err("aliases", f"alias '{alias}' is already claimed by '{owner}'")
                    )
            if not normal(name):
                errors.append(err("name", "the name has no letters or digits"))
            merged[entity_id] = _combine(old, decl, article)
            declared_in.setdefault(entity_id, raw.name)
    # An alias may not be another entity's name either: it would make that name ambiguous.
    for entity in merged.values():
        claimant = alias_owner.get(normal(entity.name))
        if claimant is not None and claimant != entity.id:
            errors.append(
                LoadError(
                    declared_in[claimant],
                    f"an alias of '{claimant}' is the name of '{entity.id}' ({entity.name})",
                    "aliases",
                )
            )
    return merged


@dataclass(frozen=True)
class _Declaration:
    kind: EntityKind
    section: str
    index: int
    id: str
    name: str
    aliases: list[str]
    roles: list[Role]
    parent: str | None = None
    description: str | None = None


def _declarations(content: KnowledgeFile) -> Iterator[_Declaration]:
    for i, p in enumerate(content.people):
        yield _Declaration("person", "people", i, p.id, p.name, p.aliases, p.roles)
    for i, c in enumerate(content.companies):
        yield _Declaration(
            "company", "companies", i, c.id, c.name, c.aliases, [], c.parent, c.description
        )


def _combine(old: EntityRecord | None, new: _Declaration, article: str) -> EntityRecord:
    roles = tuple((role, article) for role in new.roles)
    if old is None:
        return EntityRecord(
            new.id,
            new.kind,
            new.name,
            tuple(dict.fromkeys(new.aliases)),
            new.parent,
            new.description,
            roles,
            (article,),
        )
    return EntityRecord(
        new.id,
        new.kind,
        new.name,
        tuple(dict.fromkeys((*old.aliases, *new.aliases))),
        old.parent or new.parent,
        old.description or new.description,
        old.roles + roles,
        (*old.articles, article),
    )


@dataclass(frozen=True)
class _ErrorAt:
    """Makes errors about one declared entity, each pointing at the line of its key."""

    raw: _Raw
    section: str
    index: int

    def __call__(self, key: str, message: str) -> LoadError:
        loc = (self.section, self.index, key)
        return LoadError(self.raw.name, message, field_path(loc), self.raw.locator.line_of(loc))


def _check_references(
    parsed: list[tuple[_Raw, KnowledgeFile]],
    entities: dict[str, EntityRecord],
    errors: list[LoadError],
    normal: Normals,
) -> None:
    """Every id a file mentions must exist, with the right kind; ids of facts are unique."""
    article_ids = {content.article.id: raw.name for raw, content in reversed(parsed)}
    fact_owner: dict[str, str] = {}
    for raw, content in parsed:
        first = article_ids.get(content.article.id)
        if first != raw.name:
            errors.append(
                LoadError(
                    raw.name,
                    f"article id '{content.article.id}' is also used by {first}",
                    "article.id",
                    raw.locator.line_of(("article", "id")),
                )
            )
        for loc, ref, want in _references(content):
            if want == "article":
                ok, what = ref in article_ids, "article"
            elif want == "to" and ref == UNDISCLOSED:
                ok, what = True, "company"
            else:
                entity = entities.get(ref)
                what = "entity" if want == "any" else ("company" if want == "to" else want)
                ok = entity is not None and (what == "entity" or entity.kind == what)
            if not ok:
                errors.append(
                    LoadError(
                        raw.name,
                        f"unknown {what} '{ref}'",
                        field_path(loc),
                        raw.locator.line_of(loc),
                    )
                )
        outlets = {normal(o) for o in (*content.article.cites, content.article.publisher)}
        seen_here: set[str] = set()
        for section, index, fact_id, reported_by in _sourced(content):
            id_loc: tuple[str | int, ...] = (section, index, "id")
            if fact_id in seen_here or fact_id in fact_owner:
                also = "this file" if fact_id in seen_here else fact_owner[fact_id]
                errors.append(
                    LoadError(
                        raw.name,
                        f"fact id '{fact_id}' is used twice (also in {also})",
                        field_path(id_loc),
                        raw.locator.line_of(id_loc),
                    )
                )
            seen_here.add(fact_id)
            fact_owner.setdefault(fact_id, raw.name)
            if reported_by is not None and normal(reported_by) not in outlets:
                by_loc: tuple[str | int, ...] = (section, index, "reported_by")
                errors.append(
                    LoadError(
                        raw.name,
                        f"'{reported_by}' is not the publisher nor in article.cites",
                        field_path(by_loc),
                        raw.locator.line_of(by_loc),
                    )
                )


def _check_links(parsed: list[tuple[_Raw, KnowledgeFile]], errors: list[LoadError]) -> None:
    """Each updates/corrects/retracts names a fact that exists, fits and came first, loop-free.

    The target is of the same kind (a retraction may be of any), in an article of the same day or
    earlier, and following the links from it never comes back.
    """
    facts: dict[str, tuple[Fact, str]] = {}  # id -> (fact, its article's date)
    for _, content in parsed:
        for fact in content.all_facts():
            facts.setdefault(fact.id, (fact, content.article.published))
    for raw, content in parsed:
        for kind in KINDS:
            for i, fact in enumerate(content.of_kind(kind)):
                link = fact.link()
                if link is None:
                    continue
                how, target_id = link
                problem = _link_problem(fact, how, target_id, content.article.published, facts)
                if problem:
                    loc: tuple[str | int, ...] = (kind.SECTION, i, how)
                    errors.append(
                        LoadError(raw.name, problem, field_path(loc), raw.locator.line_of(loc))
                    )


def _link_problem(
    fact: Fact, how: str, target_id: str, published: str, facts: dict[str, tuple[Fact, str]]
) -> str | None:
    """What is wrong with one link, or None."""
    if target_id not in facts:
        return f"unknown fact '{target_id}'"
    target, target_published = facts[target_id]
    if target.id == fact.id:
        return "a fact cannot follow up itself"
    if how != "retracts" and target.KIND != fact.KIND:
        return f"a {fact.KIND} cannot {how.removesuffix('s')} the {target.KIND} '{target_id}'"
    # ISO text of any precision compares as dates do ("2025-07" before "2025-07-10").
    if target_published[: len(published)] > published:
        return f"'{target_id}' is in a later article ({target_published}) than this one"
    seen = {fact.id}
    link = target.link()
    while link is not None:
        if link[1] in seen:
            return f"the chain of updates through '{target_id}' loops back to '{link[1]}'"
        seen.add(link[1])
        following = facts.get(link[1])
        link = following[0].link() if following else None
    return None


_Want = Literal["person", "company", "to", "any", "article"]
_WANTS: dict[RefTarget, _Want] = {"person": "person", "company": "company", "entity": "any"}


def _references(content: KnowledgeFile) -> Iterator[tuple[tuple[str | int, ...], str, _Want]]:
    for i, follows in enumerate(content.article.follows):
        yield ("article", "follows", i), follows, "article"
    for i, p in enumerate(content.people):
        for j, role in enumerate(p.roles):
            if role.company:
                yield ("people", i, "roles", j, "company"), role.company, "company"
    for i, c in enumerate(content.companies):
        if c.parent:
            yield ("companies", i, "parent"), c.parent, "company"
    for kind in KINDS:
        for i, fact in enumerate(content.of_kind(kind)):
            for ref in fact.references():
                target: _Want = "to" if ref.ref.undisclosed else _WANTS[ref.ref.target]
                yield (kind.SECTION, i, *ref.key), ref.entity_id, target


def _sourced(content: KnowledgeFile) -> Iterator[tuple[str, int, str, str | None]]:
    for kind in KINDS:
        for i, fact in enumerate(content.of_kind(kind)):
            yield kind.SECTION, i, fact.id, fact.reported_by
