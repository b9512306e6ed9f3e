"""Candidate answers to a question, scored and sorted best first.

Candidate answers: every fact, role or description that fits what a question names and asks,
scored and sorted best first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.answers import Context
from bot.ask.fit import cover, fact_text, own_text, topic_fit, wanted_words
from bot.ask.intents import ALL_PARTS, INTENTS, Intent, Want
from bot.ask.memo import Memo, memo
from bot.ask.question import Reading
from bot.ask.words import (
    LIGHT_STEMS,
    PAST_WORDS,
    QUALIFIER_STEMS,
    cue_matches,
    stem,
    stems,
    title_words,
)
from bot.knowledge.facts import KINDS, Figure, Statement
from bot.models import Item
from bot.store import StoredFact, StoredRole
from bot.text import STOP_WORDS, normalize

About = dict[str, list[StoredFact]]  # every fact about an entity, by its id, read once

# An entity in fewer facts than this has them all read in one query and sorted out here (a
# surname shared by a hundred people is a hundred such reads, not four hundred); a bigger one has
# only the facts of the kind and parts asked read.
SMALL_ENTITY = 100
QUEUED_READS = 8  # reads of namesakes' facts sent to the database at once
PROFILE_BONUS = 20  # "who is X": roles and descriptions before other facts
COMBO_BONUS = 15  # per further intent answered about the same person or thing
# A fact about the named entities that answers what is asked but lacks one of the question's
# topic words, a light one ("throwing", "guy"), may still be the answer: given as "the closest I
# know", after every sure one. A missing word of substance ("parent", "first", "ceo") is not.
HEDGE_MISSING = 1
HEDGE_PENALTY = 50
OVERLAP_WEIGHT = 2  # per question word the fact's own words say: a tie-break between intents

# "Who is X", or a question that asks nothing in particular: any fact about the named entities.
_ANY_WANTS = tuple(Want(kind.KIND, ALL_PARTS, frozenset({"source"})) for kind in KINDS)
_DEFAULT = Intent("default", (), _ANY_WANTS, strategy="profile")


@dataclass
class Candidate:
    """A fact, role or description that may answer the question, with how well it fits."""

    score: float
    intent: Intent
    key: str
    stored: StoredFact | None = None
    line: Item | None = None  # prebuilt for roles and descriptions
    covered: dict[int, str] = field(default_factory=dict)  # mention index -> entity id
    reported_on: str = ""
    supporting: bool = False
    focus: frozenset[str] = frozenset()  # whom or what it is about: mover, subject, speaker
    role: StoredRole | None = None  # its line is built only if it is shown
    intents: set[str] = field(default_factory=set)  # every intent it answers
    hedged: bool = False  # likely, not certain: a word the question asks about is not in it


class _Finder:
    """Collects candidates for one question, fetching each entity's facts once."""

    def __init__(self, ctx: Context, reading: Reading, memo: Memo, about: About) -> None:
        self.ctx = ctx
        self.reading = reading
        self.memo = memo
        self.found: dict[str, Candidate] = {}
        self.whole = False  # every fact of an entity will be looked at: read them in one query
        self._about = about
        self._in_parts: dict[tuple[str, str, frozenset[str]], list[StoredFact]] = {}
        self._texts: dict[str, frozenset[str] | None] = {}
        self._titles: dict[str, frozenset[str]] = {}
        self._asks_titles: bool | None = None
        named = {i for m in reading.mentions for i in range(m.start, m.end)}
        # Every content word of the question, cue words too: the fact that says more of them is
        # the one asked about ("did X say anything about his move": the statement, not the move).
        self.asked = frozenset(
            stem(w) for i, w in enumerate(reading.words) if i not in named and w not in STOP_WORDS
        )
        self.qualifiers = reading.topic & QUALIFIER_STEMS

    async def facts(self, want: Want, fixed: dict[int, frozenset[str]]) -> list[StoredFact]:
        """Every fact of the want's kind that may involve each named entity in a fitting part."""
        mentions = self.reading.mentions
        # A fitting fact involves every mention in a part cover() allows it, so the facts of any
        # one mention in its allowed parts hold them all: those of the least mentioned are read.
        # A lone mention must play a primary part.
        least = min(
            range(len(mentions)), key=lambda i: sum(c.mentions for c in mentions[i].candidates)
        )
        lone = len(mentions) == 1
        parts = fixed.get(least, want.primary if lone else want.primary | want.secondary)
        # Each read is a round trip to the database's thread, and a surname may name a hundred
        # people: a few reads are queued at once, so that the thread need not wait for this one to
        # be scheduled between them (more at once keep more of SQLite's memory in use).
        refs = mentions[least].candidates
        out: dict[str, StoredFact] = {}
        for first in range(0, len(refs), QUEUED_READS):
            batch = refs[first : first + QUEUED_READS]
            found = await asyncio.gather(
                *(self.facts_in_parts(ref.id, want.kind, parts) for ref in batch)
            )
            out.update((f.fact.id, f) for facts in found for f in facts)
        return list(out.values())

    async def facts_in_parts(
        self, entity_id: str, kind: str, parts: frozenset[str]
    ) -> list[StoredFact]:
        """The entity's facts of one kind in which it plays one of these parts."""
        key = (entity_id, kind, parts)
        if key not in self._in_parts:
            entity = self.ctx.index.entities.get(entity_id)
            if not parts:
                found: list[StoredFact] = []
            elif (
                self.whole
                or entity_id in self._about
                or (entity and entity.mentions < SMALL_ENTITY)
            ):
                found = [
                    f
                    for f in await self.facts_of_entity(entity_id)
                    if f.kind == kind
                    and any(e == entity_id and r in parts for r, e in f.fact.mentioned())
                ]
            else:
                found = await self.ctx.reader.facts_about(entity_id, [kind], sorted(parts))
            self._in_parts[key] = found
        return self._in_parts[key]

    def offer(self, candidate: Candidate) -> None:
        kept = self.found.get(candidate.key)
        candidate.intents.add(candidate.intent.name)
        if kept is not None:
            candidate.intents |= kept.intents
            candidate.supporting = candidate.supporting and kept.supporting
            kept.supporting = candidate.supporting
        if kept is None or candidate.score > kept.score:
            self.found[candidate.key] = candidate
        else:
            kept.intents |= candidate.intents

    async def fit(self, stored: StoredFact, cue_stems: frozenset[str]) -> float | None:
        """topic_fit() of the fact's text; None at once when it lacks an unknown name asked.

        The text includes the titles its people hold: "the VP who left" is a fact about a VP.
        """
        if stored.fact.id not in self._texts:
            # A capitalised title ("CTO") may be said by its people's titles, not its text.
            titled = await self.asks_titles()
            text = fact_text(self.ctx, stored, frozenset() if titled else self.reading.proper)
            if text is not None and titled:
                # A statement or figure about someone is about the titles they hold, as well.
                fact = stored.fact
                told = fact.about if isinstance(fact, Statement | Figure) else []
                for entity_id in {*fact.focus(), *told}:
                    text |= await self.titles_of(entity_id)
            self._texts[stored.fact.id] = text
        text = self._texts[stored.fact.id]
        return None if text is None else topic_fit(self.reading, text, cue_stems)

    async def asks_titles(self) -> bool:
        """Whether a topic word of the question is a word of some title ("vp", "president")."""
        if self._asks_titles is None:
            roles = await self.memo.all_roles(self.ctx)
            self._asks_titles = bool(self.reading.topic & roles.by_title_word.keys())
        return self._asks_titles

    async def titles_of(self, entity_id: str) -> frozenset[str]:
        """The words of every title the entity holds or held, read once per question."""
        if entity_id not in self._titles:
            roles = await self.memo.all_roles(self.ctx)
            self._titles[entity_id] = frozenset().union(
                *(title_words(role.title) for role in roles.of(entity_id))
            )
        return self._titles[entity_id]

    def loose_fit(self, stored: StoredFact, cue_stems: frozenset[str]) -> float | None:
        """For a fact fit() refused: its share of the topic if it lacks few topic words."""
        text = self._texts.get(stored.fact.id)
        wanted = wanted_words(self.reading, cue_stems)
        if text is None or not self.reading.mentions or not wanted:
            return None
        missing = wanted - text
        if len(missing) > HEDGE_MISSING or not missing <= LIGHT_STEMS:
            return None
        if missing == wanted and not self.reading.intents:
            return None  # "what did X make": nothing asked but a light word, which it lacks
        return len(wanted & text) / len(wanted)

    async def from_wants(self, intent: Intent, wants: Sequence[Want], strength: float) -> None:
        cue_stems = self.reading.cue_stems(intent.name)
        # With no names, every fact of a kind is scanned: a substring test of its raw text
        # discards most before the costlier stemming.
        scan = () if self.reading.mentions else tuple(wanted_words(self.reading, cue_stems))
        for rank, want in enumerate(wants):
            terms = frozenset(stem(t) for t in want.terms)
            fixed = {
                i: parts
                for i, mention in enumerate(self.reading.mentions)
                if want.parts is not None
                and (parts := want.parts(self.reading, mention)) is not None
            }
            if self.reading.mentions:
                facts = await self.facts(want, fixed)
            else:
                facts = await self.memo.newest_facts(
                    self.ctx, want.kind, lambda raw: all(word in raw for word in scan)
                )
            for stored in facts:
                fact = stored.fact
                if want.subkinds and fact.topic() not in want.subkinds:
                    continue
                if want.test is not None and not want.test(fact):
                    continue
                covered = cover(fact.mentioned(), self.reading.mentions, want, fixed)
                if covered is None:
                    continue
                if terms and not terms & own_text(fact):
                    continue
                fit = (
                    await self.fit(stored, cue_stems)
                    if self.reading.proper or wanted_words(self.reading, cue_stems)
                    else 0.0  # names only: nothing else to look for in the text
                )
                hedged = False
                if (
                    fit is not None
                    and isinstance(fact, Figure)
                    and self.qualifiers - own_text(fact)
                ):
                    continue  # "the total revenue" is not its growth
                if fit is None:
                    fit = self.loose_fit(stored, cue_stems)
                    hedged = fit is not None
                if fit is None:
                    continue
                if want.cued and not any(
                    cue_matches(intent.all_cues, normalize(fact.own_words()).split())
                ):
                    continue
                sub = (
                    len(want.subkinds) - want.subkinds.index(told)
                    if want.subkinds and (told := fact.topic()) is not None
                    else 0
                )
                # Facts drawn from one sentence share its quote: their own words tell them apart.
                topic = self.reading.topic
                own = len(topic & own_text(fact)) / len(topic) if topic else 0.0
                score = (
                    100 * strength
                    + 10 * fit
                    + 5 * own
                    - 4 * rank
                    + sub
                    + len(covered)
                    + OVERLAP_WEIGHT * len(self.asked & own_text(fact))
                    - HEDGE_PENALTY * hedged
                )
                self.offer(
                    Candidate(
                        score,
                        intent,
                        f"fact:{fact.id}",
                        stored,
                        None,
                        covered,
                        fact.reported_on,
                        want.supporting,
                        fact.focus(),
                        hedged=hedged,
                    )
                )

    async def roles(
        self, intent: Intent, strength: float, *, need_title: bool, bonus: float = 0.0
    ) -> None:
        """People's roles: of the people named, or at the companies named, fitting title words."""
        reading, ctx = self.reading, self.ctx
        people = [m for m in reading.mentions if any(c.kind == "person" for c in m.candidates)]
        asked = reading.topic  # title words ("ceo") stay in the topic
        ranked: list[tuple[int, StoredRole]] = []  # (position among all the roles read, role)
        total = 0
        if people:
            # From the table of every role: a surname may name a hundred people.
            table = await self.memo.all_roles(ctx)
            ids = {c.id for m in people for c in m.candidates if c.kind == "person"}
            ranked = list(enumerate(role for ref in ids for role in table.of(ref)))
            total = len(ranked)
        elif reading.mentions:
            at_companies: list[StoredRole] = []
            for ref in {c.id for m in reading.mentions for c in m.candidates}:
                at_companies += await ctx.reader.roles_at(ref)
            ranked = list(enumerate(at_companies))
            total = len(ranked)
        elif asked:
            table = await self.memo.all_roles(ctx)
            total = len(table)
            # Only a role whose title holds a word asked about can be the answer.
            wanted = table.with_title_words(asked) if need_title else range(total)
            ranked = [(position, table.role(position)) for position in wanted]
        mention_want = Want("note", frozenset({"person", "company"}))
        # "Acme's former CTO" held the title once; it is not who holds it now.
        past = bool(PAST_WORDS & set(reading.words))
        for position, role in ranked:
            if past and role.current:
                continue
            pairs = [("person", role.person_id)]
            if role.company_id:
                pairs.append(("company", role.company_id))
            covered = cover(pairs, reading.mentions, mention_want)
            if covered is None:
                continue
            title = title_words(role.title)
            if need_title and asked and not asked & title:
                continue  # "who is the CEO of X": a role of another title is not the answer
            text = title | stems(f"{ctx.name(role.person_id)} {ctx.name(role.company_id)}")
            fit = topic_fit(reading, text, frozenset())
            if fit is None:
                continue
            score = 100 * strength + 10 * fit + bonus + 2 * role.current + len(covered)
            key = f"role:{role.person_id}:{role.company_id}:{role.title}"
            score -= position / (10 * total)  # keep the curator's order of roles
            focus = frozenset({role.person_id})
            self.offer(Candidate(score, intent, key, covered=covered, focus=focus, role=role))

    async def descriptions(self, intent: Intent, strength: float) -> None:
        """A company's description, when a quote of its facts bears it out."""
        for index, mention in enumerate(self.reading.mentions):
            for ref in mention.candidates:
                description = ref.hint if ref.kind == "company" else ""
                if not description:
                    continue
                wanted = stems(description)
                topic = self.reading.topic - LIGHT_STEMS  # "what kind of company is X"
                if topic and not topic & (wanted | stems(ref.name)):
                    continue
                for stored in await self.facts_of_entity(ref.id):
                    if wanted <= stems(stored.fact.quote):
                        await self.ctx.cite([stored])
                        line = Item(
                            kind="text",
                            text=f"{ref.name}: {description}.",
                            citation=self.ctx.citation(stored),
                        )
                        self.offer(
                            Candidate(
                                100 * strength + PROFILE_BONUS - 1,
                                intent,
                                f"about:{ref.id}",
                                None,
                                line,
                                {index: ref.id},
                                focus=frozenset({ref.id}),
                            )
                        )
                        break

    async def facts_of_entity(self, entity_id: str) -> list[StoredFact]:
        return await facts_about(self.ctx, self._about, entity_id)


async def facts_about(ctx: Context, about: About, entity_id: str) -> list[StoredFact]:
    """Every fact about the entity, newest first, read once into ``about``."""
    if entity_id not in about:
        about[entity_id] = await ctx.reader.facts_about(entity_id)
    return about[entity_id]


async def find_candidates(
    ctx: Context, reading: Reading, about: About | None = None
) -> list[Candidate]:
    """Every fact, role or description that fits the question, best first.

    ``about`` keeps every fact read about an entity, for the answer's citations.
    """
    finder = _Finder(ctx, reading, await memo(ctx), {} if about is None else about)
    asked = [i for i in INTENTS if i.name in reading.intents and i.strategy != "when"]
    chosen = [i for i in asked if not i.fallback] or asked
    chosen = [i for i in chosen if i.exclusive] or chosen
    for intent in chosen:
        strength = reading.intents[intent.name]
        if intent.strategy == "facts":
            await finder.from_wants(intent, intent.wants, strength)
        elif intent.strategy == "roles":
            await finder.roles(intent, strength, need_title=True)
        else:
            await _profile(finder, intent, 0.5)
    if not chosen:
        await _profile(finder, _DEFAULT, 0.5)
    left_out = {c.id for m in reading.negation.excluded for c in m.candidates}
    found = [c for c in finder.found.values() if not (left_out and _about_left_out(c, left_out))]
    named = {c.id for m in reading.mentions for c in m.candidates}
    # The intents answered about each person or thing, by the candidates that are not evidence.
    answering: dict[str, set[str]] = {}
    for other in found:
        if not other.supporting:
            for focus in other.focus:
                answering.setdefault(focus, set()).update(other.intents)
    for candidate in found:
        # "Who's the Acme VP that left?": the VP who also left beats the VP who stayed.
        answered = set(candidate.intents)
        for entity in candidate.focus - named:
            answered |= answering.get(entity, set())
        candidate.score += COMBO_BONUS * (len(answered) - 1)
    # Stable sorts: by score, then the newest, then the key for a fixed order.
    found.sort(key=lambda c: c.key)
    found.sort(key=lambda c: c.reported_on, reverse=True)
    found.sort(key=lambda c: (c.supporting, c.hedged, -c.score))
    return found if found and not found[0].supporting else []


def _about_left_out(candidate: Candidate, left_out: set[str]) -> bool:
    """Whether a candidate is about a name the question leaves out ("other than X", "not Y").

    A fact that involves X in any part is about X ("who joined Acme, but not from X"), unless X
    is only one of several it is about ("which companies besides X compete": the race of five).
    """
    involved = set(candidate.focus)
    if candidate.stored is not None:
        involved.update(entity_id for _, entity_id in candidate.stored.fact.mentioned())
    if candidate.role is not None:
        involved.update(filter(None, (candidate.role.person_id, candidate.role.company_id)))
    if not involved & left_out:
        return False
    return not (candidate.focus & left_out and candidate.focus - left_out)


async def _profile(finder: _Finder, intent: Intent, strength: float) -> None:
    """Who someone is, or any fact about the named entities that fits the question's words."""
    if not finder.reading.mentions:
        return  # with no name, only a question asking something specific can be answered
    finder.whole = True  # any fact of any kind in any part
    if any(c.kind == "person" for m in finder.reading.mentions for c in m.candidates):
        await finder.roles(intent, strength, need_title=False, bonus=PROFILE_BONUS)
    await finder.descriptions(intent, strength)
    await finder.from_wants(intent, _ANY_WANTS, strength)
