"""Corpus records: the ``{title, text}`` records of a JSON list or a JSONL file, one at a time.

A record may carry an ``acl`` (``"g1,g2"`` or a list of group names: who may read it, see :mod:`graphrag.acl`).
Each record becomes a :class:`~graphrag.types.Document` whose source is ``<path>#<title>`` (a title repeated in one
file gets ``~2``, ``~3`` ... by order of appearance); a bad record (malformed or non-UTF-8 line, not a ``{title,
text}`` object, text over the size limit, an invalid ``acl``) becomes an :class:`~graphrag.errors.InputError`
naming its line, in its place, so a reader can skip it alone. :mod:`graphrag.extract.readers` opens the files.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from graphrag.acl import normalise_acl, parse_groups
from graphrag.errors import InputError
from graphrag.ids import content_hash, document_id
from graphrag.types import Document

_MAX_BAD_LINES_LISTED = 5


def line_of(data: bytes | str, offset: int) -> int:
    """The 1-based line of ``offset`` in ``data``."""
    return data.count(b"\n" if isinstance(data, bytes) else "\n", 0, offset) + 1


def _check_record(obj: Any) -> str | None:
    """Why ``obj`` is not a ``{title, text}`` record, or ``None`` when it is one."""
    if not isinstance(obj, dict):
        return f'expected a {{"title", "text"}} object, got {type(obj).__name__}'
    missing = [k for k in ("title", "text") if k not in obj]
    if missing:
        return f"record lacks {' and '.join(repr(k) for k in missing)}"
    for k in ("title", "text"):
        if not isinstance(obj[k], str):
            return f"record field {k!r} must be a string, got {type(obj[k]).__name__}"
    if not obj["text"].strip():
        return "record has empty 'text'"
    if obj.get("acl") is not None:
        try:
            parse_groups(obj["acl"], what="record field 'acl'")
        except InputError as exc:
            return str(exc)
    return None


def json_items(path: Path, text: str) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` for each element of a top-level JSON list (or the single top-level object)."""
    decoder = json.JSONDecoder()
    ws = re.compile(r"\s*")
    pos = ws.match(text, 0).end()  # type: ignore[union-attr]
    counted, line = 0, 1  # lines are counted incrementally: a corpus may hold many thousand records
    try:
        if text.startswith("[", pos):
            pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
            if text.startswith("]", pos):
                tail = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
                if tail != len(text):
                    raise json.JSONDecodeError("extra data after the list", text, tail)
                return
            while True:
                line += text.count("\n", counted, pos)
                counted = pos
                value, pos = decoder.raw_decode(text, pos)
                yield line, value
                pos = ws.match(text, pos).end()  # type: ignore[union-attr]
                if text.startswith(",", pos):
                    pos = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
                    continue
                if text.startswith("]", pos):
                    tail = ws.match(text, pos + 1).end()  # type: ignore[union-attr]
                    if tail != len(text):
                        raise json.JSONDecodeError("extra data after the list", text, tail)
                    return
                raise json.JSONDecodeError("expected ',' or ']'", text, pos)
        value, end = decoder.raw_decode(text, pos)
        tail = ws.match(text, end).end()  # type: ignore[union-attr]
        if tail != len(text):
            raise json.JSONDecodeError(
                "extra data (a .json corpus holds one list; use .jsonl for one record per line)", text, tail
            )
        yield line_of(text, pos), value
    except json.JSONDecodeError as exc:
        raise InputError(f"malformed JSON: {exc.msg} (column {exc.colno})", path=str(path), line=exc.lineno) from None


def jsonl_items(path: Path, lines: Iterable[tuple[int, bytes]]) -> Iterator[tuple[int, Any]]:
    """``(line, value)`` per non-blank line; a line that is not UTF-8 or not JSON gives ``(line, InputError)``."""
    for n, line_bytes in lines:
        if not line_bytes.strip():
            continue
        try:
            line = line_bytes.decode("utf-8").removeprefix("\ufeff") if n == 1 else line_bytes.decode("utf-8")
        except UnicodeDecodeError as exc:
            why = f"invalid UTF-8 (byte 0x{line_bytes[exc.start]:02x} at column {exc.start + 1})"
            yield n, InputError(why, path=str(path), line=n)
            continue
        try:
            yield n, json.loads(line)
        except json.JSONDecodeError as exc:
            yield n, InputError(f"malformed JSON line: {exc.msg} (column {exc.colno})", path=str(path), line=n)


def doc_too_big(text: str, limit: int | None) -> str | None:
    """Why a document's ``text`` is refused for its size (over ``limit`` bytes of UTF-8), or ``None``."""
    if limit is None or len(text) * 4 <= limit:  # a character is at most 4 bytes
        return None
    size = len(text) if len(text) > limit else len(text.encode("utf-8", "surrogatepass"))
    if size <= limit:
        return None
    mb = 1024 * 1024
    return (
        f"document text is {size / mb:,.1f} MB, over the {limit / mb:,.0f} MB limit ([ingest] max_doc_mb): "
        "one document is analysed and loaded at once; split it (a chapter per file or record) or raise the limit"
    )


def corpus_records(
    path: Path, items: Iterable[tuple[int, Any]], max_doc_bytes: int | None = None
) -> Iterator[tuple[int, Document | InputError]]:
    """``(line, document)`` per record of a corpus, ``(line, InputError)`` per bad one, in file order."""
    used: set[str] = set()
    seen: dict[str, int] = {}
    for line, obj in items:
        if isinstance(obj, InputError):  # a line that is not UTF-8 or not JSON
            yield line, obj
            continue
        why = _check_record(obj) or doc_too_big(obj["text"], max_doc_bytes)
        if why is not None:
            yield line, InputError(why, path=str(path), line=line)
            continue
        title, text, acl = obj["title"], obj["text"], normalise_acl(obj.get("acl"))
        source = f"{path}#{title}"
        k = seen.get(title, 1)
        while source in used:  # a repeated title gets a suffix fixed by its order in the file
            k += 1
            source = f"{path}#{title}~{k}"
        seen[title] = k  # the next repeat starts counting here: linear, however often a title repeats
        used.add(source)
        yield (
            line,
            Document(
                id=document_id(source), source=source, title=title, text=text, hash=content_hash(title, text), acl=acl
            ),
        )


def check_corpus(path: str | Path, documents: int, bad: Sequence[InputError], *, strict: bool) -> None:
    """Raise the :class:`InputError` that rejects a corpus read whole: one with any bad record (``strict``), one
    with no readable record, one with no record at all. The error names the first bad line and lists more."""
    if bad and (strict or not documents):
        first = bad[0]
        more = ""
        if len(bad) > 1:
            listed = ", ".join(str(e.line) for e in bad[1 : _MAX_BAD_LINES_LISTED + 1])
            extra = len(bad) - 1 - min(len(bad) - 1, _MAX_BAD_LINES_LISTED)
            more = f" (also bad: line {listed}" + (f" and {extra} more" if extra else "") + ")"
        why = str(first).removeprefix(f"{path}:{first.line}: ")
        if not documents and not strict:
            why = f"no readable record; {why}"
        raise InputError(why + more, path=str(path), line=first.line)
    if not documents:
        raise InputError("corpus holds no records", path=str(path))


__all__ = ["check_corpus", "corpus_records", "doc_too_big", "json_items", "jsonl_items", "line_of"]
