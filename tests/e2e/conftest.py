"""Helpers to run the real bot (`python -m bot run`) as a subprocess against FakeDiscord.

The fake runs in the test's event loop; the bot is a child process reading its settings from the
environment, exactly as in production, with its REST and gateway URLs pointed at the fake.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import ROOT, copy_knowledge
from tests.e2e.fake_discord import FakeDiscord, FakeGuild, SentInteraction, make_snowflake

READY_LINE = "ready as"  # bot.discord.client.TalentBot.on_ready logs it once every shard is ready
START_TIMEOUT = 20.0
EPHEMERAL = 1 << 6

# Settings the bot reads; the parent's values must not leak into a test's bot.
_SETTING_PREFIXES = (
    "DISCORD_",
    "ADMIN_",
    "SHARD_",
    "COOLDOWN_",
    "KNOWLEDGE_DIR",
    "DATABASE_PATH",
    "LOG_LEVEL",
    "MAX_KNOWLEDGE_FILE_BYTES",
    "STATE_",
    "WATCH_",
)


class BotProcess:
    """A running `python -m bot ...` child whose stdout and stderr are collected line by line."""

    def __init__(self, proc: asyncio.subprocess.Process) -> None:
        self.proc = proc
        self.lines: list[str] = []
        self._changed = asyncio.Event()
        assert proc.stdout is not None and proc.stderr is not None
        self._readers = [
            asyncio.create_task(self._pump(proc.stdout)),
            asyncio.create_task(self._pump(proc.stderr)),
        ]

    @classmethod
    async def start(cls, env: Mapping[str, str], *args: str) -> BotProcess:
        """Start `python -m bot ARGS` in the repository with exactly these settings."""
        base = {k: v for k, v in os.environ.items() if not k.startswith(_SETTING_PREFIXES)}
        proc = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            *(args or ("run",)),
            cwd=ROOT,
            env={**base, "PYTHONUNBUFFERED": "1", **env},
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
        )
        return cls(proc)

    async def _pump(self, stream: asyncio.StreamReader) -> None:
        async for raw in stream:
            self.lines.append(raw.decode(errors="replace").rstrip("\n"))
            self._changed.set()

    @property
    def output(self) -> str:
        """Everything the process printed so far (stdout and stderr interleaved by arrival)."""
        return "\n".join(self.lines)

    def count(self, text: str) -> int:
        """How many output lines contain the text."""
        return sum(text in line for line in self.lines)

    async def wait_output(self, text: str, *, count: int = 1, timeout: float = 10.0) -> None:
        """Wait until `count` output lines contain the text; fail early if the process dies."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while self.count(text) < count:
            if self.proc.returncode is not None:
                await self._drain()
                if self.count(text) >= count:
                    return
                raise AssertionError(
                    f"bot exited {self.proc.returncode} before printing {text!r}:\n{self.tail()}"
                )
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"bot never printed {text!r}:\n{self.tail()}")
            self._changed.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._changed.wait(), min(remaining, 0.1))

    async def wait_exit(self, timeout: float = 10.0) -> int:
        """The exit code, once the process has ended and its output is read."""
        code = await asyncio.wait_for(self.proc.wait(), timeout)
        await self._drain()
        return code

    async def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM, then SIGKILL if it does not exit in time; returns the exit code."""
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                return await self.wait_exit(timeout)
            except TimeoutError:
                self.proc.kill()
        return await self.wait_exit(timeout)

    async def _drain(self) -> None:
        await asyncio.wait_for(asyncio.gather(*self._readers), 5)

    def tail(self, lines: int = 40) -> str:
        """The last output lines, for failure messages."""
        return "\n".join(self.lines[-lines:])


def shard_guilds(count: int = 2) -> list[FakeGuild]:
    """One guild per shard, each with an id Discord would route to that shard."""
    return [
        FakeGuild(make_snowflake(shard_id=s, shard_count=count), name=f"on {s}")
        for s in range(count)
    ]


def shard_envs(
    fake: FakeDiscord, workdir: Path, guilds: list[FakeGuild], knowledge: Path, **settings: object
) -> list[dict[str, str]]:
    """Settings for one bot process per shard: one knowledge folder, a database each."""
    return [
        bot_env(
            fake,
            workdir / f"shard{s}",
            guild_id=guild.id,
            shard_count=len(guilds),
            shard_ids=s,
            knowledge_dir=knowledge,
            **settings,
        )
        for s, guild in enumerate(guilds)
    ]


def bot_env(
    fake: FakeDiscord, workdir: Path, *, guild_id: int | None, **settings: object
) -> dict[str, str]:
    """Settings for a bot against this fake: a copy of knowledge/ and a database in `workdir`.

    Extra keyword settings are upper-cased into variables (`cooldown_rate=1` -> COOLDOWN_RATE=1).
    """
    knowledge = workdir / "knowledge"
    if not knowledge.exists():
        copy_knowledge(knowledge)
    env = {
        "DISCORD_TOKEN": fake.token,
        "DISCORD_API_BASE": fake.api_base,
        "DISCORD_GATEWAY_URL": fake.gateway_url,
        "DISCORD_CDN_BASE": fake.cdn_base,  # attachments' Discord URLs are fetched from the fake
        "DATABASE_PATH": str(workdir / "bot.db"),
        "STATE_DATABASE_PATH": str(workdir / "state.db"),
        "KNOWLEDGE_DIR": str(knowledge),
        # Tests that edit files and then /reload must not race the watcher; its tests turn it on.
        "WATCH_KNOWLEDGE": "false",
        "LOG_LEVEL": "DEBUG",
        # Tests send many commands from one member; the cooldown has its own test.
        "COOLDOWN_RATE": "1000",
    }
    if guild_id is not None:
        env["DISCORD_GUILD_ID"] = str(guild_id)
    env.update({k.upper(): str(v) for k, v in settings.items()})
    return env


@contextlib.asynccontextmanager
async def running_bot(env: Mapping[str, str], *, ready: bool = True) -> AsyncIterator[BotProcess]:
    """A bot process that is always terminated afterwards (SIGTERM, then kill)."""
    bot = await BotProcess.start(env)
    try:
        if ready:
            await bot.wait_output(READY_LINE, timeout=START_TIMEOUT)
        yield bot
    finally:
        await bot.stop()


@dataclass
class Deployed:
    """A fake Discord with one guild, and the real bot connected to it."""

    fake: FakeDiscord
    guild: FakeGuild
    bot: BotProcess


@contextlib.asynccontextmanager
async def deployed(
    name: str, home: Path, *, prepare: Callable[[dict[str, str]], None] | None = None
) -> AsyncIterator[Deployed]:
    """The bot running against a fake guild called ``name`` (``prepare`` may edit its settings
    or knowledge first); afterwards it must have stopped cleanly, with no traceback and no
    request Discord would have refused."""
    guild = FakeGuild(name=name)
    async with FakeDiscord([guild]) as fake:
        env = bot_env(fake, home, guild_id=guild.id)
        if prepare is not None:
            prepare(env)
        async with running_bot(env) as bot:
            yield Deployed(fake, guild, bot)
        assert bot.proc.returncode == 0, bot.tail()
        assert "Traceback" not in bot.output, bot.tail()
        fake.assert_clean()


def gateway_live(fake: FakeDiscord, shard_id: int = 0) -> bool:
    """Whether the shard's gateway socket is open (the fake keeps sessions private)."""
    session = fake._shard_sessions.get(shard_id)
    return session is not None and session.live


def option(name: str, value: Any, *, focused: bool = False) -> dict[str, Any]:
    """An interaction option in wire format (strings are type 3, booleans type 5)."""
    kind = 5 if isinstance(value, bool) else 3
    data: dict[str, Any] = {"name": name, "type": kind, "value": value}
    if focused:
        data["focused"] = True
    return data


def embed_of(message: Mapping[str, Any]) -> dict[str, Any]:
    """The one embed of a callback body or a message."""
    data = message.get("data", message)
    [embed] = data["embeds"]
    return dict(embed)


def embed_text(embed: Mapping[str, Any]) -> str:
    """All the visible text of an embed, for assertions that do not care where a word sits."""
    parts = [embed.get("title") or "", embed.get("description") or ""]
    for f in embed.get("fields") or []:
        parts += [f["name"], f["value"]]
    parts.append((embed.get("footer") or {}).get("text") or "")
    return "\n".join(parts)


def flags_of(message: Mapping[str, Any]) -> int:
    """Message flags of a callback body or a message."""
    data = message.get("data", message)
    return int(data.get("flags") or 0)


def is_ephemeral(message: Mapping[str, Any]) -> bool:
    """Whether only the asker sees it (flag 64)."""
    return bool(flags_of(message) & EPHEMERAL)


async def final_reply(fake: FakeDiscord, sent: SentInteraction, timeout: float = 10.0) -> Any:
    """The answer to an interaction: its callback message, or after a defer (type 5) the
    follow-up or the edit of the loading message, whichever the bot sent."""
    callback = await fake.wait_callback(sent, timeout)
    if callback["type"] != 5:
        return callback["data"]

    def answered() -> Any:
        if sent.followup_ids:
            return fake.followups(sent)[0]
        original = fake.original_response(sent)
        if original is not None and not int(original.get("flags") or 0) & (1 << 7):
            return original
        return None

    return await fake.wait_until(answered, timeout, f"reply to deferred {sent.id}")


def write_moves_article(
    directory: Path, *, count: int, company: str = "Pagewell Systems", dated: bool = False
) -> Path:
    """A made-up article in which `count` people ("Tester 01 Lindqvist", ...) leave one company,
    enough facts that every answer about it needs several pages (with ``dated``, tester n's
    move is reported on April n, up to the 28th)."""
    slug = "-".join(company.lower().split())
    lines = [
        "[article]",
        f'id = "{slug}-exodus"',
        f'title = "Engineers Leave {company}"',
        'publisher = "Example Wire"',
        "published = 2026-04-01",
        "",
        "[[companies]]",
        f'id = "{slug}"',
        f'name = "{company}"',
        "",
    ]
    for n in range(1, count + 1):
        person = f"tester-{n:02d}"
        name = f"Tester {n:02d} Lindqvist"
        lines += [
            "[[people]]",
            f'id = "{person}"',
            f'name = "{name}"',
            f'roles = [{{ title = "Engineer", company = "{slug}", current = false }}]',
            "",
            "[[moves]]",
            f'id = "{person}-leaves"',
            f'person = "{person}"',
            f'from = "{slug}"',
            'to = "undisclosed"',
            f"reported_on = 2026-04-{min(n, 28) if dated else 1:02d}",
            f'quote = "{name} has left {company}."',
            "",
        ]
    path = directory / f"2026-04-01-{slug}-exodus.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
