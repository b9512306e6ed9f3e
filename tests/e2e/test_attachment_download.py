"""Downloading an attached file from the fake Discord's CDN: where from, how much, how long."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator

import aiohttp
import pytest
import pytest_asyncio
from pydantic import ValidationError

from bot.discord.attachments import AttachmentRef, DownloadError, download, source_url
from bot.settings import Settings
from tests.e2e.fake_discord import FakeAttachment, FakeDiscord

LIMIT = 1000
CDN_URL = "https://cdn.discordapp.com/ephemeral-attachments/1/2/a.toml?ex=1&is=2&hm=3&"


@pytest_asyncio.fixture
async def fake() -> AsyncIterator[FakeDiscord]:
    async with FakeDiscord() as fake:
        yield fake


def _ref(attachment: FakeAttachment) -> AttachmentRef:
    data = attachment.to_json()
    return AttachmentRef(data["filename"], data["size"], data["url"])


async def _download(fake: FakeDiscord, ref: AttachmentRef, **kwargs: float) -> bytes:
    async with aiohttp.ClientSession() as session:
        return await download(session, ref, limit=LIMIT, cdn_base=fake.cdn_base, **kwargs)


async def test_a_discord_cdn_url_is_fetched_from_the_configured_base(fake: FakeDiscord) -> None:
    article = fake.upload("2026 article.toml", '[article]\nid = "é"\n'.encode())
    assert await _download(fake, _ref(article)) == article.data
    [request] = fake.cdn_downloads(article)
    assert request.query["hm"] == article.signature  # path and signed query kept


def test_only_discords_cdn_hosts_or_the_base_are_downloaded_from() -> None:
    base = "http://127.0.0.1:9/cdn"
    assert str(source_url(CDN_URL, None)) == CDN_URL
    moved = str(source_url(CDN_URL, base + "/"))
    assert moved == "http://127.0.0.1:9/cdn/ephemeral-attachments/1/2/a.toml?ex=1&is=2&hm=3&"
    media = CDN_URL.replace("cdn.discordapp.com", "media.discordapp.net")
    assert str(source_url(media, None)) == media
    assert str(source_url(moved, base)) == moved  # already at the base
    for url in (
        "https://example.com/attachments/1/2/a.toml",
        "http://cdn.discordapp.com/attachments/1/2/a.toml",  # not https
        "https://cdn.discordapp.com:8443/attachments/1/2/a.toml",
        "https://cdn.discordapp.com.example.com/attachments/1/2/a.toml",
        "http://127.0.0.1:9/elsewhere/a.toml",  # the base's host, outside its path
        "http://127.0.0.1:10/cdn/a.toml",  # another port
        "file:///etc/passwd",
        "",
    ):
        with pytest.raises(DownloadError, match="not on Discord's file server"):
            source_url(url, base)
    with pytest.raises(ValueError, match="DISCORD_CDN_BASE"):
        source_url(CDN_URL, "ftp://127.0.0.1/cdn")


@pytest.mark.parametrize("base", ["ftp://127.0.0.1/cdn", "127.0.0.1:8000/cdn", "http:///cdn"])
def test_a_cdn_base_that_is_no_http_url_is_refused_at_start(base: str) -> None:
    with pytest.raises(ValidationError, match="DISCORD_CDN_BASE must be an http"):
        Settings(_env_file=None, discord_cdn_base=base)
    good = Settings(_env_file=None, discord_cdn_base="http://127.0.0.1:8000/cdn/")
    assert good.discord_cdn_base == "http://127.0.0.1:8000/cdn"


async def test_a_file_reported_too_large_is_refused_before_any_request(fake: FakeDiscord) -> None:
    big = fake.upload("big.toml", b"x" * (LIMIT + 1))
    with pytest.raises(DownloadError, match="1,001 bytes; the limit is 1,000"):
        await _download(fake, _ref(big))
    assert fake.cdn_requests == []


async def test_bytes_past_the_limit_are_cut_off_whatever_the_size_said(fake: FakeDiscord) -> None:
    lying = fake.upload("small.toml", b"x" * (LIMIT * 300), size=10)
    with pytest.raises(DownloadError, match="file is 300,000 bytes; the limit is 1,000"):
        await _download(fake, _ref(lying))  # its Content-Length says so
    # Without a length, the bytes are counted as they come and the download stops past the cap.
    streamed = fake.upload("small.toml", lying.data, size=10, chunked=True)
    with pytest.raises(DownloadError, match="file is over the limit of 1,000 bytes"):
        await _download(fake, _ref(streamed))
    assert [r.status for r in fake.cdn_requests] == [200, 200]
    exact = fake.upload("exact.toml", b"x" * LIMIT, chunked=True)
    assert await _download(fake, _ref(exact)) == exact.data


async def test_a_slow_download_gives_up_in_time(fake: FakeDiscord) -> None:
    slow = fake.upload("slow.toml", b"[article]\n", delay=1.5)
    with pytest.raises(DownloadError, match=r"did not arrive within 0\.2 s"):
        await _download(fake, _ref(slow), seconds=0.2)


async def test_a_refused_or_failed_download_says_so(fake: FakeDiscord) -> None:
    gone = fake.upload("gone.toml", b"[article]\n")
    unsigned = AttachmentRef("gone.toml", 10, _ref(gone).url.replace(gone.signature, "0" * 64))
    with pytest.raises(DownloadError, match="file server answered 404"):
        await _download(fake, unsigned)
    with socket.socket() as unused:  # a port nothing listens on: the connection is refused
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    async with aiohttp.ClientSession() as session:
        with pytest.raises(DownloadError, match="connection failed"):
            await download(
                session, _ref(gone), limit=LIMIT, cdn_base=f"http://127.0.0.1:{port}/cdn"
            )
