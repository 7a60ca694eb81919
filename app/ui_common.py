"""What every page shares: which database, the cached :class:`~graphrag.api.GraphRAG` over it, and turning
errors into messages."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import streamlit as st

from graphrag.api import GraphRAG
from graphrag.config import DEFAULT_DB, GraphRAGConfig, StoreConfig
from graphrag.errors import GraphRAGError, ReadOnlyViolation, StoreError, StoreLockedError

DB_KEY = "graphrag_db"


def _argv_db(argv: list[str]) -> str | None:
    """``--db DIR`` or ``--db=DIR`` from the arguments after ``streamlit run app/main.py --``."""
    for i, a in enumerate(argv):
        if a == "--db" and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith("--db="):
            return a.split("=", 1)[1]
    return None


def default_db_path() -> Path:
    """The database the app was started with: ``--db``, else ``$GRAPHRAG_DB``, else the toolkit's default."""
    return Path(_argv_db(sys.argv[1:]) or os.environ.get("GRAPHRAG_DB") or DEFAULT_DB).expanduser().resolve()


def db_path() -> Path:
    """The database this session looks at (the sidebar can change it)."""
    if DB_KEY not in st.session_state:
        st.session_state[DB_KEY] = str(default_db_path())
    return Path(st.session_state[DB_KEY])


@st.cache_resource(show_spinner=False)
def _graph(path: str) -> GraphRAG:
    # no waiting for a lock held by another process: a page says so at once and offers a Retry button
    config = GraphRAGConfig(store=StoreConfig(lock_wait_s=0.0))
    return GraphRAG(path, config=config)


def graph() -> GraphRAG:
    """The GraphRAG object over this session's database (one per path, shared by all sessions). It opens the
    database only during each call, so another process can write while the app is idle, and it keeps the
    retriever and models loaded until the database changes."""
    return _graph(str(db_path()))


@contextlib.contextmanager
def guarded(action: str = "this") -> Iterator[None]:
    """Run a block, showing the toolkit's errors as messages (with a retry button for a locked database)."""
    try:
        yield
    except StoreLockedError as exc:
        st.warning(f"The database is busy: {exc}", icon=":material/lock:")
        st.button("Retry", key=f"retry-{action}", type="primary")
    except ReadOnlyViolation as exc:
        st.error(str(exc), icon=":material/block:")
    except StoreError as exc:
        st.error(f"Could not do {action}: {exc}")
    except GraphRAGError as exc:
        st.error(f"{type(exc).__name__}: {exc}")


def require_database() -> bool:
    """Show a hint and return False when the session's database does not exist yet."""
    if graph().exists():
        return True
    st.info(
        f"There is no database at `{db_path()}` yet. Add documents on the **Ingest** page, run "
        "`make demo` for the demo database, or pick another database in the sidebar."
    )
    return False
