"""The answer to a plain question, built from the best candidates.

The answer to a question: the best candidate stated the way its intent asks, the other fitting
facts after it, or a question back about namesakes, or an honest "I don't know" with tips.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Sequence

from bot import answers, windows
from bot import phrasing as fmt
from bot.answers import Context, article_citation, item, items, stories, story_items
from bot.ask.bridge import bridge
from bot.ask.candidates import About, Candidate, facts_about, find_candidates
from bot.ask.common import in_common
from bot.ask.compare import compare
from bot.ask.described import described
from bot.ask.family import family_answer
from bot.ask.intents import INTENTS, Intent
from bot.ask.memo import memo
from bot.ask.plans import run_plan
from bot.ask.question import Reading
from bot.ask.reading import MAX_SPAN_WORDS, read
from bot.ask.retrieve import Closest, closest
from bot.ask.words import stem, stems, title_words
from bot.knowledge.facts import Figure, Move
from bot.models import Answer, Citation, Item, Section, Suggestion
from bot.resolve import EntityRef
from bot.store import StoredFact, StoredRole
from bot.stories import Stories
from bot.text import STOP_WORDS, normalize

MAX_OTHERS = 10  # further matching facts listed after the best one
MAX_STAYERS = 25  # people listed with no departure from a company

_CLOSEST = Intent("closest", (), ())  # the closest fact answers no intent asked
UNKNOWN = "I don't know that from the news I have."


async def ask(ctx: Context, question: str) -> Answer:
    """Answer a question in plain words from the facts that fit it, or say honestly that I can't."""
    asked_text = _without_preamble(question)
    reading = read(ctx.index, asked_text, ctx.snapshot.name_words)
    about: About = {}  # facts read about each entity, read once
    stayers = _stayers_asked(reading)
    if stayers is not None:
        answer = await _stayers(ctx, reading, question, *stayers, about)
        if answer is not None:
            return answer
    if reading.negation.negated or reading.negation.vague:
        # Whole: "who did not leave in 2025" is no more settled by the facts without its year.
        return await _negative(ctx, reading, about)
    family = await family_answer(ctx, reading, _title(question), about)
    if family is not None:
        return family
    shared = await in_common(ctx, reading, _title(question), about)
    if shared is not None:
        return shared
    two = await compare(ctx, reading, about)
    if two is not None:
        return Answer(
            command="ask",
            status="ok",
            title=_title(question),
            message=two.said,
            sections=[Section(heading="Answer", items=await items(ctx, [two.first, two.second]))],
        )
    # "in July", "since June", "lately": a window on the facts, not words the facts must bear.
    window, asked = windows.find(asked_text, dt.datetime.now(dt.UTC).date())
    whole = reading
    if window is not None:
        reading = read(ctx.index, asked, ctx.snapshot.name_words)
    candidates = await find_candidates(ctx, reading, about) if reading.words else []
    if not candidates and window is not None and whole.words:
        # "What did Acme report in February 2025?": the date may be what the fact itself
        # says; the window still filters what is found.
        reading = whole
        candidates = await find_candidates(ctx, reading, about)
    meant = None
    via: Candidate | None = None  # the closest fact, when it says whom the question describes
    if reading.mentions and _only_described(reading, candidates):
        # "When did the Acme boss talk about X": the company and title are a person, asked
        # something else than their role.
        meant = await described(ctx, reading)
        again = await find_candidates(ctx, meant.reading, about) if meant is not None else []
        if meant is not None and again:
            reading, candidates = meant.reading, again
        else:
            meant = None
    left_out = fmt.join(list({c.name: c for m in reading.negation.excluded for c in m.candidates}))
    if not candidates:
        planned = await run_plan(ctx, reading, _title(question), window)
        if planned is not None:
            return planned
        near = await closest(ctx, whole, about) if not left_out else None
        via = _closest_candidate(whole, near) if near is not None else None
        if via is not None and await bridge(ctx, whole, [via], about) is not None:
            # "The Bedrock guy quit?": the closest fact says whom it means, then what is asked
            # is asked of them, and answered below as likely rather than certain.
            reading, candidates = whole, [via]
        elif near is not None:
            return await _closest_answer(ctx, question, near, about)
        else:
            unknown = _unknown(ctx, reading)
            if left_out:
                tip = f"Leaving out {left_out}, as you asked, the news records nothing that fits."
                unknown = unknown.model_copy(update={"tips": [tip, *unknown.tips]})
            return unknown
    known = await stories(ctx)
    candidates = _current_claims(candidates, known)
    if window is not None:
        fitting = candidates
        candidates = [c for c in candidates if _in_window(c, window, known)]
        if fitting[0].stored is not None and all(c.stored is None for c in candidates):
            # The facts that answer were all outside the window: a role (undated) left in it
            # is not what "who left lately" asks.
            candidates = []
        if not candidates:
            # "In February" with no year is the latest February the news has something for.
            earlier = _earlier_window(question, fitting, known)
            if earlier is not None:
                window, candidates = earlier
        if not candidates:
            return Answer(
                command="ask",
                status="empty",
                title=_title(question),
                message=f"The news I know has nothing that fits {window.said()}.",
                tips=["Ask again without the dates to see everything that fits."],
            )
    if not candidates:
        return _unknown(ctx, reading)
    ambiguous = _ambiguity(reading, candidates)
    if ambiguous is not None:
        return ambiguous
    bridged = await bridge(ctx, reading, candidates, about)
    if bridged is not None:
        reading = bridged.reading
        candidates = _current_claims(bridged.candidates, known)
        if via is not None and candidates:
            candidates[0] = dataclasses.replace(candidates[0], hedged=True)
    if reading.negation.staying and bridged is None:
        stayed = await _described_stayed(ctx, reading, question, candidates[0], about)
        if stayed is not None:
            return stayed
    compared = _compared(reading, candidates)
    if compared is not None:
        candidates = compared
    best, others = candidates[0], candidates[1 : 1 + MAX_OTHERS]
    if _names_asked(reading) and _unnamed_group(best):
        return _unknown(ctx, reading)  # "the names of the researchers": it names none of them
    first = await _best_item(ctx, reading, best, about)
    rest = await _lines(ctx, others, about)
    # "The closest I know" marks an answer that is likely, not certain (see Candidate.hedged).
    heading = "The closest I know" if best.hedged else "Answer"
    sections = [Section(heading=heading, items=[first, *await _history(ctx, best, known)])]
    if bridged is not None:
        # How the person described was found: the fact that names them.
        who = f"Who I took you to mean: {ctx.name(bridged.person)}"
        sections.append(Section(heading=who, items=await _lines(ctx, [bridged.via], about)))
    if rest:
        sections.append(Section(heading="Also in the news", items=rest))
    said = [f"Leaving out {left_out}, as you asked."] if left_out else []
    if meant is not None:
        said.append(meant.said)
    if compared is not None:
        said.append(
            f"Of the {len(compared)} figures that fit, this is the {compared_word(reading)}."
        )
    if window:
        said.append(f"Only news {window.said()}.")
    return Answer(
        command="ask",
        status="ok",
        title=_title(question),
        message=" ".join(said) or None,
        sections=sections,
    )


async def _closest_answer(ctx: Context, question: str, near: Closest, about: About) -> Answer:
    """The fact nearest the question's words, offered as likely rather than certain."""
    await ctx.cite([near.stored, *near.others])
    sections = [Section(heading="The closest I know", items=[item(ctx, near.stored)])]
    if near.others:
        sections.append(Section(heading="Also in the news", items=await items(ctx, near.others)))
    return Answer(
        command="ask",
        status="ok",
        title=_title(question),
        message="The news doesn't say that in so many words. The closest I know:"
        if near.yes_no
        else "The closest I know: no fact answers that exactly, but this one says most of "
        "what you asked.",
        sections=sections,
    )


_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# How a sentence about the asker opens ("Hi, I'm new here.", "Good evening."): no question.
_PREAMBLE_OPENINGS = frozenset({"i", "im", "hi", "hello", "hey", "good", "sorry", "thanks"})
_REPORTED = frozenset({"read", "heard", "saw", "noticed", "learned", "know", "think", "thought"})


def _without_preamble(question: str) -> str:
    """The question without the sentences before it that only introduce the asker.

    "Hi, I'm a student. Which CEO said …?": a sentence that is not a question and opens with
    "I" or a greeting says nothing asked, when a later sentence asks.
    """
    sentences = _SENTENCE_END.split(question.strip())
    kept = list(sentences)
    while len(kept) > 1:
        words = normalize(kept[0]).split()
        if kept[0].rstrip().endswith("?") or not words or words[0] not in _PREAMBLE_OPENINGS:
            break
        if set(words[1:3]) & _REPORTED:
            break  # "I read that X left Acme.": what the question is about
        kept.pop(0)
    return " ".join(kept) if len(kept) < len(sentences) else question


def _names_asked(reading: Reading) -> bool:
    """Whether the question asks for names ("the names of the researchers who left")."""
    named = {i for m in reading.mentions for i in range(m.start, m.end)}
    return any(w in {"name", "names"} for i, w in enumerate(reading.words) if i not in named)


def _unnamed_group(candidate: Candidate) -> bool:
    """Whether the candidate's fact is about a group it does not name ("3 researchers")."""
    fact = candidate.stored.fact if candidate.stored is not None else None
    return isinstance(fact, Move) and fact.person is None


def _closest_candidate(reading: Reading, near: Closest) -> Candidate | None:
    """The closest fact as a candidate for bridge(): which names of the question it covers."""
    mentioned = {e for _, e in near.stored.fact.mentioned()}
    covered = {
        i: ref.id
        for i, m in enumerate(reading.mentions)
        for ref in m.candidates[:1]
        if ref.id in mentioned
    }
    if not covered or any(ref.kind == "person" for m in reading.mentions for ref in m.candidates):
        return None  # a person named is the one asked about, not one described by a fact
    fact = near.stored.fact
    return Candidate(
        0.0,
        _CLOSEST,
        f"fact:{fact.id}",
        near.stored,
        None,
        covered,
        fact.reported_on,
        focus=fact.focus(),
    )


def _only_described(reading: Reading, candidates: Sequence[Candidate]) -> bool:
    """Whether nothing fits but the role a question describes someone by, asking another thing."""
    if not candidates:
        return True
    asked = {i.name for i in INTENTS if i.name in reading.intents and not i.fallback}
    return candidates[0].role is not None and bool(asked - {"role", "when"})


_RELATIVE = re.compile(
    r"\b(this|last|lately|recently|today|yesterday|since|until|till|before|after)\b|\d{4}", re.I
)
YEARS_BACK = 5


def _earlier_window(
    question: str, candidates: Sequence[Candidate], known: Stories
) -> tuple[windows.Window, list[Candidate]] | None:
    """The same month or season in an earlier year that holds a fitting fact, for a bare one."""
    if _RELATIVE.search(question):
        return None  # a year, or a window counted from today, means what it says
    today = dt.datetime.now(dt.UTC).date()
    for back in range(1, YEARS_BACK + 1):
        try:
            then = today.replace(year=today.year - back)
        except ValueError:  # February 29
            then = today.replace(year=today.year - back, day=28)
        window, _ = windows.find(question, then)
        if window is None:
            return None
        kept = [c for c in candidates if _in_window(c, window, known)]
        if kept:
            return window, kept
    return None


def _in_window(candidate: Candidate, window: windows.Window, known: Stories) -> bool:
    """Whether a candidate fact (or its story) happened inside the window; roles have no date."""
    if candidate.stored is None:
        return True
    story = known.by_fact.get(candidate.stored.fact.id)
    days = [p.fact.day() for p in story.live] if story else [candidate.stored.fact.day()]
    return window.holds(min(days))


def _current_claims(candidates: Sequence[Candidate], known: Stories) -> list[Candidate]:
    """The candidates less corrected or retracted claims, each story once (its best part).

    The rest of the story follows the answer (_history).
    """
    kept, told = [], set()
    for candidate in candidates:
        fact_id = candidate.stored.fact.id if candidate.stored else None
        story = known.by_fact.get(fact_id) if fact_id else None
        if story is None:
            kept.append(candidate)
        elif fact_id not in story.withdrawn and story.root not in told:
            told.add(story.root)
            kept.append(candidate)
    return kept


async def _history(ctx: Context, best: Candidate, known: Stories) -> list[Item]:
    """The rest of the best answer's story, each part cited.

    That is the event as it stands now (unless the answer is that) and its other reports.
    """
    story = known.by_fact.get(best.stored.fact.id) if best.stored else None
    if story is None or best.stored is None:
        return []
    await ctx.cite(story.parts)
    shown = best.stored.fact.id
    return [i for i in story_items(ctx, story) if i.fact is None or i.fact.id != shown]


async def _lines(ctx: Context, candidates: Sequence[Candidate], about: About) -> list[Item]:
    await ctx.cite([c.stored for c in candidates if c.stored is not None])
    return [await _line(ctx, c, about) for c in candidates]


async def _line(ctx: Context, candidate: Candidate, about: About) -> Item:
    if candidate.line is not None:
        return candidate.line
    if candidate.role is not None:
        return await _role_item(ctx, candidate.role, about)
    assert candidate.stored is not None  # a candidate is a fact, a role or a prebuilt line
    await ctx.cite([candidate.stored])
    return item(ctx, candidate.stored)


async def _role_item(ctx: Context, role: StoredRole, about: About) -> Item:
    """A role as a sentence ("Jane Roe is CTO at Acme."), cited with the sentence saying so."""
    name, company = ctx.name(role.person_id), ctx.name(role.company_id)
    named = role.company_id is not None and _names(ctx, role.title, role.company_id)
    verb = "is" if role.current else "was"
    text = (
        f"{name} {verb} {fmt.role(role.title, company if role.company_id and not named else None)}."
    )
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
            moved = isinstance(best.stored.fact, Move) and line.text not in sentence
            detail = line.text if moved else line.detail
            line = line.model_copy(update={"text": sentence, "detail": detail})
    if reading.when and best.stored is not None:
        fact = best.stored.fact
        date = fmt.date(fact.happened_on() or fact.reported_on)
        if date not in line.text:
            line = line.model_copy(update={"text": f"{line.text.rstrip('.')} (reported {date})."})
    return line


# "Which grew faster, A or B": the comparative asked, and whether it wants the larger value.
_MORE = frozenset(
    [
        "more",
        "most",
        "bigger",
        "biggest",
        "larger",
        "largest",
        "higher",
        "highest",
        "faster",
        "fastest",
        "greater",
        "greatest",
        "better",
        "best",
        "stronger",
        "strongest",
    ]
)
_LESS = frozenset(
    [
        "less",
        "least",
        "smaller",
        "smallest",
        "lower",
        "lowest",
        "slower",
        "slowest",
        "fewer",
        "fewest",
    ]
)
_CHOICE = frozenset({"or", "vs", "versus", "compare", "compared"})
COMPARE_WINDOW = 10.0  # figures scored this close to the best fit the question alike


def compared_word(reading: Reading) -> str:
    """The comparative word the question used ("faster"), or "larger"."""
    for word in reading.words:
        if word in _MORE or word in _LESS:
            return word
    return "larger"


def _compared(reading: Reading, candidates: Sequence[Candidate]) -> list[Candidate] | None:
    """For "which is bigger, A or B": the figures that fit alike, the asked one first.

    Only figures of one unit are compared (no currency is converted); None when the question
    compares nothing or fewer than two figures fit.
    """
    words = set(reading.words)
    if not words & (_MORE | _LESS) or not words & _CHOICE:
        return None
    best = candidates[0]
    if best.stored is None or not isinstance(best.stored.fact, Figure) or best.hedged:
        return None
    unit = best.stored.fact.unit
    figures = [
        c
        for c in candidates
        if c.stored is not None
        and isinstance(c.stored.fact, Figure)
        and c.stored.fact.unit == unit
        # Only exact values are ranked here: "tens of millions" against "$100 million" is
        # not settled by the article (Figure.compared says so where it is asked).
        and c.stored.fact.value is not None
        and not c.supporting
        and not c.hedged
        and c.score >= best.score - COMPARE_WINDOW
    ]
    if len(figures) < 2:
        return None

    def value(c: Candidate) -> float:
        assert c.stored is not None and isinstance(c.stored.fact, Figure)
        assert c.stored.fact.value is not None  # filtered above
        return c.stored.fact.value

    figures.sort(key=value, reverse=not words & _LESS)
    return figures


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


# ---------------------------------------------------------------------- negative questions


def _stayers_asked(reading: Reading) -> tuple[EntityRef, list[EntityRef]] | None:
    """The company and people of a question asking who did not leave it.

    The company, and the people named at it, of a question asking who did not leave it
    ("who didn't leave Acme", "who stayed at Acme", "is Jane still at Acme"); else None.
    """
    negation = reading.negation
    if negation.vague:
        return None  # "who didn't leave Acme, other than the interns": which ones is unclear
    asked = {
        i.name for i in INTENTS if i.name in reading.intents and not i.fallback and i.name != "when"
    }
    if negation.negated:
        # "Which VPs did not leave Acme" also asks the role (VP) that the people hold.
        fits = "left" in asked and asked <= {"left", "role"}
    else:
        # "Who left Acme and who stayed" is answered by both lists.
        fits = bool(negation.staying) and asked <= {"left", "role"}
    if not fits:
        return None
    companies = [m for m in reading.mentions if all(c.kind == "company" for c in m.candidates)]
    people = [m for m in reading.mentions if all(c.kind == "person" for c in m.candidates)]
    named = companies + people
    if len(companies) != 1 or len(named) != len(reading.mentions):
        return None
    if any(len(m.candidates) != 1 for m in named):
        return None  # namesakes: which one did not leave is not for me to guess
    return companies[0].candidates[0], [m.candidates[0] for m in people]


async def _stayers(
    ctx: Context,
    reading: Reading,
    question: str,
    company: EntityRef,
    people: Sequence[EntityRef],
    about: About,
) -> Answer | None:
    """Who did not leave a company, as far as the news can tell.

    Who did not leave a company, as far as the news can tell: the people it names there with a
    current role and no departure on record; and the departures it does record.

    None when the question says more than a title ("who didn't leave Acme in May").
    """
    titles = (await memo(ctx)).all_roles
    if reading.topic - (await titles(ctx)).by_title_word.keys():
        return None
    departures = [
        stored
        for stored in await ctx.reader.facts_about(company.id, ["move"], ["from"])
        if isinstance(stored.fact, Move) and stored.fact.from_company == company.id
    ]
    if people:
        return await _person_stayed(ctx, reading, question, company, people, departures, about)
    left = {d.fact.person for d in departures if isinstance(d.fact, Move)}
    left_out = {c.id: c.name for m in reading.negation.excluded for c in m.candidates}
    left |= left_out.keys()
    stayed: dict[str, StoredRole] = {}
    for role in await ctx.reader.roles_at(company.id):
        if _current_titled(reading, role, company) and role.person_id not in left:
            stayed.setdefault(role.person_id, role)
    shown = list(stayed.values())[:MAX_STAYERS]
    current = f"a current role there{_as_title(reading)}"
    who = (
        f"{fmt.count(len(stayed), 'people')} {'holds' if len(stayed) == 1 else 'hold'} {current} "
        "with no departure on record"
        + (f" (the first {len(shown)} are listed)" if len(shown) < len(stayed) else "")
        if stayed
        else f"it names no one in {current} with no departure on record"
    )
    sections = []
    if shown:
        lines = [await _role_item(ctx, role, about) for role in shown]
        sections.append(Section(heading="No departure on record", items=lines))
    if departures:
        heading = f"Departures from {company.name} it records"
        if len(departures) > MAX_OTHERS:
            heading += f" (newest {MAX_OTHERS} of {len(departures):,})"
        lines = await items(ctx, departures[:MAX_OTHERS])
        sections.append(Section(heading=heading, items=lines))
    return Answer(
        command="ask",
        status="ok" if stayed else "unknown",
        title=_title(question),
        message=f"The news I have records departures, not who stayed. Of the people it names at "
        f"{company.name}"
        + (f" (leaving out {fmt.join(list(left_out.values()))})" if left_out else "")
        + f", {who}.",
        sections=sections,
    )


def _as_title(reading: Reading) -> str:
    """The title words asked about, as typed (' as “ceo”'); "" for none."""
    typed = [w for w in reading.words if w not in STOP_WORDS and stem(w) in reading.topic]
    return f" as “{' '.join(dict.fromkeys(typed))}”" if typed else ""


def _current_titled(reading: Reading, role: StoredRole, company: EntityRef) -> bool:
    """A current role at the company, of the title asked about if any ("which VPs")."""
    titled = not reading.topic or bool(reading.topic & title_words(role.title))
    return role.current and role.company_id == company.id and titled


async def _described_stayed(
    ctx: Context, reading: Reading, question: str, best: Candidate, about: About
) -> Answer | None:
    """Whether the one person the best fact names is still at the company the question names.

    "Is the executive who built X still at Acme": None if the fact names no such one person.
    """
    if best.supporting:
        return None
    if best.stored is not None:
        involved = {e for _, e in best.stored.fact.mentioned()}
    elif best.role is not None:
        involved = {best.role.person_id}  # "is the former CTO still there": who held it
    else:
        return None
    named = {c.id for m in reading.mentions for c in m.candidates}
    companies = {c.id: c for m in reading.mentions for c in m.candidates if c.kind == "company"}
    unnamed = {
        e
        for e in involved
        if e not in named
        and (ref := ctx.index.entities.get(e)) is not None
        and ref.kind == "person"
    }
    if len(companies) != 1 or len(unnamed) != 1 or len(named) != len(companies):
        return None
    company = next(iter(companies.values()))
    person = ctx.index.entities[next(iter(unnamed))]
    departures = [
        stored
        for stored in await ctx.reader.facts_about(company.id, ["move"], ["from"])
        if isinstance(stored.fact, Move) and stored.fact.from_company == company.id
    ]
    answer = await _person_stayed(ctx, reading, question, company, [person], departures, about)
    via = Section(
        heading=f"Who I took you to mean: {person.name}",
        items=[await _best_item(ctx, reading, best, about)],
    )
    return (
        answer.model_copy(update={"sections": [*answer.sections, via]})
        if answer.sections
        else answer
    )


async def _person_stayed(
    ctx: Context,
    reading: Reading,
    question: str,
    company: EntityRef,
    people: Sequence[EntityRef],
    departures: Sequence[StoredFact],
    about: About,
) -> Answer:
    """Whether named people left a company, as far as the news can tell.

    Whether named people left a company: their departure if the news has one, else the
    current role there it names them in.
    """
    said: list[str] = []
    lines: list[Item] = []
    # "Is X still at Y?" is answered yes or no; "did X leave or stay" and "did X not leave" are
    # answered by what the news records alone.
    still = not reading.negation.negated and "left" not in reading.intents
    yes, no = ("Yes, as far as the news says: it", "No: the news") if still else ("The news",) * 2
    for person in people:
        gone = [d for d in departures if isinstance(d.fact, Move) and d.fact.person == person.id]
        roles = [
            r for r in await ctx.reader.roles(person.id) if _current_titled(reading, r, company)
        ]
        if gone:
            said.append(f"{no} records that {person.name} left {company.name}.")
            lines += await items(ctx, gone)
        elif roles:
            said.append(
                f"{yes} records no departure of {person.name} from {company.name}, and "
                f"names {person.name} in a current role there{_as_title(reading)}."
            )
            lines += [await _role_item(ctx, role, about) for role in roles]
        else:
            said.append(
                f"The news doesn't say: it records neither a departure of {person.name} from "
                f"{company.name} nor a current role there{_as_title(reading)}."
            )
    return Answer(
        command="ask",
        status="ok" if lines else "unknown",
        title=_title(question),
        message=" ".join(said),
        sections=[Section(heading="Answer", items=lines)] if lines else [],
    )


async def _negative(ctx: Context, reading: Reading, about: About) -> Answer:
    """The answer to a question about what did not happen.

    A question about what did not happen, which the facts cannot settle: said so plainly,
    with what the news does record about the same names and words, labelled as such.
    """
    candidates = await find_candidates(ctx, reading, about) if reading.words else []
    lines = await _lines(ctx, candidates[: 1 + MAX_OTHERS], about)
    if not lines and not reading.mentions:
        # "Which companies did not lose anyone": the departures it knows, newest first.
        for name, moves in (("left", answers.who_left), ("joined", answers.who_joined)):
            if name in reading.intents:
                lines = (await moves(ctx)).items()[:MAX_OTHERS]
                break
    unknown = _unknown(ctx, reading)
    said = reading.negation.said
    if reading.negation.negated:
        title = "I can't answer negative questions"
        why = (
            f"You asked about what did not happen (“{said}”), and the news I have records only "
            "what did, so I can't tell you that."
        )
    else:
        title = "I can't tell what to leave out"
        why = (
            f"You asked me to leave something out (“{said}”) that names no one I know, so I "
            "can't tell which facts to leave out."
        )
    return unknown.model_copy(
        update={
            "title": title,
            "message": why + (" Here is what the news does record:" if lines else ""),
            "sections": [Section(heading="What the news does record", items=lines)]
            if lines
            else [],
        }
    )


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
    return fmt.shown(question, 100)
