"""``graphrag train-gnn``, ``graphrag eval kgqa`` and the pipeline steps, in-process on a toy KB."""

from __future__ import annotations

import json

import pytest
from gnnrag.toy_kg import make_toy_kgqa

from graphrag.cli import main
from graphrag.gnnrag.checkpoint import load_checkpoint
from graphrag.gnnrag.component import META_CHECKPOINT
from graphrag.store import KuzuGraphStore


@pytest.fixture(scope="module")
def toy_files(tmp_path_factory):
    root = tmp_path_factory.mktemp("toy")
    toy = make_toy_kgqa(n_movies=40, n_people=30, seed=1)
    (root / "kb.txt").write_text(toy.kb_text(), encoding="utf-8")
    for hops in (1, 2):
        folder = root / f"{hops}-hop"
        folder.mkdir()
        lines = toy.questions_text(hops).splitlines(keepends=True)
        (folder / "dev.txt").write_text("".join(lines[:-15]), encoding="utf-8")
        (folder / "test.txt").write_text("".join(lines[-15:]), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def trained(toy_files):
    ckpt = toy_files / "out" / "toy-2hop.pt"
    code = main([
        "train-gnn", "--kb", str(toy_files / "kb.txt"), "--db", str(toy_files / "db"),
        "--questions", str(toy_files / "2-hop" / "dev.txt"), "--out", str(ckpt), "--embedder", "hashing",
        "--epochs", "3", "--hidden", "32", "--no-progress",
    ])  # fmt: skip
    assert code == 0
    return ckpt


def test_train_gnn_imports_the_kb_and_writes_a_checkpoint_with_its_config(toy_files, trained):
    ckpt = load_checkpoint(trained)
    assert ckpt.subgraph.max_hops == 2 and ckpt.model.num_steps == 2  # from the 2-hop folder name
    assert ckpt.model.hidden_channels == 32 and ckpt.retriever.embedder == "hashing"
    assert ckpt.train["epochs"] == 3
    s = ckpt.summary
    assert s["epochs_run"] == len(s["history"]) <= 3 and s["train_time_s"] > 0
    assert s["data"]["used"] == s["train_questions"] + s["val_questions"]
    assert s["kb"].endswith("kb.txt") and set(s["predicates"]) >= {"directed_by", "starred_actors"}
    with KuzuGraphStore(toy_files / "db", read_only=True) as store:  # the store names its trained model
        assert store.meta()[META_CHECKPOINT] == str(trained.resolve())


def test_eval_kgqa_with_a_model_writes_report_markdown_and_plots(toy_files, trained, capsys):
    out = toy_files / "reports" / "gnn.json"
    code = main([
        "eval", "kgqa", "--kb", str(toy_files / "kb.txt"), "--db", str(toy_files / "db"),
        "--questions", str(toy_files / "2-hop" / "test.txt"), "--model", str(trained), "--out", str(out),
        "--latency-sample", "3", "--no-progress",
    ])  # fmt: skip
    assert code == 0
    report = json.loads(out.read_text())
    two = report["by_hops"]["2"]
    assert two["questions"] == 15
    assert 0.0 <= two["hits1"] <= 100.0 and two["mean_candidates"] > 0
    assert report["end_to_end_latency_ms"]["questions"] == 3
    assert report["settings"]["checkpoints"][0]["model"]["num_steps"] == 2
    assert out.with_suffix(".md").exists()
    assert (out.parent / "gnn_hops.png").exists() and (out.parent / "gnn_latency.png").exists()
    assert '"hits1"' in capsys.readouterr().out


def test_eval_kgqa_zero_shot_over_two_question_files(toy_files):
    out = toy_files / "reports" / "zs.json"
    code = main([
        "eval", "kgqa", "--db", str(toy_files / "db"), "--zero-shot", "--embedder", "hashing",
        "--questions", str(toy_files / "1-hop" / "test.txt"),
        "--questions", str(toy_files / "2-hop" / "test.txt"),
        "--out", str(out), "--latency-sample", "2", "--no-plots", "--no-progress",
    ])  # fmt: skip
    assert code == 0
    report = json.loads(out.read_text())
    assert set(report["by_hops"]) == {"1", "2"} and report["overall"]["questions"] == 30
    assert report["settings"]["scorer"] == "zero-shot paths" and report["plots"] == []
    # A zero-shot scorer never answers with the question's own entity, and one-hop answers are its neighbours.
    assert report["by_hops"]["1"]["candidate_recall"] > 50.0
    # The relation-path scorer follows the two relations a two-hop question names; PPR cannot.
    ppr = toy_files / "reports" / "ppr.json"
    code = main([
        "eval", "kgqa", "--db", str(toy_files / "db"), "--zero-shot", "--scorer", "ppr", "--embedder", "hashing",
        "--questions", str(toy_files / "2-hop" / "test.txt"),
        "--out", str(ppr), "--latency-sample", "2", "--no-plots", "--no-progress",
    ])  # fmt: skip
    assert code == 0
    by_ppr = json.loads(ppr.read_text())
    assert by_ppr["settings"]["scorer"] == "zero-shot ppr"
    assert report["by_hops"]["2"]["hits1"] > by_ppr["by_hops"]["2"]["hits1"] + 20


def test_usage_errors_have_clear_exit_codes(toy_files, trained, tmp_path):
    questions = str(toy_files / "2-hop" / "test.txt")
    base = ["eval", "kgqa", "--db", str(toy_files / "db"), "--questions", questions,
            "--out", str(tmp_path / "r.json"), "--no-progress"]  # fmt: skip
    assert main(base) == 2  # neither --model nor --zero-shot
    assert main([*base, "--zero-shot", "--model", str(trained)]) == 2
    assert main([*base, "--model", str(tmp_path / "missing.pt")]) == 3
    assert main([*base, "--zero-shot", "--llm", "nope", "--embedder", "hashing"]) == 2
    assert main([*base, "--zero-shot", "--scorer", "nope", "--embedder", "hashing"]) == 2
    no_db = ["train-gnn", "--db", str(tmp_path / "empty"), "--questions", questions,
             "--out", str(tmp_path / "x.pt"), "--embedder", "hashing", "--no-progress"]  # fmt: skip
    assert main(no_db) == 5  # a StoreError: no database there, and no --kb to import
    assert not (tmp_path / "x.pt").exists()


def test_pipeline_steps_train_and_evaluate(toy_files, tmp_path):
    spec = tmp_path / "spec.toml"
    spec.write_text(
        f"""
[store]
db = "{toy_files / "db"}"

[[steps]]
kind = "train-gnn"
questions = ["{toy_files / "1-hop" / "dev.txt"}"]
out = "{tmp_path / "one.pt"}"
embedder = "hashing"
epochs = 2
hidden = 16
progress = false

[[steps]]
kind = "eval-kgqa"
questions = ["{toy_files / "1-hop" / "test.txt"}"]
models = ["{tmp_path / "one.pt"}"]
out = "{tmp_path / "one.json"}"
latency_sample = 2
plots = false
progress = false
""",
        encoding="utf-8",
    )
    assert main(["run", str(spec)]) == 0
    assert json.loads((tmp_path / "one.json").read_text())["by_hops"]["1"]["questions"] == 15
    bad = tmp_path / "bad.toml"
    bad.write_text(
        '[[steps]]\nkind = "eval-kgqa"\nquestions = ["x"]\nout = "y"\nmodel = "z"\n', encoding="utf-8"
    )
    assert main(["run", str(bad)]) == 2


def test_questions_about_another_kb_are_refused_clearly(toy_files, tmp_path):
    other = tmp_path / "other.txt"
    other.write_text("who directed [Casablanca]\tMichael Curtiz\n", encoding="utf-8")
    code = main(["train-gnn", "--db", str(toy_files / "db"), "--questions", str(other),
                 "--out", str(tmp_path / "o.pt"), "--embedder", "hashing", "--no-progress"])  # fmt: skip
    assert code == 3 and not (tmp_path / "o.pt").exists()
