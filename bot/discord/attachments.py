"""Downloading a file a user attached to a command: only from Discord's CDN, capped, in time.

An attachment's URL comes in the interaction; it is fetched with a session on the client's own
connection pool and proxy. discord.py's ``Attachment.read`` would read any length with no time
limit, so the bytes are streamed here and cut off at the cap.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

import aiohttp
import yarl

from bot import phrasing as fmt

# The hosts Discord serves attachments from (url and proxy_url of an attachment object).
DISCORD_CDN_HOSTS = frozenset({"cdn.discordapp.com", "media.discordapp.net"})
DOWNLOAD_TIMEOUT = 15.0  # seconds for the whole download, well inside a deferred reply's 15 min
_CHUNK = 64 * 1024


class DownloadError(Exception):
    """An attachment that is not fetched, or not fetched whole; the message says why."""


@dataclass(frozen=True)
class AttachmentRef:
    """What an interaction says of an attachment: its name, reported size and where it is."""

    filename: str
    size: int
    url: str


def source_url(url: str, cdn_base: str | None) -> yarl.URL:
    """Where to fetch an attachment URL from; DownloadError for any host but Discord's CDN.

    With ``cdn_base`` (DISCORD_CDN_BASE: a proxy, or the tests' fake) a URL on Discord's CDN is
    moved onto that base, path and query kept, as DISCORD_API_BASE moves REST calls.
    """
    try:
        target = yarl.URL(url)
    except (TypeError, ValueError):
        raise DownloadError("the attachment has no valid address") from None
    if not target.absolute or not target.host:
        raise DownloadError("the attachment is not on Discord's file server (no host)")
    base = _base(cdn_base)
    if base is not None and _under(target, base):
        return target
    if target.scheme == "https" and target.host in DISCORD_CDN_HOSTS and target.port == 443:
        if base is None:
            return target
        path = base.raw_path.rstrip("/") + target.raw_path
        return base.with_path(path, encoded=True).with_query(target.raw_query_string)
    host = fmt.shown(target.host or "no host", 60)
    raise DownloadError(f"the attachment is not on Discord's file server ({host})")


def _base(cdn_base: str | None) -> yarl.URL | None:
    if not cdn_base:
        return None
    base = yarl.URL(cdn_base.rstrip("/"))
    if base.scheme not in ("http", "https") or not base.host:
        raise ValueError(f"DISCORD_CDN_BASE must be an http(s) URL, got {cdn_base!r}")
    return base


def _under(target: yarl.URL, base: yarl.URL) -> bool:
    """Whether the URL is already at the base: same origin, and a path inside the base's."""
    if target.origin() != base.origin():
        return False
    prefix = base.raw_path.rstrip("/") + "/"
    return target.raw_path.startswith(prefix)


def check(attachment: AttachmentRef, *, limit: int, cdn_base: str | None) -> yarl.URL:
    """Where the attachment would be fetched from; DownloadError if it is too large or elsewhere.

    Needs no request, so a refusal can be told at once.
    """
    if attachment.size > limit:
        raise DownloadError(_too_large(attachment.size, limit))
    return source_url(attachment.url, cdn_base)


async def download(
    session: aiohttp.ClientSession,
    attachment: AttachmentRef,
    *,
    limit: int,
    cdn_base: str | None,
    seconds: float = DOWNLOAD_TIMEOUT,
    proxy: str | None = None,
    proxy_auth: aiohttp.BasicAuth | None = None,
) -> bytes:
    """The attachment's bytes, at most ``limit`` of them; DownloadError with the reason.

    A file Discord reports as larger than the limit is refused before any request; one whose
    bytes run past the limit anyway is cut off there and refused.
    """
    target = check(attachment, limit=limit, cdn_base=cdn_base)
    data = bytearray()
    try:
        async with asyncio.timeout(seconds):
            # No redirects: the host checked above is the only one ever asked.
            async with session.get(
                target, allow_redirects=False, proxy=proxy, proxy_auth=proxy_auth
            ) as response:
                if response.status != 200:
                    raise DownloadError(f"Discord's file server answered {response.status}")
                if response.content_length is not None and response.content_length > limit:
                    raise DownloadError(_too_large(response.content_length, limit))
                async for chunk in response.content.iter_chunked(_CHUNK):
                    data += chunk
                    if len(data) > limit:
                        raise DownloadError(_too_large(None, limit))
    except TimeoutError:
        raise DownloadError(f"it did not arrive within {seconds:g} s; try again") from None
    except aiohttp.ClientError as exc:
        raise DownloadError(f"the connection failed ({exc.__class__.__name__})") from None
    return bytes(data)


def _too_large(size: int | None, limit: int) -> str:
    """Why a file is refused for its size (None: more than the limit, counted while reading)."""
    if size is None:
        return f"the file is over the limit of {limit:,} bytes (MAX_KNOWLEDGE_FILE_BYTES)"
    return f"the file is {size:,} bytes; the limit is {limit:,} (MAX_KNOWLEDGE_FILE_BYTES)"
