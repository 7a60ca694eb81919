"""KGQA evaluation: metrics per question, their summary per hop count, and the run over a question set.

Metrics (answers compared by name, case-folded and whitespace-collapsed):

* **Hits@1** -- the top candidate (or the LLM's first answer) is a gold answer;
* **answer F1** -- between the predicted answer set (all candidates, or the LLM's list) and the gold set;
* **candidate recall** -- at least one gold answer is among the candidates;
* **mean candidates** -- candidates per question;
* **path coverage** -- at least one verbalised reasoning path ends at a gold answer (the evidence an LLM reads
  contains an answer);
* **latency** -- p50/p95 seconds per question, split into subgraph, GNN and paths (and embedding, linking).
"""

from __future__ import annotations

import random
import time
from collections.abc import Collection, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from graphrag.gnnrag.kgqa_files import KGQAExample

if TYPE_CHECKING:
    from graphrag.generate.answer import Answerer
    from graphrag.gnnrag.answer_match import AnswerMatcher
    from graphrag.gnnrag.retriever import GNNRAGRetriever

LATENCY_PARTS = ("link", "embed", "subgraph", "gnn", "paths", "total")


def norm_answer(text: str) -> str:
    """Case-folded, whitespace-collapsed answer text."""
    return " ".join(text.casefold().split())


def hits_at_1(predicted: Sequence[str], gold: Collection[str]) -> float:
    """1.0 if the first prediction is a gold answer, else 0.0 (also for no prediction)."""
    g = {norm_answer(a) for a in gold}
    return float(bool(predicted) and norm_answer(predicted[0]) in g)


def answer_f1(predicted: Iterable[str], gold: Collection[str]) -> float:
    """F1 between the predicted and gold answer sets (0 when either is empty)."""
    p = {norm_answer(a) for a in predicted}
    g = {norm_answer(a) for a in gold}
    tp = len(p & g)
    if tp == 0:
        return 0.0
    precision, recall = tp / len(p), tp / len(g)
    return 2 * precision * recall / (precision + recall)


def any_recall(predicted: Iterable[str], gold: Collection[str]) -> float:
    """1.0 if any gold answer was predicted."""
    g = {norm_answer(a) for a in gold}
    return float(any(norm_answer(a) in g for a in predicted))


def percentile_ms(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile of ``values`` (seconds), in milliseconds; 0 for no values."""
    return float(np.percentile(np.asarray(values) * 1000.0, q)) if len(values) else 0.0


@dataclass(frozen=True)
class QuestionResult:
    """The outcome for one question."""

    question: str
    hops: int | None
    gold: tuple[str, ...]
    candidates: tuple[str, ...]
    path_ends: tuple[str, ...]
    n_paths: int
    timings_s: dict[str, float]
    llm_answers: tuple[str, ...] | None = None
    llm_s: float = 0.0
    kind: str = ""
    answer_in_graph: bool = True

    @property
    def hit1(self) -> float:
        return hits_at_1(self.candidates, self.gold)

    @property
    def f1(self) -> float:
        return answer_f1(self.candidates, self.gold)

    @property
    def recall(self) -> float:
        return any_recall(self.candidates, self.gold)

    @property
    def path_covered(self) -> float:
        return any_recall(self.path_ends, self.gold)


def summarise(results: Sequence[QuestionResult]) -> dict[str, Any]:
    """Metrics (percentages) and latency (ms) of results; an ``llm`` block when some have LLM answers."""
    n = len(results)
    if n == 0:
        return {"questions": 0}
    out: dict[str, Any] = {
        "questions": n,
        "hits1": 100 * float(np.mean([r.hit1 for r in results])),
        "f1": 100 * float(np.mean([r.f1 for r in results])),
        "candidate_recall": 100 * float(np.mean([r.recall for r in results])),
        "mean_candidates": float(np.mean([len(r.candidates) for r in results])),
        "path_coverage": 100 * float(np.mean([r.path_covered for r in results])),
        "mean_paths": float(np.mean([r.n_paths for r in results])),
        "answer_in_graph": 100 * float(np.mean([r.answer_in_graph for r in results])),
        "latency_ms": {
            part: {
                "p50": percentile_ms([r.timings_s.get(part, 0.0) for r in results], 50),
                "p95": percentile_ms([r.timings_s.get(part, 0.0) for r in results], 95),
            }
            for part in LATENCY_PARTS
        },
    }
    with_llm = [r for r in results if r.llm_answers is not None]
    if with_llm:
        out["llm"] = {
            "questions": len(with_llm),
            "hits1": 100 * float(np.mean([hits_at_1(r.llm_answers or (), r.gold) for r in with_llm])),
            "f1": 100 * float(np.mean([answer_f1(r.llm_answers or (), r.gold) for r in with_llm])),
            "gnn_hits1_same_questions": 100 * float(np.mean([r.hit1 for r in with_llm])),
            "latency_ms": {
                "p50": percentile_ms([r.llm_s for r in with_llm], 50),
                "p95": percentile_ms([r.llm_s for r in with_llm], 95),
            },
        }
    return out


def end_to_end_summary(timings: Sequence[dict[str, float]]) -> dict[str, Any]:
    """p50/p95 milliseconds per stage of single questions timed end to end."""
    return {
        "questions": len(timings),
        **{
            part: {"p50": percentile_ms([t.get(part, 0.0) for t in timings], 50),
                   "p95": percentile_ms([t.get(part, 0.0) for t in timings], 95)}
            for part in LATENCY_PARTS
        },
    }  # fmt: skip


@dataclass
class KGQAReport:
    """A run's results: settings, per-question results, and the end-to-end latency of single questions
    (embedding included) measured on a sample; summaries overall and per hop count are computed from them."""

    settings: dict[str, Any]
    results: list[QuestionResult] = field(default_factory=list)
    end_to_end: list[dict[str, float]] = field(default_factory=list)
    wall_s: float = 0.0

    def by_hops(self) -> dict[str, dict[str, Any]]:
        """Summary per hop count (``"?"``: no hop count in the file path), with its end-to-end latency."""
        groups: dict[str, list[QuestionResult]] = {}
        for r in self.results:
            groups.setdefault(str(r.hops) if r.hops is not None else "?", []).append(r)
        out = {k: summarise(v) for k, v in sorted(groups.items())}
        for key, summary in out.items():
            hops = float(key) if key != "?" else 0.0
            summary["end_to_end_latency_ms"] = end_to_end_summary(
                [t for t in self.end_to_end if t.get("hops", 0.0) == hops]
            )
        return out

    def by_kind(self) -> dict[str, dict[str, Any]]:
        """Summary per question type (questions without one left out), each also over only the questions
        whose answer is in the graph (``in_graph``)."""
        groups: dict[str, list[QuestionResult]] = {}
        for r in self.results:
            if r.kind:
                groups.setdefault(r.kind, []).append(r)
        return {
            k: {**summarise(v), "in_graph": summarise([r for r in v if r.answer_in_graph])}
            for k, v in sorted(groups.items())
        }

    def to_dict(self, *, examples: int = 25) -> dict[str, Any]:
        """JSON-ready report: settings, overall (and over questions whose answer is in the graph), per-hop and
        per-type metrics, end-to-end latency, some results."""
        return {
            "settings": self.settings,
            "overall": summarise(self.results),
            "answer_in_graph": summarise([r for r in self.results if r.answer_in_graph]),
            "by_hops": self.by_hops(),
            "by_kind": self.by_kind(),
            "end_to_end_latency_ms": end_to_end_summary(self.end_to_end),
            "wall_s": round(self.wall_s, 2),
            "examples": [asdict(r) for r in self.results[:examples]],
        }


def evaluate_kgqa(
    retriever: GNNRAGRetriever,
    examples: Sequence[KGQAExample],
    *,
    answerer: Answerer | None = None,
    llm_sample: int = 50,
    latency_sample: int = 200,
    seed: int = 0,
    progress: bool = True,
    settings: dict[str, Any] | None = None,
    matcher: AnswerMatcher | None = None,
) -> KGQAReport:
    """Run ``retriever`` on every example and, with ``answerer``, the LLM on a seeded sample of them.

    With ``matcher``, a gold answer also counts under the names of the graph nodes it matches (a date answer
    "5 March 1920" is the node "1920" of a graph that gives only the year), and questions whose answer
    matches no node are marked (``answer_in_graph``).

    Question embeddings are computed in batches first (many questions share a text once topic entities are
    masked), so the per-question ``embed`` time of the main pass is 0; the user-facing latency of a single
    question, embedding included, is measured separately by running :meth:`GNNRAGRetriever.retrieve` from
    scratch on a seeded sample of ``latency_sample`` questions (``end_to_end``).
    """
    from tqdm.auto import tqdm

    t_start = time.perf_counter()
    report = KGQAReport(settings=dict(settings or {}))
    linked = [retriever.topic_nodes(ex.question) for ex in examples]
    texts = sorted({text for _, text in linked})
    vectors: dict[str, np.ndarray] = {}
    batch = 256
    for start in tqdm(range(0, len(texts), batch), desc="embedding questions", unit="batch", disable=not progress):
        chunk = texts[start : start + batch]
        for text, vec in zip(chunk, retriever.embedder.embed(chunk), strict=True):
            vectors[text] = vec
    rng = random.Random(seed)
    llm_rows = set(rng.sample(range(len(examples)), min(llm_sample, len(examples)))) if answerer else set()
    for i, (ex, (topics, text)) in enumerate(
        tqdm(list(zip(examples, linked, strict=True)), desc="retrieving", unit="q", disable=not progress)
    ):
        got = retriever.retrieve_topics(text, topics, question_emb=vectors[text])
        llm_answers, llm_s = None, 0.0
        if i in llm_rows and answerer is not None:
            t0 = time.perf_counter()
            llm_answers = tuple(answerer.kg_answers(ex.plain_question, got.paths))
            llm_s = time.perf_counter() - t0
        gold, in_graph = ex.answers, True
        if matcher is not None:
            nodes = matcher.match_all(ex.answers)
            in_graph = bool(nodes)
            gold = tuple(dict.fromkeys([*ex.answers, *retriever.index.names_of(nodes)]))
        report.results.append(
            QuestionResult(
                question=ex.question,
                hops=ex.hops,
                gold=gold,
                candidates=tuple(c.name for c in got.candidates),
                path_ends=tuple(p.nodes[-1] for p in got.paths),
                n_paths=len(got.paths),
                timings_s=got.timings_s,
                llm_answers=llm_answers,
                llm_s=llm_s,
                kind=ex.kind,
                answer_in_graph=in_graph,
            )
        )
    sample = rng.sample(range(len(examples)), min(latency_sample, len(examples)))
    for i in tqdm(sample, desc="end-to-end latency", unit="q", disable=not progress):
        retriever.clear_cache()  # a cold question: its embedding is computed, not remembered
        timings = retriever.retrieve(examples[i].question).timings_s
        report.end_to_end.append({"hops": float(examples[i].hops or 0), **timings})
    report.wall_s = time.perf_counter() - t_start
    return report


__all__ = [
    "KGQAReport",
    "QuestionResult",
    "answer_f1",
    "any_recall",
    "end_to_end_summary",
    "evaluate_kgqa",
    "hits_at_1",
    "norm_answer",
    "percentile_ms",
    "summarise",
]
