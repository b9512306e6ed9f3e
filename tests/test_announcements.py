"""Announcements of new moves: real knowledge files, a real SQLite knowledge and state database."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from pathlib import Path

from bot.announcements import ANNOUNCE_MAX, Announcer, Delivery, broken_notice
from bot.commands import Caller, run
from bot.discord.embeds import TOTAL_MAX, render_embeds
from bot.knowledge.facts import Move
from bot.models import Answer
from bot.service import ReloadReport, TalentService, open_service
from bot.settings import Settings
from bot.state.sqlite import SqliteState
from tests.conftest import SECOND_ARTICLE, copy_knowledge
from tests.e2e.conftest import write_moves_article

GUILD, CHANNEL = 10, 555
ADMIN = Caller(name="ana", user_id=1, guild_id=GUILD)


class Channels:
    """Stands in for Discord's channels: records what was posted where; may refuse."""

    def __init__(self) -> None:
        self.posted: list[tuple[int, Answer]] = []
        self.refuse = False

    async def send(self, channel_id: int, answer: Answer) -> bool:
        if self.refuse:
            return False
        self.posted.append((channel_id, answer))
        return True


def settings(tmp_path: Path) -> Settings:
    return Settings(
        _env_file=None,
        knowledge_dir=tmp_path / "knowledge",
        database_path=str(tmp_path / "bot.db"),
        state_database_path=str(tmp_path / "state.db"),
    )


@contextlib.asynccontextmanager
async def bot(
    tmp_path: Path, channels: Channels, guilds: tuple[int, ...] = (GUILD,)
) -> AsyncIterator[tuple[TalentService, Announcer]]:
    """A service as `talent-bot run` opens it (state included) and its announcer."""
    async with open_service(settings(tmp_path)) as service:
        announcer = Announcer(service, lambda: guilds, channels.send)
        service.after_reload.append(announcer.announce)
        yield service, announcer


async def announced(announcer: Announcer, report: ReloadReport | None) -> list[Delivery]:
    assert report is not None
    return await announcer.announce(report)


async def move_ids(service: TalentService) -> list[str]:
    async with service.context() as ctx:
        return [f.fact.id for f in await ctx.reader.facts_of_kind(Move.KIND)]


async def test_setting_the_channel_marks_known_moves_and_is_audited(tmp_path: Path) -> None:
    copy_knowledge(tmp_path / "knowledge")
    async with bot(tmp_path, Channels()) as (service, _):
        answer = await run(service, "knowledge announce", channel=CHANNEL, caller=ADMIN)
        assert answer.status == "ok", answer
        assert service.state is not None
        assert await service.state.news_channels() == {GUILD: CHANNEL}
        known = await move_ids(service)
        assert known and await service.state.unannounced(GUILD, known) == []
        [entry] = await service.state.history()
        assert (entry.action, entry.actor, entry.actor_id, entry.guild_id) == (
            "announce",
            "ana",
            1,
            GUILD,
        )
        assert str(CHANNEL) in entry.summary


async def test_setting_a_channel_outside_a_server_is_refused(tmp_path: Path) -> None:
    copy_knowledge(tmp_path / "knowledge")
    async with bot(tmp_path, Channels()) as (service, _):
        answer = await run(service, "knowledge announce", channel=CHANNEL)  # the console
        assert answer.status == "invalid" and "server" in (answer.message or "")
        wrong = await run(service, "knowledge announce", channel="#news", caller=ADMIN)
        assert wrong.status == "invalid"
        assert service.state is not None and await service.state.news_channels() == {}
        assert await service.state.count_history() == 0


async def test_new_moves_are_announced_once_newest_first_ten_at_most(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    channels = Channels()
    async with bot(tmp_path, channels) as (service, announcer):
        await run(service, "knowledge announce", channel=CHANNEL, caller=ADMIN)
        write_moves_article(knowledge, count=12, dated=True)
        report = await service.reload()  # the listener announced it
        assert report.ok
        [(channel, answer)] = channels.posted
        assert channel == CHANNEL
        assert answer.title == "New in the news: 12 moves"
        texts = [i.text for i in answer.items()]
        assert len(texts) == ANNOUNCE_MAX
        # Tester n's move was reported on April n: the newest first.
        assert [t.split()[1] for t in texts] == [f"{n:02d}" for n in range(12, 2, -1)]
        assert answer.tips == ["… and 2 more: /latest lists the newest news."]
        for item in answer.items():
            assert item.citation is not None
            assert item.citation.title == "Engineers Leave Pagewell Systems"
            assert item.citation.publisher == "Example Wire"
        # Told once: announcing the same report again (or reloading the same files) tells nothing.
        assert await announcer.announce(report) == []
        assert (await service.reload()).ok
        assert len(channels.posted) == 1


async def test_a_pull_of_hundreds_of_moves_is_one_message(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    channels = Channels()
    async with bot(tmp_path, channels) as (service, announcer):
        await run(service, "knowledge announce", channel=CHANNEL, caller=ADMIN)
        service.after_reload.clear()
        write_moves_article(knowledge, count=700)
        [delivery] = await announcer.announce(await service.reload())
        assert len(delivery.fact_ids) == 700 and len(delivery.answer.items()) == ANNOUNCE_MAX
        assert delivery.answer.tips == ["… and 690 more: /latest lists the newest news."]
        assert service.state is not None
        assert await service.state.unannounced(GUILD, await move_ids(service)) == []


async def test_a_reworded_fact_and_other_kinds_are_no_news(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    channels = Channels()
    async with bot(tmp_path, channels) as (service, _):
        await run(service, "knowledge announce", channel=CHANNEL, caller=ADMIN)
        [seed] = [p for p in knowledge.glob("*.toml")]
        text = seed.read_text(encoding="utf-8")
        quote = text.split('quote = "', 1)[1].split('"', 1)[0]
        seed.write_text(text.replace(quote, quote.rstrip(".") + ", it said.", 1), encoding="utf-8")
        report = await service.reload()
        assert report.ok and report.facts.changed and not report.facts.added
        assert channels.posted == []


async def test_the_first_load_into_an_empty_database_announces_nothing(tmp_path: Path) -> None:
    copy_knowledge(tmp_path / "knowledge", second=True)
    async with SqliteState(tmp_path / "state.db") as state:
        await state.set_news_channel(GUILD, CHANNEL)  # set long ago; the database is new
    channels = Channels()
    async with bot(tmp_path, channels) as (service, announcer):
        assert service.start_report is not None and service.start_report.facts.added
        assert await announced(announcer, service.start_report) == []
    assert channels.posted == []


async def test_a_restart_announces_what_its_load_brought_and_only_once(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    channels = Channels()
    async with bot(tmp_path, channels) as (service, _):
        await run(service, "knowledge announce", channel=CHANNEL, caller=ADMIN)
    # Added while the bot was down: the restart's load brings it, and it is news.
    write_moves_article(knowledge, count=2)
    async with bot(tmp_path, channels) as (service, announcer):
        deliveries = await announced(announcer, service.start_report)
        assert [d.guild_id for d in deliveries] == [GUILD]
        assert len(deliveries[0].fact_ids) == 2
        report = service.start_report
    # Restarted again on files that did not change: nothing loads, nothing is told.
    async with bot(tmp_path, channels) as (service, announcer):
        assert service.start_report is None
        assert report is not None and await announcer.announce(report) == []
    assert len(channels.posted) == 1


async def test_a_failed_send_is_tried_again_by_the_next_announcement(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    channels = Channels()
    async with bot(tmp_path, channels) as (service, announcer):
        await run(service, "knowledge announce", channel=CHANNEL, caller=ADMIN)
        channels.refuse = True
        shutil_copy_second(knowledge)
        report = await service.reload()
        assert channels.posted == []
        assert report.facts.added
        channels.refuse = False
        # The next reload brings nothing new, yet the moves not delivered are told now.
        again = await service.reload()
        assert again.ok and not again.facts.added
        [(channel, answer)] = channels.posted
        assert channel == CHANNEL and "Dana Whitfield" in answer.items()[0].text
        assert await announcer.announce(again) == []


async def test_only_this_process_servers_are_told(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    channels = Channels()
    other = Caller(name="bo", user_id=2, guild_id=20)
    async with bot(tmp_path, channels, guilds=(GUILD,)) as (service, _):
        await run(service, "knowledge announce", channel=CHANNEL, caller=ADMIN)
        await run(service, "knowledge announce", channel=666, caller=other)
        shutil_copy_second(knowledge)
        await service.reload()
        # Server 20 belongs to another shard's process, which announces there itself.
        assert [c for c, _ in channels.posted] == [CHANNEL]
        assert service.state is not None
        assert await service.state.unannounced(20, await move_ids(service))


async def test_a_server_that_chose_its_channel_later_hears_only_later_news(tmp_path: Path) -> None:
    knowledge = copy_knowledge(tmp_path / "knowledge")
    channels = Channels()
    late = Caller(name="bo", user_id=2, guild_id=20)
    async with bot(tmp_path, channels, guilds=(GUILD, 20)) as (service, _):
        await run(service, "knowledge announce", channel=CHANNEL, caller=ADMIN)
        shutil_copy_second(knowledge)
        await service.reload()
        await run(service, "knowledge announce", channel=666, caller=late)
        write_moves_article(knowledge, count=1)
        await service.reload()
        told = [(c, [i.text for i in a.items()]) for c, a in channels.posted]
        assert [c for c, _ in told] == [CHANNEL, CHANNEL, 666]
        assert told[1][1] == told[2][1] and len(told[2][1]) == 1


def test_an_announcement_is_one_embed_within_discords_limits(tmp_path: Path) -> None:
    answer = Answer(
        command="announce",
        status="ok",
        title="New in the news: 25 moves",
        tips=["… and 15 more: /latest lists the newest news."],
    )
    from bot.models import Citation, Item, Section

    long = Citation(
        article_id="a",
        title="T" * 2000,
        publisher="P" * 200,
        published="2026-04-01",
        url="https://example.com/" + "u" * 400,
    )
    items = [Item(kind="move", text="@everyone " + "x" * 400, citation=long) for _ in range(10)]
    answer = answer.model_copy(update={"sections": [Section(heading="New moves", items=items)]})
    [embed] = render_embeds(answer, fields_per_page=ANNOUNCE_MAX, max_pages=1)
    assert len(embed) <= TOTAL_MAX
    assert all(len(f.name or "") <= 256 and len(f.value or "") <= 1024 for f in embed.fields)
    assert "15 more" in (embed.description or "")
    assert "@everyone" not in "".join(f.name or "" for f in embed.fields)


def test_the_broken_notice_is_short_and_says_what_is_served() -> None:
    report = ReloadReport(
        ok=False, version="abc123", previous_version="abc123", errors=["a.toml: x", "b.toml: y"]
    )
    notice = broken_notice(report)
    assert notice.message is not None
    assert "2 errors" in notice.message and "version abc123" in notice.message
    assert "/reload" in notice.message and len(notice.message) < 300


def shutil_copy_second(knowledge: Path) -> None:
    (knowledge / "2026-03-02-kestrel-cto.toml").write_bytes(SECOND_ARTICLE.read_bytes())
