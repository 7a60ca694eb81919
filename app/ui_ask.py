"""The Ask page's model choice and the guard around the local model; the retriever and the models are loaded
and kept by the page's :class:`~graphrag.api.GraphRAG` object, or by the server a served explorer asks."""

from __future__ import annotations

import signal
import subprocess
import sys
from dataclasses import dataclass

import streamlit as st

from graphrag.api import GraphRAG
from graphrag.errors import ModelUnavailableError
from graphrag.generate.answer import AskResult
from graphrag.serve.client import ServerClient

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
    "extractive": "No model: read a short answer out of the passages (the best-scoring default)",
    "local": "Local model (offline, SmolLM2 shipped with the install)",
    "gemma": "Local base model (offline, Gemma 3 270M shipped with the install)",
    "none": "No model: state the best passages and entities",
    "openai": "Remote: an OpenAI-compatible endpoint",
    "ollama": "Remote: Ollama",
}


#: The answerer a served explorer offers first: whatever ``graphrag serve --llm`` set.
SERVER_DEFAULT = "server"
SERVED_LLM_CHOICES = {SERVER_DEFAULT: "The server's default (graphrag serve --llm)", **LLM_CHOICES}


@dataclass(frozen=True)
class LLMChoice:
    """Which LLM the user picked and, for remote ones, where it lives."""

    llm: str = "extractive"
    model: str = ""
    base_url: str = ""


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


def ask(rag: GraphRAG | ServerClient, question: str, choice: LLMChoice, *, k: int) -> AskResult:
    """Answer ``question`` with the model the user picked (a local model is tried in a child process first;
    a server loads and checks its own, with its configured endpoints)."""
    if isinstance(rag, ServerClient):
        return rag.ask(question, k=k, llm=None if choice.llm == SERVER_DEFAULT else choice.llm)
    if choice.llm == "local":
        problem = local_llm_problem(choice.model)
        if problem is not None:
            raise ModelUnavailableError(problem)
    return rag.ask(question, llm=choice.llm, k=k, model=choice.model, base_url=choice.base_url)
