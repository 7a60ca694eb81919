"""Ingest on Ray (graphrag.extract.ray_compute): one local 2-CPU cluster for the module, the real spaCy
model, the hashing embedder and a small corpus built here. The store must come out the same as a local ingest's,
also when a worker dies mid-run, and a run whose retries run out must leave only whole batches behind."""

from __future__ import annotations

import json
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from extract.helpers import snapshot, synthetic_records, write_corpus
from graphrag.config import IngestConfig, RayConfig
from graphrag.embed import HashingEmbedder
from graphrag.errors import ClusterError
from graphrag.extract.ingest import ingest
from graphrag.store import KuzuGraphStore

ray = pytest.importorskip("ray")
from graphrag.extract.ray_compute import _saved_process_state  # noqa: E402 - after the skip

BATCH = 3
MARKER = "Marker Film"  # the title of the document whose batch a worker dies on


class DiesOnMarker:
    """The real analyzer, except that the worker process analysing the marker document dies (``os._exit``): the
    first time only when ``once`` (a flag file says it happened), else every time."""

    def __init__(self, inner, flag: Path, *, once: bool) -> None:  # noqa: ANN001 - an analyzer
        self.inner = inner
        self.flag = flag
        self.once = once
        self.version = inner.version  # the same stored hashes as a local run

    def analyse(self, texts: Sequence[str], titles: Sequence[str | None] | None = None) -> list:
        if any(MARKER in t for t in texts) and not (self.once and self.flag.exists()):
            self.flag.write_text(str(os.getpid()))
            os._exit(1)
        return self.inner.analyse(texts, titles)


@pytest.fixture(scope="module")
def cluster():
    """A single-node 2-CPU Ray cluster on this machine, shared by the module and shut down after it. (Ray 2.60 puts
    the node on the machine's own address even when given 127.0.0.1, so none is given.)"""
    restore = _saved_process_state()  # what Ray leaves behind (a SIGTERM handler, PYTHONBREAKPOINT) goes after
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False, logging_level=logging.WARNING)
    ray.cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import the tests
    yield
    ray.shutdown()
    restore()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Three files (text, markdown, three records) and 13 records; the marker, the longest, in the last batch of six
    (batches are cut shortest first)."""
    root = tmp_path_factory.mktemp("corpus")
    files = write_corpus(root)
    records = synthetic_records(12)
    marker = f"{MARKER} is a 1961 film directed by Anna Berg in Vienna. It was produced by Hugo Brandt in Oslo. "
    records.insert(9, {"title": MARKER, "text": marker * 3})
    jsonl = root / "films.jsonl"
    jsonl.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    return [files["holmes"], files["ada"], files["kings"], jsonl]


def config(**ray: object) -> IngestConfig:
    options = {"workers": 2, "cpus_per_worker": 0.5, "window_batches": 64, "max_retries": 2, **ray}
    return IngestConfig(docs_per_batch=BATCH, batch_kb=0, engine="ray", ray=RayConfig(**options))  # type: ignore[arg-type]


def run(paths: Sequence[Path], db: Path, analyzer, cfg: IngestConfig, **kw):  # noqa: ANN001 - an analyzer
    return ingest([str(p) for p in paths], db=db, config=cfg, embedder=HashingEmbedder(), analyzer=analyzer,
                  separate_process=False, **kw)  # fmt: skip


def vectors(db: Path) -> dict[str, list]:
    """Every chunk's and entity's embedding, by id."""
    with KuzuGraphStore(db, read_only=True) as store:
        rows = store.run_user_query("MATCH (c:Chunk) RETURN c.id, c.embedding").rows
        rows += store.run_user_query("MATCH (e:Entity) RETURN e.id, e.embedding").rows
    return {r[0]: r[1] for r in rows}


@pytest.fixture(scope="module")
def local(corpus: list[Path], spacy_analyzer, tmp_path_factory: pytest.TempPathFactory):
    """The same corpus ingested locally: its report and database."""
    db = tmp_path_factory.mktemp("local") / "g.kuzu"
    report = run(corpus, db, spacy_analyzer, IngestConfig(docs_per_batch=BATCH, batch_kb=0))
    return report, db


def test_a_ray_ingest_stores_what_a_local_ingest_stores(cluster, corpus, local, spacy_analyzer, tmp_path) -> None:
    local_report, local_db = local
    db = tmp_path / "ray.kuzu"
    report = run(corpus, db, spacy_analyzer, config(window_batches=4))  # two datasets: four batches, then two
    assert report.documents_new == local_report.documents_new == 18
    for key in ("chunks", "entities", "mentions", "triples", "about", "batches"):
        assert getattr(report, key) == getattr(local_report, key), key
    assert report.batches == 6 and report.triples > 10
    assert snapshot(db) == snapshot(local_db)
    ours, theirs = vectors(db), vectors(local_db)
    assert ours.keys() == theirs.keys() and all(np.array_equal(ours[k], theirs[k]) for k in ours)
    assert {"analyse_worker", "embed_worker", "cluster_wait"} <= report.timings_s.keys()
    again = run(corpus, db, spacy_analyzer, config())  # unchanged: nothing is sent to the cluster
    assert (again.documents_unchanged, again.documents_loaded, again.batches) == (18, 0, 0)
    assert "ray_start" not in again.timings_s


@pytest.mark.skipif(
    os.environ.get("GRAPHRAG_ENGINE") == "ladybug", reason="the cluster side only: run once, in the Kuzu pass"
)
def test_a_worker_killed_mid_run_is_retried_without_losing_or_repeating_documents(
    cluster, corpus, local, spacy_analyzer, tmp_path
) -> None:
    flag = tmp_path / "died"
    report = run(corpus, tmp_path / "g.kuzu", DiesOnMarker(spacy_analyzer, flag, once=True), config())
    assert flag.exists()  # a worker did die on the marker's batch
    assert report.documents_new == 18 and report.batches == 6
    assert snapshot(tmp_path / "g.kuzu") == snapshot(local[1])


def test_a_failure_after_the_retries_leaves_whole_batches_and_a_rerun_finishes(
    cluster, corpus, local, spacy_analyzer, tmp_path
) -> None:
    db = tmp_path / "g.kuzu"
    committed: list[int] = []
    dies = DiesOnMarker(spacy_analyzer, tmp_path / "died", once=False)
    with pytest.raises(ClusterError, match=r"failed after 1 retries .*; 5 batches were committed whole"):
        run(corpus, db, dies, config(max_retries=1, window_batches=5),  # the marker's batch, the last, alone
            on_commit=lambda k, counts: committed.append(counts.documents))  # fmt: skip
    assert len(committed) == 5
    partial = snapshot(db)
    stats = partial["stats"]
    assert stats["nodes"]["Document"] == sum(committed) and stats.get("pending_documents", 0) == 0
    assert {d for _, d in partial["chunks"]} == {d for d, *_ in partial["documents"]}  # every document whole
    assert stats["relationships"]["HAS_CHUNK"] == len(partial["chunks"])
    report = run(corpus, db, spacy_analyzer, config())
    assert (report.documents_unchanged, report.documents_new) == (sum(committed), 18 - sum(committed))
    assert snapshot(db) == snapshot(local[1])
