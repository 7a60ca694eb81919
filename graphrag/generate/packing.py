"""Context packing: fit ranked passages into a token budget as numbered sources ``[1] ... [n]``.

Pure functions: hits and a token counter in, numbered citations and the context text out. Passages are taken
best first; one that does not fit whole is cut at a word boundary to the space left (if at least
``min_tokens`` remain), and packing stops there, so the best evidence is never dropped for a later one.
Passages of the same chunk are included once. Sources are numbered by document: a second passage of a
document already in the context joins that document's number (``[2] Title: first passage ... second
passage``), so an answer never lists the same document twice.
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


#: Between two passages of one document in a source's text.
PASSAGE_JOIN = " ... "


@dataclass
class _Source:
    """A document's entry while packing: its first hit and the passages taken so far."""

    number: int
    hit: Hit
    sep: int  # tokens of the newline before its block (0 for the first)
    chunk_ids: list[str]
    texts: list[str]

    def render(self, extra: str | None = None) -> str:
        texts = self.texts if extra is None else [*self.texts, extra]
        return format_source(self.number, self.hit.title, PASSAGE_JOIN.join(texts))


def pack_context(
    hits: Sequence[Hit],
    budget_tokens: int,
    *,
    count_tokens: TokenCounter = approx_tokens,
    max_sources: int | None = None,
    min_tokens: int = 24,
) -> PackedContext:
    """Number the best hits' documents ``[1]..[n]`` and render them within ``budget_tokens``.

    Args:
        hits: ranked passages, best first.
        budget_tokens: most tokens the rendered context may take (separators included).
        count_tokens: measures text in the LLM's tokens (default: :func:`approx_tokens`).
        max_sources: at most this many passages (chunks), grouped under their documents' numbers.
        min_tokens: a passage is cut to fit only if at least this many tokens are left for it.
    """
    if budget_tokens < 0:
        raise ValueError(f"budget_tokens must be >= 0, got {budget_tokens}")
    sources: list[_Source] = []
    by_doc: dict[str, _Source] = {}
    costs: list[int] = []  # tokens of each source's block (its separator included)
    truncated = False
    seen: set[str] = set()
    for hit in hits:
        if max_sources is not None and len(seen) >= max_sources:
            break
        if hit.chunk_id in seen:
            continue
        source = by_doc.get(hit.doc_id) if hit.doc_id else None
        if source is None:
            source = _Source(len(sources) + 1, hit, 1 if sources else 0, [], [])
            before = 0
            render: Callable[[str], str] = lambda t, s=source: format_source(s.number, s.hit.title, t)  # noqa: E731
        else:
            before = costs[source.number - 1]
            render = lambda t, s=source: s.render(t)  # noqa: E731
        sep = source.sep
        text = hit.text
        cost = count_tokens(render(text)) + sep
        left = budget_tokens - (sum(costs) - before)
        if cost > left:
            head_cost = count_tokens(render("")) + sep
            if left - head_cost < min_tokens:
                truncated = True
                break
            text = _cut_to_budget(hit.text, left - sep, render, count_tokens)
            if not text:
                truncated = True
                break
            cost = count_tokens(render(text)) + sep
            truncated = True
        seen.add(hit.chunk_id)
        source.chunk_ids.append(hit.chunk_id)
        source.texts.append(text)
        if source.number > len(sources):
            sources.append(source)
            costs.append(cost)
            if hit.doc_id:
                by_doc[hit.doc_id] = source
        else:
            costs[source.number - 1] = cost
        if truncated:
            break
    citations = tuple(
        Citation(
            s.number,
            s.hit.chunk_id,
            s.hit.doc_id,
            s.hit.title,
            PASSAGE_JOIN.join(s.texts),
            tuple(s.chunk_ids),
            tuple(s.texts),
        )
        for s in sources
    )
    return PackedContext(citations, "\n".join(s.render() for s in sources), sum(costs), truncated)
