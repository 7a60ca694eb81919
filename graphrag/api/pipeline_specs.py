"""Declarative pipeline specs: ``graphrag run pipelines/NAME.toml`` (or :func:`run_spec` from Python).

A spec has a ``[store]`` section and a list of ``[[steps]]``, each with a ``kind`` naming a step of
:data:`graphrag.api.steps.STEPS`::

    [store]
    db = "data/work/demo.kuzu"

    [[steps]]
    kind = "ingest"
    paths = ["data/demo/2wiki_demo.jsonl"]

Relative paths in a spec are resolved against the spec file's folder's parent (the repository root for specs under
``pipelines/``), so a spec runs the same from any working directory. All steps share one
:class:`~graphrag.api.GraphRAG` over the spec's store, so models load once per run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console

from graphrag.api.graphrag import GraphRAG
from graphrag.api.steps import STEPS, RunContext
from graphrag.config import GraphRAGConfig, StoreConfig, from_dict, load_toml
from graphrag.errors import ConfigError, UnknownBackendError


def run_spec(path: str | Path, *, out: Console | None = None, err: Console | None = None) -> list[dict[str, Any]]:
    """Run every step of the spec at ``path`` in order, printing results to ``out`` and progress to ``err``;
    returns each step's summary."""
    out = out or Console(highlight=False, soft_wrap=True)
    err = err or Console(stderr=True, highlight=False)
    spec_path = Path(path)
    spec = load_toml(spec_path)
    unknown = sorted(set(spec) - {"store", "steps", "name", "description"})
    if unknown:
        raise ConfigError(f"{spec_path}: unknown top-level keys {unknown}; valid: name, description, store, steps")
    base = spec_path.resolve().parent
    if base.name == "pipelines":
        base = base.parent
    store_cfg = from_dict(StoreConfig, spec.get("store"), section="store")
    if not Path(store_cfg.db).is_absolute():
        store_cfg = StoreConfig(**{**store_cfg.__dict__, "db": str(base / store_cfg.db)})
    steps = spec.get("steps") or []
    if not steps:
        raise ConfigError(f"{spec_path}: no [[steps]]")
    ctx = RunContext(rag=GraphRAG(config=GraphRAGConfig(store=store_cfg)), base=base, out=out, err=err)
    summaries = []
    for i, step in enumerate(steps, 1):
        kind = step.get("kind")
        if kind not in STEPS:
            raise UnknownBackendError(f"step kind (step {i} of {spec_path})", str(kind), list(STEPS))
        params = {k: v for k, v in step.items() if k != "kind"}
        err.print(f"[bold]step {i}/{len(steps)}: {kind}[/]")
        summaries.append({"kind": kind, **STEPS[kind](params, ctx)})
    return summaries


def skipped_count(summary: dict[str, Any]) -> int:
    """How many inputs (files, records or lines) a step's summary says it skipped."""
    n = summary.get("skipped_lines", 0) or 0
    errors = summary.get("errors")
    if isinstance(errors, list):
        n += len(errors)
    return int(n)


__all__ = ["run_spec", "skipped_count"]
