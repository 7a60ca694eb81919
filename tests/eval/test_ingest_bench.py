"""The dense Recall@k measure of the ingest benchmark (best chunk per passage, share of gold titles in the top
k)."""

from __future__ import annotations

import numpy as np

from graphrag.eval.ingest_bench import recall_at_k


def unit(*xs: float) -> np.ndarray:
    v = np.array(xs, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_recall_counts_gold_titles_among_the_best_passages() -> None:
    # passage A has two chunks (the second close to q0), B one, C one
    chunks = np.stack([unit(0, 1, 0), unit(1, 0.1, 0), unit(0, 0, 1), unit(0.7, 0.7, 0)])
    titles = ["A", "A", "B", "C"]
    questions = np.stack([unit(1, 0, 0), unit(0, 0, 1)])
    gold = [["A", "B"], ["B"]]
    r = recall_at_k(questions, chunks, titles, gold, ks=(1, 2, 3))
    # q0 ranks A (best chunk 0.995), C (0.707), B (0): top1 {A} -> 1/2, top2 {A, C} -> 1/2, top3 -> 1
    # q1 ranks B first: 1 at every k
    assert r == {1: 0.75, 2: 0.75, 3: 1.0}
