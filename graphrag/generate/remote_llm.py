"""An OpenAI-compatible chat endpoint behind the LLM seam: llama.cpp's and llama-cpp-python's servers, vLLM,
Ollama's ``/v1``, LM Studio, OpenAI itself.

One ``POST {base_url}/chat/completions`` per call, over ``httpx``, with what a remote model needs and a local one
does not:

* a **timeout** per request (``timeout_s``);
* **retries with exponential backoff** (:class:`RetryPolicy`) when the endpoint cannot be reached, times out,
  or answers 429 / 5xx; never for other 4xx replies, which do not get better by asking again;
* a **clear error** (:class:`~graphrag.errors.RemoteLLMError`) naming the URL and what went wrong: not running,
  too slow, an HTTP error with the start of its body, or a reply that is not the JSON of a chat completion;
* the model name asked of ``/models`` when none is given (servers that host one model, as llama.cpp's do).

It is thread-safe (``httpx.Client`` is), so ``eval qa --workers N`` asks it N questions at a time.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from graphrag.errors import RemoteLLMError
from graphrag.generate.packing import approx_tokens
from graphrag.types import Message

_RETRY_STATUS = frozenset({408, 409, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to ask again: ``retries`` more tries after the first, waiting
    ``backoff_s``, then twice that, ... at most ``max_backoff_s`` (a server's ``Retry-After`` wins when longer)."""

    retries: int = 2
    backoff_s: float = 0.5
    max_backoff_s: float = 8.0

    def delays(self) -> Iterator[float]:
        """The waits before each retry."""
        for k in range(self.retries):
            yield min(self.max_backoff_s, self.backoff_s * (2**k))


class OpenAICompatibleLLM:
    """A chat model served over the OpenAI chat-completions API.

    Args:
        base_url: the API root, ending in ``/v1`` (``http://127.0.0.1:8000/v1``).
        model: the model name; empty asks the server's ``/models`` for its first one.
        api_key: sent as a bearer token when given.
        timeout_s: seconds to wait for one reply.
        retry: when and how long to wait before asking again.
        context_tokens: the model's window, to pack context for.
        transport: an ``httpx`` transport (tests pass a ``MockTransport``); default: the network.
        sleep: how to wait between tries (tests pass a recorder).
    """

    def __init__(
        self,
        base_url: str,
        model: str = "",
        *,
        api_key: str = "",
        timeout_s: float = 60.0,
        retry: RetryPolicy | None = None,
        context_tokens: int = 4096,
        transport: Any = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import httpx

        if not base_url.startswith(("http://", "https://")):
            raise RemoteLLMError(f"the LLM endpoint {base_url!r} is not an http(s) URL (e.g. http://127.0.0.1:8000/v1)")
        self.base_url = base_url.rstrip("/")
        self.timeout_s = timeout_s
        self.retry = retry or RetryPolicy()
        self.context_tokens = context_tokens
        self._sleep = sleep
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = httpx.Client(timeout=timeout_s, headers=headers, transport=transport)
        self.model = model or self._served_model()
        self.name = f"openai:{self.model}"

    # -- the seam --------------------------------------------------------------------------------------------
    def count_tokens(self, text: str) -> int:
        """An estimate (a remote tokenizer is not available offline)."""
        return approx_tokens(text)

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float = 0.0) -> str:
        """The model's chat reply."""
        return self._chat(messages, max_tokens=max_tokens, temperature=temperature)

    def complete_json(self, messages: Sequence[Message], *, schema: dict[str, Any], max_tokens: int) -> str:
        """The reply with the server asked for JSON under ``schema`` (``response_format`` as llama.cpp's servers
        read it). A server may ignore the request: callers validate what comes back."""
        fmt = {"type": "json_object", "schema": schema}
        return self._chat(messages, max_tokens=max_tokens, temperature=0.0, response_format=fmt)

    def close(self) -> None:
        """Close the connection pool."""
        self._client.close()

    # -- HTTP ------------------------------------------------------------------------------------------------
    def _chat(self, messages: Sequence[Message], **options: Any) -> str:
        body = {"model": self.model, "messages": [{"role": m.role, "content": m.content} for m in messages]}
        reply = self._request("POST", "/chat/completions", {**body, **options})
        try:
            content = reply["choices"][0]["message"]["content"]
        except (KeyError, IndexError, TypeError):
            raise RemoteLLMError(
                f"{self.base_url}/chat/completions replied JSON without choices[0].message.content: "
                f"{_clip(json.dumps(reply))}"
            ) from None
        return str(content or "")

    def _served_model(self) -> str:
        reply = self._request("GET", "/models", None)
        try:
            return str(reply["data"][0]["id"])
        except (KeyError, IndexError, TypeError):
            raise RemoteLLMError(
                f"{self.base_url}/models lists no model; name one with --model (or [answer] model = ...)"
            ) from None

    def _request(self, method: str, path: str, body: dict[str, Any] | None) -> Any:
        """One request with retries; the parsed JSON reply, or a :class:`RemoteLLMError` saying why not."""
        import httpx

        url = self.base_url + path
        delays = self.retry.delays()
        tries = 0
        while True:
            tries += 1
            problem, wait = "", 0.0
            try:
                response = self._client.request(method, url, json=body)
            except httpx.TimeoutException:
                problem = f"no reply from {url} within {self.timeout_s:g} s"
            except httpx.TransportError as exc:
                reason = str(exc) or type(exc).__name__
                problem = f"the LLM endpoint {url} cannot be reached ({reason}); is the server running?"
            else:
                if response.status_code < 400:
                    return _json_body(response, url)
                problem = f"{url} answered HTTP {response.status_code}: {_clip(response.text)}"
                if response.status_code not in _RETRY_STATUS:
                    hint = " (check --base-url: it usually ends in /v1)" if response.status_code == 404 else ""
                    raise RemoteLLMError(problem + hint)
                wait = _retry_after(response)
            delay = next(delays, None)
            if delay is None:
                raise RemoteLLMError(f"{problem} (tried {tries} time{'s' if tries > 1 else ''})")
            self._sleep(max(delay, wait))


def _json_body(response: Any, url: str) -> Any:
    try:
        return response.json()
    except (json.JSONDecodeError, UnicodeDecodeError, ValueError):
        raise RemoteLLMError(f"{url} replied with something that is not JSON: {_clip(response.text)}") from None


def _retry_after(response: Any) -> float:
    try:
        return min(60.0, float(response.headers.get("retry-after", 0)))
    except ValueError:
        return 0.0


def _clip(text: str, limit: int = 200) -> str:
    t = " ".join(str(text).split())
    return repr(t[:limit] + (" ..." if len(t) > limit else ""))


__all__ = ["OpenAICompatibleLLM", "RetryPolicy"]
