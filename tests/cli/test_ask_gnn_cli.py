"""``graphrag ask`` over stores with a trained GNN: candidates and reasoning paths in the output and the JSON,
``--gnn off|PATH``, and missing or corrupt checkpoints as clear errors (or a warning with ``auto``)."""

from __future__ import annotations

import json
import shutil

from graphrag.cli import main
from graphrag.gnnrag.component import META_CHECKPOINT
from graphrag.store import KuzuGraphStore


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, " ".join(out.err.split())  # rich wraps long error lines


def director(toy, film: str) -> str:
    return next(t for h, r, t in toy.triples if h == film and r == "directed_by")


def test_ask_without_a_model_shows_candidates_paths_and_passages(capsys, toy_gnn_stores) -> None:
    who = director(toy_gnn_stores["toy"], "Film 3")
    db = str(toy_gnn_stores["text"])
    code, out, _ = run(capsys, "ask", "who directed [Film 3]", "--db", db, "--llm", "none", "--k", "3")
    assert code == 0
    assert f"- {who} (p=" in out  # the answer: candidates with probabilities and their paths
    assert f"GNN-RAG (checkpoint {toy_gnn_stores['checkpoint'].resolve()})" in " ".join(out.split())
    assert f"1. {who}  p=" in out
    assert f"Film 3 -> directed_by -> {who}" in out
    assert "[1] Film 3: Film 3 is a" in out  # the passage the fact came from
    assert "Timings load" in out and "gnn: " in out and "subgraph" in out


def test_ask_json_on_an_imported_kg(capsys, toy_gnn_stores) -> None:
    who = director(toy_gnn_stores["toy"], "Film 3")
    db = str(toy_gnn_stores["imported"])
    code, out, _ = run(capsys, "ask", "who directed [Film 3]", "--db", db, "--llm", "none", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["candidates"][0]["name"] == who and data["candidates"][0]["probability"] > 0.5
    assert data["reasoning_paths"][0] == f"Film 3 -> directed_by -> {who}"
    assert data["sources"] == [] and "gnn" in data["timings_s"]


def test_gnn_off_leaves_it_out(capsys, toy_gnn_stores) -> None:
    db = str(toy_gnn_stores["text"])
    code, out, _ = run(capsys, "ask", "who directed [Film 3]", "--db", db, "--llm", "none", "--gnn", "off")
    assert code == 0 and "GNN-RAG" not in out and "(p=" not in out and "gnn" not in out
    assert "Best passage [1] Film 3" in out


def test_named_checkpoint_missing_or_corrupt_is_a_clear_error(capsys, toy_gnn_stores, tmp_path) -> None:
    db = str(toy_gnn_stores["imported"])
    missing = tmp_path / "nope.pt"
    code, _, err = run(capsys, "ask", "who directed [Film 3]", "--db", db, "--llm", "none", "--gnn", str(missing))
    assert code == 3 and f"{missing}: no such GNN checkpoint" in err
    corrupt = tmp_path / "corrupt.pt"
    corrupt.write_text("hello")
    code, _, err = run(capsys, "ask", "who directed [Film 3]", "--db", db, "--llm", "none", "--gnn", str(corrupt))
    assert code == 3 and f"{corrupt}: not a GNN checkpoint" in err
    other = str(toy_gnn_stores["checkpoint"])  # an explicit, good checkpoint works
    code, out, _ = run(capsys, "ask", "who directed [Film 3]", "--db", db, "--llm", "none", "--gnn", other)
    assert code == 0 and "GNN-RAG (checkpoint" in out


def test_auto_with_a_vanished_checkpoint_warns_and_answers(capsys, toy_gnn_stores, tmp_path) -> None:
    db = tmp_path / "moved.kuzu"
    shutil.copy2(toy_gnn_stores["imported"], db)
    with KuzuGraphStore(db) as store:
        store.set_meta(META_CHECKPOINT, str(tmp_path / "deleted.pt"))
    code, out, _ = run(capsys, "ask", "who directed [Film 3]", "--db", str(db), "--llm", "none")
    text = " ".join(out.split())
    assert code == 0 and "note: the store names the GNN checkpoint" in text and "answering without GNN-RAG" in text
    assert "GNN-RAG (checkpoint" not in text


def test_graphrag_run_ask_step_shows_candidates_and_takes_gnn(capsys, toy_gnn_stores, tmp_path) -> None:
    who = director(toy_gnn_stores["toy"], "Film 3")
    spec = tmp_path / "ask.toml"
    body = '[[steps]]\nkind = "ask"\nllm = "none"\nk = 2\nquestions = ["who directed [Film 3]"]\n'
    spec.write_text(f'[store]\ndb = "{toy_gnn_stores["imported"]}"\n\n{body}')
    code, out, _ = run(capsys, "run", str(spec))
    assert code == 0 and f"candidate {who} (p=" in out and f"via Film 3 -> directed_by -> {who}" in out
    spec.write_text(f'[store]\ndb = "{toy_gnn_stores["imported"]}"\n\n{body}gnn = "off"\n')
    code, out, _ = run(capsys, "run", str(spec))
    assert code == 0 and "candidate " not in out
