"""Secrets that are not Discord's business: the token never shows in settings, .env stays out of git."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from tests.conftest import ROOT

TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gh4xYz.secret-token-value-never-shown"


def _shown(settings: Settings) -> list[str]:
    """Every way the settings get printed, logged or serialised."""
    return [
        repr(settings),
        str(settings),
        f"{settings}",
        settings.model_dump_json(),
        str(settings.model_dump()),
        str(settings.model_dump(mode="json")),
        repr(settings.discord_token),
    ]


@pytest.mark.parametrize("source", ["argument", "environment", "env-file"])
def test_the_token_is_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str
) -> None:
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    if source == "argument":
        settings = Settings(_env_file=None, discord_token=TOKEN)  # type: ignore[arg-type]
    elif source == "environment":
        monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
        settings = Settings(_env_file=None)
    else:
        env = tmp_path / ".env"
        env.write_text(f"DISCORD_TOKEN={TOKEN}\nLOG_LEVEL=debug\n", encoding="utf-8")
        settings = Settings(_env_file=env)
    assert settings.discord_token is not None
    assert settings.discord_token.get_secret_value() == TOKEN
    for text in _shown(settings):
        assert TOKEN not in text and "secret-token" not in text, text


def test_the_token_is_not_in_logs_of_the_settings(caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(_env_file=None, discord_token=TOKEN)  # type: ignore[arg-type]
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("bot.test").debug("settings: %s %r", settings, settings)
    assert caplog.records and TOKEN not in caplog.text


def test_a_settings_error_does_not_echo_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_TOKEN", TOKEN)
    monkeypatch.setenv("LOG_LEVEL", "LOUD")
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None)
    assert "log_level" in str(caught.value)
    assert TOKEN not in str(caught.value) and TOKEN not in repr(caught.value.errors())


def _git(*args: str) -> subprocess.CompletedProcess[str]:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)


@pytest.mark.parametrize("path", [".env", "data/talent-bot.db", "data/talent-bot.db-wal"])
def test_secrets_and_the_database_are_ignored_by_git(path: str) -> None:
    assert _git("check-ignore", "-q", path).returncode == 0, path


def test_the_example_env_is_not_ignored_and_holds_no_token() -> None:
    assert _git("check-ignore", "-q", ".env.example").returncode == 1
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    lines = [line for line in example.splitlines() if line.startswith("DISCORD_TOKEN=")]
    assert lines and all(line.strip() == "DISCORD_TOKEN=" for line in lines), lines
