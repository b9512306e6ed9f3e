"""Issue 10, items 1, 2 and 10: the bot never destroys a file it did not create, and database
trouble (locks, a full disk, a path it cannot use) is one clear line, never a reason to delete.

The bot marks its database with ``PRAGMA application_id``; anything without the mark (and not
the previous version's database, recognised by its tables) is refused and left byte for byte.
"""

from __future__ import annotations

import hashlib
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from benchmarks.generate import generate
from bot.commands import run
from bot.knowledge.loader import directory_version, load_directory
from bot.service import TalentService
from bot.store import APPLICATION_ID, SCHEMA_VERSION, ForeignDatabaseError, Store, StoreError
from tests.conftest import KNOWLEDGE, copy_knowledge, run_bot

SEED_SOURCES = "1 article, 19 facts."
TWO_SOURCES = "2 articles, 23 facts."
# A second process that takes a lock on the database and holds it until its stdin closes.
HOLDER = """
import sqlite3, sys
con = sqlite3.connect(sys.argv[1], isolation_level=None)
if sys.argv[2] == "exclusive":
    con.execute("PRAGMA locking_mode = EXCLUSIVE")
    con.execute("BEGIN EXCLUSIVE")
    con.execute("COMMIT")  # in EXCLUSIVE mode the lock outlives the transaction
else:
    con.execute("BEGIN IMMEDIATE")  # the write lock: readers go on, writers wait
print("locked", flush=True)
sys.stdin.read()
"""


def _snapshot(folder: Path) -> dict[str, str]:
    """Every file in ``folder`` (recursively) and the digest of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _one_line(stderr: str) -> str:
    """The single line a refusal prints; fails on tracebacks or chatter."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("talent-bot: "), stderr
    return lines[0]


def _ask(
    tmp_path: Path, db: Path | str, line: str = "/sources", **env: str
) -> tuple[int, str, str]:
    done = run_bot(tmp_path, "ask", line, env={"DATABASE_PATH": str(db), **env})
    return done.returncode, done.stdout, done.stderr


@contextmanager
def _holding(db: Path, mode: str) -> Iterator[None]:
    """A second real process holding a lock on ``db`` (``exclusive`` or ``write``)."""
    proc = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), mode],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
        yield
    finally:
        assert proc.stdin is not None
        proc.stdin.close()
        try:
            proc.wait(timeout=10)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()


def _ours(db: Path) -> bool:
    """The file carries the bot's mark, read from the header as the bot reads it."""
    header = db.read_bytes()[:100]
    return int.from_bytes(header[68:72], "big") == APPLICATION_ID


async def _seeded(db: Path, knowledge: Path = KNOWLEDGE) -> None:
    async with Store(str(db)) as store:
        report = await TalentService(store, knowledge).start()
        assert report is not None and report.ok


# --- item 1: a file the bot did not create is refused and left as it was ------------------------


def _text_file(path: Path) -> None:
    path.write_text("my notes\nbuy milk\n", encoding="utf-8")


def _knowledge_toml(path: Path) -> None:
    shutil.copy(next(KNOWLEDGE.glob("*.toml")), path)


def _other_apps_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        con.execute("INSERT INTO notes (body) VALUES ('precious')")
    con.close()


def _other_apps_wal_sqlite(path: Path) -> None:
    """Another application's WAL database with its own application_id (GeoPackage's)."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA application_id = 1196444487")
    con.execute("PRAGMA journal_mode = WAL")
    con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('schema', '9')")
    con.close()


def _lookalike_sqlite(path: Path) -> None:
    """Our tables and meta row, plus a table of someone else's: not provably ours."""
    with sqlite3.connect(path) as con:
        con.executescript(
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "INSERT INTO meta VALUES ('schema', '9');"
            + "".join(
                f"CREATE TABLE {t} (x);"
                for t in ("articles", "entities", "aliases", "roles", "facts", "fact_entities")
            )
            + "CREATE TABLE users (name TEXT); INSERT INTO users VALUES ('alice');"
        )
    con.close()


def _fake_header(path: Path) -> None:
    path.write_bytes(b"SQLite format 3\x00" + b"\x07" * 5000)


FOREIGN = [
    _text_file,
    _knowledge_toml,
    _other_apps_sqlite,
    _other_apps_wal_sqlite,
    _lookalike_sqlite,
    _fake_header,
]


def test_a_file_the_bot_did_not_create_is_refused_by_ask_console_and_run(tmp_path: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    victim = folder / "notes.txt"
    _text_file(victim)
    before = _snapshot(folder)
    for args, stdin in (
        (("ask", "/sources"), None),
        (("console",), "/sources\n"),
        (("run",), None),
    ):
        done = run_bot(
            tmp_path,
            *args,
            stdin=stdin,
            env={
                "DATABASE_PATH": str(victim),
                "DISCORD_TOKEN": "not-a-token",  # never used: the database is opened first
                "DISCORD_API_BASE": "http://127.0.0.1:9",
                "DISCORD_GATEWAY_URL": "ws://127.0.0.1:9",
            },
        )
        assert done.returncode == 2, (args, done.stderr)
        line = _one_line(done.stderr)
        assert str(victim) in line and "not a talent-bot database" in line, line
        assert _snapshot(folder) == before  # not a byte changed, no -wal or -shm beside it


@pytest.mark.parametrize("make", FOREIGN, ids=lambda f: f.__name__.strip("_"))
async def test_store_refuses_every_file_it_cannot_prove_it_made(
    tmp_path: Path, make: Callable[[Path], None]
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    victim = folder / "bot.db"
    make(victim)
    before = _snapshot(folder)
    with pytest.raises(ForeignDatabaseError) as raised:
        async with Store(str(victim)):
            pass
    assert str(victim) in str(raised.value) and "\n" not in str(raised.value)
    assert _snapshot(folder) == before


async def test_our_database_with_a_wiped_header_is_no_longer_provably_ours(tmp_path: Path) -> None:
    """Without its first 100 bytes nothing shows the bot made the file, so it is kept."""
    db = tmp_path / "bot.db"
    await _seeded(db)
    data = bytearray(db.read_bytes())
    data[:100] = bytes(100)
    db.write_bytes(bytes(data))
    before = _snapshot(tmp_path)
    with pytest.raises(ForeignDatabaseError, match="delete it yourself"):
        await Store(str(db)).open()
    assert _snapshot(tmp_path) == before


def _unmark(db: Path, schema: str | None = None) -> None:
    """Make ``db`` what the previous version of the bot left: no mark, a schema row in meta
    (the current one unless ``schema`` is given)."""
    con = sqlite3.connect(db, isolation_level=None)
    con.execute("PRAGMA application_id = 0")
    con.execute("PRAGMA user_version = 0")
    if schema is not None:
        con.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (schema,))
    con.close()


async def test_the_previous_versions_database_is_adopted_and_kept(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    await _seeded(db)
    _unmark(db)
    assert not _ours(db)
    async with Store(str(db)) as store:
        # Same schema and same files: adopted as it is, no reload needed.
        assert await TalentService(store, KNOWLEDGE).start() is None
        assert (await store.manifest()).version == directory_version(KNOWLEDGE)
    assert _ours(db)
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == int(SCHEMA_VERSION)


async def test_the_previous_versions_database_of_an_older_schema_is_rebuilt(
    tmp_path: Path,
) -> None:
    db = tmp_path / "bot.db"
    await _seeded(db)
    _unmark(db, schema="4")
    async with Store(str(db)) as store:
        report = await TalentService(store, KNOWLEDGE).start()
        assert report is not None and report.ok and report.articles.added
    assert _ours(db)


@pytest.mark.parametrize("kind", ["zero-byte", "empty-sqlite"])
async def test_a_file_with_nothing_in_it_becomes_our_database(tmp_path: Path, kind: str) -> None:
    """A zero-byte file (``touch``, or a crash right after SQLite created it) or a SQLite file
    with no tables holds nothing that could be lost."""
    db = tmp_path / "bot.db"
    if kind == "zero-byte":
        db.touch()
    else:
        sqlite3.connect(db).execute("VACUUM").connection.close()
    async with Store(str(db)) as store:
        report = await TalentService(store, KNOWLEDGE).start()
        assert report is not None and report.ok
    assert _ours(db)


async def test_a_damaged_database_of_ours_is_still_rebuilt(tmp_path: Path) -> None:
    db = tmp_path / "bot.db"
    await _seeded(db)
    data = bytearray(db.read_bytes())
    data[4096:] = b"\xa5" * (len(data) - 4096)  # every page but the first: garbage
    db.write_bytes(bytes(data))
    async with Store(str(db)) as store:
        report = await TalentService(store, KNOWLEDGE).start()
        assert report is not None and report.ok
    assert _ours(db)


# --- item 2: operational errors are reported, never taken for corruption -----------------------


async def test_an_exclusive_lock_of_another_process_is_waited_for_then_reported(
    tmp_path: Path,
) -> None:
    db = tmp_path / "bot.db"
    await _seeded(db)
    with _holding(db, "exclusive"):
        before = _snapshot(tmp_path)  # the holder's own (empty) -wal included
        with pytest.raises(StoreError, match="locked") as raised:
            await Store(str(db), busy_timeout=0.3).open()
        assert not isinstance(raised.value, ForeignDatabaseError)
        assert str(db) in str(raised.value) and "another process" in str(raised.value)
        assert _snapshot(tmp_path) == before  # nothing deleted, nothing written
    async with Store(str(db)) as store:  # once the lock is gone the same file just works
        assert (await store.manifest()).version == directory_version(KNOWLEDGE)


def test_a_path_that_is_a_directory_is_one_line_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "keep.txt").write_text("keep me", encoding="utf-8")
    before = _snapshot(folder)
    code, _, err = _ask(tmp_path, folder)
    assert code == 1, err
    assert "is a directory" in _one_line(err) and str(folder) in err
    assert _snapshot(folder) == before


@pytest.mark.parametrize(
    "path",
    # Even root cannot create anything under /proc: an unwritable folder for every test runner.
    ["/proc/talent-bot-test/bot.db", "/proc/talent-bot-test.db"],
    ids=["folder-cannot-be-created", "file-cannot-be-created"],
)
def test_a_path_where_nothing_can_be_written_is_one_line(tmp_path: Path, path: str) -> None:
    code, _, err = _ask(tmp_path, path)
    assert code == 1, err
    line = _one_line(err)
    assert path in line and "DATABASE_PATH" in line, line


@contextmanager
def _small_disk(where: Path, size: str) -> Iterator[Path]:
    """A real filesystem of ``size`` mounted at ``where`` (a tmpfs), to fill up."""
    where.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        check=False,
    )
    if mounted.returncode != 0:
        pytest.skip(f"a real full disk needs mount (root): {mounted.stderr.decode().strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


def _fill(disk: Path) -> None:
    """Fill ``disk`` to the last byte."""
    with (disk / "filler").open("ab", buffering=0) as out:
        try:
            while out.write(b"\0" * 4096):
                pass
        except OSError:
            pass  # no space left


def test_a_full_disk_never_costs_the_database(tmp_path: Path) -> None:
    """A start on a full disk reports it; a reload that does not fit keeps the old version,
    and so does every restart after it."""
    knowledge = copy_knowledge(tmp_path / "knowledge")
    # Room for the seed's database (with its file summaries) and its WAL, and nothing more.
    with _small_disk(tmp_path / "disk", "512k") as disk:
        db = disk / "bot.db"
        code, out, err = _ask(tmp_path, db, KNOWLEDGE_DIR=str(knowledge))
        assert code == 0 and SEED_SOURCES in out, err
        seeded = _snapshot(disk)
        _fill(disk)
        code, _, err = _ask(tmp_path, db, KNOWLEDGE_DIR=str(knowledge))
        assert code == 1, err
        line = _one_line(err)
        assert str(db) in line and "disk" in line, line
        (disk / "filler").unlink()
        # The file is as it was (SQLite may leave an empty -wal and a -shm beside it).
        assert _snapshot(disk)["bot.db"] == seeded["bot.db"]
        print(line)

        generate(knowledge, articles=120)  # far more than the disk holds
        for _restart in range(2):
            code, out, err = _ask(tmp_path, db, KNOWLEDGE_DIR=str(knowledge))
            assert code == 0, err
            assert SEED_SOURCES in out  # the old knowledge is still served
            assert "full" in err and "cannot rollback" not in err and "Traceback" not in err
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            assert con.execute("SELECT count(*) FROM facts").fetchone()[0] == 19


# --- item 10: database trouble during start or reload -------------------------------------------


def test_a_start_while_another_process_holds_the_write_lock_serves_the_old_version(
    tmp_path: Path,
) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    db = tmp_path / "bot.db"
    code, out, err = _ask(tmp_path, db, KNOWLEDGE_DIR=str(knowledge))
    assert code == 0 and SEED_SOURCES in out, err
    copy_knowledge(knowledge, second=True)  # the files changed: the start must write
    with _holding(db, "write"):
        code, out, err = _ask(tmp_path, db, KNOWLEDGE_DIR=str(knowledge))
    assert code == 0, err
    assert SEED_SOURCES in out
    assert "locked" in err and str(db) in err and "Traceback" not in err
    code, out, err = _ask(tmp_path, db, KNOWLEDGE_DIR=str(knowledge))
    assert code == 0 and TWO_SOURCES in out, err  # the lock gone, the next start catches up


async def test_a_reload_under_another_process_write_lock_keeps_the_old_version(
    tmp_path: Path,
) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    db = tmp_path / "bot.db"
    async with Store(str(db), busy_timeout=0.3) as store:
        service = TalentService(store, knowledge)
        assert (await service.start()) is not None
        copy_knowledge(knowledge, second=True)
        with _holding(db, "write"):
            report = await service.reload()
            assert not report.ok
            assert any("locked" in e for e in report.errors), report.errors
            assert (await run(service, "sources")).message == SEED_SOURCES
        report = await service.reload()
        assert report.ok and (await run(service, "sources")).message == TWO_SOURCES


async def test_a_reload_that_does_not_fit_reports_the_real_error(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    db = tmp_path / "bot.db"
    await _seeded(db, knowledge)
    generate(knowledge, articles=60)
    with sqlite3.connect(db) as con:
        pages = con.execute("PRAGMA page_count").fetchone()[0]
    async with Store(str(db), max_pages=pages + 8) as store:
        with pytest.raises(StoreError, match="database or disk is full") as raised:
            await store.replace(load_directory(knowledge))
        assert isinstance(raised.value.__cause__, sqlite3.OperationalError)
        assert "cannot rollback" not in str(raised.value)
        service = TalentService(store, knowledge)
        report = await service.start()  # a restart with the disk still full
        assert report is not None and not report.ok
        assert any("full" in e for e in report.errors), report.errors
        assert (await run(service, "sources")).message == SEED_SOURCES
        report = await service.reload()  # and a /reload after it
        assert not report.ok and (await run(service, "sources")).message == SEED_SOURCES
    async with Store(str(db)) as store:  # space again: the next start loads the files
        report = await TalentService(store, knowledge).start()
        assert report is not None and report.ok
