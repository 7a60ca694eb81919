"""Linking one batch: each document's mentions and triple ends resolved to entities, mentions and triples tied
to entity ids, ready for :func:`graphrag.extract.write_batch.commit_batch`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np

from graphrag.extract.entity_names import display_name
from graphrag.extract.entity_resolution import ResolvedEntity
from graphrag.extract.records import ChunkAnalysis, ExtractedBatch, ExtractedMention, LinkedMention, LinkedTriple
from graphrag.types import Chunk, Document, Entity, Mention, Triple


class Resolver(Protocol):
    """Maps the surface forms of one document's mentions to entities."""

    def resolve(self, mentions: Sequence[ExtractedMention]) -> Mapping[str, ResolvedEntity]:
        """Surface form -> entity, for every form that names something."""


def link_batch(
    docs: Sequence[Document],
    chunks: Sequence[Sequence[Chunk]],
    by_text: Mapping[str, ChunkAnalysis],
    vectors: np.ndarray,
    resolver: Resolver,
) -> ExtractedBatch:
    """Resolve each document's mentions (and triple ends) to entities and link mentions and triples to their ids.

    ``chunks[i]`` are the chunks of ``docs[i]``; ``by_text`` is the NLP analysis of each chunk text; ``vectors``
    are the chunk embeddings in chunk order. Only entities that a kept mention or triple uses are returned, once
    each; a triple whose ends resolve to nothing or to the same entity is dropped, as is a repeat within a chunk.
    """
    entities: dict[str, Entity] = {}
    used: dict[str, None] = {}  # ids referenced by a mention or a triple, in first-use order
    mentions: list[LinkedMention] = []
    triples: list[LinkedTriple] = []
    for doc, doc_chunks in zip(docs, chunks, strict=True):
        found = [(c, by_text[c.text]) for c in doc_chunks]
        surfaces = [m for _, a in found for m in a.mentions]
        known = {m.text for m in surfaces}
        for (
            _,
            a,
        ) in found:  # triple ends are mention texts by contract; anything else is resolved alongside
            for t in a.triples:
                for text, label in ((t.subject, t.subject_label), (t.object, t.object_label)):
                    if text not in known:
                        known.add(text)
                        surfaces.append(ExtractedMention(text, label, -1, -1))
        resolved = resolver.resolve(surfaces)
        for ent in resolved.values():
            _merge_entity(entities, ent)
        seen_triples: set[tuple[str, str, str, str]] = set()
        for chunk, a in found:
            for m in a.mentions:
                ent = resolved.get(m.text)
                if ent is None:
                    continue
                used[ent.id] = None
                mentions.append(
                    LinkedMention(
                        Mention(chunk.id, m.text, m.label, m.start_char, m.end_char), ent.id, doc.id
                    )
                )
            for t in a.triples:
                s, o = resolved.get(t.subject), resolved.get(t.object)
                if (
                    s is None or o is None or s.id == o.id
                ):  # a fact about nothing, or an entity about itself
                    continue
                key = (s.id, o.id, t.predicate, chunk.id)
                if key in seen_triples:
                    continue
                seen_triples.add(key)
                used[s.id] = used[o.id] = None
                triples.append(
                    LinkedTriple(
                        s.id,
                        o.id,
                        Triple(
                            s.name,
                            t.predicate,
                            o.name,
                            chunk_id=chunk.id,
                            doc_id=doc.id,
                            source=doc.source,
                            confidence=float(t.confidence),
                        ),
                    )
                )
    flat = tuple(c for cs in chunks for c in cs)
    return ExtractedBatch(
        documents=tuple(docs),
        chunks=flat,
        chunk_vectors=vectors,
        entities=tuple(entities[i] for i in used),
        mentions=tuple(mentions),
        triples=tuple(triples),
    )


def _merge_entity(entities: dict[str, Entity], ent: ResolvedEntity) -> None:
    """Keep one row per entity id in a batch: the first name and type seen, all aliases."""
    old = entities.get(ent.id)
    if old is None:
        entities[ent.id] = Entity(id=ent.id, name=ent.name, type=ent.type, aliases=tuple(ent.aliases))
        return
    extra = [a for a in ent.aliases if a not in old.aliases and a != old.name]
    if extra:
        entities[ent.id] = Entity(
            id=old.id, name=old.name, type=old.type, aliases=old.aliases + tuple(sorted(extra))
        )


def display_forms(analyses: Iterable[ChunkAnalysis]) -> list[str]:
    """Every name a batch may need a vector for (entity names and resolver candidates are among them)."""
    forms: dict[str, None] = {}
    for a in analyses:
        for m in a.mentions:
            f = display_name(m.text)
            if f:
                forms[f] = None
    return list(forms)


__all__ = ["Resolver", "display_forms", "link_batch"]
