"""Shared CLI plumbing: the ``--db`` option, the console, and opening the store."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from graphrag.acl import Principal
from graphrag.config import DEFAULT_DB, GraphRAGConfig
from graphrag.errors import ConfigError

DbOption = Annotated[
    Path,
    typer.Option("--db", help="Kuzu database directory (env GRAPHRAG_DB).", envvar="GRAPHRAG_DB"),
]
DEFAULT_DB_PATH = Path(os.environ.get("GRAPHRAG_DB_DEFAULT", DEFAULT_DB))

AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Read as this user: only documents whose ACL is empty or names one of the user's groups (or "
        "user:NAME) are seen, by every retriever, path, count and query (env GRAPHRAG_USER).",
        envvar="GRAPHRAG_USER",
    ),
]
GroupsOption = Annotated[
    str | None,
    typer.Option("--groups", help="The --as user's groups, comma-separated (env GRAPHRAG_GROUPS).",
                 envvar="GRAPHRAG_GROUPS"),
]  # fmt: skip

# Exit code when a run completed but skipped some input (bad files or records).
EXIT_SKIPPED = 3


EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="The graph engine of a NEW store: kuzu (0.11.3) or ladybug (LadybugDB); an existing store always opens "
        "with the engine that wrote it (default: [store] engine, else $GRAPHRAG_ENGINE, else kuzu).",
    ),
]


def with_engine(config: GraphRAGConfig | None, engine: str | None) -> GraphRAGConfig | None:
    """``config`` with ``[store] engine`` set to ``engine`` (unchanged without one)."""
    if engine is None:
        return config
    from graphrag.store.engines import ENGINES

    if engine not in (*ENGINES, "auto"):
        raise ConfigError(f"unknown --engine {engine!r}; choose one of: auto, {', '.join(ENGINES)}")
    cfg = config or GraphRAGConfig()
    return dataclasses.replace(cfg, store=dataclasses.replace(cfg.store, engine=engine))


def principal_of(user: str | None, groups: str | None) -> Principal | None:
    """The principal ``--as USER --groups g1,g2`` name (``None`` without ``--as``: the store's owner)."""
    if user is None or not user.strip():
        if groups:
            raise ConfigError("--groups needs --as USER (whose groups they are)")
        return None
    return Principal.of(user, groups)


def console() -> Console:
    """Console for results (stdout)."""
    return Console(highlight=False, soft_wrap=True)


def err_console() -> Console:
    """Console for progress, warnings and errors (stderr)."""
    return Console(stderr=True, highlight=False)
