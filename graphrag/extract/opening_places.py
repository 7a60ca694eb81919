"""Where an opening name that ends in "in <place>" really ends: "The Estadio Municipal Coaracy da Mata Fonseca in
Arapiraca is the ground of ..." names the stadium, which is in Arapiraca; "Death in Venice is a 1971 film" names
the film."""

from __future__ import annotations

from typing import TYPE_CHECKING

from graphrag.extract.triple_arguments import LITERAL_LABELS, Node

if TYPE_CHECKING:
    from graphrag.extract.triple_arguments import NodeFinder

#: Words that end the name of a place people go to; "X Airport in Y" is X Airport, located in Y.
_FACILITY_NOUNS = frozenset({
    "airport", "stadium", "arena", "hall", "university", "college", "school", "academy", "institute", "museum",
    "station", "church", "cathedral", "bridge", "park", "hotel", "hospital", "library", "tower", "centre", "center",
    "castle", "palace", "theatre", "theater", "building", "club",
})  # fmt: skip


def without_place(finder: NodeFinder, node: Node | None) -> Node | None:
    """An opening name that ends in "in <place>" is the name before it when that part is a name in its own
    right: "The Estadio Municipal Coaracy da Mata Fonseca in Arapiraca" (an entity ends at "in"), "Adolfo
    Suarez Madrid-Barajas Airport in Alcobendas, Spain" (a facility noun ends at "in"); "Death in Venice" stays
    whole (neither)."""
    if node is None or node.start < 0:
        return node
    doc = finder.doc
    for t in doc[node.start + 1 : node.end - 1]:
        place = finder.ent_of.get(t.i + 1)
        if t.lower_ not in ("in", "at") or place is None or place.start != t.i + 1 or place.label != "GPE":
            continue
        before = finder.ent_of.get(t.i - 1)
        named = before is not None and before.end == t.i and before.label not in LITERAL_LABELS | {"GPE"}
        if not (named or (doc[t.i - 1].pos_ == "PROPN" and doc[t.i - 1].lower_ in _FACILITY_NOUNS)):
            return node
        start_char, end_char = node.start_char, doc[t.i - 1].idx + len(doc[t.i - 1])
        label = before.label if named and before is not None and before.start == node.start else ""
        return Node(node.start, t.i, finder.text[start_char:end_char], start_char, end_char, label, "name")
    return node


__all__ = ["without_place"]
