"""A throwaway PostgreSQL server for the tests: its own data folder, 127.0.0.1 and a free port.

Found on PATH or in Debian's /usr/lib/postgresql/*/bin. Without it the tests that need it are
skipped with the reason, except under CI (the `CI` variable set), where they fail.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

import pytest

# A role that must give its password (the others are trusted), for the tests of messages.
PASSWORD_USER = "talent_pw"
PASSWORD = "s3cr3t:P@ss/w0rd"  # characters a URL must quote
SUPERUSER = "postgres"
# Fast and still crash-safe for a server process killed (not for the machine): commits reach
# the OS before they are acknowledged, which never flushes them to disk.
_FAST = ("-c", "fsync=off", "-c", "full_page_writes=off")


def bin_dir() -> Path | None:
    """The folder holding initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return Path(found).resolve().parent
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/initdb"),
        key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit() else 0,
    )
    return versions[-1].parent if versions else None


def free_port() -> int:
    """A port on 127.0.0.1 nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _server_user() -> str | None:
    """The unprivileged user to run the server as when we are root (it refuses root)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "talent-bot-pg"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/bin/false", "talent-bot-pg"],
        check=True,
        capture_output=True,
    )
    return "talent-bot-pg"


@dataclass
class PostgresServer:
    """A server in ``root`` (data folder, sockets, log), on 127.0.0.1:``port`` once started."""

    bin: Path
    root: Path
    port: int
    as_user: list[str]  # runuser … when we are root: the server refuses to run as root
    _numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def url(self, database: str = "postgres", user: str = SUPERUSER, password: str = "") -> str:
        """The URL of ``database`` as ``user``."""
        auth = f"{user}:{quote(password, safe='')}" if password else user
        return f"postgresql://{auth}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """The URL of a new, empty database (one per test: no test sees another's rows)."""
        name = f"state_{next(self._numbers)}"
        self.execute(f'CREATE DATABASE "{name}"')
        # The password role may use it too (PostgreSQL 15: only owners create in `public`).
        self.execute(f'ALTER DATABASE "{name}" OWNER TO {PASSWORD_USER}')
        return self.url(name)

    def execute(self, sql: str, database: str = "postgres") -> None:
        """Run ``sql`` as the superuser in ``database`` (from sync or async code alike)."""
        # A thread of its own: the caller may be inside a running event loop.
        with ThreadPoolExecutor(1) as worker:
            worker.submit(asyncio.run, self._execute(sql, database)).result()

    async def _execute(self, sql: str, database: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(self.url(database), timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    def init(self) -> None:
        """Make the data folder: the password role must give its password, the rest are trusted."""
        data = self.root / "data"
        self._run(
            "initdb",
            *("-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C"),
            *("--no-sync", "--no-instructions"),
        )
        (data / "pg_hba.conf").write_text(
            f"host all {PASSWORD_USER} 127.0.0.1/32 scram-sha-256\n"
            "host all all 127.0.0.1/32 trust\n"
            "local all all trust\n",
            encoding="utf-8",
        )

    def start(self) -> None:
        """Start the server (only TCP on 127.0.0.1, its socket in our folder) and wait for it."""
        options = ["-h", "127.0.0.1", "-p", str(self.port), "-k", str(self.root / "sockets")]
        self._run(
            "pg_ctl",
            *("-D", str(self.root / "data"), "-l", str(self.root / "server.log")),
            *("-w", "-s", "-t", "30", "-o", " ".join([*options, *_FAST]), "start"),
        )

    def stop(self) -> None:
        """Stop the server at once, as a crash or a failover would."""
        self._run("pg_ctl", "-D", str(self.root / "data"), "-w", "-s", "-m", "immediate", "stop")

    def _run(self, program: str, *args: str) -> None:
        command = [*self.as_user, str(self.bin / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            log = self.root / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{program} failed: {done.stdout}{done.stderr}{tail}")


@contextlib.contextmanager
def postgres_server() -> Iterator[PostgresServer]:
    """Start a server in a temporary folder, and stop it and delete the folder afterwards."""
    found = bin_dir()
    if found is None:
        message = (
            "PostgreSQL is not installed (no initdb on PATH or in /usr/lib/postgresql/*/bin): "
            "the PostgreSQL state tests did not run; install Debian's `postgresql` package"
        )
        if os.environ.get("CI"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    user = _server_user()
    # Not under pytest's tmp folder: that one is private to us, and the server's user must enter.
    root = Path(tempfile.mkdtemp(prefix="talent-bot-pg-"))
    (root / "sockets").mkdir()
    if user:
        shutil.chown(root, user)
        shutil.chown(root / "sockets", user)
    server = PostgresServer(found, root, free_port(), ["runuser", "-u", user, "--"] if user else [])
    try:
        server.init()
        server.start()
        try:
            server.execute(f"CREATE ROLE {PASSWORD_USER} LOGIN PASSWORD '{PASSWORD}'")
            yield server
        finally:
            with contextlib.suppress(RuntimeError):  # a test may have left it stopped
                server.stop()
    finally:
        shutil.rmtree(root, ignore_errors=True)
