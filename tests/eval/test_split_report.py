"""Recall on the tuning part of a retrieval report and on the rest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from graphrag.errors import GraphRAGError
from graphrag.eval.split_report import main, split_recall

ROWS = [{"R@2": 1.0, "R@5": 1.0}, {"R@2": 0.0, "R@5": 1.0}, {"R@2": 0.5, "R@5": 0.5}]
REPORT = {"systems": [{"name": "graph", "per_question": ROWS}]}


def test_recall_is_split_at_the_index() -> None:
    [(name, tune, rest)] = split_recall(REPORT, 2)
    assert name == "graph" and tune == {"R@2": 50.0, "R@5": 100.0} and rest == {"R@2": 50.0, "R@5": 50.0}


def test_a_report_without_per_question_rows_is_refused() -> None:
    with pytest.raises(GraphRAGError, match="per-question"):
        split_recall({"systems": [{"name": "bm25", "per_question": []}]}, 1)


def test_cli_prints_a_table(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "r.json"
    path.write_text(json.dumps(REPORT))
    assert main([str(path), "--at", "1"]) == 0
    assert "| graph | 100.0 | 100.0 | 25.0 | 75.0 |" in capsys.readouterr().out


def test_an_eval_qa_report_is_split_per_answerer_and_type(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from graphrag.eval.split_report import split_answers

    rows = [{"type": "a", "em": 1.0, "f1": 1.0, "abstained": False}] * 2 + [
        {"type": "b", "em": 0.0, "f1": 0.5, "abstained": True}
    ] * 2
    report = {"answerers": [{"answerer": "extractive", "per_question": rows}]}
    [(name, tune, rest)] = split_answers(report, 2)
    assert name == "extractive" and tune == {
        "n": 2,
        "em": 100.0,
        "f1": 100.0,
        "abstained": 0.0,
        "f1_by_type": {"a": 100.0},
    }
    assert rest["f1"] == 50.0 and rest["abstained"] == 100.0 and rest["f1_by_type"] == {"b": 50.0}
    p = tmp_path / "qa.json"
    p.write_text(json.dumps(report))
    assert main([str(p), "--at", "2"]) == 0
    assert "| extractive | first 2 | 2 | 100.0 | 100.0 | 0.0 | a 100.0 |" in capsys.readouterr().out


def test_an_eval_kg_report_is_split_by_question(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from graphrag.eval.split_report import split_kg

    rows = [
        {"question": "q1", "facts": 2, "recovered": 2, "strict": 1},
        {"question": "q2", "facts": 3, "recovered": 1, "strict": 0},
        {"question": "q3", "facts": 1, "recovered": 0, "strict": 0},
    ]
    report = {"entity_pair_recall": 50.0, "strict_recall": None, "per_question": rows}
    tune, rest = split_kg(report, 2)
    assert tune == {"questions": 2, "facts": 5, "entity_pair": 60.0, "strict": None}
    assert rest == {"questions": 1, "facts": 1, "entity_pair": 0.0, "strict": None}
    assert split_kg({**report, "strict_recall": 20.0}, 2)[0]["strict"] == 20.0
    p = tmp_path / "kg.json"
    p.write_text(json.dumps(report))
    assert main([str(p), "--at", "2"]) == 0
    assert "| first 2 | 2 | 5 | 60.0 | — |" in capsys.readouterr().out
    with pytest.raises(GraphRAGError, match="per-question"):
        split_kg({"entity_pair_recall": 1.0}, 1)
