"""A move: a person (or an unnamed group) left a company, joined one, or both."""

from __future__ import annotations

import re
from typing import Annotated, ClassVar

from pydantic import Field, model_validator

from bot import phrasing
from bot.knowledge.schema import UNDISCLOSED, Fact, Group, Line, Ref, Slug
from bot.phrasing import Names


class Move(Fact):
    """Who moved, from where, to where, in what role, and who took over."""

    KIND: ClassVar[str] = "move"
    SECTION: ClassVar[str] = "moves"
    HEADING: ClassVar[str] = "Moves"
    NOUN: ClassVar[str] = "moves"

    person: Annotated[Slug | None, Ref("person", "person", focus=True)] = None
    group: Group | None = None
    from_company: Annotated[Slug | None, Ref("from", "company")] = Field(default=None, alias="from")
    to_company: Annotated[Slug | None, Ref("to", "company", undisclosed=True)] = Field(
        default=None, alias="to"
    )
    role: Line | None = None
    successor: Annotated[Slug | None, Ref("successor", "person")] = None
    successor_scope: Line | None = Field(
        default=None, description="what the successor took over, when only part of the role"
    )

    @model_validator(mode="after")
    def _who_and_where(self) -> Move:
        if (self.person is None) == (self.group is None):
            raise ValueError("a move names exactly one of 'person' or 'group'")
        if self.from_company is None and self.to_company is None:
            raise ValueError(f"a move needs 'from' or 'to' (use to = '{UNDISCLOSED}')")
        return self

    def focus(self) -> frozenset[str]:
        """The mover; an unnamed group is its own subject, told apart by the fact's id."""
        return frozenset({self.person or f"group:{self.id}"})

    def who(self, names: Names) -> str:
        """Who moved: "Vasi Philomin", or a group: "3 OpenAI researchers"."""
        if self.person is not None:
            return names.name(self.person)
        group = self.group
        assert group is not None  # the validator requires a person or a group
        if group.count:
            return f"{phrasing.number(group.count)} {group.description}"
        return group.description

    def sentence(self, names: Names, *, arrival: bool = False) -> str:
        """The move as "X left A for B (role), reported …"; as an arrival "X joined B from A"."""
        text = self.who(names)
        gone = names.name(self.from_company) if self.from_company else None
        went = names.name(self.to_company) if self.to_company else None
        if went and (arrival or not gone):
            text += f" joined {went}" + (f" from {gone}" if gone else "")
        elif went:
            text += f" left {gone} for {went}"
        else:
            text += f" left {gone}"
        if self.role:
            text += f" ({self.role})"
        return text + f", {phrasing.when(self.happened, self.reported_on)}."

    def sequel(self, earlier: Fact, names: Names, *, arrival: bool = False) -> str:
        """What changed since the mover's earlier move: "then joined Example Corp as CTO, …".

        Any other earlier fact: this move's whole sentence.
        """
        if not isinstance(earlier, Move) or (earlier.person, earlier.group) != (
            self.person,
            self.group,
        ):
            return super().sequel(earlier, names, arrival=arrival)
        when = phrasing.when(self.happened, self.reported_on)
        role = f" as {self.role}" if self.role else ""
        if self.to_company not in (None, UNDISCLOSED, earlier.to_company):
            return f"then joined {names.name(self.to_company)}{role}, {when}"
        if self.from_company is not None and self.from_company != earlier.from_company:
            return f"then left {names.name(self.from_company)}{role}, {when}"
        if self.role and self.role != earlier.role:
            return f"then reported{role}, {when}"
        return f"then confirmed, {when}"

    def detail(self, names: Names) -> str | None:
        """Who took over, when the article says."""
        return self.succession(names)

    def succession(self, names: Names) -> str | None:
        """Who took over: "Jane Roe took over John Doe's team at Acme."; None if nobody."""
        if self.successor is None:
            return None
        successor, left = names.name(self.successor), self.who(names)
        where = f" at {names.name(self.from_company)}" if self.from_company else ""
        scope = (self.successor_scope or "").strip().rstrip(".")
        if not scope:
            return f"{successor} took over from {left}{where}."
        owned, count = re.subn(r"\b(his|her|their|its)\b", f"{left}'s", scope, count=1)
        if count:
            return f"{successor} took over {owned}{where}."
        return f"{successor} took over {scope} from {left}{where}."

    def own_words(self) -> str:
        """The role, the successor's scope and the group's description."""
        group = self.group.description if self.group else ""
        return f"{self.role or ''} {self.successor_scope or ''} {group}"
