"""Linking one batch: each document's mentions and triple ends resolved to entities, mentions and triples tied
to entity ids, and each chunk tied to what it is about (``ABOUT``), ready for
:func:`graphrag.extract.write_batch.commit_batch`.

A passage's topic (its title, or its first sentence's subject: :mod:`graphrag.extract.passage_topic`) is one
entity with the other names the passage gives it ("Andrew James Somers, known as Andy Summers"): the names are
merged under the topic's, so the facts told about either land on one node. Every chunk of a document is about
the document's topic (its first chunk's), and a later chunk also about its own, when it has one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Protocol

import numpy as np

from graphrag.extract.entity_names import display_name
from graphrag.extract.entity_resolution import ResolvedEntity
from graphrag.extract.records import (
    ChunkAnalysis,
    ExtractedBatch,
    ExtractedMention,
    LinkedAbout,
    LinkedMention,
    LinkedTriple,
)
from graphrag.types import Chunk, Document, Entity, Mention, Triple

_LOWER_WORD = re.compile(r"(?<![\w'-])[a-z][a-z]+(?![\w'-])")


class Resolver(Protocol):
    """Maps the surface forms of one document's mentions to entities."""

    def resolve(
        self, mentions: Sequence[ExtractedMention], common_words: frozenset[str] = frozenset()
    ) -> Mapping[str, ResolvedEntity]:
        """Surface form -> entity, for every form that names something (``common_words``: the words the
        document also writes in lower case, which are no one's short name)."""


def lowercase_words(texts: Iterable[str]) -> frozenset[str]:
    """The words the texts write in lower case ("film" in "a 2013 German drama film")."""
    return frozenset(w for t in texts for w in _LOWER_WORD.findall(t))


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
    used: dict[str, None] = {}  # ids referenced by a mention, a triple or an ABOUT edge, in first-use order
    mentions: list[LinkedMention] = []
    triples: list[LinkedTriple] = []
    about: list[LinkedAbout] = []
    about_pairs: set[tuple[str, str]] = set()  # (chunk id, entity id) of ``about``: a list scan made batches quadratic
    for doc, doc_chunks in zip(docs, chunks, strict=True):
        found = [(c, by_text[c.text]) for c in doc_chunks]
        surfaces = [m for _, a in found for m in a.mentions]
        known = {m.text for m in surfaces}
        extra = [  # triple ends are mention texts by contract; topics and anything else are resolved alongside
            *((t.subject, t.subject_label) for _, a in found for t in a.triples),
            *((t.object, t.object_label) for _, a in found for t in a.triples),
            *(a.about for _, a in found if a.about is not None),
            *((alias, "") for _, a in found for alias in a.aliases),
        ]
        for text, label in extra:
            if text not in known:
                known.add(text)
                surfaces.append(ExtractedMention(text, label, -1, -1))
        common = lowercase_words(c.text for c in doc_chunks)
        resolved = _with_topic_aliases(dict(resolver.resolve(surfaces, common)), [a for _, a in found])
        for ent in resolved.values():
            _merge_entity(entities, ent)
        doc_topic = next((resolved.get(a.about[0]) for _, a in found if a.about is not None), None)
        for chunk, a in found:
            own = resolved.get(a.about[0]) if a.about is not None else None
            for ent, source in ((own, a.about_source), (doc_topic, "document")):
                if ent is not None and (chunk.id, ent.id) not in about_pairs:
                    about_pairs.add((chunk.id, ent.id))
                    used[ent.id] = None
                    about.append(LinkedAbout(chunk.id, ent.id, doc.id, source))
        seen_triples: set[tuple[str, str, str, str]] = set()
        for chunk, a in found:
            for m in a.mentions:
                ent = resolved.get(m.text)
                if ent is None:
                    continue
                used[ent.id] = None
                mentions.append(
                    LinkedMention(Mention(chunk.id, m.text, m.label, m.start_char, m.end_char), ent.id, doc.id)
                )
            for t in a.triples:
                s, o = resolved.get(t.subject), resolved.get(t.object)
                if s is None or o is None or s.id == o.id:  # a fact about nothing, or an entity about itself
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
                            rule=t.rule,
                        ),
                        t.start_char,
                        t.end_char,
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
        about=tuple(about),
    )


def _with_topic_aliases(
    resolved: dict[str, ResolvedEntity], analyses: Sequence[ChunkAnalysis]
) -> dict[str, ResolvedEntity]:
    """Merge each topic's other names into the topic's entity (its name and id stay the topic's)."""
    for a in analyses:
        if a.about is None or not a.aliases:
            continue
        topic = resolved.get(a.about[0])
        if topic is None:
            continue
        for alias in a.aliases:
            other = resolved.get(alias)
            if other is None or other.id == topic.id:
                continue
            names = [n for n in (other.name, *other.aliases) if n != topic.name and n not in topic.aliases]
            topic = ResolvedEntity(topic.id, topic.name, topic.type or other.type, topic.aliases + tuple(names))
            for surface, ent in list(resolved.items()):
                if ent.id == other.id:
                    resolved[surface] = topic
        for surface, ent in list(resolved.items()):
            if ent.id == topic.id:
                resolved[surface] = topic
    return resolved


def _merge_entity(entities: dict[str, Entity], ent: ResolvedEntity) -> None:
    """Keep one row per entity id in a batch: the first name and type seen, all aliases (sorted)."""
    old = entities.get(ent.id)
    if old is None:
        entities[ent.id] = Entity(id=ent.id, name=ent.name, type=ent.type, aliases=tuple(sorted(set(ent.aliases))))
        return
    extra = [a for a in ent.aliases if a not in old.aliases and a != old.name]
    if extra:
        aliases = tuple(sorted({*old.aliases, *extra}))
        entities[ent.id] = Entity(id=old.id, name=old.name, type=old.type, aliases=aliases)


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
