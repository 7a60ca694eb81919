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
