"""``graphrag eval triples``: text-to-triples precision / recall / F1 on the WebNLG 2020 test set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from graphrag.cli._apps import eval_app
from graphrag.cli._common import console, err_console
from graphrag.config import NLPConfig, ResolveConfig
from graphrag.errors import ConfigError

NO_EMBEDDER = "none"


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
) -> None:
    """Extract triples from WebNLG texts; score them against the gold triples (strict and entity-pair)."""
    from graphrag.embed import make_embedder
    from graphrag.eval.triple_eval import evaluate, report_tables, write_report
    from graphrag.eval.webnlg import load_webnlg
    from graphrag.extract.nlp import SpacyAnalyzer
    from graphrag.extract.resolve import EntityResolver

    if out.suffix.lower() != ".json":
        raise ConfigError(f"--out must name a .json file, got {out}")
    load_webnlg(gold)  # fail on a bad gold file before loading any model
    emb = None if embedder == NO_EMBEDDER else make_embedder(embedder)
    analyzer = SpacyAnalyzer(NLPConfig(batch_size=batch_size))
    resolver = EntityResolver(emb, ResolveConfig())
    with Progress(
        TextColumn("extracting"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
    ) as progress:
        task = progress.add_task("extract", total=None)
        report = evaluate(
            gold,
            analyzer,
            resolver,
            limit=limit,
            on_progress=lambda done, total: progress.update(task, completed=done, total=total),
        )
    json_path, md_path = write_report(report, out)
    for table in report_tables(report):
        console().print(table)
    console().print(f"wrote {json_path} and {md_path} ({report['elapsed_s']} s)")
