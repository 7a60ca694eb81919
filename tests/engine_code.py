"""The engine under test (``GRAPHRAG_ENGINE``) for tests: code for subprocesses that open a store with it (e.g. to
hold its lock; the two engines' native modules cannot share a process, and each reads only its own files), and
whether it has index functions offline."""

import pytest

# ``kuzu.Database(path)`` in a subprocess: the store opened as graphrag opens it (its engine, and the lock beside a
# LadybugDB store), so another process sees it held as it would see a running ingest.
ENGINE_IMPORT = (
    "import types; from graphrag.store import KuzuGraphStore; "
    "kuzu = types.SimpleNamespace(Database=lambda p, **kw: KuzuGraphStore(p, **kw))"
)


def engine_has_index_functions() -> bool:
    """Whether the engine under test has its vector and full-text index functions offline (Kuzu links them in;
    LadybugDB downloads them at run time)."""
    from graphrag.store.engines import default_engine

    return default_engine() == "kuzu"


needs_index_functions = pytest.mark.skipif(
    not engine_has_index_functions(), reason="the engine under test has no vector/FTS index functions offline"
)
