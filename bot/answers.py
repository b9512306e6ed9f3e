"""The queries behind every command: facts from the store, each turned into a cited sentence.

Every function takes a Context (one read transaction plus the name index of the same knowledge
version) and returns an Answer; none of them knows about Discord or the console.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from bot import phrasing as fmt
from bot import windows
from bot.knowledge.facts import KINDS, Figure, Move
from bot.knowledge.schema import UNDISCLOSED, EntityKind, Fact
from bot.models import Answer, Citation, Item, Section, Suggestion
from bot.resolve import EntityRef, NameIndex, Resolution
from bot.store import Reader, StoredArticle, StoredFact, StoredRole
from bot.stories import Matches, Stories, Story
from bot.text import normalize

if TYPE_CHECKING:
    from bot.snapshot import Snapshot  # which imports the answer layer

MAX_ITEMS = 50  # per section; renderers cut further to fit their medium


@dataclass
class Context:
    """One consistent view of the knowledge, for one answer.

    One consistent view of the knowledge: a read transaction and the snapshot (name index and
    tables) of the same knowledge version.
    """

    reader: Reader
    snapshot: Snapshot
    _articles: dict[str, StoredArticle] = field(default_factory=dict)

    @property
    def index(self) -> NameIndex:
        """The name index of the version read."""
        return self.snapshot.index

    def name(self, entity_id: str | None) -> str:
        """The display name of an id ("an undisclosed company" for that placeholder)."""
        if entity_id is None:
            return "?"
        if entity_id == UNDISCLOSED:
            return "an undisclosed company"
        entity = self.index.entities.get(entity_id)
        return entity.name if entity else entity_id

    def is_company(self, entity_id: str) -> bool:
        """Whether the id is a known company."""
        entity = self.index.entities.get(entity_id)
        return entity is not None and entity.kind == "company"

    async def cite(self, facts: Iterable[StoredFact]) -> None:
        """Fetch the articles of these facts once, so citation() needs no further query."""
        missing = {f.article_id for f in facts} - self._articles.keys()
        if missing:
            self._articles.update(await self.reader.articles(missing))

    def citation(self, stored: StoredFact) -> Citation:
        """Where a fact comes from: its article (fetched by cite()) and its quoted sentence."""
        article = self._articles[stored.article_id].article
        fact = stored.fact
        return Citation(
            article_id=article.id,
            title=article.title,
            publisher=article.publisher,
            published=article.published,
            url=article.url,
            quote=fact.quote,
            reported_on=fact.reported_on,
            reported_by=fact.reported_by,
        )


@dataclass
class Tables:
    """What the answers about one knowledge version share.

    What the answers about one knowledge version share, built by the first answer needing
    each; kept on the version's Snapshot (so dropped with it), never in this module.
    """

    figures: _FigureWords | None = None
    stories: Stories | None = None


# ---------------------------------------------------------------------- fact -> item


def item(ctx: Context, stored: StoredFact, *, arrival: bool = False) -> Item:
    """Any stored fact as one cited line, worded by its kind.

    Any stored fact as one cited line, worded by its kind (a move told as an arrival when
    ``arrival``).
    """
    fact = stored.fact
    return Item(
        kind=fact.KIND,
        text=fact.sentence(ctx, arrival=arrival),
        detail=fact.detail(ctx),
        citation=ctx.citation(stored),
        fact=fact,
    )


async def items(ctx: Context, facts: Sequence[StoredFact], *, arrival: bool = False) -> list[Item]:
    """Cited items for facts, fetching their articles in one query."""
    await ctx.cite(facts)
    return [item(ctx, f, arrival=arrival) for f in facts]


# ---------------------------------------------------------------------- stories


async def stories(ctx: Context) -> Stories:
    """The stories (facts following up earlier facts) of the version the context reads."""
    version = await ctx.reader.version()
    kept = ctx.snapshot.tables.stories
    if kept is None or kept.version != version:
        kept = Stories.of(version, await ctx.reader.linked_facts())
        ctx.snapshot.tables.stories = kept
    return kept


def _day(entry: StoredFact | Story) -> str:
    """When an entry happened: a story's earliest standing claim, as timelines sort."""
    if isinstance(entry, Story):
        return min(part.fact.day() for part in entry.live)
    return entry.fact.day()


def story_items(ctx: Context, story: Story, *, arrival: bool = False) -> list[Item]:
    """A story as one event in its current state, then every other part of it, each cited.

    A retracted story reads "Retracted: …" followed by what withdrew it.
    """
    live, current = story.live, story.current
    shown = current or story.parts[0]
    if current is None:
        text = "Retracted: " + story.parts[0].fact.sentence(ctx, arrival=arrival)
        detail = None
    else:
        text = live[0].fact.sentence(ctx, arrival=arrival).rstrip(".")
        for earlier, later in itertools.pairwise(live):
            text += "; " + later.fact.sequel(earlier.fact, ctx, arrival=arrival).rstrip(".")
        text += "."
        detail = next((d for p in reversed(live) if (d := p.fact.detail(ctx))), None)
    found = [
        Item(
            kind=shown.fact.KIND,
            text=text,
            detail=detail,
            citation=ctx.citation(shown),
            fact=shown.fact,
        )
    ]
    for part in story.parts:
        if part is shown:
            continue
        withdrawn, link = story.withdrawn.get(part.fact.id), part.fact.link()
        if withdrawn is not None:
            how, by = withdrawn
            verb = "Corrected" if how == "corrects" else "Retracted"
            label = f"{verb} {fmt.on(by.fact.reported_on)}"
        elif link is not None and link[0] == "retracts":
            label = "Retraction"
        else:
            label = "Earlier report" if part in live else "Report"
        sentence = part.fact.sentence(ctx, arrival=arrival)
        history = Item(
            kind="history", text=f"{label}: {sentence}", citation=ctx.citation(part), fact=part.fact
        )
        found.append(history)
    return found


async def event_items(
    ctx: Context, entries: Sequence[StoredFact | Story], *, arrival: bool = False
) -> list[Item]:
    """Cited items for facts and stories (each story an event followed by its history)."""
    await ctx.cite([p for e in entries for p in (e.parts if isinstance(e, Story) else [e])])
    found: list[Item] = []
    for entry in entries:
        if isinstance(entry, Story):
            found += story_items(ctx, entry, arrival=arrival)
        else:
            found.append(item(ctx, entry, arrival=arrival))
    return found


# ---------------------------------------------------------------------- resolution answers


def unresolved(command: str, resolution: Resolution, label: str) -> Answer:
    """The answer for a name that matched nothing, or matched several things."""
    if resolution.status == "ambiguous":
        *others, last = [c.name for c in resolution.candidates]
        guess = f"{', '.join(others)} or {last}" if others else last
        return Answer(
            command=command,
            status="ambiguous",
            title=f"Which {label} do you mean?",
            message=f"I have no {label} called “{fmt.shown(resolution.query)}”. Did you mean {guess}?",
            suggestions=[
                Suggestion(name=c.name, kind=c.kind, hint=c.hint) for c in resolution.candidates
            ],
        )
    return Answer(
        command=command,
        status="not_found",
        title=f"No {label} found",
        message=f"I have no {label} called “{fmt.shown(resolution.query)}” in the news I know.",
        tips=["/sources lists the articles I know; /help lists the commands."],
    )


def closest_notes(resolution: Resolution) -> list[str]:
    """The note "Showing X, the closest name to “typed”" when a near name was answered."""
    if resolution.status != "found" or not resolution.closest or resolution.entity is None:
        return []
    typed = fmt.shown(resolution.query)
    return [f"Showing {resolution.entity.name}, the closest name to “{typed}”."]


def _resolve(
    ctx: Context, text: str | None, kind: EntityKind | None, notes: list[str]
) -> tuple[EntityRef | None, Resolution | None]:
    """A typed name resolved for an answer: its entity, or why it failed.

    (entity, None) when resolved or no text; (None, resolution) when the text failed. A
    near name's note goes to ``notes``, for the answer to show.
    """
    if text is None or not text.strip():
        return None, None
    resolution = ctx.index.resolve(text, kind)
    if resolution.status == "found":
        notes += closest_notes(resolution)
        return resolution.entity, None
    return None, resolution


# ---------------------------------------------------------------------- moves


async def _moves(
    ctx: Context,
    direction: Literal["from", "to"],
    company: EntityRef | None,
    person: EntityRef | None,
    limit: int | None = MAX_ITEMS,
) -> tuple[int, list[StoredFact]]:
    """(how many moves match, the newest ``limit`` of them; all when None)."""
    # A big employer has thousands of departures: count and page them in SQL, decode only 50.
    if company is not None and person is None:
        total = await ctx.reader.count_facts_about(company.id, ["move"], [direction])
        return total, await ctx.reader.facts_about(company.id, ["move"], [direction], limit)
    if company is None and person is None:
        total = await ctx.reader.count_moves(direction)
        return total, await ctx.reader.moves(direction, limit)
    if company is not None:
        facts = await ctx.reader.facts_about(company.id, ["move"], [direction])
    else:
        assert person is not None
        facts = await ctx.reader.facts_about(person.id, ["move"], ["person"])
    wanted = []
    for stored in facts:
        move = stored.fact
        assert isinstance(move, Move)
        if (move.from_company if direction == "from" else move.to_company) is None:
            continue
        if person is not None and move.person != person.id:
            continue
        wanted.append(stored)
    return len(wanted), wanted[:limit]


def _move_matches(
    direction: Literal["from", "to"], company: EntityRef | None, person: EntityRef | None
) -> Matches:
    """What _moves() selects, as a test of one fact: to tell which parts of a story it counts."""

    def matches(fact: Fact) -> bool:
        if not isinstance(fact, Move):
            return False
        if (fact.from_company if direction == "from" else fact.to_company) is None:
            return False
        if company is not None and (direction, company.id) not in fact.mentioned():
            return False
        return person is None or fact.person == person.id

    return matches


async def who_moved(
    ctx: Context,
    direction: Literal["from", "to"],
    company: str | None = None,
    person: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Answer:
    """Departures (direction 'from') or arrivals ('to'), newest first, optionally filtered.

    ``since`` and ``until`` are dates or words ("last month"), against today's date (UTC).
    """
    command = "who-left" if direction == "from" else "who-joined"
    noun = "departures" if direction == "from" else "arrivals"
    preposition = "from" if direction == "from" else "at"
    notes: list[str] = []
    company_ref, failed = _resolve(ctx, company, "company", notes)
    if failed:
        return unresolved(command, failed, "company")
    person_ref, failed = _resolve(ctx, person, "person", notes)
    if failed:
        return unresolved(command, failed, "person")
    span = windows.window(since, until, dt.datetime.now(dt.UTC).date())
    if isinstance(span, str):
        return Answer(command=command, status="invalid", title=f"{noun.capitalize()}", message=span)
    known = await stories(ctx)
    matches = _move_matches(direction, company_ref, person_ref)
    # A window is checked on each event's own date, so it reads every match, not a page.
    reports, facts = await _moves(
        ctx, direction, company_ref, person_ref, MAX_ITEMS if span is None else None
    )
    entries = known.events(facts, matches)
    if span is None:
        total = known.count(reports, matches)
    else:
        entries = [e for e in entries if span.holds(_day(e))]
        total = len(entries)
    # Newest by when it happened: a 2021 move reported in 2025 is not the newest departure.
    entries = sorted(entries, key=_day, reverse=True)[:MAX_ITEMS]
    scope = " ".join(
        part
        for part in (
            f"{preposition} {company_ref.name}" if company_ref else "",
            f"by {person_ref.name}" if person_ref else "",
            span.said() if span else "",
        )
        if part
    )
    title = f"{noun.capitalize()} {scope}".strip()
    if not entries:
        return Answer(
            command=command,
            status="empty",
            title=title,
            notes=notes,
            message=f"No {noun} {scope} are recorded in the news I know.".replace("  ", " "),
        )
    found = await event_items(ctx, entries, arrival=direction == "to")
    message = f"{fmt.count(total, noun)} recorded{' ' + span.said() if span else ''}."
    return Answer(
        command=command,
        status="ok",
        title=title,
        notes=notes,
        message=message,
        sections=[Section(heading=title, items=found)],
    )


async def who_left(
    ctx: Context,
    company: str | None = None,
    person: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Answer:
    """Departures: who left which company, where to, in what role, and who took over."""
    return await who_moved(ctx, "from", company, person, since, until)


async def who_joined(
    ctx: Context,
    company: str | None = None,
    person: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> Answer:
    """Arrivals: who joined which company (or an undisclosed one), and from where."""
    return await who_moved(ctx, "to", company, person, since, until)


# ---------------------------------------------------------------------- figures


class _FigureWords:
    """Which figures have which words, built once per knowledge version.

    Which figures have which words (of their measure, period and subject's name), built once
    per knowledge version: matching a topic against 10,000+ figures one by one took ~0.5 s.
    """

    def __init__(self, version: str | None, figures: Sequence[StoredFact], ctx: Context) -> None:
        self.version = version
        self.ids = [f.fact.id for f in figures]  # newest first, as facts_of_kind returns them
        postings: dict[str, list[int]] = defaultdict(list)
        for position, stored in enumerate(figures):
            fact = stored.fact
            assert isinstance(fact, Figure)
            text = f"{fact.measure} {fact.period or ''} {ctx.name(fact.subject)}"
            for word in set(normalize(text).split()):
                postings[word].append(position)
        self.postings = dict(postings)
        self.vocabulary = sorted(postings)

    def matching(self, topic: str) -> list[str]:
        """Ids of the figures every typed word matches (_word_matches), newest first."""
        words = normalize(topic).split()
        found: set[int] | None = None
        for typed in words:
            hits: set[int] = set()
            if len(typed) < 3:
                hits.update(self.postings.get(typed, ()))
            else:
                stem = typed[:-1] if typed.endswith("s") and len(typed) > 3 else typed
                vocabulary = self.vocabulary
                for j in range(bisect.bisect_left(vocabulary, stem), len(vocabulary)):
                    if not vocabulary[j].startswith(stem):
                        break
                    hits.update(self.postings[vocabulary[j]])
            found = hits if found is None else found & hits
            if not found:
                return []
        return [self.ids[i] for i in sorted(found or ())]


async def _figures_matching(ctx: Context, topic: str) -> list[StoredFact]:
    """Figures whose measure, period or subject's name has every word of the topic."""
    tables = ctx.snapshot.tables
    if tables.figures is None:
        figures = await ctx.reader.facts_of_kind("figure")
        tables.figures = _FigureWords(ctx.index.version, figures, ctx)
    ids = tables.figures.matching(topic)
    return await ctx.reader.facts_by_id(ids[:MAX_ITEMS])


def _word_matches(typed: str, word: str) -> bool:
    """Whether a typed word matches a word of a measure.

    Measures are spelled out ("market capitalisation", "signing bonuses") while users
    abbreviate ("market cap", "signing bonus"): a typed word of 3+ letters may start a word.
    """
    if len(typed) < 3:
        return typed == word
    stem = typed[:-1] if typed.endswith("s") and len(typed) > 3 else typed
    return word.startswith(stem)


async def stats(ctx: Context, topic: str | None = None) -> Answer:
    """Figures in the news: for a company, person or measure; or all of them, with a move tally."""
    if topic and topic.strip():
        resolution = ctx.index.resolve(topic)
        if resolution.status == "found" and resolution.entity is not None:
            entity = resolution.entity
            facts = await ctx.reader.facts_about(entity.id, ["figure"], limit=MAX_ITEMS)
            title = f"Figures about {entity.name}"
        else:
            facts = await _figures_matching(ctx, topic)
            if not facts:
                if resolution.status == "ambiguous":
                    return unresolved("stats", resolution, "topic")
                return Answer(
                    command="stats",
                    status="not_found",
                    title="No figures found",
                    message=f"I know no figures about “{fmt.shown(topic)}”.",
                    tips=["Try /stats with no topic to see every figure I know."],
                )
            title = f"Figures about “{fmt.shown(topic)}”"
        if not facts:
            return Answer(
                command="stats",
                status="empty",
                title=title,
                notes=closest_notes(resolution),
                message=f"No figures about {resolution.entity.name if resolution.entity else topic} "
                "are recorded in the news I know.",
            )
        return Answer(
            command="stats",
            status="ok",
            title=title,
            notes=closest_notes(resolution),
            sections=[Section(heading=title, items=await items(ctx, facts[:MAX_ITEMS]))],
        )
    # The newest figures, grouped; counts come from SQL (thousands of figures at scale).
    figures = await ctx.reader.facts_of_kind("figure", MAX_ITEMS)
    await ctx.cite(figures)
    # Grouped by id, not name: two companies may share a name.
    by_subject: dict[str, list[Item]] = defaultdict(list)
    for stored in figures:
        assert isinstance(stored.fact, Figure)
        by_subject[stored.fact.subject].append(item(ctx, stored))
    sections = [
        Section(heading=ctx.name(subject), items=lines[:MAX_ITEMS])
        for subject, lines in by_subject.items()
    ]
    tally = (await stories(ctx)).tally(await ctx.reader.move_tally())
    if tally:
        sections.append(
            Section(
                heading="Moves by company",
                items=[
                    Item(kind="tally", text=f"{ctx.name(cid)}: {left} left, {joined} joined")
                    for cid, left, joined in tally[:MAX_ITEMS]
                ],
            )
        )
    if not sections:
        return Answer(
            command="stats", status="empty", title="Figures", message="No figures are recorded yet."
        )
    return Answer(
        command="stats",
        status="ok",
        title="Figures in the news",
        message=f"{fmt.count(await ctx.reader.count_facts('figure'), 'figures')} about "
        f"{fmt.count(await ctx.reader.count_subjects('figure'), 'subjects')}.",
        sections=sections,
    )


# ---------------------------------------------------------------------- profiles


async def _profile_sections(ctx: Context, entity: EntityRef) -> list[Section]:
    # Only what is shown: a big employer is mentioned by thousands of facts.
    facts = await ctx.reader.facts_about(entity.id, limit=MAX_ITEMS, per_kind=True)
    known = await stories(ctx)
    sections = []
    for kind in KINDS:
        heading = kind.HEADING

        def matches(fact: Fact, kind: type[Fact] = kind) -> bool:
            return fact.KIND == kind.KIND and any(e == entity.id for _, e in fact.mentioned())

        of_kind = [f for f in facts if f.kind == kind.KIND]
        entries = known.events(of_kind, matches)
        lines = await event_items(ctx, entries)
        if len(of_kind) == MAX_ITEMS:
            # A cut list must say so: a big employer has hundreds of moves, not fifty.
            reports = await ctx.reader.count_facts_about(entity.id, [kind.KIND])
            total = known.count(reports, matches)
            if total > len(entries):
                heading = f"{heading} (newest {len(entries)} of {total:,})"
        if lines:
            sections.append(Section(heading=heading, items=lines))
    retracted = known.retracted(entity.id)
    if retracted:
        lines = await event_items(ctx, retracted[:MAX_ITEMS])
        sections.append(Section(heading="Retracted", items=lines))
    return sections


async def profile(ctx: Context, name: str, kind: EntityKind) -> Answer:
    """Everything the news says about one person or company."""
    command = kind if kind == "person" else "company"
    notes: list[str] = []
    entity, failed = _resolve(ctx, name, kind, notes)
    if failed or entity is None:
        return unresolved(command, failed or Resolution(name, "not_found"), kind)
    if kind == "person":
        roles = await ctx.reader.roles(entity.id)
        heading = "Roles"
    else:
        roles = await ctx.reader.roles_at(entity.id, MAX_ITEMS)
        heading = "People"
    sections = [await _roles_section(ctx, heading, roles, kind)] if roles else []
    sections += await _profile_sections(ctx, entity)
    about = [entity.hint] if entity.hint else []
    if kind == "company":
        about += await _family(ctx, entity.id)
    if not sections:
        return Answer(
            command=command,
            status="empty",
            title=entity.name,
            notes=notes,
            message=" ".join(
                [*about, f"{entity.name} is known, but no facts about them are recorded."]
            ),
        )
    return Answer(
        command=command,
        status="ok",
        title=entity.name,
        notes=notes,
        message=" ".join(about) or None,
        sections=sections,
    )


async def _family(ctx: Context, company_id: str) -> list[str]:
    """The company's family from the declared parents: "Part of Helios Group.", "Parent of …"."""
    parent, child_ids = await ctx.reader.family(company_id)  # indexed: no scan of every entity
    children = sorted(ctx.name(c) for c in child_ids)
    return ([f"Part of {ctx.name(parent)}."] if parent else []) + (
        [f"Parent of {fmt.join(children)}."] if children else []
    )


async def _roles_section(
    ctx: Context, heading: str, roles: Sequence[StoredRole], kind: EntityKind
) -> Section:
    """A person's roles, or a company's people, each citing the article that names it."""
    articles = await ctx.reader.articles({r.article_id for r in roles})
    return Section(
        heading=heading,
        items=[
            Item(
                kind="role",
                text=fmt.role(r.title, ctx.name(r.company_id) if r.company_id else None, r.current)
                if kind == "person"
                else f"{ctx.name(r.person_id)}: {fmt.role(r.title, None, r.current)}",
                citation=article_citation(articles[r.article_id]),
            )
            for r in roles
        ],
    )


def article_citation(stored: StoredArticle) -> Citation:
    """A citation of a whole article, for what no single quoted sentence states."""
    a = stored.article
    return Citation(
        article_id=a.id, title=a.title, publisher=a.publisher, published=a.published, url=a.url
    )


async def person(ctx: Context, name: str) -> Answer:
    """A person's profile: roles, moves, figures, statements and other facts."""
    return await profile(ctx, name, "person")


async def company(ctx: Context, name: str) -> Answer:
    """A company's profile: its people, moves, figures, statements and other facts."""
    return await profile(ctx, name, "company")


# ---------------------------------------------------------------------- latest

LATEST = 15  # what a member back from a week away reads, not every fact since


async def latest(ctx: Context, name: str | None = None) -> Answer:
    """The newest facts first (by when they were reported), for everyone or one company or person."""
    notes: list[str] = []
    entity, failed = _resolve(ctx, name, None, notes)
    if failed:
        return unresolved("latest", failed, "company or person")
    if entity is None:
        facts = await ctx.reader.latest_facts(LATEST)
        title = "Latest news"
    else:
        facts = await ctx.reader.facts_about(entity.id, limit=LATEST)
        title = f"Latest about {entity.name}"
    # Stories are told once, as they stand; a withdrawn report is news too, so it stays, marked.
    entries = (await stories(ctx)).events(facts, lambda fact: True, retracted=True)
    if not entries:
        return Answer(
            command="latest",
            status="empty",
            title=title,
            message="No facts are recorded yet."
            if entity is None
            else f"No facts about {entity.name} are recorded in the news I know.",
            notes=notes,
        )
    found = await event_items(ctx, entries)
    newest = max(f.fact.reported_on for f in facts)
    return Answer(
        command="latest",
        status="ok",
        title=title,
        message=f"Newest first; the latest reported {fmt.date(newest)}.",
        sections=[Section(heading=title, items=found)],
        notes=notes,
    )


# ---------------------------------------------------------------------- sources


async def sources(ctx: Context) -> Answer:
    """The articles the bot knows, newest first, with how many facts each holds."""
    articles = await ctx.reader.articles()
    if not articles:
        return Answer(
            command="sources", status="empty", title="Sources", message="No articles are loaded."
        )
    lines = [
        Item(
            kind="article",
            text=f"{a.article.title} — {a.article.publisher}, {fmt.date(a.article.published)}: "
            f"{fmt.count(a.fact_count, 'facts')}",
            detail=f"cites {fmt.join(a.article.cites)}" if a.article.cites else None,
            citation=article_citation(a),
        )
        for a in list(articles.values())[:MAX_ITEMS]
    ]
    total = sum(a.fact_count for a in articles.values())
    return Answer(
        command="sources",
        status="ok",
        title="Sources",
        message=f"{fmt.count(len(articles), 'articles')}, {fmt.count(total, 'facts')}.",
        sections=[Section(heading="Articles", items=lines)],
    )
