"""The OpenAI-compatible client on a scripted transport: retries with backoff, and a clear error for each way
an endpoint fails (down, too slow, HTTP errors, garbage)."""

from __future__ import annotations

import json
import socket

import httpx
import pytest

from graphrag.errors import RemoteLLMError
from graphrag.generate.remote_llm import OpenAICompatibleLLM, RetryPolicy
from graphrag.types import Message

URL = "http://llm.test/v1"
HELLO = [Message("user", "hello")]


def chat_reply(content: str) -> httpx.Response:
    return httpx.Response(200, json={"choices": [{"message": {"role": "assistant", "content": content}}]})


def scripted(*replies: httpx.Response | Exception):
    """A transport answering with ``replies`` in order, recording each request."""
    seen: list[httpx.Request] = []
    queue = list(replies)

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        reply = queue.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply

    return httpx.MockTransport(handle), seen


def client(transport, waits: list[float], **kw) -> OpenAICompatibleLLM:
    return OpenAICompatibleLLM(URL, "m", transport=transport, sleep=waits.append, **kw)


def test_a_chat_round_trip_sends_model_messages_and_options() -> None:
    transport, seen = scripted(chat_reply("Paris [1]"))
    llm = client(transport, [])
    assert llm.complete(HELLO, max_tokens=7, temperature=0.0) == "Paris [1]"
    body = json.loads(seen[0].content)
    assert seen[0].url == f"{URL}/chat/completions"
    assert body == {
        "model": "m",
        "messages": [{"role": "user", "content": "hello"}],
        "max_tokens": 7,
        "temperature": 0.0,
    }
    assert llm.name == "openai:m"


def test_json_replies_ask_for_the_schema() -> None:
    transport, seen = scripted(chat_reply('{"answer": "x", "cited": []}'))
    schema = {"type": "object"}
    assert client(transport, []).complete_json(HELLO, schema=schema, max_tokens=9) == '{"answer": "x", "cited": []}'
    assert json.loads(seen[0].content)["response_format"] == {"type": "json_object", "schema": schema}


def test_the_model_name_comes_from_the_server_when_not_given() -> None:
    transport, seen = scripted(httpx.Response(200, json={"data": [{"id": "served.gguf"}]}))
    llm = OpenAICompatibleLLM(URL, transport=transport)
    assert llm.model == "served.gguf" and seen[0].url == f"{URL}/models"


def test_busy_and_failing_servers_are_retried_with_growing_waits() -> None:
    transport, seen = scripted(
        httpx.Response(503, text="loading"),
        httpx.ConnectError("refused"),
        httpx.ReadTimeout("slow"),
        chat_reply("ok"),
    )
    waits: list[float] = []
    llm = client(transport, waits, retry=RetryPolicy(retries=3, backoff_s=0.5))
    assert llm.complete(HELLO, max_tokens=5) == "ok"
    assert len(seen) == 4 and waits == [0.5, 1.0, 2.0]


def test_retry_after_is_respected() -> None:
    transport, _ = scripted(httpx.Response(429, headers={"retry-after": "3"}, text="slow down"), chat_reply("ok"))
    waits: list[float] = []
    assert client(transport, waits).complete(HELLO, max_tokens=5) == "ok"
    assert waits == [3.0]


def test_giving_up_says_what_failed_and_how_often_it_was_tried() -> None:
    transport, seen = scripted(*[httpx.ReadTimeout("slow")] * 3)
    with pytest.raises(
        RemoteLLMError, match=r"no reply from http://llm.test/v1/chat/completions within 5 s \(tried 3 times\)"
    ):
        client(transport, [], timeout_s=5, retry=RetryPolicy(retries=2)).complete(HELLO, max_tokens=5)
    assert len(seen) == 3


def test_client_errors_are_not_retried_and_a_404_hints_at_the_url() -> None:
    transport, seen = scripted(httpx.Response(404, text="Not Found"))
    with pytest.raises(RemoteLLMError, match=r"HTTP 404: 'Not Found' \(check --base-url: it usually ends in /v1\)"):
        client(transport, []).complete(HELLO, max_tokens=5)
    assert len(seen) == 1


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (httpx.Response(200, text="<html>proxy login</html>"), "not JSON: '<html>proxy login</html>'"),
        (httpx.Response(200, json={"error": "x"}), "without choices\\[0\\].message.content"),
        (httpx.Response(200, json={"choices": []}), "without choices"),
    ],
)
def test_garbage_replies_are_clear_errors(reply, message) -> None:
    transport, _ = scripted(reply)
    with pytest.raises(RemoteLLMError, match=message):
        client(transport, []).complete(HELLO, max_tokens=5)


def test_an_endpoint_that_is_down_is_a_clear_error() -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    waits: list[float] = []
    llm = OpenAICompatibleLLM(f"http://127.0.0.1:{port}/v1", "m", sleep=waits.append, retry=RetryPolicy(retries=1))
    with pytest.raises(
        RemoteLLMError,
        match=rf"127.0.0.1:{port}/v1/chat/completions cannot be reached .* is the server running\? \(tried 2 times\)",
    ):
        llm.complete(HELLO, max_tokens=5)
    assert waits == [0.5]


def test_a_url_that_is_not_http_is_refused_up_front() -> None:
    with pytest.raises(RemoteLLMError, match="not an http"):
        OpenAICompatibleLLM("127.0.0.1:8000", "m")
