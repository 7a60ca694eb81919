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
from graphrag.generate.packing import PackedContext, approx_tokens, pack_context
from graphrag.generate.prompts import answer_messages
from graphrag.retrieve.hybrid import HybridResult, HybridRetriever
from graphrag.types import Answer, Candidate, Citation, ReasoningPath

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


def plain_gnn_answer(
    candidates: Sequence[Candidate], sources: Sequence[Citation], *, max_shown: int = 10
) -> str:
    """The no-model answer when a GNN reasoned over the KG: its candidates with probabilities and the first
    reasoning path of each, then the best passage and the other sources when there are any."""
    from graphrag.retrieve.gnn_prompt import plain_answer_text

    lines = ["No language model was used. " + plain_answer_text(candidates, max_shown=max_shown)]
    if sources:
        best = sources[0]
        lines.append(f"Best passage [{best.number}] {best.title}: {_first_sentence(best.text)}")
        if len(sources) > 1:
            lines.append("Other sources: " + "; ".join(f"[{c.number}] {c.title}" for c in sources[1:]))
    return "\n".join(lines)


@dataclass(frozen=True)
class AskResult:
    """An :class:`Answer` plus everything shown beside it: all packed sources (cited or not), the retrieval
    result, the model used, notes for the reader and, when GNN-RAG took part, its checkpoint file."""

    answer: Answer
    sources: tuple[Citation, ...]
    retrieval: HybridResult
    llm: str
    notes: tuple[str, ...] = ()
    gnn_checkpoint: str = ""


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

    def _budget(self, reserved: int = 0) -> int:
        if self.llm is None:
            return self.config.context_tokens
        room = self.llm.context_tokens - self.config.max_answer_tokens - 160 - reserved  # instructions, question
        return max(64, min(self.config.context_tokens, room))

    def _gnn(self) -> Any:
        from graphrag.retrieve.gnn_component import GNN_COMPONENT

        component = getattr(self.retriever, "component", None)
        return component(GNN_COMPONENT) if component is not None else None

    def answer(self, question: str, *, k: int | None = None) -> AskResult:
        """Retrieve, pack, generate and keep the used citations; timings per step are in
        ``answer.timings_s``.

        With GNN-RAG in the hybrid, its reasoning paths go into the same prompt as the passages (GNN-RAG + RA);
        for a KG without passages the prompt is GNN-RAG's own and the reply is parsed as a list of answers.
        Without a model, the answer states the GNN's candidates with their paths, then the passages.
        """
        t_start = time.perf_counter()
        k = k or self.config.top_k
        result = self.retriever.run(question, k, explain=True)
        timings = dict(result.timings_s)
        gnn = self._gnn()
        kg_paths = result.kg_paths[: self.config.max_reasoning_paths]
        path_lines = [p.verbalise() for p in kg_paths]
        t0 = time.perf_counter()
        count = self.llm.count_tokens if self.llm is not None else None
        reserved = (count or approx_tokens)("\n".join(path_lines)) + 8 if path_lines else 0
        packed: PackedContext = pack_context(
            result.hits, self._budget(reserved), **({"count_tokens": count} if count else {}), max_sources=k
        )
        timings["packing"] = time.perf_counter() - t0
        linked = _linked_names(result)
        notes = list(getattr(self.retriever, "notes", ()))
        if not linked:
            notes.append(
                "no entity or title in the question was found in the graph; the passages come from "
                "keyword and vector search only"
            )
        elif gnn is not None and not result.candidates:
            notes.append("the GNN found no answer candidate: no entity of the question is in its knowledge graph")
        if packed.truncated:
            notes.append("the context was cut to fit the token budget")
        t0 = time.perf_counter()
        used: tuple[Citation, ...] = packed.citations
        model = "none" if self.llm is None else self.llm.name
        if self.llm is None and result.candidates:
            text = plain_gnn_answer(result.candidates, packed.citations)
        elif self.llm is None or (not packed.citations and not path_lines):
            text = plain_answer(packed.citations, linked)
            model = "none"
        elif not packed.citations:  # a KG without passages: GNN-RAG's own prompt, a list of answers back
            from graphrag.retrieve.gnn_prompt import gnnrag_messages, parse_answer_list

            raw = self.llm.complete(
                gnnrag_messages(result.question, kg_paths, max_paths=len(kg_paths)),
                max_tokens=self.config.max_answer_tokens,
                temperature=self.config.temperature,
            )
            names = parse_answer_list(raw)
            text = ", ".join(names) if names else NO_ANSWER
        else:
            q = " ".join(result.question.split())
            paths = (
                [p.verbalise() for p in list(result.paths.values())[:3]]
                if self.config.paths_in_prompt
                else []
            )
            messages = answer_messages(q, packed.text, paths, reasoning_paths=path_lines)
            raw = self.llm.complete(
                messages, max_tokens=self.config.max_answer_tokens, temperature=self.config.temperature
            )
            parsed = parse_answer(raw, len(packed.citations))
            text = parsed.text
            used = tuple(packed.citations[n - 1] for n in parsed.cited)
            if not used:
                notes.append("the model cited no source; the sources it was given are listed")
        timings["generate"] = time.perf_counter() - t0
        if model != "none" and result.candidates and not _names_any(text, result.candidates):
            best = result.candidates[0]
            notes.append(
                f"the model's answer names none of the GNN's candidates (best: {best.name}, p={best.score:.2f})"
            )
        timings["total"] = time.perf_counter() - t_start
        used_ids = {c.chunk_id for c in used}
        answer = Answer(
            question=result.question,
            text=text,
            citations=used,
            paths=tuple(dict.fromkeys((*kg_paths, *_paths_for(result, used_ids)))),
            candidates=result.candidates,
            timings_s=timings,
        )
        checkpoint = str(getattr(gnn, "checkpoint", "")) if gnn is not None else ""
        return AskResult(answer, packed.citations, result, model, tuple(notes), checkpoint)


def _names_any(text: str, candidates: Sequence[Candidate]) -> bool:
    folded = text.casefold()
    return any(c.name.casefold() in folded for c in candidates)


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
    """An :class:`AskResult` as one JSON-ready object: answer, citations, sources, graph evidence, GNN-RAG
    candidates (with probabilities and paths) and reasoning paths, timings."""
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
        "gnn_checkpoint": result.gnn_checkpoint or None,
        "candidates": [
            {
                "name": c.name,
                "entity_id": c.entity_id,
                "probability": round(float(c.score), 6),
                "paths": [p.verbalise() for p in c.paths],
            }
            for c in a.candidates
        ],
        "reasoning_paths": [p.verbalise() for p in result.retrieval.kg_paths],
        "notes": list(result.notes),
        "timings_s": {k: round(v, 4) for k, v in a.timings_s.items()},
    }
