"""A user's extraction schema: the entity types and relations the graph should speak in, read from TOML.

::

    [[entity_types]]
    name = "Person"
    description = "a human being"
    labels = ["PERSON"]            # the NER labels that count as this type (defaults for common names)

    [[relations]]
    name = "director"
    description = "the person who directed the film"
    aliases = ["directed by", "film director"]
    inverse_aliases = ["directed"] # "Y directed X" is (X, director, Y)
    subject_types = ["Work"]
    object_types = ["Person"]

Every field but ``name`` is optional. A type a relation names must be listed under ``entity_types``. Parsing
never guesses: a malformed file fails with its path and the entry at fault.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphrag.errors import InputError
from graphrag.ids import content_hash

#: NER labels (spaCy's English scheme) that common type names stand for, when a type lists no ``labels``.
DEFAULT_LABELS: dict[str, tuple[str, ...]] = {
    "person": ("PERSON",),
    "people": ("PERSON",),
    "human": ("PERSON",),
    "place": ("GPE", "LOC", "FAC"),
    "location": ("GPE", "LOC", "FAC"),
    "country": ("GPE",),
    "city": ("GPE",),
    "organization": ("ORG",),
    "organisation": ("ORG",),
    "company": ("ORG",),
    "date": ("DATE",),
    "time": ("DATE", "TIME"),
    "number": ("CARDINAL", "QUANTITY", "MONEY", "PERCENT"),
    "quantity": ("CARDINAL", "QUANTITY"),
    "work": ("WORK_OF_ART",),
    "film": ("WORK_OF_ART",),
    "book": ("WORK_OF_ART",),
    "nationality": ("NORP",),
    "event": ("EVENT",),
    "language": ("LANGUAGE",),
}

_ENTITY_KEYS = {"name", "description", "aliases", "labels"}
_RELATION_KEYS = {"name", "description", "aliases", "inverse_aliases", "subject_types", "object_types"}


@dataclass(frozen=True)
class EntityType:
    """One entity type; ``labels`` are the NER labels of mentions that have this type."""

    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class RelationType:
    """One relation. ``aliases`` are phrasings with the same direction ("directed by" for ``director``),
    ``inverse_aliases`` phrasings read from the object to the subject ("directed"); the type lists constrain
    which entities the relation may join (empty: any)."""

    name: str
    description: str = ""
    aliases: tuple[str, ...] = ()
    inverse_aliases: tuple[str, ...] = ()
    subject_types: tuple[str, ...] = ()
    object_types: tuple[str, ...] = ()


@dataclass(frozen=True)
class Schema:
    """Entity types and relations; ``source`` names the file it came from."""

    entity_types: tuple[EntityType, ...] = ()
    relations: tuple[RelationType, ...] = ()
    source: str = ""
    _labels: dict[str, frozenset[str]] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        for t in self.entity_types:
            labels = t.labels or DEFAULT_LABELS.get(t.name.casefold(), ()) or (t.name.upper(),)
            self._labels[t.name] = frozenset(label.upper() for label in labels)

    @property
    def version(self) -> str:
        """A hash of the schema's content: stored extractions made under another schema are redone."""
        return content_hash(repr((self.entity_types, self.relations)))[:16]

    def types_of_label(self, label: str) -> frozenset[str]:
        """The schema types an NER label belongs to (empty when the label is unknown or none)."""
        up = label.upper()
        return frozenset(name for name, labels in self._labels.items() if up and up in labels)

    def labels_of(self, type_name: str) -> frozenset[str]:
        """The NER labels that count as type ``type_name``."""
        return self._labels.get(type_name, frozenset())

    def relation(self, name: str) -> RelationType | None:
        """The relation called ``name``, if any."""
        return next((r for r in self.relations if r.name == name), None)


def load_schema(path: str | Path) -> Schema:
    """Read a schema TOML file; :class:`~graphrag.errors.InputError` names the file and the bad entry."""
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError("no such schema file", path=str(p)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the schema: {exc}", path=str(p)) from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"not valid TOML: {exc}", path=str(p)) from None
    return parse_schema(data, source=str(p))


def parse_schema(data: Mapping[str, Any], *, source: str = "<schema>") -> Schema:
    """Build a :class:`Schema` from parsed TOML (``entity_types`` and ``relations`` arrays of tables)."""
    unknown = set(data) - {"entity_types", "relations"}
    if unknown:
        raise InputError(f"unknown section(s) {sorted(unknown)}; expected entity_types and relations", path=source)
    types = tuple(
        EntityType(
            name=_name(e, "entity_types", i, source),
            description=_text(e, "description", "entity_types", i, source),
            aliases=_texts(e, "aliases", "entity_types", i, source),
            labels=_texts(e, "labels", "entity_types", i, source),
        )
        for i, e in enumerate(_tables(data, "entity_types", _ENTITY_KEYS, source), 1)
    )
    relations = tuple(
        RelationType(
            name=_name(r, "relations", i, source),
            description=_text(r, "description", "relations", i, source),
            aliases=_texts(r, "aliases", "relations", i, source),
            inverse_aliases=_texts(r, "inverse_aliases", "relations", i, source),
            subject_types=_texts(r, "subject_types", "relations", i, source),
            object_types=_texts(r, "object_types", "relations", i, source),
        )
        for i, r in enumerate(_tables(data, "relations", _RELATION_KEYS, source), 1)
    )
    if not relations:
        raise InputError("the schema lists no [[relations]]", path=source)
    _unique([t.name for t in types], "entity type", source)
    _unique([r.name for r in relations], "relation", source)
    known = {t.name for t in types}
    for i, r in enumerate(relations, 1):
        for t in (*r.subject_types, *r.object_types):
            if t not in known:
                raise InputError(
                    f"relations entry {i} ({r.name!r}) names the type {t!r}, which [[entity_types]] does not list",
                    path=source,
                )
    return Schema(types, relations, source)


def _tables(data: Mapping[str, Any], key: str, allowed: set[str], source: str) -> list[Mapping[str, Any]]:
    items = data.get(key, [])
    if not isinstance(items, list) or not all(isinstance(x, dict) for x in items):
        raise InputError(f"`{key}` must be an array of tables ([[{key}]])", path=source)
    for i, item in enumerate(items, 1):
        extra = set(item) - allowed
        if extra:
            raise InputError(
                f"{key} entry {i}: unknown key(s) {sorted(extra)}; allowed: {sorted(allowed)}", path=source
            )
    return items


def _name(item: Mapping[str, Any], key: str, i: int, source: str) -> str:
    name = item.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError(f"{key} entry {i} needs a non-empty `name`", path=source)
    return name.strip()


def _text(item: Mapping[str, Any], field_name: str, key: str, i: int, source: str) -> str:
    value = item.get(field_name, "")
    if not isinstance(value, str):
        raise InputError(f"{key} entry {i}: `{field_name}` must be a string", path=source)
    return value.strip()


def _texts(item: Mapping[str, Any], field_name: str, key: str, i: int, source: str) -> tuple[str, ...]:
    value = item.get(field_name, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(f"{key} entry {i}: `{field_name}` must be a list of non-empty strings", path=source)
    return tuple(v.strip() for v in value)


def _unique(names: Sequence[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for n in names:
        if n in seen:
            raise InputError(f"the {what} {n!r} is listed twice", path=source)
        seen.add(n)


def _toml_list(values: Sequence[str]) -> str:
    return "[" + ", ".join(_toml_str(v) for v in values) + "]"


def _toml_str(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'


def schema_toml(schema: Schema, comments: Mapping[str, Sequence[str]] | None = None) -> str:
    """The schema as TOML that :func:`load_schema` reads back; ``comments`` (relation name -> lines) are
    written above each relation (examples for the person editing it)."""
    lines: list[str] = []
    for t in schema.entity_types:
        lines += ["[[entity_types]]", f"name = {_toml_str(t.name)}"]
        if t.description:
            lines.append(f"description = {_toml_str(t.description)}")
        for key in ("aliases", "labels"):
            if getattr(t, key):
                lines.append(f"{key} = {_toml_list(getattr(t, key))}")
        lines.append("")
    for r in schema.relations:
        lines += [f"# {c}" for c in (comments or {}).get(r.name, ())]
        lines += ["[[relations]]", f"name = {_toml_str(r.name)}"]
        if r.description:
            lines.append(f"description = {_toml_str(r.description)}")
        for key in ("aliases", "inverse_aliases", "subject_types", "object_types"):
            if getattr(r, key):
                lines.append(f"{key} = {_toml_list(getattr(r, key))}")
        lines.append("")
    return "\n".join(lines)


__all__ = ["DEFAULT_LABELS", "EntityType", "RelationType", "Schema", "load_schema", "parse_schema", "schema_toml"]
