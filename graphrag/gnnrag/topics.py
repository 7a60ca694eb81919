"""Topic entities: which KG entities a question is about, and the question text the reasoner embeds.

MetaQA-style questions mark their topic entity in ``[brackets]``; other questions go to a topic linker
(:data:`TopicLinker`), by default :class:`KGNameLinker`, which matches word spans against the KG's names. Topic
mentions are masked in the embedded text, so questions that differ only in their entity share one embedding.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from graphrag.gnnrag.kgqa_files import BRACKETED, mask_topics
from graphrag.gnnrag.subgraph import KGIndex
from graphrag.ids import entity_id

#: ``question -> [(surface text, entity id), ...]`` for questions without ``[brackets]``.
TopicLinker = Callable[[str], Sequence[tuple[str, str]]]


class KGNameLinker:
    """Finds topic entities by name: the longest word n-grams of the question that are entity names, exactly,
    else ignoring case. Only spans with a capitalised or numeric word count, so "films" never links to a tag
    called *films*. A small default for questions without brackets; any :data:`TopicLinker` can replace it.

    Args:
        index: the in-memory KG.
        max_ngram: longest span tried, in words.
        lowercase_spans: also link spans of two or more all-lowercase words that are an entity's exact name
            (KGs with lowercase names, such as MetaQA's tags: "films described by eva mendes").
    """

    def __init__(self, index: KGIndex, *, max_ngram: int = 8, lowercase_spans: bool = False) -> None:
        self.index = index
        self.max_ngram = max_ngram
        self.lowercase_spans = lowercase_spans

    def __call__(self, question: str) -> list[tuple[str, str]]:
        """``(surface, entity id)`` pairs, longest spans first."""
        words = question.replace("?", " ").split()
        taken = [False] * len(words)
        found: list[tuple[str, str]] = []
        for size in range(min(self.max_ngram, len(words)), 0, -1):
            for case_sensitive in (True, False):
                for i in range(len(words) - size + 1):
                    if any(taken[i : i + size]):
                        continue
                    span = " ".join(words[i : i + size]).strip(".,;:!\"'")
                    marked = any(w[:1].isupper() or w[:1].isdigit() for w in span.split())
                    if not marked and not (self.lowercase_spans and case_sensitive and size > 1):
                        continue
                    if size == 1 and not case_sensitive:
                        continue  # single words only link with their exact case ("It" is not the entity "IT")
                    nodes = self.index.lookup_name(span, case_sensitive=case_sensitive)
                    if nodes:
                        taken[i : i + size] = [True] * size
                        found += [(span, self.index.ids[n]) for n in nodes]
        return found


def resolve_topics(
    index: KGIndex, question: str, *, mask: str = "it", linker: TopicLinker | None = None
) -> tuple[list[int], str]:
    """KG node indices of the question's topic entities, and the question text to embed.

    ``[Bracketed]`` names are looked up exactly, then ignoring case, then by their entity id; a question
    without brackets goes to ``linker`` (default :class:`KGNameLinker`). Topic mentions are replaced by
    ``mask`` in the returned text (``""`` keeps the names, without brackets).
    """
    bracketed = [" ".join(m.split()) for m in BRACKETED.findall(question)]
    nodes: list[int] = []
    if bracketed:
        for name in bracketed:
            found = index.lookup_name(name) or index.lookup_name(name, case_sensitive=False)
            if not found and entity_id(name) in index.id_to_index:
                found = [index.id_to_index[entity_id(name)]]
            nodes += found
        text = mask_topics(question, mask) if mask else BRACKETED.sub(lambda m: m.group(1), question)
        return list(dict.fromkeys(nodes)), text
    text = question
    for surface, eid in (linker or KGNameLinker(index))(question):
        if eid in index.id_to_index:
            nodes.append(index.id_to_index[eid])
            if mask:
                text = text.replace(surface, mask)
    return list(dict.fromkeys(nodes)), " ".join(text.split())


__all__ = ["KGNameLinker", "TopicLinker", "resolve_topics"]
