"""Code for test subprocesses that open a store with the engine under test (``GRAPHRAG_ENGINE``), e.g. to hold its
lock: the two engines' native modules cannot share a process, and each reads only its own files."""

ENGINE_IMPORT = (
    "from graphrag.store.engines import default_engine, engine_module; kuzu = engine_module(default_engine())"
)
