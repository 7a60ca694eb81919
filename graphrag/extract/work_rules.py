"""A work named after its maker and its kind: "The Velvet Underground album Squeeze", "the Train song
Mermaid", "the 2008 Terrence Malick film Days of Heaven".

The words before the kind noun name who made the work, the capitalised words after it name the work:
``(Squeeze, album by, Velvet Underground)``. The kind noun must be lower-case (in a title it would be part of
the name: "The Beatles Anthology Album"), preceded by a named entity (a person or an organisation, not a
date: "the 2008 film Days of Heaven" names no maker) and followed by a capitalised word.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.kind_nouns import WORK_KINDS
from graphrag.extract.triple_arguments import Node

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

    from graphrag.extract.triple_collector import Collector

_MAKER_LABELS = frozenset({"PERSON", "ORG", "NORP"})
_TITLE_LINKERS = frozenset({"of", "the", "a", "an", "in", "at", "on", "and", "to", "for", "with", "from"})


def work_name(doc_tokens: Span, first: Token) -> tuple[int, int] | None:
    """The token range of the capitalised title starting at ``first`` ("Days of Heaven"), or ``None``."""
    if not first.text[:1].isupper():
        return None
    end = first.i + 1
    while end < doc_tokens.end and _in_title(doc_tokens.doc[end]):
        end += 1
    return first.i, end


def _in_title(t: Token) -> bool:
    """A capitalised word or number, or a small word between two capitalised ones ("Days of Heaven")."""
    if t.text[:1].isupper() or t.like_num:
        return True
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    return t.lower_ in _TITLE_LINKERS and nxt is not None and nxt.text[:1].isupper() and nxt.pos_ == "PROPN"


def work_rules(x: Collector, sent: Span) -> None:
    """Add ``(work, "<kind> by", maker)`` for each maker-kind-title run of the sentence."""
    doc = sent.doc
    for tok in sent:
        if tok.lower_ not in WORK_KINDS or not tok.text.islower() or tok.i + 1 >= sent.end or tok.i == sent.start:
            continue
        maker_ent = x.f.ent_of.get(tok.i - 1)
        if maker_ent is None or maker_ent.end != tok.i or maker_ent.label not in _MAKER_LABELS:
            continue
        span = work_name(sent, doc[tok.i + 1])
        maker = x.f.entity_node(maker_ent)
        if span is None or maker is None:
            continue
        start, end = span
        s, e = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
        ent = x.f.ent_of.get(start)
        label = ent.label if ent is not None and ent.start == start and ent.end == end else ""
        work = Node(start, end, x.f.text[s:e], s, e, label, "name")
        x.add(work, f"{tok.lower_} by", maker, "class")


__all__ = ["work_name", "work_rules"]
