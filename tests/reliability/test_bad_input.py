"""Bad input never crashes or leaks: arbitrary Unicode into the parser, resolution and every query.

Every property runs against one service over a real SQLite file (seed plus second article), and
every answer it produces must render within Discord's embed limits and as plain text.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import discord
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.commands import COMMANDS, Upload, run
from bot.console.parser import Parsed, Question, UsageError, parse_line
from bot.console.prompt import respond
from bot.discord import replies
from bot.service import TalentService
from bot.store import Store
from tests.conftest import copy_knowledge
from tests.reliability.conftest import Tally, check_answer, check_choices

T = TypeVar("T")
MENTION = re.compile(r"@(everyone|here|[!&]?[0-9]{17,20})")
MAX_CHARS = 10_000
# Echoing a whole 10,000-character line back in an error would flood a console or a channel.
MAX_USAGE_ERROR = 600
EXAMPLES = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

# What people paste into chat boxes: pings, markdown, invisible and direction-changing characters,
# control characters, and the names and option markers the bot does know.
SPICY = [
    "@everyone",
    "@here",
    "<@123>",
    "<@!123456789012345678>",
    "<@&456>",
    "<#789>",
    "@\u200beveryone",
    "\u200b",
    "\u200c",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u200e",
    "\u200f",
    "\u202e",
    "\u2066",
    "\x00",
    "\x1b[31m",
    "\r\n",
    "\t",
    "\x7f",
    "**",
    "__",
    "~~",
    "||",
    "`",
    "```",
    "> ",
    "# ",
    "[link](https://example.com)",
    "https://discord.gg/x",
    ":",
    "company:",
    "person:",
    "name:",
    "topic:",
    "question:",
    "/",
    "Amazon",
    "amazn",
    "AWS",
    "Vasi Philomin",
    "philomen",
    "Kestrel",
    "Meta",
    "upwork",
    "market cap",
    "Zuckerberg",
    "who left",
    "?",
    "ǅ",
    "ﬁ",
    "İ",
    "ß",
    "\u0301",
    "𝔸𝕞𝕒𝕫𝕠𝕟",
    "👩‍💻",
]
_CHARS = st.characters(exclude_categories=("Cs",))
_SEGMENT = st.one_of(
    st.sampled_from(SPICY),
    st.text(_CHARS, max_size=40),
    st.builds(
        lambda s, n: s * n,
        st.sampled_from(["a", "é ", "@everyone ", "\u200b"]),
        st.integers(0, 3000),
    ),
)
TEXT = st.lists(_SEGMENT, max_size=12).map(lambda parts: "".join(parts)[:MAX_CHARS])
OPTIONAL = st.none() | TEXT
COMMAND_NAMES = [*COMMANDS, "WHO-LEFT", "who_left", "whoLeft"]
LINE = st.one_of(
    TEXT,
    st.builds(
        lambda name, sep, rest: f"/{name}{sep}{rest}"[:MAX_CHARS],
        st.sampled_from(COMMAND_NAMES),
        st.sampled_from([" ", "\t", "  ", "\u3000", ""]),
        TEXT,
    ),
)


def count(tally: Tally, *texts: str) -> None:
    """One more input tried; also how many carried a ping and the longest, to show the reach."""
    tally["inputs"] += 1
    if any(MENTION.search(t) or "<@" in t for t in texts):
        tally["inputs_with_pings"] += 1
    tally["longest_input"] = max(tally["longest_input"], *(len(t) for t in texts))


@dataclass
class Live:
    """A started service and the event loop it lives on, for synchronous hypothesis tests."""

    runner: asyncio.Runner
    service: TalentService

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.runner.run(coro)


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    root = tmp_path_factory.mktemp("bad-input")
    knowledge = copy_knowledge(root / "knowledge", second=True)
    with asyncio.Runner() as runner:
        store = Store(str(root / "bot.db"))
        runner.run(store.open())
        try:
            service = TalentService(store, knowledge)
            report = runner.run(service.start())
            assert report is not None and report.ok, report
            yield Live(runner, service)
        finally:
            runner.run(store.close())


@EXAMPLES
@given(line=LINE)
def test_parse_line_never_raises(line: str, tally: Tally) -> None:
    count(tally, line)
    parsed = parse_line(line)
    if parsed is None:
        assert not line.strip()
    elif isinstance(parsed, Question):
        assert parsed.text == line.strip() and not parsed.text.startswith("/")
    elif isinstance(parsed, UsageError):
        assert 0 < len(parsed.message) <= MAX_USAGE_ERROR
    else:
        assert isinstance(parsed, Parsed)
        command = COMMANDS[parsed.command]
        allowed = {o.name for o in command.options}
        assert set(parsed.options) <= allowed
        assert all(o.name in parsed.options for o in command.options if o.required)
        # A file: option names a local file, read as an upload when it is one.
        assert all(isinstance(v, Upload) or (v and v == v.strip()) for v in parsed.options.values())


@EXAMPLES
@given(text=TEXT, kind=st.sampled_from([None, "person", "company"]), limit=st.integers(1, 25))
def test_resolution_and_completion_never_raise(
    live: Live, tally: Tally, text: str, kind: Any, limit: int
) -> None:
    count(tally, text)

    async def resolve() -> None:
        async with live.service.context() as ctx:
            found = ctx.index.resolve(text, kind)
            assert found.status in {"found", "ambiguous", "not_found"}
            if found.status == "found":
                assert found.entity is not None and found.entity.id in ctx.index.entities
                assert kind is None or found.entity.kind == kind
            assert len(found.candidates) <= 3

    live.run(resolve())
    check_choices(live.service.complete(text, kind, limit), limit)


@EXAMPLES
@given(a=OPTIONAL, b=OPTIONAL, c=TEXT)
def test_every_query_renders_within_discord_limits(
    live: Live, tally: Tally, a: str | None, b: str | None, c: str
) -> None:
    count(tally, a or "", b or "", c)
    service = live.service

    async def ask_everything() -> None:
        for answer in (
            await run(service, "who-left", a, b),
            await run(service, "who-joined", b, a),
            await run(service, "stats", a),
            await run(service, "person", c),
            await run(service, "company", c),
            await run(service, "ask", c),
        ):
            check_answer(answer)

    live.run(ask_everything())


@EXAMPLES
@given(line=LINE)
def test_console_never_raises(live: Live, tally: Tally, line: str) -> None:
    count(tally, line)
    text, ok = live.run(respond(live.service, line))
    assert isinstance(text, str)
    assert ok == (not isinstance(parse_line(line), UsageError))
    if ok and line.strip():
        assert text.strip()


# ---------------------------------------------------------------------- no pings


def test_no_pings_allows_no_mention() -> None:
    none = replies.NO_PINGS
    assert (none.everyone, none.users, none.roles, none.replied_user) == (
        False,
        False,
        False,
        False,
    )
    # An empty parse list is what tells Discord to resolve no mention in the content at all.
    assert none.to_dict() == {"parse": []}


@dataclass
class _Response:
    """Just enough of discord.InteractionResponse for send_text: it records what was sent."""

    sent: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def is_done(self) -> bool:
        return False

    async def send_message(self, content: str, **kwargs: Any) -> None:
        self.sent.append((content, kwargs))


@dataclass
class _Interaction:
    response: _Response = field(default_factory=_Response)


@EXAMPLES
@given(text=TEXT)
def test_send_text_escapes_mentions(tally: Tally, text: str) -> None:
    count(tally, text)
    interaction = _Interaction()
    asyncio.run(replies.send_text(interaction, text))  # type: ignore[arg-type]
    [(content, kwargs)] = interaction.response.sent
    assert kwargs["allowed_mentions"] is replies.NO_PINGS
    assert kwargs["ephemeral"] is True
    assert len(content) <= 2000
    assert not MENTION.search(content), content[:200]


def test_send_text_escapes_the_obvious_pings() -> None:
    interaction = _Interaction()
    text = "hi @everyone and @here, <@123456789012345678> <@&123456789012345678>"
    asyncio.run(replies.send_text(interaction, text))  # type: ignore[arg-type]
    [(content, _)] = interaction.response.sent
    assert "@everyone" not in content and "@here" not in content
    assert content == discord.utils.escape_mentions(text)


# ---------------------------------------------------------------------- extreme knowledge


def _longest_valid_file(facts: int) -> str:
    """One knowledge file with every text at the schema's maximum length (2000, names 120)."""
    long = json.dumps(("Long words @everyone **bold** " * 80)[:1999] + ".")
    name = "N" * 113 + " Person"
    outlet = json.dumps("C" * 120)
    parts = [
        f"""[article]
id = "longest"
title = {long}
publisher = {json.dumps("P" * 120)}
published = 2026-01-01
url = "https://example.com/{"u" * 3000}"
cites = [{outlet}]

[[people]]
id = "long-person"
name = "{name}"
roles = [{{ title = {long}, company = "long-co", current = true }}]

[[companies]]
id = "long-co"
name = "{"Q" * 120}"
description = {long}
parent = "long-parent"

[[companies]]
id = "long-parent"
name = "{"W" * 120}"
"""
    ]
    sourced = f"reported_on = 2026-01-01\nreported_by = {outlet}\nquote = {long}\n"
    for i in range(facts):
        parts.append(
            f"""
[[moves]]
id = "m{i}"
person = "long-person"
from = "long-co"
to = "undisclosed"
role = {long}
successor = "long-person"
successor_scope = {long}
{sourced}
[[figures]]
id = "f{i}"
subject = "long-co"
measure = {long}
value = 1e15
unit = "{"U" * 20}"
period = {long}
according_to = "long-person"
{sourced}
[[statements]]
id = "s{i}"
speaker = "long-co"
speaker_role = "{"R" * 120}"
said = {long}
{sourced}
[[facts]]
id = "x{i}"
kind = "event"
subjects = ["long-person", "long-co"]
summary = {long}
object = {long}
related = ["long-co"]
{sourced}"""
        )
    return "".join(parts)


async def test_the_longest_valid_knowledge_still_fits_discord(tmp_path: Path) -> None:
    """Found a bug: a 2000-character article title in the footer pushed pages past 6000."""
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "longest.toml").write_text(_longest_valid_file(25), encoding="utf-8")
    async with Store(str(tmp_path / "bot.db")) as store:
        service = TalentService(store, knowledge)
        report = await service.start()
        assert report is not None and report.ok, report.errors
        person, company = "N" * 113 + " Person", "Q" * 120
        answers = [
            await run(service, "who-left"),
            await run(service, "who-left", company),
            await run(service, "who-left", person=person),
            await run(service, "who-joined"),
            await run(service, "stats"),
            await run(service, "stats", "long words"),
            await run(service, "stats", company),
            await run(service, "person", person),
            await run(service, "company", company),
            await run(service, "company", "W" * 120),
            await run(service, "sources"),
            await run(service, "ask", f"who left {company}?"),
        ]
        assert sum(a.status == "ok" for a in answers) >= 10
        for answer in answers:
            check_answer(answer)
        check_choices(service.complete("n" * 30))
