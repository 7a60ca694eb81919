"""The KGQA evaluation job behind ``graphrag eval kgqa`` (and ``GraphRAG.evaluate("kgqa")``): a trained GNN
or the zero-shot scorer on KGQA question files, with an optional LLM sample, written as a report.

Like training (:mod:`graphrag.gnnrag.jobs`), it imports the KB into the store first when asked, reads the KG
into memory and closes the store, so evaluation holds no lock.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphrag.config import AnswerConfig
from graphrag.errors import ConfigError
from graphrag.gnnrag.answer_match import AnswerMatcher
from graphrag.gnnrag.checkpoint import RetrieverSettings, load_checkpoint
from graphrag.gnnrag.jobs import Log, default_hops, load_kg, store_linker
from graphrag.gnnrag.kgqa_files import load_many
from graphrag.gnnrag.subgraph import SubgraphConfig, SubgraphExtractor
from graphrag.runtime import torch_threads

if TYPE_CHECKING:
    from graphrag.embed.embedder import Embedder

#: GNN-RAG's answer step as the paper runs it: up to 30 reasoning paths, a reply of up to 96 tokens.
KG_ANSWER_CONFIG = AnswerConfig(max_reasoning_paths=30, max_answer_tokens=96)


def _quiet(_line: str) -> None:
    return None


def run_kgqa_eval(
    *,
    db: str | Path,
    questions: Sequence[str | Path],
    out: str | Path,
    kb: str | Path | None = None,
    models: Sequence[str | Path] = (),
    zero_shot: bool = False,
    zero_shot_scorer: str = "paths",
    llm: str = "none",
    llm_model: str = "",
    llm_sample: int = 50,
    latency_sample: int = 200,
    limit: int | None = None,
    skip: int = 0,
    embedder: Embedder | None = None,
    plots: bool = True,
    threads: int | None = 1,
    progress: bool = True,
    log: Log = _quiet,
) -> dict[str, Any]:
    """Evaluate a trained model (one for all files, or one per file in order) or the zero-shot scorer.

    Runs with ``threads`` torch threads (see :func:`~graphrag.runtime.torch_threads`), as a single-user
    retriever would. With ``llm``, the model answers a seeded sample of ``llm_sample`` questions per file from
    the reasoning paths alone (GNN-RAG's prompt, :meth:`~graphrag.generate.answer.Answerer.kg_answers`).
    """
    with torch_threads(threads):
        from graphrag.embed import make_embedder
        from graphrag.eval.kgqa import KGQAReport, evaluate_kgqa
        from graphrag.eval.kgqa_report import write_report
        from graphrag.gnnrag.path_scorer import RelationPathScorer
        from graphrag.gnnrag.retriever import GNNRAGRetriever, comparison_reasoner
        from graphrag.gnnrag.zeroshot import ZERO_SHOT_SCORERS, make_zero_shot_scorer

        if zero_shot == bool(models):
            raise ConfigError("give either --model CKPT (one, or one per --questions file) or --zero-shot")
        if zero_shot and zero_shot_scorer not in ZERO_SHOT_SCORERS:
            raise ConfigError(
                f"unknown zero-shot scorer {zero_shot_scorer!r}; choose one of: {', '.join(ZERO_SHOT_SCORERS)}"
            )
        if models and len(models) not in (1, len(questions)):
            raise ConfigError(f"{len(models)} --model files for {len(questions)} --questions files; give 1 or one each")
        # Everything that can fail on a bad option is checked before the KG is read.
        ckpts = [load_checkpoint(m) for m in models]
        answerer = None
        if llm != "none":
            from graphrag.config import AnswerConfig
            from graphrag.generate.answer import Answerer
            from graphrag.generate.llm import make_llm

            answerer = Answerer(None, make_llm(AnswerConfig(llm=llm, model=llm_model)), KG_ANSWER_CONFIG)
        emb = embedder or make_embedder(ckpts[0].retriever.embedder if ckpts else "minilm")
        index = load_kg(db, kb, co_mentions=any(c.retriever.co_mentions for c in ckpts), log=log)
        matcher = AnswerMatcher(index.names, index.aliases)
        linker = None  # built on the first file of plain questions
        report = KGQAReport(
            settings={
                "scorer": "GNN-RAG (trained GNN)" if models else f"zero-shot {zero_shot_scorer}",
                "model": [str(m) for m in models],
                "questions": [str(q) for q in questions],
                "kb": str(kb) if kb else str(db),
                "llm": llm if answerer is None or answerer.llm is None else answerer.llm.name,
                "llm_sample": llm_sample if llm != "none" else 0,
                "latency_sample": latency_sample,
            }
        )
        t0 = time.perf_counter()
        for i, qfile in enumerate(questions):
            examples = load_many([qfile], limit=limit, skip=skip)
            if linker is None and any(not e.topics for e in examples):
                linker = store_linker(db, index, emb)
            if ckpts:
                ck = ckpts[i] if len(ckpts) > 1 else ckpts[0]
                retriever = GNNRAGRetriever.from_checkpoint(index, ck, embedder=emb, linker=linker)
                cfg = ck.config_dict()
                report.settings.setdefault("checkpoints", []).append(
                    {k: cfg[k] for k in ("model", "subgraph", "retriever")}
                    | {"train_time_s": ck.summary.get("train_time_s"), "best_epoch": ck.summary.get("best_epoch")}
                )
            else:
                radius = default_hops(examples)
                settings = RetrieverSettings()
                scorer = make_zero_shot_scorer(zero_shot_scorer, index.predicates, emb)
                extractor = SubgraphExtractor(index, SubgraphConfig(max_hops=radius))
                retriever = GNNRAGRetriever(
                    index,
                    extractor,
                    emb,
                    scorer,
                    settings,
                    linker=linker,
                    comparer=(
                        comparison_reasoner(
                            index, extractor, emb, paths=scorer if isinstance(scorer, RelationPathScorer) else None
                        )
                        if settings.compare
                        else None
                    ),
                )
            log(f"evaluating {qfile} ({len(examples):,} questions)")
            part = evaluate_kgqa(
                retriever,
                examples,
                answerer=answerer,
                llm_sample=llm_sample,
                latency_sample=latency_sample,
                progress=progress,
                matcher=matcher,
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
        return {
            "report": str(out),
            "overall": data["overall"],
            "by_hops": data["by_hops"],
            **({"by_kind": data["by_kind"]} if data.get("by_kind") else {}),
        }


__all__ = ["KG_ANSWER_CONFIG", "run_kgqa_eval"]
