"""``graphrag serve`` (HTTP API) and ``graphrag mcp`` (Model Context Protocol tools): one process, models loaded
once."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import GraphRAG
from graphrag.cli._apps import app
from graphrag.cli._common import DEFAULT_DB_PATH, AsOption, DbOption, GroupsOption, err_console, principal_of
from graphrag.config import GraphRAGConfig
from graphrag.embed import Embedder
from graphrag.errors import ConfigError, ModelUnavailableError

ConfigOption = Annotated[Path | None, typer.Option("--config", help="TOML with [store] / [retrieve] / [answer].")]
GnnOption = Annotated[str, typer.Option("--gnn", help="GNN-RAG: auto (the store's checkpoint), off, or a .pt path.")]
LlmOption = Annotated[
    str, typer.Option("--llm", help="Default answerer: extractive, none, local, gemma, openai or ollama.")
]


def _config(config: Path | None, gnn: str) -> GraphRAGConfig:
    cfg = GraphRAGConfig.from_toml(config) if config else GraphRAGConfig()
    if gnn:
        cfg = dataclasses.replace(cfg, retrieve=dataclasses.replace(cfg.retrieve, gnn=gnn))
    return cfg


def _warm(rag: GraphRAG, llm: str) -> float:
    """Load the indexes and models before the first request; returns the seconds it took."""
    t0 = time.perf_counter()
    if rag.exists():
        rag.ask("warm-up", llm=llm)
    return time.perf_counter() - t0


def _shared_embedder(db: Path, cfg: GraphRAGConfig) -> Embedder | None:
    """One question embedder for every worker of every identity (one model in memory; the questions that
    arrive together are embedded in one pass, see :mod:`graphrag.embed.micro_batch`); ``None`` before the store
    exists (each worker then loads its own once there is one)."""
    from graphrag.embed.micro_batch import MicroBatchingEmbedder

    rag = GraphRAG(db, config=cfg, read_only=True)
    return MicroBatchingEmbedder(rag.question_embedder()) if rag.exists() else None


@app.command("serve")
def serve_command(
    db: DbOption = DEFAULT_DB_PATH,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (default: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    allow_writes: Annotated[bool, typer.Option("--allow-writes", help="Enable POST /ingest (off by default).")] = False,
    identity_headers: Annotated[
        bool, typer.Option("--identity-headers", help="Read each request's user from X-Forwarded-User/-Groups.")
    ] = False,
    as_user: AsOption = None,
    groups: GroupsOption = None,
    llm: LlmOption = "extractive",
    gnn: GnnOption = "",
    config: ConfigOption = None,
    max_body_kb: Annotated[int, typer.Option("--max-body-kb", min=1, help="Largest request body.")] = 256,
    timeout_s: Annotated[float, typer.Option("--timeout-s", min=0.1, help="Longest a request may take.")] = 60.0,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, help="Requests answered at once per identity (each worker holds its own indexes)."
        ),
    ] = 1,
) -> None:
    """Answer over HTTP: /ask, /retrieve, /cypher, /entities/{id}, /ingest, /health, /metrics (docs at /docs)."""
    try:
        import uvicorn

        from graphrag.serve.app import ServeSettings, create_app
    except ModuleNotFoundError as exc:
        raise ModelUnavailableError(
            f"graphrag serve needs FastAPI and uvicorn: pip install -e '.[serve]' ({exc})"
        ) from None
    who = principal_of(as_user, groups)
    if who is not None and identity_headers:
        raise ConfigError("--as fixes one identity and --identity-headers takes it from each request: pick one")
    cfg = _config(config, gnn)
    embedder = _shared_embedder(db, cfg)

    def factory(principal, read_only):  # noqa: ANN001, ANN202 - the app's GraphRAG maker
        return GraphRAG(db, config=cfg, principal=principal, read_only=read_only, embedder=embedder)

    settings = ServeSettings(allow_writes=allow_writes, identity_headers=identity_headers, principal=who, llm=llm,
                             max_body_kb=max_body_kb, timeout_s=timeout_s, workers=workers)  # fmt: skip
    application = create_app(factory, settings, embedder=embedder)
    err = err_console()
    t0 = time.perf_counter()
    loads: list[float] = []
    application.state.graphs.warm(who, lambda rag: loads.append(_warm(rag, llm)))
    warm = sum(loads)
    err.print(f"graphrag serve: {db} on http://{host}:{port} (docs /docs); models loaded in {warm:.1f} s "
              f"(cold start {time.perf_counter() - t0:.1f} s)", markup=False)  # fmt: skip
    uvicorn.run(application, host=host, port=port, log_level="warning")


@app.command("mcp")
def mcp_command(
    db: DbOption = DEFAULT_DB_PATH,
    transport: Annotated[str, typer.Option("--transport", help="stdio (default) or http (streamable HTTP).")] = "stdio",
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8001,
    as_user: AsOption = None,
    groups: GroupsOption = None,
    llm: LlmOption = "extractive",
    gnn: GnnOption = "",
    config: ConfigOption = None,
) -> None:
    """Serve the graph as MCP tools (ask, retrieve, cypher, entity, paths) to agent clients; read-only."""
    if transport not in ("stdio", "http"):
        raise ConfigError(f"unknown --transport {transport!r}; choose stdio or http")
    try:
        from graphrag.serve.mcp_tools import build_mcp
    except ModuleNotFoundError as exc:
        raise ModelUnavailableError(f"graphrag mcp needs the mcp package: pip install -e '.[serve]' ({exc})") from None
    rag = GraphRAG(db, config=_config(config, gnn), principal=principal_of(as_user, groups), read_only=True)
    server = build_mcp(rag, llm=llm)
    if transport == "stdio":
        server.run("stdio")
    else:
        server.settings.host, server.settings.port = host, port
        server.run("streamable-http")
