"""Pipeline step implementations; each module registers its steps with :func:`graphrag.pipeline.register_step`."""

from graphrag.steps import query_steps  # noqa: F401
