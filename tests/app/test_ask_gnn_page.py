"""The Ask page over a store with a trained GNN: candidates with probabilities and the reasoning paths."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402


def test_ask_page_shows_gnn_candidates_and_reasoning_paths(
    app_path: Path, toy_gnn_stores, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "text.kuzu"
    shutil.copy2(toy_gnn_stores["text"], db)
    who = next(t for h, r, t in toy_gnn_stores["toy"].triples if h == "Film 3" and r == "directed_by")
    monkeypatch.setenv("GRAPHRAG_DB", str(db))
    at = AppTest.from_file(str(app_path), default_timeout=120).run()
    at.text_area(key="ask_question").input("who directed [Film 3]")
    at.radio(key="ask_llm").set_value("none")
    at.get("form_submit_button")[0].click()
    at.run()
    assert not at.exception and not at.error
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
