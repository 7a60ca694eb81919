"""KGQA metrics on hand-computed cases, their summary per hop count, and the written report."""

from __future__ import annotations

import json

import pytest

from graphrag.eval.kgqa import (
    KGQAReport,
    QuestionResult,
    answer_f1,
    any_recall,
    hits_at_1,
    percentile_ms,
    summarise,
)
from graphrag.eval.kgqa_report import markdown_table, write_report


def test_hits_at_1():
    assert hits_at_1(["Paris", "Lyon"], {"paris"}) == 1.0  # case and spacing are ignored
    assert hits_at_1(["Lyon", "Paris"], {"Paris"}) == 0.0
    assert hits_at_1([], {"Paris"}) == 0.0


def test_answer_f1():
    # predicted {a, b, c}, gold {b, c, d, e}: P = 2/3, R = 2/4, F1 = 2PR/(P+R) = 4/7
    assert answer_f1(["a", "b", "c"], ["b", "c", "d", "e"]) == pytest.approx(4 / 7)
    assert answer_f1(["a", "a", "b"], ["b"]) == pytest.approx(2 * 0.5 * 1 / 1.5)  # duplicates count once
    assert answer_f1([], ["b"]) == 0.0
    assert answer_f1(["x"], ["b"]) == 0.0
    assert answer_f1(["B ", "c"], ["b", "C"]) == 1.0


def test_candidate_recall_and_percentiles():
    assert any_recall(["x", "y", "B"], ["b", "z"]) == 1.0
    assert any_recall(["x"], ["b"]) == 0.0
    assert percentile_ms([0.001, 0.002, 0.003, 0.004], 50) == pytest.approx(2.5)
    assert percentile_ms([], 95) == 0.0


def result(hops, gold, cands, ends, total_s, llm=None):
    return QuestionResult(
        question="q", hops=hops, gold=tuple(gold), candidates=tuple(cands), path_ends=tuple(ends),
        n_paths=len(ends), timings_s={"subgraph": total_s / 2, "gnn": total_s / 4, "paths": total_s / 4,
                                      "total": total_s},
        llm_answers=None if llm is None else tuple(llm), llm_s=0.5 if llm is not None else 0.0,
    )  # fmt: skip


@pytest.fixture()
def report():
    return KGQAReport(
        settings={"scorer": "test scorer", "questions": ["q1.txt"], "kb": "kb.txt"},
        results=[
            result(1, ["a"], ["a", "b"], ["a", "b"], 0.002, llm=["a"]),  # hit, F1 2/3, covered
            result(1, ["c"], ["b"], ["b"], 0.004, llm=["x"]),  # miss, F1 0, not covered
            result(2, ["d", "e"], ["e", "d"], ["d"], 0.010),  # hit, F1 1
        ],
        end_to_end=[{"hops": 1.0, "embed": 0.03, "total": 0.04}, {"hops": 2.0, "embed": 0.02, "total": 0.03}],
        wall_s=1.0,
    )


def test_summary_per_hop_count(report):
    by = report.by_hops()
    assert set(by) == {"1", "2"}
    one = by["1"]
    assert one["questions"] == 2
    assert one["hits1"] == pytest.approx(50.0)
    assert one["f1"] == pytest.approx(100 * (2 / 3) / 2)
    assert one["candidate_recall"] == pytest.approx(50.0)
    assert one["mean_candidates"] == pytest.approx(1.5)
    assert one["path_coverage"] == pytest.approx(50.0)
    assert one["latency_ms"]["total"]["p50"] == pytest.approx(3.0)
    assert one["llm"]["questions"] == 2 and one["llm"]["hits1"] == pytest.approx(50.0)
    assert "llm" not in by["2"]
    assert one["end_to_end_latency_ms"]["questions"] == 1
    assert by["2"]["end_to_end_latency_ms"]["total"]["p50"] == pytest.approx(30.0)
    overall = summarise(report.results)
    assert overall["hits1"] == pytest.approx(100 * 2 / 3)
    assert summarise([]) == {"questions": 0}


def test_report_files_json_markdown_and_plots(tmp_path, report):
    data = write_report(report, tmp_path / "r" / "report.json")
    on_disk = json.loads((tmp_path / "r" / "report.json").read_text())
    assert on_disk["by_hops"]["2"]["hits1"] == 100.0
    assert on_disk["end_to_end_latency_ms"]["questions"] == 2
    assert on_disk["end_to_end_latency_ms"]["total"]["p50"] == pytest.approx(35.0)
    assert len(on_disk["examples"]) == 3
    md = (tmp_path / "r" / "report.md").read_text()
    assert "| 1 | 2 | 50.00 |" in md and "| all | 3 |" in md
    assert "| 40.0 / 40.0 (n=1) |" in md and "| 35.0 / 39.5 (n=2) |" in md  # end to end, per hop and overall
    assert "End-to-end latency of single questions (2 sampled" in md
    assert "LLM Hits@1" in md
    for png in data["plots"]:
        with open(png, "rb") as fh:
            assert fh.read(8) == b"\x89PNG\r\n\x1a\n"
    assert len(data["plots"]) == 2


def test_markdown_without_plots_or_llm(tmp_path, report):
    report.results = [r for r in report.results if r.llm_answers is None]
    data = write_report(report, tmp_path / "plain.json", plots=False)
    assert data["plots"] == []
    md = markdown_table(data)
    assert "LLM Hits@1" not in md and "![" not in md
