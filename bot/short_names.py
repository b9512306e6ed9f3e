"""Common English short forms of given names that are not prefixes of them ("Bill" for William).

A prefix of a given name ("Raj" for Rajesh, "Alex" for Alexandr) needs no entry: resolve.py
accepts any. This table is general knowledge of English names, not a list of stored people.
"""

from __future__ import annotations

_TABLE = """
abby abigail; al albert alfred alan; alf alfred; andy andrew; archie archibald; barb barbara;
becky rebecca; beth elizabeth; betty elizabeth; bill william; billy william; bob robert; bobby
robert; cathy catherine katherine; charlie charles; chuck charles; cindy cynthia lucinda; dick
richard; drew andrew; debbie deborah; deb deborah; dot dorothy; dottie dorothy; ed edward edwin
edmund; eddie edward; fran frances francesca; frank francis franklin; frankie francesca frances
francis; fred frederick alfred; freddie frederick; gabe gabriel; geoff geoffrey; gerry gerald
gerard; greg gregory; hank henry; harry harold henry; jack john; jackie jacqueline; jake jacob;
jeff jeffrey geoffrey; jen jennifer; jenny jennifer; jerry gerald jerome jeremy; jim james;
jimmy james; joe joseph; joey joseph; johnny john jonathan; jon jonathan; kate katherine
catherine; kathy katherine kathleen; katie katherine; ken kenneth; kenny kenneth; kit
christopher katherine; larry lawrence laurence; len leonard; lenny leonard; liz elizabeth;
lizzie elizabeth; maggie margaret; mandy amanda; meg margaret; mike michael; mick michael;
mickey michael; molly mary; nate nathan nathaniel; ned edward; nick nicholas; nico nicholas; pat
patrick patricia; patty patricia; peggy margaret; pete peter; phil philip phillip; polly mary;
ray raymond; rick richard; ricky richard; rob robert; robbie robert; ron ronald; ronnie ronald;
sally sarah; sam samuel samantha; sandy sandra alexander; sasha alexander alexandra; steve
stephen steven; sue susan suzanne; susie susan; ted edward theodore; teddy edward theodore; tess
teresa theresa; tom thomas; tommy thomas; tony anthony antonio; trish patricia; vicky victoria;
walt walter; wendy gwendolyn; will william; zach zachary; zack zachary
"""


def _parse(text: str) -> dict[str, frozenset[str]]:
    table: dict[str, frozenset[str]] = {}
    for entry in text.split(";"):
        short, *full = entry.split()
        table[short] = frozenset(full)
    return table


SHORT_FORMS = _parse(_TABLE)


def is_short_form(typed: str, given: str) -> bool:
    """Whether a typed given name may stand for a stored one.

    Whether a typed given name (normal form) may stand for a stored one: a table entry, or a
    prefix of two letters or more.
    """
    if typed == given:
        return False
    return given in SHORT_FORMS.get(typed, ()) or (len(typed) >= 2 and given.startswith(typed))
