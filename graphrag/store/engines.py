"""Which embedded graph engine holds a store: Kuzu 0.11.3 (``kuzu``, the last Kuzu release, archived upstream) or
LadybugDB (``ladybug``, its maintained fork). Both speak the same Cypher and Python API; their files differ.

A store's file says which engine wrote it (its first bytes: ``KUZU`` or ``LBUG``), so an existing store opens with
its own engine whatever is configured for new ones. A new store is made by the configured engine (``[store]
engine``, ``--engine``), else ``$GRAPHRAG_ENGINE``, else Kuzu. ``graphrag migrate`` copies a store to the other engine.
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from types import ModuleType

from graphrag.errors import ConfigError, StoreError

ENGINES = ("kuzu", "ladybug")
_MAGIC = {b"KUZU": "kuzu", b"LBUG": "ladybug"}
_PACKAGE = {"kuzu": "kuzu==0.11.3", "ladybug": "ladybug"}


def detect_engine(path: str | Path) -> str | None:
    """The engine that wrote the database file at ``path`` (``None``: no file, or not one it knows)."""
    p = Path(path)
    if not p.is_file():
        return None
    with p.open("rb") as f:
        return _MAGIC.get(f.read(4))


def default_engine() -> str:
    """The engine new stores get when none is configured: ``$GRAPHRAG_ENGINE``, else ``kuzu``."""
    name = os.environ.get("GRAPHRAG_ENGINE", "").strip() or "kuzu"
    if name not in ENGINES:
        raise ConfigError(f"GRAPHRAG_ENGINE={name!r} is not an engine; choose one of: {', '.join(ENGINES)}")
    return name


def resolve_engine(path: str | Path, configured: str = "auto") -> str:
    """The engine to open ``path`` with: the one that wrote it, else ``configured`` (``auto``: the default).

    Raises :class:`~graphrag.errors.StoreError` when ``configured`` names another engine than the file's."""
    if configured not in ("auto", *ENGINES):
        raise ConfigError(f"unknown engine {configured!r}; choose one of: auto, {', '.join(ENGINES)}")
    found = None if str(path) == ":memory:" else detect_engine(path)
    if found is not None:
        if configured not in ("auto", found):
            raise StoreError(
                f"the store at {path} was written by {found}, not {configured}; open it with --engine {found} "
                f"(or auto), or copy it: graphrag migrate --db {path} --to {configured} --out NEW"
            )
        return found
    return default_engine() if configured == "auto" else configured


def forward_only_mentions(name: str) -> bool:
    """Whether a new store of engine ``name`` keeps ``MENTIONS`` and ``ABOUT`` forward only
    (:data:`graphrag.store.schema.FORWARD_ONLY_TABLES`).

    LadybugDB: yes. Kuzu 0.11.3: no, it accepts the layout but then can delete no ``Entity`` at all, with or without
    edges (``DELETE``: "Failed to get bwd data for rel table MENTIONS"; ``DETACH DELETE``: "Cannot delete edges of
    direction bwd ... as they do not exist"), and replacing or deleting documents must prune entities.
    """
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    return name == "ladybug"


def engine_module(name: str) -> ModuleType:
    """The Python module of engine ``name`` (``kuzu`` or ``ladybug``), with a clear error when not installed."""
    if name not in ENGINES:
        raise ConfigError(f"unknown engine {name!r}; choose one of: {', '.join(ENGINES)}")
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        raise ConfigError(f"the {name} engine is not installed: pip install '{_PACKAGE[name]}'") from None


__all__ = ["ENGINES", "default_engine", "detect_engine", "engine_module", "forward_only_mentions", "resolve_engine"]
