"""GNN-RAG's prompt: verbalised reasoning paths in, the LLM's list of answers parsed back out.

The prompt follows the paper's shape: "Based on the reasoning paths, please answer the given question. Please
return all the possible answers as a list." then the paths, then the question. :func:`parse_answer_list` is a
pure function tested on its own (including on malformed replies). Without an LLM (``--llm none``), the answer
is the candidates themselves, best first, each with its paths.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from graphrag.types import Candidate, ReasoningPath

if TYPE_CHECKING:
    from graphrag.generate.prompts import Message

GNNRAG_INSTRUCTION = (
    "Based on the reasoning paths, please answer the given question. "
    "Please return all the possible answers as a list."
)
GNNRAG_USER = "{instruction}\nReasoning Paths:\n{paths}\n\nQuestion:\n{question}"
_BULLET = re.compile(r"^\s*(?:[-*\u2022]|\d+[.)])\s*")
_PREFIX = re.compile(r"^\s*(?:answers?|the answers? (?:is|are))\s*[:\-]?\s*", re.IGNORECASE)


def gnnrag_messages(question: str, paths: Sequence[ReasoningPath], *, max_paths: int = 30) -> list[Message]:
    """The chat messages for ``question`` with (at most ``max_paths``) verbalised ``paths``."""
    from graphrag.generate.prompts import Message

    lines = [p.verbalise() for p in paths[:max_paths]] or ["(no reasoning paths found)"]
    content = GNNRAG_USER.format(instruction=GNNRAG_INSTRUCTION, paths="\n".join(lines), question=question)
    return [Message("user", content)]


def parse_answer_list(text: str) -> list[str]:
    """Answers from an LLM reply: a JSON or Python-style list, bullet/numbered lines, or comma-separated text.

    Quotes, brackets and "Answer:" prefixes are removed; duplicates (ignoring case) are dropped; an empty or
    unusable reply gives ``[]``.
    """
    raw = text.strip()
    if not raw:
        return []
    m = re.search(r"\[(.*?)(?:\]|\Z)", raw, re.DOTALL)  # an unclosed list still counts
    items: list[str] = []
    if m:
        try:
            parsed = json.loads("[" + m.group(1).replace("'", '"') + "]")
            items = [str(x) for x in parsed if isinstance(x, str | int | float)]
        except json.JSONDecodeError:
            items = m.group(1).split(",")
    else:
        lines = [ln for ln in raw.splitlines() if ln.strip()]
        if len(lines) > 1:
            items = [_BULLET.sub("", ln) for ln in lines]
        else:
            items = _PREFIX.sub("", lines[0]).split(",") if lines else []
    seen: dict[str, str] = {}
    for item in items:
        clean = _PREFIX.sub("", item).strip().strip("[]\"'`").strip().rstrip(".")
        if clean and clean.casefold() not in seen:
            seen[clean.casefold()] = clean
    return list(seen.values())


def plain_answer_text(candidates: Sequence[Candidate], *, max_shown: int = 10) -> str:
    """The answer without an LLM: candidates best first, each with its first path."""
    if not candidates:
        return "No answer candidates were found in the knowledge graph for this question."
    lines = [f"Candidates from the knowledge graph (best first), {len(candidates)} in all:"]
    for c in candidates[:max_shown]:
        why = f"  via {c.paths[0].verbalise()}" if c.paths else ""
        lines.append(f"- {c.name} (p={c.score:.2f}){why}")
    if len(candidates) > max_shown:
        lines.append(f"... and {len(candidates) - max_shown} more")
    return "\n".join(lines)


__all__ = [
    "GNNRAG_INSTRUCTION",
    "gnnrag_messages",
    "parse_answer_list",
    "plain_answer_text",
]
