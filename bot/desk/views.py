"""`/knowledge list`, `show` and `history`: what the folder serves, one file, and who changed what."""

from __future__ import annotations

from bot import phrasing as fmt
from bot.desk import files
from bot.knowledge.loader import read_regular
from bot.models import Answer, Attachment, Item, Section
from bot.service import TalentService

PAGE = 10


def page_number(text: str | int | None) -> int | None:
    """The page asked for (1 when none), or None when it is not a whole number from 1."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return 1
    try:
        number = int(text)
    except ValueError:
        return None
    return number if number >= 1 else None


def _bad_page(command: str) -> Answer:
    return Answer(
        command=command,
        status="invalid",
        title="No such page",
        message="page: takes a whole number from 1, e.g. page:2.",
    )


def _pages(command: str, page: int, total: int, what: str) -> tuple[str, list[str]]:
    """The 'page N of M' line and a tip to the next page."""
    last = max(1, -(-total // PAGE))
    line = f"{fmt.count(total, what)}, newest first; page {page} of {last}."
    tips = [f"/{command} page:{page + 1} for more."] if page < last else []
    return line, tips


async def listing(service: TalentService, page_text: str | int | None) -> Answer:
    """The articles served, newest first, a page at a time, with ids, dates and file names."""
    command = "knowledge list"
    page = page_number(page_text)
    if page is None:
        return _bad_page(command)
    async with service.context() as ctx:
        articles = list((await ctx.reader.articles()).values())
    line, tips = _pages(command, page, len(articles), "articles")
    shown = articles[(page - 1) * PAGE : page * PAGE]
    if not shown:
        return Answer(
            command=command, status="empty", title="No articles on that page", message=line
        )
    items = [
        Item(
            kind="article",
            text=f"{fmt.date(a.article.published)}: {a.article.title}",
            detail=f"id {a.article.id} · {a.file} · {fmt.count(a.fact_count, 'facts')}",
        )
        for a in shown
    ]
    return Answer(
        command=command,
        status="ok",
        title="Knowledge files",
        message=line,
        sections=[Section(heading="Articles", items=items)],
        tips=tips,
    )


async def show(service: TalentService, article_id: str | None) -> Answer:
    """An article's knowledge file, sent back as a file."""
    command = "knowledge show"
    wanted = (article_id or "").strip()
    async with service.context() as ctx:
        found = (await ctx.reader.articles([wanted])).get(wanted)
    if found is None:
        return Answer(
            command=command,
            status="not_found",
            title="No such article",
            message=f"No article served has the id '{wanted[:80]}'. /knowledge list shows them.",
        )
    try:
        data = read_regular(
            files.readable(service.knowledge_dir, found.file), service.max_file_bytes
        )
        text = data.decode("utf-8")
    except (ValueError, files.OutsideError) as exc:
        return Answer(
            command=command,
            status="not_found",
            title="The file cannot be read",
            message=f"{found.file} {exc}; it may have changed since the last reload.",
        )
    return Answer(
        command=command,
        status="ok",
        title=found.article.title,
        message=f"{found.file}: {fmt.count(found.fact_count, 'facts')}, "
        f"published {fmt.date(found.article.published)}.",
        attachment=Attachment(filename=found.file, content=text),
    )


async def history(service: TalentService, page_text: str | int | None) -> Answer:
    """Who added, replaced or removed what and when, with the versions before and after."""
    command = "knowledge history"
    page = page_number(page_text)
    if page is None:
        return _bad_page(command)
    if service.state is None:
        return Answer(
            command=command,
            status="empty",
            title="No history",
            message="No state database is open.",
        )
    total = await service.state.count_history()
    entries = await service.state.history(PAGE, (page - 1) * PAGE)
    line, tips = _pages(command, page, total, "changes")
    if not entries:
        return Answer(command=command, status="empty", title="No changes recorded", message=line)
    items = [
        Item(
            kind="text",
            text=f"{e.at.replace('T', ' ').removesuffix('+00:00')} UTC, {e.actor}: "
            f"{e.action} {e.article or '?'}" + (f" ({e.file})" if e.file else ""),
            detail=f"version {e.version_before or 'none'} → {e.version_after or 'not loaded'}"
            + (f"; {e.summary}" if e.summary else ""),
        )
        for e in entries
    ]
    return Answer(
        command=command,
        status="ok",
        title="Knowledge history",
        message=line,
        sections=[Section(heading="Changes", items=items)],
        tips=tips,
    )
