"""Context packing under a token budget, as a pure function."""

from __future__ import annotations

import pytest

from graphrag.generate.packing import approx_tokens, format_source, pack_context
from graphrag.types import Hit


def hit(i: int, text: str, title: str | None = None) -> Hit:
    return Hit(chunk_id=f"c{i}", doc_id=f"d{i}", score=1.0, retriever="t", title=title or f"T{i}", text=text)


def words(n: int) -> str:
    return " ".join(f"w{i}" for i in range(n))


def count(text: str) -> int:  # one token per whitespace word
    return len(text.split())


def test_numbers_sources_in_rank_order_and_renders_them() -> None:
    packed = pack_context([hit(1, "alpha beta"), hit(2, "gamma")], 100, count_tokens=count)
    assert [c.number for c in packed.citations] == [1, 2]
    assert [c.chunk_id for c in packed.citations] == ["c1", "c2"]
    assert packed.text == "[1] T1: alpha beta\n[2] T2: gamma"
    assert not packed.truncated
    assert packed.tokens == count(packed.text) + 1  # one token charged per separating newline


def test_budget_is_respected_and_the_last_passage_is_cut() -> None:
    hs = [hit(1, words(30)), hit(2, words(30)), hit(3, words(30))]
    packed = pack_context(hs, 60, count_tokens=count, min_tokens=5)
    assert count(packed.text) <= 60
    assert packed.truncated
    assert len(packed.citations) == 2
    assert packed.citations[1].text.endswith(" ...")
    assert packed.citations[0].text == words(30)


def test_a_passage_is_not_cut_below_min_tokens() -> None:
    packed = pack_context([hit(1, words(50)), hit(2, words(50))], 60, count_tokens=count, min_tokens=20)
    assert len(packed.citations) == 1 and packed.truncated


def test_first_passage_longer_than_the_budget_is_cut_not_dropped() -> None:
    packed = pack_context([hit(1, words(500))], 40, count_tokens=count, min_tokens=5)
    assert len(packed.citations) == 1
    assert count(packed.text) <= 40


def test_duplicates_max_sources_and_zero_budget() -> None:
    hs = [hit(1, "a"), hit(1, "a"), hit(2, "b"), hit(3, "c")]
    packed = pack_context(hs, 100, count_tokens=count, max_sources=2)
    assert [c.chunk_id for c in packed.citations] == ["c1", "c2"]
    empty = pack_context(hs, 0, count_tokens=count)
    assert empty.citations == () and empty.text == ""
    with pytest.raises(ValueError):
        pack_context(hs, -1)


def test_default_counter_and_source_format() -> None:
    assert approx_tokens("Hello, world!") == 4
    assert approx_tokens("") == 0
    assert format_source(3, "", "a  b\nc") == "[3] a b c"


def chunk(i: int, doc: int, text: str) -> Hit:
    return Hit(chunk_id=f"c{i}", doc_id=f"d{doc}", score=1.0, retriever="t", title=f"Doc {doc}", text=text)


def test_two_passages_of_one_document_share_its_number() -> None:
    hs = [chunk(1, 1, "first part"), chunk(2, 2, "other doc"), chunk(3, 1, "second part")]
    packed = pack_context(hs, 100, count_tokens=count)
    assert [(c.number, c.title) for c in packed.citations] == [(1, "Doc 1"), (2, "Doc 2")]
    first = packed.citations[0]
    assert first.chunk_ids == ("c1", "c3") and first.passages == ("first part", "second part")
    assert first.all_chunk_ids == ("c1", "c3") and first.chunk_id == "c1"
    assert packed.text == "[1] Doc 1: first part ... second part\n[2] Doc 2: other doc"
    assert packed.tokens == count(packed.text) + 1


def test_max_sources_counts_passages_and_a_joined_passage_is_cut_to_the_budget() -> None:
    hs = [chunk(1, 1, words(10)), chunk(2, 1, words(10)), chunk(3, 2, words(10))]
    assert [len(c.passages) for c in pack_context(hs, 100, count_tokens=count, max_sources=2).citations] == [2]
    packed = pack_context(hs, 20, count_tokens=count, min_tokens=3)  # room for the first passage and part of one
    assert count(packed.text) <= 20 and packed.truncated
    (only,) = packed.citations
    assert only.passages[0] == words(10) and only.passages[1].endswith(" ...")
