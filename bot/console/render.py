"""Answer -> plain text, for the console and `talent-bot ask`."""

from __future__ import annotations

import textwrap

from bot import phrasing as fmt
from bot.models import Answer, Citation

WIDTH = 100


def source_line(citation: Citation) -> str:
    """A source on one line: "Title (Publisher, June 26, 2025; via Reuters) <url>"."""
    text = fmt.source(citation.title, citation.publisher, citation.published, citation.reported_by)
    return f"{text} <{citation.url}>" if citation.url else text


def render_text(answer: Answer, *, quotes: bool = True) -> str:
    """The whole answer as wrapped plain text, every fact followed by its source.

    The whole answer as wrapped plain text, every fact followed by its source; no control
    character reaches the terminal raw.
    """
    out = [answer.title, "=" * min(len(answer.title), WIDTH)]
    out.extend(_wrap(note, "  ") for note in answer.notes)
    if answer.message:
        out.append(answer.message)
    for suggestion in answer.suggestions:
        hint = f" ({suggestion.hint})" if suggestion.hint else ""
        out.append(f"  - {suggestion.name}{hint}")
    for section in answer.sections:
        out.append("")
        if section.heading != answer.title:
            out.append(f"{section.heading}:")
        for i, item in enumerate(section.items):
            out.append(_wrap(f"• {item.text}", "  "))
            if item.detail:
                out.append(_wrap(item.detail, "  ", "  "))
            following = section.items[i + 1].citation if i + 1 < len(section.items) else None
            # Facts from one sentence are cited once, after the last of them.
            if item.citation is not None and item.citation != following:
                if quotes and item.citation.quote:
                    out.append(_wrap(f"“{item.citation.quote}”", "    ", "    "))
                out.append(_wrap(f"— {source_line(item.citation)}", "    ", "    "))
    if answer.tips:
        out.append("")
        out.extend(answer.tips)
    if answer.attachment is not None:
        out += ["", f"--- {answer.attachment.filename} ---", answer.attachment.content.rstrip()]
    # Escaped here, once for every part: an answer echoes the user's words as well as the files'.
    return fmt.visible("\n".join(out))


def _wrap(text: str, indent: str, first: str = "") -> str:
    # Long words stay whole: a URL cut in two is no longer a link.
    return textwrap.fill(
        text,
        WIDTH,
        initial_indent=first,
        subsequent_indent=indent,
        break_on_hyphens=False,
        break_long_words=False,
    )
