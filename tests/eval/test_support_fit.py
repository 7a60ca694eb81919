"""Fitting the support score on eval qa rows: the examples it reads, the weights, the calibration report."""

from __future__ import annotations

import json
from pathlib import Path

from graphrag.eval.support_fit import Example, check, examples, fit, main, score


def row(f1: float, t: float, g: float, link: float, **extra) -> dict:
    return {"f1": f1, "abstained": False, "support": {"type_fit": t, "grounding": g, "linking": link}, **extra}


def report() -> dict:
    good = [row(1.0, 1, 1, 1) for _ in range(30)] + [row(0.0, 1, 1, 1) for _ in range(5)]
    bad = [row(0.0, 1, 0, 1) for _ in range(30)] + [row(1.0, 1, 0, 1) for _ in range(3)]
    withheld = [{**row(0.0, 0, 0, 1), "abstained": True, "withheld": "x", "withheld_f1": 1.0}]
    reader_abstained = [{"f1": 0.0, "abstained": True}]  # no answer to score: left out
    absent = [row(0.0, 1, 1, 0) for _ in range(20)]
    return {"answerers": [{"per_question": good + bad + withheld + reader_abstained,
                           "absent_entities": {"per_question": absent}}]}  # fmt: skip


def test_examples_read_answers_withheld_ones_and_absent_entities() -> None:
    data = examples([report()])
    assert len(data) == 35 + 33 + 1 + 20
    assert Example((0.0, 0.0, 1.0), True, False) in data  # the withheld answer, scored by what it would have had
    assert all(not e.right for e in data if e.absent)


def test_the_fit_learns_that_grounding_and_linking_matter() -> None:
    data = examples([report()])
    w = fit(data)
    assert w[2] > 1.0 and w[3] > 1.0  # grounding, linking
    assert score(w, (1, 1, 1)) > 0.7 > 0.3 > score(w, (1, 0, 1)) and score(w, (1, 1, 0)) < 0.5
    result = check(w, data)
    assert result["examples"] == len(data) and 0.0 <= result["ece"] < 0.2 and result["brier"] < 0.2
    assert result["thresholds"]["0.5"]["withheld_absent_pct"] == 100.0


def test_the_command_prints_weights_and_checks(tmp_path: Path, capsys) -> None:
    p = tmp_path / "r.json"
    p.write_text(json.dumps(report()))
    assert main([str(p), "--check", str(p)]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["features"] == ["intercept", "type_fit", "grounding", "linking"] and len(out["weights"]) == 4
    assert out["check"]["examples"] == out["fit"]["examples"]
