"""Token-aware chunking: token bounds, overlap, sentence-ish cuts, and no text lost between chunks."""

from __future__ import annotations

import random
import re

import pytest

from graphrag.config import ChunkConfig
from graphrag.extract.chunking import (
    RegexTokenizer,
    TokenChunker,
    WordPieceTokenizer,
    default_tokenizer,
    sentence_starts,
)
from graphrag.ids import chunk_id, content_hash
from graphrag.types import Document


def doc(text: str, title: str = "t") -> Document:
    return Document(id="d1", source="/x.txt", title=title, text=text, hash=content_hash(title, text))


def random_text(seed: int, sentences: int = 60) -> str:
    rng = random.Random(seed)
    words = [
        "Holmes",
        "Watson",
        "London",
        "the",
        "detective",
        "walked",
        "into",
        "Baker",
        "Street",
        "quietly",
        "1887",
        "isn't",
        "co-operation",
        "naïve",
        "Zürich",
    ]
    out = []
    for i in range(sentences):
        s = " ".join(rng.choice(words) for _ in range(rng.randint(3, 25)))
        out.append(s[0].upper() + s[1:] + rng.choice([".", "!", "?", ";"]))
        if i % 7 == 6:
            out.append("\n\n")
    return " ".join(out)


def check_chunks(text: str, chunker: TokenChunker) -> None:
    d = doc(text)
    (chunks,) = chunker.chunk([d])
    cfg = chunker.config
    spans = chunker.tokenizer.spans([text])[0]
    starts = [s for s, _ in spans]
    assert chunks, "a document with tokens has chunks"
    covered = [False] * len(text)
    prev_first = prev_end = None
    for pos, c in enumerate(chunks):
        assert c.position == pos and c.doc_id == d.id
        assert c.text == text[c.start_char : c.end_char]
        assert c.id == chunk_id(d.id, pos, c.text)
        assert 1 <= c.n_tokens <= cfg.chunk_tokens
        first = starts.index(c.start_char)
        assert c.n_tokens == len(chunker.tokenizer.spans([c.text])[0]) or isinstance(
            chunker.tokenizer, WordPieceTokenizer
        )
        if prev_first is not None:
            assert prev_first < first, "every chunk starts further on"
            assert prev_end - first <= cfg.overlap_tokens, "overlap is bounded"
            assert first <= prev_end, "no gap between chunks"
        prev_first, prev_end = first, first + c.n_tokens
        for i in range(c.start_char, c.end_char):
            covered[i] = True
    assert prev_end == len(spans), "the last chunk ends at the last token"
    lost = [ch for ch, cov in zip(text, covered, strict=True) if not cov and not ch.isspace()]
    assert not lost, f"text lost between chunks: {lost[:10]}"


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize(("size", "overlap"), [(16, 4), (40, 8), (7, 0), (64, 20)])
def test_regex_chunks_are_bounded_overlapping_and_lossless(seed: int, size: int, overlap: int) -> None:
    check_chunks(random_text(seed), TokenChunker(RegexTokenizer(), ChunkConfig(size, overlap)))


def test_wordpiece_chunks_are_bounded_overlapping_and_lossless() -> None:
    tok = default_tokenizer()
    if not isinstance(tok, WordPieceTokenizer):
        pytest.skip("the MiniLM tokenizer package is not installed")
    for seed in range(3):
        check_chunks(random_text(seed), TokenChunker(tok, ChunkConfig(32, 8)))
    # word pieces outnumber words: "co-operation" alone is several tokens
    assert len(tok.spans(["co-operation"])[0]) > 1


def test_cuts_prefer_sentence_boundaries_and_overlap_whole_sentences() -> None:
    sentences = [f"Sentence number {w} has exactly seven tokens." for w in "abcdefghij"]
    text = " ".join(sentences)
    chunker = TokenChunker(RegexTokenizer(), ChunkConfig(chunk_tokens=26, overlap_tokens=8))
    (chunks,) = chunker.chunk([doc(text)])
    assert len(chunks) > 2
    for c in chunks:
        assert re.fullmatch(r"(Sentence number \w has exactly seven tokens\.\s?)+", c.text), c.text
    # each chunk holds three whole sentences (8 tokens each), the next one restarts with the last sentence
    assert chunks[0].n_tokens == 24
    assert chunks[1].text.startswith(sentences[2])


def test_a_sentence_longer_than_the_window_is_cut_at_the_token_limit() -> None:
    text = " ".join(f"w{i}" for i in range(50)) + "."
    (chunks,) = TokenChunker(RegexTokenizer(), ChunkConfig(10, 2)).chunk([doc(text)])
    assert [c.n_tokens for c in chunks[:-1]] == [10] * (len(chunks) - 1)
    assert chunks[1].text.startswith("w8 ")


def test_short_and_empty_documents() -> None:
    chunker = TokenChunker(RegexTokenizer(), ChunkConfig(256, 32))
    short, empty = chunker.chunk([doc("  One short sentence.  "), doc("   \n ")])
    assert [(c.text, c.start_char, c.n_tokens) for c in short] == [("One short sentence.", 2, 4)]
    assert empty == []


def test_sentence_starts_and_config_validation() -> None:
    assert sentence_starts('He left. "Then?" she said, e.g. this.\nNext line. 2 more') == [9, 38, 49]
    with pytest.raises(ValueError, match="overlap_tokens"):
        TokenChunker(RegexTokenizer(), ChunkConfig(10, 10))
    with pytest.raises(ValueError, match="chunk_tokens"):
        TokenChunker(RegexTokenizer(), ChunkConfig(1, 0))


def test_wordpiece_tokenizer_copy_ignores_the_models_truncation() -> None:
    tok = default_tokenizer()
    if not isinstance(tok, WordPieceTokenizer):
        pytest.skip("the MiniLM tokenizer package is not installed")
    long_text = "word " * 1000
    assert len(tok.spans([long_text])[0]) == 1000
