"""The answerer: one evidence set in (passages, linked entities, GNN-RAG candidates and paths), one answer out.

:meth:`Answerer.answer` retrieves with the hybrid retriever and hands the result to :meth:`Answerer.respond`,
which packs the passages under the model's token budget with numbered citations and answers in one of four
modes, each a small method:

* no model (``--llm none``): the evidence stated plainly (:meth:`~Answerer._plain`);
* the GNN's reasoning paths only (an imported KG has no passages): GNN-RAG's own prompt, a list of answers
  back (:meth:`~Answerer._from_paths`, also :meth:`Answerer.kg_answers` for KGQA evaluation);
* passages (and the GNN's paths, when it took part): a cited answer, keeping only the citations it used
  (:meth:`~Answerer._from_passages`);
* nothing to give a model (no passage, no path): the plain statement, without calling it.

The pure text functions on each side of the model live in :mod:`graphrag.generate.answer_text` and
:mod:`graphrag.generate.kg_prompt`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphrag.config import AnswerConfig, RetrieveConfig
from graphrag.errors import ConfigError
from graphrag.generate.answer_text import NO_ANSWER, NOT_FOUND, parse_answer, plain_answer, plain_gnn_answer
from graphrag.generate.kg_prompt import gnnrag_messages, parse_answer_list
from graphrag.generate.llm import LLM, StructuredLLM
from graphrag.generate.mention_doc import citation_docs
from graphrag.generate.packing import PASSAGE_JOIN, PackedContext, approx_tokens, pack_context
from graphrag.generate.prompts import answer_messages
from graphrag.generate.structured_answer import answer_schema, parse_structured_answer, structured_messages
from graphrag.generate.support import Support, grounding, support
from graphrag.gnnrag.component import GNN_COMPONENT
from graphrag.retrieve.hybrid import HybridResult, HybridRetriever
from graphrag.types import Answer, Candidate, Citation, ReasoningPath

if TYPE_CHECKING:
    from graphrag.embed import Embedder
    from graphrag.generate.extractive import Extracted, ExtractiveReader
    from graphrag.store import KuzuGraphStore


@dataclass(frozen=True)
class AskResult:
    """An :class:`Answer` plus everything shown beside it: all packed sources (cited or not), the retrieval
    result, the model used, notes for the reader, when GNN-RAG took part its checkpoint file, and ``load_s``,
    the seconds spent before answering (opening the store, loading what was not loaded yet); ``support``, how
    well the evidence supports the answer (:mod:`graphrag.generate.support`), and ``withheld``, the answer given
    up for "Not found in the documents" when that support was too low."""

    answer: Answer
    sources: tuple[Citation, ...]
    retrieval: HybridResult
    llm: str
    notes: tuple[str, ...] = ()
    gnn_checkpoint: str = ""
    load_s: float = 0.0
    support: Support | None = None
    withheld: str = ""

    @property
    def text(self) -> str:
        """The answer's text."""
        return self.answer.text


@dataclass(frozen=True)
class _Reply:
    """What one answering mode produced: the text, the sources it used and the model that wrote it."""

    text: str
    used: tuple[Citation, ...]
    model: str


class Answerer:
    """Answers questions from the hybrid retriever's evidence with an LLM (or plainly, with ``llm=None``).

    Args:
        retriever: the hybrid retriever (built once, reused per question); ``None`` for an answerer that only
            responds to evidence it is handed (:meth:`respond`, :meth:`kg_answers`).
        llm: the model, or ``None`` for the plain evidence answer.
        config: context budget, answer length, number of passages and reasoning paths.
        reader: without a model, reads a short answer out of the passages
            (:class:`~graphrag.generate.extractive.ExtractiveReader`, the ``extractive`` answerer); ``None``
            states the evidence instead. With a model, its candidates are the model's hints.
        mentions: the named entities ingest stored for some chunk ids (``store.chunk_mentions``): the reader
            then reads them instead of running spaCy over the passages.
    """

    def __init__(
        self,
        retriever: HybridRetriever | None,
        llm: LLM | None,
        config: AnswerConfig | None = None,
        *,
        reader: ExtractiveReader | None = None,
        mentions: Callable[[Sequence[str]], Mapping[str, Sequence[tuple[int, int, str, str]]]] | None = None,
    ) -> None:
        self.retriever = retriever
        self.llm = llm
        self.config = config or AnswerConfig()
        self.reader = reader
        self.mentions = mentions

    # -- the question path ---------------------------------------------------------------------------------
    def answer(self, question: str, *, k: int | None = None) -> AskResult:
        """Retrieve, then :meth:`respond`; timings per step are in ``answer.timings_s``."""
        if self.retriever is None:
            raise ConfigError("this answerer has no retriever: hand it evidence with respond(...)")
        t_start = time.perf_counter()
        k = k or self.config.top_k
        return self.respond(self.retriever.run(question, k, explain=True), k=k, started=t_start)

    def respond(self, result: HybridResult, *, k: int | None = None, started: float | None = None) -> AskResult:
        """Pack the evidence, answer in the mode it allows, and keep the citations the answer used.

        With GNN-RAG in the hybrid, its reasoning paths go into the same prompt as the passages (GNN-RAG + RA);
        for a KG without passages the prompt is GNN-RAG's own and the reply is parsed as a list of answers.
        Without a model, the answer states the GNN's candidates with their paths, then the passages.
        """
        t_start = time.perf_counter() if started is None else started
        k = k or self.config.top_k
        timings = dict(result.timings_s)
        gnn = self._gnn()
        kg_paths = result.kg_paths[: self.config.max_reasoning_paths]
        path_lines = [p.verbalise() for p in kg_paths]
        t0 = time.perf_counter()
        packed = self._pack(result, k, path_lines)
        timings["packing"] = time.perf_counter() - t0
        linked = _linked_names(result)
        notes = self._notes(result, linked, packed, gnn_present=gnn is not None)
        t0 = time.perf_counter()
        if self.llm is None and self.reader is not None and packed.citations:
            found = self._read(result.question, packed.citations)
            by_number = {c.number: c for c in packed.citations}
            reply = _Reply(found.text, tuple(by_number[n] for n in found.cited if n in by_number), "extractive")
            notes.append(f"read from the passages without a model ({found.how})")
        elif self.llm is None and self.reader is not None and result.candidates:
            # a KG without passages (MetaQA): the GNN's best candidate is the answer, its paths the evidence
            best = result.candidates[0]
            reply = _Reply(best.name, (), "extractive")
            notes.append(f"the GNN's best candidate (p={best.score:.2f}); its reasoning paths are the evidence")
        elif self.llm is None:
            reply = self._plain(result, packed, linked)
        elif not packed.citations and not path_lines:
            reply = _Reply(plain_answer(packed.citations, linked), packed.citations, "none")
        elif not packed.citations:
            reply = self._from_paths(result.question, kg_paths)
        else:
            reply = self._from_passages(result, packed, path_lines, notes)
        timings["generate"] = time.perf_counter() - t0
        backing, withheld = None, ""
        if reply.model != "none" and packed.citations:
            backing = support(
                result.question,
                reply.text,
                [t for c in reply.used for t in (c.title, *c.all_passages)],
                [t for c in packed.citations for t in (c.title, *c.all_passages)],
            )
            if backing.score < self.config.min_support and not _abstains(reply.text):
                withheld = reply.text
                best = packed.citations[0]
                notes.append(
                    f"answer {reply.text!r} withheld: support {backing.score:.2f} < {self.config.min_support:.2f} "
                    f"(type fit {backing.type_fit:.1f}, grounding {backing.grounding:.1f}, linking "
                    f"{backing.linking:.1f}); closest evidence: [{best.number}] {best.title}"
                )
                reply = _Reply(NOT_FOUND, (), reply.model)
        model_wrote = reply.model not in ("none", "extractive")
        if model_wrote and result.candidates and not _names_any(reply.text, result.candidates):
            best = result.candidates[0]
            notes.append(
                f"the model's answer names none of the GNN's candidates (best: {best.name}, p={best.score:.2f})"
            )
        timings["total"] = time.perf_counter() - t_start
        used_ids = {cid for c in reply.used for cid in c.all_chunk_ids}
        answer = Answer(
            question=result.question,
            text=reply.text,
            citations=reply.used,
            paths=tuple(dict.fromkeys((*kg_paths, *_paths_for(result, used_ids)))),
            candidates=result.candidates,
            timings_s=timings,
        )
        checkpoint = str(getattr(gnn, "checkpoint", "")) if gnn is not None else ""
        return AskResult(
            answer, packed.citations, result, reply.model, tuple(notes), checkpoint, support=backing, withheld=withheld
        )

    def kg_answers(self, question: str, paths: Sequence[ReasoningPath]) -> list[str]:
        """GNN-RAG's answer step alone: the model reads (at most ``max_reasoning_paths``) verbalised ``paths``
        and returns a list of answer names (``[]`` when its reply holds none)."""
        if self.llm is None:
            raise ConfigError("kg_answers needs a language model; without one, the candidates are the answer")
        shown = list(paths[: self.config.max_reasoning_paths])
        raw = self.llm.complete(
            gnnrag_messages(question, shown, max_paths=len(shown)),
            max_tokens=self.config.max_answer_tokens,
            temperature=self.config.temperature,
        )
        return parse_answer_list(raw)

    # -- the modes -------------------------------------------------------------------------------------------
    def _plain(self, result: HybridResult, packed: PackedContext, linked: list[str]) -> _Reply:
        """No model: the GNN's candidates with their paths when it found any, else the best passages."""
        if result.candidates:
            return _Reply(plain_gnn_answer(result.candidates, packed.citations), packed.citations, "none")
        return _Reply(plain_answer(packed.citations, linked), packed.citations, "none")

    def _from_paths(self, question: str, kg_paths: Sequence[ReasoningPath]) -> _Reply:
        """A KG without passages: GNN-RAG's prompt, the model's list of answers joined."""
        assert self.llm is not None
        names = self.kg_answers(question, kg_paths)
        return _Reply(", ".join(names) if names else NO_ANSWER, (), self.llm.name)

    def _from_passages(
        self, result: HybridResult, packed: PackedContext, path_lines: list[str], notes: list[str]
    ) -> _Reply:
        """Numbered passages (and reasoning paths) in, a cited answer out; only the cited sources are kept."""
        assert self.llm is not None
        q = " ".join(result.question.split())
        n = len(packed.citations)
        if self.config.structured and isinstance(self.llm, StructuredLLM):
            hints = self._hints(q, packed.citations)
            messages = structured_messages(q, packed.text, reasoning_paths=path_lines, hints=hints)
            raw = self.llm.complete_json(messages, schema=answer_schema(n), max_tokens=self.config.max_answer_tokens)
            parsed = parse_structured_answer(raw, n)
            if hints:
                notes.append(
                    "the model was shown the extractive reader's candidates: " + "; ".join(h[0] for h in hints)
                )
        else:
            paths = [p.verbalise() for p in list(result.paths.values())[:3]] if self.config.paths_in_prompt else []
            messages = answer_messages(q, packed.text, paths, reasoning_paths=path_lines)
            raw = self.llm.complete(
                messages, max_tokens=self.config.max_answer_tokens, temperature=self.config.temperature
            )
            parsed = parse_answer(raw, n)
        used = tuple(packed.citations[k - 1] for k in parsed.cited)
        if not used and not _abstains(parsed.text):
            # small models often forget to cite: the first source that holds the whole answer is cited for it
            holding = [c for c in packed.citations if grounding(parsed.text, [c.title, *c.all_passages]) == 1.0]
            if holding:
                used = holding[:1]
                notes.append(f"the model cited no source; [{used[0].number}] holds its answer and is cited for it")
            else:
                notes.append("the model cited no source; the sources it was given are listed")
        return _Reply(parsed.text, tuple(used), self.llm.name)

    def _hints(self, question: str, sources: Sequence[Citation]) -> tuple[tuple[str, int], ...]:
        """The extractive reader's candidate answers and their sources, when hints are on and a reader is set."""
        if not self.config.hints or self.reader is None:
            return ()
        return self._read(question, sources).candidates

    def _read(self, question: str, sources: Sequence[Citation]) -> Extracted:
        assert self.reader is not None
        docs = None
        if self.mentions is not None:
            ids = [cid for c in sources for cid in c.all_chunk_ids]
            docs = citation_docs(sources, self.mentions(ids), join=PASSAGE_JOIN)
        return self.reader.read(question, sources, docs=docs)

    # -- helpers ---------------------------------------------------------------------------------------------
    def _budget(self, reserved: int = 0) -> int:
        if self.llm is None:
            return self.config.context_tokens
        room = self.llm.context_tokens - self.config.max_answer_tokens - 160 - reserved  # instructions, question
        return max(64, min(self.config.context_tokens, room))

    def _pack(self, result: HybridResult, k: int, path_lines: list[str]) -> PackedContext:
        count = self.llm.count_tokens if self.llm is not None else None
        reserved = (count or approx_tokens)("\n".join(path_lines)) + 8 if path_lines else 0
        return pack_context(
            result.hits, self._budget(reserved), **({"count_tokens": count} if count else {}), max_sources=k
        )

    def _notes(self, result: HybridResult, linked: list[str], packed: PackedContext, *, gnn_present: bool) -> list[str]:
        notes = list(getattr(self.retriever, "notes", ()))
        if not linked:
            notes.append(
                "no entity or title in the question was found in the graph; the passages come from "
                "keyword and vector search only"
            )
        elif gnn_present and not result.candidates:
            notes.append("the GNN found no answer candidate: no entity of the question is in its knowledge graph")
        if packed.truncated:
            notes.append("the context was cut to fit the token budget")
        return notes

    def _gnn(self) -> Any:
        component = getattr(self.retriever, "component", None)
        return component(GNN_COMPONENT) if component is not None else None


def _abstains(text: str) -> bool:
    return text in (NOT_FOUND, NO_ANSWER)


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


def needs_reader(config: AnswerConfig, llm: LLM | None) -> bool:
    """Whether an answerer with these settings uses the extractive reader: it answers with it (``extractive``),
    or shows a model its candidates (``hints``)."""
    return config.llm == "extractive" or (llm is not None and config.hints)


def build_answerer(
    store: KuzuGraphStore,
    retrieve_config: RetrieveConfig | None = None,
    answer_config: AnswerConfig | None = None,
    *,
    llm: LLM | None | str = "config",
    embedder: Embedder | None = None,
) -> Answerer:
    """Wire an :class:`Answerer` over ``store``: the store's own embedder, the configured hybrid retriever, and the
    LLM named by ``answer_config.llm`` (or ``llm`` when given: an instance, or ``None`` for no model)."""
    from graphrag.generate.llm import make_llm
    from graphrag.gnnrag import hybrid_retriever
    from graphrag.retrieve.resources import RetrievalResources, embedder_for_store

    rcfg = retrieve_config or RetrieveConfig()
    acfg = answer_config or AnswerConfig()
    resources = RetrievalResources(
        store, embedder or embedder_for_store(store, rcfg.embedder, threads=rcfg.query_threads), rcfg
    )
    hybrid = hybrid_retriever(resources, rcfg)
    model = make_llm(acfg) if isinstance(llm, str) else llm
    reader = None
    if needs_reader(acfg, model):
        from graphrag.generate.extractive import lazy_reader

        reader = lazy_reader()
    return Answerer(hybrid, model, acfg, reader=reader, mentions=store.chunk_mentions)


__all__ = ["AskResult", "Answerer", "build_answerer", "needs_reader"]
