"""Triples read by an LLM (``graphrag ingest --extractor llm|hybrid``), a stage after the spaCy analysis.

Each chunk goes to the model with a short instruction (and the schema's relations, when there is one); where
the model can decode under a JSON schema (:class:`~graphrag.generate.llm.StructuredLLM`: llama.cpp grammars,
OpenAI-compatible ``response_format``) the reply always parses. Otherwise, and as a safety net, the reply is
parsed strictly with repairs (:mod:`graphrag.extract.llm_output`), retried with a reminder, and when it still
fails the chunk keeps its rule triples and the run says so. A triple is kept only when its subject and object
are found in the chunk (the model may not invent entities); their NER labels come from the spaCy mentions.

Results are cached by chunk text and extractor version (:mod:`graphrag.extract.extraction_cache`), so a
re-ingest asks the model nothing. Remote endpoints are called ``concurrency`` chunks at a time. ``llm`` mode
replaces the rule triples, ``hybrid`` adds the model's to them.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

from graphrag.errors import ConfigError
from graphrag.extract.extraction_cache import ExtractionCache, cache_key
from graphrag.extract.llm_output import LLMOutputError, parse_reply, reply_schema
from graphrag.extract.progress import IngestProgress, NullProgress
from graphrag.extract.records import ChunkAnalysis, ExtractedTriple
from graphrag.extract.schema import Schema
from graphrag.types import Message

EXTRACTOR_MODES = ("llm", "hybrid")
#: What ``graphrag ingest --extractor`` accepts: the spaCy rules alone, or with one of the LLM modes.
EXTRACTORS = ("rules", *EXTRACTOR_MODES)

#: Raise when the prompt or the parsing changes: cached extractions of another version are not reused.
PROMPT_VERSION = "1"

SYSTEM = "You extract facts from text as JSON."
USER = """Text: {text}

List the facts the text states as triples. Subject and object are names, dates or numbers copied from the \
text; the predicate is a short phrase{relations}. Reply with JSON: \
{{"triples": [{{"subject": "...", "predicate": "...", "object": "..."}}]}}"""
REMINDER = "Reply with the JSON object only, nothing else."

#: The progress bar of the stage (units: chunks).
BAR = "llm extract"
#: The time estimate is given after this many calls to the model.
ESTIMATE_AFTER = 5


class ChatModel(Protocol):
    """What the extractor needs from an LLM (the seam of :mod:`graphrag.generate.llm`)."""

    name: str

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float = 0.0) -> str:
        """The model's reply."""

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text``."""


@dataclass
class ExtractionStats:
    """What the LLM extraction did in a run."""

    chunks: int = 0
    cache_hits: int = 0
    llm_calls: int = 0
    parsed: int = 0  # chunks whose reply parsed (first try or after a retry)
    repaired: int = 0
    retries: int = 0
    fallbacks: int = 0  # chunks that kept their rule triples because no reply parsed
    triples: int = 0
    ungrounded: int = 0  # triples dropped: an end not found in the chunk
    prompt_tokens: int = 0
    completion_tokens: int = 0
    llm_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    @property
    def parse_rate(self) -> float:
        """Share of chunks sent to the model whose reply parsed."""
        sent = self.chunks - self.cache_hits
        return self.parsed / sent if sent else 1.0

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready counts."""
        d = dataclasses.asdict(self)
        d["parse_rate"] = round(self.parse_rate, 4)
        d["llm_seconds"] = round(self.llm_seconds, 2)
        d["failures"] = self.failures[:20]
        return d


class LLMTripleExtractor:
    """Adds (``hybrid``) or substitutes (``llm``) an LLM's triples for each analysed chunk.

    Args:
        llm: the model (any of the LLM seam's backends).
        mode: ``llm`` or ``hybrid``.
        schema: when given, the prompt lists its relations and constrained decoding allows only them.
        cache: where extractions are kept across runs (``None``: no cache).
        concurrency: chunks sent at once (keep 1 for a local in-process model).
        attempts: tries per chunk before falling back to the rule triples.
        max_tokens: the reply's token limit.
        backoff_s: the first pause after a failed call (doubling each retry).
        progress: where the stage's bar (``llm extract``, in chunks) and notes for the user (fallbacks, the
            time and token estimate after the first chunks) go.
    """

    def __init__(
        self,
        llm: ChatModel,
        *,
        mode: str = "llm",
        schema: Schema | None = None,
        cache: ExtractionCache | None = None,
        concurrency: int = 1,
        attempts: int = 2,
        max_tokens: int = 384,
        backoff_s: float = 0.5,
        progress: IngestProgress | None = None,
    ) -> None:
        if mode not in EXTRACTOR_MODES:
            raise ConfigError(f"unknown LLM extractor mode {mode!r}; choose one of: {', '.join(EXTRACTOR_MODES)}")
        if concurrency < 1 or attempts < 1:
            raise ConfigError("concurrency and attempts must be at least 1")
        self.llm = llm
        self.mode = mode
        self.schema = schema
        self.cache = cache
        self.concurrency = concurrency
        self.attempts = attempts
        self.max_tokens = max_tokens
        self.backoff_s = backoff_s
        self.progress = progress or NullProgress()
        self.stats = ExtractionStats()
        self._relations = tuple(r.name for r in schema.relations) if schema is not None else ()
        self._schema = reply_schema(self._relations)
        self._lock = threading.Lock()
        self._chars_total = 0
        self._chars_seen = 0
        self._chunks_seen = 0
        self._chunks_total = 0
        self._t_first: float | None = None
        self._estimated = False

    name = "llm"

    def report(self) -> dict[str, Any]:
        """The run's counts (chunks, cache hits, parse rate, fallbacks, tokens)."""
        return {"mode": self.mode, "model": self.llm.name, **self.stats.as_dict()}

    @property
    def version(self) -> str:
        """Prompt version, model and schema: the cache key's and the stored documents' extractor version."""
        schema = self.schema.version if self.schema is not None else "-"
        return f"llm:{PROMPT_VERSION}:{self.llm.name}:{schema}:{self.mode}"

    def start(self, characters: int) -> None:
        """Told by the pipeline how much text the run extracts (for the bar's size and the time estimate)."""
        self._chars_total = characters

    def messages(self, text: str) -> list[Message]:
        """The prompt for one chunk."""
        relations = f", one of: {', '.join(self._relations)}" if self._relations else ""
        return [Message("system", SYSTEM), Message("user", USER.format(text=text, relations=relations))]

    # -- the stage ---------------------------------------------------------------------------------------
    def refine(self, texts: Sequence[str], analyses: Sequence[ChunkAnalysis]) -> list[ChunkAnalysis]:
        """The analyses with the model's triples (cached where the chunk was seen before)."""
        keys = [cache_key(self.version, t) for t in texts]
        cached = self.cache.get_many(keys) if self.cache is not None else {}
        todo = [i for i, k in enumerate(keys) if k not in cached]
        self._size_bar(texts)
        self.progress.advance(BAR, len(texts) - len(todo))
        if self.concurrency > 1 and len(todo) > 1:
            with ThreadPoolExecutor(max_workers=self.concurrency) as pool:
                fresh = dict(zip(todo, pool.map(lambda i: self._ask(keys[i], texts[i]), todo), strict=True))
        else:
            fresh = {i: self._ask(keys[i], texts[i]) for i in todo}
        out = []
        for i, (text, analysis) in enumerate(zip(texts, analyses, strict=True)):
            self.stats.chunks += 1
            if keys[i] in cached:
                self.stats.cache_hits += 1
                raw: list[list[str]] | None = cached[keys[i]]
            else:
                raw = fresh[i]
            if raw is None:  # no usable reply: this chunk keeps the rule triples
                out.append(analysis)
                continue
            triples = self._ground(text, analysis, raw)
            self.stats.triples += len(triples)
            kept = (*analysis.triples, *triples) if self.mode == "hybrid" else tuple(triples)
            out.append(dataclasses.replace(analysis, triples=_dedupe(kept)))
        return out

    def _ask(self, key: str, text: str) -> list[list[str]] | None:
        """The model's triples for ``text`` (``None`` when no reply was usable), cached under ``key`` at once
        (an interrupted run keeps what it paid for), with the bar moved on."""
        if self._t_first is None:
            self._t_first = time.perf_counter()
        try:
            raw = self._ask_model(text)
            if raw is not None and self.cache is not None:
                self.cache.put(key, raw)
            return raw
        finally:
            self.progress.advance(BAR)
            with self._lock:
                done = self.stats.llm_calls
            if done >= ESTIMATE_AFTER and not self._estimated:
                self._estimate()

    def _ask_model(self, text: str) -> list[list[str]] | None:
        """The model's triples for ``text`` as lists, or ``None`` after ``attempts`` unusable replies."""
        messages = self.messages(text)
        structured = getattr(self.llm, "complete_json", None)
        last = ""
        for attempt in range(self.attempts):
            if attempt:
                with self._lock:
                    self.stats.retries += 1
                messages = [*self.messages(text), Message("user", REMINDER)]
            t0 = time.perf_counter()
            try:
                if structured is not None:
                    reply = structured(messages, schema=self._schema, max_tokens=self.max_tokens)
                else:
                    reply = self.llm.complete(messages, max_tokens=self.max_tokens)
            except Exception as exc:  # noqa: BLE001 - a remote endpoint fails in many ways; each is retried
                last = f"{type(exc).__name__}: {exc}"
                # a backend that cannot hold decoding to a schema (Ollama through llama-index, an older server)
                # may refuse the request outright: the next try asks plainly, and the parser validates
                structured = None
                with self._lock:
                    self.stats.llm_calls += 1
                    self.stats.llm_seconds += time.perf_counter() - t0
                time.sleep(self.backoff_s * (2**attempt))
                continue
            with self._lock:
                self.stats.llm_calls += 1
                self.stats.llm_seconds += time.perf_counter() - t0
                self.stats.prompt_tokens += sum(self.llm.count_tokens(m.content) for m in messages)
                self.stats.completion_tokens += self.llm.count_tokens(reply)
            try:
                parsed = parse_reply(reply)
            except LLMOutputError as exc:
                last = str(exc)
                continue
            with self._lock:
                self.stats.parsed += 1
                self.stats.repaired += int(parsed.repaired)
            return [list(t) for t in parsed.triples]
        with self._lock:
            self.stats.fallbacks += 1
            self.stats.failures.append(last)
        self.progress.note(f"LLM extraction gave nothing usable for a chunk ({last}); it keeps the rule triples")
        return None

    def _ground(self, text: str, analysis: ChunkAnalysis, raw: list[list[str]]) -> list[ExtractedTriple]:
        """The model's triples whose ends the chunk names, labelled from its mentions."""
        folded = text.casefold()
        labels = {m.text.casefold(): m.label for m in analysis.mentions}
        topic = analysis.about[0].casefold() if analysis.about is not None else ""
        out = []
        for s, p, o in raw:
            if s.casefold() == o.casefold():  # an entity related to itself says nothing
                continue
            if not all(end.casefold() in folded or end.casefold() == topic for end in (s, o)):
                self.stats.ungrounded += 1
                continue
            s_label, o_label = labels.get(s.casefold(), ""), labels.get(o.casefold(), "")
            out.append(ExtractedTriple(s, s_label, p, o, o_label, 0.7, rule="llm"))
        return out

    def _size_bar(self, texts: Sequence[str]) -> None:
        """On the first batch, start the bar: the run's chunks estimated from this batch's chunks per character."""
        first = self._chunks_seen == 0
        self._chunks_seen += len(texts)
        self._chars_seen += sum(len(t) for t in texts)
        if first and texts:
            self._chunks_total = max(len(texts), round(len(texts) * self._chars_total / max(1, self._chars_seen)))
            self.progress.stage(BAR, self._chunks_total)

    def _estimate(self) -> None:
        """After the first calls to the model, a note of the rate, the tokens, and the time for the whole run."""
        with self._lock:
            if self._estimated or self._t_first is None:
                return
            self._estimated = True
            per_call = (time.perf_counter() - self._t_first) / max(1, self.stats.llm_calls)
            calls = self.stats.llm_calls
            tokens = f"{self.stats.prompt_tokens:,} prompt + {self.stats.completion_tokens:,} completion tokens"
        whole = ""
        if self._chunks_total:
            whole = f"; about {per_call * self._chunks_total / 60:.1f} min for the ~{self._chunks_total:,} chunks"
        self.progress.note(
            f"LLM extraction with {self.llm.name}: {per_call:.1f} s per call, {tokens} for the first {calls} calls"
            f"{whole} at this rate (cached chunks cost nothing)"
        )


def _dedupe(triples: Sequence[ExtractedTriple]) -> tuple[ExtractedTriple, ...]:
    seen: dict[tuple[str, str, str], ExtractedTriple] = {}
    for t in triples:
        seen.setdefault((t.subject.casefold(), t.predicate.casefold(), t.object.casefold()), t)
    return tuple(seen.values())


__all__ = ["EXTRACTORS", "EXTRACTOR_MODES", "PROMPT_VERSION", "ChatModel", "ExtractionStats", "LLMTripleExtractor"]
