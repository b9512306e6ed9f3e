"""Answer -> Discord embeds: one layout for every answer, paged to stay within Discord's limits.

Each fact is a field (its sentence as the name, the quote and source as the value); the footer
names the source article. Every text of the answer is plain text, escaped here and only here:
a question echoed in a title must not become a heading, a masked link or a role mention.
Limits: title 256, description 4096, 25 fields, field name 256 and
value 1024, footer 2048, and 6000 characters across one message's embeds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import discord

from bot import phrasing as fmt
from bot.models import Answer, Citation, Item

TITLE_MAX, DESCRIPTION_MAX, FIELD_NAME_MAX, FIELD_VALUE_MAX, FOOTER_MAX = 256, 4096, 256, 1024, 2048
FIELDS_PER_PAGE = 6  # a page that reads at a glance; also keeps a page far below 6000 characters
TOTAL_MAX = 6000
QUOTE_MAX = 500
SOURCE_MAX = 300  # an article title may be 2000 characters; a source line need not be
MORE_FIELD_MAX = 32  # the "… and N more" field closing the last page
MAX_PAGES = 25

_COLOURS = {
    "ok": discord.Colour.blurple(),
    "empty": discord.Colour.light_grey(),
    "not_found": discord.Colour.orange(),
    "ambiguous": discord.Colour.gold(),
    "invalid": discord.Colour.red(),
    "unknown": discord.Colour.light_grey(),
}


# escape_mentions leaves channel and slash-command mentions (<#id>, </name:id>), which render too.
# A zero-width space also parts "](" of a masked link: escape_markdown's own pattern for links
# took 3 s on 6,000 characters of "[a](" (it backtracks), and finds nothing once they are apart.
_NOT_ESCAPED = re.compile(r"<(?=[#/])|\](?=\()")


def escaped(text: str) -> str:
    """Plain text as Discord will show it, literally: no markdown, mention or control character."""
    text = discord.utils.escape_mentions(fmt.visible(text))
    return discord.utils.escape_markdown(_NOT_ESCAPED.sub(lambda m: m.group() + "\u200b", text))


def source_text(citation: Citation, *, via: bool = False) -> str:
    """A source as "Title (Publisher, June 26, 2025)", with "; via Reuters" when asked."""
    reported_by = citation.reported_by if via else None
    return fmt.source(citation.title, citation.publisher, citation.published, reported_by)


@dataclass(frozen=True)
class _Field:
    name: str
    value: str

    @property
    def size(self) -> int:
        return len(self.name) + len(self.value)


def _field(item: Item, heading: str | None) -> _Field:
    name = fmt.clip(escaped(item.text), FIELD_NAME_MAX)
    lines = []
    if heading:
        lines.append(f"*{fmt.clip(escaped(heading), 200)}*")
    if item.detail:
        lines.append(escaped(item.detail))
    if item.citation is not None:
        if item.citation.quote:
            lines.append(f"> {fmt.clip(escaped(item.citation.quote), QUOTE_MAX)}")
        source = escaped(source_text(item.citation, via=True))
        if item.citation.url:
            source = f"[{fmt.clip(source, SOURCE_MAX)}]({item.citation.url})"
        lines.append(f"— {source}")
    value = "\n".join(lines) or "\u200b"
    return _Field(name, fmt.clip(value, FIELD_VALUE_MAX))


def _footer(citations: list[Citation], page: int, pages: int) -> str:
    # Discord shows a footer as it is, markdown and all: a backslash would show too.
    parts = []
    if len(citations) == 1:
        parts.append(f"Source: {fmt.clip(fmt.visible(source_text(citations[0])), SOURCE_MAX)}")
    elif citations:
        parts.append(f"Sources: {len(citations)} articles")
    if pages > 1:
        parts.append(f"Page {page}/{pages}")
    return fmt.clip(" · ".join(parts), FOOTER_MAX)


def _description(answer: Answer) -> str:
    lines = [f"*{escaped(note)}*" for note in answer.notes]
    lines += [escaped(answer.message)] if answer.message else []
    for suggestion in answer.suggestions:
        hint = f" — {escaped(suggestion.hint)}" if suggestion.hint else ""
        lines.append(f"• **{escaped(suggestion.name)}**{hint}")
    lines += map(escaped, answer.tips)
    return fmt.clip("\n".join(lines), DESCRIPTION_MAX)


def _fields(answer: Answer) -> Iterator[_Field]:
    show_heading = len(answer.sections) > 1
    for section in answer.sections:
        for i, item in enumerate(section.items):
            yield _field(item, section.heading if show_heading and i == 0 else None)


def render_embeds(
    answer: Answer, *, fields_per_page: int = FIELDS_PER_PAGE, max_pages: int = MAX_PAGES
) -> list[discord.Embed]:
    """The answer as pages of one embed each (send the first; page with buttons for the rest).

    Fields past ``max_pages`` pages are counted in a closing "… and N more" field.
    """
    title = fmt.clip(escaped(answer.title), TITLE_MAX)
    description = _description(answer)
    chunks: list[list[_Field]] = []
    # The footer is measured, not guessed: a long article title once pushed pages past 6000.
    citations = answer.citations()  # once: every page's footer names the same sources
    footer_size = len(_footer(citations, max_pages, max_pages))
    budget = TOTAL_MAX - len(title) - len(description) - footer_size - MORE_FIELD_MAX
    total = sum(len(section.items) for section in answer.sections)
    kept = 0
    # Fields are escaped only until the pages are full: a big company's profile holds hundreds
    # of items, and escaping those no page shows was half the time of answering it.
    for field in _fields(answer):
        current = chunks[-1] if chunks else None
        if (
            current is None
            or len(current) >= fields_per_page
            or sum(f.size for f in current) + field.size > budget
        ):
            if len(chunks) == max_pages:
                break
            chunks.append([field])
        else:
            current.append(field)
        kept += 1
    cut = total - kept
    chunks = chunks or [[]]
    embeds = []
    for number, chunk in enumerate(chunks, start=1):
        embed = discord.Embed(
            title=title,
            description=description or None,
            colour=_COLOURS.get(answer.status, discord.Colour.blurple()),
        )
        for field in chunk:
            embed.add_field(name=field.name, value=field.value, inline=False)
        if cut and number == len(chunks):
            embed.add_field(name="…", value=f"… and {cut} more", inline=False)
        footer = _footer(citations, number, len(chunks))
        if footer:
            embed.set_footer(text=footer)
        embeds.append(embed)
    return embeds
