"""A bot process to kill: loads version A into a database file, then replaces it with version B.

`python -m tests.reliability.crash_helper DB DIR_A DIR_B` prints "loaded", then "replacing"
just before the swap to B and "replaced" after it; the test sends SIGKILL in between. With
`hold` instead of DIR_B it loads A and waits to be killed, leaving its WAL behind.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from bot.knowledge.loader import load_directory
from bot.store import Store


async def main(db: str, first: str, second: str) -> None:
    """Load ``first``, then replace it with ``second`` (or wait, if that is 'hold')."""
    async with Store(db) as store:
        loaded = await store.replace(load_directory(Path(first)))
        print("loaded", loaded.version, flush=True)
        if second == "hold":
            await asyncio.sleep(3600)
            return
        kb = load_directory(Path(second))
        print("replacing", kb.version, flush=True)
        await store.replace(kb)
        print("replaced", flush=True)


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
