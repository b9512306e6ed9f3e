"""Knowledge folders an attacker or a careless admin makes: each is refused with its file named.

Every case goes through `python -m bot check DIR` as an admin runs it (in a subprocess with a
timeout, so a hang fails the test instead of blocking it) and, where the loader alone is the
point, through `load_directory`. Issue 10, items 3, 5, 6, 7, 8, 9 and 14.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from bot.knowledge.loader import (
    MAX_ERRORS_PER_FILE,
    KnowledgeError,
    LoadError,
    directory_version,
    load_directory,
)
from bot.knowledge.locate import Locator
from bot.service import TalentService
from bot.store import Store
from tests.conftest import KNOWLEDGE, ROOT, bot_env, copy_knowledge
from tests.reliability.conftest import seed_still_answers

T = TypeVar("T")
SEED_FILE = next(KNOWLEDGE.glob("*.toml"))
SEED = SEED_FILE.read_text(encoding="utf-8")
HANG = 30  # seconds: far beyond any check here, short enough to fail instead of hanging CI
# A figure whose fields the cases below replace; its subject exists in the seed.
FIGURE = """
[[figures]]
id = "hostile-figure"
subject = "meta"
measure = "a figure"
value = 1
unit = "USD"
reported_on = 2025-06-18
quote = "A sentence."
"""


def run_check(
    tmp_path: Path, directory: Path | bytes, *, prefix: tuple[str, ...] = ()
) -> tuple[int, str]:
    """`python -m bot check DIR` under a UTF-8 locale; the exit code and all it printed.

    Its output must be UTF-8 with no raw escape character, whatever the files are named or hold.
    """
    env = bot_env(tmp_path) | {"LC_ALL": "C.UTF-8", "KNOWLEDGE_DIR": os.fsdecode(directory)}
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "bot", "check", os.fsdecode(directory)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=HANG,
        check=False,
    )
    output = (done.stdout + done.stderr).decode("utf-8")  # strict: any bad byte fails here
    assert "Traceback" not in output, output
    assert "\x1b" not in output and "\x07" not in output, output
    return done.returncode, output


def seed_dir(tmp_path: Path, extra: str = "", name: str = "knowledge") -> Path:
    """A knowledge folder holding the seed article, with ``extra`` TOML appended to it."""
    directory = copy_knowledge(tmp_path / name)
    if extra:
        (directory / SEED_FILE.name).write_text(SEED + extra, encoding="utf-8")
    return directory


def errors_of(directory: Path) -> list[LoadError]:
    """The errors load_directory reports for ``directory`` (it must refuse it)."""
    with pytest.raises(KnowledgeError) as caught:
        load_directory(directory)
    return caught.value.errors


# -- 3. an empty or unreadable folder is an error, never "OK, 0 articles" ----------------------


def test_check_refuses_an_empty_folder(tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    code, out = run_check(tmp_path, empty)
    assert code == 1, out
    assert f"{empty}: has no knowledge files (*.toml)" in out


def test_a_folder_of_only_hidden_and_other_files_has_no_knowledge(tmp_path: Path) -> None:
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "README.md").write_text("# notes\n", encoding="utf-8")
    shutil.copy(SEED_FILE, directory / ".hidden.toml")
    [error] = errors_of(directory)
    assert (error.file, error.message.split(";")[0]) == (
        str(directory),
        "has no knowledge files (*.toml)",
    )


def _without_file_permission_override() -> tuple[str, ...]:
    """A command prefix under which chmod 000 stops this process: root reads anything."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.fail("running as root needs setpriv(1) to drop CAP_DAC_OVERRIDE for this test")
    return (setpriv, "--bounding-set=-dac_override,-dac_read_search")


def test_check_refuses_a_folder_it_cannot_list(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    directory.chmod(0)
    try:
        code, out = run_check(tmp_path, directory, prefix=_without_file_permission_override())
    finally:
        directory.chmod(0o755)
    assert code == 1, out
    assert f"{directory}: cannot be listed: Permission denied" in out


def test_a_file_given_as_the_folder_is_not_a_directory(tmp_path: Path) -> None:
    [error] = errors_of(SEED_FILE)
    assert str(error) == f"{SEED_FILE}: is not a directory"


async def test_emptying_the_folder_keeps_the_knowledge_served(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    db = str(tmp_path / "bot.db")
    async with Store(db) as store:
        service = TalentService(store, knowledge)
        first = await service.start()
        assert first is not None and first.ok
        version = service.version
        for path in knowledge.glob("*.toml"):
            path.unlink()
        report = await service.reload()
        assert not report.ok and report.version == version
        assert any("has no knowledge files" in e for e in report.errors), report.errors
        assert service.version == version and await seed_still_answers(service)
    # Nor does a restart on the empty folder replace the stored knowledge with nothing.
    async with Store(db) as store:
        service = TalentService(store, knowledge)
        restart = await service.start()
        assert restart is not None and not restart.ok
        assert service.version == version and await seed_still_answers(service)


# -- 5. locating an error is linear, whatever a line holds -------------------------------------

WIDE = 100_000  # spaces in one line that looks like a table header


def _wide_quote_file(tmp_path: Path) -> Path:
    """A figure whose multi-line quote holds a header-like line of 100,000 spaces, so that the
    quote is too long: an error to be located past that line."""
    return seed_dir(
        tmp_path, FIGURE.replace('quote = "A sentence."', f'quote = """\n[{" " * WIDE}x\n"""')
    )


def test_a_wide_header_like_line_is_located_in_well_under_a_second(tmp_path: Path) -> None:
    directory = _wide_quote_file(tmp_path)
    lines = (directory / SEED_FILE.name).read_text(encoding="utf-8").splitlines()
    started = time.perf_counter()
    line = Locator(lines).line_of(("figures", 5, "quote"))
    locating = time.perf_counter() - started
    assert line is not None and lines[line - 1] == 'quote = """'
    assert locating < 0.25, f"locating took {locating:.3f}s"

    started = time.perf_counter()
    [error] = errors_of(directory)
    loading = time.perf_counter() - started
    assert (error.field, error.line) == ("figures[5].quote", line), error
    assert loading < 1.0, f"load_directory took {loading:.3f}s"
    print(f"\nN={WIDE:,}: locating {locating * 1000:.1f} ms, whole load {loading * 1000:.0f} ms")


def test_check_of_a_wide_header_like_line_returns_promptly(tmp_path: Path) -> None:
    started = time.perf_counter()
    code, out = run_check(tmp_path, _wide_quote_file(tmp_path))
    assert code == 1 and "figures[5].quote: String should have at most 2000 characters" in out
    assert time.perf_counter() - started < 10


def test_a_header_inside_a_multiline_string_is_not_a_table(tmp_path: Path) -> None:
    # The quote's [[figures]] line is text: the figure after it is still figures[6].
    quoted = FIGURE.replace('quote = "A sentence."', 'quote = """\n[[figures]]\n"""')
    bad = FIGURE.replace("hostile-figure", "hostile-2").replace('"meta"', '"nobody-at-all"')
    directory = seed_dir(tmp_path, quoted + bad)
    [error] = errors_of(directory)
    lines = (directory / SEED_FILE.name).read_text(encoding="utf-8").splitlines()
    assert error.field == "figures[6].subject" and error.line is not None
    assert lines[error.line - 1] == 'subject = "nobody-at-all"'


def test_thousands_of_errors_in_one_file_are_located_in_linear_time(tmp_path: Path) -> None:
    count = 3000
    figures = "".join(
        FIGURE.replace("hostile-figure", f"hostile-{i}").replace('"meta"', '"nobody"')
        for i in range(count)
    )
    directory = seed_dir(tmp_path, figures)
    started = time.perf_counter()
    errors = errors_of(directory)
    seconds = time.perf_counter() - started
    lines = (directory / SEED_FILE.name).read_text(encoding="utf-8").splitlines()
    assert len(errors) == count
    assert all(e.line is not None and lines[e.line - 1] == 'subject = "nobody"' for e in errors)
    assert seconds < 3, f"{count} errors took {seconds:.2f}s"


def test_hundreds_of_thousands_of_errors_list_the_first_hundred(tmp_path: Path) -> None:
    count = 60_000  # 780 kB, under the 1 MiB limit
    directory = seed_dir(tmp_path, "\n[[figures]]" * count)
    started = time.perf_counter()
    errors = errors_of(directory)
    seconds = time.perf_counter() - started
    assert len(errors) == MAX_ERRORS_PER_FILE + 1
    assert errors[0].line == SEED.count("\n") + 2 and errors[0].field == "figures[5].id"
    # Six required fields missing in each figure (its quantity may be value, more_than, ...).
    hidden = 6 * count - MAX_ERRORS_PER_FILE
    assert str(errors[-1]) == f"{SEED_FILE.name}: and {hidden:,} more errors like these"
    assert seconds < 5, f"{count:,} broken figures took {seconds:.2f}s"


# -- 6. only regular files are read; nothing blocks --------------------------------------------


def _not_files(directory: Path) -> Iterator[tuple[str, str]]:
    """Make a FIFO, a socket, a folder and a link to a FIFO named *.toml; yield (name, kind)."""
    os.mkfifo(directory / "fifo.toml")
    yield "fifo.toml", "a FIFO (named pipe)"
    os.mkfifo(directory / "pipe")
    os.symlink("pipe", directory / "link-to-fifo.toml")
    yield "link-to-fifo.toml", "a FIFO (named pipe)"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(directory / "socket.toml"))
    yield "socket.toml", "a socket"
    (directory / "folder.toml").mkdir()
    yield "folder.toml", "a directory"


def test_check_reports_fifos_sockets_and_folders_by_name(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    expected = dict(_not_files(directory))
    code, out = run_check(tmp_path, directory)
    assert code == 1, out
    for name, kind in expected.items():
        assert f"{name}: cannot be read: it is {kind}, not a regular file" in out, out


def bounded(call: Callable[[Path], T], directory: Path, seconds: float = 10) -> T | Exception:
    """``call(directory)`` in a thread: what it returned or raised; fails (never hangs) if it is
    still running after ``seconds``."""
    result: list[T | Exception] = []

    def run() -> None:
        try:
            result.append(call(directory))
        except Exception as exc:  # the caller asserts what it got
            result.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(seconds)
    if worker.is_alive():
        pytest.fail(f"{call.__name__} did not return within {seconds}s")
    return result[0]


def test_the_version_at_start_never_blocks_on_a_fifo(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    good = directory_version(directory)
    os.mkfifo(directory / "fifo.toml")
    # At start the bot compares this with the stored version; None makes it load and report.
    assert good is not None and bounded(directory_version, directory) is None
    found = bounded(load_directory, directory)
    assert isinstance(found, KnowledgeError)
    assert [e.file for e in found.errors] == ["fifo.toml"]


def test_ask_starts_despite_a_fifo_in_the_folder(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    os.mkfifo(directory / "fifo.toml")
    env = bot_env(tmp_path) | {"KNOWLEDGE_DIR": str(directory), "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "/sources"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG,
        check=False,
    )
    assert "fifo.toml: cannot be read: it is a FIFO" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr, done.stderr


# -- 7. deep nesting is an error of its file ---------------------------------------------------

LEVELS = 5000
DEEP = [
    ("arrays", f"deep = {'[' * LEVELS}{']' * LEVELS}\n", 1),
    ("inline tables", f"deep = {'{ a = ' * LEVELS}1{' }' * LEVELS}\n", 1),
    ("arrays of tables", f"deep = {'[{ a = ' * LEVELS}1{' }]' * LEVELS}\n", 1),
    ("arrays in a valid article", SEED + f"\n[hostile]\nx = {'[' * LEVELS}{']' * LEVELS}\n", 0),
]


@pytest.mark.parametrize(("what", "text", "line"), DEEP, ids=[d[0] for d in DEEP])
def test_deep_nesting_is_reported_with_its_line(
    tmp_path: Path, what: str, text: str, line: int
) -> None:
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "deep.toml").write_text(text, encoding="utf-8")
    [error] = errors_of(directory)
    expected = line or SEED.count("\n") + 3
    assert (error.file, error.line) == ("deep.toml", expected), error
    assert error.message.startswith("is nested too deeply"), error


@pytest.mark.parametrize(
    "text", ["a." * LEVELS + "b = 1\n", f"[{'a.' * LEVELS}b]\n"], ids=["key", "header"]
)
def test_deep_dotted_keys_are_unknown_keys(tmp_path: Path, text: str) -> None:
    directory = tmp_path / "knowledge"
    directory.mkdir()
    (directory / "dotted.toml").write_text(text, encoding="utf-8")
    errors = [str(e) for e in errors_of(directory)]
    assert errors == [
        "dotted.toml: article: required, but missing",
        "dotted.toml:1: a: unknown key (is it misspelt?)",
    ]


def test_check_reports_deep_nesting_without_a_traceback(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    (directory / "deep.toml").write_text(DEEP[0][1], encoding="utf-8")
    (directory / "tables.toml").write_text(DEEP[1][1], encoding="utf-8")
    (directory / "digits.toml").write_text("n = " + "9" * 5000 + "\n", encoding="utf-8")
    code, out = run_check(tmp_path, directory)
    assert code == 1, out
    assert "deep.toml:1: is nested too deeply" in out
    assert "tables.toml:1: is nested too deeply" in out
    assert "digits.toml: is not valid TOML: Exceeds the limit (4300 digits)" in out


# -- 8. numbers must be finite (and printable) -------------------------------------------------

NUMBERS = ["nan", "inf", "-inf", "+inf", "1e400", "-1e400", "1e19", "true"]


def test_check_rejects_non_finite_and_absurd_numbers(tmp_path: Path) -> None:
    figures = "".join(
        FIGURE.replace("hostile-figure", f"hostile-{i}").replace("value = 1", f"value = {v}")
        for i, v in enumerate(NUMBERS)
    )
    group = (
        '\n[[moves]]\nid = "hostile-group"\nfrom = "meta"\nreported_on = 2025-06-18\n'
        'quote = "Many left."\ngroup = { count = 1_000_000_000_000, description = "staff" }\n'
    )
    code, out = run_check(tmp_path, seed_dir(tmp_path, figures + group))
    assert code == 1, out
    for i, value in enumerate(NUMBERS):
        assert f": figures[{5 + i}].value: " in out, (value, out)
    assert out.count("Input should be a finite number") == 6, out
    assert "moves[2].group.count: Input should be less than or equal to 1000000000" in out


def test_a_large_finite_figure_still_loads(tmp_path: Path) -> None:
    figure = FIGURE.replace("value = 1", "value = 4.2e12")
    kb = load_directory(seed_dir(tmp_path, figure))
    assert kb.files[0].content.figures[-1].value == 4.2e12


# -- 9. odd names and links never crash, and are printed escaped --------------------------------


def test_check_names_a_latin1_file_name_escaped(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    with open(os.fsencode(directory) + b"/caf\xe9.toml", "wb") as file:
        file.write(SEED_FILE.read_bytes())
    code, out = run_check(tmp_path, directory)
    assert code == 1, out
    assert "caf\\xe9.toml: the file name is not UTF-8; rename the file" in out, out


def test_check_names_a_non_utf8_folder_escaped(tmp_path: Path) -> None:
    folder = os.fsencode(tmp_path) + b"/know\xffledge"
    os.mkdir(folder)
    code, out = run_check(tmp_path, folder)
    assert code == 1 and "know\\xffledge: has no knowledge files" in out, out


def test_check_reports_link_loops_and_dangling_links(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    os.symlink("loop.toml", directory / "loop.toml")
    os.symlink("ping.toml", directory / "pong.toml")
    os.symlink("pong.toml", directory / "ping.toml")
    os.symlink("missing.toml", directory / "dangling.toml")
    code, out = run_check(tmp_path, directory)
    assert code == 1, out
    for name in ("loop.toml", "ping.toml", "pong.toml"):
        assert f"{name}: cannot be read: Too many levels of symbolic links" in out, out
    assert "dangling.toml: cannot be read: No such file or directory" in out, out


def test_ask_starts_despite_odd_names_and_loops(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    os.symlink("loop.toml", directory / "loop.toml")
    with open(os.fsencode(directory) + b"/caf\xe9.toml", "wb") as file:
        file.write(SEED_FILE.read_bytes())
    env = bot_env(tmp_path) | {"KNOWLEDGE_DIR": str(directory), "LC_ALL": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "/sources"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=HANG,
        check=False,
    )
    errors = done.stderr.decode("utf-8")
    assert "Traceback" not in errors, errors
    assert "loop.toml: cannot be read" in errors and "caf\\xe9.toml: the file name" in errors


def test_a_control_character_in_a_file_name_is_refused_and_escaped(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path)
    shutil.copy(SEED_FILE, directory / "\x1b[2J.toml")
    [error] = errors_of(directory)
    assert (
        str(error)
        == "\\x1b[2J.toml: the file name has the control character U+001B; rename the file"
    )


# -- 14. control characters in knowledge text --------------------------------------------------

TERMINAL_ATTACK = "\\u001b]0;pwned\\u0007\\u001b[2J"  # as written in TOML


def test_check_rejects_control_characters_with_the_field_named(tmp_path: Path) -> None:
    extra = (
        f'\n[[people]]\nid = "mallory"\nname = "{TERMINAL_ATTACK}"\n'
        '\n[[companies]]\nid = "evil-corp"\nname = "Evil\\u202eproc"\n'
        'description = "bell\\u0007"\n'
        + FIGURE.replace('measure = "a figure"', 'measure = "two\\nlines"')
    )
    directory = seed_dir(tmp_path, extra)
    code, out = run_check(tmp_path, directory)
    assert code == 1, out
    assert "people[4].name: has the control character U+001B; this text is one line" in out
    assert "companies[9].name: has the control character U+202E" in out
    assert "companies[9].description: has the control character U+0007; only tab" in out
    assert "figures[5].measure: has the control character U+000A; this text is one line" in out


def test_an_unknown_key_with_control_characters_is_printed_escaped(tmp_path: Path) -> None:
    directory = seed_dir(tmp_path, f'\n["{TERMINAL_ATTACK}"]\nx = 1\n')
    code, out = run_check(tmp_path, directory)
    assert code == 1 and "\\x1b]0;pwned\\x07\\x1b[2J: unknown key" in out, out


def test_tabs_and_newlines_are_allowed_in_quotes(tmp_path: Path) -> None:
    figure = FIGURE.replace('quote = "A sentence."', 'quote = """One line,\n\tand another."""')
    kb = load_directory(seed_dir(tmp_path, figure))
    assert kb.files[0].content.figures[-1].quote == "One line,\n\tand another."
