"""``graphrag eval triples``: text-to-triples precision / recall / F1 on the WebNLG 2020 test set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graphrag.api import GraphRAG
from graphrag.cli._apps import eval_app
from graphrag.cli._common import console, err_console


@eval_app.command("triples")
def triples(
    gold: Annotated[
        Path, typer.Option("--gold", help="WebNLG test set: the .jsonl conversion or the original .xml.")
    ],
    out: Annotated[
        Path, typer.Option("--out", help="Report JSON to write; a Markdown summary goes next to it.")
    ],
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N texts.")] = None,
    embedder: Annotated[
        str, typer.Option("--embedder", help="Embedder for entity resolution: minilm, hashing or none.")
    ] = "minilm",
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="spaCy nlp.pipe batch size.")] = 64,
    schema: Annotated[
        Path | None,
        typer.Option("--schema", help="Map predicates onto this schema's relations (e.g. WebNLG's properties)."),
    ] = None,
    schema_mode: Annotated[
        str, typer.Option("--schema-mode", help="strict drops triples no relation fits; open keeps them.")
    ] = "strict",
) -> None:
    """Extract triples from WebNLG texts; score them against the gold triples (strict and entity-pair)."""
    from graphrag.eval.triple_eval import report_tables

    with Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
    ) as progress:
        task = progress.add_task("extract", total=None)
        report = GraphRAG().evaluate(
            "triples",
            gold=gold,
            out=out,
            limit=limit,
            embedder=embedder,
            batch_size=batch_size,
            schema=schema,
            schema_mode=schema_mode,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    for table in report_tables(report):
        console().print(table)
    files = report["files"]
    console().print(f"wrote {files['json']} and {files['markdown']} ({report['elapsed_s']} s)")
