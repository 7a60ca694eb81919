"""Training GNN-RAG as one job (``graphrag train-gnn``, ``GraphRAG.train_gnn``), and the steps it shares with
evaluation (:mod:`graphrag.eval.kgqa_job`).

A job starts by importing the KB file into the store if it is not there yet (the importer skips an unchanged
file), reads the KG once into memory and closes the store again, so the long part holds no lock. Training
ends by naming the new checkpoint in the store's meta, where the hybrid retriever finds it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from graphrag.errors import ConfigError, InputError
from graphrag.gnnrag.answer_match import AnswerMatcher
from graphrag.gnnrag.checkpoint import GNNCheckpoint, RetrieverSettings, save_checkpoint
from graphrag.gnnrag.component import META_CHECKPOINT
from graphrag.gnnrag.data import relation_embeddings
from graphrag.gnnrag.kgqa_files import KGQAExample, load_many
from graphrag.gnnrag.model import GNNConfig
from graphrag.gnnrag.subgraph import KGIndex, SubgraphConfig, SubgraphExtractor
from graphrag.gnnrag.topics import KGNameLinker, TopicLinker, resolve_topics
from graphrag.gnnrag.train import TrainConfig, TrainingExample, split_examples, train_gnn
from graphrag.runtime import torch_threads

if TYPE_CHECKING:
    from graphrag.embed.embedder import Embedder

Log = Callable[[str], None]


def _quiet(_line: str) -> None:
    return None


def load_kg(
    db: str | Path,
    kb: str | Path | None = None,
    *,
    fmt: str = "metaqa",
    co_mentions: bool = False,
    log: Log = _quiet,
) -> KGIndex:
    """Import ``kb`` into the store at ``db`` when given (a no-op for an unchanged file), then read the KG
    (with passage co-mention edges when ``co_mentions``)."""
    from graphrag.store import KuzuGraphStore

    if kb is not None:
        from graphrag.importers import TripleImporter

        with KuzuGraphStore(db) as store:
            report = TripleImporter(store).import_file(kb, fmt=fmt)
            log(report.describe())
    t0 = time.perf_counter()
    with KuzuGraphStore(db, read_only=True) as store:
        index = KGIndex.from_store(store, co_mentions=co_mentions)
    if index.num_edges == 0:
        raise InputError(f"the store at {db} holds no relation triples; pass --kb FILE to import a KB first")
    log(
        f"read the KG: {index.num_nodes:,} entities, {index.num_edges:,} triples, "
        f"{len(index.predicates)} predicates ({time.perf_counter() - t0:.1f} s)"
    )
    return index


def store_linker(db: str | Path, index: KGIndex, embedder: Embedder) -> TopicLinker:
    """The topic linker for plain questions over the store at ``db``: for a store with passages, the one
    GNN-RAG answers with (:func:`~graphrag.gnnrag.component.question_linker`); for an imported KG, the KG's
    names (:class:`~graphrag.gnnrag.topics.KGNameLinker`)."""
    from graphrag.store import KuzuGraphStore

    with KuzuGraphStore(db, read_only=True) as store:
        if not store.scalar("MATCH (c:Chunk) RETURN count(c)"):
            return KGNameLinker(index)
        from graphrag.gnnrag.component import question_linker
        from graphrag.retrieve.resources import RetrievalResources

        linker = question_linker(RetrievalResources(store, embedder), index)
        linker("warm up")  # reads what the linker needs from the store while it is open
        return linker


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


def embed_texts(embedder: Embedder, texts: Sequence[str], *, progress: bool, batch: int = 256) -> dict[str, np.ndarray]:
    """``text -> embedding`` for the distinct ``texts``, in batches, with a progress bar."""
    from tqdm.auto import tqdm

    unique = sorted(set(texts))
    out: dict[str, np.ndarray] = {}
    for start in tqdm(range(0, len(unique), batch), desc="embedding questions", unit="batch", disable=not progress):
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
    linker: TopicLinker | None = None,
    progress: bool = True,
) -> tuple[list[TrainingExample], dict[str, Any]]:
    """Training examples (subgraph, question embedding, answer nodes) and counts of what was left out.

    Topic entities: ``[bracketed]`` names, else ``linker``'s (default: the KG's names). Answers: the nodes
    :class:`~graphrag.gnnrag.answer_match.AnswerMatcher` finds by name, alias or literal value. The counts
    are also given per question type (``by_kind``) when the questions have one.
    """
    from tqdm.auto import tqdm

    matcher = AnswerMatcher(index.names, index.aliases)
    resolved = [resolve_topics(index, ex.question, mask=mask, linker=linker) for ex in examples]
    vectors = embed_texts(embedder, [text for _, text in resolved], progress=progress)
    out: list[TrainingExample] = []
    keys = ("questions", "no_topic_in_kg", "no_answer_in_kg", "answer_outside_subgraph", "used")
    stats: dict[str, Any] = dict.fromkeys(keys, 0)
    by_kind: dict[str, dict[str, int]] = {}

    def count(ex: KGQAExample, key: str) -> None:
        stats[key] += 1
        if ex.kind:
            by_kind.setdefault(ex.kind, dict.fromkeys(keys, 0))[key] += 1

    for ex, (topics, text) in tqdm(
        list(zip(examples, resolved, strict=True)),
        desc="extracting subgraphs",
        unit="q",
        disable=not progress,
    ):
        count(ex, "questions")
        answers = matcher.match_all(ex.answers) if topics else []
        if not topics:
            count(ex, "no_topic_in_kg")
        elif not answers:
            count(ex, "no_answer_in_kg")
        else:
            sub = extractor.extract(topics)
            if (sub.local(answers) < 0).all():
                count(ex, "answer_outside_subgraph")
            out.append(TrainingExample(sub, vectors[text], np.asarray(answers, dtype=np.int64)))
            count(ex, "used")
    if by_kind:
        stats["by_kind"] = by_kind
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
    skip: int = 0,
    progress: bool = True,
    log: Log = _quiet,
) -> dict[str, Any]:
    """Train a GNN on ``questions`` over the KG in ``db`` and save a checkpoint at ``out``.

    Question files are MetaQA's format (topic entities in ``[brackets]``) or JSON/JSONL question-answer records
    (topics from :func:`store_linker`). ``hops`` (default: the largest ``N-hop`` folder of the question files,
    else 3) sets both the subgraph radius and the number of reasoning steps; ``settings.co_mentions`` adds
    passage co-mention edges to the KG. ``skip`` and ``limit`` pick questions of each file. Returns the
    checkpoint's summary.
    """
    from graphrag.embed import make_embedder

    if not questions:
        raise ConfigError("train-gnn needs at least one --questions file")
    train_cfg = train or TrainConfig()
    settings = settings or RetrieverSettings()
    with torch_threads(train_cfg.threads):
        t_start = time.perf_counter()
        index = load_kg(db, kb, co_mentions=settings.co_mentions, log=log)
        examples = load_many(questions, limit=limit, skip=skip)
        radius = hops or default_hops(examples)
        sub_cfg = SubgraphConfig(max_hops=radius, max_nodes=max_nodes)
        emb = embedder or make_embedder(settings.embedder)
        model_cfg = GNNConfig(
            question_dim=emb.dim, relation_dim=emb.dim, hidden_channels=hidden_channels, num_steps=radius
        )
        t_prep = time.perf_counter()
        plain = any(not e.topics for e in examples)
        built, stats = build_examples(
            index,
            SubgraphExtractor(index, sub_cfg),
            emb,
            examples,
            mask=settings.question_mask,
            linker=store_linker(db, index, emb) if plain else None,
            progress=progress,
        )
        log(
            f"{stats['used']:,} of {stats['questions']:,} questions usable "
            f"({stats['no_topic_in_kg']:,} link no topic entity, {stats['no_answer_in_kg']:,} have no answer "
            f"in the graph); {stats['answer_outside_subgraph']:,} have no answer inside their subgraph"
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
        shown = {k: v for k, v in summary.items() if k not in ("history", "predicates")}
        return {"checkpoint": str(out), **shown, "predicates": len(index.predicates)}


__all__ = [
    "build_examples",
    "default_hops",
    "embed_texts",
    "load_kg",
    "record_checkpoint",
    "store_linker",
    "train_job",
]
