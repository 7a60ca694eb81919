"""2WikiMultiHopQA loaders and Recall@k."""

from __future__ import annotations

import json

import pytest

from graphrag.errors import InputError
from graphrag.eval.twowiki import load_gold, load_questions, ranked_titles, recall_at_k


def test_recall_at_k_counts_distinct_titles() -> None:
    assert recall_at_k(["A", "A", "B", "C"], ["B", "C"], 2) == 0.5  # A twice counts once: top-2 is A, B
    assert recall_at_k(["A", "B", "C"], ["B", "C"], 5) == 1.0
    assert recall_at_k([], ["B"], 5) == 0.0
    assert ranked_titles(["x", "y", "x"]) == ["x", "y"]
    with pytest.raises(ValueError):
        recall_at_k(["A"], [], 2)


def test_loaders_keep_questions_with_gold(tmp_path) -> None:
    qf, gf = tmp_path / "q.json", tmp_path / "g.json"
    qf.write_text(
        json.dumps(
            [
                {"id": "q1", "question": "Who?", "answer": "A", "question_type": "compositional"},
                {"id": "q2", "question": "What?", "answer": "B", "question_type": "comparison"},
            ]
        )
    )
    gf.write_text(json.dumps({"q2": ["T1", "T2", "T1"]}))
    gold = load_gold(gf)
    assert gold == {"q2": ("T1", "T2")}
    (q,) = load_questions(qf, gold)
    assert (q.id, q.type, q.gold_titles) == ("q2", "comparison", ("T1", "T2"))


def test_bad_files_name_the_file_and_line(tmp_path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{\n "q1": ["A"],\n oops\n}')
    with pytest.raises(InputError, match=r"bad.json:3"):
        load_gold(bad)
    with pytest.raises(InputError, match="no such file"):
        load_gold(tmp_path / "missing.json")
    wrong = tmp_path / "wrong.json"
    wrong.write_text(json.dumps({"q1": "A"}))
    with pytest.raises(InputError, match="non-empty list"):
        load_gold(wrong)
    qs = tmp_path / "qs.json"
    qs.write_text(json.dumps([{"id": 1}]))
    with pytest.raises(InputError, match="item 0"):
        load_questions(qs, {"1": ("A",)})
    qs.write_text(json.dumps([{"id": "x", "question": "?"}]))
    with pytest.raises(InputError, match="no question here has gold"):
        load_questions(qs, {"y": ("A",)})
