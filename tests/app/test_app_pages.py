"""Every page of the explorer, driven with Streamlit's AppTest over a tiny database built in the test."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from engine_code import ENGINE_IMPORT

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

TIMEOUT_S = 120


@pytest.fixture
def app(app_path: Path, tiny_db: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    """The app pointed at a private copy of the tiny database."""
    monkeypatch.setenv("GRAPHRAG_DB", str(tiny_db))
    return AppTest.from_file(str(app_path), default_timeout=TIMEOUT_S)


def _submit(at: AppTest, form_index: int = 0) -> AppTest:
    at.get("form_submit_button")[form_index].click()
    return at.run()


def _graph_data(at: AppTest, index: int = 0) -> dict:
    """The nodes and edges drawn by the index-th interactive graph on the page."""
    frames = at.get("iframe")
    assert len(frames) > index, "no interactive graph on the page"
    html = frames[index].proto.srcdoc
    assert "vis.Network" in html and "<script>/**" in html  # the bundled library is inlined: no network needed
    m = re.search(r"const data = (\{.*?\});\n", html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def _texts(elements) -> str:
    return "\n".join(str(e.value) for e in elements)


def test_sidebar_shows_database_summary(app: AppTest) -> None:
    at = app.run()
    assert not at.exception
    assert "3 documents · 3 passages · 5 entities · 6 relations" in _texts(at.sidebar.caption)
    assert "last changed 20" in _texts(at.sidebar.caption)  # when the store was last written


def test_ask_answers_without_llm_with_citations_paths_breakdown_and_timings(app: AppTest) -> None:
    at = app.run()
    at.text_area(key="ask_question").input("Where was Ada Lovelace born?")
    at.radio(key="ask_llm").set_value("none")
    _submit(at)
    assert not at.exception
    assert not at.error
    text = _texts(at.markdown)
    assert "Best passage [1] Ada Lovelace" in text  # the plain answer cites its source
    assert "**Sources**" in text
    assert any(e.label.startswith("[1] Ada Lovelace") for e in at.expander)
    assert "Answered by: none" in _texts(at.caption)
    # The fusion table ranks each passage in every retriever's list.
    frames = [d.value for d in at.dataframe]
    fused = next(f for f in frames if "fused rank" in f.columns)
    from graphrag.config import RetrieveConfig

    assert {f"{name} rank" for name in RetrieveConfig().components} <= set(fused.columns)
    assert fused.iloc[0]["passage"] == "Ada Lovelace"
    assert any("Total" in c.value and "ms" in c.value for c in at.caption)


def test_ask_reasoning_paths_are_drawn_as_a_graph(app: AppTest) -> None:
    at = app.run()
    at.text_area(key="ask_question").input("What did Charles Babbage design?")
    at.radio(key="ask_llm").set_value("none")
    _submit(at)
    assert not at.exception
    data = _graph_data(at)
    assert data["nodes"], "the reasoning-path graph has nodes"
    assert any("->" in m.value for m in at.markdown)  # the verbalised paths


def test_ask_empty_question_is_a_message_not_a_traceback(app: AppTest) -> None:
    at = app.run()
    at.radio(key="ask_llm").set_value("none")
    _submit(at)
    assert not at.exception
    assert "question is empty" in _texts(at.error)


def test_cypher_table_graph_refusal_errors_and_history(app: AppTest) -> None:
    at = app.switch_page("pages/cypher.py").run()
    _submit(at)  # the default example: most connected entities
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["entity", "type", "relations"]
    assert table.iloc[0]["entity"] == "Ada Lovelace" and table.iloc[0]["relations"] == 4

    at.selectbox(key="cypher_example").set_value("Relations as a graph").run()
    _submit(at)
    data = _graph_data(at)
    assert len(data["nodes"]) == 5 and len(data["edges"]) == 6
    assert {e["label"] for e in data["edges"]} >= {"born in", "designed", "cited"}

    at.text_area(key="cypher_query").input("MATCH (e:Entity) DETACH DELETE e")
    _submit(at)
    assert "refused" in _texts(at.error) and "DETACH" in _texts(at.error)

    at.text_area(key="cypher_query").input("MATCH (e:Entity RETURN e")
    _submit(at)
    assert "Parser exception" in _texts(at.error)
    assert not at.exception

    at.text_area(key="cypher_query").input("MATCH (e:Entity) WHERE e.name = $name RETURN e.type AS type")
    at.text_area(key="cypher_params").input("name=London")
    _submit(at)
    assert at.dataframe[0].value.iloc[0]["type"] == "GPE"

    history = next(e for e in at.expander if e.label.startswith("History"))
    assert history.label == "History (5)"
    # The store still has every entity: the refused query never ran.
    at.text_area(key="cypher_query").input("MATCH (e:Entity) RETURN count(*) AS n")
    at.text_area(key="cypher_params").input("")
    _submit(at)
    assert at.dataframe[0].value.iloc[0]["n"] == 5


def test_cypher_paths_are_drawn(app: AppTest) -> None:
    at = app.switch_page("pages/cypher.py").run()
    at.selectbox(key="cypher_example").set_value("Two-hop paths").run()
    _submit(at)
    assert not at.exception
    data = _graph_data(at)
    assert len(data["edges"]) >= 2


def test_explore_fuzzy_search_entity_page_and_neighbourhood(app: AppTest) -> None:
    at = app.switch_page("pages/explore.py").run()
    at.text_input(key="explore_search").input("babage").run()  # a typo
    assert at.radio[0].options == ["Charles Babbage · PERSON · fuzzy word"]
    at.radio[0].set_value(at.radio[0].options[0]).run()
    assert not at.exception
    assert at.header[0].value == "Charles Babbage"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Type": "PERSON", "Relations out": "2", "Relations in": "1", "Passages": "2"}
    assert "Babbage" in _texts(at.markdown)  # the alias
    one_hop = _graph_data(at)
    names = {n["label"] for n in one_hop["nodes"]}
    assert names == {"Charles Babbage", "Ada Lovelace", "Analytical Engine", "London"}

    at.slider(key="explore_depth").set_value(2).run()
    two_hop = {n["label"] for n in _graph_data(at)["nodes"]}
    assert "Alan Turing" in two_hop  # Turing cited Ada, two hops from Babbage

    at.slider(key="explore_cap").set_value(10).run()
    at.slider(key="explore_depth").set_value(3).run()
    assert len(_graph_data(at)["nodes"]) <= 10

    # Relations out as a table, then walk to a related entity.
    out = next(d.value for d in at.dataframe if "predicate" in d.value.columns)
    assert set(out["predicate"]) == {"born in", "designed"}
    related = at.selectbox(key=f"explore_related_{at.session_state['explore_entity']}")
    related.select_index(next(i for i, o in enumerate(related.options) if o.endswith("London"))).run()
    assert at.header[0].value == "London"


def test_explore_alias_and_no_match(app: AppTest) -> None:
    at = app.switch_page("pages/explore.py").run()
    at.text_input(key="explore_search").input("augusta ada").run()
    assert at.radio[0].options == ["Ada Lovelace · PERSON · alias"]
    at.text_input(key="explore_search").input("zzzzzz").run()
    assert "No entity matches" in _texts(at.info)


def test_ingest_pasted_text_then_delete_a_document(app: AppTest, tiny_db: Path) -> None:
    pytest.importorskip("spacy")
    at = app.switch_page("pages/ingest.py").run()
    docs = next(d.value for d in at.dataframe if "title" in d.value.columns)
    assert len(docs) == 3
    at.text_input(key="ingest_title").input("Grace Hopper")
    at.text_area(key="ingest_text").input(
        "Grace Hopper was an American computer scientist. Hopper worked on the Harvard Mark I in Cambridge."
    ).run()
    at.button(key="ingest_go_text").click().run()
    assert not at.exception, at.exception
    assert not at.error, _texts(at.error)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["New documents"] == "1" and int(metrics["Chunks"]) >= 1
    docs = next(d.value for d in at.dataframe if "title" in d.value.columns)
    assert "Grace Hopper" in set(docs["title"])
    assert (tiny_db.parent / "uploads" / "Grace_Hopper.md").exists()
    from graphrag.store import KuzuGraphStore

    with KuzuGraphStore(tiny_db, read_only=True) as store:  # the app released the database after the run
        assert store.stats()["nodes"]["Document"] == 4

    # Re-ingesting the same text adds nothing.
    at.button(key="ingest_go_text").click().run()
    assert {m.label: m.value for m in at.metric}["Unchanged"] == "1"

    pick = at.selectbox(key="ingest_delete_pick")
    pick.select_index(next(i for i, o in enumerate(pick.options) if o.startswith("Alan Turing"))).run()
    at.checkbox(key="ingest_sure").check().run()
    at.button(key="ingest_delete").click().run()
    assert not at.exception
    assert "Removed 1 document" in _texts(at.success)
    docs = next(d.value for d in at.dataframe if "title" in d.value.columns)
    assert "Alan Turing" not in set(docs["title"]) and len(docs) == 3


def test_evaluate_loads_a_report_with_tables_and_plots(app: AppTest, tiny_db: Path) -> None:
    reports = tiny_db.parent / "reports"
    reports.mkdir()
    report = {
        "kind": "kgqa",
        "dataset": "metaqa",
        "questions": 30,
        "by_hops": {"1-hop": {"hits@1": 0.97, "f1": 0.95}, "2-hop": {"hits@1": 0.99, "f1": 0.98}},
        "latency_ms": {"p50": 4.0, "p95": 9.5},
        "per_question": [{"question": "who directed [Up]", "hit": True}, {"question": "q2", "hit": False}],
    }
    path = reports / "kgqa-report.json"
    path.write_text(json.dumps(report))
    _tiny_png(reports / "kgqa-report_hops.png")
    at = app.switch_page("pages/evaluate.py").run()
    pick = at.selectbox(key="evaluate_pick")
    pick.select_index(pick.options.index("reports/kgqa-report.json")).run()
    at.button(key="evaluate_open").click().run()
    assert not at.exception
    assert at.subheader[0].value == "kgqa"
    frames = [d.value for d in at.dataframe]
    headline = next(f for f in frames if "metric" in f.columns)
    assert dict(zip(headline["metric"], headline["value"], strict=True))["questions"] == "30"
    by_hops = next(f for f in frames if "hits@1" in f.columns)
    assert list(by_hops[""]) == ["1-hop", "2-hop"]
    assert any(len(f) == 2 and "question" in f.columns for f in frames)
    assert [c for img in at.image for c in img.captions] == ["kgqa-report_hops.png"]  # the plot beside it


def test_evaluate_bad_report_is_a_message(app: AppTest, tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{not json")
    at = app.switch_page("pages/evaluate.py").run()
    at.text_input(key="evaluate_path").input(str(bad)).run()
    at.button(key="evaluate_load").click().run()
    assert not at.exception
    assert "broken.json" in _texts(at.error) and "not a JSON report" in _texts(at.error)


def test_evaluate_lists_the_evaluations(app: AppTest) -> None:
    at = app.switch_page("pages/evaluate.py").run()
    from graphrag.api import EVALUATIONS

    assert at.selectbox(key="evaluate_kind").options == sorted(EVALUATIONS)
    at.selectbox(key="evaluate_kind").set_value("retrieval").run()
    assert "--corpus FILE" in _texts(at.caption)
    assert at.text_input(key="evaluate_args_retrieval").value.startswith("--db ")


def test_locked_database_shows_a_retry_not_a_crash(app: AppTest, tiny_db: Path) -> None:
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; " + ENGINE_IMPORT + "; db = kuzu.Database(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(60)",
            str(tiny_db),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        at = app.switch_page("pages/cypher.py").run()
        _submit(at)
        assert not at.exception
        assert "locked by another process" in _texts(at.warning)
        assert any(b.label == "Retry" for b in at.button)
    finally:
        holder.kill()
        holder.wait()
    next(b for b in at.button if b.label == "Retry").click().run()
    _submit(at)
    assert not at.warning
    assert at.dataframe[0].value.iloc[0]["entity"] == "Ada Lovelace"


def test_pages_without_a_database_point_to_ingest(
    app_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GRAPHRAG_DB", str(tmp_path / "none.kuzu"))
    at = AppTest.from_file(str(app_path), default_timeout=TIMEOUT_S).run()
    for page in ("pages/ask.py", "pages/explore.py", "pages/cypher.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert "There is no database" in _texts(at.info)
    assert not (tmp_path / "none.kuzu").exists()  # looking never creates one


def test_app_releases_the_database_between_runs(app: AppTest, tiny_db: Path) -> None:
    at = app.run()
    assert not at.exception
    # Another process can open the database for writing while the app is idle.
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; " + ENGINE_IMPORT + "; kuzu.Database(sys.argv[1]); print('ok')",
            str(tiny_db),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.stdout.strip() == "ok", out.stderr


def _tiny_png(path: Path) -> None:
    """A valid 1x1 PNG."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    raw = b"\x00\xff\xff\xff"
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def test_ask_with_the_local_model_answers_or_explains_never_crashes(app: AppTest) -> None:
    at = app.run()
    at.text_area(key="ask_question").input("Where was Ada Lovelace born?")
    _submit(at)  # "local" is the default choice
    assert not at.exception
    if at.error:  # e.g. llama.cpp cannot run on this CPU: a message naming the cause, the app still serving
        assert "the local model" in _texts(at.error)
    else:
        assert "Answered by:" in _texts(at.caption) and "none" not in _texts(at.caption)


def test_evaluate_runs_an_evaluation_and_shows_its_report(app: AppTest, tmp_path: Path) -> None:
    pytest.importorskip("spacy")
    gold = tmp_path / "gold.jsonl"
    record = {"eid": "Id1", "category": "Film", "texts": ["Jaws was directed by Steven Spielberg."],
              "triples": [["Jaws_(film)", "director", "Steven_Spielberg"]]}  # fmt: skip
    gold.write_text(json.dumps(record) + "\n", encoding="utf-8")
    at = app.switch_page("pages/evaluate.py").run()
    at.selectbox(key="evaluate_kind").set_value("triples").run()
    at.text_input(key="evaluate_args_triples").input(f"--gold {gold} --embedder none").run()
    at.button(key="evaluate_run").click().run()
    assert not at.exception
    assert not at.error, _texts(at.error)
    assert "report written to" in _texts(at.success)
    headline = next(d.value for d in at.dataframe if "metric" in d.value.columns)
    assert "n_gold" in set(headline["metric"])


def test_ask_lists_a_document_once_with_its_passages(app_path: Path, tmp_path: Path, monkeypatch) -> None:
    pytest.importorskip("spacy")
    import dataclasses

    from graphrag import GraphRAG
    from graphrag.config import ChunkConfig, GraphRAGConfig

    (tmp_path / "vuk.txt").write_text(
        " ".join(f"Vuk Kosača was a nobleman. In {1400 + i} Vuk Kosača held the town of Zvečaj." for i in range(12))
    )
    cfg = GraphRAGConfig()
    cfg = dataclasses.replace(cfg, ingest=dataclasses.replace(cfg.ingest, chunk=ChunkConfig(48, 0)))
    rag = GraphRAG(tmp_path / "g.kuzu", config=cfg)
    rag.ingest([tmp_path / "vuk.txt"], embedder="hashing", separate_process=False)
    monkeypatch.setenv("GRAPHRAG_DB", str(tmp_path / "g.kuzu"))
    at = AppTest.from_file(str(app_path), default_timeout=TIMEOUT_S).run()
    at.text_area(key="ask_question").input("Which town did Vuk Kosača hold?")
    at.radio(key="ask_llm").set_value("none")
    _submit(at)
    assert not at.exception and not at.error
    sources = [e for e in at.expander if re.match(r"\[\d+\] vuk", e.label)]
    assert len(sources) == 1  # one number for the document, its passages inside
    assert len([c for c in sources[0].caption if "chunk `" in c.value]) >= 2
