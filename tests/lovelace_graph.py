"""The tiny "Ada Lovelace" graph: three documents, one chunk each, five entities and six relations, written with
``bulk_load`` and the hashing embedder (no model). Used by the explorer, API and app tests."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa

from graphrag.embed import HashingEmbedder
from graphrag.ids import chunk_id, document_id, entity_id
from graphrag.store import KuzuGraphStore

DOCS = {
    "Ada Lovelace": "Ada Lovelace was an English mathematician born in London. "
    "She worked with Charles Babbage and wrote the first program for the Analytical Engine.",
    "Charles Babbage": "Charles Babbage was born in London. "
    "Babbage designed the Analytical Engine, a mechanical general-purpose computer.",
    "Alan Turing": "Alan Turing cited Ada Lovelace in his 1950 paper on machine intelligence.",
}
ENTITIES = {  # name -> (type, aliases, documents that mention it)
    "Ada Lovelace": ("PERSON", ["Lovelace", "Augusta Ada King"], ["Ada Lovelace", "Alan Turing"]),
    "Charles Babbage": ("PERSON", ["Babbage"], ["Ada Lovelace", "Charles Babbage"]),
    "Analytical Engine": ("PRODUCT", [], ["Ada Lovelace", "Charles Babbage"]),
    "London": ("GPE", [], ["Ada Lovelace", "Charles Babbage"]),
    "Alan Turing": ("PERSON", ["Turing"], ["Alan Turing"]),
}
RELATIONS = [  # subject, predicate, object, document
    ("Ada Lovelace", "born in", "London", "Ada Lovelace"),
    ("Ada Lovelace", "worked with", "Charles Babbage", "Ada Lovelace"),
    ("Ada Lovelace", "wrote program for", "Analytical Engine", "Ada Lovelace"),
    ("Charles Babbage", "born in", "London", "Charles Babbage"),
    ("Charles Babbage", "designed", "Analytical Engine", "Charles Babbage"),
    ("Alan Turing", "cited", "Ada Lovelace", "Alan Turing"),
]


def build_tiny_db(path: Path) -> Path:
    """Three documents, one chunk each, five entities and six relations, loaded with ``bulk_load``."""
    emb = HashingEmbedder(384)
    vec = pa.list_(pa.float32(), 384)
    doc_ids = {t: document_id(f"tiny/{t}.txt") for t in DOCS}
    chunk_ids = {t: chunk_id(doc_ids[t], 0, text) for t, text in DOCS.items()}
    ent_ids = {n: entity_id(n) for n in ENTITIES}
    with KuzuGraphStore(path) as store:  # each COPY commits by itself
        store.set_meta("embedder", emb.name)
        store.bulk_load(
            "Document",
            pa.table(
                {
                    "id": list(doc_ids.values()),
                    "source": [f"tiny/{t}.txt" for t in DOCS],
                    "title": list(DOCS),
                    "hash": [f"h{i}" for i in range(len(DOCS))],
                    "acl": [""] * len(DOCS),
                    "kind": ["text"] * len(DOCS),
                    "n_chunks": [1] * len(DOCS),
                }
            ),
        )
        texts = list(DOCS.values())
        store.bulk_load(
            "Chunk",
            pa.table(
                {
                    "id": list(chunk_ids.values()),
                    "doc_id": list(doc_ids.values()),
                    "text": texts,
                    "position": [0] * len(texts),
                    "start_char": [0] * len(texts),
                    "end_char": [len(t) for t in texts],
                    "n_tokens": [len(t.split()) for t in texts],
                    "embedding": pa.array(emb.embed(texts).tolist(), type=vec),
                }
            ),
        )
        names = list(ENTITIES)
        store.bulk_load(
            "Entity",
            pa.table(
                {
                    "id": [ent_ids[n] for n in names],
                    "name": names,
                    "type": [ENTITIES[n][0] for n in names],
                    "aliases": pa.array([ENTITIES[n][1] for n in names], type=pa.list_(pa.string())),
                    "embedding": pa.array(emb.embed(names).tolist(), type=vec),
                }
            ),
        )
        store.bulk_load(
            "HAS_CHUNK", pa.table({"from": list(doc_ids.values()), "to": list(chunk_ids.values())})
        )
        ments = [(n, d) for n, (_, _, ds) in ENTITIES.items() for d in ds]
        store.bulk_load(
            "MENTIONS",
            pa.table(
                {
                    "from": [chunk_ids[d] for _, d in ments],
                    "to": [ent_ids[n] for n, _ in ments],
                    "doc_id": [doc_ids[d] for _, d in ments],
                    "text": [n.split()[-1] for n, _ in ments],
                    "label": [ENTITIES[n][0] for n, _ in ments],
                    "start_char": [0] * len(ments),
                    "end_char": [1] * len(ments),
                }
            ),
        )
        store.bulk_load(
            "RELATION",
            pa.table(
                {
                    "from": [ent_ids[s] for s, _, _, _ in RELATIONS],
                    "to": [ent_ids[o] for _, _, o, _ in RELATIONS],
                    "predicate": [p for _, p, _, _ in RELATIONS],
                    "chunk_id": [chunk_ids[d] for *_, d in RELATIONS],
                    "doc_id": [doc_ids[d] for *_, d in RELATIONS],
                    "source": [""] * len(RELATIONS),
                    "confidence": [0.9] * len(RELATIONS),
                    "start_char": [-1] * len(RELATIONS),
                    "end_char": [-1] * len(RELATIONS),
                }
            ),
        )
    return path
