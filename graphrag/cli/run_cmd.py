"""``graphrag run SPEC.toml``: run a declarative pipeline."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from graphrag.cli._apps import app
from graphrag.cli._common import console, err_console
from graphrag.pipeline import run_spec


@app.command()
def run(spec: Annotated[Path, typer.Argument(help="A pipeline spec, e.g. pipelines/demo.toml.")]) -> None:
    """Run a declarative pipeline spec (ingest, import, evaluate, train, ask ...)."""
    run_spec(spec, out=console(), err=err_console())
