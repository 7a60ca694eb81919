"""``graphrag eval qa``: answer quality (EM, F1, citations, abstention, latency), answerers side by side."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import eval_app
from graphrag.cli._common import DEFAULT_DB_PATH, DbOption, console, err_console
from graphrag.cli.ask_cmd import _check_gnn_path
from graphrag.config import GraphRAGConfig


@eval_app.command("qa")
def qa(
    questions: Annotated[
        Path, typer.Option("--questions", help="Questions with answers: 2Wiki-style JSON, or MetaQA lines.")
    ],
    out: Annotated[Path, typer.Option("--out", help="Report JSON (a .md table and a PNG are written beside it).")],
    db: DbOption = DEFAULT_DB_PATH,
    answerer: Annotated[
        list[str] | None,
        typer.Option(
            "--answerer",
            help="extractive, local, gemma, none, openai or ollama; repeat to compare (default: extractive).",
        ),
    ] = None,
    gold: Annotated[
        Path | None, typer.Option("--gold", help="gold_titles.json: question id -> supporting passage titles.")
    ] = None,
    corpus: Annotated[Path | None, typer.Option("--corpus", help="Ingest this corpus into the store first.")] = None,
    limit: Annotated[int, typer.Option("--limit", min=0, help="Only the first N questions (0: all).")] = 0,
    skip: Annotated[int, typer.Option("--skip", min=0, help="Leave out the first N questions.")] = 0,
    gnn: Annotated[
        str | None,
        typer.Option(
            "--gnn", help="GNN-RAG in the answer path: auto (the store's checkpoint), off, or a checkpoint path."
        ),
    ] = None,
    absent: Annotated[
        bool,
        typer.Option(
            "--absent",
            help="Also ask each question about invented entities (its names replaced; needs --gold): abstention.",
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Questions asked at a time (for remote models).")
    ] = 1,
    model: Annotated[
        str | None, typer.Option("--model", help="Model name (openai/ollama) or a .gguf path (local, gemma).")
    ] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Endpoint for openai/ollama.")] = None,
) -> None:
    """Answer every question with each answerer through `ask`, and score the answers."""
    err = err_console()
    cfg = GraphRAGConfig()
    if gnn is not None:
        _check_gnn_path(gnn)
        cfg = dataclasses.replace(cfg, retrieve=dataclasses.replace(cfg.retrieve, gnn=gnn))
    data = GraphRAG(db, config=cfg).evaluate(
        "qa",
        questions=questions,
        out=out,
        answerers=answerer or ["extractive"],
        gold=gold,
        corpus=corpus,
        limit=limit,
        skip=skip,
        absent=absent,
        workers=workers,
        model=model,
        base_url=base_url,
        on_progress=lambda name, k, n: err.print(f"{name}: {k}/{n}") if k % 50 == 0 or k == n else None,
    )
    for a in data["answerers"]:
        console().print(
            f"{a['answerer']}: EM {a['exact_match']:.1f}  F1 {a['f1']:.1f}  cited text has answer "
            f"{a['cited_text_has_answer']:.1f} %  abstained {a['abstention_rate']:.1f} %  "
            f"p50 {a['latency_ms']['p50']:.0f} ms  p95 {a['latency_ms']['p95']:.0f} ms"
            + (
                f"  absent entities: abstained {a['absent_entities']['abstention_rate']:.1f} %"
                if "absent_entities" in a
                else ""
            )
        )
    err.print(f"report: {data['report']} and {data['table']}")
