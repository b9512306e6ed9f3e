"""Shared fixtures: the real knowledge dir, a second article, and services over real SQLite files."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.service import TalentService
from bot.store import Store
from tests.postgres import PostgresServer, postgres_server

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
SECOND_ARTICLE = Path(__file__).resolve().parent / "fixtures" / "second_article.toml"


def copy_knowledge(target: Path, *extra: Path, second: bool = False) -> Path:
    """A writable copy of the real knowledge dir, plus ``extra`` files (and the second article)."""
    target.mkdir(parents=True, exist_ok=True)
    for path in (*KNOWLEDGE.glob("*.toml"), *extra):
        shutil.copy(path, target / path.name)
    if second:
        shutil.copy(SECOND_ARTICLE, target / "2026-03-02-kestrel-cto.toml")
    return target


@contextlib.asynccontextmanager
async def started_service(database: Path, knowledge: Path) -> AsyncIterator[TalentService]:
    """The real service over a real SQLite file, started on ``knowledge`` (which must load)."""
    async with Store(str(database)) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is not None and report.ok, report
        yield service


@pytest.fixture
async def seed_service(tmp_path: Path) -> AsyncIterator[TalentService]:
    """The seed knowledge in a real SQLite file."""
    async with started_service(tmp_path / "seed.db", KNOWLEDGE) as service:
        yield service


@pytest.fixture
async def two_article_service(tmp_path: Path) -> AsyncIterator[TalentService]:
    """The seed plus a second, made-up article, loaded from a temp knowledge dir."""
    knowledge = copy_knowledge(tmp_path / "knowledge", second=True)
    async with started_service(tmp_path / "two.db", knowledge) as service:
        yield service


def bot_env(tmp_path: Path) -> dict[str, str]:
    """A private database and home (for the console history), the real knowledge files."""
    return {
        **os.environ,
        "DATABASE_PATH": str(tmp_path / "bot.db"),
        "STATE_DATABASE_PATH": str(tmp_path / "state.db"),  # never the repository's data/
        "KNOWLEDGE_DIR": str(KNOWLEDGE),
        "HOME": str(tmp_path),
        "LOG_LEVEL": "INFO",
    }


def run_bot(
    tmp_path: Path, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m bot ARGS` as a user runs it, with a private database and home (and ``env``)."""
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env={**bot_env(tmp_path), **(env or {})},
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL server for the session (skipped without one, failed under CI)."""
    with postgres_server() as server:
        yield server
