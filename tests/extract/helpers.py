"""Small corpora and database snapshots shared by the ingest tests (pipeline and CLI)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphrag.store import KuzuGraphStore

HOLMES = (
    "Sherlock Holmes is a fictional detective created by Arthur Conan Doyle. Holmes lives in London at "
    "Baker Street. Holmes was born in 1854. Doctor Watson is a friend of Sherlock Holmes."
)
ADA = (
    "# Ada Lovelace\n\nAda Lovelace wrote the first program for the Analytical Engine of Charles Babbage. "
    "She lived in London."
)
RECORDS = [
    {
        "title": "Teutberga",
        "text": "Teutberga was a queen of Lotharingia by marriage to Lothair II. She died in 875.",
    },
    {
        "title": "Lothair II",
        "text": "Lothair II was a king of Lotharingia. He was the son of Emperor Lothair I and Ermengarde of Tours.",
    },
    {
        "title": "Ermengarde of Tours",
        "text": "Ermengarde of Tours was the wife of Lothair I. She was born in Tours and died in 851.",
    },
]

_PEOPLE = [
    "Anna Berg",
    "Boris Kovac",
    "Clara Diaz",
    "David Okafor",
    "Elena Rossi",
    "Farid Haddad",
    "Greta Lind",
    "Hugo Brandt",
    "Ines Moreau",
    "Jonas Weber",
    "Kaito Mori",
    "Lena Novak",
]
_CITIES = ["Vienna", "Madrid", "Oslo", "Lisbon", "Prague", "Dublin", "Warsaw"]
_FILMS = [
    "The Silent Harbor",
    "Red River Nights",
    "A Winter in Bergen",
    "The Last Orchard",
    "Glass Mountains",
]


def write_corpus(root: Path) -> dict[str, Path]:
    """``holmes.txt``, ``ada.md`` and ``kings.jsonl`` (three records) under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    files = {"holmes": root / "holmes.txt", "ada": root / "ada.md", "kings": root / "kings.jsonl"}
    files["holmes"].write_text(HOLMES)
    files["ada"].write_text(ADA)
    files["kings"].write_text("\n".join(json.dumps(r) for r in RECORDS) + "\n")
    return files


def synthetic_records(n: int) -> list[dict[str, str]]:
    """``n`` distinct short encyclopaedia-style records about films and people (deterministic)."""
    out = []
    for i in range(n):
        person, other = _PEOPLE[i % len(_PEOPLE)], _PEOPLE[(i * 5 + 3) % len(_PEOPLE)]
        city, film = _CITIES[i % len(_CITIES)], _FILMS[(i * 3) % len(_FILMS)]
        title = f"{film} ({1950 + i})"
        text = (
            f"{title} is a drama film directed by {person}. It was produced by {other} in {city}. "
            f"{person} was born in {_CITIES[(i + 2) % len(_CITIES)]} in {1900 + i}."
        )
        out.append({"title": title, "text": text})
    return out


def snapshot(db: Path) -> dict[str, Any]:
    """Stats plus every id and edge of the database, for comparing two databases exactly."""
    with KuzuGraphStore(db, read_only=True) as store:

        def rows(q: str) -> set[tuple]:
            return {tuple(r) for r in store.run_user_query(q).rows}

        return {
            "stats": store.stats(top_predicates=1000),
            "documents": rows("MATCH (d:Document) RETURN d.id, d.hash, d.n_chunks"),
            "chunks": rows("MATCH (c:Chunk) RETURN c.id, c.doc_id"),
            "entities": rows("MATCH (e:Entity) RETURN e.id, e.name, e.type"),
            "aliases": rows("MATCH (e:Entity) RETURN e.id, list_to_string('|', e.aliases)"),
            "has_chunk": rows("MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk) RETURN d.id, c.id"),
            "mentions": rows("MATCH (c:Chunk)-[m:MENTIONS]->(e:Entity) RETURN c.id, e.id, m.start_char"),
            "relations": rows(
                "MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a.id, b.id, r.predicate, r.chunk_id, r.doc_id"
            ),
        }


class SlowAnalyzer:
    """A picklable analyzer that takes ``seconds`` per batch and finds nothing (for the worker process tests)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def analyse(self, texts: list[str]) -> list[None]:
        import time

        time.sleep(self.seconds)
        return [None] * len(texts)
