"""Pipeline step implementations; each module registers its steps with :func:`graphrag.pipeline.register_step`."""

from graphrag.steps import (
    ask_steps,  # noqa: F401
    eval_steps,  # noqa: F401
    gnn_steps,  # noqa: F401
    import_steps,  # noqa: F401
    ingest_steps,  # noqa: F401
    query_steps,  # noqa: F401
)
