"""The public API: one :class:`GraphRAG` object per knowledge graph, and the declarative pipelines.

Every front end is an adapter over this package: the ``graphrag`` CLI, the TOML pipeline steps
(:mod:`graphrag.api.steps`, run by :func:`run_spec`) and the Streamlit explorer. Thread settings, config merging
and model caching live here once, so Python users get what the CLI gets::

    from graphrag import GraphRAG

    with GraphRAG("data/work/demo.kuzu") as rag:
        print(rag.ask("Who directed Gaby: A True Story?", llm="none").text)
"""

from graphrag.api.cypher_params import parse_param
from graphrag.api.evaluations import EVALUATIONS, Evaluation
from graphrag.api.extraction_setup import ExtractionOptions
from graphrag.api.graphrag import GraphRAG
from graphrag.api.loaded_models import CONFIGURED, LLM_CHOICES
from graphrag.api.pipeline_specs import run_spec, skipped_count
from graphrag.api.store_access import StoreAccess, StoreProxy

__all__ = [
    "CONFIGURED",
    "EVALUATIONS",
    "LLM_CHOICES",
    "Evaluation",
    "ExtractionOptions",
    "GraphRAG",
    "StoreAccess",
    "StoreProxy",
    "parse_param",
    "run_spec",
    "skipped_count",
]
