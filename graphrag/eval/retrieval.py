"""The retrieval benchmark: Recall@k and latency of several retrievers, in one run, on one index.

:func:`evaluate_system` scores one search function on the questions; :func:`run_retrieval_benchmark` builds
the five systems the benchmark compares -- BM25, dense, BM25+dense fused, graph (PPR) and the full hybrid --
plus Kuzu's own vector and full-text indexes as a backend comparison, from one store and one set of loaded
resources, and writes a JSON report and a Markdown table.
"""

from __future__ import annotations

import json
import os
import platform
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from graphrag.eval.twowiki import TwoWikiQuestion, ranked_titles, recall_at_k
from graphrag.types import Hit

if TYPE_CHECKING:
    from rich.table import Table

SearchFn = Callable[[str, int], Sequence[Hit]]


@dataclass(frozen=True)
class SystemResult:
    """One retriever's scores: mean Recall@k (percent), per question type, and per-question latency (ms)."""

    name: str
    description: str
    n_questions: int
    recall: dict[str, float]
    recall_by_type: dict[str, dict[str, float]]
    latency_ms: dict[str, float]
    build_s: float = 0.0
    per_question: list[dict[str, Any]] = field(default_factory=list, repr=False)


def evaluate_system(
    name: str,
    description: str,
    search: SearchFn,
    questions: Sequence[TwoWikiQuestion],
    *,
    ks: Sequence[int] = (2, 5),
    fetch: int = 10,
    build_s: float = 0.0,
    before: Callable[[], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> SystemResult:
    """Run ``search(question, fetch)`` for every question and score the distinct titles it ranks.

    ``before`` runs once before timing starts (e.g. to empty a cache, so every system pays its own encoding);
    ``progress`` is called with the count of questions done.
    """
    if before is not None:
        before()
    latencies, rows = [], []
    by_type: dict[str, dict[str, list[float]]] = {}
    sums = {f"R@{k}": 0.0 for k in ks}
    for i, q in enumerate(questions, 1):
        t0 = time.perf_counter()
        hits = search(q.question, fetch)
        latencies.append(time.perf_counter() - t0)
        titles = ranked_titles(h.title for h in hits)
        rec = {f"R@{k}": recall_at_k(titles, q.gold_titles, k) for k in ks}
        for key, v in rec.items():
            sums[key] += v
            by_type.setdefault(q.type, {}).setdefault(key, []).append(v)
        rows.append({"id": q.id, "type": q.type, **rec, "top": titles[: max(ks)]})
        if progress is not None:
            progress(i)
    n = len(questions)
    lat = np.asarray(latencies) * 1000.0
    return SystemResult(
        name=name,
        description=description,
        n_questions=n,
        recall={key: round(100.0 * s / n, 2) for key, s in sums.items()},
        recall_by_type={
            t: {key: round(100.0 * float(np.mean(v)), 2) for key, v in sorted(d.items())}
            for t, d in sorted(by_type.items())
        },
        latency_ms={
            "p50": round(float(np.percentile(lat, 50)), 2),
            "p95": round(float(np.percentile(lat, 95)), 2),
            "mean": round(float(lat.mean()), 2),
        },
        build_s=round(build_s, 2),
        per_question=rows,
    )


@dataclass(frozen=True)
class RetrievalBenchmark:
    """All systems' results and the run's context (data, store size, machine, load, settings)."""

    systems: tuple[SystemResult, ...]
    meta: dict[str, Any]

    def as_dict(self, *, per_question: bool = False) -> dict[str, Any]:
        """JSON-ready; per-question rows only when asked."""
        out = []
        for s in self.systems:
            d = asdict(s)
            if not per_question:
                d.pop("per_question")
            out.append(d)
        return {"meta": self.meta, "systems": out}

    def markdown(self) -> str:
        """The results as a Markdown table."""
        lines = [
            "| retriever | R@2 | R@5 | p50 ms | p95 ms | what it is |",
            "|---|---:|---:|---:|---:|---|",
        ]
        for s in self.systems:
            r2, r5 = s.recall.get("R@2", float("nan")), s.recall.get("R@5", float("nan"))
            lines.append(
                f"| {s.name} | {r2:.1f} | {r5:.1f} "
                f"| {s.latency_ms['p50']:.1f} | {s.latency_ms['p95']:.1f} | {s.description} |"
            )
        return "\n".join(lines)

    def write(self, path: str | Path) -> tuple[Path, Path]:
        """Write ``path`` (JSON, with per-question rows) and the Markdown table beside it (``.md``)."""
        p = Path(path)
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(self.as_dict(per_question=True), indent=2, ensure_ascii=False) + "\n")
        md = p.with_suffix(".md")
        md.write_text(self.markdown() + "\n")
        return p, md


def machine_context() -> dict[str, Any]:
    """CPU count, load average and platform, recorded with every benchmark."""
    try:
        load = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        load = []
    return {
        "cpus": os.cpu_count(),
        "loadavg_1_5_15": load,
        "platform": platform.platform(),
        "python": platform.python_version(),
    }


def benchmark_systems(resources: Any, config: Any) -> list[tuple[str, str, SearchFn, float]]:
    """The systems compared, each built once from shared ``resources`` (a ``RetrievalResources``), in table
    order:
    ``(name, description, search, build seconds)``."""
    from graphrag.gnnrag import hybrid_retriever
    from graphrag.retrieve.hybrid import Component, HybridRetriever
    from graphrag.retrieve.keyword import BM25Retriever
    from graphrag.retrieve.registry import make_retriever

    def timed(factory: Callable[[], Any]) -> tuple[Any, float]:
        t0 = time.perf_counter()
        obj = factory()
        return obj, time.perf_counter() - t0

    resources.corpus()  # loaded once, not charged to the first retriever
    bm25, t_bm25 = timed(lambda: make_retriever("bm25", resources))
    dense, t_dense = timed(lambda: make_retriever("vector", resources))
    graph, t_graph = timed(lambda: make_retriever("graph", resources))
    enc = resources.encoder()
    fused = HybridRetriever(
        [Component("bm25", bm25, 1.0), Component("vector", dense, 1.0)],
        depth=config.depth,
        rrf_k=60,  # the usual constant for two peers of equal standing
        encoder=enc,
        max_question_chars=config.max_question_chars,
    )
    hybrid, t_hybrid = timed(lambda: hybrid_retriever(resources, config))
    steered = make_retriever("graph-context", resources)
    weights = ", ".join(f"{n} {w:g}" for n, w in config.components.items())
    systems: list[tuple[str, str, SearchFn, float]] = [
        ("BM25", "bm25s over title + text", bm25.retrieve, t_bm25),
        ("dense", "MiniLM cosine, exact in-memory scan", dense.retrieve, t_dense),
        ("BM25+dense", "RRF (k=60) of the two above, equal weights", fused.retrieve, 0.0),
        (
            "graph",
            f"PPR (damping {config.ppr_damping}) from linked entities and titles",
            graph.retrieve,
            t_graph,
        ),
        ("hybrid", f"RRF (k={config.rrf_k}) of {weights}", hybrid.retrieve, t_hybrid),
        (
            "graph-context (part of hybrid)",
            f"PPR steered by MiniLM similarity of question and link context (beta {config.context_beta:g})",
            steered.retrieve,
            0.0,
        ),
    ]
    # Backend comparison on the same index: Kuzu's HNSW and full-text indexes against the in-memory ones.
    store = resources.store
    if not getattr(store, "read_only", True) and store.has_index_functions():
        _, t_hnsw = timed(store.ensure_chunk_vector_index)
        _, t_fts = timed(store.ensure_chunk_fts_index)
        kuzu_dense = make_retriever("vector-kuzu", resources)
        kuzu_fts = make_retriever("fts-kuzu", resources)
        text_bm25, t_text = timed(
            lambda: BM25Retriever(resources.corpus(), with_titles=False, name="bm25-text")
        )
        systems += [
            (
                "dense (Kuzu HNSW)",
                "the same vectors through Kuzu's QUERY_VECTOR_INDEX",
                kuzu_dense.retrieve,
                t_hnsw,
            ),
            ("BM25 (Kuzu FTS)", "Kuzu's QUERY_FTS_INDEX over chunk text", kuzu_fts.retrieve, t_fts),
            (
                "BM25 (bm25s, text only)",
                "bm25s over chunk text, as indexed by Kuzu FTS",
                text_bm25.retrieve,
                t_text,
            ),
        ]
    return systems


def run_retrieval_benchmark(
    *,
    questions: Sequence[TwoWikiQuestion],
    db: str | Path,
    config: Any = None,
    embedder: Any = None,
    log: Callable[[str], None] = lambda _msg: None,
    progress_factory: Callable[[str, int], Callable[[int], None]] | None = None,
) -> RetrievalBenchmark:
    """Score every system of :func:`benchmark_systems` on ``questions`` over the store at ``db`` (already
    ingested).

    Args:
        questions: the scored questions.
        db: the Kuzu database holding the corpus (opened read-write to build Kuzu's indexes for the
        comparison). config: a ``RetrieveConfig`` (default settings when ``None``).
        embedder: the question embedder (default: the one recorded in the store).
        log: receives one line per finished system.
        progress_factory: ``(system name, total) -> callback(done)`` for a progress bar.
    """
    from graphrag.config import RetrieveConfig
    from graphrag.retrieve.resources import RetrievalResources, embedder_for_store
    from graphrag.store import KuzuGraphStore

    cfg = config or RetrieveConfig()
    with KuzuGraphStore(db) as store:
        t0 = time.perf_counter()
        emb = embedder or embedder_for_store(store, cfg.embedder, threads=cfg.query_threads)
        resources = RetrievalResources(store, emb, cfg)
        corpus = resources.corpus()
        load_s = time.perf_counter() - t0
        if len(corpus) == 0:
            from graphrag.errors import InputError

            raise InputError("the store holds no chunks; ingest the corpus first", path=str(db))
        systems = benchmark_systems(resources, cfg)
        encoder = resources.encoder()
        encoder.encode("warm-up question")  # model load is not per-question latency
        results = []
        for name, desc, search, build_s in systems:
            cb = progress_factory(name, len(questions)) if progress_factory else None
            res = evaluate_system(
                name, desc, search, questions, build_s=build_s, before=encoder.clear, progress=cb
            )
            log(
                f"{name}: R@2 {res.recall['R@2']:.1f}  R@5 {res.recall['R@5']:.1f}  "
                f"p50 {res.latency_ms['p50']:.1f} ms  p95 {res.latency_ms['p95']:.1f} ms"
            )
            results.append(res)
        stats = store.stats()
    meta = {
        "db": str(db),
        "n_questions": len(questions),
        "question_types": {
            t: sum(q.type == t for q in questions) for t in sorted({q.type for q in questions})
        },
        "chunks": len(corpus),
        "store": {"nodes": stats["nodes"], "relationships": stats["relationships"]},
        "embedder": getattr(emb, "name", str(emb)),
        "config": asdict(cfg),
        "load_s": round(load_s, 2),
        "machine": machine_context(),
        "recall_definition": (
            "|gold titles in top-k distinct retrieved titles| / |gold titles|, mean over questions"
        ),
    }
    return RetrievalBenchmark(tuple(results), meta)


def summary_table(systems: Mapping[str, Mapping[str, float]], *, n_questions: int) -> Table:
    """The benchmark's summary (``system -> {R@2, R@5, p50_ms, p95_ms}``) as a rich table."""
    from rich.table import Table

    t = Table("retriever", "R@2", "R@5", "p50 ms", "p95 ms", title=f"Retrieval on {n_questions} questions")
    for name, s in systems.items():
        t.add_row(name, f"{s['R@2']:.1f}", f"{s['R@5']:.1f}", f"{s['p50_ms']:.1f}", f"{s['p95_ms']:.1f}")
    return t
