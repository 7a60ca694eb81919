"""Incremental planning: new, changed, unchanged and vanished documents; processing order; memoised names."""

from __future__ import annotations

import numpy as np

from graphrag.embed import HashingEmbedder
from graphrag.extract.incremental import make_plan
from graphrag.extract.name_embedding_cache import CachedEmbedder
from graphrag.extract.readers import SourceFile
from graphrag.ids import content_hash, document_id
from graphrag.types import Document


def d(source: str, text: str, title: str = "t") -> Document:
    return Document(id=document_id(source), source=source, title=title, text=text, hash=content_hash(title, text))


def test_plan_sorts_documents_into_new_changed_unchanged_and_removed() -> None:
    corpus = SourceFile(
        "/c.jsonl",
        True,
        (d("/c.jsonl#A", "same"), d("/c.jsonl#B", "edited, now longer"), d("/c.jsonl#C", "brand new")),
    )
    text = SourceFile("/a#b.txt", False, (d("/a#b.txt", "txt"),))
    stored = {
        document_id("/c.jsonl#A"): ("/c.jsonl#A", content_hash("t", "same")),
        document_id("/c.jsonl#B"): ("/c.jsonl#B", content_hash("t", "old")),
        document_id("/c.jsonl#Gone"): ("/c.jsonl#Gone", "h"),
        document_id("/other.jsonl#X"): ("/other.jsonl#X", "h"),  # another file: not touched
        document_id("/a"): ("/a", "h"),  # a file whose path is a prefix of "/a#b.txt": not touched
    }
    plan = make_plan([corpus, text], stored)
    assert (plan.new, plan.changed, plan.unchanged) == (2, 1, 1)
    assert plan.replaces == {document_id("/c.jsonl#B")}
    assert plan.removed == (document_id("/c.jsonl#Gone"),)
    # shortest first, so batches embed with little padding
    assert [x.source for x in plan.to_load] == ["/a#b.txt", "/c.jsonl#C", "/c.jsonl#B"]


def test_plan_of_unchanged_input_is_empty() -> None:
    f = SourceFile("/x.txt", False, (d("/x.txt", "hello"),))
    plan = make_plan([f], {document_id("/x.txt"): ("/x.txt", content_hash("t", "hello"))})
    assert plan.to_load == () and plan.removed == () and plan.unchanged == 1


def test_cached_embedder_embeds_each_text_once() -> None:
    inner = HashingEmbedder(16)
    cache = CachedEmbedder(inner, max_entries=3)
    assert cache.prefetch(["a", "b", "a"]) == 2
    v = cache.embed(["b", "a"])
    assert np.allclose(v, inner.embed(["b", "a"]))
    assert (cache.calls, cache.embedded) == (1, 2)
    v = cache.embed(["c", "d", "a"])  # over the bound: the memo restarts, and still answers everything
    assert np.allclose(v, inner.embed(["c", "d", "a"]))
    assert cache.embed([]).shape == (0, 16)
    assert (cache.name, cache.dim) == (inner.name, 16)
