"""Declarative pipeline specs: ``graphrag run pipelines/NAME.toml``.

A spec has a ``[store]`` section and a list of ``[[steps]]``, each with a ``kind`` naming a registered step::

    [store]
    db = "data/work/demo.kuzu"

    [[steps]]
    kind = "ingest"
    paths = ["data/demo/2wiki_demo.jsonl"]

Relative paths in a spec are resolved against the spec file's folder's parent (the repository root for specs under
``pipelines/``), so a spec runs the same from any working directory.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from graphrag.config import StoreConfig, from_dict, load_toml
from graphrag.errors import ConfigError, UnknownBackendError


@dataclass
class RunContext:
    """What every step receives: the store config, the spec's base folder, consoles and a cache of heavy objects."""

    store: StoreConfig
    base: Path
    out: Console
    err: Console
    cache: dict[str, Any] = field(default_factory=dict)

    def path(self, value: str) -> Path:
        """A spec path made absolute against the spec's base folder."""
        p = Path(value)
        return p if p.is_absolute() else (self.base / p)

    def cached(self, key: str, factory: Callable[[], Any]) -> Any:
        """Build a heavy object (embedder, spaCy pipeline) once per run."""
        if key not in self.cache:
            self.cache[key] = factory()
        return self.cache[key]


Step = Callable[[dict[str, Any], RunContext], dict[str, Any]]
STEPS: dict[str, Step] = {}


def register_step(kind: str) -> Callable[[Step], Step]:
    """Register a step function under ``kind``."""

    def deco(fn: Step) -> Step:
        STEPS[kind] = fn
        return fn

    return deco


def _load_steps() -> None:
    # Step modules register themselves on import; importing them here keeps this module free of heavy imports.
    import graphrag.steps  # noqa: F401


def run_spec(path: str | Path, *, out: Console, err: Console) -> list[dict[str, Any]]:
    """Run every step of the spec at ``path`` in order; returns each step's summary."""
    _load_steps()
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
    ctx = RunContext(store=store_cfg, base=base, out=out, err=err)
    steps = spec.get("steps") or []
    if not steps:
        raise ConfigError(f"{spec_path}: no [[steps]]")
    summaries = []
    for i, step in enumerate(steps, 1):
        kind = step.get("kind")
        if kind not in STEPS:
            raise UnknownBackendError(f"step kind (step {i} of {spec_path})", str(kind), list(STEPS))
        params = {k: v for k, v in step.items() if k != "kind"}
        err.print(f"[bold]step {i}/{len(steps)}: {kind}[/]")
        summaries.append({"kind": kind, **STEPS[kind](params, ctx)})
    return summaries


def check_options(kind: str, params: dict[str, Any], allowed: Iterable[str], *, required: Iterable[str] = ()) -> None:
    """Refuse a step's unknown options (naming the valid ones), then its missing required ones."""
    valid = set(allowed)
    unknown = sorted(set(params) - valid)
    if unknown:
        raise ConfigError(f"{kind} step: unknown options {unknown}; valid: {sorted(valid)}")
    missing = [k for k in required if k not in params]
    if missing:
        raise ConfigError(f"{kind} step needs " + ", ".join(f"`{k}`" for k in missing))


def skipped_count(summary: dict[str, Any]) -> int:
    """How many inputs (files, records or lines) a step's summary says it skipped."""
    n = summary.get("skipped_lines", 0) or 0
    errors = summary.get("errors")
    if isinstance(errors, list):
        n += len(errors)
    return int(n)
