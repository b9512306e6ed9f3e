"""User text echoed back (issue 10, item 14): a terminal gets no raw control character, and
Discord renders no heading, masked link, mention or emphasis the user typed. Knowledge text is
escaped once, where it is rendered, like everything else an answer holds."""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.conftest import ROOT, bot_env
from tests.e2e.conftest import deployed, embed_of, embed_text, final_reply, option
from tests.e2e.fake_discord import FakeDiscord, FakeGuild

# What must never reach a terminal raw: C0 but tab and newline, DEL, C1 (U+009B is an 8-bit CSI),
# bidi overrides and isolates.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f\x80-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\u009b31m\u202e"
SHOWN = "\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202e"  # HOSTILE as the bot shows it
# Words a question may not hold ("pwned"), so only characters that add none.
QUESTION = "\x07\x1b who left amazon? \u202e\u009b"

# Typed or piped by a user; every one echoes its text in the reply or the error.
LINES = [
    QUESTION,  # the question is the title of the answer
    f"/person name:zzqx{HOSTILE}",  # "I have no person called …"
    "/company name:amazno\x1b\u202e",  # "Showing Amazon, the closest name to …"
    f"/stats topic:zzqx{HOSTILE}",  # "I know no figures about …"
    f"/bogus{HOSTILE}",  # "Unknown command …"
    f"/who-left fi{HOSTILE}rm: amazon",  # an option that is not one
]


def _run(tmp_path: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        cwd=ROOT,
        env=bot_env(tmp_path),
        input=stdin.encode(),
        capture_output=True,
        timeout=60,
        check=False,
    )


def test_control_characters_piped_into_the_console_are_shown_escaped(tmp_path: Path) -> None:
    result = _run(tmp_path, "console", stdin="\n".join(LINES) + "\n")
    out = (result.stdout + result.stderr).decode()
    assert result.returncode == 0, out
    assert not RAW.search(out), RAW.findall(out)
    # Escaped where they were, so the user sees what was sent: every line echoed and answered.
    assert out.count("\\x07\\x1b who left amazon? \\u202e\\x9b") == 2
    assert out.count("amazno\\x1b\\u202e") == 2
    assert out.count(SHOWN) == 2 * (len(LINES) - 2) - 1  # the unknown command is casefolded
    assert "Vasi Philomin" in out and "the closest name to" in out and "Unknown command" in out


@pytest.mark.parametrize("line", LINES)
def test_control_characters_in_ask_are_shown_escaped(tmp_path: Path, line: str) -> None:
    result = _run(tmp_path, "ask", line)
    out = (result.stdout + result.stderr).decode()
    assert result.returncode in (0, 2), out
    assert "Traceback" not in out
    assert not RAW.search(out), RAW.findall(out)
    assert "\\x1b" in out  # shown, escaped


# ---------------------------------------------------------------------- Discord

MARKUP = "# **now** [click me](http://evil.example/x) <@&123456789012345678> <#123456789>"
# A question with the words of one the bot answers, so that it becomes the answer's title.
MARKED_QUESTION = "# **now** who left amazon? <@&123456789012345678> <#123456789> \x1b\u202e"
MARKDOWN_NAMES = """
[article]
id = "markdown-names"
title = "Star*Labs Hires an Engineer"
publisher = "Example Wire"
published = 2026-05-01

[[companies]]
id = "star-labs"
name = "Star*Labs"

[[people]]
id = "ann-underwood"
name = "Ann Under_wood"
roles = [{ title = "Engineer", company = "star-labs", current = true }]
"""


def assert_plain(text: str) -> None:
    """Nothing of MARKUP can render: no heading, masked link, mention or emphasis."""
    assert not text.startswith("#"), text
    assert "](" not in text, text  # a masked link needs "](" together
    assert "<@&1" not in text and "<#1" not in text, text
    assert "**now**" not in text, text
    assert not RAW.search(text), text


def assert_echoed(text: str) -> None:
    """The user's words are there, escaped."""
    assert "\\*\\*now\\*\\*" in text or "\\*\\*amazno\\*\\*" in text, text


@dataclass
class Running:
    fake: FakeDiscord
    guild: FakeGuild


def _markdown_names(env: dict[str, str]) -> None:
    (Path(env["KNOWLEDGE_DIR"]) / "2026-05-01-markdown-names.toml").write_text(MARKDOWN_NAMES)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    home = tmp_path_factory.mktemp("echo")
    async with deployed("echo", home, prepare=_markdown_names) as it:
        yield Running(it.fake, it.guild)


async def _embed(running: Running, command: str, **options: Any) -> dict[str, Any]:
    sent = await running.fake.send_command(command, [option(k, v) for k, v in options.items()])
    return embed_of(await final_reply(running.fake, sent))


@pytest.mark.asyncio(loop_scope="module")
async def test_ask_shows_the_question_as_plain_text(running: Running) -> None:
    embed = await _embed(running, "ask", question=MARKED_QUESTION)
    assert "Vasi Philomin" in str(embed)
    assert_plain(embed["title"])
    assert_echoed(embed["title"])
    assert embed["title"].startswith("\\# \\*\\*now")


@pytest.mark.asyncio(loop_scope="module")
async def test_a_mention_shows_the_question_as_plain_text(running: Running) -> None:
    channel = running.guild.text_channel().id
    bot_id = running.fake.bot_user.id
    await running.fake.send_message_create(f"<@{bot_id}> {MARKED_QUESTION}")
    reply = await running.fake.wait_message(channel)
    assert_plain(reply["embeds"][0]["title"])
    assert_echoed(reply["embeds"][0]["title"])


@pytest.mark.asyncio(loop_scope="module")
@pytest.mark.parametrize(
    ("command", "options"),
    [
        ("company", {"name": MARKUP}),  # not found
        ("company", {"name": "**amazno**"}),  # did you mean
        ("person", {"name": MARKUP}),
        ("who-left", {"company": MARKUP}),
        ("stats", {"topic": MARKUP}),
    ],
)
async def test_not_found_and_did_you_mean_show_the_name_as_plain_text(
    running: Running, command: str, options: dict[str, str]
) -> None:
    embed = await _embed(running, command, **options)
    assert_echoed(f"{embed['title']}\n{embed['description']}")
    assert_plain(embed["title"])
    assert_plain(embed["description"])


@pytest.mark.asyncio(loop_scope="module")
async def test_knowledge_text_is_escaped_once(running: Running) -> None:
    embed = await _embed(running, "company", name="Star*Labs")
    assert embed["title"] == "Star\\*Labs"
    names = [f["name"] for f in embed.get("fields") or []] + [embed.get("description") or ""]
    assert any("Ann Under\\_wood" in n for n in names), names
    assert not any("\\\\" in n for n in names), names
    # A footer shows text as it is (no markdown there): a backslash would show too.
    assert (
        embed["footer"]["text"] == "Source: Star*Labs Hires an Engineer (Example Wire, May 1, 2026)"
    )
    # An answer from the seed knowledge reads as before: it holds no markdown to escape.
    seed = await _embed(running, "who-left", company="amazon")
    assert "\\" not in embed_text(seed)
