"""The ingest profiler prints a line per committed batch with the statements' times, and puts the store back."""

from __future__ import annotations

import json

from graphrag.cli import ingest_profile
from graphrag.store import kuzu_store


def test_a_line_per_batch_and_the_store_unpatched_afterwards(tmp_path, capsys) -> None:
    corpus = tmp_path / "c.jsonl"
    corpus.write_text(
        "".join(
            json.dumps({"title": f"Doc {i}", "text": f"Ada Lovelace met Charles Babbage in London {i}."}) + "\n"
            for i in range(5)
        ),
        encoding="utf-8",
    )
    before = (kuzu_store.KuzuGraphStore.execute, kuzu_store.KuzuGraphStore.bulk_load, kuzu_store.write_documents)
    db = tmp_path / "p.kuzu"
    code = ingest_profile.main(
        [str(corpus), "--db", str(db), "--", "--embedder", "hashing", "--fast", "--batch-docs", "2"]
    )
    err = capsys.readouterr().err
    assert code == 0
    lines = [line for line in err.splitlines() if line.startswith("batch ")]
    assert len(lines) == 3, err  # 5 documents in batches of 2
    assert all("copy:" in line and "peak RSS" in line for line in lines), lines
    after = (kuzu_store.KuzuGraphStore.execute, kuzu_store.KuzuGraphStore.bulk_load, kuzu_store.write_documents)
    assert after == before


def test_without_a_db_it_explains_itself(capsys) -> None:
    assert ingest_profile.main(["x.jsonl"]) == 2
    assert "--db" in capsys.readouterr().err
