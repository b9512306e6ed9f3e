"""Moves: sentences about leaving, joining, hiring, poaching or taking over, as [[moves]]."""

from __future__ import annotations

import itertools
import re

from bot.draft.context import Context, Item
from bot.draft.names import Mention
from bot.draft.words import WORD_NUMBERS

_LEAVE = (
    r"left|leaves|leaving|leave|departed|departs|departing|depart|departure|exit|exits|exited|"
    r"exiting|quit|quits|quitting|resigned|resigns|resigning|resign|retired|retires|retiring|"
    r"retire|(?:stepped|steps|step|stepping) (?:down|aside|away|back)|walked away|walks away|"
    r"parted ways|parts ways|parting ways"
)
# Verbs of arriving; the ones ending in "to"/"at"/"with" name where right after them.
_JOIN = (
    r"joined|joins|join|joining|jump(?:ed|s|ing)? ship|rejoined|rejoins|rejoin|"
    r"(?:defected|defects|defecting|defect|moved|moves|moving|move|headed|heads|heading|head|"
    r"decamped|decamps|switched|switches|went|goes|going|returned|returns|returning|jumped|"
    r"jumps|jumping) to|(?:landed|lands|landing|land) at|(?:signed|signs|signing) on with|"
    r"became|becomes|becoming|become"
)
_HIRE = (
    r"hired|hires|hiring|hire|poached|poaches|poaching|poach|recruited|recruits|recruiting|"
    r"recruit|lured|lures|luring|lure|convinced|brought on|brought in|brings in|snapped up|"
    r"snaps up|nabbed|enlisted|picked|named|names|naming|appointed|appoints|appointing|"
    r"tapped|taps|tapping|tap"
)
# "was hired by X", "has been poached": the mover is the subject and the hirer comes after "by".
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being|be|get|gets|got)\s+(?:\w+ly\s+)?$")
_PRONOUN = re.compile(r"(?:^|[,;]\s+|\band\s+)(?P<pronoun>[Hh]e|[Ss]he)\s+(?:\w+\s+){0,3}$")
# Verbs that also name people to posts inside a company: a move only with a company they left.
_INTERNAL = frozenset(
    "named names naming appointed appoints appointing tapped taps tapping tap picked".split()
)
_LOST = r"lost|loses"
_VERB = re.compile(
    rf"\b(?:(?P<leave>{_LEAVE})|(?P<join>{_JOIN})|(?P<hire>{_HIRE})|(?P<lost>{_LOST}))\b"
)
# A move that is planned, wished for or tried is not one that happened.
# Announced moves ("will join", "is set to step down", "said she would leave") are reported;
# ones that may not happen, or did not, are not.
_NOT_YET = re.compile(
    r"\b(?:could|may|might|wants?|wanted|seeks?|sought|hopes?|hoped|hoping|tries|tried|trying|"
    r"attempts?|attempted|failed|fails|declined|refused|considering|considered|weighing|"
    r"rumou?red|talks|unable|not|never|n’t|n't|denied|whether|if)\s+(?:to\s+)?(?:\w+\s+)?$"
)
_GROUP = re.compile(
    r"\b(?:(?:more than|about|nearly|over|some|at least)\s+)?(?P<count>\d+|"
    + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
    + r")\s+(?:of\s+(?P<owner>[\w’'. -]+?)(?:’s|'s)\s+)?(?P<desc>(?:[a-z][\w-]*\s+){0,3}?"
    r"(?:researchers|engineers|scientists|employees|staffers|staff|executives|members|workers|"
    r"leaders|managers|designers|developers|people))\b",
    re.IGNORECASE,
)
_UNDISCLOSED = re.compile(
    r"\b(?:another|unspecified|undisclosed|unnamed|a new company|a new startup|own company|"
    r"start a|launch a|found a)\b"
)
_ROLE = re.compile(
    r"\bas\s+(?:its\s+|their\s+|the\s+|a\s+|an\s+|new\s+)*(?P<role>[\w -]+?)(?=,|\.|;|\s+(?:in|at|to|for|after|on|last|this)\b|$)"
)
# A future hire of people not yet named is a plan, told as a figure ("would hire 40 engineers").
_FUTURE = re.compile(
    r"\b(?:will|would|shall|plans? to|planned to|planning to|expects? to|intends? to|aims? to|"
    r"is set to|are set to|to)\s+(?:\w+\s+)?$"
)
_CLAUSE = re.compile(r",\s+and\s+|;\s+")
_SUCCEEDED = re.compile(r"\b(?:succeeded by|replaced by|taken over by|take over from|succeeds)\b")


def find(ctx: Context) -> list[Item]:
    """The moves the article reports, one per person (or group) and company."""
    items: list[Item] = []
    seen: set[tuple[str, str, str]] = set()
    for i, sentence in enumerate(ctx.sentences):
        if sentence.heading:
            continue
        # "Calder poached six researchers, ..., and in July, Northmoor hired X": one per clause.
        cuts = [0, *(m.end() for m in _CLAUSE.finditer(sentence.text)), len(sentence.text)]
        for start, end in itertools.pairwise(cuts):
            item = _move(ctx, i, seen, start, end)
            if item is not None:
                items.append(item)
                ctx.used.add(i)
    _successors(ctx, items)
    return items


def _move(
    ctx: Context, i: int, seen: set[tuple[str, str, str]], start: int, end: int
) -> Item | None:
    """The move the clause text[start:end] of sentence i reports, if any."""
    text = ctx.sentences[i].text[:end]
    verb = _VERB.search(text, start)
    while verb is not None and _NOT_YET.search(text[: verb.start()]):
        verb = _VERB.search(text, verb.end())
    if verb is None:
        return None
    people = [m for m in ctx.mentions(i, "person") if start <= m.start and m.end <= end]
    companies = [m for m in ctx.mentions(i, "company") if start <= m.start and m.end <= end]
    person: str | None = None
    person_todo = ""
    group: dict[str, str | int] | None = None
    source: str | None = None
    target: str | None = None
    after = text[verb.end() :]
    if verb.group("hire") or verb.group("lost"):
        hirer = _nearest_before(companies, verb.start()) or ctx.company_pronoun_before(
            i, verb.start()
        )
        mover = next((m for m in people if m.start >= verb.end()), None)
        if mover is None and re.match(r"\s+(?:her|him)\b", after):
            # "appointed X as head of ..., hiring her away from Y": her is the last one named.
            mover = next((m for m in reversed(people) if m.end <= verb.start()), None)
        if mover is not None:
            person = mover.entity
        elif not _FUTURE.search(text[: verb.start()]):
            group = _group(text, verb.end())
        if person is None and group is None:
            return None
        others = [m for m in companies if m.start >= verb.end() and m.entity != hirer]
        if verb.group("lost"):
            source = hirer
            to_match = re.search(r"\bto\s+$", text[: others[0].start]) if others else None
            target = others[0].entity if others and to_match else None
        else:
            target = hirer
            source = others[0].entity if others else None
            if verb.group("hire") in _INTERNAL and source is None:
                return None
    else:
        mover = _subject(people, text, verb.start())
        if mover is None and verb.group("leave") == "departure":
            mover = next((m for m in people if m.possessive and m.end <= verb.start()), None)
        if mover is not None:
            person = mover.entity
        elif start == 0 and re.match(r"(?:A|An|The)\s+[a-z]", text) and i + 1 < len(ctx.sentences):
            # "A leader at X left ..." with the name in the next sentence.
            following = ctx.mentions(i + 1, "person")
            if not following:
                return None
            person, person_todo = following[0].entity, "the sentence names no one: is it them?"
        else:
            # "three members of its team joined Mistwood": a group, from the company 'its' means.
            group = _group_before(text, start, verb.start())
            if group is None:
                return None
        subject_end = mover.end if mover is not None else start
        before = [m for m in companies if m.end <= verb.start() and m.start >= start]
        between = [m for m in before if m.start >= subject_end]
        if verb.group("join"):
            target = next((m.entity for m in companies if m.start >= verb.end()), None)
            source = _after_word(companies, text, verb.end(), "from") or (
                between[0].entity if between else None
            )
            if (
                source is None
                and group is not None
                and re.search(r"\bits\b", text[start : verb.start()])
            ):
                source = ctx.salient(i)
        else:
            direct = next((m for m in companies if m.start >= verb.end()), None)
            if direct is not None and not text[verb.end() : direct.start].strip():
                source = direct.entity  # "left Quillmark in April"
            elif between or before:
                source = (between or before)[-1].entity
            else:
                # "the company’s chief data officer, X, left": the company of the last sentence.
                owner = re.search(
                    r"\b(?:its|the (?:company|startup|firm)(?:’s|'s))\s+[\w -]{0,40},?\s*$",
                    text[: mover.start] if mover else "",
                )
                source = ctx.salient(i) if owner else None
            joined = re.search(rf"\b(?:{_JOIN}|for)\b", after)
            if joined:
                target = next(
                    (m.entity for m in companies if m.start >= verb.end() + joined.end()), None
                )
    if target is None and _UNDISCLOSED.search(after):
        target = "undisclosed"
    if (source is None and target is None) or source == target:
        return None
    who = person or f"group:{group}"
    # One move per person and company side: "X left A" reported twice is one move, but
    # "X joined A from B" and later "X left A for C" are two.
    keys = {(who, side, c) for side, c in (("from", source), ("to", target)) if c}
    keys.discard((who, "to", "undisclosed"))
    if keys & seen:
        return None
    seen |= keys
    return _item(ctx, i, person, person_todo, group, source, target, after)


def _item(
    ctx: Context,
    i: int,
    person: str | None,
    person_todo: str,
    group: dict[str, str | int] | None,
    source: str | None,
    target: str | None,
    after: str,
) -> Item:
    item = Item("moves")
    who = person or str((group or {}).get("description", "group"))
    where = target if target not in {None, "undisclosed"} else source
    verb = "joins" if target not in {None, "undisclosed"} else "leaves"
    item.set("id", ctx.new_id(who, verb, where or ""))
    item.set("person", person, person_todo)
    item.set("group", group, "check the count and description" if group else "")
    item.set("from", source)
    item.set("to", target, "the article does not name where" if target == "undisclosed" else "")
    role = _ROLE.search(after)
    if role is not None and len(role.group("role").split()) <= 6:
        item.set("role", role.group("role").strip(), "check the role")
    return ctx.sourced(item, i)


def _nearest_before(mentions: list[Mention], position: int) -> str | None:
    before = [m for m in mentions if m.end <= position]
    return before[-1].entity if before else None


def _subject(people: list[Mention], text: str, position: int) -> Mention | None:
    """The person the verb is about: the last one named before it, skipping 'who ...' clauses."""
    before = [m for m in people if m.end <= position and not m.possessive]
    if not before:
        return None
    return before[-1]


def _after_word(mentions: list[Mention], text: str, start: int, word: str) -> str | None:
    for m in mentions:
        if m.start >= start and re.search(rf"\b{word}\s+(?:rival\s+)?$", text[: m.start]):
            return m.entity
    return None


def _group(text: str, start: int) -> dict[str, str | int] | None:
    match = _GROUP.search(text, start)
    if match is None or match.start() - start > 40:
        return None
    raw = match.group("count").lower()
    count = int(raw) if raw.isdigit() else WORD_NUMBERS[raw]
    owner = match.group("owner")
    description = match.group("desc")
    if owner:
        description = f"{owner} {description}"
    return {"count": count, "description": description}


def _group_before(text: str, start: int, verb: int) -> dict[str, str | int] | None:
    """A group named as the subject, right before the verb: "three members of its team"."""
    for match in _GROUP.finditer(text, start, verb):
        if verb - match.end() <= 40 and not re.search(r"[,;]", text[match.end() : verb]):
            return _group(text, match.start())
    return None


def _successors(ctx: Context, items: list[Item]) -> None:
    """'X will be succeeded by Y', 'taken over by Y': Y is the successor on X's move."""
    by_person = {item.get("person"): item for item in items if item.get("person")}
    for i, sentence in enumerate(ctx.sentences):
        match = _SUCCEEDED.search(sentence.text)
        if match is None:
            continue
        people = ctx.mentions(i, "person")
        before = [m for m in people if m.end <= match.start()]
        after = [m for m in people if m.start >= match.end()]
        if match.group() == "succeeds":
            left, successor = after[:1], before[-1:]
        else:
            left, successor = before[-1:], after[:1]
        if not left or not successor:
            continue
        item = by_person.get(left[0].entity)
        if item is None or item.get("successor") is not None:
            continue
        item.set("successor", successor[0].entity, "check the successor")
        if match.group() == "taken over by":
            scope = re.search(
                r"\b((?:some|all|part|many|most) of [\w\s’']+?)\s+(?:have|has|had|were|was)\s+been\s+taken over",
                sentence.text,
            )
            if scope:
                item.set("successor_scope", scope.group(1), "check what the successor took over")
