"""Two-step questions: a person described by one fact, then asked about ("the VP who took over").

"What did the VP who took over X's duties use to run?" asks two things: who took over (a fact
that names someone the question does not) and what that person ran. When the best answer to the
first part names exactly one person the question left unnamed, the rest of the question is asked
again about that person, with the names the first fact accounts for replaced by theirs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.answers import Context
from bot.ask.candidates import About, Candidate, find_candidates
from bot.ask.fit import own_text
from bot.ask.intents import INTENTS
from bot.ask.question import Mention, Reading
from bot.knowledge.facts import Move


@dataclass(frozen=True)
class Bridge:
    """The fact that says who was meant, and the answers about that person."""

    via: Candidate
    reading: Reading
    candidates: list[Candidate]
    person: str  # the entity id the description was read as


def _rest_asked(reading: Reading, best: Candidate) -> set[str]:
    """The intents asked that the best fact does not answer, nor any fact of its kind."""
    kind = best.stored.fact.KIND if best.stored is not None else ""
    return {
        i.name
        for i in INTENTS
        if i.name in reading.intents
        and not i.fallback
        and i.strategy == "facts"
        and i.name not in best.intents
        and all(w.kind != kind for w in i.wants)
    }


async def bridge(
    ctx: Context, reading: Reading, candidates: list[Candidate], about: About
) -> Bridge | None:
    """The answer about the one person the best fact names and the question does not; or None."""
    best = candidates[0]
    if best.hedged or best.supporting or not reading.mentions:
        return None
    if best.stored is not None:
        involved = [entity_id for _, entity_id in best.stored.fact.mentioned()]
    elif best.role is not None:
        involved = [best.role.person_id]  # "the former Acme executive": who held the role
    else:
        return None
    rest = _rest_asked(reading, best)
    if not rest:
        return None
    named = {c.id for m in reading.mentions for c in m.candidates}
    unnamed = {
        entity_id
        for entity_id in involved
        if entity_id not in named
        and (ref := ctx.index.entities.get(entity_id)) is not None
        and ref.kind == "person"
    }
    fact = best.stored.fact if best.stored is not None else None
    if len(unnamed) > 1 and "successor" in best.intents and isinstance(fact, Move):
        # "The VP who took over some duties": the successor, not the one who left.
        unnamed &= {fact.successor}
    if len(unnamed) != 1:
        return None
    person = ctx.index.entities[next(iter(unnamed))]
    if any(c.intents & rest and person.id in c.focus for c in candidates if not c.supporting):
        return None  # already answered together: "how long was the VP who left there"
    covered = set(best.covered)
    kept = [m for i, m in enumerate(reading.mentions) if i not in covered]
    first = min((reading.mentions[i] for i in covered), key=lambda m: m.start, default=None)
    if first is None:
        return None
    meant = Mention(first.start, first.end, first.text, (person,))
    mentions = sorted([meant, *kept], key=lambda m: m.start)
    # The words the first fact holds describe the person ("the Bedrock guy"): asked of them.
    said = own_text(fact) if fact is not None else frozenset()
    again = replace(
        reading,
        mentions=mentions,
        topic=reading.topic - said,
        proper=reading.proper - said,
        intents={k: v for k, v in reading.intents.items() if k in rest},
        cue_positions={k: v for k, v in reading.cue_positions.items() if k in rest},
    )
    found = await find_candidates(ctx, again, about)
    found = [c for c in found if person.id in c.covered.values()]
    if not found or found[0].supporting:
        return None
    return Bridge(best, again, found, person.id)
