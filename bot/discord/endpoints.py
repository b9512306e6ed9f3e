"""Point discord.py's REST API and gateway at other URLs (a proxy, or the e2e fake server).

Call ``configure_endpoints(api_base, gateway_url)`` before ``Client.login``/``start``.
"""

from __future__ import annotations

from types import ModuleType

import discord.gateway
import discord.http
import discord.webhook.async_
import discord.webhook.sync
import yarl

# Why: deployments may sit behind a REST/gateway proxy (e.g. a shared rate-limit proxy), and the
# end-to-end tests run the unmodified library against an in-repo fake Discord on 127.0.0.1.
# discord.py has no setting for either, so we override the class attributes it reads.
# The originals are captured once, at import, so passing None restores them (idempotent).

# Every module whose `Route` builds request URLs from `Route.BASE`. Today the webhook adapters
# (used for interaction callbacks, followups and @original edits) import discord.http.Route
# itself, but we set each one explicitly so a future subclass per module would not be missed.
_ROUTE_MODULES: tuple[ModuleType, ...] = (
    discord.http,
    discord.webhook.async_,
    discord.webhook.sync,
)
_DEFAULT_API_BASE: str = discord.http.Route.BASE
_DEFAULT_GATEWAY: yarl.URL = discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY


def configure_endpoints(api_base: str | None, gateway_url: str | None) -> None:
    """Point discord.py at these REST and gateway URLs (None: Discord's own).

    Point discord.py's REST base (``http://host/api/v10``) and default gateway at these URLs;
    None restores the library's default for that one, and repeated calls are harmless.
    """
    base = _DEFAULT_API_BASE if api_base is None else api_base.rstrip("/")
    if not base.startswith(("http://", "https://")):
        raise ValueError(f"api_base must be an http(s) URL, got {api_base!r}")
    gateway = _DEFAULT_GATEWAY if gateway_url is None else yarl.URL(gateway_url)
    if gateway.scheme not in ("ws", "wss"):
        raise ValueError(f"gateway_url must be a ws(s) URL, got {gateway_url!r}")

    for module in _ROUTE_MODULES:
        route_cls: object = getattr(module, "Route", None)
        if isinstance(route_cls, type) and issubclass(route_cls, discord.http.Route):
            # Route.BASE is read at Route() construction time, so this affects all later requests.
            route_cls.BASE = base
    # DEFAULT_GATEWAY is used for the first connection of a plain Client, for an AutoSharded
    # client given an explicit shard_count, and after any non-resumable session invalidation.
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = gateway
