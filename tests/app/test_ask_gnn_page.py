"""The Ask page over a store with a trained GNN: candidates with probabilities and the reasoning paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402


def ask_without_a_model(app_path: Path, db: Path, question: str, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The Ask page over ``db`` after asking ``question`` with the answerer ``none``; it must run cleanly."""
    monkeypatch.setenv("GRAPHRAG_DB", str(db))
    at = AppTest.from_file(str(app_path), default_timeout=120).run()
    at.text_area(key="ask_question").input(question)
    at.radio(key="ask_llm").set_value("none")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception and not at.error
    return at


def test_ask_page_shows_gnn_candidates_and_reasoning_paths(
    app_path: Path, toy_gnn_stores, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "text.kuzu"
    shutil.copy2(toy_gnn_stores["text"], db)
    who = next(t for h, r, t in toy_gnn_stores["toy"].triples if h == "Film 3" and r == "directed_by")
    at = ask_without_a_model(app_path, db, "who directed [Film 3]", monkeypatch)
    captions = "\n".join(c.value for c in at.caption)
    assert "Answered by: none · GNN-RAG: 1 candidate" in captions
    assert "GNN checkpoint: " in captions and "gnn: " in captions  # the GNN's stages under the timings
    markdown = "\n".join(m.value for m in at.markdown)
    assert "**GNN-RAG answer candidates** (1, best first)" in markdown
    assert f"- `Film 3 -> directed_by -> {who}`" in markdown
    table = next(d.value for d in at.dataframe if "probability" in d.value.columns)
    assert table.iloc[0]["candidate"] == who and table.iloc[0]["probability"] > 0.5
    assert table.iloc[0]["first path"] == f"Film 3 -> directed_by -> {who}"
    assert at.get("iframe"), "the reasoning paths are drawn as a graph"


def test_ask_page_with_a_gnn_trained_on_plain_questions_over_the_text_store(
    app_path: Path, toy_gnn_stores, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from graphrag.embed import HashingEmbedder
    from graphrag.gnnrag.checkpoint import RetrieverSettings
    from graphrag.gnnrag.jobs import train_job
    from graphrag.gnnrag.train import TrainConfig

    db = tmp_path / "text.kuzu"
    shutil.copy2(toy_gnn_stores["text"], db)
    toy = toy_gnn_stores["toy"]
    rows = [{"question": ex.plain_question, "answers": list(ex.answers)} for h in (1, 2) for ex in toy.questions[h]]
    (tmp_path / "qa.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    train_job(
        db=db, questions=[tmp_path / "qa.jsonl"], out=tmp_path / "m.pt", hops=2, hidden_channels=32,
        embedder=HashingEmbedder(384), train=TrainConfig(epochs=6, batch_size=8, lr=1e-2, patience=6, seed=0),
        settings=RetrieverSettings(embedder="hashing"), progress=False,
    )  # fmt: skip
    who = next(t for h, r, t in toy.triples if h == "Film 3" and r == "directed_by")
    at = ask_without_a_model(app_path, db, "who directed Film 3", monkeypatch)
    assert f"GNN checkpoint: {(tmp_path / 'm.pt').resolve()}" in "\n".join(c.value for c in at.caption)
    table = next(d.value for d in at.dataframe if "probability" in d.value.columns)
    assert table.iloc[0]["candidate"] == who
    assert table.iloc[0]["first path"] == f"Film 3 -> directed_by -> {who}"
