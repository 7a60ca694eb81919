"""The words of an answer: the pure functions on each side of the model.

:func:`parse_answer` is the boundary after the model: raw text in, cleaned answer and the valid citation
numbers out; it is tested on its own, malformed output included. With no model, :func:`plain_answer` and
:func:`plain_gnn_answer` state the evidence instead -- never an empty or invented reply.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from graphrag.generate.kg_prompt import plain_answer_text
from graphrag.types import Candidate, Citation

_CITE_GROUP = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_PREFIX = re.compile(r"^\s*(?:answer|final answer|a)\s*[:\-]\s*", re.IGNORECASE)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")
MAX_ANSWER_CHARS = 600
NO_ANSWER = "I don't know."
#: What an answerer says when the documents do not support an answer (the closest evidence goes beside it).
NOT_FOUND = "Not found in the documents."


@dataclass(frozen=True, slots=True)
class ParsedAnswer:
    """A cleaned model reply and the source numbers it cites, in order of first use."""

    text: str
    cited: tuple[int, ...]


def parse_answer(raw: str, n_sources: int) -> ParsedAnswer:
    """Clean a model reply and collect its citations.

    Citations are ``[n]``, ``[n][m]`` or ``[n, m]``; numbers outside ``1..n_sources`` are dropped from the
    text and from ``cited``. A leading ``Answer:`` is removed, whitespace is collapsed, and a runaway reply is
    cut at the last sentence end within :data:`MAX_ANSWER_CHARS`. An empty reply becomes :data:`NO_ANSWER`.
    """
    text = " ".join((raw or "").split())
    text = _PREFIX.sub("", text)
    cited: list[int] = []

    def keep_valid(m: re.Match[str]) -> str:
        nums = [int(x) for x in re.split(r"\s*[,;]\s*", m.group(1).strip())]
        valid = [n for n in nums if 1 <= n <= n_sources]
        for n in valid:
            if n not in cited:
                cited.append(n)
        return "".join(f"[{n}]" for n in valid)

    text = _CITE_GROUP.sub(keep_valid, text)
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(text.split())).strip()
    if len(text) > MAX_ANSWER_CHARS:
        cut = text[:MAX_ANSWER_CHARS]
        end = max(cut.rfind(". "), cut.rfind("] "))
        text = (cut[: end + 1] if end > 0 else cut).strip() + " ..."
        cited = [n for n in cited if f"[{n}]" in text]
    if not re.sub(r"\[\d+\]", "", text).strip(" .,;:"):
        return ParsedAnswer(NO_ANSWER, ())
    return ParsedAnswer(text, tuple(cited))


def _first_sentence(text: str, limit: int = 240) -> str:
    t = " ".join(text.split())
    m = re.search(r"(?<=[.!?])\s", t[:limit])
    return t[: m.start()] if m else (t[:limit] + (" ..." if len(t) > limit else ""))


def plain_answer(sources: Sequence[Citation], entities: Sequence[str]) -> str:
    """The no-model answer: the best passage's opening, the other sources, and the question's linked
    entities."""
    if not sources:
        return "Nothing in the graph matches this question (no passage or entity was found)."
    best = sources[0]
    lines = []
    if not entities:
        lines.append(
            "No entity or title named in the question was found in the graph; these are the closest "
            "passages by keyword and vector search."
        )
    lines.append(
        f"No language model was used. Best passage [{best.number}] {best.title}: {_first_sentence(best.text)}"
    )
    if len(sources) > 1:
        lines.append("Other sources: " + "; ".join(f"[{c.number}] {c.title}" for c in sources[1:]))
    if entities:
        lines.append("Entities linked in the question: " + ", ".join(entities))
    return "\n".join(lines)


def plain_gnn_answer(
    candidates: Sequence[Candidate], sources: Sequence[Citation], *, max_shown: int = 10
) -> str:
    """The no-model answer when a GNN reasoned over the KG: its candidates with probabilities and the first
    reasoning path of each, then the best passage and the other sources when there are any."""
    lines = ["No language model was used. " + plain_answer_text(candidates, max_shown=max_shown)]
    if sources:
        best = sources[0]
        lines.append(f"Best passage [{best.number}] {best.title}: {_first_sentence(best.text)}")
        if len(sources) > 1:
            lines.append("Other sources: " + "; ".join(f"[{c.number}] {c.title}" for c in sources[1:]))
    return "\n".join(lines)


__all__ = ["MAX_ANSWER_CHARS", "NOT_FOUND", "NO_ANSWER", "ParsedAnswer", "parse_answer", "plain_answer",
           "plain_gnn_answer"]
