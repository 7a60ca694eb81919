"""Shared CLI plumbing: the ``--db`` option, the console, and opening the store."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graphrag.config import DEFAULT_DB

DbOption = Annotated[
    Path,
    typer.Option("--db", help="Kuzu database directory (env GRAPHRAG_DB).", envvar="GRAPHRAG_DB"),
]
DEFAULT_DB_PATH = Path(os.environ.get("GRAPHRAG_DB_DEFAULT", DEFAULT_DB))

# Exit code when a run completed but skipped some input (bad files or records).
EXIT_SKIPPED = 3


def console() -> Console:
    """Console for results (stdout)."""
    return Console(highlight=False, soft_wrap=True)


def err_console() -> Console:
    """Console for progress, warnings and errors (stderr)."""
    return Console(stderr=True, highlight=False)
