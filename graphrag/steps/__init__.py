"""Pipeline step implementations; each module registers its steps with :func:`graphrag.pipeline.register_step`."""

from graphrag.steps import import_steps  # noqa: F401
from graphrag.steps import query_steps  # noqa: F401
from graphrag.steps import ingest_steps  # noqa: F401
from graphrag.steps import eval_steps  # noqa: F401
from graphrag.steps import ask_steps  # noqa: F401
from graphrag.steps import gnn_steps  # noqa: F401
