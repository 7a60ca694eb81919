"""Training the GNN reasoner from question subgraphs and answer sets (weak supervision, no gold paths).

Each epoch shuffles the training examples, trains in mini-batches (a progress bar shows the loss), then
measures the held-out validation examples (loss, Hits@1, answer F1 of the 0.95-cumulative-probability
candidates). The best validation epoch's weights are kept; training stops early after ``patience`` epochs
without improvement, or when a time budget runs out.
"""

from __future__ import annotations

import copy
import random
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import torch
from torch_geometric.data import Batch

from graphrag.gnnrag.data import subgraph_to_data
from graphrag.gnnrag.model import GNNConfig, GNNReasoner, answer_loss
from graphrag.gnnrag.subgraph import Subgraph


@dataclass(frozen=True)
class TrainConfig:
    """Optimisation settings (stored in the checkpoint).

    Args:
        epochs: most passes over the training examples.
        batch_size: subgraphs per step.
        lr: Adam learning rate.
        weight_decay: Adam weight decay.
        patience: epochs without a better validation score before stopping.
        val_fraction: share of the questions held out for validation when no separate set is given.
        seed: seeds the split, the shuffling and the initial weights.
        grad_clip: gradient-norm clipping (0 turns it off).
        max_train_s: stop after the epoch that crosses this many seconds (``None``: no budget).
        threads: torch CPU threads while training (``None`` keeps torch's setting). One is the default:
            these small sparse batches gain little from more, and on a busy machine extra threads contend.
    """

    epochs: int = 20
    batch_size: int = 32
    lr: float = 3e-3
    weight_decay: float = 0.0
    patience: int = 3
    val_fraction: float = 0.1
    seed: int = 0
    grad_clip: float = 1.0
    max_train_s: float | None = None
    threads: int | None = 1

    def __post_init__(self) -> None:
        if self.epochs < 1 or self.batch_size < 1 or self.patience < 1:
            raise ValueError("epochs, batch_size and patience must be at least 1")
        if not 0.0 <= self.val_fraction < 1.0:
            raise ValueError(f"val_fraction must be in [0, 1), got {self.val_fraction}")
        if self.lr <= 0:
            raise ValueError(f"lr must be positive, got {self.lr}")

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for checkpoints."""
        return asdict(self)


@dataclass(frozen=True)
class TrainingExample:
    """One question: its subgraph, its embedding ``(D,)`` and its gold answers as KG node indices."""

    subgraph: Subgraph
    question_emb: np.ndarray
    answers: np.ndarray


@dataclass(frozen=True)
class EpochRecord:
    """Metrics of one epoch."""

    epoch: int
    train_loss: float
    val_loss: float
    val_hits1: float
    val_f1: float
    seconds: float


@dataclass
class TrainResult:
    """The best model, the per-epoch history and how long training took."""

    model: GNNReasoner
    history: list[EpochRecord] = field(default_factory=list)
    best_epoch: int = 0
    train_time_s: float = 0.0
    stopped: str = "epochs"  # epochs | early-stopping | time-budget

    def summary(self) -> dict[str, Any]:
        """JSON-ready summary for checkpoints and reports."""
        best = next((h for h in self.history if h.epoch == self.best_epoch), None)
        return {
            "best_epoch": self.best_epoch,
            "epochs_run": len(self.history),
            "stopped": self.stopped,
            "train_time_s": round(self.train_time_s, 2),
            "best_val": asdict(best) if best else None,
            "history": [asdict(h) for h in self.history],
        }


def split_examples(
    examples: Sequence[TrainingExample], val_fraction: float, seed: int
) -> tuple[list[TrainingExample], list[TrainingExample]]:
    """Seeded shuffle, then the last ``val_fraction`` of the examples become the validation set."""
    order = list(range(len(examples)))
    random.Random(seed).shuffle(order)
    n_val = int(round(len(order) * val_fraction))
    if val_fraction > 0 and len(order) > 1:
        n_val = max(1, n_val)
    cut = len(order) - n_val
    return [examples[i] for i in order[:cut]], [examples[i] for i in order[cut:]]


def collate(examples: Sequence[TrainingExample], num_predicates: int) -> Batch:
    """A PyG mini-batch of the examples' subgraphs, with ``y`` marking gold answers."""
    return Batch.from_data_list(
        [subgraph_to_data(e.subgraph, num_predicates, e.question_emb, e.answers) for e in examples]
    )


def _f1_and_hits(probs: np.ndarray, y: np.ndarray, threshold: float) -> tuple[float, float]:
    from graphrag.gnnrag.paths import select_candidates

    gold = set(np.flatnonzero(y).tolist())
    top = int(np.argmax(probs)) if len(probs) else -1
    hits = float(top in gold)
    cands = set(select_candidates(probs, threshold=threshold).tolist())
    tp = len(cands & gold)
    if tp == 0:
        return 0.0, hits
    p, r = tp / len(cands), tp / len(gold)
    return 2 * p * r / (p + r), hits


@torch.no_grad()
def evaluate_examples(
    model: GNNReasoner,
    examples: Sequence[TrainingExample],
    relation_emb: torch.Tensor,
    *,
    batch_size: int = 64,
    threshold: float = 0.95,
) -> dict[str, float]:
    """Mean loss, Hits@1 and answer F1 over ``examples`` (an answer outside the subgraph counts as a miss)."""
    model.eval()
    num_predicates = relation_emb.size(0)
    losses, hits, f1s = [], [], []
    for start in range(0, len(examples), batch_size):
        chunk = examples[start : start + batch_size]
        batch = collate(chunk, num_predicates)
        out = model(batch, relation_emb)
        losses.append(float(answer_loss(out.probs, batch.y, batch.batch, batch.num_graphs)) * len(chunk))
        probs, y, ptr = out.probs.numpy(), batch.y.numpy(), batch.ptr.numpy()
        for g in range(batch.num_graphs):
            f1, h = _f1_and_hits(probs[ptr[g] : ptr[g + 1]], y[ptr[g] : ptr[g + 1]], threshold)
            f1s.append(f1)
            hits.append(h)
    n = max(len(examples), 1)
    return {
        "loss": sum(losses) / n,
        "hits1": float(np.mean(hits)) if hits else 0.0,
        "f1": float(np.mean(f1s)) if f1s else 0.0,
    }


def train_gnn(
    train: Sequence[TrainingExample],
    val: Sequence[TrainingExample],
    relation_emb: torch.Tensor,
    *,
    model_config: GNNConfig | None = None,
    config: TrainConfig | None = None,
    progress: bool = True,
    log: Any = None,
) -> TrainResult:
    """Train a :class:`GNNReasoner` and return the weights of its best validation epoch.

    Args:
        train: training examples.
        val: validation examples (if empty, the training loss picks the best epoch).
        relation_emb: ``(R, D)`` predicate-text embeddings of the KG.
        model_config: model shape.
        config: optimisation settings.
        progress: show a tqdm progress bar per epoch.
        log: called with one line of text per epoch (default: ``tqdm.write`` when ``progress``, else nothing).
    """
    from tqdm.auto import tqdm

    cfg = config or TrainConfig()
    if not train:
        raise ValueError("no training examples (are the questions' topic entities in the KG?)")
    saved_threads = torch.get_num_threads()
    if cfg.threads:
        torch.set_num_threads(cfg.threads)
    torch.manual_seed(cfg.seed)
    rng = random.Random(cfg.seed)
    model = GNNReasoner(
        model_config or GNNConfig(question_dim=train[0].question_emb.shape[-1], relation_dim=relation_emb.size(1))
    )
    opt = torch.optim.Adam(model.parameters(), lr=cfg.lr, weight_decay=cfg.weight_decay)
    num_predicates = relation_emb.size(0)
    say = log if log is not None else (tqdm.write if progress else (lambda _line: None))
    result = TrainResult(model=model)
    best_key: tuple[float, float] | None = None
    best_state: dict[str, torch.Tensor] | None = None
    since_best = 0
    t_start = time.perf_counter()
    order = list(range(len(train)))
    try:
        for epoch in range(1, cfg.epochs + 1):
            t0 = time.perf_counter()
            model.train()
            rng.shuffle(order)
            total, seen = 0.0, 0
            steps = range(0, len(order), cfg.batch_size)
            bar = tqdm(steps, desc=f"epoch {epoch}/{cfg.epochs}", unit="batch", disable=not progress, leave=False)
            for start in bar:
                chunk = [train[i] for i in order[start : start + cfg.batch_size]]
                batch = collate(chunk, num_predicates)
                out = model(batch, relation_emb)
                loss = answer_loss(out.probs, batch.y, batch.batch, batch.num_graphs)
                opt.zero_grad()
                loss.backward()
                if cfg.grad_clip > 0:
                    torch.nn.utils.clip_grad_norm_(model.parameters(), cfg.grad_clip)
                opt.step()
                total += float(loss.detach()) * len(chunk)
                seen += len(chunk)
                bar.set_postfix(loss=f"{total / seen:.4f}")
            bar.close()
            train_loss = total / max(seen, 1)
            vm = evaluate_examples(model, val, relation_emb) if val else {"loss": train_loss, "hits1": 0.0, "f1": 0.0}
            rec = EpochRecord(epoch, train_loss, vm["loss"], vm["hits1"], vm["f1"], time.perf_counter() - t0)
            result.history.append(rec)
            say(
                f"epoch {epoch}: train loss {train_loss:.4f}  val loss {vm['loss']:.4f}  "
                f"val Hits@1 {100 * vm['hits1']:.2f}  val F1 {100 * vm['f1']:.2f}  ({rec.seconds:.1f} s)"
            )
            key = (vm["hits1"], -vm["loss"]) if val else (0.0, -train_loss)
            if best_key is None or key > best_key:
                best_key, best_state, result.best_epoch, since_best = (
                    key,
                    copy.deepcopy(model.state_dict()),
                    epoch,
                    0,
                )
            else:
                since_best += 1
            if since_best >= cfg.patience:
                result.stopped = "early-stopping"
                break
            if cfg.max_train_s is not None and time.perf_counter() - t_start >= cfg.max_train_s:
                result.stopped = "time-budget"
                break
    finally:
        if cfg.threads:
            torch.set_num_threads(saved_threads)
    if best_state is not None:
        model.load_state_dict(best_state)
    model.eval()
    result.train_time_s = time.perf_counter() - t_start
    return result


__all__ = [
    "EpochRecord",
    "TrainConfig",
    "TrainResult",
    "TrainingExample",
    "collate",
    "evaluate_examples",
    "split_examples",
    "train_gnn",
]
