"""What a passage is about: its topic entity, found from the document's title or its first sentence.

Encyclopedic and most expository text opens by naming its subject ("Aas Ka Panchhi is a 1961 Hindi film ...",
"Frank Lloyd (2 February 1886 - 10 August 1960) was a British-born film director"). The topic is

* the document's **title** where the passage names it (a parenthesised qualifier such as "(film)" or
  "(Romance)" left out, case ignored), or where the title looks like a name although this passage does not
  repeat it (a later chunk of a long document);
* otherwise the **subject of the first sentence**, when it is a name or a named entity (a corpus whose
  titles are file names or ids still gets its topics).

When a title is found and the first sentence's subject is another name for it ("Andrew James Somers ... known
professionally as Andy Summers"), that subject is recorded as an alias of the topic; so are the names the
opening gives it before its verb ("X (born 1982), known professionally as Y, is ...", "X, better known as Y,
was ...", "X alias Y") and its pen or stage name anywhere in the first sentence. The noun the first
sentence classes the topic with ("a 1961 Hindi *movie*") is kept, so "the movie" later in the passage can be
read as the topic.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, NamedTuple

from graphrag.extract.opening_names import char_node, copula_opening, opening_name
from graphrag.extract.opening_places import without_place
from graphrag.extract.person_nouns import is_person_noun
from graphrag.extract.triple_arguments import BE, LITERAL_LABELS, Node, NodeFinder

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

_PARENTHESISED = re.compile(r"\s*\([^()]*\)\s*")
_ID_LIKE = re.compile(r"^[\w.-]*\d[\w.-]*$")  # one word with a digit: "doc-00001", "page12" -- not a name


class Topic(NamedTuple):
    """A passage's topic: its node (``start == -1`` when the passage does not name it), where it came from
    (``title``, ``title-hint`` or ``subject``), the other name that opens the first sentence, the class noun
    the first sentence gives it, and the names it is known by ("known as", "pen name")."""

    node: Node
    source: str
    alias: Node | None
    class_noun: str
    known_as: tuple[str, ...] = ()


def title_base(title: str) -> str:
    """A title without parenthesised qualifiers and outer punctuation: ``"Dark River (2017 film)"`` -> ``"Dark
    River"``, ``"(Romance) in the Digital Age"`` -> ``"in the Digital Age"``."""
    return " ".join(_PARENTHESISED.sub(" ", title).split()).strip(" \"'“”‘’,.;:")


def looks_like_a_name(text: str) -> bool:
    """Whether a title can stand for an entity when the text does not repeat it: letters, a capital, and not
    an identifier (one word with a digit) or a file-name-like lowercase word."""
    return sum(ch.isalpha() for ch in text) >= 2 and any(ch.isupper() for ch in text) and not _ID_LIKE.match(text)


def _first_sentence(doc: Doc) -> Span | None:
    return next(iter(doc.sents), None)


def _sentence_root(sent: Span) -> Token:
    return sent.root


def first_subject(finder: NodeFinder, sent: Span) -> Node | None:
    """The first sentence's subject, when it is a name or a named entity (not a date or number): the
    title-case name that opens the sentence before its verb (:func:`opening_name`), else what opens an "X is a
    ..." sentence (:func:`copula_opening`), else the name that opens
    it when a parenthesis or an apposition follows ("X (born 1950), known as Y, is ..." -- where the parser
    often picks a word inside the parenthesis), else the root's subject."""
    opened = opening_name(finder, sent)
    named = copula_opening(finder, sent)
    if named is not None and (opened is None or named.start_char == opened.start_char and named.end > opened.end):
        return named  # "Paris, Texas is a 1984 film": more than the opening name, which stops at the comma
    if opened is not None and not (opened.end - opened.start == 1 and finder.doc[opened.start].pos_ == "PRON"):
        return opened
    opener = next((t for t in sent if not (t.is_punct or t.lower_ in ("the", "a", "an"))), None)
    n = finder.node(opener) if opener is not None else None
    if (
        n is not None
        and n.kind in ("entity", "name")
        and n.label not in LITERAL_LABELS
        and n.end < sent.end
        and (finder.doc[n.end].text in ("(", "[", ",") or _is_root_subject(n, sent))
    ):
        return n
    root = _sentence_root(sent)
    for c in root.children:
        if c.dep_ in ("nsubj", "nsubjpass"):
            n = finder.node(c)
            if n is not None and n.kind in ("entity", "name") and n.label not in LITERAL_LABELS:
                return n
    return None


def _is_root_subject(node: Node, sent: Span) -> bool:
    root = _sentence_root(sent)
    return any(c.dep_ in ("nsubj", "nsubjpass") and node.start <= c.i < node.end for c in root.children)


def class_noun(sent: Span) -> str:
    """The noun the sentence's copula classes its subject with ("is a 1961 Hindi movie" -> ``movie``), or
    ``""``."""
    root = _sentence_root(sent)
    if root.lower_ not in BE and not any(c.dep_ == "attr" for c in root.children):
        return ""
    for c in root.children:
        if c.dep_ == "attr" and c.pos_ == "NOUN":
            return c.lower_
    return ""


def copula_class(doc: Doc) -> str:
    """The class noun after the first "is a" / "was an" of the passage's first two sentences, read from the
    words when the parse of the opening went wrong ("X( born 1945), sometimes referred to as Y, is an Indian
    actor, writer ..." -> ``actor``), or ``""``."""
    sents = list(doc.sents)[:2]
    if not sents:
        return ""
    toks = doc[sents[0].start : sents[-1].end]
    for k, tok in enumerate(toks):
        if tok.lower_ not in ("is", "was") or k + 1 >= len(toks) or toks[k + 1].lower_ not in ("a", "an", "the"):
            continue
        for t in toks[k + 2 : k + 10]:
            if t.text in (",", ";", ".", "(", ")") or t.pos_ in ("ADP", "VERB", "AUX", "PRON", "CCONJ"):
                return ""
            nxt = doc[t.i + 1] if t.i + 1 < len(doc) else None
            if t.pos_ == "NOUN" and not (t.is_alpha and t.is_lower):
                continue  # "Spanish-" in "a 1971 Spanish- British film"
            if t.pos_ == "NOUN" and (nxt is None or nxt.pos_ not in ("NOUN", "PROPN") and nxt.text != "-"):
                return t.lower_
            if t.pos_ == "PROPN" and is_person_noun(t.lower_):  # "was the King of the Franks"
                return t.lower_
        return ""
    return ""


def _find(doc: Doc, finder: NodeFinder, base: str) -> Node | None:
    """The first place ``doc`` says ``base`` (case and spacing ignored, whole words), as a node."""
    words = [re.escape(w) for w in base.split()]
    if not words:
        return None
    m = re.search(r"(?<!\w)" + r"\s+".join(words) + r"(?!\w)", finder.text, re.IGNORECASE)
    if m is None:
        return None
    return char_node(doc, finder, m.start(), m.end(), literal=True)


def find_topic(doc: Doc, finder: NodeFinder, hint: str | None) -> Topic | None:
    """The passage's topic (see the module docstring); ``hint`` is the document's title, if it has one."""
    topic = _find_topic(doc, finder, hint)
    if topic is None or topic.source == "title" and topic.alias is None and topic.node.start > 0:
        return topic  # the title is not what the passage opens with: its "known as" are someone else's
    opener = topic.alias if topic.alias is not None else topic.node
    first = _first_sentence(doc)
    after = opener.end_char if opener.start >= 0 else (first.start_char if first is not None else 0)
    names = tuple(n for n in known_as(finder.text, after) if n not in (topic.node.text, opener.text))
    return topic._replace(known_as=names)


# "X (born 1982), known professionally as Y, is"; "X, better known as Y"; "X alias Y"; "credited as Y".
_KNOWN_AS = re.compile(
    r"\b(?:(?:better|best|commonly|popularly|professionally|simply|also|mononymously|widely|usually)\s+)*"
    r"(?:known|credited|billed|called|released|titled)(?:\s+(?:professionally|simply|mononymously|popularly|on\s+screen))?\s+as\s+"
    r"|\balias(?:\s+as)?\s+"
)
_PEN_NAME = re.compile(r"\b(?:pen|stage|ring|screen)\s+names?\s+(?:of\s+|as\s+)?")
_COPULA = re.compile(r"\s(?:is|was|are|were|has\s+been)\s")
_SENTENCE_END = re.compile(r"(?<![A-Z])[.!?](?:\s|$)")


def known_as(text: str, start: int) -> list[str]:
    """The names ``text`` gives its opening subject (which ends at ``start``): "known (professionally) as",
    "better known as", "credited as", "alias" before the first sentence's verb, and a pen or stage name
    anywhere in that sentence. Each name is the run of capitalised words (with initials and particles such as
    "de") after the phrase."""
    copula = _COPULA.search(text, start)
    end = _SENTENCE_END.search(text, copula.end() if copula else start)
    stop = end.start() if end else len(text)
    verb = copula.start() if copula else stop
    found = [m.end() for m in _KNOWN_AS.finditer(text, start, verb)]
    found += [m.end() for m in _PEN_NAME.finditer(text, start, stop)]
    names = (_name_at(text, i) for i in sorted(found))
    return [n for n in dict.fromkeys(names) if n and n.split()[0] not in ("The", "A", "An")]


_PARTICLES = frozenset({"de", "da", "di", "del", "della", "du", "des", "la", "le", "van", "von", "der", "bin", "al"})


def _name_at(text: str, i: int) -> str:
    """The capitalised words from ``text[i:]`` ("Pupi Avati( born ..." -> "Pupi Avati"), up to a bracket,
    comma or the end of the sentence."""
    words: list[str] = []
    for raw in text[i : i + 120].split():
        raw = raw.lstrip("\"“'‘")
        word = re.split(r"[(\[,;:\"“”]", raw, maxsplit=1)[0]
        initial = len(word) == 2 and word.endswith(".")
        ends = word != raw or (word.endswith((".", "!", "?")) and not initial)
        word = word if initial else word.rstrip(".!?'’")
        if not word or not (word[0].isupper() or word in _PARTICLES and words):
            break
        words.append(word)
        if ends:
            break
    while words and words[-1] in _PARTICLES:
        words.pop()
    return " ".join(words)


def _find_topic(doc: Doc, finder: NodeFinder, hint: str | None) -> Topic | None:
    sent = _first_sentence(doc)
    if sent is None:
        return None
    subject = without_place(finder, first_subject(finder, sent))
    cls = class_noun(sent) or copula_class(doc)
    base = title_base(hint or "")
    if base:
        found = _find(doc, finder, base)
        if found is not None:
            alias = subject if subject is not None and subject.text != found.text else None
            if alias is not None and not _before(alias, found, sent):
                alias = None
            return Topic(found, "title", alias, cls)
        if looks_like_a_name(base):
            alias = subject if _opens(subject, sent) and _shares_a_word(subject, base) else None
            virtual = Node(-1, -1, base, -1, -1, alias.label if alias is not None else "", "name")
            return Topic(virtual, "title-hint", alias, cls)
    if subject is not None and _opens(subject, sent):
        return Topic(subject, "subject", None, cls)
    return None


def _opens(node: Node | None, sent: Span) -> bool:
    """The node starts its sentence (after an article or opening punctuation): the passage's subject."""
    if node is None:
        return False
    lead = [t for t in sent if t.i < node.start and not (t.is_punct or t.lower_ in ("the", "a", "an"))]
    return not lead


def _shares_a_word(node: Node | None, text: str) -> bool:
    """Whether a node's text and ``text`` share a capitalised word ("Lloyd" and "Frank Lloyd")."""
    if node is None:
        return False
    words = {w.strip(".,'\"").lower() for w in text.split() if w[:1].isupper()}
    return any(w.strip(".,'\"").lower() in words for w in node.text.split() if w[:1].isupper())


def _before(alias: Node, title: Node, sent: Span) -> bool:
    """The alias opens the first sentence and the title comes soon after it ("X (born ...), known as TITLE, is
    ..."; the small parser often ends a sentence inside such a parenthesis, so the next sentence counts too)."""
    sents = list(sent.doc.sents)[:2]
    return _opens(alias, sent) and alias.end <= title.start < sents[-1].end


__all__ = [
    "Topic", "class_noun", "copula_class", "copula_opening", "find_topic", "first_subject", "known_as",
    "looks_like_a_name", "title_base",
]  # fmt: skip
