"""Open predicates onto a schema's relations: by name and aliases first, then by embedding similarity, always
within the relation's type constraints.

"directed by" maps to ``director`` when the schema lists it as an alias; "was directed by" or "film directed by"
by similarity to the relation's name, aliases and description; "directed" (listed under ``inverse_aliases``)
maps with subject and object swapped. A relation whose ``subject_types``/``object_types`` exclude the
triple's NER labels is not chosen when another fits; a mention without a known label satisfies any type. NER
labels of names are often wrong (a film title tagged as a person or an organisation), labels of values (dates,
numbers) rarely: so a name in a slot for another kind of name is a weak fit, taken when nothing fits better,
while a value where a name belongs (or a name where a value belongs) never fits.

:class:`SchemaRefiner` applies a mapper to the triples of analysed chunks during ingest: ``strict`` mode drops
triples that map to nothing, ``open`` keeps them with their own predicate.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from graphrag.embed.embedder import Embedder
from graphrag.errors import ConfigError
from graphrag.extract.demonyms import is_country
from graphrag.extract.predicate_stems import content_words, shared_stem, value_fit
from graphrag.extract.records import ChunkAnalysis, ExtractedTriple
from graphrag.extract.schema import RelationType, Schema
from graphrag.extract.triple_collector import PLACE_LABELS

SCHEMA_MODES = ("open", "strict")

#: The version of the mapping steps; raise it when a change maps stored predicates differently.
MAPPING_VERSION = "3"  # 2: relational nouns ("advisor of" = advisor, inverted) and word stems; 3: value kinds

#: The cosine similarity a predicate needs to a relation's phrasing to map onto it by embedding.
DEFAULT_THRESHOLD = 0.6

#: NER labels of values, as opposed to names: a date never fills a person's slot, whatever the parser says.
VALUE_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})

_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_AUX = re.compile(r"^(?:is|was|were|are|has been|had been|have been|be|been)\s+")
_RELATIONAL = re.compile(r"^(?P<noun>.+?)\s+(?:of|for|at|to)$")
_NOT_NOUNS = frozenset({"have", "has", "had", "be", "is", "was", "born", "located", "part", "one"})
_SINGULAR = {"children": "child", "people": "person", "men": "man", "women": "woman"}
#: Words of a relation that says only where something is (not ``birthPlace``: a person's place of birth).
_WHERE_WORDS = frozenset({"location", "place", "city", "region", "state", "town", "county", "area", "located"})
_DURATION = re.compile(r"\b(?:minutes?|mins?|seconds?|secs?|hours?|hrs?)\b|\b\d{1,3}:\d{2}\b", re.IGNORECASE)
_DURATION_WORDS = frozenset({"runtime", "duration", "running"})
_AGENT_ENDINGS = ("er", "or", "ist", "ant", "ent")


def normalise_predicate(text: str) -> str:
    """Lowercase words: camelCase and underscores split, a leading auxiliary dropped ("was born in" ->
    "born in", ``birthPlace`` -> "birth place")."""
    s = _CAMEL.sub(" ", text.replace("_", " ")).casefold()
    s = " ".join(s.split())
    stripped = _AUX.sub("", s)
    return stripped or s


@dataclass(frozen=True)
class MappedPredicate:
    """Where a predicate landed: the relation, whether subject and object swap, and how it matched."""

    relation: str
    inverted: bool
    score: float  # 1.0 for a name or alias match, else the cosine similarity
    how: str  # "alias", "relational noun", "stem", "embedding", "value kind" or "where"


@dataclass(frozen=True)
class _Phrase:
    relation: RelationType
    text: str
    inverted: bool


class SchemaMapper:
    """Maps open predicates onto ``schema``'s relations.

    Args:
        schema: the relations and entity types.
        embedder: embeds predicates and relation phrasings; ``None`` maps by name and alias only.
        threshold: the least cosine similarity for an embedding match.
    """

    def __init__(self, schema: Schema, embedder: Embedder | None, *, threshold: float = DEFAULT_THRESHOLD) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ConfigError(f"the schema similarity threshold must be in (0, 1], got {threshold}")
        self.schema = schema
        self.embedder = embedder
        self.threshold = threshold
        self._phrases: list[_Phrase] = []
        self._exact: dict[str, list[_Phrase]] = {}
        for r in schema.relations:
            forward = [r.name, *r.aliases]
            for text, inverted in [(t, False) for t in forward] + [(t, True) for t in r.inverse_aliases]:
                phrase = _Phrase(r, normalise_predicate(text), inverted)
                self._phrases.append(phrase)
                self._exact.setdefault(phrase.text, []).append(phrase)
            if r.description:  # the description as a phrase of its own ("the person who directed the film")
                self._phrases.append(_Phrase(r, r.description.casefold(), False))
        # the words of each relation's name and aliases, for matching by stem (predicate_stems)
        self._stem_phrases = [
            (r, words)
            for r in schema.relations
            for t in dict.fromkeys([r.name, *r.aliases])
            if (words := content_words(normalise_predicate(t)))
        ]
        # relations by what their names say (read once, not per triple): where something is, a country, a duration
        name_words = {r.name: frozenset(content_words(normalise_predicate(r.name))) for r in schema.relations}
        self._where_names = frozenset(n for n, w in name_words.items() if w and w <= _WHERE_WORDS)
        self._duration_names = frozenset(n for n, w in name_words.items() if w & _DURATION_WORDS)
        self._where = [r for r in schema.relations if r.name in self._where_names]
        self._countries = [r for r in schema.relations if name_words[r.name] == {"country"}]
        self._durations = [r for r in schema.relations if r.name in self._duration_names]
        self._phrase_vectors: np.ndarray | None = None
        self._vectors: dict[str, np.ndarray] = {}
        self._cache: dict[tuple[str, str, str], MappedPredicate | None] = {}

    @property
    def version(self) -> str:
        """What the mapping depends on: the schema, the embedder and the threshold."""
        name = self.embedder.name if self.embedder is not None else "none"
        return f"schema:{self.schema.version}:{name}:{self.threshold}:{MAPPING_VERSION}"

    def prefetch(self, predicates: Sequence[str]) -> None:
        """Embed every not-yet-seen predicate of ``predicates`` in one call."""
        if self.embedder is None:
            return
        todo = list(dict.fromkeys(p for p in map(normalise_predicate, predicates) if p and p not in self._vectors))
        if todo:
            for text, vec in zip(todo, self.embedder.embed(todo), strict=True):
                self._vectors[text] = vec

    def map(self, predicate: str, subject_label: str = "", object_label: str = "") -> MappedPredicate | None:
        """The relation ``predicate`` stands for between a subject and an object with these NER labels, or
        ``None`` when none fits."""
        key = (predicate, subject_label, object_label)
        if key not in self._cache:
            self._cache[key] = self._map(normalise_predicate(predicate), subject_label, object_label)
        return self._cache[key]

    def _map(self, text: str, s_label: str, o_label: str) -> MappedPredicate | None:
        aliased = [(self._fit(p, s_label, o_label), p) for p in self._exact.get(text, [])]
        aliased = [(fit, p) for fit, p in aliased if fit > 0]
        if aliased:
            fit, phrase = max(aliased, key=lambda fp: fp[0])  # the first of the best fits, in schema order
            return MappedPredicate(phrase.relation.name, phrase.inverted, 1.0, "alias")
        owned = self._relational_noun(text, s_label, o_label)
        if owned is not None:
            return owned
        if not content_words(text) and o_label in PLACE_LABELS:
            # "X in Alcobendas", "X is at Y": a bare preposition says where, whatever an embedding of "in" is near
            for r in self._where:
                if self._fit(_Phrase(r, r.name, False), s_label, o_label) > 0:
                    return MappedPredicate(r.name, False, 1.0, "where")
            return None
        stemmed = self._by_stem(text, s_label, o_label)
        if stemmed is not None:
            return stemmed
        if self.embedder is None or not text or not self._phrases:
            return None
        if text not in self._vectors:
            self.prefetch([text])
        sims = self._matrix() @ self._vectors[text]
        best: tuple[int, float, _Phrase] | None = None
        for score, phrase in zip(sims.tolist(), self._phrases, strict=True):
            if score < self.threshold:
                continue
            fit = self._fit(phrase, s_label, o_label)
            if fit > 0 and (best is None or (fit, score) > best[:2]):
                best = (fit, score, phrase)
        if best is None:
            return None
        return MappedPredicate(best[2].relation.name, best[2].inverted, round(best[1], 4), "embedding")

    def _relational_noun(self, text: str, s_label: str, o_label: str) -> MappedPredicate | None:
        """ "Y is the doctoral advisor of X" gives (Y, "doctoral advisor of", X): X's doctoral advisor is Y, so a
        relation named (or aliased) "doctoral advisor" holds with the ends swapped. Only a noun phrase before
        the preposition ("have runway length of" is a verb's path, not a relational noun) and only by name."""
        m = _RELATIONAL.match(text)
        if m is None or m.group("noun").split()[0] in _NOT_NOUNS:
            return None
        noun = m.group("noun")
        for stem in dict.fromkeys((noun, noun[:-1] if noun.endswith("s") else noun, _SINGULAR.get(noun, noun))):
            fits = [
                (self._fit(inv, s_label, o_label), inv)
                for p in self._exact.get(stem, [])
                if not p.inverted
                for inv in [_Phrase(p.relation, p.text, True)]
            ]
            fits = [(fit, p) for fit, p in fits if fit > 0]
            if fits:
                fit, phrase = max(fits, key=lambda fp: fp[0])
                return MappedPredicate(phrase.relation.name, True, 1.0, "relational noun")
        return None

    def _by_stem(self, text: str, s_label: str, o_label: str) -> MappedPredicate | None:
        """The relation whose name or an alias shares a word stem with the predicate ("directed by" ->
        ``director``; "born" with a date -> ``birthDate``), the types and the kind of value deciding between
        several (:mod:`graphrag.extract.predicate_stems`)."""
        words = content_words(text)
        if not words:
            return None
        if len(words) > 1:
            words.append("".join(words))  # "run time" is also "runtime"
        best: tuple[tuple[int, int, int, int, int, int], RelationType] | None = None
        for relation, rwords in self._stem_phrases:
            stems = [max(shared_stem(a, b) for a in words) for b in rwords]
            if not any(stems):
                continue
            fit = self._fit(_Phrase(relation, text, False), s_label, o_label)
            kind = value_fit(rwords, o_label)
            # more of the relation's words matched first ("total area": areaTotal over populationTotal)
            # "discovered by Y": Y is the agent, so ``discoverer`` over ``discovered`` (a date)
            agent = int(text.endswith(" by") and any(w.endswith(_AGENT_ENDINGS) for w in rwords))
            key = (fit, kind, sum(1 for n in stems if n), agent, max(stems), -len(rwords))
            if fit > 0 and kind >= 0 and (best is None or key > best[0]):
                best = (key, relation)
        if best is None:
            return None
        return MappedPredicate(best[1].name, False, 1.0, "stem")

    def _by_value(self, m: MappedPredicate, t: ExtractedTriple) -> MappedPredicate:
        """``m``, or the relation the object's kind of value asks for: a country ("located in France") goes to
        the schema's ``country`` relation when ``m`` is another place relation; a duration ("98 minutes",
        "54:56") to a relation whose words say runtime or duration."""
        if m.relation in self._where_names and is_country(t.object):
            wanted = self._countries
        elif m.relation not in self._duration_names and _DURATION.search(t.object):
            wanted = self._durations
        else:
            return m
        for r in wanted:
            if self._fit(_Phrase(r, r.name, False), t.subject_label, t.object_label) > 0:
                return MappedPredicate(r.name, False, m.score, "value kind")
        return m

    def _matrix(self) -> np.ndarray:
        if self._phrase_vectors is None:
            assert self.embedder is not None
            self._phrase_vectors = self.embedder.embed([p.text for p in self._phrases])
        return self._phrase_vectors

    def _fit(self, phrase: _Phrase, s_label: str, o_label: str) -> int:
        """2: both ends fit the relation's types; 1: a name fills a slot for another kind of name; 0: no fit."""
        if phrase.inverted:
            s_label, o_label = o_label, s_label
        r = phrase.relation
        return min(_fit(self.schema, r.subject_types, s_label), _fit(self.schema, r.object_types, o_label))

    def map_triple(self, t: ExtractedTriple) -> ExtractedTriple | None:
        """``t`` with its predicate replaced by the relation it maps to (ends swapped for an inverse
        phrasing), or ``None``. What the object is can decide between relations of one kind: a country in a
        place relation's slot goes to a relation named ``country``, a duration to a runtime/duration relation."""
        m = self.map(t.predicate, t.subject_label, t.object_label)
        if m is None:
            return None
        if not m.inverted:
            m = self._by_value(m, t)
        if m.inverted:
            return dataclasses.replace(
                t,
                subject=t.object,
                subject_label=t.object_label,
                object=t.subject,
                object_label=t.subject_label,
                predicate=m.relation,
            )
        return dataclasses.replace(t, predicate=m.relation)


def _fit(schema: Schema, types: Sequence[str], label: str) -> int:
    """How well an end with NER ``label`` fills a slot limited to ``types`` (see :meth:`SchemaMapper._fit`)."""
    have = schema.types_of_label(label)
    if not types or not have or have & set(types):
        return 2
    slot_values = all(schema.labels_of(t) <= VALUE_LABELS for t in types)
    is_value = label.upper() in VALUE_LABELS
    return 1 if not slot_values and not is_value else 0


class SchemaRefiner:
    """Rewrites analysed chunks' triples onto a schema (a stage of the ingest pipeline).

    Args:
        mapper: the predicate mapper.
        mode: ``strict`` drops triples no relation fits; ``open`` keeps them as they are.
    """

    def __init__(self, mapper: SchemaMapper, *, mode: str = "open") -> None:
        if mode not in SCHEMA_MODES:
            raise ConfigError(f"unknown schema mode {mode!r}; choose one of: {', '.join(SCHEMA_MODES)}")
        self.mapper = mapper
        self.mode = mode
        self.mapped = 0
        self.unmapped = 0

    name = "schema"

    def report(self) -> dict[str, object]:
        """Triples mapped onto the schema, and those that were not (kept or dropped by the mode)."""
        return {
            "mode": self.mode,
            "mapped": self.mapped,
            "unmapped": self.unmapped,
            "schema": self.mapper.schema.source,
        }

    @property
    def version(self) -> str:
        """The mapper's version and the mode."""
        return f"{self.mapper.version}:{self.mode}"

    def refine(self, texts: Sequence[str], analyses: Sequence[ChunkAnalysis]) -> list[ChunkAnalysis]:
        """The analyses with each triple mapped (or dropped, or kept open)."""
        self.mapper.prefetch([t.predicate for a in analyses for t in a.triples])
        out = []
        for a in analyses:
            triples = []
            for t in a.triples:
                mapped = self.mapper.map_triple(t)
                if mapped is not None:
                    self.mapped += 1
                    triples.append(mapped)
                else:
                    self.unmapped += 1
                    if self.mode == "open":
                        triples.append(t)
            out.append(dataclasses.replace(a, triples=tuple(triples)))
        return out


__all__ = [
    "DEFAULT_THRESHOLD",
    "SCHEMA_MODES",
    "MappedPredicate",
    "SchemaMapper",
    "SchemaRefiner",
    "normalise_predicate",
]
