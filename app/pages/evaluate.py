"""Evaluate: load an evaluation report (KGQA, retrieval, triples) or run one, and show its tables and
plots."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import time
from pathlib import Path

import streamlit as st
from ui_common import can_write, db_path, has_store
from ui_report import find_reports, images_beside, layout, load_report, parse_report

from graphrag.api import EVALUATIONS
from graphrag.errors import InputError

REPORT_KEY = "evaluate_report"  # (name, path or None, data)


def show_report(name: str, path: Path | None, report: dict) -> None:
    """Headline metrics, tables, bar charts and plots of one report."""
    lay = layout(report, name=name)
    st.subheader(lay.title)
    if path is not None:
        st.caption(f"`{path}`")
    if lay.headline:
        st.dataframe(
            [{"metric": k, "value": v if isinstance(v, str) else json.dumps(v)} for k, v in lay.headline.items()],
            hide_index=True,
        )
    for tname, rows in lay.tables.items():
        if tname in lay.charts:
            continue
        with st.expander(f"{tname or 'records'} ({len(rows)} rows)", expanded=len(rows) <= 20):
            st.dataframe(rows, hide_index=True)
    for cname, table in lay.charts.items():
        st.markdown(f"**{cname}**")
        st.dataframe(lay.tables.get(cname) or [{"": r, **row} for r, row in table.items()], hide_index=True)
        columns = sorted({c for row in table.values() for c in row})
        chart_data = {r: [row.get(c) for c in columns] for r, row in table.items()}
        if columns and len(table) * len(columns) > 1:
            import pandas as pd

            frame = pd.DataFrame(chart_data, index=columns)
            st.bar_chart(frame, stack=False, horizontal=len(columns) > 8)
    for note, text in lay.notes.items():
        with st.expander(note):
            st.markdown(text)
    if path is not None:
        for img in images_beside(path):
            st.image(str(img), caption=img.name)


def run_eval(kind: str, args: list[str], out: Path) -> bool:
    """Run ``graphrag eval KIND ARGS --out OUT`` in a child process, streaming its messages; True on
    success."""
    cmd = [
        sys.executable,
        "-m",
        "graphrag",
        "eval",
        kind,
        *args,
        "--out",
        str(out),
    ]
    out.parent.mkdir(parents=True, exist_ok=True)
    st.caption("Running: `graphrag " + " ".join(shlex.quote(a) for a in cmd[3:]) + "`")
    log = st.empty()
    lines: list[str] = []
    env = {**os.environ, "COLUMNS": "110", "NO_COLOR": "1"}
    t0 = time.perf_counter()
    with (
        st.spinner("Evaluating…"),
        subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env) as proc,
    ):
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip("\n").split("\r")[-1])
            log.code("\n".join(lines[-25:]) or "…", language=None)
        rc = proc.wait()
    elapsed = time.perf_counter() - t0
    if rc != 0 or not out.exists():
        st.error(f"The evaluation stopped with exit code {rc} after {elapsed:.1f} s; its messages are above.")
        return False
    st.success(f"Finished in {elapsed:.1f} s; report written to `{out}`.")
    return True


st.title("Evaluate")
if not has_store("Evaluate"):  # a served explorer does not offer the page either
    st.stop()
if not can_write():  # evaluations run as the store's owner and may write: a locked-down explorer has none
    st.info("Evaluations are off here (a read-only explorer, or a preview of what a user may read).")
    st.stop()
load_tab, run_tab = st.tabs(["Load a report", "Run an evaluation"])
with load_tab:
    reports_root = db_path().parent
    found = find_reports(reports_root)
    if found:
        pick = st.selectbox(
            f"Reports under `{reports_root}`",
            found,
            index=None,
            format_func=lambda p: str(p.relative_to(reports_root)),
            placeholder="Pick a report…",
            key="evaluate_pick",
        )
        if pick is not None and st.button("Open", key="evaluate_open"):
            try:
                st.session_state[REPORT_KEY] = (pick.name, pick, load_report(pick))
            except InputError as exc:
                st.error(str(exc))
    typed = st.text_input("…or a report's path", key="evaluate_path", placeholder="data/work/reports/kgqa.json")
    if typed and st.button("Load", key="evaluate_load"):
        try:
            st.session_state[REPORT_KEY] = (Path(typed).name, Path(typed), load_report(typed))
        except InputError as exc:
            st.error(str(exc))
    upload = st.file_uploader("…or upload one", type=["json"], key="evaluate_upload")
    if upload is not None:
        try:
            data = parse_report(json.loads(upload.getvalue().decode("utf-8")), source=upload.name)
            st.session_state[REPORT_KEY] = (upload.name, None, data)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            st.error(f"{upload.name}: not a JSON report: {exc}")
        except InputError as exc:
            st.error(str(exc))
with run_tab:
    if not EVALUATIONS:
        st.info("This installation has no evaluations.")
    else:
        kind = st.selectbox("Evaluation", sorted(EVALUATIONS), key="evaluate_kind")
        evaluation = EVALUATIONS[kind]
        st.caption(evaluation.summary)
        st.caption(f"Arguments: `{evaluation.usage}`")
        default_args = f"--db {shlex.quote(str(db_path()))}" if evaluation.uses_store else ""
        args_text = st.text_input("Arguments", value=default_args, key=f"evaluate_args_{kind}")
        out = db_path().parent / "reports" / f"{kind}-{time.strftime('%Y%m%d-%H%M%S')}.json"
        if st.button("Run", type="primary", key="evaluate_run"):
            try:
                args = shlex.split(args_text)
            except ValueError as exc:
                st.error(f"Cannot read the arguments: {exc}")
            else:
                if run_eval(kind, args, out):
                    st.session_state[REPORT_KEY] = (out.name, out, load_report(out))

current = st.session_state.get(REPORT_KEY)
if current:
    st.divider()
    show_report(*current)
