"""Pipeline steps ``train-gnn`` and ``eval-kgqa`` (the same jobs as ``graphrag train-gnn`` / ``eval kgqa``).

Options (a spec's ``[[steps]]`` table)::

    kind = "train-gnn"
    kb = "../shared/data/metaqa/kb.txt.gz"   # optional: imported into [store] db first if not there
    questions = ["../shared/data/metaqa/2-hop/vanilla/qa_dev.txt"]
    out = "data/work/gnn/metaqa-2hop.pt"
    hops = 2              # optional (default from the N-hop folder)
    # also: max_nodes, hidden, epochs, patience, batch_size, lr, val_fraction, max_minutes, seed, embedder,
    # limit, skip, co_mentions, progress

    kind = "eval-kgqa"
    kb = "..."            # optional, as above
    questions = ["../shared/data/metaqa/2-hop/vanilla/qa_test.txt"]
    models = ["data/work/gnn/metaqa-2hop.pt"]   # or zero_shot = true
    out = "data/work/reports/metaqa-2hop.json"
    # also: llm ("none"), llm_model, llm_sample, latency_sample, limit, skip, plots, progress,
    # embedder and zero_shot_scorer ("paths" or "ppr"; zero-shot only)
"""

from __future__ import annotations

from typing import Any

from graphrag.api.steps.context import RunContext, check_options
from graphrag.errors import ConfigError

_TRAIN_OPTIONS = (
    "kb", "questions", "out", "hops", "max_nodes", "hidden", "epochs", "patience", "batch_size", "lr",
    "val_fraction", "max_minutes", "seed", "embedder", "limit", "skip", "co_mentions", "progress",
)  # fmt: skip
_EVAL_OPTIONS = (
    "kb", "questions", "out", "models", "zero_shot", "zero_shot_scorer", "llm", "llm_model", "llm_sample",
    "latency_sample", "limit", "skip", "plots", "progress", "embedder",
)  # fmt: skip
_PATHS = ("kb", "out")


def _options(kind: str, params: dict[str, Any], allowed: tuple[str, ...], ctx: RunContext) -> dict[str, Any]:
    """The step's options checked, with its paths made absolute against the spec's folder."""
    check_options(kind, params, allowed, required=("questions", "out"))
    qs = params["questions"]
    if not isinstance(qs, list) or not qs or not all(isinstance(q, str) for q in qs):
        raise ConfigError(f"{kind} step: `questions` must be a non-empty list of file paths")
    opts = {k: (ctx.path(v) if k in _PATHS and v else v) for k, v in params.items()}
    opts["questions"] = [ctx.path(q) for q in qs]
    return opts


def train_gnn_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Train the GNN-RAG reasoner; returns the checkpoint's summary."""
    opts = _options("train-gnn", params, _TRAIN_OPTIONS, ctx)
    questions = opts.pop("questions")
    return ctx.rag.train_gnn(questions, log=ctx.log(), **opts)


def eval_kgqa_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Evaluate a trained model or the zero-shot scorer on KGQA questions; writes the report files."""
    opts = _options("eval-kgqa", params, _EVAL_OPTIONS, ctx)
    models = opts.get("models", [])
    if not isinstance(models, list):
        raise ConfigError("eval-kgqa step: `models` must be a list of checkpoint paths")
    opts["models"] = [ctx.path(m) for m in models]
    result = ctx.rag.evaluate("kgqa", log=ctx.log(), **opts)
    return {"report": result["report"], "by_hops": result["by_hops"]}


__all__ = ["eval_kgqa_step", "train_gnn_step"]
