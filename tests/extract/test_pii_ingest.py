"""``ingest --mask-pii`` on a real store: no original reaches any stored row (chunk text, document title and
source, entity names, mention texts), the report counts what was masked by kind, and with a vault key the
originals can be put back by the key's holder only."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from graphrag import GraphRAG
from graphrag.errors import ConfigError
from graphrag.privacy import PiiVault

RECORD = {
    "title": "Maria Lopez",
    "text": "Maria Lopez (maria.lopez@acme.example, +44 20 7946 0958) paid with card 4111 1111 1111 1111 on "
    "12 March 2021. Her IBAN is GB82 WEST 1234 5698 7654 32 and she logged in from 192.168.1.20. "
    "Maria Lopez works with John Smith on 3 projects.",
}
ORIGINALS = ["Maria", "Lopez", "maria.lopez", "7946", "4111", "GB82", "192.168", "John Smith"]

DUMP = [
    "MATCH (c:Chunk) RETURN c.text",
    "MATCH (d:Document) RETURN d.title, d.source",
    "MATCH (e:Entity) RETURN e.name, e.aliases",
    "MATCH ()-[m:MENTIONS]->() RETURN m.text",
    "MATCH ()-[r:RELATION]->() RETURN r.predicate, r.source",
]


def _everything(rag: GraphRAG) -> str:
    return " ".join(str(rag.cypher(q).rows) for q in DUMP)


def _ingest(tmp_path: Path, analyzer: Any, **options: Any) -> tuple[GraphRAG, Any]:
    corpus = tmp_path / "people.jsonl"
    corpus.write_text(json.dumps(RECORD) + "\n")
    rag = GraphRAG(tmp_path / "g.kuzu")
    report = rag.ingest([corpus], embedder="hashing", analyzer=analyzer, separate_process=False, **options)
    return rag, report


def test_masked_ingest_stores_no_original(tmp_path: Path, spacy_analyzer: Any, monkeypatch) -> None:
    monkeypatch.delenv("GRAPHRAG_PII_KEY", raising=False)
    rag, report = _ingest(tmp_path, spacy_analyzer, mask_pii=True)
    stored = _everything(rag)
    assert [o for o in ORIGINALS if o in stored] == []
    assert "[EMAIL_1]" in stored and "12 March 2021" in stored and "3 projects" in stored  # dates, numbers kept
    assert report.pii_masked == {"CARD": 1, "EMAIL": 1, "IBAN": 1, "IP": 1, "PERSON": 4, "PHONE": 1}
    assert not (tmp_path / "g.kuzu.pii-vault.jsonl").exists()  # no key: nothing kept to unmask
    with pytest.raises(ConfigError, match="GRAPHRAG_PII_KEY"):
        rag.unmask("[PERSON_1]")
    again = rag.ingest([tmp_path / "people.jsonl"], analyzer=spacy_analyzer, separate_process=False)
    assert again.documents_changed == 1  # unmasked now: the masked version is replaced


def test_the_vault_key_unmasks_and_a_wrong_key_does_not(tmp_path: Path, spacy_analyzer: Any, monkeypatch) -> None:
    key = PiiVault.generate_key()
    monkeypatch.setenv("GRAPHRAG_PII_KEY", key)
    rag, _ = _ingest(tmp_path, spacy_analyzer, mask_pii=True)
    text = rag.cypher("MATCH (c:Chunk) RETURN c.text").rows[0][0]
    assert "Maria" not in text and "[PERSON_" in text
    assert rag.unmask(text) == RECORD["text"]
    vault = (tmp_path / "g.kuzu.pii-vault.jsonl").read_text()
    assert "Maria" not in vault and "4111" not in vault  # sealed
    monkeypatch.setenv("GRAPHRAG_PII_KEY", PiiVault.generate_key())
    with pytest.raises(ConfigError):
        rag.unmask(text)
