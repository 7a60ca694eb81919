"""The GNN reasoner: a stack of question-gated propagation steps that outputs a probability per node."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import Tensor, nn
from torch_geometric.utils import softmax

from graphrag.gnnrag.layer import QuestionGatedPropagation, edge_type_norm


@dataclass(frozen=True)
class GNNConfig:
    """Shape of a :class:`GNNReasoner` (stored in every checkpoint).

    Args:
        question_dim: size of the question embedding (384 for MiniLM).
        relation_dim: size of the predicate-text embedding (the same embedder, so 384).
        hidden_channels: size of the hidden question and relation vectors.
        num_steps: reasoning steps (the most hops an answer may be away from a topic entity).
        dropout: dropout on the question vector while training.
    """

    question_dim: int = 384
    relation_dim: int = 384
    hidden_channels: int = 128
    num_steps: int = 3
    dropout: float = 0.1

    def __post_init__(self) -> None:
        for name in ("question_dim", "relation_dim", "hidden_channels", "num_steps"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout}")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for checkpoints."""
        return asdict(self)


@dataclass(frozen=True)
class GNNOutput:
    """What one forward pass returns.

    ``logits``/``probs`` are per node (``probs`` sums to 1 per graph); ``step_scores`` is ``(num_steps, N)``,
    the propagated mass after each step; ``gates`` is ``(B, num_steps, num_edge_types)``; ``hop_weights`` is
    ``(B, num_steps)``, how much each step's scores count in the answer.
    """

    logits: Tensor
    probs: Tensor
    step_scores: Tensor
    gates: Tensor
    hop_weights: Tensor


class GNNReasoner(nn.Module):
    r"""Question-conditioned GNN that scores every node of a question subgraph as an answer.

    Idea: start with all mass on the topic entities and run ``num_steps`` rounds of
    :class:`~graphrag.gnnrag.layer.QuestionGatedPropagation`, each with its own instruction. A
    question-dependent mixture over steps lets one model answer 1-, 2- and 3-hop questions; a learned
    temperature turns the mixed mass into a distribution over the graph's nodes.

    .. math::
        \mathbf{h}_q &= \mathrm{MLP}(\mathbf{q}), \qquad
        \mathbf{h}_r = \mathbf{W}_r [\mathbf{e}_{\mathrm{pred}(r)} \,\|\, \mathrm{dir}(r)] \\
        s^{(0)} &= \text{uniform over topic entities}, \qquad
        s^{(t)} = \mathrm{Step}_t(s^{(t-1)}, \mathbf{h}_q, \mathbf{h}_r) \\
        \bar{s} &= \sum_t w_t s^{(t)}, \quad \mathbf{w} = \mathrm{softmax}(\mathbf{W}_h \mathbf{h}_q) \\
        p_v &= \mathrm{softmax}_{v \in \mathcal{G}}\big(\tau \log(\bar{s}_v + \epsilon)\big)

    Args:
        config (GNNConfig): dimensions and number of steps.
        log_eps (float, optional): :math:`\epsilon` above. (default: :obj:`1e-6`)

    Shapes:
        - **input:** a :class:`torch_geometric.data.Data` or ``Batch`` with ``edge_index`` :math:`(2, E)`,
          ``edge_type`` :math:`(E)` in ``[0, 2R)`` (``r`` forward, ``r + R`` inverse), ``seed_mask``
          :math:`(N)`, ``question_emb`` :math:`(B, D_q)` and optionally ``batch`` :math:`(N)`; relation
          embeddings :math:`(R, D_r)`, one row per predicate
        - **output:** :class:`GNNOutput` with ``logits``/``probs`` :math:`(N)`
    """

    def __init__(self, config: GNNConfig | None = None, log_eps: float = 1e-6) -> None:
        super().__init__()
        self.config = config or GNNConfig()
        c = self.config
        self.log_eps = log_eps
        self.question_mlp = nn.Sequential(
            nn.Linear(c.question_dim, c.hidden_channels),
            nn.ReLU(),
            nn.Linear(c.hidden_channels, c.hidden_channels),
        )
        self.relation_proj = nn.Linear(c.relation_dim + 1, c.hidden_channels)
        self.steps = nn.ModuleList(QuestionGatedPropagation(c.hidden_channels) for _ in range(c.num_steps))
        self.hop_attention = nn.Linear(c.hidden_channels, c.num_steps)
        self.temperature = nn.Parameter(torch.zeros(1))
        self.dropout = nn.Dropout(c.dropout)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialise all learnable parameters."""
        for layer in self.question_mlp:
            if isinstance(layer, nn.Linear):
                layer.reset_parameters()
        self.relation_proj.reset_parameters()
        for step in self.steps:
            step.reset_parameters()
        self.hop_attention.reset_parameters()
        nn.init.constant_(self.temperature, 0.5413)  # softplus(0.5413) = 1

    def relation_hidden(self, relation_emb: Tensor) -> Tensor:
        """``(2R, hidden)``: forward types first, then their inverses."""
        r = relation_emb.size(0)
        direction = torch.cat([relation_emb.new_ones(r, 1), -relation_emb.new_ones(r, 1)])
        return self.relation_proj(torch.cat([torch.cat([relation_emb, relation_emb]), direction], dim=1))

    def forward(self, data: Any, relation_emb: Tensor, *, relation_h: Tensor | None = None) -> GNNOutput:
        """Score every node of ``data`` (one graph or a batch); see the class docstring. ``relation_h``, the
        output of :meth:`relation_hidden` for ``relation_emb``, may be passed in when it was computed once for
        many questions (it does not depend on the question; with thousands of predicates it is most of the
        cost of a forward pass)."""
        n = int(data.num_nodes)
        batch = data.batch if getattr(data, "batch", None) is not None else torch.zeros(n, dtype=torch.long)
        question = data.question_emb.reshape(-1, self.config.question_dim)
        num_graphs = question.size(0)
        if relation_emb.dim() != 2 or relation_emb.size(1) != self.config.relation_dim:
            raise ValueError(f"relation_emb must be (R, {self.config.relation_dim}), got {tuple(relation_emb.shape)}")
        h_q = self.dropout(self.question_mlp(question))
        h_r = self.relation_hidden(relation_emb) if relation_h is None else relation_h
        seed = data.seed_mask.bool()
        n_seeds = torch.zeros(num_graphs).index_add_(0, batch[seed], torch.ones(int(seed.sum())))
        score = torch.where(seed, 1.0 / n_seeds.clamp(min=1)[batch], torch.zeros(n))
        norm = edge_type_norm(data.edge_index, data.edge_type, n, h_r.size(0))
        step_scores, gates = [], []
        for step in self.steps:
            score, g = step(score, data.edge_index, data.edge_type, norm, h_q, h_r, batch, seed)
            step_scores.append(score)
            gates.append(g)
        stacked = torch.stack(step_scores)  # (T, N)
        hop_w = torch.softmax(self.hop_attention(h_q), dim=-1)  # (B, T)
        mixed = (stacked * hop_w.t()[:, batch]).sum(0)
        logits = F.softplus(self.temperature) * torch.log(mixed + self.log_eps)
        probs = softmax(logits, batch, num_nodes=num_graphs)
        return GNNOutput(
            logits=logits, probs=probs, step_scores=stacked, gates=torch.stack(gates, 1), hop_weights=hop_w
        )


def answer_loss(probs: Tensor, target: Tensor, batch: Tensor, num_graphs: int) -> Tensor:
    """Weak supervision from answer sets: cross-entropy to the uniform distribution over each graph's answers.

    Graphs whose subgraph holds no answer are left out (nothing to learn from them).

    Shapes: ``probs``, ``target`` (0/1 per node) and ``batch`` are ``(N)``; returns a scalar.
    """
    from torch_geometric.utils import scatter

    n_ans = scatter(target, batch, dim=0, dim_size=num_graphs, reduce="sum")
    weight = target / n_ans.clamp(min=1)[batch]
    per_graph = -scatter(weight * torch.log(probs + 1e-12), batch, dim=0, dim_size=num_graphs, reduce="sum")
    has = n_ans > 0
    if not bool(has.any()):
        return probs.sum() * 0.0
    return per_graph[has].mean()


__all__ = ["GNNConfig", "GNNOutput", "GNNReasoner", "answer_loss"]
