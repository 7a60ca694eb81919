"""The LLM extraction stage with a scripted model: replacing and adding triples, grounding, retries, the
fallback to the rule triples, the cache, concurrency, and an ingest through the whole pipeline."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from graphrag.config import IngestConfig
from graphrag.embed import HashingEmbedder
from graphrag.errors import ConfigError, StoreError
from graphrag.extract.extraction_cache import ExtractionCache
from graphrag.extract.ingest import ingest
from graphrag.extract.llm_extractor import LLMTripleExtractor
from graphrag.extract.records import ChunkAnalysis, ExtractedMention, ExtractedTriple
from graphrag.extract.schema import parse_schema
from graphrag.generate.llm import FakeLLM
from graphrag.store import KuzuGraphStore

TEXT = "Alien is a 1979 film directed by Ridley Scott. It stars Sigourney Weaver."
RULE = ExtractedTriple("Alien", "WORK_OF_ART", "is a", "film", "", 0.8)
ANALYSIS = ChunkAnalysis(
    mentions=(
        ExtractedMention("Alien", "WORK_OF_ART", 0, 5),
        ExtractedMention("Ridley Scott", "PERSON", 33, 45),
        ExtractedMention("Sigourney Weaver", "PERSON", 56, 72),
    ),
    triples=(RULE,),
)


def reply(*triples: tuple[str, str, str]) -> str:
    return json.dumps({"triples": [{"subject": s, "predicate": p, "object": o} for s, p, o in triples]})


GOOD = reply(("Alien", "directed by", "Ridley Scott"), ("alien", "stars", "Sigourney Weaver"))


def test_llm_mode_replaces_the_rule_triples_with_grounded_labelled_ones() -> None:
    llm = FakeLLM(
        reply(("Alien", "directed by", "Ridley Scott"), ("Alien", "stars", "Tom Cruise"), ("Alien", "year", "1979"))
    )
    ex = LLMTripleExtractor(llm, mode="llm")
    [a] = ex.refine([TEXT], [ANALYSIS])
    assert [(t.subject, t.predicate, t.object) for t in a.triples] == [
        ("Alien", "directed by", "Ridley Scott"),
        ("Alien", "year", "1979"),
    ]
    assert (a.triples[0].subject_label, a.triples[0].object_label) == ("WORK_OF_ART", "PERSON")
    assert a.mentions == ANALYSIS.mentions  # mentions stay the analyzer's
    assert ex.stats.ungrounded == 1  # "Tom Cruise" is not in the text: the model may not invent entities
    assert (ex.stats.llm_calls, ex.stats.parsed, ex.stats.parse_rate) == (1, 1, 1.0)
    assert ex.stats.prompt_tokens > 0 and ex.stats.completion_tokens > 0
    assert llm.schemas and "triples" in llm.schemas[0]["properties"]  # decoding was asked to follow the schema
    assert TEXT in llm.prompts[0][-1].content


def test_hybrid_mode_keeps_the_rule_triples_and_adds_the_models() -> None:
    ex = LLMTripleExtractor(FakeLLM(GOOD), mode="hybrid")
    [a] = ex.refine([TEXT], [ANALYSIS])
    assert [t.predicate for t in a.triples] == ["is a", "directed by", "stars"]


def test_a_malformed_reply_is_retried_with_a_reminder() -> None:
    replies = iter(["Sure! Alien was directed by Ridley Scott.", GOOD])
    llm = FakeLLM(lambda messages: next(replies))
    ex = LLMTripleExtractor(llm, mode="llm")
    [a] = ex.refine([TEXT], [ANALYSIS])
    assert len(a.triples) == 2
    assert (ex.stats.llm_calls, ex.stats.retries, ex.stats.fallbacks) == (2, 1, 0)
    assert "JSON object only" in llm.prompts[1][-1].content


class Recorder:
    """An :class:`~graphrag.extract.progress.IngestProgress` that keeps what it is told."""

    def __init__(self) -> None:
        self.stages: dict[str, int] = {}
        self.done: dict[str, int] = {}
        self.notes: list[str] = []

    def stage(self, name: str, total: int) -> None:
        self.stages[name] = total

    def advance(self, name: str, n: int = 1) -> None:
        self.done[name] = self.done.get(name, 0) + n

    def note(self, message: str, *, detail: bool = False) -> None:
        self.notes.append(message)

    def close(self) -> None:
        pass


def test_progress_counts_chunks_and_estimates_the_run_after_the_first_calls(tmp_path: Path) -> None:
    progress = Recorder()
    cache = ExtractionCache(tmp_path / "c.sqlite")
    LLMTripleExtractor(FakeLLM(GOOD), cache=cache).refine([TEXT], [ANALYSIS])  # one chunk cached beforehand
    ex = LLMTripleExtractor(FakeLLM(GOOD), cache=cache, progress=progress)
    texts = [TEXT] + [f"{TEXT} Part {i}." for i in range(6)]
    ex.start(sum(len(t) for t in texts) * 10)  # this batch is a tenth of the run
    ex.refine(texts, [ANALYSIS] * len(texts))
    assert progress.done == {"llm extract": 7}  # the cached chunk counts as done too
    assert progress.stages["llm extract"] == 70  # ten batches of seven chunks
    [estimate] = progress.notes
    assert "s per call" in estimate and "prompt +" in estimate and "min for the ~70 chunks" in estimate


def test_a_chunk_whose_replies_never_parse_keeps_its_rule_triples_and_says_so() -> None:
    progress = Recorder()
    ex = LLMTripleExtractor(FakeLLM("I cannot do that."), mode="llm", attempts=3, progress=progress)
    [a] = ex.refine([TEXT], [ANALYSIS])
    notes = progress.notes
    assert a.triples == (RULE,)
    assert (ex.stats.llm_calls, ex.stats.fallbacks, ex.stats.parsed, ex.stats.parse_rate) == (3, 1, 0, 0.0)
    assert any("keeps the rule triples" in n and "no JSON" in n for n in notes)
    assert ex.report()["failures"] == ["no JSON in the reply: 'I cannot do that.'"]


def test_an_endpoint_that_fails_is_retried_with_backoff_then_falls_back() -> None:
    calls = []

    def down(messages):
        calls.append(1)
        raise ConnectionError("connection refused")

    ex = LLMTripleExtractor(FakeLLM(down), mode="hybrid", attempts=2, backoff_s=0.0)
    [a] = ex.refine([TEXT], [ANALYSIS])
    assert a.triples == (RULE,) and len(calls) == 2 and ex.stats.fallbacks == 1
    assert "ConnectionError: connection refused" in ex.stats.failures[0]


def test_the_cache_answers_a_second_run_without_the_model(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "c.sqlite")
    first = LLMTripleExtractor(FakeLLM(GOOD), cache=cache)
    other = "Blade Runner is a 1982 film directed by Ridley Scott."
    first.refine([TEXT, other], [ANALYSIS, ChunkAnalysis((), ())])
    assert first.stats.llm_calls == 2 and len(cache) == 2
    cache.close()
    again = ExtractionCache(tmp_path / "c.sqlite")
    llm = FakeLLM(lambda m: pytest.fail("the cache should have answered"))
    second = LLMTripleExtractor(llm, cache=again)
    second.start(len(TEXT))
    [a] = second.refine([TEXT], [ANALYSIS])
    assert [t.predicate for t in a.triples] == ["directed by", "stars"]
    assert (second.stats.cache_hits, second.stats.llm_calls) == (1, 0)
    # another schema or model is another extractor version: nothing cached for it
    schema = parse_schema({"relations": [{"name": "director"}]})
    third = LLMTripleExtractor(FakeLLM(reply(("Alien", "director", "Ridley Scott"))), cache=again, schema=schema)
    third.refine([TEXT], [ANALYSIS])
    assert third.stats.llm_calls == 1 and third.version != second.version


def test_failed_chunks_are_not_cached(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "c.sqlite")
    LLMTripleExtractor(FakeLLM("nope"), cache=cache, attempts=1).refine([TEXT], [ANALYSIS])
    assert len(cache) == 0


def test_a_corrupt_cache_file_is_an_error_naming_it(tmp_path: Path) -> None:
    bad = tmp_path / "c.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="c.sqlite"):
        ExtractionCache(bad)


def test_a_schema_puts_its_relations_in_the_prompt_and_the_decoding_schema() -> None:
    schema = parse_schema({"relations": [{"name": "director"}, {"name": "cast member"}]})
    llm = FakeLLM(reply(("Alien", "director", "Ridley Scott")))
    LLMTripleExtractor(llm, schema=schema).refine([TEXT], [ANALYSIS])
    assert "one of: director, cast member" in llm.prompts[0][-1].content
    enum = llm.schemas[0]["properties"]["triples"]["items"]["properties"]["predicate"]["enum"]
    assert enum == ["director", "cast member"]


def test_remote_endpoints_are_called_concurrently() -> None:
    active, peak, lock = [0], [0], threading.Lock()
    barrier = threading.Barrier(3, timeout=5)

    def slow(messages):
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        barrier.wait()  # three calls must be in flight at once to get past here
        with lock:
            active[0] -= 1
        return GOOD

    ex = LLMTripleExtractor(FakeLLM(slow), concurrency=3)
    out = ex.refine([TEXT] * 3, [ANALYSIS] * 3)
    assert peak[0] == 3 and all(len(a.triples) == 2 for a in out)


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ConfigError, match="unknown LLM extractor mode"):
        LLMTripleExtractor(FakeLLM(GOOD), mode="rules")
    with pytest.raises(ConfigError):
        LLMTripleExtractor(FakeLLM(GOOD), concurrency=0)


def test_ingest_with_the_llm_extractor_stores_its_triples_and_reuses_the_cache(tmp_path: Path, spacy_analyzer) -> None:
    corpus = tmp_path / "alien.txt"
    corpus.write_text(TEXT, encoding="utf-8")

    def run(db: Path, llm: FakeLLM):
        cache = ExtractionCache(tmp_path / "cache.sqlite")
        try:
            return ingest(
                [str(corpus)],
                db=db,
                config=IngestConfig(),
                embedder=HashingEmbedder(),
                analyzer=spacy_analyzer,
                separate_process=False,
                llm_extractor=LLMTripleExtractor(llm, cache=cache),
            )
        finally:
            cache.close()

    first = run(tmp_path / "a.kuzu", FakeLLM(GOOD))
    assert first.extraction["llm"]["llm_calls"] == 1 and first.extraction["llm"]["parse_rate"] == 1.0
    with KuzuGraphStore(tmp_path / "a.kuzu", read_only=True) as store:
        rows = store.run_user_query(
            "MATCH (a:Entity)-[r:RELATION]->(b:Entity) RETURN a.name, r.predicate, b.name ORDER BY r.predicate"
        ).rows
    assert [tuple(r) for r in rows] == [
        ("Alien", "directed by", "Ridley Scott"),
        ("Alien", "stars", "Sigourney Weaver"),
    ]
    # a fresh store from the same text: every chunk comes from the cache
    second = run(tmp_path / "b.kuzu", FakeLLM(lambda m: pytest.fail("the cache should have answered")))
    assert second.extraction["llm"]["cache_hits"] == second.extraction["llm"]["chunks"] == 1
    assert second.triples == first.triples


def test_each_reply_is_cached_as_it_comes_so_an_interrupted_run_keeps_it(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path / "c.sqlite")
    replies = iter([GOOD])

    def then_interrupted(messages):
        try:
            return next(replies)
        except StopIteration:
            raise KeyboardInterrupt from None

    with pytest.raises(KeyboardInterrupt):
        LLMTripleExtractor(FakeLLM(then_interrupted), cache=cache).refine([TEXT, TEXT + " Again."], [ANALYSIS] * 2)
    assert len(cache) == 1


def test_a_backend_that_refuses_schema_decoding_is_asked_plainly_on_the_next_try() -> None:
    class NoSchemas(FakeLLM):
        def complete_json(self, messages, *, schema, max_tokens):
            raise TypeError("unexpected keyword argument 'response_format'")

    llm = NoSchemas(GOOD)
    ex = LLMTripleExtractor(llm, backoff_s=0.0)
    [a] = ex.refine([TEXT], [ANALYSIS])
    assert [t.predicate for t in a.triples] == ["directed by", "stars"]
    assert (ex.stats.llm_calls, ex.stats.retries, ex.stats.fallbacks, len(llm.prompts)) == (2, 1, 0, 1)
