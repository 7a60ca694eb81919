"""What every pipeline step receives, and the option check they share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

from graphrag.errors import ConfigError

if TYPE_CHECKING:
    from graphrag.api.graphrag import GraphRAG


@dataclass
class RunContext:
    """The spec's store (one :class:`~graphrag.api.GraphRAG` for the whole run, so models load once), the
    spec's base folder, and the consoles for results and for progress."""

    rag: GraphRAG
    base: Path
    out: Console
    err: Console
    others: dict[Path, GraphRAG] = field(default_factory=dict)

    def path(self, value: str) -> Path:
        """A spec path made absolute against the spec's base folder."""
        p = Path(value)
        return p if p.is_absolute() else (self.base / p)

    def graph(self, db: str | None) -> GraphRAG:
        """The spec's store, or (for a step naming its own ``db``) that store, opened once per run."""
        if db is None:
            return self.rag
        from graphrag.api.graphrag import GraphRAG

        path = self.path(db)
        if path not in self.others:
            self.others[path] = GraphRAG(path, config=self.rag.config, runtime=self.rag.runtime)
        return self.others[path]

    def log(self) -> Callable[[str], None]:
        """A log function printing plain lines to the progress console."""
        return lambda line: self.err.print(line, markup=False, highlight=False, soft_wrap=True)


def check_options(kind: str, params: dict[str, Any], allowed: Iterable[str], *, required: Iterable[str] = ()) -> None:
    """Refuse a step's unknown options (naming the valid ones), then its missing required ones."""
    valid = set(allowed)
    unknown = sorted(set(params) - valid)
    if unknown:
        raise ConfigError(f"{kind} step: unknown options {unknown}; valid: {sorted(valid)}")
    missing = [k for k in required if k not in params]
    if missing:
        raise ConfigError(f"{kind} step needs " + ", ".join(f"`{k}`" for k in missing))


Step = Callable[[dict[str, Any], RunContext], dict[str, Any]]

__all__ = ["RunContext", "Step", "check_options"]
