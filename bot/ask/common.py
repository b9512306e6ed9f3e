"""What two named people or companies have in common: "what do X and Y have in common?".

Each one's facts are read as the parts they play (left a company, joined one, was replaced,
took over, spoke, built something, ...); the parts both play are the answer, each with both
facts.
"""

from __future__ import annotations

from bot import phrasing as fmt
from bot.answers import Context, items
from bot.ask.candidates import About, facts_about
from bot.ask.question import Reading
from bot.knowledge.facts import Move
from bot.models import Answer, Section
from bot.store import StoredFact

_ASKS = frozenset({"common", "similar", "alike"})
_PARTS = {
    "left": "left a company",
    "joined": "joined a company",
    "replaced": "were replaced by someone",
    "successor": "took over from someone",
    "speaker": "said something the news quotes",
}


def _parts(entity_id: str, stored: StoredFact) -> set[str]:
    """The parts the entity plays in the fact, by name."""
    fact = stored.fact
    out: set[str] = set()
    if isinstance(fact, Move):
        if fact.person == entity_id:
            out |= {"left"} if fact.from_company else set()
            out |= {"joined"} if fact.to_company else set()
            out |= {"replaced"} if fact.successor else set()
        if fact.successor == entity_id:
            out.add("successor")
        return out
    for part, other in fact.mentioned():
        if other != entity_id:
            continue
        topic = fact.topic()
        out.add(f"{fact.KIND}:{part}:{topic}" if topic else part)
    return out


def _said(part: str) -> str:
    if part in _PARTS:
        return _PARTS[part]
    kind, _, topic = part.partition(":")
    return f"have a “{topic.split(':')[-1]}” fact" if topic else f"are a {part} in a {kind}"


async def in_common(ctx: Context, reading: Reading, title: str, about: About) -> Answer | None:
    """The parts two named entities both play in the news, each shown with both facts."""
    if not set(reading.words) & _ASKS or len(reading.mentions) != 2:
        return None
    if any(len(m.candidates) != 1 for m in reading.mentions):
        return None
    a, b = (m.candidates[0] for m in reading.mentions)
    if a.id == b.id:
        return None
    found: dict[str, dict[str, StoredFact]] = {a.id: {}, b.id: {}}
    for ref in (a, b):
        for stored in await facts_about(ctx, about, ref.id):
            for part in _parts(ref.id, stored):
                found[ref.id].setdefault(part, stored)
    shared = [p for p in found[a.id] if p in found[b.id] and p in _PARTS]
    shared += [p for p in found[a.id] if p in found[b.id] and p not in _PARTS and ":" in p]
    if not shared:
        return None
    facts: list[StoredFact] = []
    for part in shared:
        for ref in (a, b):
            if found[ref.id][part] not in facts:
                facts.append(found[ref.id][part])
    said = f"Both {fmt.join([_said(p) for p in shared])}."
    return Answer(
        command="ask",
        status="ok",
        title=title,
        message=said,
        sections=[Section(heading="Answer", items=await items(ctx, facts))],
    )
