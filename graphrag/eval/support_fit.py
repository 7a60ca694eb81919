"""Fit the support score's weights (:mod:`graphrag.generate.support`) on ``eval qa`` reports, and check them.

Every answer in a report (its support signals are in each row; an answer withheld for lack of support is kept
as ``withheld`` with the F1 it would have had) becomes one example: the three signals in, "the answer has token
F1 >= 0.5" out. Answers about invented entities (``--absent``) are all wrong, so they teach the score what an
unsupported answer looks like. A logistic regression (Newton's method, a little L2) gives the weights; the
report says how calibrated they are (Brier score, expected calibration error by tenths) and, for each
threshold, how often the answerable questions and the absent-entity ones would be withheld.

    python -m graphrag.eval.support_fit REPORT.json [REPORT.json ...] [--check REPORT.json ...]

The reader's own abstentions (it found no span of the expected type) have no answer to score and are left out.
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

FEATURES = ("type_fit", "grounding", "linking")
GOOD_F1 = 0.5


@dataclass(frozen=True)
class Example:
    """One scored answer: its support signals, whether it was right, and whether it was about an invented
    entity."""

    x: tuple[float, ...]
    right: bool
    absent: bool


def examples(reports: Iterable[dict[str, Any]]) -> list[Example]:
    """The examples of every answerer in every report (answerable and absent-entity questions)."""
    out: list[Example] = []
    for data in reports:
        for a in data["answerers"]:
            groups = [(a["per_question"], False)]
            if "absent_entities" in a:
                groups.append((a["absent_entities"]["per_question"], True))
            for rows, absent in groups:
                for row in rows:
                    s = row.get("support")
                    if s is None or (row["abstained"] and "withheld" not in row):
                        continue
                    f1 = row.get("withheld_f1", row["f1"])
                    out.append(Example(tuple(float(s[f]) for f in FEATURES), (not absent) and f1 >= GOOD_F1, absent))
    return out


def fit(data: Sequence[Example], *, l2: float = 1e-2, steps: int = 50) -> tuple[float, ...]:
    """Logistic-regression weights (intercept first) by Newton's method with an L2 penalty (not on the
    intercept)."""
    x = np.array([(1.0, *e.x) for e in data])
    y = np.array([1.0 if e.right else 0.0 for e in data])
    w = np.zeros(x.shape[1])
    penalty = np.diag([0.0] + [l2] * (x.shape[1] - 1)) * len(data)
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        grad = x.T @ (p - y) + penalty @ w
        hess = x.T @ (x * (p * (1 - p))[:, None]) + penalty + 1e-9 * np.eye(x.shape[1])
        step = np.linalg.solve(hess, grad)
        w -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return tuple(round(float(v), 3) for v in w)


def score(weights: Sequence[float], x: Sequence[float]) -> float:
    """The support score of signals ``x`` under ``weights``."""
    z = weights[0] + sum(w * v for w, v in zip(weights[1:], x, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


def check(weights: Sequence[float], data: Sequence[Example]) -> dict[str, Any]:
    """Calibration (Brier, ECE over tenths) and, per threshold, the withheld share of answerable answers,
    of right answers, and of absent-entity answers."""
    scores = [score(weights, e.x) for e in data]
    right = [e.right for e in data]
    brier = sum((s - r) ** 2 for s, r in zip(scores, right, strict=True)) / max(1, len(data))
    ece = 0.0
    bins = []
    for b in range(10):
        idx = [i for i, s in enumerate(scores) if b / 10 <= s < (b + 1) / 10 or (b == 9 and s == 1.0)]
        if idx:
            mean_s = sum(scores[i] for i in idx) / len(idx)
            mean_r = sum(right[i] for i in idx) / len(idx)
            ece += len(idx) / len(data) * abs(mean_s - mean_r)
            bins.append({"bin": f"{b / 10:.1f}-{(b + 1) / 10:.1f}", "n": len(idx), "score": round(mean_s, 3),
                         "right": round(mean_r, 3)})  # fmt: skip
    thresholds = {}
    for t in (0.2, 0.3, 0.4, 0.5, 0.6):

        def share(sel: list[int], t: float = t) -> float:
            return round(100.0 * sum(scores[i] < t for i in sel) / len(sel), 1) if sel else 0.0

        answerable = [i for i, e in enumerate(data) if not e.absent]
        thresholds[f"{t:.1f}"] = {
            "withheld_answerable_pct": share(answerable),
            "withheld_right_pct": share([i for i in answerable if right[i]]),
            "withheld_absent_pct": share([i for i, e in enumerate(data) if e.absent]),
        }
    return {"examples": len(data), "brier": round(brier, 4), "ece": round(ece, 4), "bins": bins,
            "thresholds": thresholds}  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("reports", nargs="+", type=Path, help="eval qa reports to fit on")
    parser.add_argument("--check", nargs="*", type=Path, default=[], help="held-out reports to check on")
    args = parser.parse_args(argv)
    train = examples(json.loads(p.read_text(encoding="utf-8")) for p in args.reports)
    weights = fit(train)
    out: dict[str, Any] = {"features": ["intercept", *FEATURES], "weights": weights, "fit": check(weights, train)}
    if args.check:
        held = examples(json.loads(p.read_text(encoding="utf-8")) for p in args.check)
        out["check"] = check(weights, held)
    print(json.dumps(out, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["Example", "check", "examples", "fit", "score"]
