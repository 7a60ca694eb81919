"""The explorer, hardened: an identity fixed at start-up sees only its documents on every page, a read-only
explorer has no Ingest page and no writes, the owner can preview a user's view, and an explorer that takes its
identity from an authenticating proxy refuses requests without one."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

from graphrag import GraphRAG  # noqa: E402

TIMEOUT_S = 120


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


@pytest.fixture
def restricted_db(tiny_db: Path) -> Path:
    """The tiny Lovelace store with the Alan Turing document readable by group ``staff`` only."""
    rag = GraphRAG(tiny_db)
    turing = next(d["id"] for d in rag.documents() if d["title"] == "Alan Turing")
    assert rag.set_acl(turing, "staff") == 1
    return tiny_db


def _app(app_path: Path, db: Path, monkeypatch: pytest.MonkeyPatch, **env: str) -> AppTest:
    monkeypatch.setenv("GRAPHRAG_DB", str(db))
    for key in ("GRAPHRAG_USER", "GRAPHRAG_GROUPS", "GRAPHRAG_APP_READ_ONLY", "GRAPHRAG_APP_IDENTITY_HEADERS"):
        monkeypatch.delenv(key, raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return AppTest.from_file(str(app_path), default_timeout=TIMEOUT_S)


def test_a_fixed_identity_sees_only_its_documents(
    app_path: Path, restricted_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(app_path, restricted_db, monkeypatch, GRAPHRAG_USER="bob").run()
    assert not at.exception
    side = _texts(at.sidebar.caption) + _texts(at.sidebar.markdown)
    assert "Reading as **bob (no groups)**" in side
    assert "2 documents" in side and "1 documents are not visible to bob" in side
    at = at.switch_page("pages/cypher.py").run()
    at.text_area(key="cypher_query").input("MATCH (c:Chunk) RETURN c.text AS text")
    at.get("form_submit_button")[0].click()
    at = at.run()
    assert not at.exception
    shown = str([df.value for df in at.dataframe])
    assert "Ada Lovelace was an English mathematician" in shown and "Alan Turing cited" not in shown
    at = at.switch_page("pages/ingest.py").run()  # not among this session's pages
    assert not [b for b in at.button if b.key == "ingest_go_text"]
    at = at.switch_page("pages/evaluate.py").run()  # evaluations run as the owner: not for bob
    assert "Evaluations are off here" in _texts(at.info)


def test_a_locked_down_explorer_keeps_its_database_and_model_endpoint(
    app_path: Path, restricted_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.kuzu"
    GraphRAG(other).write_cypher("RETURN 1")  # another store on the same server
    at = _app(app_path, restricted_db, monkeypatch, GRAPHRAG_USER="bob")
    at.session_state["graphrag_db"] = str(other)  # what the Database box would set, if it were there
    at = at.run()
    assert not [w for w in at.sidebar.text_input if w.key == "graphrag_db"]
    assert "2 documents" in _texts(at.sidebar.caption)  # still the store it was started on
    assert not [w for w in at.text_input if w.key == "ask_base_url"]


def test_staff_see_the_restricted_document(
    app_path: Path, restricted_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(app_path, restricted_db, monkeypatch, GRAPHRAG_USER="sam", GRAPHRAG_GROUPS="staff").run()
    assert not at.exception
    assert "3 documents" in _texts(at.sidebar.caption)


def test_a_read_only_explorer_has_no_ingest_page_and_no_community_build(
    app_path: Path, restricted_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(app_path, restricted_db, monkeypatch, GRAPHRAG_APP_READ_ONLY="1").run()
    assert not at.exception
    assert "Read-only explorer" in _texts(at.sidebar.caption)
    assert "3 documents" in _texts(at.sidebar.caption)  # the owner's view, read-only
    at = at.switch_page("pages/communities.py").run()
    assert not [b for b in at.button if b.key == "communities_build"]
    at = at.switch_page("pages/ingest.py").run()
    assert not [b for b in at.button if b.key == "ingest_go_text"]


def test_the_owner_previews_a_users_view(app_path: Path, restricted_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    at = _app(app_path, restricted_db, monkeypatch).run()
    assert "3 documents" in _texts(at.sidebar.caption)
    assert [w for w in at.sidebar.text_input if w.key == "graphrag_view_as"]
    # AppTest loses the sidebar after a sidebar widget's input (the Database box too), so the preview's user is
    # set as the widget would set it, before a run
    at = _app(app_path, restricted_db, monkeypatch)
    at.session_state["graphrag_view_as"] = "bob"
    at = at.run()
    assert not at.exception
    assert "2 documents" in _texts(at.sidebar.caption)
    at = at.switch_page("pages/ingest.py").run()  # the owner keeps the page, but a preview writes nothing
    assert "Writes are off here" in _texts(at.info)
    assert not [b for b in at.button if b.key == "ingest_go_text"]


def test_identity_headers_refuse_a_request_without_them(
    app_path: Path, restricted_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = _app(app_path, restricted_db, monkeypatch, GRAPHRAG_APP_IDENTITY_HEADERS="1").run()
    assert "No X-Forwarded-User header" in _texts(at.error)
    assert "documents" not in _texts(at.sidebar.caption)
