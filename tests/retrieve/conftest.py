"""Fixtures for retriever tests: the tiny text graph opened read-only, and resources built from it."""

from __future__ import annotations

import pytest

from graphrag.retrieve.resources import RetrievalResources, embedder_for_store
from graphrag.store import KuzuGraphStore


@pytest.fixture(scope="module")
def tiny_store(tiny_graph_db):
    store = KuzuGraphStore(tiny_graph_db, read_only=True)
    yield store
    store.close()


@pytest.fixture(scope="module")
def tiny_resources(tiny_store) -> RetrievalResources:
    return RetrievalResources(tiny_store, embedder_for_store(tiny_store))
