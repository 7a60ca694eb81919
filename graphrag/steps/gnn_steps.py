"""Pipeline steps ``train-gnn`` and ``eval-kgqa`` (the same jobs as ``graphrag train-gnn`` / ``eval kgqa``).

Options (a spec's ``[[steps]]`` table)::

    kind = "train-gnn"
    kb = "../shared/data/metaqa/kb.txt.gz"   # optional: imported into [store] db first if not there
    questions = ["../shared/data/metaqa/2-hop/vanilla/qa_dev.txt"]
    out = "data/work/gnn/metaqa-2hop.pt"
    hops = 2              # optional (default from the N-hop folder)
    # also: max_nodes, hidden, epochs, patience, batch_size, lr, val_fraction, max_minutes, seed, embedder,
    # limit, progress

    kind = "eval-kgqa"
    kb = "..."            # optional, as above
    questions = ["../shared/data/metaqa/2-hop/vanilla/qa_test.txt"]
    models = ["data/work/gnn/metaqa-2hop.pt"]   # or zero_shot = true
    out = "data/work/reports/metaqa-2hop.json"
    # also: llm ("none"), llm_model, llm_sample, latency_sample, limit, plots, progress,
    # embedder (zero-shot only)
"""

from __future__ import annotations

from typing import Any

from graphrag.errors import ConfigError
from graphrag.pipeline import RunContext, check_options, register_step

_TRAIN_OPTIONS = (
    "kb", "questions", "out", "hops", "max_nodes", "hidden", "epochs", "patience", "batch_size", "lr",
    "val_fraction", "max_minutes", "seed", "embedder", "limit", "progress",
)  # fmt: skip
_EVAL_OPTIONS = (
    "kb", "questions", "out", "models", "zero_shot", "llm", "llm_model", "llm_sample", "latency_sample",
    "limit", "plots", "progress", "embedder",
)  # fmt: skip


def _check(kind: str, params: dict[str, Any], allowed: tuple[str, ...]) -> None:
    check_options(kind, params, allowed, required=("questions", "out"))
    qs = params["questions"]
    if not isinstance(qs, list) or not qs or not all(isinstance(q, str) for q in qs):
        raise ConfigError(f"{kind} step: `questions` must be a non-empty list of file paths")


@register_step("train-gnn")
def train_gnn_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Train the GNN-RAG reasoner; returns the checkpoint's summary."""
    from graphrag.embed import make_embedder
    from graphrag.gnn.checkpoint import RetrieverSettings
    from graphrag.gnn.jobs import train_job
    from graphrag.gnn.train import TrainConfig

    _check("train-gnn", params, _TRAIN_OPTIONS)
    name = str(params.get("embedder", "minilm"))
    max_minutes = params.get("max_minutes")
    train_cfg = TrainConfig(
        epochs=int(params.get("epochs", 20)),
        patience=int(params.get("patience", 3)),
        batch_size=int(params.get("batch_size", 32)),
        lr=float(params.get("lr", 3e-3)),
        val_fraction=float(params.get("val_fraction", 0.1)),
        seed=int(params.get("seed", 0)),
        max_train_s=float(max_minutes) * 60 if max_minutes is not None else None,
    )
    return train_job(
        db=ctx.store.db,
        questions=[ctx.path(q) for q in params["questions"]],
        out=ctx.path(params["out"]),
        kb=ctx.path(params["kb"]) if params.get("kb") else None,
        hops=int(params["hops"]) if params.get("hops") else None,
        max_nodes=int(params.get("max_nodes", 2000)),
        hidden_channels=int(params.get("hidden", 128)),
        train=train_cfg,
        settings=RetrieverSettings(embedder=name),
        embedder=ctx.cached(f"embedder:{name}", lambda: make_embedder(name)),
        limit=params.get("limit"),
        progress=bool(params.get("progress", True)),
        log=lambda line: ctx.err.print(line, markup=False, highlight=False, soft_wrap=True),
    )


@register_step("eval-kgqa")
def eval_kgqa_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Evaluate a trained model or the zero-shot scorer on KGQA questions; writes the report files."""
    from graphrag.gnn.jobs import eval_job

    _check("eval-kgqa", params, _EVAL_OPTIONS)
    models = params.get("models", [])
    if not isinstance(models, list):
        raise ConfigError("eval-kgqa step: `models` must be a list of checkpoint paths")
    embedder = None
    if params.get("embedder"):
        from graphrag.embed import make_embedder

        name = str(params["embedder"])
        embedder = ctx.cached(f"embedder:{name}", lambda: make_embedder(name))
    result = eval_job(
        db=ctx.store.db,
        questions=[ctx.path(q) for q in params["questions"]],
        out=ctx.path(params["out"]),
        kb=ctx.path(params["kb"]) if params.get("kb") else None,
        models=[ctx.path(m) for m in models],
        zero_shot=bool(params.get("zero_shot", False)),
        llm=str(params.get("llm", "none")),
        llm_model=str(params.get("llm_model", "")),
        llm_sample=int(params.get("llm_sample", 50)),
        latency_sample=int(params.get("latency_sample", 200)),
        limit=params.get("limit"),
        embedder=embedder,
        plots=bool(params.get("plots", True)),
        progress=bool(params.get("progress", True)),
        log=lambda line: ctx.err.print(line, markup=False, highlight=False, soft_wrap=True),
    )
    return {"report": result["report"], "by_hops": result["by_hops"]}


__all__ = ["eval_kgqa_step", "train_gnn_step"]
