"""Context packing: fit ranked passages into a token budget as numbered sources ``[1] ... [n]``.

Pure functions: hits and a token counter in, numbered citations and the context text out. Passages are taken
best first; one that does not fit whole is cut at a word boundary to the space left (if at least
``min_tokens`` remain), and packing stops there, so the best evidence is never dropped for a later one.
Passages of the same chunk are included once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from graphrag.types import Citation, Hit

TokenCounter = Callable[[str], int]

_TOKENISH = re.compile(r"\w+|[^\w\s]", re.UNICODE)


def approx_tokens(text: str) -> int:
    """A tokenizer-free token estimate: words and punctuation marks, plus a third for long words'
    sub-words."""
    toks = _TOKENISH.findall(text)
    return len(toks) + sum(len(t) // 8 for t in toks)


@dataclass(frozen=True, slots=True)
class PackedContext:
    """Numbered sources and the context text that shows them; ``tokens`` is what the counter measured for each
    source, plus one per separating newline (an upper bound on the whole text's count)."""

    citations: tuple[Citation, ...]
    text: str
    tokens: int
    truncated: bool


def format_source(number: int, title: str, text: str) -> str:
    """One numbered source as the prompt shows it: ``[n] Title: text``."""
    head = f"[{number}] {title}: " if title else f"[{number}] "
    return head + " ".join(text.split())


def _cut_to_budget(text: str, budget: int, render: Callable[[str], str], count: TokenCounter) -> str:
    """The longest word-boundary prefix of ``text`` (marked `` ...``) whose rendering counts at most
    ``budget``
    tokens, or ``""`` if not even one word fits (binary search over the number of words)."""
    words = text.split()
    lo, hi = 0, len(words)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if count(render(" ".join(words[:mid]) + " ...")) <= budget:
            lo = mid
        else:
            hi = mid - 1
    return " ".join(words[:lo]) + " ..." if lo else ""


def pack_context(
    hits: Sequence[Hit],
    budget_tokens: int,
    *,
    count_tokens: TokenCounter = approx_tokens,
    max_sources: int | None = None,
    min_tokens: int = 24,
) -> PackedContext:
    """Number the best hits ``[1]..[n]`` and render them within ``budget_tokens``.

    Args:
        hits: ranked passages, best first.
        budget_tokens: most tokens the rendered context may take (separators included).
        count_tokens: measures text in the LLM's tokens (default: :func:`approx_tokens`).
        max_sources: at most this many sources.
        min_tokens: a passage is cut to fit only if at least this many tokens are left for it.
    """
    if budget_tokens < 0:
        raise ValueError(f"budget_tokens must be >= 0, got {budget_tokens}")
    citations: list[Citation] = []
    blocks: list[str] = []
    used = 0
    truncated = False
    seen: set[str] = set()
    for hit in hits:
        if max_sources is not None and len(citations) >= max_sources:
            break
        if hit.chunk_id in seen:
            continue
        number = len(citations) + 1
        sep = 1 if blocks else 0  # the newline between blocks
        block = format_source(number, hit.title, hit.text)
        cost = count_tokens(block) + sep
        text = hit.text
        if used + cost > budget_tokens:
            left = budget_tokens - used - sep
            head_cost = count_tokens(format_source(number, hit.title, ""))
            if left - head_cost < min_tokens:
                truncated = True
                break
            text = _cut_to_budget(
                hit.text, left, lambda t, n=number, h=hit: format_source(n, h.title, t), count_tokens
            )
            if not text:
                truncated = True
                break
            block = format_source(number, hit.title, text)
            cost = count_tokens(block) + sep
            truncated = True
        seen.add(hit.chunk_id)
        citations.append(Citation(number, hit.chunk_id, hit.doc_id, hit.title, text))
        blocks.append(block)
        used += cost
        if truncated:
            break
    return PackedContext(tuple(citations), "\n".join(blocks), used, truncated)
