"""Figures: money, percentages and counts, each with a subject and a measure, as [[figures]]."""

from __future__ import annotations

import re

from bot.draft import dates, numbers
from bot.draft.context import Context, Item
from bot.text import STOP_WORDS

# Verbs after which a clause about someone's number follows: "analysts estimate that X ...".
_SAY = re.compile(
    r"\b(?:said|says|told|estimated|estimates?|according to|reported|expects?|expected|"
    r"projects?|projected|forecasts?|believes?|calculated|found|finds|shows?|showed)\b"
)


def find(ctx: Context) -> list[Item]:
    """Every amount in the article's sentences, group counts of moves included."""
    items: list[Item] = []
    for i, sentence in enumerate(ctx.sentences):
        if sentence.heading:
            continue
        text = sentence.text
        spans = [(p.start, p.end) for p in dates.find(text, ctx.published)]
        for amount in numbers.find(text, spans):
            item = _item(ctx, i, amount)
            if item is not None:
                items.append(item)
                ctx.used.add(i)
    return items


def _item(ctx: Context, i: int, amount: numbers.Amount) -> Item | None:
    money = len(amount.unit) == 3 and amount.unit.isupper()  # a currency code: USD, EUR
    subject, subject_todo = _subject(ctx, i, amount.start, amount.end, money)
    if subject is None:
        subject, subject_todo = ctx.main_company(), "whose figure is it?"
    if subject is None:
        return None  # a figure needs an entity, and the article names none
    text = ctx.sentences[i].text
    measure = _measure(text, amount)
    item = Item("figures")
    item.set("id", ctx.new_id(subject or "figure", measure))
    item.set("subject", subject, subject_todo)
    item.set("measure", measure, "say what the number measures")
    if amount.magnitude:
        item.set("magnitude", amount.magnitude)
    elif amount.high is not None:
        item.set("between", [_number(amount.value), _number(amount.high)])
    else:
        item.set(amount.bound or "value", _number(amount.value))
    unit_todo = "what does it count?" if amount.unit == "count" else ""
    item.set("unit", amount.unit, unit_todo)
    if amount.approximate and not amount.bound:
        item.set("approximate", True)
    speaker = _according_to(ctx, i, amount.start)
    if speaker is not None:
        item.set("according_to", speaker)
    return ctx.sourced(item, i)


def _number(value: float) -> int | float:
    return int(value) if value.is_integer() else value


def _subject(
    ctx: Context, i: int, position: int, end: int = -1, money: bool = False
) -> tuple[str | None, str]:
    """The company a figure belongs to, and a TODO reason when that is a guess.

    Whose number it is: an owner right before it ("Nvidia’s market cap"), the company a
    reported clause is about, or the sentence's first company.
    """
    text = ctx.sentences[i].text
    companies = ctx.mentions(i, "company")
    # "led a $50 million round in X", "put $75 million into X": the money is X's.
    into = [
        m
        for m in companies
        if m.start > end
        and re.fullmatch(
            r"\s*(?:[a-z][\w-]*\s+){0,3}?(?:in|into)\s+(?:[a-z][\w-]*\s+){0,2}", text[end : m.start]
        )
        and re.search(r"\b(?:round|invest\w*|put|stake|funding|financing|injected|poured)\b", text)
    ]
    if into and money:
        return into[0].entity, ""
    near = [m for m in companies if m.possessive and m.end <= position and position - m.end < 45]
    if near:
        return near[-1].entity, ""
    # "joins Altamira from Meta, where she led a team of about 40": the company the clause is of.
    relative = [
        m
        for m in companies
        if m.end <= position
        and re.match(r",\s+(?:where|which|whose)\b", text[m.end :])
        and not re.search(r"[;]|,\s+(?:and|but)\b", text[m.end : position])
    ]
    if relative:
        return relative[-1].entity, ""
    if not [m for m in companies if m.end <= position]:
        # "... $3 million to $10 million, according to Halbrook Advisory": the source's figure.
        source = [
            m
            for m in companies
            if m.start > position and re.search(r"\baccording to\s+$", text[: m.start])
        ]
        if source:
            return source[0].entity, "whose figure is it?"
    says = list(_SAY.finditer(text, 0, position))
    say = says[-1] if says else None
    if say is not None:
        after = [m for m in companies if say.end() <= m.start < position]
        if after:
            return after[0].entity, ""
    before = [m for m in ctx.mentions(i) if m.end <= position]
    if not before:
        # "It has hired at least 25 ...": the company 'it' means; "He will oversee a unit of
        # about 150": the company he works for.
        lead = text[:position]
        if re.search(r"\b(?:[Ii]t|[Ii]ts|[Tt]he (?:company|firm|startup|bank|lab|group))\b", lead):
            company = ctx.salient(i)
            if company is not None:
                return company, "whose figure is it?"
        pronoun = re.search(r"\b(?:[Hh]e|[Ss]he|[Hh]is|[Hh]er)\b", lead)
        person = ctx.last_person(i, pronoun.start()) if pronoun else None
        employer = ctx.company_of(person, i) if person else None
        if employer is not None:
            return employer, "whose figure is it?"
    if before:
        first = ctx.entity(before[0])
        if first.kind == "company":
            return first.id, "" if len(companies) == 1 else "whose figure is it?"
        # "Mendes spent nine years at Amazon, running a team of about 70": the company named;
        # "Khumalo has hired about 60 people": the company the person works for.
        named = [m for m in companies if m.end <= position]
        if named:
            return named[-1].entity, "whose figure is it?"
        employer = ctx.company_of(first.id, i)
        if employer is not None and not before[0].possessive:
            return employer, "whose figure is it?"
    if companies:
        return companies[0].entity, "whose figure is it?"
    return ctx.salient(i), "whose figure is it?"


def _measure(text: str, amount: numbers.Amount) -> str:
    """A first guess: the noun after the number, else the words leading up to it."""
    if amount.counted:
        return amount.counted
    following = re.match(r"\s+((?:[a-z][\w-]*\s+){0,3}[a-z][\w-]*)", text[amount.end :])
    if following:
        words = following.group(1).split()
        kept: list[str] = []
        for word in words:
            if word in STOP_WORDS or word in {"in", "at", "of", "to", "from", "a", "an"}:
                break
            kept.append(word)
        if kept:
            return " ".join(kept)
    lead = re.split(r"[,;:(]|\bthat\b|\band\b", text[: amount.start])[-1]
    words = [w for w in lead.split() if w.lower() not in {"the", "its", "a", "an"}][-6:]
    return " ".join(words).strip(" ,") or "value"


def _according_to(ctx: Context, i: int, position: int) -> str | None:
    text = ctx.sentences[i].text
    say = _SAY.search(text)
    if say is None:
        return None
    before = [m for m in ctx.mentions(i) if m.end <= say.start() and not m.possessive]
    if before and re.fullmatch(r"\s*(?:has|had|also)?\s*", text[before[-1].end : say.start()]):
        return before[-1].entity
    return None
