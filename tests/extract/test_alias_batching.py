"""An entity's aliases do not depend on how documents were batched: names a later batch finds for a stored entity
join its aliases (they were dropped once the entity was stored)."""

from __future__ import annotations

import json
from pathlib import Path

from extract.helpers import snapshot
from graphrag.config import IngestConfig
from graphrag.embed import HashingEmbedder
from graphrag.extract.ingest import ingest
from graphrag.store import KuzuGraphStore

RECORDS = [
    {"title": "Early life", "text": "Sherlock Holmes was born in London. Sherlock Holmes studied chemistry."},
    {"title": "Later life", "text": "Sherlock Holmes moved to Sussex. Holmes kept bees there for many years."},
    {"title": "Friends", "text": "John Watson met Sherlock Holmes in 1881. Watson wrote down their cases."},
]


def aliases_of(db: Path, name: str) -> list[str]:
    with KuzuGraphStore(db, read_only=True) as store:
        rows = store.execute("MATCH (e:Entity) WHERE e.name = $n RETURN e.aliases AS a", {"n": name}).to_pylist()
    return rows[0]["a"] if rows else []


def test_aliases_found_in_later_batches_are_kept(tmp_path: Path, spacy_analyzer) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in RECORDS), encoding="utf-8")
    dbs = {}
    for batch in (1, 3):
        dbs[batch] = tmp_path / f"b{batch}.kuzu"
        ingest([str(corpus)], db=dbs[batch], config=IngestConfig(docs_per_batch=batch, batch_kb=0),
               embedder=HashingEmbedder(), analyzer=spacy_analyzer, separate_process=False)  # fmt: skip
    assert "Holmes" in aliases_of(dbs[1], "Sherlock Holmes")  # from the second batch, onto the first's entity
    assert "Watson" in aliases_of(dbs[1], "John Watson")
    assert snapshot(dbs[1]) == snapshot(dbs[3])
    # an incremental ingest of a new document adds its names the same way
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"title": "Nickname", "text": "John Watson was called Doc. John was a doctor."}))
    ingest([str(more)], db=dbs[3], config=IngestConfig(), embedder=HashingEmbedder(), analyzer=spacy_analyzer,
           separate_process=False)  # fmt: skip
    assert set(aliases_of(dbs[3], "John Watson")) >= {"Watson"}
    assert aliases_of(dbs[3], "John Watson") == sorted(set(aliases_of(dbs[3], "John Watson")))
