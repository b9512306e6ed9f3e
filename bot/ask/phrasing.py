"""Answer sentences that state a fact the way its intent asked: the ``phrase`` of an Intent."""

from __future__ import annotations

import re

from bot import format as fmt
from bot.answers import Context, figure_sentence, figure_view, move_view
from bot.knowledge.schema import Figure, Move, Statement
from bot.store import StoredFact


def successor_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """ "Jane Roe took over from John Doe at Acme." """
    move = stored.fact
    if not isinstance(move, Move) or move.successor is None:
        return None
    successor, left = ctx.name(move.successor), move_view(ctx, move).who
    where = f" at {ctx.name(move.from_company)}" if move.from_company else ""
    scope = (move.successor_scope or "").strip().rstrip(".")
    if not scope:
        return f"{successor} took over from {left}{where}."
    owned, count = re.subn(r"\b(his|her|their|its)\b", f"{left}'s", scope, count=1)
    if count:
        return f"{successor} took over {owned}{where}."
    return f"{successor} took over {scope} from {left}{where}."


def statement_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """ "Jane Roe said (May 2, 2026): ..."; an unnamed speaker is "Acme's spokesperson"."""
    st = stored.fact
    if not isinstance(st, Statement):
        return None
    speaker = ctx.name(st.speaker)
    if st.speaker_role:
        speaker = f"{speaker}'s {st.speaker_role}"
    said = st.said.strip()
    return f"{speaker} said ({fmt.date(st.said_on or st.reported_on)}): {said}"


def source_sentence(ctx: Context, stored: StoredFact) -> str | None:
    """For "who said ...": statements by their speaker, figures by who gave them."""
    fact = stored.fact
    if isinstance(fact, Figure) and fact.according_to:
        figure = figure_sentence(figure_view(ctx, fact))
        return f"{ctx.name(fact.according_to)} gave this figure: {figure}"
    return statement_sentence(ctx, stored)
