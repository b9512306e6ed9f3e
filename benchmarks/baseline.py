"""The naive bot the benchmark compares against: difflib over every name, then unindexed lookups.

It answers the same calls from the same SQLite file, the way a first version would: no name
index (difflib.get_close_matches scans every name per call), and facts found by a full scan of
their JSON (`data LIKE '%"id"%'`) instead of the fact_entities index. It renders plain lines
without pydantic, which flatters it, so every speed-up reported is a lower bound.
"""

from __future__ import annotations

import difflib
import json
import sqlite3
from typing import Any

from bot.text import normalize

CUTOFF = 0.8
MAX_LINES = 50


class Naive:
    """Every query the benchmark times, implemented without indexes."""

    def __init__(self, path: str) -> None:
        self.conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        self.names: list[str] = []
        self.owners: list[tuple[str, str]] = []  # (id, kind) per name
        self.shown: dict[str, str] = {}
        for entity_id, kind, name in self.conn.execute("SELECT id, kind, name FROM entities"):
            self._add(normalize(name), entity_id, kind)
            self.shown[entity_id] = name
        for entity_id, alias in self.conn.execute(
            "SELECT a.entity_id, a.alias FROM aliases a NOT INDEXED"
        ):
            kind = self.conn.execute(
                "SELECT kind FROM entities WHERE id = ?", (entity_id,)
            ).fetchone()[0]
            self._add(normalize(alias), entity_id, kind)

    def _add(self, normal: str, entity_id: str, kind: str) -> None:
        self.names.append(normal)
        self.owners.append((entity_id, kind))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    # ------------------------------------------------------------------ names

    def resolve(self, text: str, kind: str | None = None) -> str | None:
        """The closest name's entity, by difflib over every name and alias."""
        normal = normalize(text)
        names = self.names
        if kind is not None:
            names = [n for n, (_, k) in zip(self.names, self.owners, strict=True) if k == kind]
        best = difflib.get_close_matches(normal, names, n=1, cutoff=CUTOFF)
        if not best:
            return None
        for n, (entity_id, k) in zip(self.names, self.owners, strict=True):
            if n == best[0] and (kind is None or k == kind):
                return entity_id
        return None

    def complete(self, text: str, kind: str | None = None, limit: int = 25) -> list[str]:
        """Prefix matches by a scan of every name, topped up by difflib."""
        normal = normalize(text)
        pool = [n for n, (_, k) in zip(self.names, self.owners, strict=True) if kind in (None, k)]
        out = sorted(n for n in pool if n.startswith(normal))[:limit]
        if len(out) < limit and normal:
            out += difflib.get_close_matches(normal, pool, n=limit - len(out), cutoff=0.6)
        return out

    # ------------------------------------------------------------------ facts

    def _facts(self, entity_id: str, kind: str | None = None) -> list[dict[str, Any]]:
        sql = "SELECT kind, article_id, data FROM facts NOT INDEXED WHERE data LIKE ?"
        params: list[object] = [f'%"{entity_id}"%']
        if kind:
            sql += " AND kind = ?"
            params.append(kind)
        rows = self.conn.execute(sql + " ORDER BY reported_on DESC", params).fetchall()
        out = []
        for fact_kind, article_id, data in rows:
            fact = json.loads(data)
            fact["_kind"], fact["_article"] = fact_kind, article_id
            out.append(fact)
        return out

    def _render(self, title: str, facts: list[dict[str, Any]]) -> str:
        ids = sorted({f["_article"] for f in facts[:MAX_LINES]})
        titles = {}
        for article_id in ids:
            row = self.conn.execute(
                "SELECT data FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            titles[article_id] = json.loads(row[0])["title"]
        lines = [title]
        for fact in facts[:MAX_LINES]:
            text = fact.get("summary") or fact.get("said") or fact.get("measure") or fact["id"]
            lines.append(f"• {text}\n    “{fact['quote']}” — {titles[fact['_article']]}")
        return "\n".join(lines)

    def moves(self, company: str, direction: str) -> str:
        """/who-left or /who-joined for a company."""
        entity_id = self.resolve(company, "company")
        if entity_id is None:
            return f"No company called {company}"
        facts = [f for f in self._facts(entity_id, "move") if f.get(direction) == entity_id]
        return self._render(f"Moves {direction} {self.shown[entity_id]}", facts)

    def all_moves(self, direction: str) -> str:
        """/who-left or /who-joined with no option: every such move, newest first."""
        rows = self.conn.execute(
            "SELECT kind, article_id, data FROM facts NOT INDEXED WHERE kind = 'move' "
            "ORDER BY reported_on DESC"
        ).fetchall()
        facts = []
        for kind, article_id, data in rows:
            fact = json.loads(data)
            if fact.get(direction):
                fact["_kind"], fact["_article"] = kind, article_id
                facts.append(fact)
        return self._render(f"{len(facts)} moves", facts)

    def moves_of(self, person: str, direction: str) -> str:
        """/who-left for a person."""
        entity_id = self.resolve(person, "person")
        if entity_id is None:
            return f"No person called {person}"
        facts = [
            f
            for f in self._facts(entity_id, "move")
            if f.get("person") == entity_id and f.get(direction)
        ]
        return self._render(f"Moves of {self.shown[entity_id]}", facts)

    def stats(self, topic: str | None) -> str:
        """/stats: every figure, or the figures of one entity or measure."""
        if topic:
            entity_id = self.resolve(topic)
            if entity_id is not None:
                return self._render(f"Figures about {topic}", self._facts(entity_id, "figure"))
        rows = self.conn.execute(
            "SELECT kind, article_id, data FROM facts NOT INDEXED WHERE kind = 'figure' "
            "ORDER BY reported_on DESC"
        ).fetchall()
        facts = []
        for kind, article_id, data in rows:
            fact = json.loads(data)
            if topic is None or normalize(topic) in normalize(fact["measure"]):
                fact["_kind"], fact["_article"] = kind, article_id
                facts.append(fact)
        return self._render("Figures", facts)

    def profile(self, name: str, kind: str) -> str:
        """/person or /company: roles and every fact that mentions the entity."""
        entity_id = self.resolve(name, kind)
        if entity_id is None:
            return f"No {kind} called {name}"
        column = "person_id" if kind == "person" else "company_id"
        roles = self.conn.execute(
            f"SELECT title, company_id, person_id FROM roles NOT INDEXED WHERE {column} = ?",
            (entity_id,),
        ).fetchall()
        head = [f"{self.shown[entity_id]}"] + [f"• {r[0]}" for r in roles[:MAX_LINES]]
        return "\n".join(head) + "\n" + self._render("Facts", self._facts(entity_id))

    def sources(self) -> str:
        """/sources: every article with its fact count."""
        counts = dict(
            self.conn.execute(
                "SELECT article_id, count(*) FROM facts NOT INDEXED GROUP BY article_id"
            ).fetchall()
        )
        articles = [json.loads(data) for (data,) in self.conn.execute("SELECT data FROM articles")]
        articles.sort(key=lambda a: a["published"], reverse=True)
        return "\n".join(
            f"• {a['title']} — {a['publisher']}: {counts.get(a['id'], 0)} facts"
            for a in articles[:MAX_LINES]
        )

    def ask(self, question: str) -> str:
        """A question: difflib on each run of 1-3 words against every name, then that entity's facts."""
        words = normalize(question).split()
        spans = [
            " ".join(words[i : i + n])
            for n in (3, 2, 1)
            for i in range(len(words) - n + 1)
            if len(" ".join(words[i : i + n])) >= 4
        ]
        for span in spans:
            best = difflib.get_close_matches(span, self.names, n=1, cutoff=0.85)
            if best:
                entity_id, _ = self.owners[self.names.index(best[0])]
                return self._render(self.shown[entity_id], self._facts(entity_id))
        return "I don't know."
