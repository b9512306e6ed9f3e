"""Interactions that do not fit the bot's commands, and settings that cannot be read (issue 10,
item 12): Discord keeps showing an old version of a command for a while after it changes, and a
token or `.env` can hold bytes no one meant. Each gets one clear line, never a traceback."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.conftest import ROOT, copy_knowledge
from tests.e2e.conftest import (
    BotProcess,
    bot_env,
    deployed,
    embed_of,
    embed_text,
    final_reply,
    is_ephemeral,
    option,
)
from tests.e2e.fake_discord import FakeDiscord, FakeGuild

pytestmark = pytest.mark.asyncio(loop_scope="module")

OUT_OF_DATE = "changed since Discord last loaded it"
LOGGED = "does not fit the command"  # the bot's one WARNING line per stale interaction


@dataclass
class Running:
    fake: FakeDiscord
    bot: BotProcess


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    async with deployed("stale", tmp_path_factory.mktemp("stale")) as it:
        yield Running(it.fake, it.bot)


# Each is what Discord sends for a command as it was registered before the bot changed it.
STALE = {
    "a command no longer registered": ("who-quit", [option("company", "amazon")]),
    "an option no longer known": ("who-left", [option("firm", "amazon")]),
    "a required option missing": ("person", []),
    "an integer where a string is": ("who-left", [{"name": "company", "type": 4, "value": 5}]),
    "a string typed as a boolean": ("stats", [{"name": "private", "type": 5, "value": "yes"}]),
    "a number in a string option": ("stats", [{"name": "topic", "type": 3, "value": 7.5}]),
    "a question longer than its range": ("ask", [option("question", "who left amazon? " * 40)]),
}


@pytest.mark.parametrize("case", list(STALE))
async def test_a_stale_interaction_is_told_the_command_is_out_of_date(
    running: Running, case: str
) -> None:
    fake, bot = running.fake, running.bot
    logged = bot.count(LOGGED)
    name, options = STALE[case]
    reply = await final_reply(fake, await fake.send_command(name, options))
    assert OUT_OF_DATE in reply["content"] and is_ephemeral(reply), reply
    await bot.wait_output(LOGGED, count=logged + 1)
    fake.assert_clean()


async def test_stale_autocomplete_gets_no_choices_and_no_traceback(running: Running) -> None:
    fake, bot = running.fake, running.bot
    logged = bot.count(LOGGED)
    typed: list[tuple[str, list[dict[str, Any]]]] = [
        ("who-quit", [option("company", "ama", focused=True)]),
        ("who-left", [{"name": "company", "type": 4, "value": 5, "focused": True}]),
        ("who-left", [option("private", "tr", focused=True)]),  # not an autocompleted option
    ]
    for name, options in typed:
        callback = await fake.wait_callback(await fake.send_autocomplete(name, options))
        assert callback == {"type": 8, "data": {"choices": []}}
    await bot.wait_output(LOGGED, count=logged + len(typed))
    fake.assert_clean()


async def test_after_stale_interactions_the_bot_answers_and_logged_no_traceback(
    running: Running,
) -> None:
    """Runs last in this module (file order): the stale ones above left nothing behind."""
    reply = await final_reply(
        running.fake, await running.fake.send_command("who-left", [option("company", "amazon")])
    )
    assert "Vasi Philomin" in embed_text(embed_of(reply))
    await asyncio.sleep(0.2)  # any late log line of the interactions above
    output = running.bot.output
    assert "Traceback" not in output
    assert [line for line in running.bot.lines if " ERROR " in line] == []
    # One line for each, however discord.py discovered the mismatch.
    assert running.bot.count(LOGGED) == len(STALE) + 3


# ---------------------------------------------------------------------- settings no one can use


async def _start_in(directory: Path, env: dict[str, str], *args: str) -> tuple[int, str]:
    """`python -m bot ARGS` run in ``directory``, where it reads `.env`: exit code and output."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=directory,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "HOME": str(directory), **env},
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), 30)
    finally:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
    assert proc.returncode is not None
    return proc.returncode, out.decode(errors="replace")


def _settings(tmp_path: Path) -> dict[str, str]:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    return {"DATABASE_PATH": str(tmp_path / "bot.db"), "KNOWLEDGE_DIR": str(knowledge)}


@pytest.mark.parametrize("char", ["\x01", "\x1b", "\x7f", "\u200b", " "])
async def test_a_token_with_a_control_character_is_refused_in_one_line(
    tmp_path: Path, char: str
) -> None:
    secret = "MTIzNDU2Nzg5MDEyMzQ1Njc4.Gfake" + char + "A.stale-secret-token"
    async with FakeDiscord([FakeGuild()]) as fake:
        env = bot_env(fake, tmp_path, guild_id=None, discord_token=secret, log_level="INFO")
        for command in ("run", "sync"):
            code, out = await _start_in(tmp_path, env, command)
            assert code == 2, out
            [line] = out.splitlines()
            assert line.startswith("talent-bot: DISCORD_TOKEN"), line
            for part in secret.split(char) + secret.split("."):
                assert part not in out
        assert fake.requests == []  # refused before anything was sent


async def test_a_token_with_a_newline_in_dotenv_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text('DISCORD_TOKEN="MTIz.Gfake\nA.stale-secret-token"\n')
    code, out = await _start_in(tmp_path, _settings(tmp_path), "run")
    assert code == 2, out
    [line] = out.splitlines()
    assert line.startswith("talent-bot: DISCORD_TOKEN"), line
    assert "stale-secret-token" not in out and "MTIz" not in out


@pytest.mark.parametrize("command", [("run",), ("ask", "/help"), ("check",)])
async def test_a_dotenv_that_is_not_utf8_is_named_in_one_line(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    (tmp_path / ".env").write_bytes(b"DISCORD_TOKEN=MTIz.Gfake.caf\xe9-secret\nLOG_LEVEL=INFO\n")
    code, out = await _start_in(tmp_path, _settings(tmp_path), *command)
    assert code == 2, out
    [line] = out.splitlines()
    assert ".env" in line and "UTF-8" in line, line
    assert "secret" not in out and "Traceback" not in out
