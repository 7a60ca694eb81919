"""Answers from evidence: the LLM seam (local GGUF model, OpenAI-compatible and Ollama endpoints, a fake for
tests), context packing under a token budget with numbered citations, the prompts, and the one
:class:`Answerer` that turns retrieval's evidence (passages, GNN-RAG candidates and reasoning paths) into a
cited answer -- or, without a model, states the evidence plainly.

A new LLM backend is a class with the :class:`LLM` protocol, added to :data:`graphrag.generate.llm.LLMS`.
"""

from graphrag.generate.answer import Answerer, AskResult, build_answerer
from graphrag.generate.answer_json import ask_result_dict
from graphrag.generate.llm import LLM, LLMS, FakeLLM, make_llm
from graphrag.generate.packing import PackedContext, pack_context

__all__ = [
    "LLM",
    "LLMS",
    "Answerer",
    "AskResult",
    "FakeLLM",
    "PackedContext",
    "ask_result_dict",
    "build_answerer",
    "make_llm",
    "pack_context",
]
