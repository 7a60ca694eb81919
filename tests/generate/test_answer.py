"""The answerer: parse_answer on its own, then answers with a fake model and with no model."""

from __future__ import annotations

import pytest

from graphrag.config import AnswerConfig
from graphrag.generate.answer import NO_ANSWER, Answerer, parse_answer, plain_answer
from graphrag.generate.answer_json import ask_result_dict
from graphrag.generate.llm import FakeLLM
from graphrag.retrieve.hybrid import HybridRetriever
from graphrag.retrieve.resources import RetrievalResources, embedder_for_store
from graphrag.store import KuzuGraphStore
from graphrag.types import Citation


@pytest.mark.parametrize(
    ("raw", "text", "cited"),
    [
        ("Graz [2].", "Graz [2].", (2,)),
        ("Answer: Graz [2][1]", "Graz [2][1]", (2, 1)),
        ("Graz [1, 2] and again [2]", "Graz [1][2] and again [2]", (1, 2)),
        ("Graz [7] [0] [2]", "Graz [2]", (2,)),  # numbers outside 1..n are dropped
        ("  Graz  \n\n [ 3 ]  ", "Graz [3]", (3,)),
        ("Graz", "Graz", ()),
        ("", NO_ANSWER, ()),
        ("[1] [2]", NO_ANSWER, ()),  # citations without an answer
        ("A: 20 March 851 [1];", "20 March 851 [1];", (1,)),
    ],
)
def test_parse_answer(raw: str, text: str, cited: tuple[int, ...]) -> None:
    parsed = parse_answer(raw, 3)
    assert parsed.text == text
    assert parsed.cited == cited


def test_parse_answer_cuts_runaway_output() -> None:
    raw = "Graz is the answer [1]. " + "More words here. " * 100 + "[2]"
    parsed = parse_answer(raw, 3)
    assert len(parsed.text) <= 610
    assert parsed.cited == (1,)  # [2] was cut away with the tail


def test_plain_answer_states_the_evidence() -> None:
    c = [
        Citation(1, "c1", "d1", "Graz", "Graz is the capital of Styria. It is old."),
        Citation(2, "c2", "d2", "Austria", "Austria is a country."),
    ]
    text = plain_answer(c, ["Styria"])
    assert "No language model was used" in text
    assert "[1] Graz: Graz is the capital of Styria." in text
    assert "[2] Austria" in text and "Styria" in text
    assert "Nothing in the graph matches" in plain_answer([], [])
    assert "No entity or title named in the question" in plain_answer(c, [])


@pytest.fixture(scope="module")
def hybrid(tiny_graph_db):
    store = KuzuGraphStore(tiny_graph_db, read_only=True)
    yield HybridRetriever.from_config(RetrievalResources(store, embedder_for_store(store)))
    store.close()


def test_answer_keeps_only_the_citations_used(hybrid) -> None:
    llm = FakeLLM(lambda messages: "He was born in Graz [2].")
    res = Answerer(hybrid, llm, AnswerConfig(top_k=3)).answer(
        "Where was the director of film Our Emden born?"
    )
    prompt = llm.prompts[0][-1].content
    assert "[1] Our Emden:" in prompt and "[2] Louis Ralph:" in prompt
    assert prompt.endswith("Question: Where was the director of film Our Emden born?")
    assert res.answer.text == "He was born in Graz [2]."
    assert [c.title for c in res.answer.citations] == ["Louis Ralph"]
    assert [c.number for c in res.sources] == [1, 2, 3]
    assert res.llm == "fake"
    assert {"embed", "bm25", "vector", "graph-context", "fusion", "packing", "generate", "total"} <= set(
        res.answer.timings_s
    )
    assert res.answer.paths and res.answer.paths[0].nodes[-1] == "passage 'Louis Ralph'"
    out = ask_result_dict(res)
    assert out["citations"][0]["title"] == "Louis Ralph"
    assert out["graph"]["linked"][0]["surface"] == "Our Emden"


def test_a_model_that_cites_nothing_is_noted(hybrid) -> None:
    res = Answerer(hybrid, FakeLLM("Graz"), AnswerConfig(top_k=2)).answer("Where was Louis Ralph born?")
    # the source holding the answer is cited for it, and the note says so
    assert res.answer.text == "Graz" and [c.title for c in res.answer.citations] == ["Louis Ralph"]
    assert any("cited no source; [" in n and "holds its answer" in n for n in res.notes)
    # an answer that no source holds stays uncited, with a lower support
    res2 = Answerer(hybrid, FakeLLM("Vienna"), AnswerConfig(top_k=2)).answer("Where was Louis Ralph born?")
    assert res2.answer.citations == () and res2.support.score < res.support.score
    assert any("cited no source; the sources it was given are listed" in n for n in res2.notes)


def test_no_model_answers_plainly(hybrid) -> None:
    res = Answerer(hybrid, None, AnswerConfig(llm="none", top_k=3)).answer(
        "When did Lothair II's mother die?"
    )
    assert res.llm == "none"
    assert res.answer.text.startswith("No language model was used")
    assert res.answer.citations == res.sources
    assert "generate" in res.answer.timings_s


def test_unknown_entity_gets_a_clear_note(hybrid) -> None:
    res = Answerer(hybrid, None).answer("Who is the father of Zorblax Quux?")
    assert any("no entity or title in the question was found" in n for n in res.notes)
    assert "No entity or title named in the question" in res.answer.text
