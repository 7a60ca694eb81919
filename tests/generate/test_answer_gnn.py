"""Answers with GNN-RAG in the hybrid: reasoning paths and passages in one prompt (GNN-RAG + RA), GNN-RAG's own
prompt for a KG without passages, the no-model answer, and the candidates in the answer and its JSON."""

from __future__ import annotations

import pytest

from graphrag.config import AnswerConfig, RetrieveConfig
from graphrag.generate.answer import build_answerer
from graphrag.generate.answer_json import ask_result_dict
from graphrag.generate.kg_prompt import GNNRAG_INSTRUCTION
from graphrag.generate.llm import FakeLLM
from graphrag.generate.prompts import ANSWER_SYSTEM, ANSWER_SYSTEM_PATHS, answer_messages
from graphrag.generate.structured_answer import STRUCTURED_SYSTEM_PATHS
from graphrag.store import KuzuGraphStore


def director(toy, film: str) -> str:
    return next(t for h, r, t in toy.triples if h == film and r == "directed_by")


@pytest.fixture(scope="module")
def stores(toy_gnn_stores):
    opened = {k: KuzuGraphStore(toy_gnn_stores[k], read_only=True) for k in ("text", "imported")}
    yield opened
    for s in opened.values():
        s.close()


def test_answer_messages_put_reasoning_paths_beside_the_sources() -> None:
    [system, user] = answer_messages("who directed Heat?", "[1] Heat: Heat is a film.", reasoning_paths=["a -> r -> b"])
    assert system.content == ANSWER_SYSTEM_PATHS and "reasoning paths" in system.content
    assert user.content.index("[1] Heat") < user.content.index("Reasoning paths:\na -> r -> b")
    assert user.content.endswith("Question: who directed Heat?")
    assert answer_messages("q", "[1] x")[0].content == ANSWER_SYSTEM  # without paths: as before


def test_one_prompt_holds_the_reasoning_paths_and_the_numbered_passages(stores, toy_gnn_stores) -> None:
    toy = toy_gnn_stores["toy"]
    who = director(toy, "Film 3")
    llm = FakeLLM(f"{who} directed it [1].")
    answerer = build_answerer(stores["text"], RetrieveConfig(), AnswerConfig(llm="fake"), llm=llm)
    res = answerer.answer("who directed [Film 3]", k=3)
    [prompt] = llm.prompts
    user = prompt[-1].content
    assert prompt[0].content == STRUCTURED_SYSTEM_PATHS  # a model that can be held to JSON is asked for JSON
    assert f"Reasoning paths:\nFilm 3 -> directed_by -> {who}" in user
    assert "[1] Film 3: Film 3 is a" in user and "[2] " in user  # the passages, numbered, in the same prompt
    assert res.answer.text == f"{who} directed it [1]." and res.answer.citations[0].title == "Film 3"
    assert res.answer.candidates[0].name == who and res.gnn_checkpoint.endswith("toy-gnn.pt")
    assert res.answer.paths[0].verbalise() == f"Film 3 -> directed_by -> {who}"
    assert res.llm == "fake"


def test_reasoning_paths_are_capped_and_leave_room_for_the_passages(stores) -> None:
    llm = FakeLLM("I don't know.", context_tokens=400)
    cfg = AnswerConfig(llm="fake", max_reasoning_paths=1)
    res = build_answerer(stores["text"], RetrieveConfig(), cfg, llm=llm).answer("which actors starred in [Film 12]")
    user = llm.prompts[0][-1].content
    block = user.split("Reasoning paths:\n")[1].split("\n\n")[0]
    assert len(block.splitlines()) == 1 < len(res.retrieval.kg_paths)
    assert llm.count_tokens(user) <= 400 - cfg.max_answer_tokens


def test_a_kg_without_passages_uses_the_gnnrag_prompt_and_a_list_of_answers(stores, toy_gnn_stores) -> None:
    toy = toy_gnn_stores["toy"]
    actors = sorted(t for h, r, t in toy.triples if h == "Film 12" and r == "starred_actors")
    llm = FakeLLM(str(actors))
    answerer = build_answerer(stores["imported"], RetrieveConfig(), AnswerConfig(llm="fake"), llm=llm)
    res = answerer.answer("which actors starred in [Film 12]")
    user = llm.prompts[0][-1].content
    assert user.startswith(GNNRAG_INSTRUCTION) and "Reasoning Paths:\nFilm 12 -> starred_actors -> " in user
    assert res.answer.text == ", ".join(actors) and res.sources == () and res.answer.citations == ()
    assert {c.name for c in res.answer.candidates} >= set(actors)


def test_without_a_model_the_answer_is_the_candidates_with_paths_and_passages(stores, toy_gnn_stores) -> None:
    who = director(toy_gnn_stores["toy"], "Film 3")
    text_store = build_answerer(stores["text"], RetrieveConfig(), AnswerConfig(llm="none"), llm=None)
    res = text_store.answer("who directed [Film 3]", k=3)
    lines = res.answer.text.splitlines()
    assert lines[0].startswith("No language model was used. Candidates from the knowledge graph")
    assert lines[1].startswith(f"- {who} (p=") and lines[1].endswith(f"via Film 3 -> directed_by -> {who}")
    assert "Best passage [1] Film 3: Film 3 is a" in res.answer.text and res.llm == "none"
    imported = build_answerer(stores["imported"], RetrieveConfig(), AnswerConfig(llm="none"), llm=None)
    res2 = imported.answer("who directed [Film 3]")
    assert f"- {who} (p=" in res2.answer.text and "Best passage" not in res2.answer.text
    assert res2.notes == ()


def test_json_has_candidates_with_probabilities_and_reasoning_paths(stores, toy_gnn_stores) -> None:
    who = director(toy_gnn_stores["toy"], "Film 3")
    answerer = build_answerer(stores["imported"], RetrieveConfig(), AnswerConfig(llm="none"), llm=None)
    data = ask_result_dict(answerer.answer("who directed [Film 3]"))
    assert data["candidates"][0]["name"] == who and 0.5 < data["candidates"][0]["probability"] <= 1.0
    assert data["candidates"][0]["paths"] == [f"Film 3 -> directed_by -> {who}"]
    assert f"Film 3 -> directed_by -> {who}" in data["reasoning_paths"]
    assert data["gnn_checkpoint"].endswith("toy-gnn.pt") and "gnn/gnn" in data["timings_s"]
    off = build_answerer(stores["imported"], RetrieveConfig(gnn="off"), AnswerConfig(llm="none"), llm=None)
    plain = ask_result_dict(off.answer("who directed [Film 3]"))
    assert plain["candidates"] == [] and plain["reasoning_paths"] == [] and plain["gnn_checkpoint"] is None


def test_no_topic_entity_in_the_kg_is_said_plainly(stores) -> None:
    answerer = build_answerer(stores["text"], RetrieveConfig(), AnswerConfig(llm="none"), llm=None)
    res = answerer.answer("what is the meaning of life?")
    assert res.answer.candidates == () and res.gnn_checkpoint
    assert any("no entity or title in the question was found" in n for n in res.notes)
    assert "No language model was used" in res.answer.text  # the passages from keyword and vector search


def test_a_model_answer_that_names_no_candidate_gets_a_note(stores, toy_gnn_stores) -> None:
    who = director(toy_gnn_stores["toy"], "Film 3")
    llm = FakeLLM("['Nobody at all']")
    res = build_answerer(stores["imported"], RetrieveConfig(), AnswerConfig(llm="fake"), llm=llm).answer(
        "who directed [Film 3]"
    )
    assert res.answer.text == "Nobody at all"
    note = f"the model's answer names none of the GNN's candidates (best: {who}, p="
    assert any(n.startswith(note) for n in res.notes)
    good = FakeLLM(f"['{who}']")
    res = build_answerer(stores["imported"], RetrieveConfig(), AnswerConfig(llm="fake"), llm=good).answer(
        "who directed [Film 3]"
    )
    assert res.answer.text == who and res.notes == ()


def test_the_extractive_answerer_on_a_kg_without_passages_answers_with_the_best_candidate(
    stores, toy_gnn_stores
) -> None:
    toy = toy_gnn_stores["toy"]
    answerer = build_answerer(stores["imported"], RetrieveConfig(), AnswerConfig(llm="extractive"))
    res = answerer.answer("who directed [Film 3]")
    assert res.answer.text == director(toy, "Film 3") == res.answer.candidates[0].name
    assert res.llm == "extractive" and res.answer.paths and not res.answer.citations
    assert any("best candidate" in n for n in res.notes)
