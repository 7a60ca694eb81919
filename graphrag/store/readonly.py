"""Decide whether a user's Cypher would write, before it reaches the database.

The check is lexical: comments, string literals and back-quoted names are removed first, so a keyword inside a
string (``WHERE e.name = 'CREATE'``) is not a write and a keyword hidden behind a comment still is. Property
names (``n.set``), parameters (``$delete``), aliases (``AS set``) and map keys are not clauses. Every
statement of a multi-statement string is checked. ``CALL`` is allowed only for procedures known to be
read-only. Transaction control (``BEGIN TRANSACTION``, ``COMMIT``, ``ROLLBACK``) is refused too: it would
change the state of a connection the library shares. The store also opens the database read-only for user
queries, so this module gives the clear message and Kuzu is the last line.

``LOAD FROM`` reads, but it reads files on the machine that runs the query, so a read-only query may name only
files inside the folders it is allowed to read (:func:`ensure_files_allowed`; none unless configured; no
wildcards, which the engine would expand past the check): an explorer's user must not read ``/etc/passwd`` or the
server's keys through it. Kuzu's ``LOAD FROM`` can also scan
a Python variable of the calling process by name; only quoted paths (or ``$parameters`` holding them) pass.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from graphrag.errors import ReadOnlyViolation

_NOT_A_PATH = object()  # LOAD FROM a variable name, an expression: nothing to check

# Clauses that change data, schema, files, extensions, the session's database or its transaction state.
WRITE_KEYWORDS = frozenset(
    {
        "CREATE",
        "MERGE",
        "SET",
        "DELETE",
        "DETACH",
        "REMOVE",
        "DROP",
        "ALTER",
        "COPY",
        "INSTALL",
        "UNINSTALL",
        "UPDATE",
        "IMPORT",
        "EXPORT",
        "ATTACH",
        "USE",
        "CHECKPOINT",
        "TRUNCATE",
        "RENAME",
        "GRANT",
        "REVOKE",
        "COMMIT",
        "ROLLBACK",
    }
)
# Words that write only when the next word follows (elsewhere they may be variable names Kuzu accepts).
_WRITE_PAIRS = {"BEGIN": "TRANSACTION", "COMMENT": "ON", "PROJECT": "GRAPH"}
# ``LOAD FROM file`` and ``LOAD WITH HEADERS (...) FROM file`` only read; ``LOAD fts`` and
# ``LOAD EXTENSION fts`` load an extension into the session.
_LOAD_READ_NEXT = frozenset({"FROM", "WITH"})
# Functions with side effects: ``nextval`` advances a sequence.
WRITE_FUNCTIONS = frozenset({"nextval"})

READ_ONLY_PROCEDURES = frozenset(
    {
        "show_tables",
        "table_info",
        "show_connection",
        "current_setting",
        "db_version",
        "show_functions",
        "show_indexes",
        "show_warnings",
        "show_attached_databases",
        "show_loaded_extensions",
        "show_official_extensions",
        "show_projected_graphs",
        "show_macros",
        "query_fts_index",
        "query_vector_index",
        "stats_info",
        "storage_info",
        "show_sequences",
    }
)

_TOKEN = re.compile(
    r"""
    (?P<line_comment>//[^\n]*)
  | (?P<block_comment>/\*.*?(?:\*/|\Z))
  | (?P<string>'(?:[^'\\]|\\.)*(?:'|\Z)|"(?:[^"\\]|\\.)*(?:"|\Z))
  | (?P<quoted>`[^`]*(?:`|\Z))
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<semi>;)
  | (?P<other>\S)
    """,
    re.VERBOSE | re.DOTALL,
)


def _tokens(query: str) -> list[tuple[str, str]]:
    """(kind, text) pairs with comments dropped; strings and quoted names kept as opaque tokens."""
    out: list[tuple[str, str]] = []
    for m in _TOKEN.finditer(query):
        kind = m.lastgroup or "other"
        if kind in ("line_comment", "block_comment"):
            continue
        out.append((kind, m.group()))
    return out


def split_statements(query: str) -> list[list[tuple[str, str]]]:
    """Token lists of each non-empty statement in ``query``."""
    statements: list[list[tuple[str, str]]] = [[]]
    for kind, text in _tokens(query):
        if kind == "semi":
            statements.append([])
        else:
            statements[-1].append((kind, text))
    return [s for s in statements if s]


def write_reason(query: str) -> str | None:
    """Why ``query`` would write (e.g. ``"CREATE clause"``), or ``None`` when it only reads."""
    for tokens in split_statements(query):
        for i, (kind, text) in enumerate(tokens):
            if kind != "word":
                continue
            prev = tokens[i - 1][1] if i > 0 else ""
            nxt = tokens[i + 1][1] if i + 1 < len(tokens) else ""
            if prev in (".", "$") or prev.upper() == "AS" or nxt == ":" and prev in ("{", ","):
                continue  # a property name, parameter, alias or map key, not a clause
            word = text.upper()
            if word in WRITE_KEYWORDS:
                return f"{word} clause"
            if _WRITE_PAIRS.get(word) == nxt.upper():
                return f"{word} {nxt.upper()}"
            if word == "LOAD" and nxt.upper() not in _LOAD_READ_NEXT:
                return "LOAD of an extension"
            if text.lower() in WRITE_FUNCTIONS and nxt == "(":
                return f"{text.lower()}() changes a sequence"
            if word == "CALL":
                reason = _call_reason(tokens[i + 1 :])
                if reason:
                    return reason
    return None


def calls_procedure(query: str, name: str) -> bool:
    """Whether ``query`` calls the procedure or function ``name`` (any case, backquoted or not; not in a string or
    comment)."""
    for tokens in split_statements(query):
        for i, (kind, text) in enumerate(tokens[:-1]):
            if kind in ("word", "quoted") and text.strip("`").lower() == name.lower() and tokens[i + 1][1] == "(":
                return True
    return False


def _call_reason(rest: list[tuple[str, str]]) -> str | None:
    if not rest or rest[0][0] not in ("word", "quoted"):
        return "CALL without a procedure name"
    name = rest[0][1].strip("`")
    if len(rest) > 1 and rest[1][1] == "=":
        return f"CALL {name} = ... (changes a setting)"
    if name.lower() not in READ_ONLY_PROCEDURES:
        return f"CALL {name} (not a known read-only procedure)"
    return None


def ensure_read_only(query: str) -> None:
    """Raise :class:`ReadOnlyViolation` if ``query`` would change data or schema."""
    if not query or not query.strip():
        raise ReadOnlyViolation("empty query")
    reason = write_reason(query)
    if reason is not None:
        raise ReadOnlyViolation(
            f"refused: this query would change the database ({reason}). "
            "Queries are read-only unless writes are explicitly allowed (graphrag cypher --write)."
        )


def _load_sources(tokens: list[tuple[str, str]], start: int, params: Mapping[str, Any]) -> list[Any]:
    """What the ``LOAD`` at ``tokens[start]`` reads: file paths (from literals or parameters), or
    :data:`_NOT_A_PATH` for anything else."""
    i = start + 1
    while i < len(tokens) and tokens[i][1].upper() != "FROM":  # WITH HEADERS (...) before FROM
        i += 1
    i += 1
    if i >= len(tokens):
        return [_NOT_A_PATH]
    kind, text = tokens[i]
    if kind == "string":
        return [text[1:-1]]
    if text == "$" and i + 1 < len(tokens):
        value = params.get(tokens[i + 1][1], _NOT_A_PATH)
        values = value if isinstance(value, list) else [value]
        return [v if isinstance(v, str) else _NOT_A_PATH for v in values]
    if text == "[":
        out: list[Any] = []
        for kind, text in tokens[i + 1 :]:
            if text == "]":
                return out or [_NOT_A_PATH]
            if kind == "string":
                out.append(text[1:-1])
            elif text != ",":
                out.append(_NOT_A_PATH)
        return out or [_NOT_A_PATH]
    return [_NOT_A_PATH]


def _inside(path: str, folders: Sequence[str | Path]) -> bool:
    if any(c in path for c in "*?[]{}"):  # a glob can reach past a symlink or spell ``..`` past the check
        return False
    real = os.path.realpath(os.path.expanduser(path))  # symlinks and ``..`` resolved before the check
    for folder in folders:
        root = os.path.realpath(os.path.expanduser(str(folder)))
        if real == root or real.startswith(root.rstrip(os.sep) + os.sep):
            return True
    return False


def ensure_files_allowed(
    query: str, params: Mapping[str, Any] | None = None, allowed: Sequence[str | Path] = ()
) -> None:
    """Raise :class:`ReadOnlyViolation` if ``query`` loads a file outside the ``allowed`` folders (none by
    default), or loads from something other than a quoted path or a ``$parameter`` holding one."""
    for tokens in split_statements(query):
        for i, (kind, text) in enumerate(tokens):
            if kind != "word" or text.upper() != "LOAD" or (i and tokens[i - 1][1] in (".", "$")):
                continue
            for source in _load_sources(tokens, i, params or {}):
                if source is _NOT_A_PATH:
                    raise ReadOnlyViolation(
                        "refused: LOAD FROM reads only a quoted file path (or a $parameter holding one)"
                    )
                if not _inside(source, allowed):
                    where = ", ".join(str(a) for a in allowed) or "none are allowed"
                    raise ReadOnlyViolation(
                        f"refused: LOAD FROM {source!r} reads a file outside the folders user queries may read "
                        f"({where}; set [store] load_from_dirs)"
                    )
