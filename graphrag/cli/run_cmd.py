"""``graphrag run SPEC.toml``: run a declarative pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import run_spec, skipped_count
from graphrag.cli._apps import app
from graphrag.cli._common import EXIT_SKIPPED, console, err_console


@app.command()
def run(spec: Annotated[Path, typer.Argument(help="A pipeline spec, e.g. pipelines/demo.toml.")]) -> None:
    """Run a declarative pipeline spec (ingest, import, evaluate, train, ask ...).

    Exits with code 3 when a step completed but skipped some input (bad files, records or lines).
    """
    summaries = run_spec(spec, out=console(), err=err_console())
    skipped = sum(skipped_count(s) for s in summaries)
    if skipped:
        err_console().print(f"[yellow]{skipped} input item(s) were skipped; see the messages above[/]")
        raise typer.Exit(EXIT_SKIPPED)
