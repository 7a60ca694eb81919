"""Incremental planning: new, changed, unchanged and vanished documents; slices and processing order; memoised
names."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from graphrag.embed import HashingEmbedder
from graphrag.errors import InputError
from graphrag.extract.incremental import IngestPlan, load_slices, plan_file, slice_batches, stored_by_file
from graphrag.extract.name_embedding_cache import CachedEmbedder
from graphrag.extract.readers import read_file
from graphrag.ids import content_hash, document_id
from graphrag.types import Document


def plan(paths: list[Path], stored: dict[str, tuple[str, str]], **kw) -> IngestPlan:
    owned = stored_by_file(paths, stored)
    return IngestPlan(tuple(plan_file(p, stored, owned.get(str(p), set()), hash_of=HASH, **kw) for p in paths))


def HASH(doc: Document) -> str:
    return doc.hash


def loaded(p: IngestPlan, **kw) -> list[list[str]]:
    errors: list[InputError] = []
    out = [[d.title for d in s] for s in load_slices(p, hash_of=HASH, on_error=errors.append, **kw)]
    assert errors == []
    return out


def corpus(path: Path, records: list[tuple[str, str]]) -> Path:
    path.write_text("".join(json.dumps({"title": t, "text": x}) + "\n" for t, x in records))
    return path


def test_plan_sorts_documents_into_new_changed_unchanged_and_removed(tmp_path: Path) -> None:
    c = corpus(tmp_path / "c.jsonl", [("A", "same"), ("B", "edited, now longer"), ("C", "brand new")])
    t = tmp_path / "a#b.txt"
    t.write_text("txt")
    src = f"{c.resolve()}#"
    stored = {
        document_id(src + "A"): (src + "A", content_hash("A", "same")),
        document_id(src + "B"): (src + "B", content_hash("B", "old")),
        document_id(src + "Gone"): (src + "Gone", "h"),
        document_id("/other.jsonl#X"): ("/other.jsonl#X", "h"),  # another file: not touched
        document_id(str(tmp_path / "a")): (str(tmp_path / "a"), "h"),  # a file whose path prefixes "a#b.txt"
    }
    p = plan([c.resolve(), t.resolve()], stored)
    assert (p.new, p.changed, p.unchanged, p.to_load) == (2, 1, 1, 3)
    assert p.replaces == {document_id(src + "B")}
    assert p.removed == (document_id(src + "Gone"),)
    assert p.chars == len("edited, now longer") + len("brand new") + len("txt")
    # the second read hands over the documents to load, in file order, across files
    assert loaded(p) == [["B", "C", "a#b"]]
    # shortest first within a slice, so batches embed with little padding
    assert [[d.title for d in b] for b in slice_batches(iter([[*read_file(c).documents]]), 2)] == [
        ["A", "C"], ["B"]]  # fmt: skip


def test_plan_of_unchanged_input_is_empty(tmp_path: Path) -> None:
    t = tmp_path / "x.txt"
    t.write_text("hello")
    doc = read_file(t).documents[0]
    p = plan([t.resolve()], {doc.id: (doc.source, doc.hash)})
    assert p.to_load == 0 and p.removed == () and p.unchanged == 1 and loaded(p) == []


def test_slices_are_bounded_by_documents_and_by_text(tmp_path: Path) -> None:
    c = corpus(tmp_path / "c.jsonl", [(f"T{i}", "x" * (10 + i)) for i in range(6)] + [("Big", "y" * 60)])
    p = plan([c.resolve()], {})
    assert loaded(p, max_docs=3) == [["T0", "T1", "T2"], ["T3", "T4", "T5"], ["Big"]]
    # at most 25 characters a slice (10 + 11, 12 + 13, 14, 15); a record larger than that is a slice of its own
    assert loaded(p, max_chars=25) == [["T0", "T1"], ["T2", "T3"], ["T4"], ["T5"], ["Big"]]


def test_a_file_changed_between_the_two_reads_is_reported_and_not_loaded_past_the_change(tmp_path: Path) -> None:
    c = corpus(tmp_path / "c.jsonl", [("A", "one"), ("B", "two"), ("C", "three")])
    p = plan([c.resolve()], {})
    corpus(c, [("A", "one"), ("B", "TWO, edited"), ("C", "three")])
    errors: list[InputError] = []
    got = [[d.title for d in s] for s in load_slices(p, hash_of=HASH, on_error=errors.append)]
    assert got == [["A"]]
    assert len(errors) == 1 and f"{c.resolve()}:2: changed while it was being ingested" in str(errors[0])
    corpus(c, [("A", "one")])  # records gone
    errors.clear()
    assert [[d.title for d in s] for s in load_slices(p, hash_of=HASH, on_error=errors.append)] == [["A"]]
    assert "records missing" in str(errors[0])


def test_strict_planning_rejects_a_corpus_with_a_bad_record_before_anything_is_loaded(tmp_path: Path) -> None:
    c = tmp_path / "c.jsonl"
    c.write_text('{"title": "A", "text": "fine"}\n{"title": "B"}\n')
    with pytest.raises(InputError, match="c.jsonl:2: record lacks 'text'"):
        plan([c.resolve()], {}, strict=True)
    p = plan([c.resolve()], {document_id(f"{c.resolve()}#Gone"): (f"{c.resolve()}#Gone", "h")})
    assert p.to_load == 1 and len(p.skipped) == 1 and p.removed == ()  # partial: nothing stored is removed


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


def test_batches_of_short_documents_grow_until_they_hold_enough_text() -> None:
    docs = [Document(f"d{i}", f"/c#{i}", f"T{i}", "x" * (10 + i), "h") for i in range(10)]
    sizes = [len(b) for b in slice_batches(iter([docs]), 2, min_chars=50)]
    assert sizes == [5, 5]  # 10+11+12+13 = 46 < 50, +14 = 60; 15+16+17 = 48, +18 = 66; 19, left over, joins it
    assert [len(b) for b in slice_batches(iter([docs]), 2)] == [2] * 5  # no minimum: exactly 2
    assert [len(b) for b in slice_batches(iter([docs]), 4, min_chars=1)] == [4, 6]
    assert [len(b) for b in slice_batches(iter([docs[:1]]), 4, min_chars=1)] == [1]  # a slice smaller than a batch
