"""Loader for the WebNLG 2020 Text-to-RDF test set, as JSONL or as the original XML.

JSONL lines look like ``{"eid", "category", "size", "texts": [...], "triples": [[s, p, o], ...]}``. In the XML
each ``<entry>`` holds the gold triples in ``<modifiedtripleset>/<mtriple>`` ("s | p | o") and its texts in
``<lex>`` elements. Bad input raises :class:`graphrag.errors.InputError` naming the file and line.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from graphrag.errors import InputError

Triple3 = tuple[str, str, str]


@dataclass(frozen=True)
class WebNLGEntry:
    """One WebNLG entry: its gold triples and the English texts that verbalise them."""

    eid: str
    category: str
    texts: tuple[str, ...]
    triples: tuple[Triple3, ...]


@dataclass(frozen=True)
class WebNLGSample:
    """One (text, gold triples) pair to score; an entry with several texts gives several samples."""

    eid: str
    category: str
    text: str
    triples: tuple[Triple3, ...]


def load_webnlg(path: str | Path) -> list[WebNLGEntry]:
    """Read the test set from ``path`` (``.jsonl``/``.json`` or ``.xml``)."""
    p = Path(path)
    if not p.is_file():
        raise InputError("no such file", path=str(p))
    if p.suffix.lower() == ".xml":
        return list(_read_xml(p))
    if p.suffix.lower() in (".jsonl", ".json"):
        return list(_read_jsonl(p))
    raise InputError(f"unsupported gold file type {p.suffix!r}; expected .jsonl or .xml", path=str(p))


def samples(entries: list[WebNLGEntry], limit: int | None = None) -> list[WebNLGSample]:
    """Flatten entries into samples, one per text, keeping file order; ``limit`` caps the number of
    samples."""
    out = [WebNLGSample(e.eid, e.category, text, e.triples) for e in entries for text in e.texts]
    return out if limit is None else out[: max(limit, 0)]


def _triple(value: object, *, path: Path, line: int | None) -> Triple3:
    if isinstance(value, list | tuple) and len(value) == 3 and all(isinstance(x, str) for x in value):
        return (str(value[0]), str(value[1]), str(value[2]))
    raise InputError(f"a triple must be a list of three strings, got {value!r}", path=str(path), line=line)


def _read_jsonl(path: Path) -> Iterator[WebNLGEntry]:
    with path.open(encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg}", path=str(path), line=lineno) from None
            if not isinstance(rec, dict):
                raise InputError("each line must be a JSON object", path=str(path), line=lineno)
            texts = rec.get("texts")
            triples = rec.get("triples")
            if not isinstance(texts, list) or not all(isinstance(t, str) for t in texts):
                raise InputError("'texts' must be a list of strings", path=str(path), line=lineno)
            if not isinstance(triples, list) or not triples:
                raise InputError("'triples' must be a non-empty list", path=str(path), line=lineno)
            yield WebNLGEntry(
                eid=str(rec.get("eid", f"line{lineno}")),
                category=str(rec.get("category", "")),
                texts=tuple(texts),
                triples=tuple(_triple(t, path=path, line=lineno) for t in triples),
            )


def _parse_mtriple(text: str, *, path: Path, eid: str) -> Triple3:
    parts = [p.strip() for p in text.split(" | ")]
    if len(parts) != 3 or not all(parts):
        raise InputError(
            f"entry {eid}: <mtriple> must read 'subject | predicate | object', got {text!r}", path=str(path)
        )
    return (parts[0], parts[1], parts[2])


def _read_xml(path: Path) -> Iterator[WebNLGEntry]:
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as exc:
        line = exc.position[0] if exc.position else None
        raise InputError(f"invalid XML: {exc}", path=str(path), line=line) from None
    entries = root.iter("entry")
    for entry in entries:
        eid = entry.get("eid", "")
        triples = tuple(
            _parse_mtriple(m.text or "", path=path, eid=eid)
            for m in entry.iterfind("modifiedtripleset/mtriple")
        )
        if not triples:
            raise InputError(f"entry {eid}: no <modifiedtripleset>/<mtriple>", path=str(path))
        texts = tuple(
            " ".join((lex.text or "").split())
            for lex in entry.iterfind("lex")
            if lex.get("lang", "en") == "en" and (lex.text or "").strip()
        )
        yield WebNLGEntry(eid=eid, category=entry.get("category", ""), texts=texts, triples=triples)


__all__ = ["WebNLGEntry", "WebNLGSample", "load_webnlg", "samples"]
