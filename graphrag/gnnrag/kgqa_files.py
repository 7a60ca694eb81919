"""MetaQA question files: ``question<TAB>answer1|answer2|...`` with the topic entity in ``[brackets]``
(question-answer records in JSON or JSONL are read by :mod:`~graphrag.gnnrag.qa_files`; :func:`load_questions`
reads either).

Only the file format is MetaQA's: any KGQA file written the same way loads (the hop count is read from a
``N-hop`` folder in the path when there is one). Bad lines raise :class:`~graphrag.errors.InputError` naming
the file and line, and nothing is returned for a file with a bad line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from graphrag.errors import InputError

BRACKETED = re.compile(r"\[([^\[\]]+)\]")
_HOP_DIR = re.compile(r"(?:^|[/\\])(\d+)-hop(?:[/\\]|$)")


@dataclass(frozen=True, slots=True)
class KGQAExample:
    """One question with its topic entity names, gold answer names and where it came from."""

    question: str
    topics: tuple[str, ...]
    answers: tuple[str, ...]
    hops: int | None = None
    source: str = ""
    line: int = 0
    kind: str = ""  #: question type when the file gives one (2Wiki's ``question_type``)

    @property
    def plain_question(self) -> str:
        """The question with the brackets removed (what a user would type)."""
        return BRACKETED.sub(lambda m: m.group(1), self.question)


def topic_names(question: str) -> tuple[str, ...]:
    """The bracketed entity names of a question, in order, without duplicates."""
    return tuple(dict.fromkeys(" ".join(m.split()) for m in BRACKETED.findall(question)))


def mask_topics(question: str, placeholder: str = "it") -> str:
    """The question with every bracketed entity replaced by ``placeholder`` (so that questions asking the same
    thing about different entities read the same to the question encoder)."""
    return " ".join(BRACKETED.sub(placeholder, question).split())


def hops_from_path(path: str | Path) -> int | None:
    """``2`` for ``.../2-hop/vanilla/qa_test.txt``; ``None`` when the path names no hop count."""
    m = _HOP_DIR.search(str(Path(path).as_posix()))
    return int(m.group(1)) if m else None


def parse_lines(lines: Iterable[str], *, source: str, hops: int | None = None) -> list[KGQAExample]:
    """Parse question lines; raises :class:`InputError` at the first malformed line."""
    out: list[KGQAExample] = []
    for no, raw in enumerate(lines, 1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        question, sep, answers = line.partition("\t")
        if not sep:
            raise InputError("expected `question<TAB>answer|answer...` (no tab found)", path=source, line=no)
        if "\t" in answers:
            raise InputError("more than one tab; expected `question<TAB>answer|answer...`", path=source, line=no)
        names = tuple(dict.fromkeys(a.strip() for a in answers.split("|") if a.strip()))
        if not question.strip() or not names:
            raise InputError("empty question or answer list", path=source, line=no)
        topics = topic_names(question)
        if not topics:
            raise InputError("no topic entity in [brackets] in the question", path=source, line=no)
        out.append(KGQAExample(question.strip(), topics, names, hops, source, no))
    return out


def read_question_file(path: str | Path) -> str:
    """A question file's text (UTF-8); a missing, unreadable or non-UTF-8 file is an :class:`InputError`
    naming it (and the line of the first bad byte)."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("no such file", path=str(p)) from None
    except UnicodeDecodeError as exc:
        line = p.read_bytes()[: exc.start].count(b"\n") + 1
        raise InputError(f"not valid UTF-8 ({exc.reason})", path=str(p), line=line) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", path=str(p)) from None


def load_metaqa(path: str | Path, *, limit: int | None = None) -> list[KGQAExample]:
    """Read a MetaQA-format question file (UTF-8); ``limit`` keeps the first ``limit`` questions."""
    p = Path(path)
    examples = parse_lines(read_question_file(p).splitlines(), source=str(p), hops=hops_from_path(p))
    if not examples:
        raise InputError("no questions in the file", path=str(p))
    return examples[:limit] if limit is not None else examples


def load_questions(path: str | Path, *, limit: int | None = None, skip: int = 0) -> list[KGQAExample]:
    """Questions of one file: ``.json``/``.jsonl`` question-answer records
    (:func:`~graphrag.gnnrag.qa_files.load_qa`), else MetaQA's format. ``skip`` drops the first questions,
    then ``limit`` keeps the next ``limit``."""
    from graphrag.gnnrag.qa_files import is_qa_file, load_qa

    examples = load_qa(path) if is_qa_file(path) else load_metaqa(path)
    examples = examples[skip:]
    return examples[:limit] if limit is not None else examples


def load_many(paths: Sequence[str | Path], *, limit: int | None = None, skip: int = 0) -> list[KGQAExample]:
    """Questions of several files in order (``skip`` and ``limit`` apply to each file)."""
    out: list[KGQAExample] = []
    for p in paths:
        out += load_questions(p, limit=limit, skip=skip)
    return out


__all__ = [
    "KGQAExample",
    "hops_from_path",
    "load_many",
    "load_metaqa",
    "load_questions",
    "mask_topics",
    "parse_lines",
    "read_question_file",
    "topic_names",
]
