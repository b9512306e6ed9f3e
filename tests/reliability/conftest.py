"""Shared by the reliability tests: Discord's limits as assertions, the figures tally, big knowledge.

The tally is how `tests/reliability/figures.py` learns what the tests did (inputs tried, files
rejected, queries under reload): tests add to it, and at the end of the session it is written as
JSON to the path in ``TALENT_BOT_FIGURES``, if that is set.
"""

from __future__ import annotations

import json
import os
import shutil
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import discord
import pytest

from benchmarks.generate import generate
from bot import phrasing as fmt
from bot.commands import run
from bot.console.render import render_text
from bot.discord.embeds import render_embeds
from bot.knowledge.loader import load_directory
from bot.models import Answer
from bot.resolve import Choice
from bot.service import TalentService
from tests.conftest import KNOWLEDGE

FIGURES_ENV = "TALENT_BOT_FIGURES"
BIG_ARTICLES = 1700  # about 10,000 facts with benchmarks/generate.py
SEED_DEPARTURE = "Vasi Philomin"

# Discord's documented limits for embeds, messages and autocomplete choices.
EMBED_TITLE, EMBED_DESCRIPTION, EMBED_FIELDS = 256, 4096, 25
FIELD_NAME, FIELD_VALUE, FOOTER, EMBED_TOTAL, PAGES = 256, 1024, 2048, 6000, 25
CHOICES, CHOICE_TEXT = 25, 100


class Tally(Counter[str]):
    """Counts of what the tests tried; written out for figures.py at the end of the session."""


@pytest.fixture(scope="session")
def tally() -> Iterator[Tally]:
    counts = Tally()
    yield counts
    target = os.environ.get(FIGURES_ENV)
    if target:
        Path(target).write_text(json.dumps(dict(counts), indent=2, sort_keys=True))


def check_embed(embed: discord.Embed) -> None:
    """Every limit Discord enforces on one embed."""
    assert len(embed.title or "") <= EMBED_TITLE
    assert len(embed.description or "") <= EMBED_DESCRIPTION
    assert len(embed.fields) <= EMBED_FIELDS
    for field in embed.fields:
        name, value = field.name or "", field.value or ""
        assert 1 <= len(name) <= FIELD_NAME and name.strip(), field
        assert 1 <= len(value) <= FIELD_VALUE and value.strip(), field
    assert len(embed.footer.text or "") <= FOOTER
    assert len(embed) <= EMBED_TOTAL


def check_answer(answer: Answer) -> None:
    """The answer renders as embeds within Discord's limits, and as plain text."""
    pages = render_embeds(answer)
    assert 1 <= len(pages) <= PAGES
    for embed in pages:
        check_embed(embed)
    text = render_text(answer)
    # The console shows control characters escaped, so the title appears as fmt.visible makes it.
    assert fmt.visible(answer.title.strip()) in text or not answer.title.strip()


def check_choices(choices: list[Choice], limit: int = CHOICES) -> None:
    """Autocomplete choices Discord accepts: at most 25, each name and value 1..100 characters."""
    assert len(choices) <= min(limit, CHOICES)
    for choice in choices:
        assert 1 <= len(choice.label) <= CHOICE_TEXT and choice.label.strip()
        assert 1 <= len(choice.value) <= CHOICE_TEXT and choice.value.strip()


async def seed_still_answers(service: TalentService) -> bool:
    """The seed's departure from Amazon is still answered, naming who left."""
    answer = await run(service, "who-left", company="amazon")
    return answer.status == "ok" and any(SEED_DEPARTURE in i.text for i in answer.items())


@dataclass(frozen=True)
class BigKnowledge:
    """The seed plus ~1,700 generated articles (~10,000 facts), written once per session."""

    directory: Path
    articles: int
    facts: int


@pytest.fixture(scope="session")
def big_knowledge(tmp_path_factory: pytest.TempPathFactory) -> BigKnowledge:
    directory = tmp_path_factory.mktemp("big") / "knowledge"
    generated = generate(directory, articles=BIG_ARTICLES)
    seed = load_directory(KNOWLEDGE)
    for loaded in seed.files:
        shutil.copy(KNOWLEDGE / loaded.name, directory / loaded.name)
    return BigKnowledge(
        directory,
        generated.articles + len(seed.files),
        generated.facts + sum(f.content.fact_count() for f in seed.files),
    )
