"""The ``ask`` and ``eval-retrieval`` pipeline steps, run from a spec."""

from __future__ import annotations

import json
import shutil

import pytest
from rich.console import Console

from graphrag.api.pipeline_specs import run_spec
from graphrag.errors import ConfigError


def consoles():
    return Console(record=True, width=200), Console(record=True, width=200)


def test_ask_step_answers_each_question(tiny_graph_db, tmp_path) -> None:
    spec = tmp_path / "ask.toml"
    spec.write_text(
        f'[store]\ndb = "{tiny_graph_db}"\n\n[[steps]]\nkind = "ask"\nllm = "none"\nk = 2\n'
        'questions = ["Where was the director of film Our Emden born?", "Who is Zorblax Quux?"]\n'
    )
    out, err = consoles()
    (summary,) = run_spec(spec, out=out, err=err)
    answers = summary["answers"]
    assert [a["cited"] for a in answers][0] == ["Our Emden", "Louis Ralph"]
    assert answers[1]["answer"].startswith("No entity or title named in the question")
    assert "Q: Where was the director of film Our Emden born?" in out.export_text()
    assert answers[0]["support"] is None  # `none` answers nothing, so there is nothing to support


def test_ask_step_shows_the_support_of_extractive_answers(tiny_graph_db, tmp_path) -> None:
    spec = tmp_path / "ask.toml"
    spec.write_text(
        f'[store]\ndb = "{tiny_graph_db}"\n\n[[steps]]\nkind = "ask"\nllm = "extractive"\nk = 3\n'
        'questions = ["Where was the director of film Our Emden born?"]\n'
    )
    out, err = consoles()
    (summary,) = run_spec(spec, out=out, err=err)
    [answer] = summary["answers"]
    assert answer["answer"] == "Graz" and 0.0 < answer["support"] <= 1.0
    assert f"A (extractive): Graz (support {answer['support']:.2f})" in out.export_text()


def test_ask_step_checks_its_options(tiny_graph_db, tmp_path) -> None:
    spec = tmp_path / "bad.toml"
    spec.write_text(f'[store]\ndb = "{tiny_graph_db}"\n\n[[steps]]\nkind = "ask"\nquestions = "one"\n')
    with pytest.raises(ConfigError, match="non-empty list"):
        run_spec(spec, out=Console(), err=Console())
    spec.write_text(
        f'[store]\ndb = "{tiny_graph_db}"\n\n[[steps]]\nkind = "ask"\nquestions = ["q"]\nllm2 = 1\n'
    )
    with pytest.raises(ConfigError, match="unknown options"):
        run_spec(spec, out=Console(), err=Console())


def test_eval_retrieval_step(tiny_graph_db, tmp_path) -> None:
    db = tmp_path / "bench.kuzu"
    shutil.copytree(tiny_graph_db, db) if tiny_graph_db.is_dir() else shutil.copy(tiny_graph_db, db)
    (tmp_path / "q.json").write_text(
        json.dumps(
            [{"id": "q1", "question": "When did Lothair II's mother die?", "question_type": "compositional"}]
        )
    )
    (tmp_path / "g.json").write_text(json.dumps({"q1": ["Lothair II", "Ermengarde of Tours"]}))
    spec = tmp_path / "eval.toml"
    spec.write_text(
        f'[store]\ndb = "{db}"\n\n[[steps]]\nkind = "eval-retrieval"\ncorpus = "unused.jsonl"\n'
        f'questions = "{tmp_path / "q.json"}"\ngold = "{tmp_path / "g.json"}"\n'
        f'out = "{tmp_path / "r.json"}"\ningest = false\n'
    )
    out, err = consoles()
    (summary,) = run_spec(spec, out=out, err=err)
    assert summary["systems"]["hybrid"]["R@2"] == 100.0
    assert (tmp_path / "r.json").exists()
