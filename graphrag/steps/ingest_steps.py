"""The ``ingest`` step: text files and corpora into the store named by the spec's ``[store]`` section.

::

    [[steps]]
    kind = "ingest"
    paths = ["data/demo/2wiki_demo.jsonl"]   # files or directories, relative to the repository root
    fast = false                            # optional: 128-token chunk embeddings, no entity embeddings
    embedder = "minilm"                     # optional: minilm or hashing
    docs_per_batch = 256                    # optional
"""

from __future__ import annotations

from typing import Any

from graphrag.config import IngestConfig
from graphrag.errors import ConfigError, UnknownBackendError
from graphrag.pipeline import RunContext, check_options, register_step

_OPTIONS = {"paths", "fast", "embedder", "docs_per_batch"}


@register_step("ingest")
def ingest_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Ingest ``paths``; returns the run report (counts, skipped files with reasons, time per stage)."""
    from graphrag.extract.embedding import make_ingest_embedder
    from graphrag.extract.ingest import EMBEDDER_CHOICES, embed_threads, ingest
    from graphrag.extract.progress import make_progress, report_tables

    check_options("ingest", params, _OPTIONS)
    paths = params.get("paths")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        raise ConfigError("ingest step needs `paths`, a non-empty list of file or directory paths")
    fast = params.get("fast", False)
    if not isinstance(fast, bool):
        raise ConfigError(f"ingest step option `fast` must be true or false, got {fast!r}")
    name = params.get("embedder", "minilm")
    if name not in EMBEDDER_CHOICES:
        raise UnknownBackendError("embedder", str(name), list(EMBEDDER_CHOICES))
    batch = params.get("docs_per_batch", IngestConfig.docs_per_batch)
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        raise ConfigError(f"ingest step option `docs_per_batch` must be a positive integer, got {batch!r}")
    config = IngestConfig(store=ctx.store, fast=fast, docs_per_batch=batch)
    embedder = ctx.cached(
        f"ingest-embedder:{name}:{fast}",
        lambda: make_ingest_embedder(name, config=config.embed, fast=fast, threads=embed_threads(True)),
    )
    progress = make_progress(ctx.err)
    try:
        report = ingest(
            [ctx.path(p) for p in paths], db=ctx.store.db, config=config, embedder=embedder, progress=progress
        )
    finally:
        progress.close()
    for table in report_tables(report):
        ctx.out.print(table)
    for message in report.errors:
        ctx.err.print(f"[yellow]skipped:[/] {message}")
    return report.as_dict()
