"""Plain-words questions -> cited answers, or an honest "I don't know".

A question is read in three steps: the people and companies it names (exact names and aliases,
then surnames and first names, then guarded fuzzy matching), what it asks (one table of intents
and their cue words, ``INTENTS``), and which stored facts fit both. A fact is only given as the
answer when every name in the question has a fitting part in it and the question's other content
words are found in it: a confident wrong answer is worse than "I don't know".

A question about what did not happen ("who did not leave Acme") is answered only where the facts
settle it (the people named at Acme with no departure on record), else told plainly that it
cannot be; names it leaves out ("other than X", "Acme, not Beta") are never the answer.

Modules, each depending only on those before it: words (stems, cue patterns), question (what a
question names and asks), negation ("not", "other than", "stayed"), word_order and phrasing
(pieces of intents), intents (the table), reading (question -> Reading), memo (what every
question about one knowledge version reads alike, built once), fit and candidates (facts that
fit, scored), reply (the Answer).
"""

from bot.ask.intents import INTENTS
from bot.ask.reading import find_mentions, read
from bot.ask.reply import UNKNOWN, ask
from bot.ask.words import stem

__all__ = ["INTENTS", "UNKNOWN", "ask", "find_mentions", "read", "stem"]
