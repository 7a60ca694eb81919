"""The answerer: retrieve, pack cited context, ask the LLM, keep only the citations the answer used.

:func:`parse_answer` is the pure boundary after the model: raw text in, cleaned answer and the valid citation
numbers out; it is tested on its own, malformed output included. With no LLM (``--llm none``)
:func:`plain_answer` states the best passages and the linked entities instead -- never an empty or invented
reply.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphrag.config import AnswerConfig, RetrieveConfig
from graphrag.generate.llm import LLM
from graphrag.generate.packing import PackedContext, pack_context
from graphrag.generate.prompts import answer_messages
from graphrag.retrieve.hybrid import HybridResult, HybridRetriever
from graphrag.types import Answer, Citation, ReasoningPath

if TYPE_CHECKING:
    from graphrag.embed import Embedder
    from graphrag.store import KuzuGraphStore

_CITE_GROUP = re.compile(r"\[\s*(\d+(?:\s*[,;]\s*\d+)*)\s*\]")
_PREFIX = re.compile(r"^\s*(?:answer|final answer|a)\s*[:\-]\s*", re.IGNORECASE)
_SPACE_BEFORE_PUNCT = re.compile(r"\s+([.,;:!?])")
MAX_ANSWER_CHARS = 600
NO_ANSWER = "I don't know."


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


@dataclass(frozen=True)
class AskResult:
    """An :class:`Answer` plus everything shown beside it: all packed sources (cited or not), the retrieval
    result, the model used and notes for the reader."""

    answer: Answer
    sources: tuple[Citation, ...]
    retrieval: HybridResult
    llm: str
    notes: tuple[str, ...] = ()


class Answerer:
    """Answers questions from the hybrid retriever's passages with an LLM (or plainly, with ``llm=None``).

    Args:
        retriever: the hybrid retriever (built once, reused per question).
        llm: the model, or ``None`` for the plain evidence answer.
        config: context budget, answer length, number of passages.
    """

    def __init__(
        self, retriever: HybridRetriever, llm: LLM | None, config: AnswerConfig | None = None
    ) -> None:
        self.retriever = retriever
        self.llm = llm
        self.config = config or AnswerConfig()

    def _budget(self) -> int:
        if self.llm is None:
            return self.config.context_tokens
        room = self.llm.context_tokens - self.config.max_answer_tokens - 160  # instructions and question
        return max(64, min(self.config.context_tokens, room))

    def answer(self, question: str, *, k: int | None = None) -> AskResult:
        """Retrieve, pack, generate and keep the used citations; timings per step are in
        ``answer.timings_s``."""
        t_start = time.perf_counter()
        k = k or self.config.top_k
        result = self.retriever.run(question, k, explain=True)
        timings = dict(result.timings_s)
        t0 = time.perf_counter()
        count = self.llm.count_tokens if self.llm is not None else None
        packed: PackedContext = pack_context(
            result.hits, self._budget(), **({"count_tokens": count} if count else {}), max_sources=k
        )
        timings["packing"] = time.perf_counter() - t0
        linked = _linked_names(result)
        notes = []
        if not linked:
            notes.append(
                "no entity or title in the question was found in the graph; the passages come from "
                "keyword and vector search only"
            )
        if packed.truncated:
            notes.append("the context was cut to fit the token budget")
        t0 = time.perf_counter()
        if self.llm is None or not packed.citations:
            text = plain_answer(packed.citations, linked)
            used = packed.citations
            model = "none"
        else:
            q = " ".join(result.question.split())
            paths = (
                [p.verbalise() for p in list(result.paths.values())[:3]]
                if self.config.paths_in_prompt
                else []
            )
            messages = answer_messages(q, packed.text, paths)
            raw = self.llm.complete(
                messages, max_tokens=self.config.max_answer_tokens, temperature=self.config.temperature
            )
            parsed = parse_answer(raw, len(packed.citations))
            text = parsed.text
            used = tuple(packed.citations[n - 1] for n in parsed.cited)
            model = self.llm.name
            if not used:
                notes.append("the model cited no source; the sources it was given are listed")
        timings["generate"] = time.perf_counter() - t0
        timings["total"] = time.perf_counter() - t_start
        used_ids = {c.chunk_id for c in used}
        answer = Answer(
            question=result.question,
            text=text,
            citations=used,
            paths=_paths_for(result, used_ids),
            timings_s=timings,
        )
        return AskResult(answer, packed.citations, result, model, tuple(notes))


def _linked_names(result: HybridResult) -> list[str]:
    names: list[str] = []
    for link in result.links:
        surface = getattr(link, "surface", "")
        if surface and surface not in names:
            names.append(surface)
    return names


def _paths_for(result: HybridResult, chunk_ids: set[str]) -> tuple[ReasoningPath, ...]:
    """Reasoning paths that end at the cited passages (all paths when nothing was cited)."""
    return tuple(p for cid, p in result.paths.items() if not chunk_ids or cid in chunk_ids)


def build_answerer(
    store: KuzuGraphStore,
    retrieve_config: RetrieveConfig | None = None,
    answer_config: AnswerConfig | None = None,
    *,
    llm: LLM | None | str = "config",
    embedder: Embedder | None = None,
) -> Answerer:
    """Wire an :class:`Answerer` over ``store``: the store's own embedder, the configured hybrid retriever,
    and the
    LLM named by ``answer_config.llm`` (or ``llm`` when given: an instance, or ``None`` for no model)."""
    from graphrag.generate.llm import make_llm
    from graphrag.retrieve.base import RetrievalResources, embedder_for_store

    rcfg = retrieve_config or RetrieveConfig()
    acfg = answer_config or AnswerConfig()
    resources = RetrievalResources(
        store, embedder or embedder_for_store(store, rcfg.embedder, threads=rcfg.query_threads), rcfg
    )
    hybrid = HybridRetriever.from_config(resources, rcfg)
    model = make_llm(acfg) if isinstance(llm, str) else llm
    return Answerer(hybrid, model, acfg)


def ask_result_dict(result: AskResult) -> dict[str, Any]:
    """An :class:`AskResult` as one JSON-ready object: answer, citations, sources, graph evidence, timings."""
    a = result.answer

    def cit(c: Citation) -> dict[str, Any]:
        return {
            "number": c.number,
            "chunk_id": c.chunk_id,
            "doc_id": c.doc_id,
            "title": c.title,
            "text": c.text,
        }

    return {
        "question": a.question,
        "answer": a.text,
        "llm": result.llm,
        "citations": [cit(c) for c in a.citations],
        "sources": [cit(c) for c in result.sources],
        "graph": {
            "linked": [
                {
                    "surface": getattr(link, "surface", ""),
                    "method": getattr(link, "method", ""),
                    "score": round(float(getattr(link, "score", 0.0)), 4),
                }
                for link in result.retrieval.links
            ],
            "paths": [p.verbalise() for p in a.paths],
            "hit_entities": {h.chunk_id: list(h.entities) for h in result.retrieval.hits if h.entities},
            "hit_relations": {
                h.chunk_id: [list(r) for r in h.relations] for h in result.retrieval.hits if h.relations
            },
        },
        "retrievers": {h.chunk_id: h.retriever for h in result.retrieval.hits},
        "notes": list(result.notes),
        "timings_s": {k: round(v, 4) for k, v in a.timings_s.items()},
    }
