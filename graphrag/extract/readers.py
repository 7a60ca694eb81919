"""Readers: turn input files into :class:`~graphrag.types.Document` records.

Accepted inputs are plain text (``.txt``), Markdown (``.md``), and corpora of ``{"title", "text"}`` records as
a JSON list (``.json``) or one record per line (``.jsonl``); any of them may be gzipped (``.gz``). Directories
are searched recursively for those extensions.

Document identity is stable: a file's document has ``source`` = the resolved path; a record of a corpus has
``source = "<path>#<title>"``, and a title repeated inside one file gets a ``~2``, ``~3`` ... suffix by order
of appearance. ``Document.hash`` is the content hash of title and text, so an edited record gets a new hash
under the same id.

Every problem is an :class:`~graphrag.errors.InputError` naming the file and, where there is one, the line. In a
corpus, bad records (a malformed or non-UTF-8 JSONL line, a record without a string ``title`` and ``text``) are
skipped one by one and listed in :attr:`SourceFile.skipped`; the good ones are read. A file read with skipped
records is *partial*: ingest then removes none of its stored records (a skipped line may be one of them, edited
badly). ``strict=True`` rejects a file with any bad record whole instead. A JSON list whose syntax breaks cannot be
read past the break and is rejected whole either way.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from graphrag.errors import InputError
from graphrag.extract.corpus_records import (
    check_corpus,
    corpus_records,
    doc_too_big,
    json_items,
    jsonl_items,
    line_of,
)
from graphrag.ids import content_hash, document_id
from graphrag.types import Document

TEXT_SUFFIXES = (".txt", ".md")
CORPUS_SUFFIXES = (".json", ".jsonl")
KNOWN_SUFFIXES = TEXT_SUFFIXES + CORPUS_SUFFIXES

_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$")


@dataclass(frozen=True, slots=True)
class SourceFile:
    """One input file and the documents read from it.

    ``is_corpus`` is true for JSON/JSONL corpora, whose documents are records ``path#title``; ``skipped`` holds
    one error (with its line) per record that could not be read.
    """

    path: str
    is_corpus: bool
    documents: tuple[Document, ...]
    skipped: tuple[InputError, ...] = ()

    @property
    def partial(self) -> bool:
        """Whether some records of the file were skipped (so the file's stored records are not all known)."""
        return bool(self.skipped)


def base_suffix(path: Path) -> str:
    """The format suffix of ``path``, looking through a trailing ``.gz`` (``a.jsonl.gz`` -> ``.jsonl``)."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    return suffixes[-1] if suffixes else ""


def discover(paths: Iterable[str | Path], errors: list[InputError] | None = None) -> list[Path]:
    """Resolved input files under ``paths`` (files as given, directories searched recursively), no repeats.

    A missing path, or a named file with an unknown extension, is an :class:`InputError`: raised, or appended
    to ``errors`` when a list is given (so the caller can skip it and go on). Inside directories, files with
    unknown extensions and hidden files are ignored.
    """
    seen: set[Path] = set()
    out: list[Path] = []
    for raw in paths:
        p = Path(raw).expanduser()
        try:
            found = _files_under(p, raw)
        except InputError as exc:
            if errors is None:
                raise
            errors.append(exc)
            continue
        for f in found:
            r = f.resolve()
            if r not in seen:
                seen.add(r)
                out.append(r)
    return out


def _files_under(p: Path, raw: str | Path) -> list[Path]:
    if not p.exists():
        raise InputError("no such file or directory", path=str(raw))
    if p.is_dir():
        return sorted(
            f
            for f in p.rglob("*")
            if f.is_file()
            and base_suffix(f) in KNOWN_SUFFIXES
            and not any(part.startswith(".") for part in f.relative_to(p).parts)
        )
    if base_suffix(p) not in KNOWN_SUFFIXES:
        raise InputError(
            f"unsupported file type; expected one of {', '.join(KNOWN_SUFFIXES)} (optionally .gz)",
            path=str(p),
        )
    return [p]


def read_bytes(path: Path, max_bytes: int | None = None) -> bytes:
    """The file's bytes, gunzipped when its name ends in ``.gz``. A file (or its gunzipped content) larger than
    ``max_bytes`` is refused before it is read whole."""
    try:
        if max_bytes is not None and path.stat().st_size > max_bytes:
            raise InputError(_too_big(path.stat().st_size, max_bytes), path=str(path))
        if path.suffix.lower() == ".gz":
            with gzip.open(path, "rb") as fh:
                raw = fh.read(-1 if max_bytes is None else max_bytes + 1)
            if max_bytes is not None and len(raw) > max_bytes:
                raise InputError(_too_big(len(raw), max_bytes, unpacked=True), path=str(path))
        else:
            raw = path.read_bytes()
    except (OSError, EOFError, zlib.error) as exc:
        # gzip.BadGzipFile is an OSError
        raise InputError(f"cannot read file: {exc}", path=str(path)) from None
    return raw


def _too_big(size: int, limit: int, *, unpacked: bool = False) -> str:
    mb = 1024 * 1024
    what = "unpacks to more than" if unpacked else f"is {size / mb:,.1f} MB,"
    return (
        f"file {what} {'' if unpacked else 'over '}the {limit / mb:,.0f} MB limit ([ingest] max_file_mb); "
        "split it into smaller files or raise the limit"
    )


def _check_not_empty_or_binary(path: Path, raw: bytes) -> None:
    if not raw.strip():
        raise InputError("file is empty", path=str(path))
    nul = raw.find(b"\x00")
    if nul >= 0:
        raise InputError("binary content (NUL byte); expected UTF-8 text", path=str(path), line=line_of(raw, nul))


def decode_text(path: Path, raw: bytes) -> str:
    """UTF-8 text of ``raw``; empty (nothing but whitespace, Unicode's included), binary (NUL bytes) and non-UTF-8
    content are errors naming the line."""
    _check_not_empty_or_binary(path, raw)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"invalid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            path=str(path),
            line=line_of(raw, exc.start),
        ) from None
    text = text.removeprefix("\ufeff")
    if not text.strip():
        raise InputError("file is empty (only whitespace)", path=str(path))
    return text


def _text_document(path: Path, text: str) -> Document:
    title = path.name.split(".")[0] or path.name
    if base_suffix(path) == ".md":
        for line in text.splitlines():
            m = _MD_HEADING.match(line)
            if m:
                title = m.group(1)
                break
            if line.strip():
                break
    source = str(path)
    return Document(id=document_id(source), source=source, title=title, text=text, hash=content_hash(title, text))


def _stream_lines(path: Path, max_bytes: int | None) -> Iterator[tuple[int, bytes]]:
    """``(line number, bytes)`` of a file read line by line (gunzipped when its name ends in ``.gz``), so a large
    corpus is never held whole: a file (or its gunzipped content) over ``max_bytes``, a NUL byte (binary content)
    or nothing but blank lines is an error for the whole file."""
    if max_bytes is not None:
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise InputError(f"cannot read file: {exc}", path=str(path)) from None
        if size > max_bytes:
            raise InputError(_too_big(size, max_bytes), path=str(path))
    gz = path.suffix.lower() == ".gz"
    total, any_text = 0, False
    try:
        with gzip.open(path, "rb") if gz else path.open("rb") as fh:
            for n, line in enumerate(fh, 1):
                total += len(line)
                if max_bytes is not None and total > max_bytes:
                    raise InputError(_too_big(total, max_bytes, unpacked=gz), path=str(path))
                if b"\x00" in line:
                    raise InputError("binary content (NUL byte); expected UTF-8 text", path=str(path), line=n)
                line = line.rstrip(b"\n")
                any_text = any_text or bool(line.strip())
                yield n, line
    except (OSError, EOFError, zlib.error) as exc:
        raise InputError(f"cannot read file: {exc}", path=str(path)) from None
    if not any_text:
        raise InputError("file is empty", path=str(path))


def is_corpus(path: Path) -> bool:
    """Whether ``path`` names a corpus of records (``.json``/``.jsonl``, optionally gzipped)."""
    return base_suffix(path) in CORPUS_SUFFIXES


def iter_records(
    path: str | Path, *, max_bytes: int | None = None, max_doc_bytes: int | None = None
) -> Iterator[tuple[int, Document | InputError]]:
    """The documents of one file as ``(line, document)``, one at a time, with ``(line, InputError)`` in place of
    each bad record of a corpus; a text file is one document (line 1).

    A JSONL corpus is read line by line, never held whole; a JSON list is decoded one element at a time from the
    file's text. A record whose text is over ``max_doc_bytes`` is a bad record. Raises :class:`InputError` (when
    iterated) for a file that cannot be read at all: unknown type, over ``max_bytes``, binary, empty, a JSON list
    whose syntax breaks, a text file over ``max_doc_bytes``."""
    p = Path(path).resolve()
    kind = base_suffix(p)
    if kind not in KNOWN_SUFFIXES:
        raise InputError(f"unsupported file type {kind or '(none)'!r}", path=str(p))
    if kind == ".jsonl":
        yield from corpus_records(p, jsonl_items(p, _stream_lines(p, max_bytes)), max_doc_bytes)
        return
    text = decode_text(p, read_bytes(p, max_bytes))
    if kind in TEXT_SUFFIXES:
        why = doc_too_big(text, max_doc_bytes)
        if why is not None:
            raise InputError(why, path=str(p))
        yield 1, _text_document(p, text)
        return
    yield from corpus_records(p, json_items(p, text), max_doc_bytes)


def read_file(
    path: str | Path, *, strict: bool = False, max_bytes: int | None = None, max_doc_bytes: int | None = None
) -> SourceFile:
    """Read one file into its documents; raises :class:`InputError` for a file that cannot be ingested at all.

    Bad records of a corpus are skipped and listed in ``skipped`` (``strict``: the file is rejected instead); a
    file over ``max_bytes`` is refused before it is read. Ingest streams files with :func:`iter_records` instead;
    this is the whole-file view."""
    p = Path(path).resolve()
    docs: list[Document] = []
    bad: list[InputError] = []
    for _, record in iter_records(p, max_bytes=max_bytes, max_doc_bytes=max_doc_bytes):
        (bad if isinstance(record, InputError) else docs).append(record)  # type: ignore[arg-type]
    if not is_corpus(p):
        return SourceFile(path=str(p), is_corpus=False, documents=tuple(docs))
    check_corpus(p, len(docs), bad, strict=strict)
    return SourceFile(path=str(p), is_corpus=True, documents=tuple(docs), skipped=tuple(bad))


__all__ = [
    "KNOWN_SUFFIXES",
    "SourceFile",
    "base_suffix",
    "check_corpus",
    "decode_text",
    "discover",
    "is_corpus",
    "iter_records",
    "read_bytes",
    "read_file",
]
