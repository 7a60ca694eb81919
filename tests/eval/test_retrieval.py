"""The retrieval benchmark on the tiny graph: every system scored in one run, report files, and the CLI."""

from __future__ import annotations

import json
import shutil

from engine_code import engine_has_index_functions

from graphrag.cli import main
from graphrag.eval.retrieval import evaluate_system, run_retrieval_benchmark
from graphrag.eval.twowiki import TwoWikiQuestion
from graphrag.types import Hit

QUESTIONS = [
    TwoWikiQuestion(
        "q1",
        "Where was the director of film Our Emden born?",
        "Graz",
        "compositional",
        ("Our Emden", "Louis Ralph"),
    ),
    TwoWikiQuestion(
        "q2",
        "When did Lothair II's mother die?",
        "20 March 851",
        "compositional",
        ("Lothair II", "Ermengarde of Tours"),
    ),
    TwoWikiQuestion("q3", "Is Graz or Teutberga older?", "", "comparison", ("Graz", "Teutberga")),
]


def copy_db(src, dst):
    shutil.copytree(src, dst) if src.is_dir() else shutil.copy(src, dst)
    return dst


def test_evaluate_system_scores_recall_and_latency() -> None:
    def search(question: str, k: int) -> list[Hit]:
        titles = ["Our Emden", "Graz", "Louis Ralph"] if "Emden" in question else ["Teutberga"]
        return [Hit(f"c{i}", f"d{i}", 1.0, "t", title=t) for i, t in enumerate(titles)][:k]

    calls = []
    res = evaluate_system("toy", "a toy", search, QUESTIONS, before=lambda: calls.append(1))
    assert calls == [1]
    assert res.recall == {
        "R@2": round(100 * (0.5 + 0 + 0.5) / 3, 2),
        "R@5": round(100 * (1 + 0 + 0.5) / 3, 2),
    }
    assert res.recall_by_type["comparison"] == {"R@2": 50.0, "R@5": 50.0}
    assert res.latency_ms["p95"] >= res.latency_ms["p50"] >= 0
    assert res.per_question[0]["top"] == ["Our Emden", "Graz", "Louis Ralph"]


def test_benchmark_runs_all_systems_on_one_index(tiny_graph_db, tmp_path) -> None:
    db = copy_db(tiny_graph_db, tmp_path / "bench.kuzu")
    bench = run_retrieval_benchmark(questions=QUESTIONS, db=db)
    names = [s.name for s in bench.systems]
    assert names[:5] == ["BM25", "dense", "BM25+dense", "graph", "hybrid"]
    expected = {"graph-context (part of hybrid)"}
    if engine_has_index_functions():  # the comparison with the engine's own indexes, where it has them
        expected |= {"dense (Kuzu HNSW)", "BM25 (Kuzu FTS)", "BM25 (bm25s, text only)"}
    assert expected <= set(names)
    by = {s.name: s for s in bench.systems}
    assert by["graph"].recall["R@5"] == 100.0 and by["hybrid"].recall["R@5"] == 100.0
    assert bench.meta["n_questions"] == 3 and bench.meta["chunks"] == 8
    assert "loadavg_1_5_15" in bench.meta["machine"]
    json_path, md_path = bench.write(tmp_path / "out" / "report.json")
    data = json.loads(json_path.read_text())
    assert [s["name"] for s in data["systems"]] == names and "per_question" in data["systems"][0]
    assert md_path.read_text().startswith("| retriever | R@2 | R@5 |")


def test_eval_retrieval_cli(capsys, tiny_graph_db, tmp_path) -> None:
    db = copy_db(tiny_graph_db, tmp_path / "cli.kuzu")
    qf, gf = tmp_path / "questions.json", tmp_path / "gold.json"
    qf.write_text(
        json.dumps([{"id": q.id, "question": q.question, "question_type": q.type} for q in QUESTIONS])
    )
    gf.write_text(json.dumps({q.id: list(q.gold_titles) for q in QUESTIONS}))
    out = tmp_path / "report.json"
    code = main(
        [
            "eval",
            "retrieval",
            "--corpus",
            str(tmp_path / "unused.jsonl"),
            "--questions",
            str(qf),
            "--gold",
            str(gf),
            "--out",
            str(out),
            "--db",
            str(db),
            "--no-ingest",
            "--limit",
            "2",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "hybrid" in captured.out and out.exists() and out.with_suffix(".md").exists()
    assert json.loads(out.read_text())["meta"]["n_questions"] == 2
    code = main(
        [
            "eval",
            "retrieval",
            "--corpus",
            "x",
            "--questions",
            str(qf),
            "--gold",
            str(tmp_path / "nope.json"),
            "--out",
            str(out),
            "--db",
            str(db),
            "--no-ingest",
        ]
    )
    assert code == 3 and "nope.json: no such file" in " ".join(capsys.readouterr().err.split())
