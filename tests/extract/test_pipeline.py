"""The ingest pipeline end to end: a real Kuzu database, the real spaCy model and the hashing embedder."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from extract.helpers import RECORDS, snapshot, synthetic_records, write_corpus
from graphrag.config import IngestConfig
from graphrag.embed import HashingEmbedder
from graphrag.errors import ConfigError, StoreError
from graphrag.extract.embedding import LazyEmbedder
from graphrag.extract.ingest import ingest
from graphrag.ids import document_id, entity_id
from graphrag.store import KuzuGraphStore


def run(paths, db: Path, analyzer, *, batch: int = 2, embedder=None, separate_process: bool = False, **kw):
    return ingest(
        [str(p) for p in paths],
        db=db,
        config=IngestConfig(docs_per_batch=batch, batch_kb=0),
        embedder=embedder or HashingEmbedder(),
        analyzer=analyzer,
        separate_process=separate_process,
        **kw,
    )


def test_ingest_builds_a_graph_with_provenance(tmp_path: Path, spacy_analyzer) -> None:
    files = write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    report = run([tmp_path / "in"], db, spacy_analyzer)
    assert (report.files, report.files_skipped, report.documents_new) == (3, 0, 5)
    assert report.batches == 3 and report.triples > 0 and report.mentions > report.triples / 2
    with KuzuGraphStore(db, read_only=True) as store:
        stats = store.stats()
        assert stats["nodes"] == {"Document": 5, "Chunk": report.chunks, "Entity": report.entities}
        assert stats["relationships"] == {
            "HAS_CHUNK": report.chunks,
            "MENTIONS": report.mentions,
            "ABOUT": report.about,
            "RELATION": report.triples,
        }
        assert report.about >= report.chunks  # every chunk of these documents is about something
        q = store.run_user_query
        docs = q("MATCH (d:Document) RETURN d.kind, d.title, d.n_chunks, d.source").rows
        assert {r[0] for r in docs} == {"text"}
        assert {r[1] for r in docs} == {
            "holmes",
            "Ada Lovelace",
            "Teutberga",
            "Lothair II",
            "Ermengarde of Tours",
        }
        assert f"{files['kings'].resolve()}#Teutberga" in {r[3] for r in docs}
        # every triple cites a chunk of the document it names, and that document exists
        rels = q(
            "MATCH (:Entity)-[r:RELATION]->(:Entity) OPTIONAL MATCH (c:Chunk) WHERE c.id = r.chunk_id "
            "OPTIONAL MATCH (d:Document)-[:HAS_CHUNK]->(c) RETURN r.chunk_id, r.doc_id, c.doc_id, d.id"
        ).rows
        assert rels and all(r[0] and r[1] and r[1] == r[2] == r[3] for r in rels)
        # every chunk hangs off its document; n_chunks agrees
        assert q(
            "MATCH (c:Chunk) WHERE NOT EXISTS { MATCH (d:Document)-[:HAS_CHUNK]->(c) WHERE d.id = c.doc_id } "
            "RETURN count(*)"
        ).rows == ((0,),)
        assert sum(r[2] for r in docs) == report.chunks
        # mention offsets point into their chunk's text
        for text, mtext, s, e in q(
            "MATCH (c:Chunk)-[m:MENTIONS]->(:Entity) RETURN c.text, m.text, m.start_char, m.end_char"
        ).rows:
            assert text[s:e] == mtext
        # "Holmes" is the same entity as "Sherlock Holmes"; London (in two files) is one entity
        holmes = q(
            "MATCH (c:Chunk)-[m:MENTIONS]->(e:Entity) WHERE m.text = 'Holmes' RETURN DISTINCT e.id, e.name, e.aliases"
        ).rows
        assert holmes == ((entity_id("Sherlock Holmes"), "Sherlock Holmes", ["Holmes"]),)
        assert q("MATCH (e:Entity) WHERE e.name = 'Holmes' RETURN count(*)").rows == ((0,),)
        london = q(
            "MATCH (d:Document)-[:HAS_CHUNK]->(:Chunk)-[:MENTIONS]->(e:Entity {name: 'London'}) "
            "RETURN count(DISTINCT e), count(DISTINCT d)"
        ).rows
        assert london == ((1, 2),)
        # embeddings: unit chunk vectors, and a vector for every entity
        vecs = np.array(q("MATCH (c:Chunk) RETURN c.embedding").records()[0]["c.embedding"], dtype=np.float32)
        assert abs(float(np.linalg.norm(vecs)) - 1.0) < 1e-4
        assert q("MATCH (e:Entity) WHERE e.embedding IS NULL RETURN count(*)").rows == ((0,),)
        assert store.meta()["embedder"] == HashingEmbedder().name


def test_reingesting_the_same_files_adds_nothing_and_loads_no_model(tmp_path: Path, spacy_analyzer) -> None:
    write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    run([tmp_path / "in"], db, spacy_analyzer)
    before = snapshot(db)

    def explode():
        raise AssertionError("nothing changed, so the embedder must not be built")

    lazy = LazyEmbedder(explode, name=HashingEmbedder().name, dim=384)
    report = run([tmp_path / "in"], db, spacy_analyzer, embedder=lazy)
    assert (report.documents_unchanged, report.documents_new, report.batches, report.chunks) == (5, 0, 0, 0)
    assert not lazy.loaded
    assert snapshot(db) == before


def test_changed_and_removed_documents_replace_only_their_own_rows(tmp_path: Path, spacy_analyzer) -> None:
    files = write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    run([tmp_path / "in"], db, spacy_analyzer)
    before = snapshot(db)
    files["holmes"].write_text("Sherlock Holmes is a detective. Holmes plays the violin in London.")
    records = [dict(RECORDS[0], text=RECORDS[0]["text"] + " She was buried in Metz."), RECORDS[1]]  # one gone
    files["kings"].write_text("\n".join(json.dumps(r) for r in records))
    report = run([tmp_path / "in"], db, spacy_analyzer)
    assert (report.documents_changed, report.documents_removed, report.documents_unchanged) == (2, 1, 2)
    after = snapshot(db)
    gone = {d for d, *_ in before["documents"]} - {d for d, *_ in after["documents"]}
    assert gone == {document_id(f"{files['kings'].resolve()}#Ermengarde of Tours")}
    # the untouched documents keep exactly their chunks, mentions and triples
    keep = {document_id(str(files["ada"].resolve())), document_id(f"{files['kings'].resolve()}#Lothair II")}
    kept_chunks = {c for c, d in before["chunks"] if d in keep}
    assert kept_chunks == {c for c, d in after["chunks"] if d in keep}
    assert {r for r in before["relations"] if r[4] in keep} == {r for r in after["relations"] if r[4] in keep}
    assert {m for m in before["mentions"] if m[0] in kept_chunks} == {
        m for m in after["mentions"] if m[0] in kept_chunks
    }
    # the changed ones have new chunks; the removed one's chunks and triples are gone
    holmes = document_id(str(files["holmes"].resolve()))
    assert {c for c, d in before["chunks"] if d == holmes}.isdisjoint({c for c, d in after["chunks"]})
    assert not any(d in gone for _, d in after["chunks"]) and not any(r[4] in gone for r in after["relations"])
    # an entity only the removed record supported is gone; one it shared with a kept record stays
    names_before = {n for _, n, _ in before["entities"]}
    names_after = {n for _, n, _ in after["entities"]}
    assert "851" in names_before and "851" not in names_after
    assert "Ermengarde of Tours" in names_before and "Ermengarde of Tours" not in names_after
    assert "Tours" in names_after and "Metz" in names_after
    # the result equals a clean ingest of the final files, up to entity types: a shared entity keeps the type
    # that the document which first introduced it gave it ("Tours" stays GPE after that record went)
    clean = tmp_path / "clean.kuzu"
    run([tmp_path / "in"], clean, spacy_analyzer)
    expected = snapshot(clean)
    for snap in (expected, after):
        snap["stats"].pop("entity_types")
        snap["entities"] = {(i, n) for i, n, _ in snap["entities"]}
    assert expected == after


def test_batch_and_slice_sizes_do_not_change_the_graph(tmp_path: Path, spacy_analyzer) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in synthetic_records(12)))
    run([corpus], tmp_path / "one.kuzu", spacy_analyzer, batch=1)
    run([corpus], tmp_path / "all.kuzu", spacy_analyzer, batch=50)
    a, b = snapshot(tmp_path / "one.kuzu"), snapshot(tmp_path / "all.kuzu")
    assert a == b
    # files read three documents at a time, or one (slice_mb=0: every document is over the slice size): same graph
    for cfg, batches in (
        (IngestConfig(docs_per_batch=2, slice_docs=3, batch_kb=0), {8}),  # three documents a slice, two a batch
        (IngestConfig(docs_per_batch=50, slice_mb=0), {12}),
        (IngestConfig(docs_per_batch=1, batch_kb=1), set(range(1, 12))),  # batches grow to hold 1 KB of text
    ):
        db = tmp_path / f"slices-{cfg.slice_mb}-{cfg.batch_kb}.kuzu"
        report = ingest([str(corpus)], db=db, config=cfg, embedder=HashingEmbedder(), analyzer=spacy_analyzer,
                        separate_process=False)  # fmt: skip
        assert report.documents_new == 12 and report.batches in batches
        assert snapshot(db) == a
    # shared people and cities are single entities across documents
    names = [n for _, n, _ in a["entities"]]
    assert names.count("Vienna") == 1 and names.count("Anna Berg") == 1


def test_bad_files_are_skipped_and_the_rest_is_loaded(tmp_path: Path, spacy_analyzer) -> None:
    write_corpus(tmp_path / "in")
    (tmp_path / "in" / "empty.txt").write_text("")
    (tmp_path / "in" / "broken.jsonl").write_text('{"title": "x", "text": "fine"}\n{"title": "y"}\n')
    report = run([tmp_path / "in", tmp_path / "missing.txt"], tmp_path / "g.kuzu", spacy_analyzer)
    # the bad record is skipped alone: the good record of the same file ("x") is ingested
    assert report.files_skipped == 2 and report.records_skipped == 1 and report.documents_new == 6
    joined = "\n".join(report.errors)
    assert "broken.jsonl:2: record lacks 'text'" in joined
    assert "empty.txt: file is empty" in joined and "missing.txt: no such file" in joined


def test_bad_records_are_skipped_one_by_one_and_never_remove_what_is_stored(tmp_path: Path, spacy_analyzer) -> None:
    corpus = tmp_path / "c.jsonl"
    good = [{"title": t, "text": f"{t} was born in Vienna."} for t in ("Anna Berg", "Carl Holm", "Dora Lind")]
    corpus.write_text("\n".join(json.dumps(r) for r in good) + "\n")
    db = tmp_path / "g.kuzu"
    assert run([corpus], db, spacy_analyzer).documents_new == 3
    # Carl Holm's line is damaged, Dora Lind's is not UTF-8; a new record is added
    raw = (json.dumps(good[0]) + '\n{"title": "Carl Holm", "text": \n').encode()
    raw += b'{"title": "Dora Lind", "text": "\xff"}\n'
    raw += (json.dumps({"title": "Eva Ek", "text": "Eva Ek was born in Oslo."}) + "\n").encode()
    corpus.write_bytes(raw)
    report = run([corpus], db, spacy_analyzer)
    assert report.records_skipped == 2 and report.files_skipped == 0
    assert report.documents_new == 1 and report.documents_unchanged == 1 and report.documents_removed == 0
    assert any(e.startswith(f"{corpus}:2: malformed JSON line") for e in report.errors)
    assert any(e.startswith(f"{corpus}:3: invalid UTF-8") for e in report.errors)
    with KuzuGraphStore(db, read_only=True) as store:  # the skipped records' stored versions are kept
        titles = {r[0] for r in store.run_user_query("MATCH (d:Document) RETURN d.title", {}).rows}
    assert titles == {"Anna Berg", "Carl Holm", "Dora Lind", "Eva Ek"}
    # --strict: the file is skipped whole, nothing changes
    strict = ingest([str(corpus)], db=db, config=IngestConfig(strict=True), embedder=HashingEmbedder(),
                    analyzer=spacy_analyzer, separate_process=False)  # fmt: skip
    assert strict.files_skipped == 1 and strict.documents_new == 0 and strict.documents_removed == 0
    assert strict.errors[0].startswith(f"{corpus}:2: malformed JSON line") and "also bad: line 3" in strict.errors[0]


def test_a_failed_batch_leaves_no_trace_and_a_rerun_completes(tmp_path: Path, spacy_analyzer, monkeypatch) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in synthetic_records(9)))
    db = tmp_path / "g.kuzu"
    calls = {"n": 0}
    original = KuzuGraphStore.bulk_load

    def failing(self, table, data):
        if table == "Entity":  # the last node table: its batch's documents and chunks are already copied
            calls["n"] += 1
            if calls["n"] == 2:
                raise StoreError("disk full (simulated)")
        return original(self, table, data)

    monkeypatch.setattr(KuzuGraphStore, "bulk_load", failing)
    with pytest.raises(StoreError, match="simulated"):
        run([corpus], db, spacy_analyzer, batch=3)
    monkeypatch.setattr(KuzuGraphStore, "bulk_load", original)
    partial = snapshot(db)
    assert partial["stats"]["nodes"]["Document"] == 3  # the first batch only, whole
    assert {d for _, d in partial["chunks"]} == {d for d, *_ in partial["documents"]}
    assert partial["stats"]["relationships"]["HAS_CHUNK"] == 3
    report = run([corpus], db, spacy_analyzer, batch=3)
    assert (report.documents_unchanged, report.documents_new) == (3, 6)
    run([corpus], tmp_path / "clean.kuzu", spacy_analyzer, batch=3)
    assert snapshot(db) == snapshot(tmp_path / "clean.kuzu")


def test_an_inconsistent_batch_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    from graphrag.extract.records import ExtractedBatch, LinkedMention
    from graphrag.extract.write_batch import commit_batch
    from graphrag.types import Chunk, Document, Entity, Mention

    doc = Document("d1", "/x.txt", "x", "Ada", "h")
    chunk = Chunk("c1", "d1", "Ada", 0, 0, 3, 1)
    ada = Entity("e1", "Ada", "PERSON")
    bad = ExtractedBatch(
        (doc,),
        (chunk,),
        np.ones((1, 384), np.float32),
        (ada,),
        (LinkedMention(Mention("c1", "Ada", "PERSON", 0, 3), "e-missing", "d1"),),
        (),
    )
    with KuzuGraphStore(tmp_path / "g.kuzu") as store:
        with pytest.raises(StoreError, match="mention whose chunk or entity"):
            commit_batch(store, bad, entity_vectors=lambda es: np.ones((len(es), 384), np.float32))
        assert store.stats()["nodes"] == {"Document": 0, "Chunk": 0, "Entity": 0}
        good = ExtractedBatch((doc,), (chunk,), bad.chunk_vectors, (ada,), (), ())
        commit_batch(store, good, entity_vectors=lambda es: np.ones((len(es), 384), np.float32))
        with pytest.raises(StoreError, match="stored already"):  # the same document again, not as a replacement
            commit_batch(store, good, entity_vectors=lambda es: np.ones((len(es), 384), np.float32))
        assert store.stats()["nodes"] == {"Document": 1, "Chunk": 1, "Entity": 1}


def test_ctrl_c_waits_for_the_transaction_to_finish() -> None:
    import os
    import signal

    from graphrag.interrupts import interrupts_deferred

    done = []
    with pytest.raises(KeyboardInterrupt), interrupts_deferred():
        os.kill(os.getpid(), signal.SIGINT)
        done.append("the block ran to its end")
    assert done == ["the block ran to its end"]


def test_a_store_embedded_with_another_model_is_refused(tmp_path: Path, spacy_analyzer) -> None:
    write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    run([tmp_path / "in" / "ada.md"], db, spacy_analyzer)
    other = HashingEmbedder(384)
    other.name = "another-model"
    with pytest.raises(ConfigError, match="another-model"):
        run([tmp_path / "in" / "holmes.txt"], db, spacy_analyzer, embedder=other)


def test_analysis_in_a_worker_process_gives_the_same_graph(tmp_path: Path, spacy_analyzer) -> None:
    from graphrag.extract.analysis import SpacyAnalyzer

    write_corpus(tmp_path / "in")
    run([tmp_path / "in"], tmp_path / "inline.kuzu", spacy_analyzer)
    report = run([tmp_path / "in"], tmp_path / "worker.kuzu", SpacyAnalyzer(), separate_process=True)
    assert report.timings_s["analyse_worker"] > 0
    assert snapshot(tmp_path / "worker.kuzu") == snapshot(tmp_path / "inline.kuzu")


def test_minilm_chunk_embeddings_find_the_right_passage(tmp_path: Path, spacy_analyzer, minilm_embedder) -> None:
    write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    run([tmp_path / "in"], db, spacy_analyzer, embedder=minilm_embedder)
    with KuzuGraphStore(db, read_only=True) as store:
        rows = store.run_user_query("MATCH (d:Document)-[:HAS_CHUNK]->(c:Chunk) RETURN d.title, c.embedding").rows
        assert store.meta()["embedder"] == "all-MiniLM-L6-v2"
    titles = [r[0] for r in rows]
    mat = np.array([r[1] for r in rows], dtype=np.float32)
    q = minilm_embedder.embed(["Who created the detective Sherlock Holmes?", "Who was the mother of Lothair II?"])
    best = [titles[i] for i in np.argmax(q @ mat.T, axis=1)]
    assert best == ["holmes", "Lothair II"]


def test_fast_mode_stores_entities_without_name_embeddings(tmp_path: Path, spacy_analyzer) -> None:
    write_corpus(tmp_path / "in")
    db = tmp_path / "g.kuzu"
    report = ingest(
        [tmp_path / "in"],
        db=db,
        config=IngestConfig(fast=True),
        embedder=HashingEmbedder(),
        analyzer=spacy_analyzer,
        separate_process=False,
    )
    assert report.entities > 0 and "embed_entities" not in report.timings_s
    with KuzuGraphStore(db, read_only=True) as store:
        q = store.run_user_query
        assert q("MATCH (e:Entity) WHERE e.embedding IS NOT NULL RETURN count(*)").rows == ((0,),)
        assert q("MATCH (c:Chunk) WHERE c.embedding IS NULL RETURN count(*)").rows == ((0,),)
        # alias merging still works without embeddings
        assert q("MATCH (e:Entity) WHERE e.name = 'Holmes' RETURN count(*)").rows == ((0,),)


class SlowInWorkerAnalyzer:
    """Finds nothing; slow only inside a worker process, so the main process has reason to take work over."""

    def analyse(self, texts):
        import multiprocessing
        import time

        from graphrag.extract.records import ChunkAnalysis

        if multiprocessing.parent_process() is not None:
            time.sleep(1.5)
        return [ChunkAnalysis((), ()) for _ in texts]


def test_the_main_process_takes_over_queued_analysis_when_the_worker_is_behind(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("\n".join(json.dumps(r) for r in synthetic_records(4)))
    report = run([corpus], tmp_path / "g.kuzu", SlowInWorkerAnalyzer(), batch=1, separate_process=True)
    assert report.documents_new == 4 and report.batches == 4
    assert "analyse_main" in report.timings_s  # some batches were taken from the worker's queue ...
    assert 1.5 <= report.timings_s["analyse_worker"] < 4 * 1.5  # ... and the worker analysed the others
