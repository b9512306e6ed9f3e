"""People's titles and companies, read from appositions.

People's titles and companies from appositions: "OpenAI CEO Sam Altman", "Rajesh Sheth, a
vice president who ...", "its chief operating officer, Keiko Brandt".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.draft.names import Entity, Mention
from bot.draft.words import TITLE_HEADS, TITLE_TOKENS, TITLE_WORDS

_LEAD = re.compile(
    r"^(?:(?:who|which)\s+(?:is|was|had been|has been)\s+|previously\s+|formerly\s+|now\s+|"
    r"until recently\s+|most recently\s+)?"
    r"(?:(?:a|an|the|its|their|his|her)\s+)?(?:(?P<former>former|ex-)\s*)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w-]+")
_CUT = re.compile(r"\s+(?:who|which|that|where|whose)\b|;|\s+since\b|\s+in\s+\d|\s+for\b")


@dataclass
class Role:
    """A title a sentence gives a person, at a company if it names one; ``todo`` says why unsure."""

    title: str
    company: str | None
    current: bool
    todo: str = ""


def find(
    text: str, mentions: list[Mention], entities: dict[str, Entity], salient: str | None
) -> dict[str, Role]:
    """Person id -> the role this sentence gives them, if any.

    ``salient`` is the company 'its' and 'the company' most likely refer to here.
    """
    found: dict[str, Role] = {}
    for k, mention in enumerate(mentions):
        if entities[mention.entity].kind != "person":
            continue
        role = _before(text, mentions, k, entities, salient) or _after(text, mentions, k, entities)
        if role is not None:
            if role.company is None:
                # The company named earlier in the sentence, else the one before it.
                earlier = [m for m in _companies(mentions, entities) if m.end <= mention.start]
                role.company = earlier[-1].entity if earlier else salient
                role.todo = "the company is a guess" if salient else "which company?"
            found.setdefault(mention.entity, role)
    return found


def _companies(mentions: list[Mention], entities: dict[str, Entity]) -> list[Mention]:
    return [m for m in mentions if entities[m.entity].kind == "company"]


def _before(
    text: str, mentions: list[Mention], k: int, entities: dict[str, Entity], salient: str | None
) -> Role | None:
    """'Meta CEO Mark Zuckerberg', 'chief executive Mateo Ruiz', 'its COO, Keiko Brandt'."""
    person = mentions[k]
    previous = mentions[k - 1] if k else None
    start = previous.end if previous is not None else 0
    gap = text[start : person.start]
    if previous is not None and previous.possessive:
        gap = re.sub(r"^(?:’s|'s|’|')", "", gap)
    gap = gap.rstrip(", ").strip()
    words = gap.split()
    # Only the words right before the name: "said Meta CEO X" has no verb between.
    title_words: list[str] = []
    for word in reversed(words):
        bare = word.strip(",")
        if bare.lower() in TITLE_WORDS or bare in TITLE_TOKENS:
            title_words.insert(0, bare)
            if word.endswith(",") and len(title_words) > 1:
                break
            continue
        break
    while title_words and title_words[0].lower() in {"of", "and", "the", "its"}:
        title_words = title_words[1:]
    if not title_words or not any(
        w.lower() in TITLE_HEADS or w in TITLE_TOKENS for w in title_words
    ):
        return None
    former = bool(
        re.search(r"\b(?:former|ex-)\s*$", " ".join(words[: len(words) - len(title_words)]))
    )
    company: str | None = None
    # "Rho’s former CTO, X": only such words may stand between the company and the title.
    extra = [w.lower() for w in words[: len(words) - len(title_words)]]
    adjacent = all(
        w in {"former", "ex-", "then", "longtime", "new", "interim", "acting"} for w in extra
    )
    if previous is not None and entities[previous.entity].kind == "company" and adjacent:
        company = previous.entity
    elif words and len(words) > len(title_words) and words[-len(title_words) - 1].lower() == "its":
        company = salient
    return Role(" ".join(title_words), company, not former)


def _after(text: str, mentions: list[Mention], k: int, entities: dict[str, Entity]) -> Role | None:
    """'Rajesh Sheth, a vice president who ...', 'Vasi Philomin, who was ... at Amazon'."""
    person = mentions[k]
    rest = text[person.end :]
    if person.possessive or not rest.startswith(", "):
        return None
    rest = rest[2:]
    lead = _LEAD.match(rest)
    if lead is None:
        return None
    past = bool(
        re.match(r"(?:who|which)\s+(?:was|had been)|previously|formerly|until recently", rest, re.I)
    )
    body = rest[lead.end() :]
    offset = person.end + 2 + lead.end()
    following = [m for m in _companies(mentions, entities) if m.start >= offset]
    company = None
    if following:
        segment = text[offset : following[0].start]
        if re.search(r"\s(?:at|of)\s*$", segment) and not _CUT.search(segment):
            company = following[0].entity
            body = re.sub(r"\s+(?:at|of)\s*$", "", segment)
    body = _CUT.split(body, maxsplit=1)[0]
    if company is None:
        body = body.split(",")[0]
    title = body.strip(" ,.")
    words = _WORD.findall(title)
    if not words or len(words) > 12 or words[0].lower() not in TITLE_WORDS:
        return None
    if not any(w.lower() in TITLE_HEADS for w in words):
        return None
    return Role(title, company, not (past or lead.group("former")))
