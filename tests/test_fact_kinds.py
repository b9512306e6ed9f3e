"""Fact kinds are declared once (bot/knowledge/facts/): everything else derives from the kinds.

The end-to-end test declares a new kind in one place, in a fresh interpreter, and shows that
the loader checks its references, `check` counts it, the store indexes it and a profile words it.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from bot.knowledge.facts import BY_KIND, KINDS
from bot.knowledge.schema import Fact
from tests.conftest import ROOT, copy_knowledge

_NEW_KIND = """
from typing import Annotated, ClassVar
from pydantic import Field
from bot.knowledge import facts
from bot.knowledge.schema import Fact, Line, Ref, Slug

class Award(Fact):
    KIND: ClassVar[str] = "award"
    SECTION: ClassVar[str] = "awards"
    HEADING: ClassVar[str] = "Awards"
    NOUN: ClassVar[str] = "awards"

    winner: Annotated[Slug, Ref("winner", "person", focus=True)]
    prize: Line
    given_by: Annotated[Slug | None, Ref("giver", "company")] = None

    def sentence(self, names, *, arrival=False):
        return f"{names.name(self.winner)} won the {self.prize}."

# What listing the kind in bot/knowledge/facts/__init__.py does:
facts.KINDS = (*facts.KINDS, Award)
facts.BY_KIND["award"] = Award
"""

_AWARD = """
[article]
id = "award-story"
title = "Jane Roe wins the Turing Prize"
publisher = "Example News"
published = 2026-01-05

[[people]]
id = "jane-roe"
name = "Jane Roe"

[[awards]]
id = "roe-wins-turing"
quote = "Jane Roe won the Turing Prize."
reported_on = 2026-01-05
winner = "jane-roe"
prize = "Turing Prize"
given_by = "amazon"
"""

_RUN = """
import asyncio, json, sys
from pathlib import Path
from bot.commands import run
from bot.knowledge.loader import KnowledgeError, load_directory
from bot.service import TalentService
from bot.store import Store

async def main(folder):
    async with Store(":memory:") as store:
        service = TalentService(store, folder)
        await service.start()
        answer = await run(service, "person", "jane roe")
        async with store.reading() as r:
            links = await r.facts_about("amazon", ["award"])
    return answer, links

folder = Path(sys.argv[1])
answer, links = asyncio.run(main(folder))
counts = load_directory(folder).counts()
bad = folder.parent / "bad"
bad.mkdir()
(bad / "a.toml").write_text((folder / "award.toml").read_text().replace('"jane-roe"\\nprize', '"nobody"\\nprize'))
try:
    load_directory(bad)
    errors = []
except KnowledgeError as exc:
    errors = [str(e) for e in exc.errors]
print(json.dumps({
    "sections": [[s.heading, [i.text for i in s.items]] for s in answer.sections],
    "linked": [s.fact.id for s in links],
    "awards": counts.get("awards"),
    "errors": errors,
}))
"""


def test_a_kind_declared_in_one_place_is_loaded_checked_stored_and_worded(
    tmp_path: Path,
) -> None:
    folder = copy_knowledge(tmp_path / "knowledge")
    (folder / "award.toml").write_text(_AWARD)
    script = textwrap.dedent(_NEW_KIND) + textwrap.dedent(_RUN)
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert ["Awards", ["Jane Roe won the Turing Prize."]] in out["sections"]
    assert out["linked"] == ["roe-wins-turing"]  # the store indexed the company's part
    assert out["awards"] == 1
    # Alone in a folder, the file names a person and a company nobody declares; both are caught,
    # each with its line and field.
    assert out["errors"] == [
        "a.toml:16: awards[0].winner: unknown person 'nobody'",
        "a.toml:18: awards[0].given_by: unknown company 'amazon'",
    ]


def test_every_kind_declares_its_section_wording_and_references() -> None:
    assert [kind.KIND for kind in KINDS] == list(BY_KIND)
    assert len({kind.SECTION for kind in KINDS}) == len(KINDS)
    for kind in KINDS:
        assert kind.HEADING and kind.NOUN and kind.SECTION
        assert kind.sentence is not Fact.sentence, f"{kind.KIND} has no sentence"
        assert any(ref.focus for _, _, ref in kind.REFS), f"{kind.KIND} has no focus"


def test_no_module_outside_the_kinds_lists_fact_sections() -> None:
    """The per-kind isinstance chains and section lists are gone for good."""
    sections = {kind.SECTION for kind in KINDS}
    for path in (ROOT / "bot").rglob("*.py"):
        if "facts" in path.relative_to(ROOT / "bot").parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Tuple | ast.List):
                names = {e.value for e in node.elts if isinstance(e, ast.Constant)}
                assert not (len(names & sections) >= 3), f"{path}: lists the fact sections"
