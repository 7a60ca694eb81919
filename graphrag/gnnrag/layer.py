"""One reasoning step of question-conditioned score propagation (pure-torch message passing)."""

from __future__ import annotations

import math

import torch
from torch import Tensor, nn
from torch_geometric.nn import MessagePassing
from torch_geometric.utils import scatter


def edge_type_norm(edge_index: Tensor, edge_type: Tensor, num_nodes: int, num_types: int) -> Tensor:
    """``1 / deg_r(u)`` for every edge ``(u, r, v)``: how many edges of the same type leave the same sender.

    Shapes: ``edge_index`` :math:`(2, E)`, ``edge_type`` :math:`(E)`; returns :math:`(E)`.
    """
    key = edge_index[0] * num_types + edge_type
    # counted over the keys present, not a num_nodes * num_types table (large for text KGs' open predicates)
    _, where, counts = torch.unique(key, return_inverse=True, return_counts=True)
    return 1.0 / counts[where].to(torch.float32)


class QuestionGatedPropagation(MessagePassing):
    r"""Moves answer-probability mass one hop along the relations the question asks for.

    Idea: in the spirit of NSM and ReaRev, every reasoning step follows an *instruction* derived from the
    question. The instruction attends over relation types: its softmax decides how much of a node's score
    flows along edges of each type. Relation types are represented by sentence embeddings of their predicate
    text (plus a direction flag for inverse edges), so one trained layer also applies to predicates it has
    never seen. Only the relative weights of the types matter (scores are renormalised after each step), and
    a softmax, unlike independent sigmoid gates, does not saturate into a state where a wrongly followed
    relation can no longer be switched off.

    Two normalisations keep multi-hop training stable. A sender splits what it sends along one relation type
    evenly over its edges of that type, so a hub (a genre with thousands of films) does not multiply its
    score by its degree and drown every other path. After each step the scores are renormalised to sum to 1
    per graph, so they neither vanish nor explode with the number of hops. A gate on the topic entities lets
    a step refuse to walk back to where the question started.

    .. math::
        \mathbf{i} &= \tanh(\mathbf{W}_i \mathbf{h}_q + \mathbf{b}_i) \\
        g_r &= \mathrm{softmax}_r\big(\langle \mathbf{i}, \mathbf{h}_r \rangle / \sqrt{d}\big) \\
        m_v &= \kappa_v \sum_{(u, r, v) \in \mathcal{E}} \frac{s_u \, g_r}{\deg_r(u)}, \qquad
        \kappa_v = \begin{cases} \sigma(\mathbf{w}_s^\top \mathbf{i} + c_s) & v \text{ a topic entity} \\
        1 & \text{otherwise} \end{cases} \\
        s'_v &= m_v \Big/ \Big(\sum_{w \in \mathcal{G}(v)} m_w + \epsilon\Big)

    where :math:`\mathbf{h}_q` is the graph's question vector, :math:`\mathbf{h}_r` the hidden vector of
    edge type :math:`r`, :math:`\deg_r(u)` the number of type-:math:`r` edges leaving :math:`u`, and
    :math:`\mathcal{G}(v)` the graph that node :math:`v` belongs to in a mini-batch.

    Args:
        hidden_channels (int): size :math:`d` of question and relation vectors.
        eps (float, optional): added to the normaliser so a graph whose mass is fully blocked stays
            finite. (default: :obj:`1e-12`)

    Shapes:
        - **input:** scores :math:`(|\mathcal{V}|)`, edge index :math:`(2, |\mathcal{E}|)`, edge types
          :math:`(|\mathcal{E}|)` in ``[0, T)``, edge norms :math:`(|\mathcal{E}|)` (see
          :func:`edge_type_norm`), question vectors :math:`(B, d)`, relation vectors :math:`(T, d)`,
          batch vector :math:`(|\mathcal{V}|)`, topic-entity mask :math:`(|\mathcal{V}|)`
        - **output:** new scores :math:`(|\mathcal{V}|)` summing to 1 per graph (or 0 where no mass
          moved), and relation gates :math:`(B, T)`
    """

    def __init__(self, hidden_channels: int, eps: float = 1e-12) -> None:
        super().__init__(aggr="add", flow="source_to_target")
        if hidden_channels <= 0:
            raise ValueError(f"hidden_channels must be positive, got {hidden_channels}; use e.g. 64 or 128")
        self.hidden_channels = hidden_channels
        self.eps = eps
        self.instruction = nn.Linear(hidden_channels, hidden_channels)
        self.seed_gate = nn.Linear(hidden_channels, 1)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        """Re-initialise all learnable parameters."""
        super().reset_parameters()
        self.instruction.reset_parameters()
        self.seed_gate.reset_parameters()

    def relation_gates(self, question_h: Tensor, relation_h: Tensor) -> tuple[Tensor, Tensor]:
        """``(gates (B, T), instruction (B, d))`` for each graph's question; each row of gates sums to 1."""
        instr = torch.tanh(self.instruction(question_h))
        logits = instr @ relation_h.t() / math.sqrt(self.hidden_channels)
        return torch.softmax(logits, dim=-1), instr

    def forward(
        self,
        score: Tensor,
        edge_index: Tensor,
        edge_type: Tensor,
        edge_norm: Tensor,
        question_h: Tensor,
        relation_h: Tensor,
        batch: Tensor,
        seed_mask: Tensor,
    ) -> tuple[Tensor, Tensor]:
        """One step; see the class docstring for shapes."""
        gates, instr = self.relation_gates(question_h, relation_h)
        weight = gates[batch[edge_index[0]], edge_type] * edge_norm
        n = score.numel()
        mass = self.propagate(edge_index, score=score.unsqueeze(-1), weight=weight.unsqueeze(-1), size=(n, n))
        mass = mass.squeeze(-1)
        seed_keep = torch.sigmoid(self.seed_gate(instr)).squeeze(-1)[batch]
        mass = torch.where(seed_mask, mass * seed_keep, mass)
        total = scatter(mass, batch, dim=0, dim_size=question_h.size(0), reduce="sum")
        return mass / (total[batch] + self.eps), gates

    def message(self, score_j: Tensor, weight: Tensor) -> Tensor:
        """Mass sent along one edge: the sender's score times the edge's gate and type norm."""
        return score_j * weight

    def __repr__(self) -> str:
        return f"{self.__class__.__name__}({self.hidden_channels})"


__all__ = ["QuestionGatedPropagation", "edge_type_norm"]
