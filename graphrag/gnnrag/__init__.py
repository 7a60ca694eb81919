"""GNN-RAG: a graph neural network reasons over the question's subgraph of the knowledge graph, scores every node
as an answer candidate, and the shortest paths from the question's entities to the candidates become the
verbalised reasoning paths an LLM reads (Mavromatis & Karypis, 2024).

The flow, one module each: :mod:`~graphrag.gnnrag.kgqa_files` and :mod:`~graphrag.gnnrag.qa_files` (question
files; :mod:`~graphrag.gnnrag.answer_match` finds their answers in the graph) and
:mod:`~graphrag.gnnrag.topics` (the question's topic entities) -> :mod:`~graphrag.gnnrag.subgraph` (the KG in
memory and the question subgraph) -> :mod:`~graphrag.gnnrag.data` (subgraph as PyG ``Data``) ->
:mod:`~graphrag.gnnrag.layer` / :mod:`~graphrag.gnnrag.model` (the reasoner) -> :mod:`~graphrag.gnnrag.scorers`,
:mod:`~graphrag.gnnrag.zeroshot` and :mod:`~graphrag.gnnrag.path_scorer` (node scores, trained or zero-shot) ->
:mod:`~graphrag.gnnrag.paths`
(candidates and shortest paths; :mod:`~graphrag.gnnrag.compare` for comparison questions) ->
:mod:`~graphrag.gnnrag.retriever` (all of it per question) ->
:mod:`~graphrag.gnnrag.component` (GNN-RAG inside the hybrid retriever, with the passages of
:mod:`~graphrag.gnnrag.passages`). :mod:`~graphrag.gnnrag.train`, :mod:`~graphrag.gnnrag.checkpoint` and
:mod:`~graphrag.gnnrag.jobs` train and keep the model. This package uses ``retrieve``, ``store`` and ``embed``;
nothing below it imports it.

Names are imported on first use, so ``import graphrag.gnnrag`` does not load torch. Needs the ``gnn`` extra
(torch, torch-geometric); only pure-torch message passing is used, so neither pyg-lib nor torch-scatter is
required.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from graphrag.gnnrag.answer_match import AnswerMatcher
    from graphrag.gnnrag.checkpoint import GNNCheckpoint
    from graphrag.gnnrag.compare import ComparisonReasoner, RetrieverSettings, load_checkpoint, save_checkpoint
    from graphrag.gnnrag.component import GNNComponent, hybrid_retriever, load_gnn_component
    from graphrag.gnnrag.jobs import train_job
    from graphrag.gnnrag.kgqa_files import KGQAExample, load_many
    from graphrag.gnnrag.layer import QuestionGatedPropagation
    from graphrag.gnnrag.model import GNNConfig, GNNReasoner
    from graphrag.gnnrag.path_scorer import RelationPathScorer
    from graphrag.gnnrag.qa_files import load_qa
    from graphrag.gnnrag.retriever import GNNRAGRetriever, GraphRetrieval, GraphTrace
    from graphrag.gnnrag.scorers import GNNScorer, NodeScorer
    from graphrag.gnnrag.subgraph import KGIndex, Subgraph, SubgraphConfig, SubgraphExtractor
    from graphrag.gnnrag.topics import KGNameLinker, resolve_topics
    from graphrag.gnnrag.train import TrainConfig, train_gnn
    from graphrag.gnnrag.zeroshot import PPRScorer, make_zero_shot_scorer

_EXPORTS = {
    "ComparisonReasoner": "compare",
    "AnswerMatcher": "answer_match",
    "RelationPathScorer": "path_scorer",
    "load_qa": "qa_files",
    "make_zero_shot_scorer": "zeroshot",
    "GNNCheckpoint": "checkpoint",
    "RetrieverSettings": "checkpoint",
    "load_checkpoint": "checkpoint",
    "save_checkpoint": "checkpoint",
    "GNNComponent": "component",
    "hybrid_retriever": "component",
    "load_gnn_component": "component",
    "train_job": "jobs",
    "QuestionGatedPropagation": "layer",
    "GNNConfig": "model",
    "GNNReasoner": "model",
    "KGQAExample": "kgqa_files",
    "load_many": "kgqa_files",
    "GNNRAGRetriever": "retriever",
    "GraphRetrieval": "retriever",
    "GraphTrace": "retriever",
    "GNNScorer": "scorers",
    "NodeScorer": "scorers",
    "KGIndex": "subgraph",
    "Subgraph": "subgraph",
    "SubgraphConfig": "subgraph",
    "SubgraphExtractor": "subgraph",
    "KGNameLinker": "topics",
    "resolve_topics": "topics",
    "TrainConfig": "train",
    "train_gnn": "train",
    "PPRScorer": "zeroshot",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)


__all__ = [
    "ComparisonReasoner",
    "AnswerMatcher",
    "RelationPathScorer",
    "load_qa",
    "make_zero_shot_scorer",
    "GNNCheckpoint",
    "GNNComponent",
    "GNNConfig",
    "GNNRAGRetriever",
    "GNNReasoner",
    "GNNScorer",
    "GraphRetrieval",
    "GraphTrace",
    "KGIndex",
    "KGNameLinker",
    "KGQAExample",
    "NodeScorer",
    "PPRScorer",
    "QuestionGatedPropagation",
    "RetrieverSettings",
    "Subgraph",
    "SubgraphConfig",
    "SubgraphExtractor",
    "TrainConfig",
    "hybrid_retriever",
    "load_checkpoint",
    "load_gnn_component",
    "load_many",
    "resolve_topics",
    "save_checkpoint",
    "train_gnn",
    "train_job",
]
