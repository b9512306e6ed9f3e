"""Moves: sentences about leaving, joining, hiring, poaching or taking over, as [[moves]]."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from bot.draft.context import Context, Item
from bot.draft.names import Mention
from bot.draft.words import COMPANY_NOUNS, WORD_NUMBERS

_WORDS = "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
# What may stand between a preposition and a company: "by insurer X", "for rival hedge fund X",
# "from the Zurich company X" (a place, then a noun saying it is a company).
_DESCRIPTOR = (
    r"(?:(?:[a-z][\w-]*\s+){0,3}|(?:(?:the|a|an)\s+)?[A-Z][\w-]*\s+(?:[a-z][\w-]*\s+){0,2}?"
    r"(?:" + "|".join(sorted(COMPANY_NOUNS, key=len, reverse=True)) + r")\s+)"
)

_LEAVE = (
    r"left|leaves|leaving|leave|departed|departs|departing|depart|departure|departures|exit|exits|exited|"
    r"exiting|quit|quits|quitting|resigned|resigns|resigning|resign|retired|retires|retiring|"
    r"retire|(?:stepped|steps|step|stepping) (?:down|aside|away|back)|walked away|walks away|"
    r"parted ways|parts ways|parting ways|swapped|swaps|swapping|traded|ditched|ditches|"
    r"(?:started|starts|launched|launches|founded) (?:a|his|her|their) (?:own )?(?:company|startup|"
    r"venture|firm)"
)
# Verbs of arriving; the ones ending in "to"/"at"/"with" name where right after them.
_JOIN = (
    r"joined|joins|join|joining|jump(?:ed|s|ing)? ship|rejoined|rejoins|rejoin|"
    r"(?:defected|defects|defecting|defect|moved|moves|moving|move|headed|heads|heading|head|"
    r"decamped|decamps|switched|switches|went|goes|going|returned|returns|returning|jumped|"
    r"jumps|jumping|followed|follows|following|follow)(?: (?:him|her|them))?(?: over| back| across)? to|"
    r"(?:went|goes|go|going|left) with (?:him|her)|(?:accepted|accepts|accepting) (?:an? )?offers? from|"
    r"(?:landed|lands|landing|land|resurfaced|resurfaces|surfaced|ended up|ends up|wound up|"
    r"turned up) at|(?:arrived|arrives|arriving|arrive)(?: at|(?= from))|"
    r"(?:took|takes|take|taking|taken) (?:the helm|the reins) (?:at|of)|"
    r"(?:signed|signs|signing)(?: on)? with|"
    r"(?:took|takes|take|taking|taken|accepted|accepts)(?: up)? (?:a|an|the) (?:[\w-]+ ){0,2}"
    r"(?:job|role|position|post|seat)(?: (?:of|as)(?: [\w-]+){1,5}?)? (?:at|with)|"
    # "is the new chief technology officer of X": a promotion unless it says where from.
    r"(?:is|was|will be) (?:the|its) new (?:[\w-]+ ){1,5}?(?:of|at)(?= [A-Z])|(?:now )?(?:works|working) (?:at|for)|"
    # "moved from X to Y": where to comes after where from.
    r"(?:moved|moves|moving|switched|switches|jumped|jumps|defected|defects|changed|changes|"
    r"changing)(?= from\b)|(?:changed|changes|changing) to|"
    r"became|becomes|becoming|become|(?:is|are) now (?:at|with)|co-founded|cofounded|founded|"
    # "Three researchers who worked under him followed": where he went.
    r"followed|follows|follow"
)
_HIRE = (
    r"hired|hires|hiring|hire|poached|poaches|poaching|poach|recruited|recruits|recruiting|"
    r"recruit|lured|lures|luring|lure|convinced|brought on|brought in|brings in|snapped up|"
    r"snaps up|nabbed|enlisted|picked|named|names|naming|appointed|appoints|appointing|"
    r"tapped|taps|tapping|tap|appointment|brought|brings|bringing|added|adds|adding"
)
# "was hired by X", "has been poached": the mover is the subject and the hirer comes after "by".
_PASSIVE = re.compile(r"\b(?:was|were|is|are|been|being|be|get|gets|got)\s+(?:\w+ly\s+)?$")
_PRONOUN = re.compile(r"(?:^|[,;]\s+|\band\s+)(?P<pronoun>[Hh]e|[Ss]he)\s+(?:\w+\s+){0,3}$")
# Verbs that also name people to posts inside a company: a move only with a company they left.
_INTERNAL = frozenset(
    {"named", "names", "naming", "appointed", "appoints", "appointing", "appointment"}
    | {"tapped", "taps", "tap"}
)
_HELM = re.compile(r"\b(?:the helm|the reins|the new|its new)\b")
_LOST = r"lost|loses|losing|lose"
_VERB = re.compile(
    rf"\b(?:(?P<leave>{_LEAVE})|(?P<join>{_JOIN})|(?P<hire>{_HIRE})|(?P<lost>{_LOST}))\b"
)
# A move that is planned, wished for or tried is not one that happened.
# Announced moves ("will join", "is set to step down", "said she would leave") are reported;
# ones that may not happen, or did not, are not.
_NOT_YET = re.compile(
    r"\b(?:could|may|might|wants?|wanted|seeks?|sought|hopes?|hoped|hoping|tries|tried|trying|"
    r"attempts?|attempted|failed|fails|declined|refused|considering|considered|weighing|"
    r"rumou?red|talks|unable|not|never|n’t|n't|denied|whether|if|offered|offers|offering|"
    r"bid|bids|bidding)\s+(?:to\s+)?(?:\w+\s+)?$"
)
# What one leaves that is no employer: "left the meeting", "left the stage".
_LEFT_THING = re.compile(
    r"\s+(?:the|a|an|his|her|their)\s+(?!(?:company|lab|firm|startup|start-up|bank|group|unit|team|"
    r"business|board|organi[sz]ation|agency|fund|job|post|role|position|industry|field|sector|"
    r"lender|insurer|maker|developer|giant|rival|platform|division|department|\w+ (?:company|lab|"
    r"firm|startup|bank|group|unit|team|job|role|post))\b)[a-z][\w-]*\b(?!\s+(?:at|of)\s+[A-Z])"
)
# "did not say whether X would leave", "asked if she planned to join": a question, not a move.
_ASKED = re.compile(r"\b(?:whether|if|denied|denies|deny|rumou?rs?|speculation)\b[^,;.]*$")
# Verbs that are moves only with a person right after them: "added X", not "added that X".
_OBJECT_ONLY = frozenset({"added", "adds", "adding", "brought", "brings", "bringing"})
_GROUP = re.compile(
    r"\b(?:(?:more than|about|nearly|over|some|at least)\s+)?(?P<count>\d+|"
    + "|".join(sorted(WORD_NUMBERS, key=len, reverse=True))
    + r")\s+(?:of\s+(?P<owner>[\w’'. -]+?)(?:’s|'s)\s+)?(?P<desc>(?:[a-z][\w-]*\s+){0,3}?"
    # Any plural noun: "specialists", "researchers"; not a span of time or a count of things.
    r"(?!(?:years|months|weeks|days|hours|times|percent|others)\b)(?:[a-z][\w-]*s|staff|people))\b",
    re.IGNORECASE,
)
_UNDISCLOSED = re.compile(
    r"\b(?:another|unspecified|undisclosed|unnamed|a new company|a new startup|own company|"
    r"start a|launch a|found a|of (?:his|her|their) own|(?:started|launched|founded) (?:a|his|her))\b"
)
_ROLE = re.compile(
    r"\bas\s+(?:its\s+|their\s+|the\s+|a\s+|an\s+|new\s+)*(?P<role>[\w -]+?)(?=,|\.|;|\s+(?:in|at|to|for|after|on|last|this)\b|\s+of\s+[A-Z]|$)"
)
# A future hire of people not yet named is a plan, told as a figure ("would hire 40 engineers").
_FUTURE = re.compile(
    r"\b(?:will|would|shall|plans? to|planned to|planning to|expects? to|intends? to|aims? to|"
    r"is set to|are set to|to)\s+(?:\w+\s+)?$"
)
# Leaving for places the article does not name: "for hedge funds", "to rival labs".
_UNNAMED = re.compile(r"\b(?:for|to)\s+(?:[a-z][\w-]*\s+){0,2}[a-z][\w-]*s\b(?!\s+[A-Z])")
# A plan anywhere before the verb: "said it would open an office ... and hire up to 40 people".
_PLANNED = re.compile(r"\b(?:will|would|plans? to|expects? to|intends? to|aims? to)\b")
# Arrivals that say someone left somewhere: "defected to", "moved to", "jumped to".
_AWAY = re.compile(
    r"(?:defect|mov|jump|switch|decamp|head|went|goes|going|land|returned|follow|resurface|"
    r"surface|ended|ends|wound|turned)"
)
# Where someone worked before, said beside the move: "after nine years at X", "formerly of X".
_PRIOR = (
    r"(?:years?|decades?|months|stint|spell|time|career|tenure|run) (?:at|with)|"
    r"(?:formerly|previously|most recently|until recently|earlier)(?: [a-z][\w-]*){0,5}? (?:of|at|with)|"
    r"veteran of|formerly|previously|ex-|"
    r"(?:after|since|before) (?:leaving|quitting|departing|exiting)"
)
_FOUNDED = frozenset({"co-founded", "cofounded", "founded"})
_CLAUSE = re.compile(r",\s+(?:and|while|whereas|but)\s+|;\s+")
_SUCCEEDED = re.compile(
    r"\b(?:(?P<passive>(?:succeeded|replaced|taken over|succeeded as [\w -]{1,40}?) by)|"
    r"succeeds|succeed|succeeding|succeeded|replaces|replace|replacing|replaced|"
    r"(?:takes|take|took|taking) over from)\b"
)


# "X left A for B and Y joined C": an 'and' before a new subject and its verb starts a clause.
_AND_CLAUSE = re.compile(
    r"\s+and\s+(?=(?:[A-Z][\w’'.&-]*\s+){1,4}(?:(?:has|have|had|will|is|are|was|also)\s+)?"
    rf"(?:{_LEAVE}|{_JOIN}|{_HIRE}|{_LOST})\b)"
)


def find(ctx: Context) -> list[Item]:
    """The moves the article reports, one per person (or group) and company."""
    items: list[Item] = []
    state = _State(titled=ctx.titles(), items=items)
    for i, sentence in enumerate(ctx.sentences):
        if sentence.heading:
            continue
        # "Calder poached six researchers, ..., and in July, Northmoor hired X": one per clause;
        # a part with no verb of moving ("X, who ran sales, and Y ... are joining") is no clause.
        cuts = [0]
        clauses = sorted(
            [*_CLAUSE.finditer(sentence.text), *_AND_CLAUSE.finditer(sentence.text)],
            key=lambda m: m.start(),
        )
        for k, match in enumerate(clauses):
            # A part with no verb of moving after the cut either ("hired A, a former X
            # researcher, and B, who spent a decade at Y") continues the list, not a clause.
            stop = clauses[k + 1].start() if k + 1 < len(clauses) else len(sentence.text)
            if _VERB.search(sentence.text, cuts[-1], match.start()) and _VERB.search(
                sentence.text, match.end(), stop
            ):
                cuts.append(match.end())
        cuts.append(len(sentence.text))
        for start, end in itertools.pairwise(cuts):
            if _moves(ctx, i, state, start, end):  # adds them to state.items, which is items
                ctx.used.add(i)
    items[:] = _merged(items)
    _successors(ctx, items)
    for item in items:
        person, target = item.get("person"), item.get("to")
        if isinstance(person, str) and isinstance(target, str) and target != "undisclosed":
            ctx.joined[person] = target
    return items


@dataclass
class _Mover:
    """Who moves in a clause: a named person (with their own apposition's company) or a group."""

    person: str | None = None
    todo: str = ""
    group: dict[str, str | int] | None = None
    own: str | None = None  # the company their apposition names ("X, Brightforge’s CFO")
    end: int = 0  # where their name ends
    begin: int = 0  # where their name starts
    source: str | None = None  # where this part of a group came from ("including three from X")


@dataclass
class _State:
    """What the moves of one article share: their keys, the titles, the moves so far."""

    titled: dict[str, list[tuple[int, str, bool]]]
    items: list[Item]
    seen: set[tuple[str, str, str]] = field(default_factory=set)


def _moves(ctx: Context, i: int, state: _State, start: int, end: int) -> list[Item]:
    """The moves the clause text[start:end] of sentence i reports, if any."""
    text = ctx.sentences[i].text[:end]
    for verb in _VERB.finditer(text, start):
        if _NOT_YET.search(text[: verb.start()]) or _ASKED.search(text[start : verb.start()]):
            continue
        if verb.group("join") and re.match(r"\s+by\b", text[verb.end() :]):
            continue  # "a round led by X and joined by Y": no one moved
        if verb.group("leave") and _LEFT_THING.match(text[verb.end() :]):
            continue  # "left the meeting early": not an employer
        if re.match(r"\s+(?:was|is|would be|will be)\b", text[verb.end() :]):
            continue  # "said that leaving was the hardest decision": a noun, not a move
        found = _at(ctx, i, state, start, text, verb)
        if found:
            state.items.extend(found)
            # Later verbs of the clause may add what this one left out ("the exit of X, who
            # left to join Y"), but report no other move.
            # "X, who joined A in 2019, will step down": the main clause's verb after the
            # relative one reports a move of its own.
            relative = re.search(r",\s+who\s+(?:\w+\s+){0,2}$", text[start : verb.start()])
            close = text.find(",", verb.end()) if relative else -1
            for later in _VERB.finditer(text, verb.end()):
                if not _NOT_YET.search(text[: later.start()]):
                    own = 0 <= close < later.start()
                    more = _at(ctx, i, state, start, text, later, complete_only=not own)
                    if own and more:
                        state.items.extend(more)
                        found += more
                        close = -1
            return found
    return []


def _at(
    ctx: Context,
    i: int,
    state: _State,
    start: int,
    text: str,
    verb: re.Match[str],
    *,
    complete_only: bool = False,
) -> list[Item] | None:
    """The moves this verb of the clause starting at ``start`` reports; None if it names no one."""
    end = len(text)
    people = [m for m in ctx.mentions(i, "person") if start <= m.start and m.end <= end]
    companies = [m for m in ctx.mentions(i, "company") if start <= m.start and m.end <= end]
    after = text[verb.end() :]
    word = verb.group()
    passive = bool(verb.group("hire") and _PASSIVE.search(text[: verb.start()]))
    movers: list[_Mover] = []
    source: str | None = None
    target: str | None = None
    target_todo = ""
    if (verb.group("hire") or verb.group("lost")) and not passive:
        hirer = _nearest_before(companies, verb.start()) or ctx.company_pronoun_before(
            i, verb.start()
        )
        boss = [m for m in people if m.end <= verb.start() and not m.possessive]
        if hirer is None and boss:
            # "Khumalo has hired about 60 people": for the company the hirer has a title at.
            titles = [c for j, c, _ in state.titled.get(boss[-1].entity, []) if j <= i]
            hirer = titles[-1] if titles else None
        # Not the speaker of a closing ", X said": "hired 40 people in 2024, Lee said".
        first = next(
            (
                m
                for m in people
                if m.start >= verb.end()
                and not m.possessive
                and not (
                    text[: m.start].rstrip().endswith(",")
                    and re.match(r"\s+(?:said|says|told|added|noted|wrote)\b", text[m.end :])
                )
            ),
            None,
        )
        listed = re.search(r",\s+including\b", after)
        if (
            first is not None
            and listed
            and first.start > verb.end() + listed.start()
            and _group(text, verb.end()) is not None
        ):
            first = None  # "hired three engineers ..., including X": the group first
        if word in _OBJECT_ONLY and (
            first is None
            or not re.fullmatch(r"\s+(?:[\w’'-]+\s+){0,4}", text[verb.end() : first.start])
            or re.search(r"\b(?:that|to)\b", text[verb.end() : first.start])
        ):
            return None  # "added that X would ...", "brought the total to": no one hired
        if first is None and re.match(r"\s+(?:her|him)\b", after):
            # "appointed X as head of ..., hiring her away from Y": her is the last one named.
            earlier = [m for m in people if m.end <= verb.start()]
            movers = [_Mover(earlier[-1].entity)] if earlier else []
        elif first is not None:
            movers = _chain(ctx, i, people, companies, first, len(text))
        elif not _FUTURE.search(text[: verb.start()]) and not _PLANNED.search(text[: verb.start()]):
            group = _group(text, verb.end())
            movers = [_Mover(group=group)] if group else []
        if not movers:
            return None
        others = [m for m in companies if m.start >= verb.end() and m.entity != hirer]
        if verb.group("lost"):
            source = hirer
            to_match = re.search(r"\bto\s+$", text[: others[0].start]) if others else None
            target = others[0].entity if others and to_match else None
        else:
            target = hirer
            # "..., including three from Marrow": part of the group, from a company of its own.
            including = re.search(r",\s+including\b", after)
            stop = verb.end() + including.start() if including else len(text)
            source = _after_word(companies[: _upto(companies, stop)], text, verb.end(), "from")
            # "hired Ostrava’s former safety director, X", "convinced three of OpenAI’s
            # researchers": a company named between the verb and the one hired.
            reach = movers[0].begin if movers[0].person else verb.end() + 60
            inside = [m for m in companies if verb.end() <= m.start < reach and m.entity != hirer]
            source = source or (inside[0].entity if inside else None)
            if including and movers[0].group is not None:
                movers += _included(text, companies, stop)
                # "hired two others, including senior researcher X": X is one of them.
                named = next(
                    (
                        m
                        for m in people
                        if m.start > stop
                        and re.fullmatch(
                            r",\s+including\s+(?:[a-z][\w-]*\s+){0,4}", text[stop : m.start]
                        )
                    ),
                    None,
                )
                if named is not None:
                    movers.append(_Mover(named.entity, end=named.end, begin=named.start))
    else:
        nominal = verb.group("leave") in {"departure", "departures", "exit", "exits"} and re.search(
            r"(?:’s|'s|’|\b(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Ii]ts|[Tt]heir|[Tt]his|[Tt]hat))\s+"
            r"(?:[a-z]+\s+){0,2}$",
            text[: verb.start()],
        )
        if nominal:
            # "Halevi’s departure", "the exit of X": only who the noun is of moved.
            owner = next(
                (
                    m
                    for m in people
                    if m.possessive
                    and re.fullmatch(r"(?:’s|'s|’)?\s+(?:[a-z-]+\s+)?", text[m.end : verb.start()])
                ),
                None,
            )
            of = next(
                (
                    m
                    for m in people
                    if re.fullmatch(r"\s+of\s+(?:[^,.]{0,60},\s+)?", text[verb.end() : m.start])
                ),
                None,
            )
            found = owner or of
            movers = [_Mover(found.entity, end=found.end, begin=found.start)] if found else []
            if of is not None and owner is None:
                # "the departures of A and B": everyone of the list.
                movers = _chain(ctx, i, people, companies, of, len(text))
            if not movers:
                return None
        else:
            movers = _subjects(ctx, i, people, companies, text, start, verb.start())
        if not movers and start == 0 and re.match(r"(?:A|An|The)\s+[a-z]", text):
            # "A leader at X left ..." with the name in the next sentence.
            following = ctx.mentions(i + 1, "person") if i + 1 < len(ctx.sentences) else []
            if following:
                movers = [_Mover(following[0].entity, "the sentence names no one: is it them?")]
        if not movers:
            # "three members of its team joined Mistwood": a group, from the company 'its' means.
            group = _group_before(text, start, verb.start())
            if group is None:
                return None
            movers = [_Mover(group=group, end=start)]
        if word in {"followed", "follows", "follow"} and movers[0].group is None:
            return None  # "The hire follows a turbulent stretch": only a group follows someone
        subject_end = max(m.end for m in movers)
        before = [m for m in companies if m.end <= verb.start() and m.start >= start]
        owns = {mover.own for mover in movers}
        # Not a company of a mover's own apposition ("B, who ran product at Y, joined X").
        between = [m for m in before if m.start >= subject_end and m.entity not in owns]
        if passive:
            # "was hired away from Y by X", "was named X’s CFO", "was poached by X from Y".
            by = _after_word(companies, text, verb.end(), "by")
            following = [m for m in companies if m.start >= verb.end()]
            source = _after_word(companies, text, verb.end(), "from")
            target = by or next((m.entity for m in following if m.entity != source), None)
            source = source or (between[0].entity if between else None)
        elif verb.group("join"):
            target = next(
                (
                    m.entity
                    for m in companies
                    if m.start >= verb.end()
                    and not re.search(rf"\bfrom\s+{_DESCRIPTOR}$", text[verb.end() : m.start])
                    # "moved to", "returned to": where to is named right after, not "returned
                    # to the stage at X's conference".
                    and (
                        not re.search(r"\b(?:to|at)$", word)
                        or (
                            re.fullmatch(rf"\s+{_DESCRIPTOR}", text[verb.end() : m.start])
                            and not re.search(
                                r"\b(?:at|of|in|on|for|with|during)\b", text[verb.end() : m.start]
                            )
                        )
                    )
                ),
                None,
            )
            if (
                target is None
                and re.search(r"\b(?:to|at)$", word)
                and not _UNDISCLOSED.search(after)
            ):
                return None  # "returned to the stage": going somewhere that is no employer
            source = _after_word(companies, text, verb.end(), "from") or (
                between[0].entity if between else None
            )
            if source is None and movers[0].person:
                # "Ostrich Labs veteran X", "former Quintel engineer X": the company before them.
                prefix = [
                    m
                    for m in before
                    if m.end <= movers[0].begin
                    and re.fullmatch(r"\s+(?:[a-z][\w-]*\s+){1,3}", text[m.end : movers[0].begin])
                ]
                source = prefix[-1].entity if prefix else None
            if movers[0].group is not None:
                # "Kestrel’s 30 engineers joined X": the company whose people they are.
                owners = [
                    m
                    for m in before
                    if m.possessive
                    and re.match(
                        rf"(?:’s|'s|’)?\s+(?:(?:about|some|nearly|around)\s+)?(?:\d|(?:{_WORDS})\b)",
                        text[m.end :],
                        re.I,
                    )
                ]
                source = owners[-1].entity if owners else source
            if source is not None and source == target:
                source = None
            lead_text = text[start : movers[0].begin] if movers[0].person else ""
            if source is None and re.match(
                r"(?:After\s+)?(?:[Ll]eaving|[Qq]uitting|[Dd]eparting|[Ee]xiting)\b", lead_text
            ):
                # "Leaving Cobalt after a decade, X has signed on with Y": from Cobalt.
                opening = [m for m in before if m.end <= movers[0].begin]
                source = opening[0].entity if opening else None
            if (
                source is None
                and movers[0].group is not None
                and re.search(r"\bits\b", text[start : verb.start()])
            ):
                source = ctx.salient(i)
            if target is None and re.match(
                r"\s+(?:the|this) (?:company|startup|firm|lab)\b", after
            ):
                target = ctx.salient(i, verb.start())  # "would join the company"
            if target is None and re.match(r"\s+(?:\w+\s+)?from\b", after):
                # "X, Quarry’s CTO, who joined from Microsoft": the company of their title, else
                # "Lind joins from Corvid": the company the sentence before named.
                lead = movers[0].person
                titles = [c for j, c, g in state.titled.get(lead or "", []) if j == i and not g]
                target = titles[0] if titles else ctx.salient(i, verb.start())
                target_todo = "" if titles else "the sentence does not say where: check"
        else:
            # "the departure of X from A to B": the noun's person comes first, then where.
            anchor = max(verb.end(), movers[0].end) if nominal else verb.end()
            direct = next((m for m in companies if m.start >= anchor), None)
            if (
                direct is not None
                and not re.sub(r"\b(?:from|as|with)\b", "", text[anchor : direct.start]).strip()
            ):
                source = direct.entity  # "left Quillmark in April", "departs from X"
            elif between or before:
                source = (between or before)[-1].entity
            else:
                # "the company’s chief data officer, X, left": the company of the last sentence.
                head = movers[0]
                owned = re.search(
                    r"\b(?:its|the (?:company|startup|firm)(?:’s|'s))\s+[\w -]{0,40},?\s*$",
                    text[start : head.begin] if head.person else "",
                )
                source = ctx.salient(i) if owned else None
                if re.match(
                    r"\s+(?:the|its)\s+(?:company|lab|firm|startup|bank|group|unit)\b", after
                ):
                    source = ctx.salient(i, verb.start())  # "have left the lab"
                # "will step down as chief executive of Pemberton": the company of the role.
                source = source or _after_word(
                    companies, text, verb.end(), r"as\s+(?:[\w-]+\s+){0,5}?(?:of|at)"
                )
            # Where to, within this part of the clause: not past the next name or 'who'.
            nxt = next((m.start for m in people if m.start >= anchor), len(text))
            relative = re.search(r",\s+(?:who|which|where|whose)\b", text[anchor:])
            limit = min(nxt, anchor + relative.start() if relative else len(text))
            joined = re.search(
                rf"\b(?:{_JOIN}|for|(?<!according )to|take|taking|lead|run|head|found|co-found|cofound|"
                r"start|launch)\b",
                text[anchor:limit],
            )
            if joined:
                # Right after the word, but for a few lowercase ones: "for rival hedge fund X",
                # "to become chief executive of X"; not "for hedge funds, according to X".
                begin = anchor + joined.end()
                target = next(
                    (
                        m.entity
                        for m in companies
                        if begin <= m.start < limit
                        and re.fullmatch(r"\s*(?:[a-z][\w-]*\s+){0,9}", text[begin : m.start])
                        and not re.search(r"\bfrom\s+$", text[begin : m.start])
                    ),
                    None,
                )
    led = _leader_move(ctx, i, state, text, start, verb, movers)
    if led is not None:
        # "five members of her team went with her", "engineers from his team accepted offers
        # from X": from where the one they follow left, and to where they went.
        source = source or _str(led.get("from"))
        target = target or _str(led.get("to"))
    if source is None and len(movers) == 1:
        # "named CTO of X after nine years at Y", "has taken a job at X after leaving Y"; with
        # several movers, each one's own apposition says it.
        prior = _after_word(companies, text, start, _PRIOR)
        source = prior if prior != target else None
    if target is None and _UNDISCLOSED.search(after):
        target = "undisclosed"
    elif target is None and (verb.group("leave") or verb.group("lost")) and _UNNAMED.search(after):
        target = "undisclosed"  # "have left, most of them for hedge funds and trading firms"
    # A move away names where from; an arrival may not ("X joined Y as CTO").
    internal = word in _INTERNAL or bool(_HELM.search(word))
    leaving = bool(verb.group("leave") or passive or _AWAY.match(word)) and not internal
    items = []
    for mover in movers:
        own = mover.own if mover.own not in {None, target} else None
        from_company = mover.source or source or own
        from_todo = ""
        if word in _FOUNDED and from_company is None:
            continue  # a founding is a move only when the sentence says where from
        if from_company is None and mover.person:
            from_company, from_todo = _came_from(ctx, i, state, mover.person, target, leaving)
        if (internal or word in _FOUNDED) and from_company is None:
            # "named X its CFO" is a promotion, and "X co-founded Y" a founding, unless the
            # sentence says where X came from.
            continue
        if (from_company is None and target is None) or from_company == target:
            continue
        who = mover.person or f"group:{mover.group}"
        # One move per person and company side: "X left A" reported twice is one move, but
        # "X joined A from B" and later "X left A for C" are two.
        keys = {(who, side, c) for side, c in (("from", from_company), ("to", target)) if c}
        keys.discard((who, "to", "undisclosed"))
        if keys & state.seen or complete_only:
            _complete(state, i, who, from_company, target)
            continue
        state.seen |= keys
        items.append(_item(ctx, i, mover, (from_company, from_todo), target, target_todo, after))
    return items


def _str(value: object) -> str | None:
    return value if isinstance(value, str) else None


_FOLLOWS = re.compile(r"\b(?:follow\w*|with|joined|joins|join)\s+(?:him|her)\b|^follow")
_THEIR_TEAM = re.compile(
    r"\b(?:his|her)\s+(?:former\s+)?(?:team|group|unit|reports|colleagues|lab|staff|deputies)\b"
)


def _leader_move(
    ctx: Context,
    i: int,
    state: _State,
    text: str,
    start: int,
    verb: re.Match[str],
    movers: list[_Mover],
) -> Item | None:
    """The move of the person others follow: "her team went with her", "his reports joined"."""
    after = text[verb.start() : verb.end() + 12]
    if not (_FOLLOWS.search(after) or _THEIR_TEAM.search(text[start : verb.start()])):
        return None
    leader = ctx.last_person(i, verb.start())
    if leader is None or leader in {m.person for m in movers}:
        return None
    # Their news move: the first the article reports ("X joined Y in 2022" comes later).
    return next((item for item in state.items if item.get("person") == leader), None)


def _merged(items: list[Item]) -> list[Item]:
    """One move of a leaving and the arrival a next sentence gives it.

    "X, who exits in December, ..." then "X is joining Y": one move from the first to Y, quoted
    where the leaving is said.
    """
    dropped: set[int] = set()
    for n, first in enumerate(items):
        person = first.get("person")
        if not person or first.get("from") is None or first.get("to") is not None:
            continue
        for m in range(n + 1, len(items)):
            later = items[m]
            if m in dropped or later.get("person") != person:
                continue
            if later.sentence - first.sentence > 3:
                break
            if later.get("to") in {None, first.get("from")}:
                continue  # "X, who joined A in 2019, will step down": an earlier move
            if later.get("from") not in {None, first.get("from")}:
                break
            first.replace("to", str(later.get("to")), "from a later sentence: check")
            dropped.add(m)
            break
    return [item for n, item in enumerate(items) if n not in dropped]


def _complete(state: _State, i: int, who: str, source: str | None, target: str | None) -> None:
    """Add the side an earlier report of the same move left out.

    "the exit of X" (no where to) and then "X, who left to join Y" are one move, to Y.
    """
    for item in reversed(state.items):
        mover = item.get("person") or f"group:{item.get('group')}"
        if mover != who or not i - 4 <= item.sentence <= i:
            continue
        if (
            item.get("from") == source
            and item.get("to") is None
            and target not in {None, "undisclosed"}
        ):
            # Also a few sentences on: "X will leave A" ... "X is leaving to join B".
            item.replace("to", str(target), "from a later sentence: check")
            state.seen.add((who, "to", str(target)))
        elif item.sentence == i and (
            target in {None, item.get("to")}
            and item.get("from") is None
            and source not in {None, item.get("to")}
        ):
            # "will take up a post at Y, leaving X after six years": from X.
            item.replace("from", str(source), "from a later sentence: check")
            state.seen.add((who, "from", source))
        return


def _upto(mentions: list[Mention], stop: int) -> int:
    """How many of the mentions start before ``stop``."""
    return sum(m.start < stop for m in mentions)


def _included(text: str, companies: list[Mention], stop: int) -> list[_Mover]:
    """'..., including three from Marrow': the part of a hired group that came from Marrow."""
    for m in companies:
        if m.start < stop:
            continue
        part = re.search(
            rf"including\s+(?P<count>\d+|{_WORDS})\s+(?:of them\s+)?(?:who came\s+)?from\s+$",
            text[stop : m.start],
        )
        if part is not None:
            raw = part.group("count").lower()
            count = int(raw) if raw.isdigit() else WORD_NUMBERS[raw]
            group: dict[str, str | int] = {
                "count": count,
                "description": f"from {text[m.start : m.end]}",
            }
            return [_Mover(group=group, source=m.entity)]
    return []


def _came_from(
    ctx: Context, i: int, state: _State, person: str, target: str | None, leaving: bool
) -> tuple[str | None, str]:
    """Where a person moved from when the clause does not say, and why that is a guess.

    First the company of a title the article gives them; for one leaving, then the company
    another move of the sentence is from, a guessed title's, the one the sentence before is
    about, and the article's main company, skipping the companies people moved to.
    """
    titles = state.titled.get(person, [])
    sure = [c for j, c, guess in titles if not guess and c != target]
    earlier = [c for j, c, guess in titles if not guess and c != target and j <= i]
    if sure:
        return (earlier[-1] if earlier else sure[0]), "from the title the article gives them"
    later = _prior_later(ctx, i, person, target)
    if later is not None:
        return later, "from where a later sentence says they worked before"
    if not leaving:
        return None, ""
    # Not a company someone just moved to (in this sentence or the one before).
    gained = {str(item.get("to")) for item in state.items if item.sentence >= i - 1}
    gained.add(str(target))
    same = [
        str(item.get("from"))
        for item in state.items
        if item.sentence == i and isinstance(item.get("from"), str)
    ]
    guessed = [c for j, c, guess in titles if guess and j <= i and c not in gained]
    for company, why in (
        (same[-1] if same else None, "the company the sentence’s other move is from"),
        (guessed[-1] if guessed else None, "the company of a title that is itself a guess"),
        (ctx.salient(i), "the company the sentence before is about"),
        (ctx.main_company(), "the article’s main company"),
    ):
        if company is not None and company not in gained:
            return company, why
    return None, ""


def _prior_later(ctx: Context, i: int, person: str, target: str | None) -> str | None:
    """Where the next sentences say the person was before: "She was previously at X"."""
    for j in range(i + 1, min(i + 3, len(ctx.sentences))):
        text = ctx.sentences[j].text
        people = [m for m in ctx.mentions(j, "person") if not m.possessive]
        about = (people and people[0].entity == person and people[0].start < 30) or (
            re.match(r"(?:He|She)\b", text) and ctx.last_person(j, 0) == person
        )
        if not about:
            continue
        prior = _after_word(ctx.mentions(j, "company"), text, 0, _PRIOR)
        if prior is not None and prior != target:
            return prior
    return None


def _chain(
    ctx: Context,
    i: int,
    people: list[Mention],
    companies: list[Mention],
    first: Mention,
    limit: int,
) -> list[_Mover]:
    """The person named first and those joined to them: "A, B’s CFO, and C, its COO"."""
    text = ctx.sentences[i].text
    chain = [first]
    for m in people:
        if m.start <= chain[-1].end or m.possessive or m.start > limit:
            continue
        gap = text[chain[-1].end : m.start]
        if _COORDINATED.fullmatch(gap):
            chain.append(m)
        else:
            break
    movers = []
    for k, m in enumerate(chain):
        stop = chain[k + 1].start if k + 1 < len(chain) else limit
        own = _own_company(ctx, i, companies, m, stop)
        # "hired A from X and B from Y": each from the company right after their name.
        origin = next(
            (
                c.entity
                for c in companies
                if m.end <= c.start < stop
                and re.fullmatch(r"\s+(?:[a-z][\w-]*\s+){0,2}from\s+", text[m.end : c.start])
            ),
            None,
        )
        movers.append(_Mover(m.entity, own=own, end=m.end, begin=m.start, source=origin))
    # "A and B, both senior engineers at X": the last apposition speaks for them all.
    if len(chain) > 1 and re.match(
        r",\s+(?:both|all|each|the (?:two|three|four))\b", text[chain[-1].end :]
    ):
        for mover in movers:
            mover.own = mover.own or movers[-1].own
    return movers


# Between two names of one list: ", " or " and ", after an apposition of the first.
_COORDINATED = re.compile(
    r"(?:,[^,;]{0,80})?,?\s+(?:and|as well as)\s+|,\s+|\s+from\s+[^,;]{1,60}?,?\s+(?:and\s+)?"
)


def _own_company(
    ctx: Context, i: int, companies: list[Mention], person: Mention, stop: int
) -> str | None:
    """The company a person's apposition names: "X, Brightforge’s CFO," / "X, its former ..."."""
    text = ctx.sentences[i].text
    rest = text[person.end : stop]
    if rest.startswith(" ("):
        # "Dana Whitfield (formerly Kestrel Compute)": a bracketed apposition.
        close = rest.find(")")
        inside = [m for m in companies if person.end < m.start < person.end + max(close, 0)]
        return inside[0].entity if inside else None
    if not rest.startswith(","):
        return None
    close = rest.find(",", 1)
    apposition = rest[: close if close > 0 else len(rest)]
    limit = person.end + len(apposition)
    inside = [m for m in companies if person.end <= m.start < limit]
    if inside:
        return inside[0].entity
    if re.match(r",\s+(?:who\s+\w+\s+)?(?:its|the company’s|the company's)\b", apposition):
        return ctx.salient(i, person.start)
    return None


def _subjects(
    ctx: Context,
    i: int,
    people: list[Mention],
    companies: list[Mention],
    text: str,
    start: int,
    verb: int,
) -> list[_Mover]:
    """Who the verb is about: the clause's subject (or subjects), or 'he'/'she' meaning the last named."""
    before = [m for m in people if m.end <= verb and not m.possessive]
    if before and re.search(
        r"\b(?:until|unless|once|because|if|when|before|after|as)\s+(?:a|an|the|his|her|its)\s+[a-z]",
        text[before[-1].end : verb],
    ):
        return []  # "X will oversee research until a successor is named": not X
    if before:
        last = before[-1]
        if re.fullmatch(r",?\s+who\s+(?:\w+\s+){0,3}", text[last.end : verb]):
            return [_Mover(last.entity, end=last.end, begin=last.start)]  # "Y, who left X, ..."
        first = before[0]
        lead = text[start : first.start]
        lead = re.sub(
            r"^(?:In|On|Last|Earlier|Later|This|Meanwhile|Separately|Also)\b[^,]{0,30},\s*",
            "",
            lead,
        )
        # "Two of them, A and B, defected", "a third, C, was hired": a short lead before the names.
        lead = re.sub(r"^[^,]{1,25},\s*$", "", lead) if not _VERB.search(lead) else lead
        if "," not in lead and not _VERB.search(lead) and len(lead) < 60:
            chain = _chain(ctx, i, people, companies, first, verb)
            if chain[-1].end >= last.end or len(chain) > 1:
                return chain
        own = _own_company(ctx, i, companies, last, verb)
        return [_Mover(last.entity, own=own, end=last.end, begin=last.start)]
    pronoun = _PRONOUN.search(text[start:verb])
    if pronoun is not None:
        earlier = ctx.last_person(i, start + pronoun.start())
        if earlier is not None:
            return [
                _Mover(earlier, "‘he’ or ‘she’: is it them?", end=start + pronoun.end("pronoun"))
            ]
    return []


def _item(
    ctx: Context,
    i: int,
    mover: _Mover,
    source_todo: tuple[str | None, str],
    target: str | None,
    target_todo: str,
    after: str,
) -> Item:
    source, from_todo = source_todo
    item = Item("moves")
    person, group = mover.person, mover.group
    who = person or str((group or {}).get("description", "group"))
    where = target if target not in {None, "undisclosed"} else source
    verb = "joins" if target not in {None, "undisclosed"} else "leaves"
    item.set("id", ctx.new_id(who, verb, where or ""))
    item.set("person", person, mover.todo)
    item.set("group", group, "check the count and description" if group else "")
    item.set("from", source, from_todo)
    if target == "undisclosed":
        target_todo = "the article does not name where"
    item.set("to", target, target_todo)
    role = _ROLE.search(after)
    if role is not None and (
        role.group("role").strip() in {"well", "such", "part"}
        or re.search(r"\b(?:reported|said|says|told|noted|announced|wrote)\b", role.group("role"))
    ):
        role = None  # "as well", "as such", "as part of", "as the Financial Times reported"
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
        gap = text[: m.start]
        if m.start >= start and (
            re.search(rf"\b(?:{word})\s+{_DESCRIPTOR}$", gap)
            or ("ex-" in word and gap.endswith("ex-"))
        ):
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
        # "14 members of Marrow Bank’s AI group have left": an 'of' phrase may come between.
        gap = text[match.end() : verb]
        near = len(gap) <= 40 or (len(gap) <= 80 and re.match(r"\s+(?:of|at|from)\b", gap))
        if near and not re.search(r"[,;]", gap) and not _VERB.search(gap):
            return _group(text, match.start())
    return None


def _successors(ctx: Context, items: list[Item]) -> None:
    """'X will be succeeded by Y', 'Y replaces X', 'taken over by Y': Y is the successor on X's move."""
    by_person = {item.get("person"): item for item in items if item.get("person")}
    for i, sentence in enumerate(ctx.sentences):
        text = sentence.text
        match = _SUCCEEDED.search(text)
        if match is None:
            continue
        people = [m for m in ctx.mentions(i, "person") if not m.possessive]
        before = [m for m in people if m.end <= match.start()]
        after = [m for m in people if m.start >= match.end()]
        passive = match.group("passive") is not None
        pronoun_before = re.search(r"\b(?:[Hh]e|[Ss]he)\s+(?:\w+\s+){0,3}$", text[: match.start()])
        if passive:
            successor = after[0].entity if after else None
            left = before[-1].entity if before else None
            if left is None and pronoun_before:
                left = ctx.last_person(i, pronoun_before.start())
        else:
            successor = before[-1].entity if before else None
            if successor is None and pronoun_before:
                successor = ctx.last_person(i, pronoun_before.start())
            left = after[0].entity if after else None
            if left is None and re.match(r"\s+(?:him|her)\b", text[match.end() :]):
                left = ctx.last_person(i, before[-1].start if before else match.start())
        if left is None or successor is None or left == successor:
            continue
        item = by_person.get(left)
        if item is None or item.get("successor") is not None:
            continue
        item.set("successor", successor, "check the successor")
        if "taken over" in match.group():
            scope = re.search(
                r"\b((?:some|all|part|many|most) of [\w\s’']+?)\s+(?:have|has|had|were|was)\s+been\s+taken over",
                text,
            )
            if scope:
                item.set("successor_scope", scope.group(1), "check what the successor took over")
