"""Every kind of fact, each declared whole in its own module.

Every kind of fact, each declared whole in its own module: its section of a knowledge file,
its fields (with the part each referenced person or company plays), and how it is worded.

The loader's checks, the store's rows, the `check` summary, the answers and the question
answerer all read a kind's declaration; to add a kind, write its module and list it here.
"""

from __future__ import annotations

from bot.knowledge.facts.figure import Figure
from bot.knowledge.facts.move import Move
from bot.knowledge.facts.note import Note, Topic
from bot.knowledge.facts.statement import Statement
from bot.knowledge.schema import Fact

# In the order a knowledge file's sections, a profile's sections and the store's rows follow.
KINDS: tuple[type[Fact], ...] = (Move, Figure, Statement, Note)
BY_KIND: dict[str, type[Fact]] = {kind.KIND: kind for kind in KINDS}

__all__ = ["BY_KIND", "KINDS", "Fact", "Figure", "Move", "Note", "Statement", "Topic"]
