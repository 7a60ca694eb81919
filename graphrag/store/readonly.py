"""Decide whether a user's Cypher would write, before it reaches the database.

The check is lexical: comments, string literals and back-quoted names are removed first, so a keyword inside a
string (``WHERE e.name = 'CREATE'``) is not a write and a keyword hidden behind a comment still is. Every statement of a
multi-statement string is checked. ``CALL`` is allowed only for procedures known to be read-only. The store also opens
the database read-only for user queries, so this module gives the clear message and Kuzu is the last line.
"""

from __future__ import annotations

import re

from graphrag.errors import ReadOnlyViolation

# Clauses that change data, schema, files or the session's database.
WRITE_KEYWORDS = frozenset(
    {
        "CREATE", "MERGE", "SET", "DELETE", "DETACH", "REMOVE", "DROP", "ALTER", "COPY", "INSTALL",
        "UNINSTALL", "IMPORT", "EXPORT", "ATTACH", "USE", "CHECKPOINT", "TRUNCATE", "RENAME", "GRANT", "REVOKE",
    }
)
# ``LOAD EXTENSION`` changes the session; ``LOAD FROM file`` only reads.
_LOAD_WRITE_NEXT = frozenset({"EXTENSION"})

READ_ONLY_PROCEDURES = frozenset(
    {
        "show_tables", "table_info", "show_connection", "current_setting", "db_version", "show_functions",
        "show_indexes", "show_warnings", "show_attached_databases", "show_loaded_extensions",
        "show_official_extensions", "show_projected_graphs", "show_macros", "query_fts_index",
        "query_vector_index", "stats_info", "storage_info", "show_sequences",
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
            if prev in (".", "$") or nxt == ":" and prev in ("{", ","):
                continue  # a property name, parameter or map key, not a clause
            word = text.upper()
            if word in WRITE_KEYWORDS:
                return f"{word} clause"
            if word == "LOAD" and nxt.upper() in _LOAD_WRITE_NEXT:
                return "LOAD EXTENSION"
            if word == "CALL":
                reason = _call_reason(tokens[i + 1 :])
                if reason:
                    return reason
    return None


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
