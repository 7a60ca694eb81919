"""Dates and places told around a name: life dates in a parenthesis after a subject ("X (2 February 1886 - 10
August 1960)", "X (born 1950 in Vienna)", "X (died 875)") give ``(X, born, D)`` and ``(X, die, D)``; a place
given with the places that contain it ("born in Burbank, California"; "the Telavi district of Georgia") relates
the subject to each of them."""

from __future__ import annotations

import re

from graphrag.extract.literals import find_dates
from graphrag.extract.triple_arguments import Node
from graphrag.extract.triple_collector import PLACE_LABELS, RULE_WEIGHT, Collector


def life_dates(x: Collector, subject: Node) -> None:
    """Dates in parentheses right after a name: "X (2 February 1886 - 10 August 1960)" -> born, die; "X (born
    1950)" -> born; "X (died 875)" -> die; "X (born Manó Kaminer; December 24, 1886 - April 11, 1962)" reads the
    part after the last semicolon; "X (Edith Mathiesen) (15 November 1911 - 17 May 2003)": up to three
    parentheses in a row are read. The rest of a name or post-nominal letters may stand between the name and
    the parenthesis ("Louis the Junker of Hesse (1305 - 1345)" for the topic "Louis the Junker"; "X PC (I)
    (1697 - 1751)"; "Ann Hui On-wah, MBE, BBS, (born 1947)"), but no verb."""
    doc = x.doc
    if subject.start < 0 or subject.end >= len(doc):
        return
    text, at = x.f.text, _parenthesis_after(x, subject)
    if at < 0:
        return
    for _ in range(3):
        while at < len(text) and text[at] == " ":
            at += 1
        if at >= len(text) or text[at] not in "([":
            return
        depth, end_char = 0, -1
        for k in range(at, min(len(text), at + 400)):  # characters: "Kaminer(1886-1905)" is one token
            depth += (text[k] in "([") - (text[k] in ")]")
            if depth == 0:
                end_char = k
                break
        if end_char < 0:
            return
        if _dates_in_parenthesis(x, subject, at + 1, end_char):
            return
        at = end_char + 1


#: Words that may stand between a name and its life dates: the rest of a longer name ("of Hesse"), titles.
_NAME_TAIL_POS = frozenset({"PROPN", "ADP", "DET", "PUNCT", "NUM", "CCONJ", "PART"})


def _parenthesis_after(x: Collector, subject: Node) -> int:
    """Where the first parenthesis after ``subject`` opens, when only the rest of a name, post-nominal
    letters or punctuation stand between (at most eight tokens, none a verb); ``-1`` when there is none."""
    doc = x.doc
    for tok in doc[subject.end : min(len(doc), subject.end + 9)]:
        if tok.text.startswith(("(", "[")):
            return tok.idx
        caps = tok.text.isupper() and tok.text.isalpha() and len(tok.text) <= 5  # MBE, PC, FRS
        if tok.pos_ not in _NAME_TAIL_POS and not caps or tok.lower_ in ("is", "was", "who", "which"):
            return -1
        if tok.text in (".", ";", ":") or (tok.pos_ in ("DET", "ADP") and tok.i == subject.end and tok.lower_ != "of"):
            return -1
    return -1


def _dates_in_parenthesis(x: Collector, subject: Node, start_char: int, end_char: int) -> bool:
    """The life dates of one parenthesis; True when it had any."""
    inner = x.f.text[start_char:end_char]
    part_at = inner.rfind(";") + 1  # "born NAME; D1 - D2": the dates follow the last semicolon
    part = inner[part_at:] if inner[part_at:].strip() else inner
    marker = _first_word(part) or _first_word(inner)  # "née Bystryn; born 1933": the part's own word
    dates = [(start_char + part_at + a, start_char + part_at + b) for a, b, _ in find_dates(inner[part_at:])]
    nodes = [n for n in (_char_node(x, a, b) for a, b in dates) if n is not None]
    if not nodes:
        return False
    if marker in ("born", "b") and (len(nodes) == 1 or part_at == 0 or _first_word(inner) != "born"):
        x.add(subject, "born", nodes[0], "life_dates")
        _places_after(x, subject, "born in", nodes[0].end_char, end_char)  # "(born 1969, Lyon, France)"
    elif marker in ("died", "d"):
        x.add(subject, "die", nodes[0], "life_dates")
        _places_after(x, subject, "die in", nodes[0].end_char, end_char)
    elif len(nodes) >= 2:
        gap = x.f.text[nodes[0].end_char : nodes[1].start_char]
        dash = _dash_at(gap)
        between = gap.lower().split()
        if dash >= 0 or not between or all(ch in "-\u2013\u2014 " for ch in "".join(between)):
            x.add(subject, "born", nodes[0], "life_dates")
            x.add(subject, "die", nodes[1], "life_dates")
            if dash >= 0:  # "(4 August 1889, Philadelphia - 24 June 1984, New York)": the places too
                split = nodes[0].end_char + dash
                _places_listed(x, subject, "born in", start_char + part_at, split)
                _places_listed(x, subject, "die in", split + 1, end_char)
    return True


def _first_word(text: str) -> str:
    return text.lstrip(" ;,").split(" ", 1)[0].lower().rstrip(".:") if text.strip() else ""


def _places_after(x: Collector, subject: Node, predicate: str, start_char: int, end_char: int) -> None:
    """ "(born 25 February 1969, Lyon, France)", "(died 1832 in Paris)": the places that follow the date, up to
    the next semicolon or dash, each a place of the event."""
    text = x.f.text
    stop = min([k for k in (text.find(c, start_char, end_char) for c in ";\u2013\u2014") if k >= 0] or [end_char])
    _places_listed(x, subject, predicate, start_char, stop)


def _places_listed(x: Collector, subject: Node, predicate: str, start_char: int, end_char: int) -> None:
    """The places among the comma-separated parts of a span, before or after its date: "(Madrid, 23 June 1862 -
    Schloss Nymphenburg, Munich, 4 December 1946)". A comma-separated name there is a place whatever the small
    model's NER calls it (it tags "Lyon" a person); at most three."""
    text = x.f.text
    at, found = start_char, 0
    for segment in re.split(r"(,)", text[start_char:end_char]):
        seg_start = at
        at += len(segment)
        words = segment.strip()
        if words.lower().startswith("in "):
            words = words[3:].strip()
        if not words or not words[0].isupper() or any(ch.isdigit() for ch in words) or found >= 3:
            continue
        s0 = text.find(words, seg_start, at)
        node = _name_node(x, s0, s0 + len(words))
        if node is not None:
            x.add(subject, predicate, node, "life_dates")
            found += 1


def _name_node(x: Collector, start_char: int, end_char: int) -> Node | None:
    """The entity or proper name that spans exactly these characters (a place's slot), else ``None``."""
    span = x.doc.char_span(start_char, end_char, alignment_mode="strict")
    if span is None or not all(t.pos_ == "PROPN" or t.is_punct or t.lower_ in ("of", "de", "upon") for t in span):
        return None
    ent = x.f.ent_of.get(span.start)
    if ent is not None and ent.start == span.start and ent.end == span.end:
        return x.f.entity_node(ent) if ent.label not in ("DATE", "CARDINAL", "NORP") else None
    return Node(span.start, span.end, span.text, start_char, end_char, "GPE", "name")


def _dash_at(gap: str) -> int:
    """Where the dash between two dates is in the text between them (-1 when there is none)."""
    for k, ch in enumerate(gap):
        if ch in "-\u2013\u2014\u2212" and (k == 0 or gap[k - 1] == " " or k + 1 == len(gap) or gap[k + 1] == " "):
            return k
    m = re.search(r"\bto\b", gap)
    return m.start() if m else -1


def _char_node(x: Collector, start_char: int, end_char: int) -> Node | None:
    """A DATE node for a character span of the passage: aligned to tokens when it can be, else the exact
    characters inside the token that holds them ("c.1762" is one token; the date is "1762")."""
    span = x.doc.char_span(start_char, end_char, alignment_mode="contract")
    if span is not None and len(span):
        s, e = span.start_char, span.end_char
        return Node(span.start, span.end, x.f.text[s:e], s, e, "DATE", "entity")
    span = x.doc.char_span(start_char, end_char, alignment_mode="expand")
    if span is None or not len(span):
        return None
    return Node(span.start, span.end, x.f.text[start_char:end_char], start_char, end_char, "DATE", "entity")


_ADMINISTRATIVE_UNITS = frozenset({
    "district", "county", "province", "region", "state", "municipality", "department", "prefecture",
    "governorate", "oblast", "raion", "commune", "parish", "canton", "borough", "township", "voivodeship",
})  # fmt: skip


def place_chain(x: Collector) -> None:
    """A place followed by the places that contain it ("Burbank, California"; "A, B Province, Iran"; "the
    Telavi district of Georgia"): every triple whose object is the first place also gets each containing
    place."""
    chains: dict[tuple[int, int], list[Node]] = {}
    for t in list(x.triples):
        o = t.object
        if o.start < 0 or (o.start, o.end) in chains:
            continue
        unit = x.doc[o.end - 1].lower_ in _ADMINISTRATIVE_UNITS  # "the Telavi district of Georgia"
        if o.label not in PLACE_LABELS and not unit:
            continue
        chain: list[Node] = []
        for tok in x.doc[o.start : o.end]:
            for c in tok.children:
                of = c.dep_ == "prep" and c.lower_ == "of" and unit
                for d in [g for g in c.children if g.dep_ == "pobj"] if of else [c]:
                    if d.dep_ in ("appos", "conj", "npadvmod", "pobj") and d.i >= o.end:
                        ent = x.f.ent_of.get(d.i)
                        n = x.f.entity_node(ent) if ent is not None and ent.label in PLACE_LABELS else None
                        if n is not None and _listed_after(x, o, n):
                            chain.append(n)
        k = 0
        while k < len(chain):  # "A, B, Iran": B hangs on A, Iran on B
            for tok in x.doc[chain[k].start : chain[k].end]:
                for c in tok.children:
                    ent = x.f.ent_of.get(c.i)
                    if c.dep_ in ("appos", "conj") and ent is not None and ent.label in PLACE_LABELS:
                        n = x.f.entity_node(ent)
                        if n is not None and n not in chain and _listed_after(x, chain[k], n):
                            chain.append(n)
            k += 1
        chains[(o.start, o.end)] = chain
    for t in list(x.triples):
        for place in chains.get((t.object.start, t.object.end), ()):
            x.sentence = (t.start_char, t.end_char)
            x.add(t.subject, t.predicate, place, "place_chain", t.confidence / RULE_WEIGHT["place_chain"])


def _listed_after(x: Collector, place: Node, container: Node) -> bool:
    """Whether ``container`` follows ``place`` in the same list ("Warsaw, Poland"), not across a dash, a
    semicolon or a parenthesis ("Warsaw - 1832, Paris": a place of another event)."""
    gap = x.f.text[place.end_char : container.start_char]
    return not any(ch in gap for ch in ";()[]\u2013\u2014") and " - " not in gap


__all__ = ["life_dates", "place_chain"]
