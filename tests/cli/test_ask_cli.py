"""``graphrag ask`` in-process: plain and JSON output, the local model, and bad questions as clear errors."""

from __future__ import annotations

import json

import pytest

from graphrag.cli import main

QUESTION = "Where was the director of film Our Emden born?"


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, " ".join(out.err.split())  # rich wraps long error lines


def test_ask_without_a_model(capsys, tiny_graph_db) -> None:
    code, out, _ = run(capsys, "ask", QUESTION, "--db", str(tiny_graph_db), "--llm", "none", "--k", "3")
    assert code == 0
    assert "Answer (none): No language model was used. Best passage [1] Our Emden" in out
    assert "[2] Louis Ralph: Louis Ralph was an Austrian actor" in out
    assert "linked in the question: Our Emden (title)" in out
    assert "path: passage 'Our Emden' -> names -> passage 'Louis Ralph'" in out
    assert "Timings load" in out and "graph-context" in out and "generate" in out


def test_ask_json(capsys, tiny_graph_db) -> None:
    code, out, _ = run(capsys, "ask", QUESTION, "--db", str(tiny_graph_db), "--llm", "none", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["llm"] == "none"
    assert [c["title"] for c in data["citations"]][:2] == ["Our Emden", "Louis Ralph"]
    assert data["graph"]["linked"] == [{"surface": "Our Emden", "method": "title", "score": 1.0}]
    assert any(p.endswith("passage 'Louis Ralph'") for p in data["graph"]["paths"])
    assert {
        "load",
        "embed",
        "bm25",
        "vector",
        "graph-context",
        "fusion",
        "packing",
        "generate",
        "total",
    } <= set(data["timings_s"])


def test_ask_with_the_packaged_local_model(capsys, tiny_graph_db, tmp_path) -> None:
    pytest.importorskip("llama_cpp")
    cfg = tmp_path / "short.toml"
    cfg.write_text("[answer]\nmax_answer_tokens = 8\nthreads = 1\nbatch_tokens = 1\n")  # quick in-process
    code, out, err = run(
        capsys,
        "ask",
        QUESTION,
        "--db",
        str(tiny_graph_db),
        "--json",
        "--config",
        str(cfg),
        "--k",
        "2",
        "--llm",
        "local",
    )
    if code == 6:  # the model package is not installed here
        pytest.skip(err)
    assert code == 0, err
    data = json.loads(out)
    assert data["llm"].startswith("SmolLM2")
    assert data["answer"]
    assert len(data["sources"]) == 2
    assert all(c["number"] in (1, 2) for c in data["citations"])


def test_entity_not_in_the_graph_gets_a_clear_answer(capsys, tiny_graph_db) -> None:
    code, out, err = run(
        capsys, "ask", "Who is the father of Zorblax Quux?", "--db", str(tiny_graph_db), "--llm", "none"
    )
    assert code == 0
    assert "No entity or title named in the question was found in the graph" in out
    assert "nothing in the question was linked to the graph" in out
    assert "note: no entity or title in the question was found" in out


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ("", "the question is empty"),
        ("   ", "the question is empty"),
        ("x" * 10_000, "10,000 characters long"),
    ],
)
def test_bad_questions_are_clear_errors(capsys, tiny_graph_db, question: str, message: str) -> None:
    code, out, err = run(capsys, "ask", question, "--db", str(tiny_graph_db), "--llm", "none")
    assert code == 3
    assert message in err
    assert "Traceback" not in out + err


def test_bad_options_and_missing_database(capsys, tiny_graph_db, tmp_path) -> None:
    code, _, err = run(capsys, "ask", QUESTION, "--db", str(tiny_graph_db), "--llm", "gpt-9")
    assert code == 2 and "local, gemma, none, extractive, openai, ollama" in err
    code, _, err = run(capsys, "ask", QUESTION, "--db", str(tmp_path / "missing.kuzu"), "--llm", "none")
    assert code == 5 and "no database" in err


def test_ask_with_the_extractive_answerer_the_default(capsys, tiny_graph_db) -> None:
    code, out, _ = run(capsys, "ask", QUESTION, "--db", str(tiny_graph_db), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["answer"] == "Graz" and data["llm"] == "extractive"
    assert [c["title"] for c in data["citations"]] == ["Louis Ralph"]  # the bridge passage, not the named film's
    code, out, _ = run(capsys, "ask", "Who directed Apple pie?", "--db", str(tiny_graph_db), "--llm", "extractive")
    assert code == 0 and "Answer (extractive): Not found in the documents." in out
