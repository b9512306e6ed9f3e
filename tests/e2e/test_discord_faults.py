"""Discord misbehaving: dropped gateways, RECONNECT, INVALID_SESSION, expired interactions and
rate limits. The real bot (`python -m bot run`) must ride them out and keep answering."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
import pytest_asyncio

from tests.e2e.conftest import (
    BotProcess,
    deployed,
    embed_of,
    embed_text,
    final_reply,
    option,
)
from tests.e2e.fake_discord import FakeDiscord, SentInteraction

pytestmark = pytest.mark.asyncio(loop_scope="module")


@dataclass
class Running:
    fake: FakeDiscord
    bot: BotProcess

    async def ask(self) -> SentInteraction:
        return await self.fake.send_command("who-left", [option("company", "amazon")])

    async def assert_answers(self, sent: SentInteraction | None = None) -> None:
        """The command (or a new one) gets the usual answer."""
        reply = await final_reply(self.fake, sent or await self.ask())
        assert "Vasi Philomin" in embed_text(embed_of(reply))

    def callback_statuses(self, sent: SentInteraction) -> list[int]:
        return [
            r.status
            for r in self.fake.requests
            if r.path == f"/interactions/{sent.id}/{sent.token}/callback"
        ]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def running(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Running]:
    async with deployed("faults", tmp_path_factory.mktemp("faults")) as it:
        yield Running(it.fake, it.bot)


async def test_dropped_connection_resumes_and_replays_missed_commands(running: Running) -> None:
    fake = running.fake
    resumes = fake.resume_count
    await fake.drop_connection(0)  # a TCP reset, no close frame
    sent = await running.ask()  # while the bot is away: replayed when it resumes
    await fake.wait_until(lambda: fake.resume_count == resumes + 1, what="resume")
    await running.assert_answers(sent)
    assert fake.identify_count == 1


async def test_close_frame_and_reconnect_request_resume(running: Running) -> None:
    fake = running.fake
    resumes = fake.resume_count
    await fake.drop_connection(0, code=4000)  # "unknown error, reconnect"
    await fake.wait_until(lambda: fake.resume_count == resumes + 1, what="resume after 4000")
    await running.assert_answers()
    await fake.send_reconnect(0)  # op 7
    await fake.wait_until(lambda: fake.resume_count == resumes + 2, what="resume after op 7")
    await running.assert_answers()
    assert fake.identify_count == 1


async def test_invalid_session_resumes_or_identifies_again(running: Running) -> None:
    fake = running.fake
    resumes = fake.resume_count
    await fake.send_invalid_session(0, resumable=True)
    await fake.wait_until(lambda: fake.resume_count == resumes + 1, what="resume after op 9")
    await running.assert_answers()
    assert fake.identify_count == 1

    await fake.send_invalid_session(0, resumable=False)
    # discord.py waits 5 s before a non-first IDENTIFY (Discord's identify rate limit).
    await fake.wait_until(lambda: fake.identify_count == 2, timeout=15, what="re-identify")
    await fake.wait_ready(0)
    await running.assert_answers()
    assert fake.resume_count == resumes + 1


async def test_expired_interaction_is_logged_and_the_next_command_answered(
    running: Running,
) -> None:
    fake = running.fake
    # Unknown interaction (10062): the answer came too late, and so would any error notice.
    fake.fail_next_callback(status=404)
    sent = await running.ask()
    await running.bot.wait_output(f"interaction {sent.id}")
    assert not sent.acknowledged
    assert running.callback_statuses(sent) == [404]
    assert running.bot.proc.returncode is None
    await running.assert_answers()


async def test_rate_limited_callback_is_retried(running: Running) -> None:
    fake = running.fake
    fake.fail_next_callback(status=429, retry_after=0.3)
    sent = await running.ask()
    await running.assert_answers(sent)
    assert running.callback_statuses(sent) == [429, 200]


async def test_rate_limited_followup_is_retried(running: Running) -> None:
    """/reload answers after a defer: its follow-up is a webhook call with its own limit."""
    fake = running.fake
    fake.fail_next_request("POST", r"^/webhooks/\d+/[^/]+$", 429, retry_after=0.3)
    owner = next(iter(fake.guilds.values())).owner.id  # the owner has every permission
    sent = await fake.send_command("reload", user_id=owner)
    reply = await final_reply(fake, sent)
    assert "Knowledge unchanged" in embed_text(embed_of(reply))
    statuses = [r.status for r in fake.requests if r.path.startswith("/webhooks/")]
    assert statuses[-2:] == [429, 200]
