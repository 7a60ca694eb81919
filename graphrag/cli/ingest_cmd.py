"""``graphrag ingest PATH...``: text files and corpora into the knowledge graph, incrementally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, EXIT_SKIPPED, DbOption, console, err_console
from graphrag.errors import UnknownBackendError


@app.command("ingest")
def ingest_command(
    paths: Annotated[
        list[Path],
        typer.Argument(
            help="Files or directories: .txt, .md, and JSON/JSONL corpora of {title, text} records "
            "(optionally .gz). Directories are searched recursively."
        ),
    ],
    db: DbOption = DEFAULT_DB_PATH,
    fast: Annotated[
        bool,
        typer.Option(
            "--fast",
            help="Fast mode: chunk embeddings see only the first 128 word pieces of each chunk, and entities "
            "get no name embeddings (linked by name and alias only; no similarity merging).",
        ),
    ] = False,
    embedder: Annotated[
        str | None,
        typer.Option("--embedder", help="minilm or hashing (fast, for tests); default: the store's own, else minilm."),
    ] = None,
    batch_docs: Annotated[
        int | None,
        typer.Option("--batch-docs", min=1, help="Documents per committed batch (default 256)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run report as one JSON object.")] = False,
) -> None:
    """Extract chunks, entities and triples from text into the graph. Re-running skips unchanged documents.

    Exits with code 3 when some input was skipped (bad file or record); the rest is loaded all the same.
    """
    from graphrag.extract.ingest import EMBEDDER_CHOICES
    from graphrag.extract.progress import make_progress, report_tables

    if embedder is not None and embedder not in EMBEDDER_CHOICES:
        raise UnknownBackendError("embedder", embedder, list(EMBEDDER_CHOICES))
    progress = make_progress(err_console())
    try:
        report = GraphRAG(db).ingest(
            paths, fast=fast, docs_per_batch=batch_docs, embedder=embedder, progress=progress
        )
    finally:
        progress.close()
    out = console()
    if as_json:
        out.print(json.dumps(report.as_dict(), indent=2), markup=False)
    else:
        for table in report_tables(report):
            out.print(table)
    if report.files_skipped:
        err = err_console()
        err.print(f"[yellow]{report.files_skipped} input file(s) skipped:[/]")
        for message in report.errors:
            err.print(f"  {message}", markup=False)
        raise typer.Exit(EXIT_SKIPPED)
