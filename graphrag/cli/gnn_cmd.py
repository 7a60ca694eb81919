"""``graphrag train-gnn`` and ``graphrag eval kgqa``: train the GNN-RAG reasoner and measure it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import app, eval_app
from graphrag.cli._common import DEFAULT_DB_PATH, DbOption, console, err_console

KbOption = Annotated[
    Path | None,
    typer.Option(
        "--kb",
        help="KB triple file (MetaQA head|relation|tail, plain or gzip); imported into --db "
        "first unless it is already there unchanged.",
    ),
]
QuestionsOption = Annotated[
    list[Path],
    typer.Option(
        "--questions",
        "-q",
        help="Question file(s): question<TAB>answer|answer, topic entity in [brackets] (MetaQA format). Repeatable.",
    ),
]


def _log(line: str) -> None:
    err_console().print(line, markup=False, highlight=False, soft_wrap=True)


@app.command("train-gnn")
def train_gnn_cmd(
    questions: QuestionsOption,
    out: Annotated[Path, typer.Option("--out", "-o", help="Where to write the checkpoint (.pt).")],
    kb: KbOption = None,
    db: DbOption = DEFAULT_DB_PATH,
    hops: Annotated[
        int | None,
        typer.Option(
            help="Subgraph radius and reasoning steps (default: the largest N of the questions' N-hop folders, else 3)."
        ),
    ] = None,
    max_nodes: Annotated[int, typer.Option(help="Most nodes per question subgraph (PPR-pruned).")] = 2000,
    epochs: Annotated[int, typer.Option(help="Most training epochs.")] = 20,
    patience: Annotated[int, typer.Option(help="Stop after this many epochs without a better validation Hits@1.")] = 3,
    batch_size: Annotated[int, typer.Option(help="Subgraphs per training step.")] = 32,
    lr: Annotated[float, typer.Option(help="Adam learning rate.")] = 3e-3,
    hidden: Annotated[int, typer.Option(help="Hidden size of question and relation vectors.")] = 128,
    val_fraction: Annotated[float, typer.Option(help="Share of the questions held out for validation.")] = 0.1,
    max_minutes: Annotated[float | None, typer.Option(help="Training time budget in minutes.")] = None,
    seed: Annotated[int, typer.Option(help="Random seed (split, shuffling, initial weights).")] = 0,
    embedder: Annotated[str, typer.Option(help="Question/predicate embedder: minilm or hashing.")] = "minilm",
    limit: Annotated[int | None, typer.Option(help="Use only the first N questions of each file.")] = None,
    skip: Annotated[int, typer.Option(help="Leave out the first N questions of each file.")] = 0,
    co_mentions: Annotated[
        bool,
        typer.Option(
            "--co-mentions",
            help="Also link each passage's topic entity to the entities it mentions (text stores).",
        ),
    ] = False,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bars.")] = False,
) -> None:
    """Train the GNN-RAG reasoner on KGQA questions (weak supervision from answers); save a checkpoint."""
    summary = GraphRAG(db).train_gnn(
        questions,
        out=out,
        kb=kb,
        hops=hops,
        max_nodes=max_nodes,
        hidden=hidden,
        epochs=epochs,
        patience=patience,
        batch_size=batch_size,
        lr=lr,
        val_fraction=val_fraction,
        max_minutes=max_minutes,
        seed=seed,
        embedder=embedder,
        limit=limit,
        skip=skip,
        co_mentions=co_mentions,
        progress=not no_progress,
        log=_log,
    )
    console().print(json.dumps(summary, indent=2), markup=False)


@eval_app.command("kgqa")
def eval_kgqa_cmd(
    questions: QuestionsOption,
    out: Annotated[Path, typer.Option("--out", "-o", help="Report JSON (Markdown and plots are written beside it).")],
    kb: KbOption = None,
    db: DbOption = DEFAULT_DB_PATH,
    model: Annotated[
        list[Path] | None,
        typer.Option(
            "--model",
            "-m",
            help="Checkpoint from train-gnn: one for all question files, or one per file in order.",
        ),
    ] = None,
    zero_shot: Annotated[
        bool,
        typer.Option("--zero-shot", help="Use an untrained scorer (--scorer) instead of a model."),
    ] = False,
    scorer: Annotated[
        str,
        typer.Option(
            help="Zero-shot scorer: paths (relation paths matched to the question's words) or ppr "
            "(question-weighted personalised PageRank)."
        ),
    ] = "paths",
    llm: Annotated[str, typer.Option(help="LLM that reads the reasoning paths: none, local, openai, ollama.")] = "none",
    llm_model: Annotated[
        str,
        typer.Option(help="Model for --llm: a .gguf path for local (default SmolLM2-135M), a name otherwise."),
    ] = "",
    llm_sample: Annotated[int, typer.Option(help="Questions (seeded sample per file) answered by the LLM.")] = 50,
    latency_sample: Annotated[
        int, typer.Option(help="Questions (per file) timed end to end, embedding included.")
    ] = 200,
    limit: Annotated[int | None, typer.Option(help="Use only the first N questions of each file.")] = None,
    skip: Annotated[int, typer.Option(help="Leave out the first N questions of each file.")] = 0,
    embedder: Annotated[
        str | None,
        typer.Option(
            help="Question embedder for --zero-shot (default minilm; a model uses the one it was trained with)."
        ),
    ] = None,
    no_plots: Annotated[bool, typer.Option("--no-plots", help="Skip the PNG plots.")] = False,
    no_progress: Annotated[bool, typer.Option("--no-progress", help="No progress bars.")] = False,
) -> None:
    """Measure GNN-RAG (or the zero-shot scorer) on KGQA questions: Hits@1, F1, recall, paths, latency."""
    result = GraphRAG(db).evaluate(
        "kgqa",
        questions=questions,
        out=out,
        kb=kb,
        models=model or [],
        zero_shot=zero_shot,
        zero_shot_scorer=scorer,
        llm=llm,
        llm_model=llm_model,
        llm_sample=llm_sample,
        latency_sample=latency_sample,
        limit=limit,
        skip=skip,
        embedder=embedder,
        plots=not no_plots,
        progress=not no_progress,
        log=_log,
    )
    console().print(json.dumps(result["by_hops"], indent=2), markup=False)
