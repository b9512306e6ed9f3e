"""The answer to a question: the best candidate stated the way its intent asks, the other fitting
facts after it, or a question back about namesakes, or an honest "I don't know" with tips."""

from __future__ import annotations

from collections.abc import Sequence

from bot import format as fmt
from bot.answers import Context, article_citation, item
from bot.ask.candidates import About, Candidate, facts_about, find_candidates
from bot.ask.question import Reading
from bot.ask.reading import MAX_SPAN_WORDS, read
from bot.ask.words import STOP_WORDS, stem, stems
from bot.knowledge.schema import Figure, Move, Statement
from bot.models import Answer, Citation, Item, Section, Suggestion
from bot.store import StoredFact, StoredRole
from bot.text import normalize

MAX_OTHERS = 10  # further matching facts listed after the best one

UNKNOWN = "I don't know that from the news I have."


async def ask(ctx: Context, question: str) -> Answer:
    """Answer a question in plain words from the facts that fit it, or say honestly that I can't."""
    reading = read(ctx.index, question)
    about: About = {}  # facts read about each entity, read once
    candidates = await find_candidates(ctx, reading, about) if reading.words else []
    if not candidates:
        return _unknown(ctx, reading)
    ambiguous = _ambiguity(reading, candidates)
    if ambiguous is not None:
        return ambiguous
    best, others = candidates[0], candidates[1 : 1 + MAX_OTHERS]
    first = await _best_item(ctx, reading, best, about)
    await ctx.cite([c.stored for c in others if c.stored is not None])
    rest = [await _line(ctx, c, about) for c in others]
    sections = [Section(heading="Answer", items=[first])]
    if rest:
        sections.append(Section(heading="Also in the news", items=rest))
    return Answer(command="ask", status="ok", title=_title(question), sections=sections)


async def _line(ctx: Context, candidate: Candidate, about: About) -> Item:
    if candidate.line is not None:
        return candidate.line
    if candidate.role is not None:
        return await _role_item(ctx, candidate.role, about)
    assert candidate.stored is not None  # a candidate is a fact, a role or a prebuilt line
    await ctx.cite([candidate.stored])
    return item(ctx, candidate.stored)


async def _role_item(ctx: Context, role: StoredRole, about: About) -> Item:
    """ "Jane Roe is CTO at Acme.", cited with the sentence that says so."""
    name, company = ctx.name(role.person_id), ctx.name(role.company_id)
    named = role.company_id is not None and _names(ctx, role.title, role.company_id)
    where = f" at {company}" if role.company_id and not named else ""
    verb = "is" if role.current else "was"
    text = f"{name} {verb} {role.title}{where}."
    return Item(kind="role", text=text, citation=await _role_citation(ctx, role, about))


def _names(ctx: Context, text: str, entity_id: str) -> bool:
    """Whether the text names the entity ("Head of ACM" names Acme Corp, whose alias is ACM)."""
    words = normalize(text).split()[: MAX_SPAN_WORDS * 3]
    return any(
        ref.id == entity_id
        for length in range(1, min(MAX_SPAN_WORDS, len(words)) + 1)
        for start in range(len(words) - length + 1)
        for ref in ctx.index.exact(" ".join(words[start : start + length]))
    )


async def _role_citation(ctx: Context, role: StoredRole, about: About) -> Citation:
    """The sentence of the role's article that states it, else the article itself."""
    title = stems(role.title) - {stem(w) for w in STOP_WORDS}
    best: tuple[int, StoredFact] | None = None
    for stored in await facts_about(ctx, about, role.person_id):
        if stored.article_id != role.article_id:
            continue
        hits = len(title & stems(stored.fact.quote))
        if 2 * hits >= len(title) and (best is None or hits > best[0]):
            best = (hits, stored)
    if best is not None:
        await ctx.cite([best[1]])
        return ctx.citation(best[1])
    return article_citation((await ctx.reader.articles([role.article_id]))[role.article_id])


async def _best_item(ctx: Context, reading: Reading, best: Candidate, about: About) -> Item:
    """The answer's first line: the best fact stated the way its intent phrases it."""
    line = await _line(ctx, best, about)
    if best.stored is not None:
        phrase = best.intent.phrase
        sentence = phrase(ctx, best.stored) if phrase is not None else None
        if sentence:
            # A move's usual line (from, to, role, date) still adds to "X took over from Y".
            detail = line.text if isinstance(best.stored.fact, Move) else line.detail
            line = line.model_copy(update={"text": sentence, "detail": detail})
    if reading.when and best.stored is not None:
        fact = best.stored.fact
        date = fmt.date(
            (fact.said_on if isinstance(fact, Statement) else None)
            or (fact.as_of if isinstance(fact, Figure) else None)
            or fact.reported_on
        )
        if date not in line.text:
            line = line.model_copy(update={"text": f"{line.text.rstrip('.')} (reported {date})."})
    return line


def _ambiguity(reading: Reading, candidates: Sequence[Candidate]) -> Answer | None:
    """Namesakes that both fit: ask which one rather than guess."""
    for index, mention in enumerate(reading.mentions):
        if len(mention.candidates) < 2:
            continue
        fitting = {c.covered[index] for c in candidates if index in c.covered}
        if len(fitting) > 1:
            refs = [r for r in mention.candidates if r.id in fitting]
            return Answer(
                command="ask",
                status="ambiguous",
                title="Which one do you mean?",
                message=f"“{mention.text}” could be {fmt.join([r.name for r in refs])}. "
                "Ask again with the full name.",
                suggestions=[Suggestion(name=r.name, kind=r.kind, hint=r.hint) for r in refs],
            )
    return None


def _unknown(ctx: Context, reading: Reading) -> Answer:
    tips: list[str] = []
    named = {c.id: c for m in reading.mentions for c in m.candidates}
    for ref in list(named.values())[:3]:
        about = f" ({ref.hint})" if ref.hint else ""
        if ref.kind == "person":
            tips.append(f"I know {ref.name}{about}: try /person name:{ref.name}")
        else:
            tips.append(
                f"I know {ref.name}{about}: try /company name:{ref.name}, "
                f"/who-left company:{ref.name} or /stats topic:{ref.name}"
            )
    if reading.near:
        tips.append(f"Did you mean {fmt.join([e.name for e in reading.near[:3]])}?")
    if not named:
        known = [c.label for c in ctx.index.complete("", None, 5)]
        if known:
            tips.append(f"I know news about, for example, {fmt.join(known)}.")
    tips.append(
        "I can answer who left or joined a company, who replaced whom, figures, and who said "
        "what: try /who-left, /who-joined, /stats, /sources or /help."
    )
    return Answer(
        command="ask",
        status="unknown",
        title="I don't know that",
        message=UNKNOWN,
        tips=tips,
    )


def _title(question: str) -> str:
    text = " ".join(question.split())
    return text if len(text) <= 100 else text[:99] + "…"
