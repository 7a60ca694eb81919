"""Incremental planning: which documents to load, which to replace, which to delete, which to leave alone.

A document whose id is stored with the same content hash is unchanged and skipped. One stored with another
hash is changed: its old version is deleted and the new one loaded in the same transaction. A stored document
that came from a file being ingested but is no longer in it (a record removed from a corpus) is deleted -- unless
some records of that file were skipped as unreadable, since one of them may be the stored record.

Files are read twice, never held whole. :func:`plan_file` streams a file once and keeps only what the plan
needs (the ordinals of the records to load and a check digest of each, the ids to replace and to remove), so a
corpus with a bad record is rejected under ``strict`` before anything is written. :func:`load_slices` streams
the files again and hands the records to load over in slices of bounded size: memory follows the slice, not
the file.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from graphrag.errors import InputError
from graphrag.extract.readers import check_corpus, is_corpus, iter_records
from graphrag.types import Document

HashOf = Callable[[Document], str]
AclOf = Callable[[Document], str]


def _as_given(doc: Document) -> str:
    return doc.acl


def _digest(doc_hash: str) -> int:
    """A 60-bit check of a document hash: the second read of a file must give the same records."""
    return int(doc_hash[:15], 16) if len(doc_hash) >= 15 else hash(doc_hash) & (2**60 - 1)


@dataclass(frozen=True)
class FilePlan:
    """What an ingest run does with one file: ``load`` holds the ordinals (among the file's readable records, in
    file order) of the new and changed documents and ``checks`` a digest of each; ``replaces`` the ids among them
    whose old version must go first; ``removed`` stored documents that vanished from the file."""

    path: Path
    load: array
    checks: array
    replaces: frozenset[str]
    removed: tuple[str, ...]
    new: int
    changed: int
    unchanged: int
    chars: int  # characters of text to load
    skipped: tuple[InputError, ...] = ()
    acl_updates: tuple[tuple[str, str], ...] = ()  # (id, new ACL) of unchanged documents whose ACL changed


@dataclass(frozen=True)
class IngestPlan:
    """What an ingest run will do, file by file."""

    files: tuple[FilePlan, ...]

    @property
    def to_load(self) -> int:
        """How many documents are loaded (new and changed)."""
        return sum(len(f.load) for f in self.files)

    @property
    def replaces(self) -> frozenset[str]:
        """Ids whose stored version is replaced."""
        return frozenset().union(*(f.replaces for f in self.files))

    @property
    def removed(self) -> tuple[str, ...]:
        """Stored documents that vanished from their file."""
        return tuple(d for f in self.files for d in f.removed)

    @property
    def new(self) -> int:
        """Documents not stored yet."""
        return sum(f.new for f in self.files)

    @property
    def changed(self) -> int:
        """Documents stored with another hash."""
        return sum(f.changed for f in self.files)

    @property
    def unchanged(self) -> int:
        """Documents stored with the same hash (skipped)."""
        return sum(f.unchanged for f in self.files)

    @property
    def chars(self) -> int:
        """Characters of text to load."""
        return sum(f.chars for f in self.files)

    @property
    def skipped(self) -> tuple[InputError, ...]:
        """Unreadable records of the files planned (their other records are read)."""
        return tuple(e for f in self.files for e in f.skipped)

    @property
    def acl_updates(self) -> tuple[tuple[str, str], ...]:
        """``(id, ACL)`` of unchanged documents whose ACL changed: an update, not a re-extraction."""
        return tuple(u for f in self.files for u in f.acl_updates)


def _file_of(source: str, files: set[str]) -> str | None:
    """The ingested file that stored document ``source`` belongs to (``path`` or ``path#record``), if any."""
    if source in files:
        return source
    i = source.find("#")
    while i >= 0:
        if source[:i] in files:
            return source[:i]
        i = source.find("#", i + 1)
    return None


def stored_by_file(paths: Sequence[Path], stored: Mapping[str, tuple[str, str]]) -> dict[str, set[str]]:
    """The ids of ``stored`` (``doc_id -> (source, hash)``) grouped by the file of ``paths`` they came from."""
    names = {str(p) for p in paths}
    out: dict[str, set[str]] = {}
    for doc_id, (source, _) in stored.items():
        owner = _file_of(source, names)
        if owner is not None:
            out.setdefault(owner, set()).add(doc_id)
    return out


def plan_file(
    path: Path,
    stored: Mapping[str, tuple[str, str]],
    of_file: set[str],
    *,
    hash_of: HashOf,
    strict: bool = False,
    max_bytes: int | None = None,
    max_doc_bytes: int | None = None,
    acl_of: AclOf = _as_given,
    stored_acl: Mapping[str, str] | None = None,
) -> FilePlan:
    """Stream ``path`` once and plan it against ``stored`` (``doc_id -> (source, hash)``); ``of_file`` holds the
    stored ids that came from this file and ``hash_of`` gives the hash a document is stored under. ``acl_of``
    gives the ACL a document is stored with; an unchanged document stored (``stored_acl``) with another one is
    planned as an ACL update.

    Raises :class:`InputError` for a file that cannot be ingested (unreadable; a corpus with no readable record,
    or, ``strict``, with any bad one)."""
    load, checks = array("q"), array("q")
    replaces: set[str] = set()
    acl_updates: list[tuple[str, str]] = []
    gone = set(of_file)
    bad: list[InputError] = []
    new = changed = unchanged = chars = ordinal = 0
    for _, record in iter_records(path, max_bytes=max_bytes, max_doc_bytes=max_doc_bytes):
        if isinstance(record, InputError):
            bad.append(record)
            continue
        gone.discard(record.id)
        h = hash_of(record)
        old = stored.get(record.id)
        if old is None or old[1] != h:
            if old is None:
                new += 1
            else:
                changed += 1
                replaces.add(record.id)
            load.append(ordinal)
            checks.append(_digest(h))
            chars += len(record.text)
        else:
            unchanged += 1
            acl = acl_of(record)
            if stored_acl is not None and stored_acl.get(record.id, "") != acl:
                acl_updates.append((record.id, acl))
        ordinal += 1
    if is_corpus(path):
        check_corpus(path, ordinal, bad, strict=strict)
    # a skipped record may be a stored one, edited badly: keep what is stored
    removed = () if bad else tuple(sorted(gone))
    return FilePlan(
        path, load, checks, frozenset(replaces), removed, new, changed, unchanged, chars, tuple(bad), tuple(acl_updates)
    )


def load_slices(
    plan: IngestPlan,
    *,
    hash_of: HashOf,
    max_bytes: int | None = None,
    max_doc_bytes: int | None = None,
    max_docs: int = 4096,
    max_chars: int = 32 * 1024 * 1024,
    on_error: Callable[[InputError], None],
    acl_of: AclOf = _as_given,
) -> Iterator[list[Document]]:
    """The documents to load, read again file by file, in slices of at most ``max_docs`` documents or about
    ``max_chars`` characters of text (a larger document is a slice of its own), each document carrying the hash
    and the ACL it is stored under. Slices run across files, in file order; a file that no longer matches its
    plan (changed since it was planned) is reported to ``on_error`` and the rest of it is not loaded."""
    current: list[Document] = []
    size = 0
    for f in plan.files:
        if not f.load:
            continue
        k, ordinal = 0, 0
        try:
            for line, record in iter_records(f.path, max_bytes=max_bytes, max_doc_bytes=max_doc_bytes):
                if isinstance(record, InputError):
                    continue
                if ordinal == f.load[k]:
                    h = hash_of(record)
                    if _digest(h) != f.checks[k]:
                        raise InputError("changed while it was being ingested; run ingest again", path=str(f.path),
                                         line=line)  # fmt: skip
                    if current and (len(current) >= max_docs or size + len(record.text) > max_chars):
                        yield current
                        current, size = [], 0
                    current.append(replace(record, hash=h, acl=acl_of(record)))
                    size += len(record.text)
                    k += 1
                    if k == len(f.load):
                        break
                ordinal += 1
            else:
                raise InputError("changed while it was being ingested (records missing); run ingest again",
                                 path=str(f.path))  # fmt: skip
        except InputError as exc:
            on_error(exc)
    if current:
        yield current


def slice_batches(
    slices: Iterator[list[Document]], docs_per_batch: int, min_chars: int = 0
) -> Iterator[tuple[Document, ...]]:
    """Batches cut from each slice, shortest first (batches of similar length embed with little padding): each of
    ``docs_per_batch`` documents, or more while their text is under ``min_chars`` (a batch of one-line records
    would otherwise be a store write for a few kilobytes, and Kuzu's writes cost per write more than per row); with
    ``min_chars``, what is left at the end of a slice joins the slice's last batch. The order is a pure function of
    the input."""
    for docs in slices:
        order = sorted(range(len(docs)), key=lambda i: (len(docs[i].text), i))
        full: list[Document] | None = None  # the last full batch, held back in case a short rest joins it
        batch: list[Document] = []
        chars = 0
        for j in order:
            batch.append(docs[j])
            chars += len(docs[j].text)
            if len(batch) >= docs_per_batch and chars >= min_chars:
                if full is not None:
                    yield tuple(full)
                full, batch, chars = batch, [], 0
        if min_chars and full is not None and batch:  # a short rest of a slice joins the batch before it
            full, batch = full + batch, []
        if full is not None:
            yield tuple(full)
        if batch:
            yield tuple(batch)


__all__ = ["AclOf", "FilePlan", "HashOf", "IngestPlan", "load_slices", "plan_file", "slice_batches", "stored_by_file"]
