"""Article autocomplete: ids and titles of the served version, matched per keystroke in memory."""

from __future__ import annotations

from dataclasses import dataclass

from bot.text import normalize

MAX_LABEL = 100  # Discord's limit on a choice's name and value


@dataclass(frozen=True)
class ArticleChoice:
    """One suggestion: what the user sees (date, title) and the article id sent back."""

    label: str
    value: str


@dataclass(frozen=True)
class _Entry:
    id: str
    label: str
    words: str  # normalised id and title, for matching


class ArticleIndex:
    """The served articles, newest first, with their normalised ids and titles."""

    def __init__(self, articles: list[tuple[str, str, str]] | None = None) -> None:
        """From (id, title, published) triples, newest first."""
        self._entries = [
            _Entry(i, f"{published} {title}"[:MAX_LABEL], f"{normalize(i)} {normalize(title)}")
            for i, title, published in articles or []
        ]

    def __len__(self) -> int:
        return len(self._entries)

    def complete(self, text: str, limit: int = 25) -> list[ArticleChoice]:
        """Ids or titles starting with the text first, then containing it; newest first."""
        typed = normalize(text)
        if not typed:
            return [ArticleChoice(e.label, e.id) for e in self._entries[:limit]]
        starts: list[_Entry] = []
        contains: list[_Entry] = []
        for entry in self._entries:
            at = entry.words.find(typed)
            if at < 0:
                continue
            word_start = at == 0 or entry.words[at - 1] == " "
            (starts if word_start else contains).append(entry)
            if len(starts) >= limit:
                break
        found = (starts + contains)[:limit]
        return [ArticleChoice(e.label, e.id[:MAX_LABEL]) for e in found]
