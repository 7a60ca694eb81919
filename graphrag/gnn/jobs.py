"""The two jobs behind ``graphrag train-gnn`` and ``graphrag eval kgqa`` (and their pipeline steps).

Both start the same way: the KB file is imported into the store if it is not there yet (the importer skips an
unchanged file), the KG is read once into memory, and the store is closed again, so evaluation holds no lock.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from graphrag.errors import ConfigError, InputError
from graphrag.eval.metaqa import KGQAExample, load_many
from graphrag.gnn.checkpoint import GNNCheckpoint, RetrieverSettings, load_checkpoint, save_checkpoint
from graphrag.gnn.data import relation_embeddings
from graphrag.gnn.model import GNNConfig
from graphrag.gnn.train import TrainConfig, TrainingExample, split_examples, train_gnn
from graphrag.retrieve.gnn import resolve_topics
from graphrag.retrieve.subgraph import KGIndex, SubgraphConfig, SubgraphExtractor

if TYPE_CHECKING:
    from graphrag.embed.base import Embedder

Log = Callable[[str], None]


def _quiet(_line: str) -> None:
    return None


@contextlib.contextmanager
def torch_threads(n: int | None) -> Iterator[None]:
    """Run the block with ``n`` torch CPU threads (``None``: unchanged), restoring the setting afterwards.

    Single-question work (one small subgraph, one short question through MiniLM) is fastest on one thread, and
    on a shared machine more threads mostly contend.
    """
    import torch

    saved = torch.get_num_threads()
    if n:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(saved)


def load_kg(
    db: str | Path, kb: str | Path | None = None, *, fmt: str = "metaqa", log: Log = _quiet
) -> KGIndex:
    """Import ``kb`` into the store at ``db`` when given (a no-op for an unchanged file), then read the KG."""
    from graphrag.store import KuzuGraphStore

    if kb is not None:
        from graphrag.importers import TripleImporter

        with KuzuGraphStore(db) as store:
            report = TripleImporter(store).import_file(kb, fmt=fmt)
            log(report.describe())
    t0 = time.perf_counter()
    with KuzuGraphStore(db, read_only=True) as store:
        index = KGIndex.from_store(store)
    if index.num_edges == 0:
        raise InputError(f"the store at {db} holds no relation triples; pass --kb FILE to import a KB first")
    log(
        f"read the KG: {index.num_nodes:,} entities, {index.num_edges:,} triples, "
        f"{len(index.predicates)} predicates ({time.perf_counter() - t0:.1f} s)"
    )
    return index


#: Store meta key naming the most recently trained checkpoint for the KG in that store.
META_CHECKPOINT = "gnn_checkpoint"


def record_checkpoint(db: str | Path, ckpt: str | Path, *, log: Log = _quiet) -> bool:
    """Name ``ckpt`` in the store's meta (key :data:`META_CHECKPOINT`) so retrievers find the trained model.

    A store locked by another process is left alone (with a message): the checkpoint file is what matters.
    """
    from graphrag.errors import StoreLockedError
    from graphrag.store import KuzuGraphStore

    try:
        with KuzuGraphStore(db) as store:
            store.set_meta(META_CHECKPOINT, str(Path(ckpt).resolve()))
    except StoreLockedError:
        log(f"the store at {db} is locked; its meta does not name the new checkpoint")
        return False
    return True


def default_hops(examples: Sequence[KGQAExample]) -> int:
    """The subgraph radius for a question set: its largest hop count (from ``N-hop`` folders), else 3."""
    hops = [e.hops for e in examples if e.hops is not None]
    return max(hops) if hops else 3


def embed_texts(
    embedder: Embedder, texts: Sequence[str], *, progress: bool, batch: int = 256
) -> dict[str, np.ndarray]:
    """``text -> embedding`` for the distinct ``texts``, in batches, with a progress bar."""
    from tqdm.auto import tqdm

    unique = sorted(set(texts))
    out: dict[str, np.ndarray] = {}
    for start in tqdm(
        range(0, len(unique), batch), desc="embedding questions", unit="batch", disable=not progress
    ):
        chunk = unique[start : start + batch]
        out.update(zip(chunk, embedder.embed(chunk), strict=True))
    return out


def build_examples(
    index: KGIndex,
    extractor: SubgraphExtractor,
    embedder: Embedder,
    examples: Sequence[KGQAExample],
    *,
    mask: str,
    progress: bool = True,
) -> tuple[list[TrainingExample], dict[str, int]]:
    """Training examples (subgraph, question embedding, answer nodes) and counts of what was left out."""
    from tqdm.auto import tqdm

    resolved = [resolve_topics(index, ex.question, mask=mask) for ex in examples]
    vectors = embed_texts(embedder, [text for _, text in resolved], progress=progress)
    out: list[TrainingExample] = []
    stats = {
        "questions": len(examples),
        "no_topic_in_kg": 0,
        "no_answer_in_kg": 0,
        "answer_outside_subgraph": 0,
    }
    for ex, (topics, text) in tqdm(
        list(zip(examples, resolved, strict=True)),
        desc="extracting subgraphs",
        unit="q",
        disable=not progress,
    ):
        if not topics:
            stats["no_topic_in_kg"] += 1
            continue
        answers = sorted({n for a in ex.answers for n in index.lookup_name(a)})
        if not answers:
            stats["no_answer_in_kg"] += 1
            continue
        sub = extractor.extract(topics)
        if (sub.local(answers) < 0).all():
            stats["answer_outside_subgraph"] += 1
        out.append(TrainingExample(sub, vectors[text], np.asarray(answers, dtype=np.int64)))
    stats["used"] = len(out)
    return out, stats


def train_job(
    *,
    db: str | Path,
    questions: Sequence[str | Path],
    out: str | Path,
    kb: str | Path | None = None,
    hops: int | None = None,
    max_nodes: int = 2000,
    hidden_channels: int = 128,
    train: TrainConfig | None = None,
    settings: RetrieverSettings | None = None,
    embedder: Embedder | None = None,
    limit: int | None = None,
    progress: bool = True,
    log: Log = _quiet,
) -> dict[str, Any]:
    """Train a GNN on ``questions`` over the KG in ``db`` and save a checkpoint at ``out``.

    ``hops`` (default: the largest ``N-hop`` folder of the question files, else 3) sets both the subgraph
    radius and the number of reasoning steps. Returns the checkpoint's summary.
    """
    from graphrag.embed import make_embedder

    if not questions:
        raise ConfigError("train-gnn needs at least one --questions file")
    train_cfg = train or TrainConfig()
    settings = settings or RetrieverSettings()
    with torch_threads(train_cfg.threads):
        t_start = time.perf_counter()
        index = load_kg(db, kb, log=log)
        examples = load_many(questions, limit=limit)
        radius = hops or default_hops(examples)
        sub_cfg = SubgraphConfig(max_hops=radius, max_nodes=max_nodes)
        emb = embedder or make_embedder(settings.embedder)
        model_cfg = GNNConfig(
            question_dim=emb.dim, relation_dim=emb.dim, hidden_channels=hidden_channels, num_steps=radius
        )
        t_prep = time.perf_counter()
        built, stats = build_examples(
            index,
            SubgraphExtractor(index, sub_cfg),
            emb,
            examples,
            mask=settings.question_mask,
            progress=progress,
        )
        log(
            f"{stats['used']:,} of {stats['questions']:,} questions usable; "
            f"{stats['answer_outside_subgraph']:,} have no answer inside their subgraph"
        )
        if not built:
            raise InputError(
                f"none of the {stats['questions']:,} questions can be trained on: "
                f"{stats['no_topic_in_kg']:,} name no topic entity of the KG, "
                f"{stats['no_answer_in_kg']:,} no answer entity (is --kb the right KB?)"
            )
        tr, va = split_examples(built, train_cfg.val_fraction, train_cfg.seed)
        rel = relation_embeddings(index.predicates, emb)
        prep_s = time.perf_counter() - t_prep
        result = train_gnn(tr, va, rel, model_config=model_cfg, config=train_cfg, progress=progress, log=log)
        summary = {
            **result.summary(),
            "prepare_s": round(prep_s, 2),
            "total_s": round(time.perf_counter() - t_start, 2),
            "train_questions": len(tr),
            "val_questions": len(va),
            "data": stats,
            "questions": [str(q) for q in questions],
            "kb": str(kb) if kb else None,
            "db": str(db),
            "predicates": list(index.predicates),
            "hops": sorted({e.hops for e in examples if e.hops is not None}),
        }
        ckpt = GNNCheckpoint(
            model=model_cfg,
            subgraph=sub_cfg,
            retriever=settings,
            train=asdict(train_cfg),
            summary=summary,
            state_dict=result.model.state_dict(),
        )
        save_checkpoint(out, ckpt)
        log(f"saved {out} (best epoch {result.best_epoch}, training {result.train_time_s:.0f} s)")
        record_checkpoint(db, out, log=log)
        return {"checkpoint": str(out), **{k: v for k, v in summary.items() if k != "history"}}


def eval_job(
    *,
    db: str | Path,
    questions: Sequence[str | Path],
    out: str | Path,
    kb: str | Path | None = None,
    models: Sequence[str | Path] = (),
    zero_shot: bool = False,
    llm: str = "none",
    llm_model: str = "",
    llm_sample: int = 50,
    latency_sample: int = 200,
    limit: int | None = None,
    embedder: Embedder | None = None,
    plots: bool = True,
    threads: int | None = 1,
    progress: bool = True,
    log: Log = _quiet,
) -> dict[str, Any]:
    """Evaluate a trained model (one for all files, or one per file in order) or the zero-shot scorer.

    Runs with ``threads`` torch threads (see :func:`torch_threads`), as a single-user retriever would.
    """
    with torch_threads(threads):
        from graphrag.embed import make_embedder
        from graphrag.eval.kgqa import KGQAReport, evaluate_kgqa
        from graphrag.eval.kgqa_report import write_report
        from graphrag.retrieve.gnn import GNNRAGRetriever
        from graphrag.retrieve.gnn_prompt import GNNRAGAnswerer
        from graphrag.retrieve.zeroshot import PPRScorer

        if zero_shot == bool(models):
            raise ConfigError("give either --model CKPT (one, or one per --questions file) or --zero-shot")
        if models and len(models) not in (1, len(questions)):
            raise ConfigError(
                f"{len(models)} --model files for {len(questions)} --questions files; give 1 or one each"
            )
        # Everything that can fail on a bad option is checked before the KG is read.
        ckpts = [load_checkpoint(m) for m in models]
        answerer_llm = None
        if llm != "none":
            from graphrag.config import AnswerConfig
            from graphrag.generate.llm import make_llm

            answerer_llm = make_llm(AnswerConfig(llm=llm, model=llm_model))
        emb = embedder or make_embedder(ckpts[0].retriever.embedder if ckpts else "minilm")
        index = load_kg(db, kb, log=log)
        report = KGQAReport(
            settings={
                "scorer": "GNN-RAG (trained GNN)" if models else "zero-shot PPR",
                "model": [str(m) for m in models],
                "questions": [str(q) for q in questions],
                "kb": str(kb) if kb else str(db),
                "llm": llm if answerer_llm is None else answerer_llm.name,
                "llm_sample": llm_sample if llm != "none" else 0,
                "latency_sample": latency_sample,
            }
        )
        t0 = time.perf_counter()
        for i, qfile in enumerate(questions):
            examples = load_many([qfile], limit=limit)
            if ckpts:
                ck = ckpts[i] if len(ckpts) > 1 else ckpts[0]
                retriever = GNNRAGRetriever.from_checkpoint(index, ck, embedder=emb)
                cfg = ck.config_dict()
                report.settings.setdefault("checkpoints", []).append(
                    {k: cfg[k] for k in ("model", "subgraph", "retriever")}
                    | {"train_time_s": ck.summary.get("train_time_s"), "best_epoch": ck.summary.get("best_epoch")}
                )
            else:
                radius = default_hops(examples)
                settings = RetrieverSettings()
                scorer = PPRScorer(relation_embeddings(index.predicates, emb).numpy())
                retriever = GNNRAGRetriever(
                    index, SubgraphExtractor(index, SubgraphConfig(max_hops=radius)), emb, scorer, settings
                )
            answerer = GNNRAGAnswerer(retriever, answerer_llm) if answerer_llm is not None else None
            log(f"evaluating {qfile} ({len(examples):,} questions)")
            part = evaluate_kgqa(
                retriever,
                examples,
                answerer=answerer,
                llm_sample=llm_sample,
                latency_sample=latency_sample,
                progress=progress,
            )
            report.results += part.results
            report.end_to_end += part.end_to_end
        report.wall_s = time.perf_counter() - t0
        data = write_report(report, out, plots=plots)
        for hops, m in data["by_hops"].items():
            log(
                f"{hops}-hop: Hits@1 {m['hits1']:.2f}  F1 {m['f1']:.2f}  "
                f"candidate recall {m['candidate_recall']:.2f}  "
                f"mean candidates {m['mean_candidates']:.1f}  path coverage {m['path_coverage']:.2f}  "
                f"retrieval p95 {m['latency_ms']['total']['p95']:.1f} ms"
            )
        e2e = data["end_to_end_latency_ms"]
        if e2e["questions"]:
            log(
                f"end to end (single question, embedding included): p50 {e2e['total']['p50']:.1f} ms, "
                f"p95 {e2e['total']['p95']:.1f} ms"
            )
        log(f"wrote {out} and {Path(out).with_suffix('.md')}")
        return {"report": str(out), "overall": data["overall"], "by_hops": data["by_hops"]}


__all__ = [
    "META_CHECKPOINT",
    "build_examples",
    "default_hops",
    "embed_texts",
    "eval_job",
    "load_kg",
    "record_checkpoint",
    "torch_threads",
    "train_job",
]
