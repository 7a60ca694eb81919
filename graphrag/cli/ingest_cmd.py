"""``graphrag ingest PATH...``: text files and corpora into the knowledge graph, incrementally."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from graphrag.api import CONFIGURED, GraphRAG
from graphrag.api.extraction_setup import ExtractionOptions
from graphrag.cli._apps import app
from graphrag.cli._common import (
    DEFAULT_DB_PATH,
    EXIT_SKIPPED,
    DbOption,
    EngineOption,
    console,
    err_console,
    with_engine,
)
from graphrag.config import GraphRAGConfig
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
        typer.Option(
            "--batch-docs",
            min=1,
            help="Documents per committed batch, exactly (default: 256, or more while their text is under "
            "[ingest] batch_kb).",
        ),
    ] = None,
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Skip a corpus file whole when any of its records is unreadable (default: skip the bad records "
            "one by one, each reported with file:line, and ingest the rest).",
        ),
    ] = False,
    extractor: Annotated[
        str,
        typer.Option(
            "--extractor",
            help="rules (spaCy, the default), llm (an LLM's triples instead) or hybrid (both). The LLM's replies "
            "are held to a JSON schema where the backend allows, cached beside the store, and a chunk whose reply "
            "never parses keeps its rule triples.",
        ),
    ] = "rules",
    llm: Annotated[
        str | None, typer.Option("--llm", help="The extraction LLM: local, openai or ollama (default: [answer] llm).")
    ] = None,
    model: Annotated[str | None, typer.Option("--model", help="Model name, or a .gguf path for local.")] = None,
    base_url: Annotated[str | None, typer.Option("--base-url", help="Endpoint of openai/ollama.")] = None,
    llm_concurrency: Annotated[
        int, typer.Option("--llm-concurrency", min=1, help="Chunks sent to a remote LLM at once.")
    ] = 1,
    cache: Annotated[
        Path | None,
        typer.Option(
            "--extraction-cache",
            help="Where LLM extractions are cached (default: DB.extract-cache.sqlite beside the store; it outlives "
            "a deleted store, so rebuilding one asks the model nothing).",
        ),
    ] = None,
    no_cache: Annotated[
        bool, typer.Option("--no-extraction-cache", help="Do not read or write the LLM extraction cache.")
    ] = False,
    schema: Annotated[
        Path | None,
        typer.Option(
            "--schema",
            help="A schema TOML (entity types and relations): predicates are mapped onto its relations "
            "(see `graphrag schema suggest`).",
        ),
    ] = None,
    schema_mode: Annotated[
        str, typer.Option("--schema-mode", help="open keeps triples no relation fits; strict drops them.")
    ] = "open",
    acl: Annotated[
        str | None,
        typer.Option(
            "--acl",
            help="Who may read these documents: groups, comma-separated (user:NAME for one person); default "
            'public. A JSON/JSONL record\'s own "acl" field wins. Re-ingesting unchanged documents with another '
            "ACL only updates it.",
        ),
    ] = None,
    mask_pii: Annotated[
        bool,
        typer.Option(
            "--mask-pii",
            help="Replace emails, phone, card and IBAN numbers, IP addresses and person names by typed "
            "placeholders ([EMAIL_1], [PERSON_2] ...) before anything is chunked, embedded or stored; with "
            "GRAPHRAG_PII_KEY set, the originals are kept encrypted for `graphrag unmask`.",
        ),
    ] = False,
    engine: EngineOption = None,
    ray: Annotated[
        bool,
        typer.Option(
            "--ray",
            help="Chunk, analyse and embed on a Ray cluster: a local one started for the run, or the one at "
            "--ray-address. This process still plans, hashes and writes; the store ends the same as after a local "
            "run. Needs pip install 'graphrag[ray]'.",
        ),
    ] = False,
    ray_address: Annotated[
        str | None,
        typer.Option(
            "--ray-address",
            metavar="ADDRESS",
            help="A running Ray cluster for --ray (implies it): auto, HOST:PORT or ray://HOST:PORT.",
        ),
    ] = None,
    ray_workers: Annotated[
        int | None,
        typer.Option(
            "--ray-workers", min=1, help="Actors per stage (spaCy, embedding) for --ray (implies it; default 2)."
        ),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the run report as one JSON object.")] = False,
    config: Annotated[
        Path | None,
        typer.Option("--config", help="TOML with [store] (e.g. buffer_pool_mb) and [ingest] settings."),
    ] = None,
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
        extraction = ExtractionOptions(
            extractor=extractor,
            llm=llm or CONFIGURED,
            endpoint={k: v for k, v in (("model", model), ("base_url", base_url)) if v is not None},
            llm_concurrency=llm_concurrency,
            extraction_cache=None if no_cache else cache or CONFIGURED,
            schema=schema,
            schema_mode=schema_mode,
        )
        cfg = with_engine(GraphRAGConfig.from_toml(config) if config else None, engine)
        report = GraphRAG(db, config=cfg).ingest(
            paths,
            fast=fast,
            docs_per_batch=batch_docs,
            embedder=embedder,
            progress=progress,
            extraction=extraction,
            strict=strict or None,
            acl=acl,
            mask_pii=mask_pii or None,
            ray=ray_address or ("local" if ray else None),
            ray_workers=ray_workers,
        )
    finally:
        progress.close()
    out = console()
    if as_json:
        out.print(json.dumps(report.as_dict(), indent=2), markup=False)
    else:
        for table in report_tables(report):
            out.print(table)
    if report.files_skipped or report.records_skipped:
        err = err_console()
        parts = [f"{report.files_skipped} input file(s)"] if report.files_skipped else []
        parts += [f"{report.records_skipped} record(s) of corpora"] if report.records_skipped else []
        err.print(f"[yellow]skipped {' and '.join(parts)}:[/]")
        for message in report.errors:
            err.print(f"  {message}", markup=False)
        raise typer.Exit(EXIT_SKIPPED)
