"""The ``ingest`` step: text files and corpora into the store named by the spec's ``[store]`` section.

::

    [[steps]]
    kind = "ingest"
    paths = ["data/demo/2wiki_demo.jsonl"]   # files or directories, relative to the repository root
    fast = false                            # optional: 128-token chunk embeddings, no entity embeddings
    embedder = "minilm"                     # optional: minilm or hashing
    docs_per_batch = 256                    # optional
    schema = "data/schemas/people_and_works.toml"  # optional: map predicates onto a schema's relations
    schema_mode = "open"                    # optional: open or strict (drop triples no relation fits)
    extractor = "rules"                     # optional: rules, llm or hybrid
    llm = "local"                           # optional, with extractor llm/hybrid: local, openai, ollama
    model = ""                              # optional: model name or .gguf path
    base_url = ""                           # optional: endpoint of openai/ollama
    llm_concurrency = 1                     # optional: chunks sent to a remote LLM at once
    engine = "local"                        # optional: local, or ray (chunk, analyse, embed on a Ray cluster)
    ray_address = "local"                   # optional, with engine ray: auto, HOST:PORT, ray://HOST:PORT or local
    ray_workers = 2                         # optional, with engine ray: actors per stage
"""

from __future__ import annotations

from typing import Any

from graphrag.api.extraction_setup import ExtractionOptions
from graphrag.api.steps.context import RunContext, check_options
from graphrag.config import IngestConfig
from graphrag.errors import ConfigError, UnknownBackendError

_OPTIONS = {
    "paths", "fast", "embedder", "docs_per_batch", "schema", "schema_mode", "extractor", "llm", "model", "base_url",
    "llm_concurrency", "acl", "mask_pii", "engine", "ray_address", "ray_workers",
}  # fmt: skip
_TEXT_OPTIONS = ("schema_mode", "extractor", "llm", "model", "base_url")


def ingest_step(params: dict[str, Any], ctx: RunContext) -> dict[str, Any]:
    """Ingest ``paths``; returns the run report (counts, skipped files with reasons, time per stage)."""
    from graphrag.extract.ingest import EMBEDDER_CHOICES, ENGINE_CHOICES
    from graphrag.extract.progress import make_progress, report_tables

    check_options("ingest", params, _OPTIONS)
    paths = params.get("paths")
    if not isinstance(paths, list) or not paths or not all(isinstance(p, str) for p in paths):
        raise ConfigError("ingest step needs `paths`, a non-empty list of file or directory paths")
    fast = params.get("fast", False)
    if not isinstance(fast, bool):
        raise ConfigError(f"ingest step option `fast` must be true or false, got {fast!r}")
    name = params.get("embedder")
    if name is not None and name not in EMBEDDER_CHOICES:
        raise UnknownBackendError("embedder", str(name), list(EMBEDDER_CHOICES))
    batch = params.get("docs_per_batch", IngestConfig.docs_per_batch)
    if not isinstance(batch, int) or isinstance(batch, bool) or batch < 1:
        raise ConfigError(f"ingest step option `docs_per_batch` must be a positive integer, got {batch!r}")
    extra: dict[str, Any] = {}
    for key in _TEXT_OPTIONS:
        if key in params:
            if not isinstance(params[key], str):
                raise ConfigError(f"ingest step option `{key}` must be a string, got {params[key]!r}")
            extra[key] = params[key]
    if "schema" in params:
        if not isinstance(params["schema"], str):
            raise ConfigError(f"ingest step option `schema` must be a path, got {params['schema']!r}")
        extra["schema"] = ctx.path(params["schema"])
    if "llm_concurrency" in params:
        n = params["llm_concurrency"]
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ConfigError(f"ingest step option `llm_concurrency` must be a positive integer, got {n!r}")
        extra["llm_concurrency"] = n
    access: dict[str, Any] = {}
    if "acl" in params:  # "g1,g2" or a list of groups; checked like --acl
        access["acl"] = params["acl"]
    if "mask_pii" in params:
        if not isinstance(params["mask_pii"], bool):
            raise ConfigError(f"ingest step option `mask_pii` must be true or false, got {params['mask_pii']!r}")
        access["mask_pii"] = params["mask_pii"]
    engine = params.get("engine", "local")
    if engine not in ENGINE_CHOICES:
        raise UnknownBackendError("ingest engine", str(engine), list(ENGINE_CHOICES))
    if engine == "ray":
        address = params.get("ray_address", "local")
        workers = params.get("ray_workers", 2)
        if not isinstance(address, str):
            raise ConfigError(f"ingest step option `ray_address` must be a string, got {address!r}")
        if not isinstance(workers, int) or isinstance(workers, bool) or workers < 1:
            raise ConfigError(f"ingest step option `ray_workers` must be a positive integer, got {workers!r}")
        access.update(ray=address, ray_workers=workers)
    elif "ray_address" in params or "ray_workers" in params:
        raise ConfigError('ingest step options `ray_address` and `ray_workers` need engine = "ray"')
    endpoint = {k: extra.pop(k) for k in ("model", "base_url") if k in extra}
    extraction = ExtractionOptions(endpoint=endpoint, **extra)
    progress = make_progress(ctx.err)
    try:
        report = ctx.rag.ingest(
            [ctx.path(p) for p in paths],
            fast=fast,
            docs_per_batch=batch,
            embedder=name,
            progress=progress,
            extraction=extraction,
            **access,
        )
    finally:
        progress.close()
    for table in report_tables(report):
        ctx.out.print(table)
    for message in report.errors:
        ctx.err.print(f"[yellow]skipped:[/] {message}")
    return report.as_dict()


__all__ = ["ingest_step"]
