"""Knowledge directory -> one validated KnowledgeBase, or a report naming every error.

Nothing is half-loaded: if any file has any error, the caller gets the errors and no knowledge,
so the bot keeps serving what it had.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import stat
import tomllib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, NamedTuple

from pydantic import ValidationError

from bot.knowledge.chars import describe, first_unsafe, printable
from bot.knowledge.facts import KINDS
from bot.knowledge.file import FileModel, KnowledgeFile
from bot.knowledge.locate import Locator, field_path
from bot.knowledge.schema import UNDISCLOSED, EntityKind, RefTarget
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
    roles: tuple[tuple[RoleOf, str], ...] = ()  # (role, article id that reports it)
    articles: tuple[str, ...] = ()


@dataclass(frozen=True)
class LoadedFile:
    """One knowledge file as loaded: its name, the sha256 of its bytes, its summary and content.

    A file whose summary a Loader was given from the database (Loader.seed) is not parsed at
    all (``parsed`` None): nothing of a reload needs the content of a file that did not change.
    Its content is parsed on first use, from the same bytes, or KnowledgeError if they changed.
    """

    name: str
    sha256: str
    parsed: KnowledgeFile | None
    summary: FileSummary
    path: Path | None = None
    cap: int = DEFAULT_MAX_FILE_BYTES

    @property
    def content(self) -> KnowledgeFile:
        """The validated content, parsed now if it was not yet."""
        if self.parsed is None:
            object.__setattr__(self, "parsed", self._parse_again())
        assert self.parsed is not None
        return self.parsed

    def _parse_again(self) -> KnowledgeFile:
        changed = KnowledgeError([LoadError(self.name, "changed while loading; reload again")])
        if self.path is None:
            raise changed
        try:
            data = _read_regular(self.path, self.cap)
        except _UnreadableError:
            raise changed from None
        if hashlib.sha256(data).hexdigest() != self.sha256:
            raise changed
        raw = _Raw(self.name, self.path, self.sha256, data.decode("utf-8"), self.cap)
        raw.text = raw.text.removeprefix("\ufeff")
        errors: list[LoadError] = []
        content = _parse(raw, errors, {"field_sets": {}})
        if content is None:
            raise KnowledgeError(errors)
        return content


@dataclass(frozen=True)
class KnowledgeBase:
    """A loaded knowledge directory: its files, their entities by id, and its version digest."""

    files: tuple[LoadedFile, ...]
    entities: dict[str, EntityRecord]
    version: str

    def counts(self) -> dict[str, int]:
        """Articles, people, companies and facts by kind (their sections' names), for summaries."""
        kinds = [e.kind for e in self.entities.values()]
        sections = Counter(fact[0] for f in self.files for fact in f.summary.facts)
        return {
            "articles": len(self.files),
            "people": kinds.count("person"),
            "companies": kinds.count("company"),
            **{kind.SECTION: sections[kind.SECTION] for kind in KINDS},
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
    """The validated contents of the last load's files, and their summaries, by sha256 of bytes.

    A reload after a one-file edit parses and validates that file only (parsing is most of a
    load), and the checks across files read each file's summary, not its models. Files known
    only by their summary (given by Loader.seed, from the database) are reused by name and
    sha256 both, so that a file renamed is parsed: the store writes its rows anew.
    """

    def __init__(self) -> None:
        self.previous: dict[str, tuple[KnowledgeFile, FileSummary]] = {}
        self.current: dict[str, tuple[KnowledgeFile, FileSummary]] = {}
        self.stored: dict[tuple[str, str], FileSummary] = {}
        self.stored_now: dict[tuple[str, str], FileSummary] = {}
        # Equal fields-sets of model instances shared (see Strict._compact); a few dozen, ever.
        self.context: dict[str, Any] = {"field_sets": {}}

    @property
    def empty(self) -> bool:
        """Whether nothing is known yet: no load since this cache was made, nothing seeded."""
        return not (self.previous or self.current or self.stored or self.stored_now)

    def parse(
        self, raw: _Raw, errors: list[LoadError], normal: Normals
    ) -> tuple[KnowledgeFile | None, FileSummary] | None:
        # current too: a scan (Loader.article_files) may have parsed it earlier in this load.
        parsed = self.current.get(raw.sha256)
        if parsed is None:
            parsed = self.previous.get(raw.sha256)
        if parsed is None:
            # Bytes given in memory (an override) are not on disk to be parsed later from.
            stored = None if raw.data is not None else self.stored.get((raw.name, raw.sha256))
            if stored is not None:
                self.stored_now[raw.name, raw.sha256] = stored
                return None, stored
            content = _parse(raw, errors, self.context)
            if content is None:
                return None
            parsed = content, _summary(content, normal)
        self.current[raw.sha256] = parsed
        return parsed

    def rotate(self) -> None:
        """Keep only the files of the load just finished."""
        self.previous, self.current = self.current, {}
        self.stored, self.stored_now = self.stored_now, {}


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
            parsed = None if raw is None else self._parsed.parse(raw, ignored, self._normal)
            if raw is not None and parsed is not None:
                content, summary = parsed
                loaded = LoadedFile(path.name, raw.sha256, content, summary, raw.path, raw.cap)
                found.setdefault(summary.article_id, loaded)
        return found

    @property
    def empty(self) -> bool:
        """Whether this loader knows no file yet (nothing loaded, nothing seeded)."""
        return self._parsed.empty

    def seed(self, stored: Iterable[tuple[str, str, str]]) -> int:
        """Take the summaries the database keeps of its files: (file name, sha256, JSON).

        After a restart, the first load then parses only the files whose name or bytes differ
        from the stored version's, as any later load does. A summary that cannot be read is
        skipped (its file is parsed). Returns how many were taken.
        """
        taken = 0
        for name, sha256, text in stored:
            try:
                self._parsed.stored[name, sha256] = FileSummary.from_json(text)
            except (ValueError, TypeError, KeyError, IndexError):
                continue
            taken += 1
        return taken


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
        # Each file's bytes are hashed and dropped as it is read: freeing 10,000 files' bytes
        # at once is one C-level deallocation holding the GIL, a 45 ms stall of the event loop.
        digests = [
            (p.name, hashlib.sha256(_read_regular(_target(p, root), max_file_bytes)).hexdigest())
            for p in paths
        ]
    except (OSError, _UnreadableError):
        return None
    return _version_of_digests(digests) if digests else None


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
    parsed: list[tuple[_Raw, KnowledgeFile | None, FileSummary]] = []
    summaries: list[tuple[_Raw, FileSummary]] = []
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
            found = loader._parsed.parse(raw, errors, loader._normal)
        except Exception as exc:
            # A bug met on one odd file must not take the whole load (nor the bot) down.
            log.exception("unexpected error checking %s", printable(str(path)))
            message = f"could not be checked: unexpected {type(exc).__name__} (a bug; see the log)"
            errors.append(LoadError(path.name, message))
            continue
        raw.text = ""
        if found is not None:
            parsed.append((raw, *found))
            summaries.append((raw, found[1]))
    loader._parsed.rotate()
    version = _version_of_digests((r.name, r.sha256) for r in raws)
    last = loader._last
    if not errors and last is not None and last.version == version:
        return last  # the same names and bytes: the checks across files cannot differ
    entities = _merge_entities(summaries, errors)
    _check_references(summaries, entities, errors)
    _check_links(summaries, errors)
    loader._normal.rotate()
    if errors:
        raise KnowledgeError(errors)
    files = tuple(
        LoadedFile(raw.name, raw.sha256, content, summary, raw.path, raw.cap)
        for raw, content, summary in parsed
    )
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
    parsed: list[tuple[_Raw, FileSummary]], errors: list[LoadError]
) -> dict[str, EntityRecord]:
    """Merge people and companies across files; the same id must mean the same entity."""
    merged: dict[str, _Merging] = {}
    declared_in: dict[str, str] = {}
    name_keys: dict[str, str] = {}
    alias_owner: dict[str, str] = {}
    for raw, summary in parsed:
        seen_here: set[str] = set()
        article = summary.article_id
        for decl in summary.declarations:
            kind, entity_id, name = decl.kind, decl.id, decl.name
            if entity_id in seen_here:
                err = _ErrorAt(raw, decl.section, decl.position)
                errors.append(err("id", f"'{entity_id}' is declared twice in this file"))
                continue
            seen_here.add(entity_id)
            old = merged.get(entity_id)
            if old is not None and (old.kind != kind or old.name != name):
                err = _ErrorAt(raw, decl.section, decl.position)
                errors.append(
                    err(
                        "id",
                        f"'{entity_id}' is the {old.kind} '{old.name}' in "
                        f"{declared_in[entity_id]}, not the {kind} '{name}'",
                    )
                )
                continue
            for alias, key in zip(decl.aliases, decl.alias_keys, strict=True):
                owner = alias_owner.setdefault(key, entity_id)
                if not key:
                    err = _ErrorAt(raw, decl.section, decl.position)
                    errors.append(err("aliases", f"alias '{alias}' has no letters"))
                elif owner != entity_id:
                    err = _ErrorAt(raw, decl.section, decl.position)
                    errors.append(
                        err("aliases", f"alias '{alias}' is already claimed by '{owner}'")
                    )
            if not decl.name_key:
                err = _ErrorAt(raw, decl.section, decl.position)
                errors.append(err("name", "the name has no letters or digits"))
            if old is None:
                merged[entity_id] = _Merging(decl, article)
                declared_in[entity_id] = raw.name
                name_keys[entity_id] = decl.name_key
            else:
                old.add(decl, article)
    # An alias may not be another entity's name either: it would make that name ambiguous.
    for entity_id, entity in merged.items():
        claimant = alias_owner.get(name_keys[entity_id])
        if claimant is not None and claimant != entity_id:
            errors.append(
                LoadError(
                    declared_in[claimant],
                    f"an alias of '{claimant}' is the name of '{entity_id}' ({entity.name})",
                    "aliases",
                )
            )
    return {entity_id: m.record() for entity_id, m in merged.items()}


class RoleOf(NamedTuple):
    """A role as the merged entities keep it (a tuple: 35,000 are made per restart)."""

    title: str
    company: str | None
    current: bool


class _Declaration(NamedTuple):
    """One [[people]] or [[companies]] entry as the checks across files read it."""

    kind: EntityKind
    section: str
    position: int  # in its section
    id: str
    name: str
    aliases: tuple[str, ...]
    roles: tuple[RoleOf, ...]
    parent: str | None = None
    description: str | None = None
    name_key: str = ""  # the normal forms of the name and of each alias, as the checks compare
    alias_keys: tuple[str, ...] = ()


def _declarations(content: KnowledgeFile, normal: Normals) -> Iterator[_Declaration]:
    for i, p in enumerate(content.people):
        yield _Declaration(
            "person",
            "people",
            i,
            p.id,
            p.name,
            tuple(p.aliases),
            tuple(RoleOf(r.title, r.company, r.current) for r in p.roles),
            name_key=normal(p.name),
            alias_keys=tuple(normal(a) for a in p.aliases),
        )
    for i, c in enumerate(content.companies):
        yield _Declaration(
            "company",
            "companies",
            i,
            c.id,
            c.name,
            tuple(c.aliases),
            (),
            c.parent,
            c.description,
            normal(c.name),
            tuple(normal(a) for a in c.aliases),
        )


# What the checks across files need of one fact: (section, index in it, id, KIND, link, and
# the reported_by it names when that is neither the article's publisher nor one it cites).
_FactSummary = tuple[str, int, str, str, "tuple[str, str] | None", "str | None"]


@dataclass(frozen=True)
class FileSummary:
    """What the checks across files need of one file, worked out once per version of its bytes.

    Walking 10,000 files' validated models for every reload took seconds; these few tuples
    per file are all that merging entities and checking ids and links read, and what the store
    needs of a file it does not rewrite. The database keeps each file's (to_json), so a restart
    need not parse the files that did not change.
    """

    article_id: str
    published: str
    declarations: tuple[_Declaration, ...]
    references: tuple[tuple[Sequence[str | int], str, _Want], ...]  # (where, id, wanted kind)
    facts: tuple[_FactSummary, ...]

    def to_json(self) -> str:
        """The summary as JSON, for the database."""
        declarations = [
            [
                d.kind,
                d.section,
                d.position,
                d.id,
                d.name,
                d.aliases,
                [[r.title, r.company, r.current] for r in d.roles],
                d.parent,
                d.description,
                d.name_key,
                d.alias_keys,
            ]
            for d in self.declarations
        ]
        return json.dumps(
            [self.article_id, self.published, declarations, self.references, self.facts],
            ensure_ascii=False,
            separators=(",", ":"),
        )

    @classmethod
    def from_json(cls, text: str) -> FileSummary:
        """The summary to_json() wrote (ValueError, TypeError, KeyError or IndexError if not)."""
        article_id, published, declarations, references, facts = json.loads(text)
        return cls(
            str(article_id),
            str(published),
            tuple(
                _Declaration(
                    d[0],
                    d[1],
                    d[2],
                    d[3],
                    d[4],
                    tuple(d[5]),
                    tuple(RoleOf(t, c, n) for t, c, n in d[6]),
                    d[7],
                    d[8],
                    d[9],
                    tuple(d[10]),
                )
                for d in declarations
            ),
            # 190,000 at 10,000 articles: made by map(), where kept as JSON gave them.
            tuple(map(tuple, references)),
            tuple(
                (section, i, fact_id, kind, tuple(link) if link else None, unknown)
                for section, i, fact_id, kind, link, unknown in facts
            ),
        )


def _summary(content: KnowledgeFile, normal: Normals) -> FileSummary:
    article = content.article
    outlets = {normal(o) for o in (*article.cites, article.publisher)}
    facts: list[_FactSummary] = []
    for kind in KINDS:
        for i, fact in enumerate(content.of_kind(kind)):
            by = fact.reported_by
            unknown = by if by is not None and normal(by) not in outlets else None
            facts.append((kind.SECTION, i, fact.id, fact.KIND, fact.link(), unknown))
    return FileSummary(
        article.id,
        article.published,
        tuple(_declarations(content, normal)),
        tuple(_references(content)),
        tuple(facts),
    )


class _Merging:
    """One entity's declarations so far, merged into one EntityRecord once all are read."""

    __slots__ = ("aliases", "articles", "decl", "description", "parent", "roles")

    def __init__(self, decl: _Declaration, article: str) -> None:
        self.decl = decl
        self.aliases = dict.fromkeys(decl.aliases)
        self.parent, self.description = decl.parent, decl.description
        self.roles = [(role, article) for role in decl.roles]
        self.articles = [article]

    @property
    def kind(self) -> EntityKind:
        """The kind its first declaration gives (every later one must agree)."""
        return self.decl.kind

    @property
    def name(self) -> str:
        """The name its first declaration gives (every later one must agree)."""
        return self.decl.name

    def add(self, decl: _Declaration, article: str) -> None:
        self.aliases.update(dict.fromkeys(decl.aliases))
        self.parent = self.parent or decl.parent
        self.description = self.description or decl.description
        self.roles.extend((role, article) for role in decl.roles)
        self.articles.append(article)

    def record(self) -> EntityRecord:
        decl = self.decl
        return EntityRecord(
            decl.id,
            decl.kind,
            decl.name,
            tuple(self.aliases),
            self.parent,
            self.description,
            tuple(self.roles),
            tuple(self.articles),
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
    parsed: list[tuple[_Raw, FileSummary]],
    entities: dict[str, EntityRecord],
    errors: list[LoadError],
) -> None:
    """Every id a file mentions must exist, with the right kind; ids of facts are unique."""
    article_ids = {summary.article_id: raw.name for raw, summary in reversed(parsed)}
    fact_owner: dict[str, str] = {}
    for raw, summary in parsed:
        first = article_ids.get(summary.article_id)
        if first != raw.name:
            errors.append(
                LoadError(
                    raw.name,
                    f"article id '{summary.article_id}' is also used by {first}",
                    "article.id",
                    raw.locator.line_of(("article", "id")),
                )
            )
        for loc, ref, want in summary.references:
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
        seen_here: set[str] = set()
        for section, index, fact_id, _, _, reported_by in summary.facts:
            if fact_id in seen_here or fact_id in fact_owner:
                id_loc: tuple[str | int, ...] = (section, index, "id")
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
            if reported_by is not None:
                by_loc: tuple[str | int, ...] = (section, index, "reported_by")
                errors.append(
                    LoadError(
                        raw.name,
                        f"'{reported_by}' is not the publisher nor in article.cites",
                        field_path(by_loc),
                        raw.locator.line_of(by_loc),
                    )
                )


# A fact as the link checks see it: its KIND, its article's date, and what it links to.
_Linked = tuple[str, str, "tuple[str, str] | None"]


def _check_links(parsed: list[tuple[_Raw, FileSummary]], errors: list[LoadError]) -> None:
    """Each updates/corrects/retracts names a fact that exists, fits and came first, loop-free.

    The target is of the same kind (a retraction may be of any), in an article of the same day or
    earlier, and following the links from it never comes back.
    """
    facts: dict[str, _Linked] = {}  # id -> (kind, its article's date, its link)
    for _, summary in parsed:
        for _, _, fact_id, kind, link, _ in summary.facts:
            facts.setdefault(fact_id, (kind, summary.published, link))
    for raw, summary in parsed:
        for section, i, fact_id, kind, link, _ in summary.facts:
            if link is None:
                continue
            how, target_id = link
            problem = _link_problem(fact_id, kind, how, target_id, summary.published, facts)
            if problem:
                loc: tuple[str | int, ...] = (section, i, how)
                errors.append(
                    LoadError(raw.name, problem, field_path(loc), raw.locator.line_of(loc))
                )


def _link_problem(
    fact_id: str,
    kind: str,
    how: str,
    target_id: str,
    published: str,
    facts: dict[str, _Linked],
) -> str | None:
    """What is wrong with one link, or None."""
    if target_id not in facts:
        return f"unknown fact '{target_id}'"
    target_kind, target_published, link = facts[target_id]
    if target_id == fact_id:
        return "a fact cannot follow up itself"
    if how != "retracts" and target_kind != kind:
        return f"a {kind} cannot {how.removesuffix('s')} the {target_kind} '{target_id}'"
    # ISO text of any precision compares as dates do ("2025-07" before "2025-07-10").
    if target_published[: len(published)] > published:
        return f"'{target_id}' is in a later article ({target_published}) than this one"
    seen = {fact_id}
    while link is not None:
        if link[1] in seen:
            return f"the chain of updates through '{target_id}' loops back to '{link[1]}'"
        seen.add(link[1])
        following = facts.get(link[1])
        link = following[2] if following else None
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
