"""Fixtures shared by the server and client tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from graphrag import GraphRAG


@pytest.fixture
def restricted(tiny_db: Path) -> Path:
    """The tiny store with the Alan Turing document readable by the group ``staff`` only."""
    rag = GraphRAG(tiny_db)
    turing = next(d["id"] for d in rag.documents() if d["title"] == "Alan Turing")
    rag.set_acl(turing, "staff")
    return tiny_db
