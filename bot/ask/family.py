"""Which company is part of which: "what is X's parent company", "is A the parent of B?".

Answered from the parents the knowledge declares (the same as /company shows), cited with the
article that names the company; a yes/no question starts with "Yes" or "No".
"""

from __future__ import annotations

from bot.answers import Context, article_citation
from bot.ask.candidates import About, facts_about
from bot.ask.intents import INTENTS
from bot.ask.question import Reading
from bot.models import Answer, Citation, Item, Section
from bot.resolve import EntityRef

_FAMILY_TEXT = (
    "parent parents owner owners owns own owned subsidiary subsidiaries belong belongs belonged"
)
_FAMILY = frozenset(_FAMILY_TEXT.split())


async def _citation(ctx: Context, company: EntityRef, about: About) -> Citation | None:
    """The article that names the company: where its family is declared."""
    facts = await facts_about(ctx, about, company.id)
    if not facts:
        return None
    articles = await ctx.reader.articles([facts[0].article_id])
    stored = articles.get(facts[0].article_id)
    return article_citation(stored) if stored is not None else None


async def family_answer(ctx: Context, reading: Reading, title: str, about: About) -> Answer | None:
    """The answer from the declared parents, or None when it is not asked or not known."""
    if not set(reading.words) & _FAMILY:
        return None
    if any(not i.fallback for i in INTENTS if i.name in reading.intents):
        return None  # "who founded X's parent" asks something of the parent: not its family
    companies = [
        m.candidates[0]
        for m in reading.mentions
        if len(m.candidates) == 1 and m.candidates[0].kind == "company"
    ]
    if not companies or len(companies) != len(reading.mentions) or len(companies) > 2:
        return None
    lines: list[Item] = []
    said = ""
    families = {c.id: await ctx.reader.family(c.id) for c in companies}
    if len(companies) == 2:
        a, b = companies
        parent_of_b, _ = families[b.id]
        parent_of_a, _ = families[a.id]
        # "Is A the parent of B" (or B of A): said by the first named as "parent".
        if parent_of_b == a.id or parent_of_a == b.id:
            said = "Yes."
        elif reading.yes_no():
            said = "No."
        else:
            return None
    for company in companies:
        parent, children = families[company.id]
        # A parent may be named only as one: the article naming its part declares it.
        citation = None
        for named in (company.id, *filter(None, [parent]), *children):
            ref = ctx.index.entities.get(named)
            citation = await _citation(ctx, ref, about) if ref is not None else None
            if citation is not None:
                break
        if citation is None:
            continue
        if parent is not None:
            text = f"{company.name} is part of {ctx.name(parent)}."
            lines.append(Item(kind="text", text=text, citation=citation))
        if children:
            names = ", ".join(ctx.name(c) for c in children)
            text = f"{company.name} is the parent of {names}."
            lines.append(Item(kind="text", text=text, citation=citation))
        if parent is None and not children and said:
            text = f"The news names no parent or part of {company.name}."
            lines.append(Item(kind="text", text=text, citation=citation))
    if not lines:
        return None
    return Answer(
        command="ask",
        status="ok",
        title=title,
        message=said or None,
        sections=[Section(heading="Answer", items=lines)],
    )
