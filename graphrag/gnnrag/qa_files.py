"""Question-answer files for any store: a JSON list, or JSON Lines, of ``{"question", "answer" | "answers"}``.

Questions need no ``[brackets]``: topic entities come from the entity linker. ``answer`` is a string (or number);
``answers`` a non-empty list of them. ``question_type`` (or ``type``) is kept for per-type reports, ``hops``
(an integer) when a record has one. 2WikiMultiHopQA's ``questions.json`` reads as it is. A bad record raises
:class:`~graphrag.errors.InputError` naming the file and line (JSONL) or record (JSON list), and nothing is
returned from a file with a bad record.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from graphrag.errors import InputError
from graphrag.gnnrag.kgqa_files import KGQAExample, read_question_file

QA_SUFFIXES = (".json", ".jsonl")


def is_qa_file(path: str | Path) -> bool:
    """Whether ``path`` names a JSON or JSONL question-answer file (by its suffix)."""
    return Path(path).suffix.lower() in QA_SUFFIXES


def _answers(record: dict[str, Any]) -> tuple[str, ...] | str:
    """The record's answers, or what is wrong with them."""
    raw = record.get("answers", record.get("answer"))
    if raw is None:
        return "no answer (give `answer` or a non-empty `answers` list)"
    values = raw if isinstance(raw, list) else [raw]
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, str | int | float):
            return f"answers must be strings or numbers, got {type(v).__name__}"
        text = " ".join(str(v).split())
        if text:
            out.append(text)
    if not out:
        return "no answer (give `answer` or a non-empty `answers` list)"
    return tuple(dict.fromkeys(out))


def parse_record(record: Any, *, source: str, line: int | None, where: str) -> KGQAExample:
    """One record as a :class:`KGQAExample` (no topic entities: the linker finds them); ``line`` is the JSONL
    line (``None`` in a JSON list, where ``where`` names the record)."""
    if not isinstance(record, dict):
        raise InputError(f"{where}: expected a JSON object, got {type(record).__name__}", path=source, line=line)
    question = record.get("question")
    if not isinstance(question, str) or not question.strip():
        raise InputError(f"{where}: `question` must be a non-empty string", path=source, line=line)
    answers = _answers(record)
    if isinstance(answers, str):
        raise InputError(f"{where}: {answers}", path=source, line=line)
    hops = record.get("hops")
    if hops is not None and (isinstance(hops, bool) or not isinstance(hops, int) or hops < 1):
        raise InputError(f"{where}: `hops` must be a positive integer", path=source, line=line)
    kind = record.get("question_type", record.get("type", ""))
    return KGQAExample(
        " ".join(question.split()), (), answers, hops, source, line or 0, "" if kind is None else str(kind)
    )


def load_qa(path: str | Path) -> list[KGQAExample]:
    """Read a JSON list or JSONL file of question-answer records (UTF-8)."""
    text = read_question_file(path)
    src = str(path)
    out: list[KGQAExample] = []
    if text.lstrip().startswith("["):
        try:
            records = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InputError(f"invalid JSON: {exc.msg}", path=src, line=exc.lineno) from None
        if not isinstance(records, list):
            raise InputError(f"expected a JSON list of records, got {type(records).__name__}", path=src)
        for i, rec in enumerate(records, 1):
            out.append(parse_record(rec, source=src, line=None, where=f"record {i}"))
    else:
        for no, raw in enumerate(text.splitlines(), 1):
            if not raw.strip():
                continue
            try:
                rec = json.loads(raw)
            except json.JSONDecodeError as exc:
                raise InputError(f"invalid JSON: {exc.msg}", path=src, line=no) from None
            out.append(parse_record(rec, source=src, line=no, where="record"))
    if not out:
        raise InputError("no questions in the file", path=src)
    return out


__all__ = ["QA_SUFFIXES", "is_qa_file", "load_qa", "parse_record"]
