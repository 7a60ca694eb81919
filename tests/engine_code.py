"""The engine under test (``GRAPHRAG_ENGINE``) for tests: code for subprocesses that open a store with it (e.g. to
hold its lock; the two engines' native modules cannot share a process, and each reads only its own files), and
whether it has index functions offline."""

import pytest

ENGINE_IMPORT = (
    "from graphrag.store.engines import default_engine, engine_module; kuzu = engine_module(default_engine())"
)


def engine_has_index_functions() -> bool:
    """Whether the engine under test has its vector and full-text index functions offline (Kuzu links them in;
    LadybugDB downloads them at run time)."""
    from graphrag.store.engines import default_engine

    return default_engine() == "kuzu"


needs_index_functions = pytest.mark.skipif(
    not engine_has_index_functions(), reason="the engine under test has no vector/FTS index functions offline"
)
