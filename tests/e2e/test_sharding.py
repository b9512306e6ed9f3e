"""Sharding across processes: SHARD_COUNT and SHARD_IDS, checked at start and run for real."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from bot.settings import Settings
from tests.conftest import copy_knowledge
from tests.e2e.conftest import (
    READY_LINE,
    BotProcess,
    embed_of,
    embed_text,
    final_reply,
    gateway_live,
    option,
    running_bot,
    shard_envs,
    shard_guilds,
)
from tests.e2e.fake_discord import FakeDiscord


@pytest.mark.parametrize(
    ("count", "ids", "message"),
    [
        (None, "1", "SHARD_IDS needs SHARD_COUNT"),
        (2, "0,2", "SHARD_IDS must be from 0 to 1 (SHARD_COUNT - 1); got 2"),
        (2, "1,1", "SHARD_IDS lists a shard twice"),
    ],
)
def test_shard_settings_are_checked(count: int | None, ids: str, message: str) -> None:
    with pytest.raises(ValidationError) as caught:
        Settings(_env_file=None, shard_count=count, shard_ids=ids)
    assert message in caught.value.errors()[0]["msg"]


def test_shard_settings_read_a_comma_list() -> None:
    settings = Settings(_env_file=None, shard_count=4, shard_ids="3, 1")
    assert settings.shard_ids == [3, 1]
    assert Settings(_env_file=None).shard_ids is None


async def test_run_refuses_shard_ids_without_a_count(tmp_path: Path) -> None:
    bot = await BotProcess.start({"DATABASE_PATH": str(tmp_path / "db"), "SHARD_IDS": "1"})
    assert await bot.wait_exit() == 2
    assert bot.lines == [
        "talent-bot: invalid setting: SHARD_IDS: SHARD_IDS needs SHARD_COUNT, "
        "the total number of shards"
    ]


async def test_two_processes_each_answer_the_guilds_of_their_shard(tmp_path: Path) -> None:
    guilds = shard_guilds()
    knowledge = copy_knowledge(tmp_path / "knowledge")  # one folder, a database per process
    async with FakeDiscord(guilds, shard_count=2) as fake:
        envs = shard_envs(fake, tmp_path, guilds, knowledge)
        async with running_bot(envs[0]) as zero, running_bot(envs[1]) as one:
            procs = (zero, one)
            assert sorted(tuple(p["shard"]) for p in fake.identify_payloads) == [(0, 2), (1, 2)]
            for shard, proc in enumerate(procs):
                # Each process identified for its own shard only, and got that shard's guild.
                assert proc.count(f"in 1 guilds (shards [{shard}])") == 1, proc.tail()
                assert proc.count(READY_LINE) == 1

            for shard, guild in enumerate(guilds):
                sent = await fake.send_command(
                    "who-left", [option("company", "amazon")], guild_id=guild.id
                )
                reply = await final_reply(fake, sent)
                assert "Vasi Philomin" in embed_text(embed_of(reply))
                # The answer came from the process holding that shard.
                await procs[shard].wait_output(f"/interactions/{sent.id}/")
                assert procs[1 - shard].count(str(sent.id)) == 0

            # Shard 0's process stops; shard 1's guild is still answered.
            assert await zero.stop() == 0
            await fake.wait_until(lambda: not gateway_live(fake, 0), what="shard 0 closed")
            sent = await fake.send_command("stats", guild_id=guilds[1].id)
            assert embed_of(await final_reply(fake, sent))["title"]
            assert gateway_live(fake, 1)
        fake.assert_clean()
