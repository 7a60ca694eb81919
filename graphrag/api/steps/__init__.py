"""Pipeline steps: each maps one ``[[steps]]`` table of a TOML spec (``pipelines/*.toml``) to one
:class:`~graphrag.api.GraphRAG` call, checks its options and prints what a user of ``graphrag run`` reads.

:data:`STEPS` names them; :func:`graphrag.api.pipeline_specs.run_spec` runs a spec through them.
"""

from collections.abc import Mapping

from graphrag.api.steps.ask_steps import ask_step, eval_retrieval_step
from graphrag.api.steps.community_steps import communities_step
from graphrag.api.steps.context import RunContext, Step, check_options
from graphrag.api.steps.eval_steps import eval_kg_step, eval_qa_step, eval_triples_step
from graphrag.api.steps.gnn_steps import eval_kgqa_step, train_gnn_step
from graphrag.api.steps.import_steps import import_step
from graphrag.api.steps.ingest_steps import ingest_step
from graphrag.api.steps.query_steps import cypher_step, stats_step

#: Step kinds by name.
STEPS: Mapping[str, Step] = {
    "ingest": ingest_step,
    "import": import_step,
    "stats": stats_step,
    "cypher": cypher_step,
    "ask": ask_step,
    "eval-retrieval": eval_retrieval_step,
    "eval-triples": eval_triples_step,
    "eval-kg": eval_kg_step,
    "eval-qa": eval_qa_step,
    "train-gnn": train_gnn_step,
    "eval-kgqa": eval_kgqa_step,
    "communities": communities_step,
}

__all__ = ["STEPS", "RunContext", "Step", "check_options"]
