"""The Ask page's heavy objects, built once and cached: the embedder, the hybrid retriever over a database
generation, the LLM, and the answerer that ties them together."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass
from typing import Any

import streamlit as st
from ui_store import SharedStore, StoreProxy

from graphrag.config import AnswerConfig, RetrieveConfig
from graphrag.embed import Embedder
from graphrag.errors import ModelUnavailableError

# Loads the local model and generates one token, in a child process (see local_llm_problem).
_PROBE = (
    "import sys\n"
    "from graphrag.config import AnswerConfig\n"
    "from graphrag.generate.llm import make_llm\n"
    "from graphrag.generate.prompts import Message\n"
    "llm = make_llm(AnswerConfig(llm='local', model=sys.argv[1]))\n"
    "llm.complete([Message('user', 'Hello')], max_tokens=1)\n"
)

LLM_CHOICES = {
    "local": "Local model (offline, SmolLM2 shipped with the install)",
    "none": "No model: state the best passages and entities",
    "openai": "Remote: an OpenAI-compatible endpoint",
    "ollama": "Remote: Ollama",
}


@dataclass(frozen=True)
class LLMChoice:
    """Which LLM the user picked and, for remote ones, where it lives."""

    llm: str = "local"
    model: str = ""
    base_url: str = ""


@st.cache_resource(show_spinner="Loading the embedding model…", max_entries=4)
def cached_embedder(recorded: str, _store: Any) -> Embedder:
    """The embedder a database was built with (``recorded`` is its ``embedder`` meta value), loaded once;
    the default embedder for a database not created yet (``_store`` is ``None``)."""
    from graphrag.embed import make_embedder
    from graphrag.retrieve.base import embedder_for_store

    if _store is None:
        return make_embedder(RetrieveConfig().embedder)
    return embedder_for_store(_store, RetrieveConfig().embedder)


@st.cache_resource(show_spinner="Indexing the database for retrieval…", max_entries=4)
def cached_retriever(path: str, generation: int, recorded: str, _shared: SharedStore) -> Any:
    """The hybrid retriever over one generation of a database; a write (here or elsewhere) makes a new one.

    It reads through a :class:`StoreProxy`, so the cached retriever never keeps the database open.
    """
    from graphrag.generate.answer import build_answerer

    del path, generation  # cache keys
    proxy = StoreProxy(_shared)
    embedder = cached_embedder(recorded, proxy)
    return build_answerer(
        proxy, RetrieveConfig(), AnswerConfig(llm="none"), llm=None, embedder=embedder
    ).retriever  # type: ignore[arg-type]


@st.cache_resource(show_spinner="Checking that the local model runs on this machine…", max_entries=2)
def local_llm_problem(model: str) -> str | None:
    """Why the local model cannot be used here, or ``None`` when a one-token trial generation works.

    The trial runs in a child process because a native crash (e.g. a llama.cpp build using CPU instructions
    this machine lacks) would otherwise take the whole app down with it; it runs once per app process.
    """
    try:
        proc = subprocess.run(
            [sys.executable, "-c", _PROBE, model], capture_output=True, text=True, timeout=300, check=False
        )
    except subprocess.TimeoutExpired:
        return "the local model did not answer a one-token trial within 5 minutes"
    if proc.returncode == 0:
        return None
    if proc.returncode < 0:
        name = signal.Signals(-proc.returncode).name
        return (
            f"the local model crashed in a trial run ({name}); its native library cannot run on this "
            "machine. Choose “No model” or a remote model."
        )
    last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
    return f"the local model could not be loaded: {last}"


@st.cache_resource(show_spinner="Loading the language model…", max_entries=3)
def cached_llm(choice: LLMChoice) -> Any:
    """The LLM for ``choice`` (``None`` for ``none``), loaded once."""
    from graphrag.generate.llm import make_llm

    return make_llm(AnswerConfig(llm=choice.llm, model=choice.model, base_url=choice.base_url))


def ask(shared: SharedStore, question: str, choice: LLMChoice, *, k: int) -> Any:
    """Answer ``question`` over the shared database; returns the answerer's ``AskResult``."""
    from graphrag.generate.answer import Answerer

    if choice.llm == "local":
        problem = local_llm_problem(choice.model)
        if problem is not None:
            raise ModelUnavailableError(problem)
    with shared.read() as store:
        recorded = store.meta().get("embedder", "")
        retriever = cached_retriever(str(shared.path), shared.generation, recorded, shared)
        llm = cached_llm(choice)
        config = AnswerConfig(llm=choice.llm, model=choice.model, base_url=choice.base_url, top_k=k)
        return Answerer(retriever, llm, config).answer(question, k=k)
