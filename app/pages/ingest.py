"""Ingest: upload files or paste text, run the extraction pipeline with progress bars, list and delete
documents."""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st
from ui_common import can_write, db_path, graph, guarded, has_store
from ui_ingest import run_ingest
from ui_progress import StreamlitProgress

from graphrag.extract.readers import KNOWN_SUFFIXES

LAST_KEY = "ingest_last_report"
DONE_KEY = "ingest_done"


def upload_dir() -> Path:
    """Where uploaded and pasted texts are kept, beside the database, so re-ingesting them is incremental."""
    return db_path().parent / "uploads"


def _slug(title: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", title.strip()).strip("._")[:80] or "pasted"


def save_uploads(files: list) -> list[Path]:
    """Write uploaded files under :func:`upload_dir` (names reduced to safe characters)."""
    out = []
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    for f in files:
        name = Path(f.name).name
        stem, dot, ext = name.partition(".")
        dest = folder / (_slug(stem) + dot + ext)
        dest.write_bytes(f.getvalue())
        out.append(dest)
    return out


def save_pasted(title: str, text: str) -> Path:
    """Pasted text as a Markdown file whose heading is the title (the reader takes the title from it)."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / f"{_slug(title)}.md"
    dest.write_text(f"# {title.strip()}\n\n{text.strip()}\n", encoding="utf-8")
    return dest


def show_report(report: dict) -> None:
    """What the last run added."""
    c = st.columns(5)
    c[0].metric("New documents", report["documents_new"])
    c[1].metric("Changed", report["documents_changed"])
    c[2].metric("Unchanged", report["documents_unchanged"])
    c[3].metric("Chunks", report["chunks"])
    c[4].metric("Triples", report["triples"])
    st.caption(
        f"{report['entities']:,} new entities, {report['mentions']:,} mentions, "
        f"{report['batches']} batch(es), "
        f"{report['wall_s']:.1f} s"
        + (
            f"; per stage: {', '.join(f'{k} {v:.2f} s' for k, v in report['timings_s'].items())}"
            if report.get("timings_s")
            else ""
        )
    )
    for err in report.get("errors") or ():
        st.warning(f"Skipped: {err}")


def ingest_section() -> None:
    """Upload or paste, then run the pipeline."""
    st.subheader("Add documents")
    up_tab, paste_tab = st.tabs(["Upload files", "Paste text"])
    with up_tab:
        files = st.file_uploader(
            "Text, Markdown, or JSON/JSONL corpora of {title, text} records",
            type=[s.lstrip(".") for s in KNOWN_SUFFIXES],
            accept_multiple_files=True,
            key="ingest_files",
        )
        go_files = st.button("Ingest files", type="primary", disabled=not files, key="ingest_go_files")
    with paste_tab:
        title = st.text_input("Title", key="ingest_title")
        text = st.text_area("Text", height=180, key="ingest_text")
        go_text = st.button(
            "Ingest text", type="primary", key="ingest_go_text", disabled=not (title.strip() and text.strip())
        )
    left, right = st.columns([3, 1])
    acl = left.text_input(
        "Who may read them",
        key="ingest_acl",
        placeholder="public",
        help="Groups, comma-separated (user:NAME for one person); empty: everyone. A record's own acl field wins.",
    )
    mask_pii = right.checkbox(
        "Mask PII",
        key="ingest_mask_pii",
        help="Replace emails, phone, card and IBAN numbers, IP addresses and person names by typed placeholders "
        "before anything is stored.",
    )
    paths: list[Path] = []
    if go_files and files:
        paths = save_uploads(files)
    elif go_text:
        paths = [save_pasted(title, text)]
    if paths:
        progress = StreamlitProgress(st.container())
        with guarded("the ingest"):
            report = run_ingest(graph(), paths, progress=progress, acl=acl, mask_pii=mask_pii)
            progress.close()
            st.session_state[LAST_KEY] = report.as_dict()
            st.session_state[DONE_KEY] = f"Ingested {len(paths)} file(s)."
            st.rerun()  # so the sidebar and the document list show the new state
    if DONE_KEY in st.session_state:
        st.success(st.session_state.pop(DONE_KEY))
    if LAST_KEY in st.session_state:
        show_report(st.session_state[LAST_KEY])


def documents_section() -> None:
    """The stored documents, and deleting one."""
    st.subheader("Documents")
    rag = graph()
    if not rag.exists():
        st.caption("No database yet.")
        return
    docs: list[dict] = []
    with guarded("listing the documents"):
        docs = rag.documents()
    if not docs:
        st.caption("The database holds no documents.")
        return
    st.dataframe(docs, hide_index=True, column_order=["title", "source", "kind", "n_chunks", "pending", "id"])
    if any(d["pending"] for d in docs):
        st.warning(
            "Documents marked pending were not fully written (the writing process stopped): "
            "ingest them again or delete them."
        )
    by_label = {f"{d['title'] or '(untitled)'} — {d['source']}": d["id"] for d in docs}
    picked = st.selectbox(
        "Delete a document",
        list(by_label),
        index=None,
        key="ingest_delete_pick",
        placeholder="Pick a document…",
    )
    doomed = by_label.get(picked) if picked is not None else None
    if doomed is not None:
        sure = st.checkbox("Also remove the entities and relations only this document supported", key="ingest_sure")
        if st.button("Delete", type="primary", disabled=not sure, key="ingest_delete"):
            removed = None
            with guarded("the delete"):
                removed = rag.delete(doomed)
            if removed is not None:
                st.session_state.pop("ingest_delete_pick", None)
                st.session_state["ingest_deleted"] = (
                    f"Removed {removed['Document']} document, {removed['Chunk']} chunk(s), "
                    f"{removed['RELATION']} triple(s) and {removed['Entity']} entity(ies) "
                    "nothing else supported."
                )
                st.rerun()
    if "ingest_deleted" in st.session_state:
        st.success(st.session_state.pop("ingest_deleted"))


st.title("Ingest")
if not has_store("Ingest"):  # a served explorer does not offer the page either
    st.stop()
if not can_write():  # a read-only explorer does not offer the page; this stops a direct visit and a preview
    st.info("Writes are off here (a read-only explorer, or a preview of what a user may read).")
    st.stop()
st.caption(f"Database: `{db_path()}`")
ingest_section()
st.divider()
documents_section()
