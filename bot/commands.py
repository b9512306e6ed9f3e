"""The command set shared by every front end: names, options, help text and the handler.

Discord's slash commands, the console's line parser and `/help` all read this table, so a
command is described once and answered by one function; a new command is one entry here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import Literal

from bot import answers
from bot.announcements import use_channel
from bot.ask import ask
from bot.desk import edits, views
from bot.draft.answer import draft_article
from bot.models import Answer, Item, Section
from bot.service import TalentService

# "file" is an uploaded file (Upload), "channel" a channel id, "article" an article id (completed).
OptionKind = Literal["company", "person", "topic", "text", "date", "file", "channel", "article"]
# Commands named "group sub" are subcommands; Discord shows each group with this description.
GROUPS = {"knowledge": "The knowledge files (admins only)"}


@dataclass(frozen=True)
class Upload:
    """A file a user sent with a command (a Discord attachment, or a file the console read)."""

    name: str  # as the user named it: shown back, never used as a path
    data: bytes


@dataclass(frozen=True)
class Caller:
    """Who runs a command, and where: what the audit log records and announcements target."""

    name: str
    user_id: int | None = None  # None for the console's local user
    guild_id: int | None = None  # the server it was run in, if any


CONSOLE = Caller(name="console")
OptionValue = str | int | Upload | None
Options = Mapping[str, OptionValue]
Handler = Callable[[TalentService, Options, Caller], Awaitable[Answer]]
Query = Callable[..., Awaitable[Answer]]


@dataclass(frozen=True)
class Option:
    """One option of a command: its name, help text, and what it names (for autocomplete)."""

    name: str
    description: str
    kind: OptionKind
    required: bool = False
    max_length: int | None = None  # of free text ("text" options)


@dataclass(frozen=True)
class Command:
    """One command: what users see of it, and the handler that answers it."""

    name: str
    description: str
    handler: Handler
    options: tuple[Option, ...] = ()
    admin: bool = False  # only admins may run it (in Discord: Manage Server or configured)
    console_only: bool = False
    private: bool = False  # its answer is only ever shown to the asker
    slow: bool = False  # may take longer than Discord's 3 s to answer: acknowledged first

    def usage(self) -> str:
        """How to type it: "/who-left [company:…] [person:…]"."""
        parts = [f"/{self.name}"]
        for option in self.options:
            part = f"{option.name}:…"
            parts.append(part if option.required else f"[{part}]")
        return " ".join(parts)


def _query(query: Query) -> Handler:
    """A handler that runs ``query(ctx, *options)`` in one read of one knowledge version."""

    async def handle(service: TalentService, options: Options, _: Caller) -> Answer:
        async with service.context() as ctx:
            return await query(ctx, *options.values())

    return handle


async def _sources(service: TalentService, _: Options, __: Caller) -> Answer:
    return await service.sources()


async def _reload(service: TalentService, _: Options, __: Caller) -> Answer:
    return (await service.reload()).to_answer()


async def _announce(service: TalentService, options: Options, caller: Caller) -> Answer:
    return await use_channel(
        service, caller.guild_id, options["channel"], actor=caller.name, actor_id=caller.user_id
    )


async def _help(service: TalentService, _: Options, __: Caller) -> Answer:
    return help_answer()


async def _quit(service: TalentService, _: Options, __: Caller) -> Answer:
    # Only the console loop acts on /quit; `talent-bot ask "/quit"` has nothing to leave.
    return Answer(
        command="quit",
        status="ok",
        title="Nothing to leave",
        message="/quit leaves the interactive console (talent-bot console).",
    )


def _upload(options: Options) -> Upload | None:
    upload = options.get("file")
    return upload if isinstance(upload, Upload) else None


def _no_upload(action: str) -> Answer:
    return Answer(
        command=f"knowledge {action}",
        status="invalid",
        title="No file",
        message="Attach the knowledge file (TOML) as file:. Nothing was changed.",
    )


async def _knowledge_add(service: TalentService, options: Options, caller: Caller) -> Answer:
    upload = _upload(options)
    if upload is None:
        return _no_upload("add")
    return await edits.add(service, upload.name, upload.data, caller)


async def _knowledge_replace(service: TalentService, options: Options, caller: Caller) -> Answer:
    upload = _upload(options)
    if upload is None:
        return _no_upload("replace")
    return await edits.replace(service, upload.name, upload.data, caller)


async def _knowledge_remove(service: TalentService, options: Options, caller: Caller) -> Answer:
    return await edits.remove(service, str(options.get("article") or ""), caller)


async def _knowledge_list(service: TalentService, options: Options, _: Caller) -> Answer:
    return await views.listing(service, _text(options.get("page")))


async def _knowledge_show(service: TalentService, options: Options, _: Caller) -> Answer:
    return await views.show(service, str(options.get("article") or ""))


async def _knowledge_history(service: TalentService, options: Options, _: Caller) -> Answer:
    return await views.history(service, _text(options.get("page")))


def _text(value: OptionValue) -> str | int | None:
    return None if isinstance(value, Upload) else value


_COMPANY = Option("company", "A company's name or alias (typos are fine)", "company")
_PERSON = Option("person", "A person's name (typos are fine)", "person")
_SINCE = Option("since", "From this date: 2025-06-01, July 2025, 2025, last month", "date")
_UNTIL = Option("until", "Up to this date: 2025-07-31, June 2025, this year", "date")
_UPLOAD = Option("file", "The article's knowledge file (TOML)", "file", required=True)
_ARTICLE = Option(
    "article", "The article (its id or title; autocompleted)", "article", required=True
)
_PAGE = Option("page", "Which page (1 is the newest)", "text", max_length=6)

COMMANDS: dict[str, Command] = {
    c.name: c
    for c in (
        Command(
            "who-left",
            "Who left which company, where they went and who took over",
            _query(answers.who_left),
            (_COMPANY, _PERSON, _SINCE, _UNTIL),
        ),
        Command(
            "who-joined",
            "Who joined which company, and from where",
            _query(answers.who_joined),
            (_COMPANY, _PERSON, _SINCE, _UNTIL),
        ),
        Command(
            "stats",
            "Figures in the news: bonuses, market caps, market growth",
            _query(answers.stats),
            (Option("topic", "A company, person or measure, e.g. market cap", "topic"),),
        ),
        Command(
            "person",
            "Everything the news says about a person",
            _query(answers.person),
            (Option("name", "The person's name (typos are fine)", "person", required=True),),
        ),
        Command(
            "company",
            "Everything the news says about a company",
            _query(answers.company),
            (
                Option(
                    "name",
                    "The company's name or an alias (typos are fine)",
                    "company",
                    required=True,
                ),
            ),
        ),
        Command(
            "latest",
            "The newest news first, for everyone or one company or person",
            _query(answers.latest),
            (Option("name", "A company or person (typos are fine); omit for all", "topic"),),
        ),
        Command("sources", "The articles I know, with how many facts each holds", _sources),
        Command(
            "ask",
            "Ask a question in plain words, e.g. who left which company?",
            _query(ask),
            (Option("question", "Your question", "text", required=True, max_length=500),),
        ),
        Command(
            "reload",
            "Re-read the knowledge files (admins only)",
            _reload,
            admin=True,
            private=True,
            slow=True,
        ),
        Command(
            "knowledge draft",
            "Draft a knowledge file from an article's text (admins only); adds nothing",
            _query(draft_article),
            (
                # Discord's longest string option; a longer article is attached as a .txt file.
                Option(
                    "text", "The article's text (or attach it as file:)", "text", max_length=6000
                ),
                Option("file", "The article as a UTF-8 .txt file (instead of text:)", "file"),
                Option("title", "The article's headline", "text", required=True, max_length=300),
                Option(
                    "publisher",
                    "The outlet that published it",
                    "text",
                    required=True,
                    max_length=120,
                ),
                Option("published", "Its date, YYYY-MM-DD", "text", required=True, max_length=10),
                Option("url", "Its address (http:// or https://)", "text", max_length=500),
            ),
            admin=True,
            private=True,
            slow=True,
        ),
        Command(
            "knowledge add",
            "Add an article's knowledge file, checked with every other (admins only)",
            _knowledge_add,
            (_UPLOAD,),
            admin=True,
            private=True,
            slow=True,
        ),
        Command(
            "knowledge replace",
            "Replace an article's knowledge file with a new version (admins only)",
            _knowledge_replace,
            (_UPLOAD,),
            admin=True,
            private=True,
            slow=True,
        ),
        Command(
            "knowledge remove",
            "Remove an article, kept in the history folder (admins only)",
            _knowledge_remove,
            (_ARTICLE,),
            admin=True,
            private=True,
            slow=True,
        ),
        Command(
            "knowledge list",
            "The knowledge files, newest first (admins only)",
            _knowledge_list,
            (_PAGE,),
            admin=True,
            private=True,
        ),
        Command(
            "knowledge show",
            "Send an article's knowledge file (admins only)",
            _knowledge_show,
            (_ARTICLE,),
            admin=True,
            private=True,
        ),
        Command(
            "knowledge history",
            "Who added, replaced or removed what, and when (admins only)",
            _knowledge_history,
            (_PAGE,),
            admin=True,
            private=True,
        ),
        Command(
            "knowledge announce",
            "Announce new moves in a channel of this server, once each (admins only)",
            _announce,
            (Option("channel", "Where the news goes", "channel", required=True),),
            admin=True,
            private=True,
        ),
        Command("help", "What I can answer and how to ask", _help, private=True),
        Command("quit", "Leave the console (Ctrl-D works too)", _quit, console_only=True),
    )
}


async def run(
    service: TalentService,
    command: str,
    /,
    *values: OptionValue,
    caller: Caller = CONSOLE,
    **options: OptionValue,
) -> Answer:
    """Answer ``command`` for ``caller``; options by name, or by position in the table's order."""
    spec = COMMANDS[command]
    names = [o.name for o in spec.options]
    if len(values) > len(names) or not options.keys() <= set(names):
        raise TypeError(f"/{command} takes {', '.join(names) or 'no options'}")
    given = dict(zip(names, values, strict=False)) | options
    # Every option, in table order, so handlers may take them positionally.
    return await spec.handler(service, {o.name: given.get(o.name) for o in spec.options}, caller)


def help_lines() -> list[str]:
    """One line per command: its usage and what it does."""
    width = max(len(c.usage()) for c in COMMANDS.values()) + 2  # narrow enough not to wrap
    lines = [f"{c.usage():<{width}} {c.description}" for c in COMMANDS.values()]
    # No example names here: they would come from one article, not from the knowledge loaded.
    lines.append("Anything not starting with / is a question in plain words.")
    return lines


def help_answer() -> Answer:
    """Every command with its usage and what it does."""
    return Answer(
        command="help",
        status="ok",
        title="What I can answer",
        message="I answer questions about AI talent moves from the news articles I know, "
        "and cite the article behind every fact.",
        sections=[
            Section(heading="Commands", items=[Item(kind="text", text=t) for t in help_lines()])
        ],
    )
