"""The GNN of GNN-RAG: the question-gated propagation layer and model, subgraph-to-``Data`` conversion,
training with weak supervision from answer sets, and checkpoints.

Needs the ``gnn`` extra (torch, torch-geometric); only pure-torch message passing is used, so neither pyg-lib
nor torch-scatter is required.
"""

from graphrag.gnn.checkpoint import GNNCheckpoint, RetrieverSettings, load_checkpoint, save_checkpoint
from graphrag.gnn.data import EdgeTypeMap, predicate_text, relation_embeddings, subgraph_to_data
from graphrag.gnn.layer import QuestionGatedPropagation, edge_type_norm
from graphrag.gnn.model import GNNConfig, GNNOutput, GNNReasoner, answer_loss
from graphrag.gnn.train import TrainConfig, TrainingExample, TrainResult, evaluate_examples, train_gnn

__all__ = [
    "EdgeTypeMap",
    "GNNCheckpoint",
    "GNNConfig",
    "GNNOutput",
    "GNNReasoner",
    "QuestionGatedPropagation",
    "RetrieverSettings",
    "TrainConfig",
    "TrainResult",
    "TrainingExample",
    "answer_loss",
    "edge_type_norm",
    "evaluate_examples",
    "load_checkpoint",
    "predicate_text",
    "relation_embeddings",
    "save_checkpoint",
    "subgraph_to_data",
    "train_gnn",
]
