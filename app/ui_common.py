"""What every page shares: which database, the cached :class:`~graphrag.api.GraphRAG` over it (or, with
``--server``, the client of the ``graphrag serve`` the explorer answers through), and turning errors into
messages."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from graphrag.acl import Principal
from graphrag.api import GraphRAG
from graphrag.config import DEFAULT_DB, GraphRAGConfig, StoreConfig
from graphrag.errors import ConfigError, GraphRAGError, ReadOnlyViolation, ServerError, StoreError, StoreLockedError
from graphrag.serve.client import ServerClient

DB_KEY = "graphrag_db"
VIEW_AS_KEY, VIEW_GROUPS_KEY = "graphrag_view_as", "graphrag_view_groups"


def _argv_value(argv: list[str], flag: str) -> str | None:
    """``FLAG VALUE`` or ``FLAG=VALUE`` from the arguments after ``streamlit run app/main.py --``."""
    for i, a in enumerate(argv):
        if a == flag and i + 1 < len(argv):
            return argv[i + 1]
        if a.startswith(f"{flag}="):
            return a.split("=", 1)[1]
    return None


def _argv_db(argv: list[str]) -> str | None:
    """``--db DIR`` or ``--db=DIR``."""
    return _argv_value(argv, "--db")


#: The request headers an authenticating proxy (oauth2-proxy, Pomerium, ...) sets, read with --identity-headers.
USER_HEADER, GROUPS_HEADER = "X-Forwarded-User", "X-Forwarded-Groups"


@dataclass(frozen=True)
class AppSettings:
    """How the explorer was started (``graphrag app`` flags, after ``--`` for ``streamlit run``).

    ``read_only`` hides the Ingest page and every write; ``user``/``groups`` fix the identity every session reads
    as; ``identity_headers`` takes each session's identity from the headers an authenticating proxy sets
    (:data:`USER_HEADER`, :data:`GROUPS_HEADER`) and refuses a request without them. ``server`` is the address
    of a ``graphrag serve`` that answers every question, search and query instead of a store and models in
    this process (which then opens no store and loads no model, and offers no writing page)."""

    read_only: bool = False
    user: str | None = None
    groups: str | None = None
    identity_headers: bool = False
    server: str | None = None


def app_settings(argv: list[str] | None = None) -> AppSettings:
    """The settings from the command line (``--read-only``, ``--as``, ``--groups``, ``--identity-headers``,
    ``--server``) or the environment (``GRAPHRAG_APP_READ_ONLY=1``, ``GRAPHRAG_USER``, ``GRAPHRAG_GROUPS``,
    ``GRAPHRAG_APP_IDENTITY_HEADERS=1``, ``GRAPHRAG_APP_SERVER``)."""
    args = sys.argv[1:] if argv is None else argv
    env = os.environ
    return AppSettings(
        read_only="--read-only" in args or env.get("GRAPHRAG_APP_READ_ONLY") == "1",
        user=_argv_value(args, "--as") or env.get("GRAPHRAG_USER") or None,
        groups=_argv_value(args, "--groups") or env.get("GRAPHRAG_GROUPS") or None,
        identity_headers="--identity-headers" in args or env.get("GRAPHRAG_APP_IDENTITY_HEADERS") == "1",
        server=_argv_value(args, "--server") or env.get("GRAPHRAG_APP_SERVER") or None,
    )


def principal() -> Principal | None:
    """Who this session reads as: the identity the app was started with, else the proxy's headers (with
    ``--identity-headers``), else the sidebar's "View as" (the owner previewing a user's view), else nobody
    (the whole store)."""
    settings = app_settings()
    if settings.user:
        return Principal.of(settings.user, settings.groups)
    if settings.identity_headers:
        headers = st.context.headers
        user = headers.get(USER_HEADER)
        if not user:
            st.error(f"No {USER_HEADER} header: this explorer serves only requests its authenticating proxy let in.")
            st.stop()
        return Principal.of(user, headers.get(GROUPS_HEADER) or "")
    view_as = st.session_state.get(VIEW_AS_KEY) or ""
    if view_as.strip():
        try:
            return Principal.of(view_as, st.session_state.get(VIEW_GROUPS_KEY) or "")
        except GraphRAGError as exc:
            st.sidebar.error(str(exc))
    return None


def offers_writes() -> bool:
    """Whether the explorer offers writing pages at all: not read-only, no identity fixed or taken from a proxy
    (the owner's "View as" preview keeps the pages; they refuse writes while it is on), no server answering
    for it (a served explorer has no store of its own)."""
    settings = app_settings()
    return not (settings.read_only or settings.user or settings.identity_headers or settings.server)


def can_write() -> bool:
    """Whether this session may change the store (not read-only, not reading as a principal)."""
    if app_settings().read_only or app_settings().server:
        return False
    try:
        return principal() is None
    except GraphRAGError:
        return False


def default_db_path() -> Path:
    """The database the app was started with: ``--db``, else ``$GRAPHRAG_DB``, else the toolkit's default."""
    return Path(_argv_db(sys.argv[1:]) or os.environ.get("GRAPHRAG_DB") or DEFAULT_DB).expanduser().resolve()


def db_path() -> Path:
    """The database this session looks at (the sidebar can change it, unless the explorer is locked down: then
    always the one it was started on)."""
    if not offers_writes():
        return default_db_path()
    if DB_KEY not in st.session_state:
        st.session_state[DB_KEY] = str(default_db_path())
    return Path(st.session_state[DB_KEY])


@st.cache_resource(show_spinner=False, max_entries=32)
def _graph(path: str, who: Principal | None, read_only: bool) -> GraphRAG:
    # no waiting for a lock held by another process: a page says so at once and offers a Retry button
    config = GraphRAGConfig(store=StoreConfig(lock_wait_s=0.0))
    return GraphRAG(path, config=config, principal=who, read_only=read_only)


def graph() -> GraphRAG:
    """The GraphRAG object over this session's database as this session's principal sees it (one per path and
    principal, shared by all sessions). It opens the database only during each call, so another process can
    write while the app is idle, and it keeps the retriever and models loaded until the database changes.

    A served explorer (``--server``) has none: asking for it is a bug in a page, refused before anything is
    opened or loaded."""
    settings = app_settings()
    if settings.server:
        raise ConfigError(f"this page needs the store itself; the explorer answers through {settings.server}")
    return _graph(str(db_path()), principal(), settings.read_only)


@st.cache_resource(show_spinner=False, max_entries=32)
def _client(url: str, who: Principal | None) -> ServerClient:
    return ServerClient(url, principal=who)


def served() -> ServerClient | None:
    """The client of the ``graphrag serve`` this explorer answers through (``--server``), asking as this
    session's principal; ``None`` for an explorer with its own store."""
    url = app_settings().server
    return _client(url, principal()) if url else None


def reader() -> GraphRAG | ServerClient:
    """What the reading pages search, look up and query: the server when there is one, else :func:`graph`
    (both have ``search_entities``, ``entity``, ``neighbourhood``, ``cypher`` and ``retrieve``)."""
    return served() or graph()


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
    except ServerError as exc:
        st.error(f"{str(exc)[:1].upper()}{str(exc)[1:]}.", icon=":material/cloud_off:")
    except StoreError as exc:
        st.error(f"Could not do {action}: {exc}")
    except GraphRAGError as exc:
        st.error(f"{type(exc).__name__}: {exc}")


def has_store(page: str) -> bool:
    """Whether this page can run here: on a served explorer it says in one line why not (it needs the store
    itself, which the server does not expose) and returns False."""
    url = app_settings().server
    if url:
        st.info(
            f"{page} needs the store itself, and this explorer answers through the server at {url}: run "
            "`graphrag app --db DIR` where the store is for it."
        )
    return not url


def require_database() -> bool:
    """Show a hint and return False when the session's database does not exist yet (or, for a served
    explorer, when its server cannot be reached or has no database)."""
    client = served()
    if client is not None:
        health = None
        with guarded("the server check"):
            health = client.health()
        if health is not None and not health.exists:
            st.info(f"The server at {client.base_url} has no database at `{health.db}` yet.")
        return health is not None and health.exists
    if graph().exists():
        return True
    st.info(
        f"There is no database at `{db_path()}` yet. Add documents on the **Ingest** page, run "
        "`make demo` for the demo database, or pick another database in the sidebar."
    )
    return False
