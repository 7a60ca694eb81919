"""Stages that rewrite chunk analyses after the NLP analyzer and before linking, in the main process:
schema mapping (:mod:`graphrag.extract.schema_mapping`) and LLM extraction
(:mod:`graphrag.extract.llm_extractor`). Each has a ``version``, part of every stored document's hash, so
changing one (another schema, another model) re-extracts the store on the next ingest."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from graphrag.extract.records import ChunkAnalysis


class AnalysisRefiner(Protocol):
    """Rewrites the analyses of a batch of chunk texts."""

    @property
    def version(self) -> str:
        """What the refiner's output depends on (part of every stored document's hash)."""

    def refine(self, texts: Sequence[str], analyses: Sequence[ChunkAnalysis]) -> list[ChunkAnalysis]:
        """One analysis per text, in order."""


def refiners_version(refiners: Sequence[AnalysisRefiner]) -> str:
    """The versions of ``refiners`` in order (empty when there are none, so rule-only stores keep their hashes)."""
    return "|".join(r.version for r in refiners)


def apply_refiners(
    refiners: Sequence[AnalysisRefiner], texts: Sequence[str], analyses: Sequence[ChunkAnalysis]
) -> list[ChunkAnalysis]:
    """Run ``analyses`` through each refiner in turn."""
    out = list(analyses)
    for r in refiners:
        out = r.refine(texts, out)
        if len(out) != len(texts):
            raise ValueError(f"{type(r).__name__} returned {len(out)} analyses for {len(texts)} texts")
    return out


__all__ = ["AnalysisRefiner", "apply_refiners", "refiners_version"]
