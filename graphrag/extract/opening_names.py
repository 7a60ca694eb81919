"""Names a sentence opens with: the title-case words before its verb ("Romeo and Juliet is a 1953 film"), or
everything before an "X is a <work>" copula ("It's a Wonderful Afterlife is a 2010 film"), without what only
precedes the name (a class noun, "In 2000,", "Starring Adam West,", a clause). Encyclopedic text names its
subject this way, and NER often gets only part of it; :mod:`graphrag.extract.passage_topic` takes the topic from
these."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from graphrag.extract.kind_nouns import WORK_KINDS, is_class_word
from graphrag.extract.triple_arguments import LITERAL_LABELS, Node, NodeFinder

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

# Lowercase words a title-case name may contain: "Clara of Brunswick", "Live at the Rainbow", "bin Abdul".
_NAME_LINKERS = frozenset({
    "of", "the", "and", "in", "at", "on", "a", "an", "for", "to", "de", "del", "della", "da", "di", "du", "des",
    "la", "le", "les", "von", "van", "der", "den", "bin", "ibn", "al", "el", "y", "e", "&", "from", "with", "by",
    "into", "over", "under", "upon", "after", "before", "without", "against", "between", "through",
})  # fmt: skip


def opening_name(finder: NodeFinder, sent: Span) -> Node | None:
    """The title-case words that open a sentence before its main verb: "Romeo and Juliet is a 1953 film",
    "Live at the Rainbow 1973 is a live album", "Tun Abdul Aziz bin Abdul Majid (10 March 1908 - ...) was"
    (cut at a parenthesis or a comma). Encyclopedic text names its subject this way; NER often gets only part
    of it. ``None`` unless every word is capitalised, a number or a small linking word."""
    end = min(sent.end, sent.start + 13)
    for t in finder.doc[sent.start : end]:
        if t.text in ("(", "[", ",", ";", ":") or t.lower_ == "or" or (t.pos_ in ("VERB", "AUX") and t.i > sent.start):
            end = t.i  # "Francis or Frank Butler": the first name is the topic
            break
    else:
        return None  # no verb, parenthesis or comma after the name: not an opening name
    words = [t for t in finder.doc[sent.start : end] if not (t.is_punct and t.text in ('"', "“", "”"))]
    if words and end < sent.end and finder.doc[end].text == "," and words[0].pos_ in ("ADP", "VERB", "SCONJ", "ADV"):
        return None  # "In 2000, ...", "Starring Adam West, ...": a phrase before the subject, not a name
    if len(words) >= 2 and is_class_word(words[0]):
        words = words[1:]  # "Botanist Lady Anne Monson was born ...": the name after the class noun
    if not words or len(words) > 12 or not (words[0].text[:1].isupper() or words[0].text[:1].isdigit()):
        return None
    for t in words:
        if not (t.text[:1].isupper() or t.like_num or t.lower_ in _NAME_LINKERS or t.is_punct or t.text == "'s"):
            return None
    if words[-1].lower_ in _NAME_LINKERS or words[0].pos_ in ("PRON", "DET") and len(words) == 1:
        return None
    ents = {finder.ent_of[t.i] for t in words if t.i in finder.ent_of}
    if len(ents) > 1 and any(t.lower_ in ("and", "&") for t in words):
        return None  # "Apple and Microsoft compete": two names, not one
    start_char, end_char = words[0].idx, words[-1].idx + len(words[-1])
    ent = finder.ent_of.get(words[0].i)
    label = ent.label if ent is not None and ent.start == words[0].i and ent.end == words[-1].i + 1 else ""
    if label in LITERAL_LABELS:
        return None
    return Node(words[0].i, words[-1].i + 1, finder.text[start_char:end_char], start_char, end_char, label, "name")


# "X is a 1990 Italian comedy film": everything before the copula names a work, whatever its words.
_COPULA_OPENING = re.compile(r"\s+(?:is|was)\s+(?:(?:a|an|the)\s+)?")
_WORK_NOUNS = frozenset({
    "film", "movie", "documentary", "song", "single", "album", "ep", "opera", "novel", "book", "play", "poem",
    "series", "sitcom", "serial", "show", "programme", "program", "painting", "sculpture", "game", "magazine",
    "newspaper", "comic", "manga", "anime", "musical", "ballet", "symphony", "cantata", "mass", "hymn", "short",
})  # fmt: skip
_LOWER_IN_TITLES = frozenset({"it", "me", "you", "him", "her", "us", "them", "is", "are", "be", "not", "my", "your",
                              "our", "their", "its", "his", "'s", "’s", "n't", "'ll", "'re", "'m"})  # fmt: skip
_NOT_A_NAME_START = frozenset({"it", "he", "she", "they", "this", "that", "these", "those", "there", "here", "a", "an"})


def copula_opening(finder: NodeFinder, sent: Span) -> Node | None:
    """What an "X is a ..." first sentence opens with, up to a parenthesis, a comma before a lower-case word, or
    the copula: "It's a Wonderful Afterlife is a 2010 film", "Je fais le mort is a 2013 French comedy film",
    "You Can No Longer Remain Silent( German: ...) is a 1955 film". Lower-case words are allowed when the
    sentence classes the subject as a work (a film, a song, a novel ...), where titles keep the words of their
    language; otherwise only title-case words, numbers and the small words titles keep ("of", "it", "'s")."""
    sents = list(sent.doc.sents)[:2]  # the small parser often ends a sentence inside a parenthesis
    text = finder.text[sent.start_char : sents[-1].end_char]
    m = _COPULA_OPENING.search(text)
    if m is None or m.start() > 160:
        return None
    head = text[: m.start()]
    cut = re.search(r"\s*[(\[]|\s*,\s*(?=[a-z])|\s*[,;:]\s*$", head)
    head = head[: cut.start()] if cut else head
    lead = _LEADING_PHRASE.match(head)
    if lead is not None:  # "Starring Adam West, Super Capers is ...", "In 2000, the monument was ..."
        head = head[lead.end() :]
    name = _after_kind(head.strip().strip("\"“”'‘’").strip())
    words = name.split()
    if not words or len(words) > 15 or words[0].lower() in _NOT_A_NAME_START:
        return None
    if not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return None
    rest = text[m.end() : m.end() + 80].lower().split()
    work = any(w.strip(",.;:") in _WORK_NOUNS for w in rest[:7])
    if not work and not all(
        w[:1].isupper()
        or w[:1].isdigit()
        or w.lower() in _NAME_LINKERS
        or w.lower() in _LOWER_IN_TITLES
        or not any(ch.isalpha() for ch in w)
        for w in words
    ):
        return None
    start = sent.start_char + text.index(name)
    if _is_a_clause(sent.doc, start, start + len(name)):
        return None  # "Danielle Harris stars in Super Capers, which ...", "Y produced the album which is ..."
    node = char_node(sent.doc, finder, start, start + len(name), literal=True)
    if node is None or node.label not in LITERAL_LABELS:
        return node
    return node._replace(label="") if work else None  # "The First Day of Freedom" is no date


#: A phrase before a comma that opens a sentence and is no name: a preposition's or a participle's ("In 2000, ...",
#: "Starring Adam West, ...", "Established in 1990, ...").
_LEADING_PHRASE = re.compile(
    r"^(?:(?:In|On|At|By|From|Since|After|Before|During|With|Under|As|Following)\s|[A-Z][a-z]+(?:ing|ed)\s)[^,]{0,60},\s*"
)


def _is_a_clause(doc: Doc, s: int, e: int) -> bool:
    """The characters ``s:e`` hold a clause, not a title: a relative pronoun after the first word, or a
    lower-case verb with its subject among them."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None:
        return False
    for t in span[1:]:
        if t.lower_ in ("which", "who", "whom", "whose") or t.lower_ == "that" and t.tag_ == "WDT":
            return True
        if t.pos_ == "VERB" and t.text.islower() and any(c.dep_ == "nsubj" and s <= c.idx < e for c in t.children):
            return True
    return False


def _after_kind(name: str) -> str:
    """ "The Train song Mermaid" -> "Mermaid": a name, a lower-case kind of work and a capitalised title is the
    title (:mod:`graphrag.extract.work_rules` relates the two names)."""
    words = name.split()
    for i in range(len(words) - 2, 0, -1):
        maker = all(w[:1].isupper() or w[:1].isdigit() for w in words[:i])
        if words[i] in WORK_KINDS and words[i + 1][:1].isupper() and maker:
            return " ".join(words[i + 1 :])
    return name


def char_node(doc: Doc, finder: NodeFinder, s: int, e: int, *, literal: bool = False) -> Node | None:
    """A name node over the characters ``s:e``, with the entity label when NER tagged exactly that span;
    ``None`` for a date or number unless ``literal``."""
    span = doc.char_span(s, e, alignment_mode="expand")
    if span is None or not len(span):
        return None
    ent = finder.ent_of.get(span.start)
    label = ent.label if ent is not None and ent.start == span.start and ent.end == span.end else ""
    if not label:  # a name the model tagged only in part ("Gift to Women" of "God's Gift to Women")
        inner = {finder.ent_of[i].label for i in range(span.start, span.end) if i in finder.ent_of}
        label = next(iter(inner)) if len(inner) == 1 and not inner & LITERAL_LABELS else ""
    if label in LITERAL_LABELS and not literal:
        return None
    s, e = span.start_char, span.end_char
    return Node(span.start, span.end, finder.text[s:e], s, e, label, "name")


__all__ = ["char_node", "copula_opening", "opening_name"]
