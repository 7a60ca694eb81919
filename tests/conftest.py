"""Shared test fixtures. Add fixtures here; keep each small and built in the test (no /work/shared reads)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import pyarrow as pa
import pytest
from lovelace_graph import build_tiny_db

from graphrag.ids import chunk_id, content_hash, document_id, entity_id


def add_text_document(
    store,
    title: str,
    text: str,
    *,
    entities: Sequence[tuple[str, str]] = (),
    triples: Sequence[tuple[str, str, str]] = (),
    embedding: Sequence[float] | None = None,
) -> str:
    """Store one text document the way ingest would: a Document, one Chunk, mentioned Entities, and triples.

    ``entities`` are ``(name, type)`` pairs mentioned by the chunk (created unless they exist); ``triples``
    are ``(subject, predicate, object)`` names among them, with the chunk as provenance. Returns the doc id.
    """
    source = f"/corpus/{title}.txt"
    doc = document_id(source)
    chunk = chunk_id(doc, 0, text)
    dim = store.embedding_dim
    vec_type = pa.list_(pa.float32(), dim)
    store.bulk_load(
        "Document",
        pa.table(
            {
                "id": [doc],
                "source": [source],
                "title": [title],
                "hash": [content_hash(title, text)],
                "acl": [""],
                "kind": ["text"],
                "n_chunks": pa.array([1], pa.int64()),
            }
        ),
    )
    store.bulk_load(
        "Chunk",
        pa.table(
            {
                "id": [chunk],
                "doc_id": [doc],
                "text": [text],
                "position": pa.array([0], pa.int64()),
                "start_char": pa.array([0], pa.int64()),
                "end_char": pa.array([len(text)], pa.int64()),
                "n_tokens": pa.array([len(text.split())], pa.int64()),
                "embedding": pa.nulls(1, vec_type),
            }
        ),
    )
    store.bulk_load("HAS_CHUNK", pa.table({"from": [doc], "to": [chunk]}))
    ids = {name: entity_id(name) for name, _ in entities}
    existing = store.existing_ids("Entity", list(ids.values()))
    new = [(n, t) for n, t in entities if ids[n] not in existing]
    if new:
        emb = (
            pa.nulls(len(new), vec_type)
            if embedding is None
            else pa.array([list(embedding)] * len(new), vec_type)
        )
        store.bulk_load(
            "Entity",
            pa.table(
                {
                    "id": [ids[n] for n, _ in new],
                    "name": [n for n, _ in new],
                    "type": [t for _, t in new],
                    "aliases": pa.array([[] for _ in new], pa.list_(pa.string())),
                    "embedding": emb,
                }
            ),
        )
    if entities:
        store.bulk_load(
            "MENTIONS",
            pa.table(
                {
                    "from": [chunk] * len(ids),
                    "to": list(ids.values()),
                    "doc_id": [doc] * len(ids),
                    "text": list(ids),
                    "label": [t for _, t in entities],
                    "start_char": pa.array([0] * len(ids), pa.int64()),
                    "end_char": pa.array([0] * len(ids), pa.int64()),
                }
            ),
        )
    if triples:
        store.bulk_load(
            "RELATION",
            pa.table(
                {
                    "from": [ids[s] for s, _, _ in triples],
                    "to": [ids[o] for _, _, o in triples],
                    "predicate": [p for _, p, _ in triples],
                    "chunk_id": [chunk] * len(triples),
                    "doc_id": [doc] * len(triples),
                    "source": [source] * len(triples),
                    "confidence": pa.array([0.9] * len(triples), pa.float64()),
                    "start_char": pa.array([-1] * len(triples), pa.int64()),
                    "end_char": pa.array([-1] * len(triples), pa.int64()),
                }
            ),
        )
    return doc


@pytest.fixture(scope="session")
def text_doc() -> Callable[..., str]:
    """:func:`add_text_document`: store a small text document with entities and triples in a test store."""
    return add_text_document


@pytest.fixture(scope="session")
def spacy_analyzer():
    """One loaded :class:`graphrag.extract.analysis.SpacyAnalyzer` (the real small English model) per session."""
    from graphrag.extract.analysis import SpacyAnalyzer

    analyzer = SpacyAnalyzer()
    analyzer.nlp  # load once here, not inside the first test  # noqa: B018
    return analyzer


@pytest.fixture(scope="session")
def minilm_embedder():
    """The MiniLM embedder of the ingest pipeline (bfloat16 where the CPU has it), loaded once."""
    from graphrag.errors import ModelUnavailableError
    from graphrag.extract.embedding import make_ingest_embedder

    embedder = make_ingest_embedder("minilm")
    try:
        embedder.embed(["load the model once"])
    except ModelUnavailableError as exc:
        pytest.skip(str(exc))
    return embedder


# -- a tiny text graph for retrieval and answering tests (issue 3) ------------------------------------------------
TINY_PASSAGES = {
    "Our Emden": "Our Emden is a 1926 German silent war film. It was directed by Louis Ralph and stars Werner "
    "Fuetterer. The story follows the cruiser Emden in the Indian Ocean.",
    "Louis Ralph": "Louis Ralph was an Austrian actor and film director. He was born in Graz.",
    "Werner Fuetterer": "Werner Fuetterer was a German actor of the silent era, born in Barmen.",
    "Graz": "Graz is the capital of Styria, a state of Austria.",
    "Lothair II": "Lothair II was a king of Lotharingia. His mother was Ermengarde of Tours.",
    "Ermengarde of Tours": "Ermengarde of Tours was a Frankish queen who died on 20 March 851.",
    "Teutberga": "Teutberga was a queen of Lotharingia by marriage to Lothair II.",
    "Apple pie": "An apple pie is a pie with a filling of apples, baked in an oven.",
}
TINY_MENTIONS = {
    "Our Emden": ["Our Emden", "Louis Ralph", "Werner Fuetterer", "Emden", "Indian Ocean"],
    "Louis Ralph": ["Louis Ralph", "Graz"],
    "Werner Fuetterer": ["Werner Fuetterer", "Barmen"],
    "Graz": ["Graz", "Styria", "Austria"],
    "Lothair II": ["Lothair II", "Lotharingia", "Ermengarde of Tours"],
    "Ermengarde of Tours": ["Ermengarde of Tours"],
    "Teutberga": ["Teutberga", "Lotharingia", "Lothair II"],
    "Apple pie": [],
}
TINY_TRIPLES = {
    "Our Emden": [("Our Emden", "directed by", "Louis Ralph")],
    "Lothair II": [("Lothair II", "mother", "Ermengarde of Tours")],
}


def build_tiny_graph(path) -> None:  # noqa: ANN001 - a path
    """A Kuzu store at ``path`` with the :data:`TINY_PASSAGES` corpus, entities, mentions and triples, embedded
    with the 384-d hashing embedder (recorded in the store's meta, as ingest does)."""
    from graphrag.embed import HashingEmbedder
    from graphrag.store import KuzuGraphStore

    emb = HashingEmbedder(384)
    vec = pa.list_(pa.float32(), 384)
    with KuzuGraphStore(path) as store:
        store.set_meta("embedder", emb.name)
        names = sorted({n for ms in TINY_MENTIONS.values() for n in ms})
        ents = {n: entity_id(n) for n in names}
        store.bulk_load("Entity", pa.table({
            "id": [ents[n] for n in names], "name": names, "type": [""] * len(names),
            "aliases": pa.array([[] for _ in names], pa.list_(pa.string())),
            "embedding": pa.array(list(emb.embed(names)), vec),
        }))
        for title, text in TINY_PASSAGES.items():
            source = f"/corpus/tiny.jsonl#{title}"
            doc = document_id(source)
            chunk = chunk_id(doc, 0, text)
            store.bulk_load("Document", pa.table({
                "id": [doc], "source": [source], "title": [title], "hash": [content_hash(title, text)],
                "acl": [""], "kind": ["record"], "n_chunks": pa.array([1], pa.int64()),
            }))
            store.bulk_load("Chunk", pa.table({
                "id": [chunk], "doc_id": [doc], "text": [text], "position": pa.array([0], pa.int64()),
                "start_char": pa.array([0], pa.int64()), "end_char": pa.array([len(text)], pa.int64()),
                "n_tokens": pa.array([len(text.split())], pa.int64()),
                "embedding": pa.array(list(emb.embed([f"{title}\n{text}"])), vec),
            }))
            store.bulk_load("HAS_CHUNK", pa.table({"from": [doc], "to": [chunk]}))
            ms = TINY_MENTIONS[title]
            if ms:
                store.bulk_load("MENTIONS", pa.table({
                    "from": [chunk] * len(ms), "to": [ents[m] for m in ms], "doc_id": [doc] * len(ms),
                    "text": ms, "label": [""] * len(ms), "start_char": pa.array([0] * len(ms), pa.int64()),
                    "end_char": pa.array([0] * len(ms), pa.int64()),
                }))
            ts = TINY_TRIPLES.get(title, [])
            if ts:
                store.bulk_load("RELATION", pa.table({
                    "from": [ents[s] for s, _, _ in ts], "to": [ents[o] for _, _, o in ts],
                    "predicate": [p for _, p, _ in ts], "chunk_id": [chunk] * len(ts), "doc_id": [doc] * len(ts),
                    "source": [source] * len(ts), "confidence": pa.array([0.9] * len(ts), pa.float64()),
                    "start_char": pa.array([-1] * len(ts), pa.int64()),
                    "end_char": pa.array([-1] * len(ts), pa.int64()),
                }))


@pytest.fixture(scope="session")
def tiny_graph_db(tmp_path_factory):
    """Path of a session-wide tiny text graph (see :func:`build_tiny_graph`); open it read-only in tests."""
    path = tmp_path_factory.mktemp("tiny_graph") / "tiny.kuzu"
    build_tiny_graph(path)
    return path


# -- the toy movie KG as a text store and as an imported KG, with a trained GNN (GNN-RAG in the hybrid) --------
def _toy_film_passages(triples: Sequence[tuple[str, str, str]]) -> dict[str, str]:
    facts: dict[str, dict[str, list[str]]] = {}
    for h, r, t in triples:
        facts.setdefault(h, {}).setdefault(r, []).append(t)
    return {
        film: f"{film} is a {f['has_genre'][0]} film released in {f['release_year'][0]}. It was directed by "
        f"{f['directed_by'][0]} and stars {' and '.join(f['starred_actors'])}."
        for film, f in facts.items()
    }


def build_toy_gnn_stores(root) -> dict:  # noqa: ANN001 - a path
    """Two stores over the toy movie KG of :mod:`gnnrag.toy_kg` and one GNN trained on its 1- and 2-hop
    questions (hashing embedder, seconds): ``text`` holds one passage per film, every relation citing its
    passage and every passage mentioning its entities (a KG extracted from text); ``imported`` holds the same
    triples imported from a MetaQA-format file (no passages). Both name the checkpoint in their meta, as
    ``graphrag train-gnn`` does. Returns the paths and the toy data."""
    from pathlib import Path

    from gnnrag.toy_kg import make_toy_kgqa

    from graphrag.embed import HashingEmbedder
    from graphrag.gnnrag.checkpoint import RetrieverSettings
    from graphrag.gnnrag.component import META_CHECKPOINT
    from graphrag.gnnrag.jobs import train_job
    from graphrag.gnnrag.train import TrainConfig
    from graphrag.importers import TripleImporter
    from graphrag.store import KuzuGraphStore

    root = Path(root)
    toy = make_toy_kgqa(n_movies=30, n_people=24, seed=3)
    emb = HashingEmbedder(384)
    vec = pa.list_(pa.float32(), 384)
    passages = _toy_film_passages(toy.triples)
    films, texts = list(passages), list(passages.values())
    docs = {f: document_id(f"/corpus/films/{f}.txt") for f in films}
    chunks = {f: chunk_id(docs[f], 0, passages[f]) for f in films}
    names = sorted({n for h, _, t in toy.triples for n in (h, t)})
    ments = sorted({(h, n) for h, _, t in toy.triples for n in (h, t)})
    tr = toy.triples
    n = len(films)
    text_db = root / "text.kuzu"
    with KuzuGraphStore(text_db) as store:
        store.set_meta("embedder", emb.name)
        store.bulk_load("Entity", pa.table({
            "id": [entity_id(x) for x in names], "name": names, "type": [""] * len(names),
            "aliases": pa.array([[] for _ in names], pa.list_(pa.string())),
            "embedding": pa.array(list(emb.embed(names)), vec),
        }))
        store.bulk_load("Document", pa.table({
            "id": [docs[f] for f in films], "source": [f"/corpus/films/{f}.txt" for f in films], "title": films,
            "hash": [content_hash(f, passages[f]) for f in films], "acl": [""] * n, "kind": ["text"] * n,
            "n_chunks": pa.array([1] * n, pa.int64()),
        }))
        store.bulk_load("Chunk", pa.table({
            "id": [chunks[f] for f in films], "doc_id": [docs[f] for f in films], "text": texts,
            "position": pa.array([0] * n, pa.int64()), "start_char": pa.array([0] * n, pa.int64()),
            "end_char": pa.array([len(t) for t in texts], pa.int64()),
            "n_tokens": pa.array([len(t.split()) for t in texts], pa.int64()),
            "embedding": pa.array(list(emb.embed([f"{f}\n{t}" for f, t in passages.items()])), vec),
        }))
        store.bulk_load("HAS_CHUNK", pa.table({"from": [docs[f] for f in films], "to": [chunks[f] for f in films]}))
        store.bulk_load("MENTIONS", pa.table({
            "from": [chunks[f] for f, _ in ments], "to": [entity_id(x) for _, x in ments],
            "doc_id": [docs[f] for f, _ in ments], "text": [x for _, x in ments], "label": [""] * len(ments),
            "start_char": pa.array([0] * len(ments), pa.int64()), "end_char": pa.array([0] * len(ments), pa.int64()),
        }))
        store.bulk_load("RELATION", pa.table({
            "from": [entity_id(h) for h, _, _ in tr], "to": [entity_id(t) for _, _, t in tr],
            "predicate": [r for _, r, _ in tr], "chunk_id": [chunks[h] for h, _, _ in tr],
            "doc_id": [docs[h] for h, _, _ in tr], "source": [f"/corpus/films/{h}.txt" for h, _, _ in tr],
            "confidence": pa.array([0.9] * len(tr), pa.float64()),
            "start_char": pa.array([-1] * len(tr), pa.int64()),
            "end_char": pa.array([-1] * len(tr), pa.int64()),
        }))  # fmt: skip
    questions = root / "questions.txt"
    questions.write_text(toy.questions_text(1) + toy.questions_text(2), encoding="utf-8")
    ckpt = root / "toy-gnn.pt"
    train_job(
        db=text_db, questions=[questions], out=ckpt, hops=2, hidden_channels=32, embedder=emb,
        train=TrainConfig(epochs=8, batch_size=8, lr=1e-2, patience=8, seed=0),
        settings=RetrieverSettings(embedder="hashing"), progress=False,
    )  # fmt: skip
    kb = root / "kb.txt"
    kb.write_text(toy.kb_text(), encoding="utf-8")
    imported_db = root / "imported.kuzu"
    with KuzuGraphStore(imported_db) as store:
        TripleImporter(store).import_file(kb)
        store.set_meta("embedder", emb.name)
        store.set_meta(META_CHECKPOINT, str(ckpt.resolve()))
    return {"text": text_db, "imported": imported_db, "checkpoint": ckpt, "toy": toy, "passages": passages}


@pytest.fixture(scope="session")
def toy_gnn_stores(tmp_path_factory):
    """The stores and checkpoint of :func:`build_toy_gnn_stores`, built once; open the stores read-only."""
    return build_toy_gnn_stores(tmp_path_factory.mktemp("toy_gnn"))


# -- the tiny "Ada Lovelace" graph (tests/lovelace_graph.py), shared by the explorer, API and app tests ------
@pytest.fixture(scope="session")
def tiny_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny database built once per test session; copy it before writing."""
    return build_tiny_db(tmp_path_factory.mktemp("tiny") / "graph.kuzu")


@pytest.fixture
def tiny_db(tiny_db_template: Path, tmp_path: Path) -> Path:
    """A private copy of the tiny database in this test's tmp_path."""
    import shutil

    dest = tmp_path / "graph.kuzu"
    if tiny_db_template.is_dir():
        shutil.copytree(tiny_db_template, dest)
    else:
        shutil.copy2(tiny_db_template, dest)
    return dest

