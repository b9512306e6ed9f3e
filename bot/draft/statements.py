"""Statements: who said, told, confirmed or announced what, as [[statements]]."""

from __future__ import annotations

import re

from bot.draft import dates
from bot.draft.context import Context, Item, attached_date

_SAY = re.compile(
    r"\b(?:said|says|told|tells|added|confirmed|announced|declined to comment|wrote|"
    r"saying|telling|stated|according to)\b"
)
# Curly or straight quotation marks.
_QUOTED = re.compile(r"^(?:“(?P<said>[^”]+?)[,.]?”|\"(?P<plain>[^\"]+?)[,.]?\")")
_WHOLE_QUOTE = re.compile(r"^(?:“[^”]+”|\"[^\"]+\")$")
_ROLE_NOUN = re.compile(r"^\s*(?P<role>spokesperson|spokeswoman|spokesman|representative)\b")


def find(ctx: Context) -> list[Item]:
    """One statement per sentence that says who said something, and quotes that follow one."""
    items: list[Item] = []
    last_speaker: tuple[int, str] | None = None
    for i, sentence in enumerate(ctx.sentences):
        if sentence.heading:
            continue
        text = sentence.text
        if _WHOLE_QUOTE.match(text) and last_speaker and last_speaker[0] == i - 1:
            # A quotation on its own right after an attributed one continues it.
            items.append(_item(ctx, i, last_speaker[1], None, text.strip('“”"')))
            last_speaker = (i, last_speaker[1])
            continue
        found = _speaker(ctx, i)
        if found is None:
            continue
        speaker, role, verb_end = found
        quoted = _QUOTED.match(text)
        if quoted:
            said = (quoted.group("said") or quoted.group("plain")) + "."
        elif _closing(text, verb_end, ctx.names.outlets):
            # "..., the firm said." / "..., according to X.": what comes before the attribution.
            said = _before(text, verb_end)
        else:
            said = _said(text[verb_end:], ctx.names.outlets)
        item = _item(ctx, i, speaker, role, said, exact=bool(quoted))
        items.append(item)
        last_speaker = (i, speaker)
    return items


def _speaker(ctx: Context, i: int) -> tuple[str, str | None, int] | None:
    text = ctx.sentences[i].text
    mentions = ctx.mentions(i)
    for verb in _SAY.finditer(text):
        if verb.group() == "according to":
            # "..., according to Halbrook Advisory": a company, not an outlet or "people".
            right = [m for m in mentions if m.start >= verb.end()]
            adjacent = bool(right) and not text[verb.end() : right[0].start].strip()
            if adjacent and ctx.entity(right[0]).kind == "company":
                return right[0].entity, None, verb.end()
            continue
        if re.search(r"[,.!?][”\"]\s*$", text[: verb.start()]):
            # "“...,” said Quillmark chief executive Farah Lindqvist."
            after = [m for m in mentions if m.start >= verb.end()]
            people = [m for m in after if ctx.entity(m).kind == "person"]
            if after:
                return (people or after)[0].entity, None, verb.end()
        before = [m for m in mentions if m.end <= verb.start()]
        unnamed = re.search(
            r"\b(?:a|an|the)\s+(?P<role>spokesperson|spokeswoman|spokesman|representative)\s*$",
            text[: verb.start()],
        )
        if unnamed is not None:
            # "..., a spokeswoman said": the company the sentence is about speaks.
            companies = [m for m in mentions if ctx.entity(m).kind == "company"]
            company = companies[0].entity if companies else ctx.salient(i)
            if company is not None:
                return company, unnamed.group("role"), verb.end()
        if before and re.fullmatch(r",?\s*and\s+", text[before[-1].end : verb.start()][-6:]):
            # "Carrow closed a round led by Redwood, and said": the clause's subject speaks.
            return before[0].entity, None, verb.end()
        if before:
            last = before[-1]
            gap = text[last.end : verb.start()]
            role = _ROLE_NOUN.match(gap)
            if role and ctx.entity(last).kind == "company":
                return last.entity, role.group("role"), verb.end()
            # "X, who was ... at Y, told": the clause's subject speaks, not Y.
            clause = re.search(r",\s+who\b", text[: verb.start()])
            if clause is not None:
                subject = [m for m in before if m.end <= clause.start()]
                if subject and ctx.entity(subject[-1]).kind == "person":
                    return subject[-1].entity, None, verb.end()
            if not last.possessive and re.fullmatch(r"\s*(?:has|have|had|also|,)?\s*", gap):
                return last.entity, None, verb.end()
            if re.fullmatch(r",[^,]{1,60},\s*", gap) and not last.possessive:
                # "The Lusitania Digital Agency, a government body, said": past the apposition.
                return last.entity, None, verb.end()
        company = ctx.company_pronoun_before(i, verb.start())
        if company is not None:
            return company, None, verb.end()
        pronoun = re.search(
            r"(?:^|[,;]\s+|\band\s+)([Hh]e|[Ss]he)\s+(?:also\s+)?$", text[: verb.start()]
        )
        if pronoun is not None:
            # "He added that ...": the person named last.
            person = ctx.last_person(i, pronoun.start(1))
            if person is not None:
                return person, None, verb.end()
    return None


def _closing(text: str, verb_end: int, outlets: list[str]) -> bool:
    """Whether the attribution closes the sentence: "..., the firm said." / "..., according to X"."""
    rest = text[verb_end:]
    for outlet in outlets:
        rest = rest.replace(outlet, "")
    words = re.sub(r"^\s*(?:[A-Z][\w’'&.-]*\s*)+", "", rest).split()  # a name after the verb
    head = text[:verb_end].rsplit(",", 1)
    return len(words) <= 2 or (len(head) == 2 and len(head[0]) > 40 and "according to" in head[1])


def _before(text: str, verb_end: int) -> str:
    """The words before a closing attribution: "X can earn $50 million, the firm said." -> X."""
    head = text[:verb_end].rsplit(",", 1)[0].strip(" ,")
    if len(head) >= len(text[:verb_end]) - 1 or not head:
        return "(what was said)"
    return head[0].upper() + head[1:] + "."


def _said(rest: str, outlets: list[str]) -> str:
    """What was said: the words after the verb, from 'that' on when it comes soon."""
    rest = rest.strip(" ,")
    for outlet in outlets:
        if rest.startswith(outlet + " "):
            rest = rest[len(outlet) :].strip()
    that = re.match(r"^(?:\S+\s+){0,8}?that\s+", rest)
    if that is not None:
        rest = rest[that.end() :]
    if not rest:
        return "(what was said)"
    return rest[0].upper() + rest[1:]


def _item(
    ctx: Context, i: int, speaker: str, role: str | None, said: str, *, exact: bool = True
) -> Item:
    item = Item("statements")
    item.set("id", ctx.new_id(speaker, "says"))
    item.set("speaker", speaker)
    item.set("speaker_role", role)
    item.set("said", said, "" if exact else "say what was said, in the article's words")
    phrase = attached_date(ctx.sentences[i].text, dates.find(ctx.sentences[i].text, ctx.published))
    if phrase is not None and phrase.value != ctx.published.isoformat():
        item.set("said_on", phrase.value)
    about = [m.entity for m in ctx.mentions(i) if m.entity != speaker]
    if about:
        item.set("about", list(dict.fromkeys(about)), "keep only who it is about")
    ctx.used.add(i)
    return ctx.sourced(item, i)
