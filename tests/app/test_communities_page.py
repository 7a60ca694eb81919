"""The Communities page (AppTest): build, browse a level, read a report, see the drawing, ask about the corpus;
and Explore's colour-by-community toggle."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("streamlit")
from streamlit.testing.v1 import AppTest  # noqa: E402

TIMEOUT_S = 120


def _drawn(at: AppTest, index: int = 0) -> dict:
    html = at.get("iframe")[index].proto.srcdoc
    m = re.search(r"const data = (\{.*?\});\n", html, re.S)
    assert m is not None
    return json.loads(m.group(1))


def test_communities_page_builds_browses_draws_and_answers(app_path: Path, tiny_db: Path, monkeypatch) -> None:
    monkeypatch.setenv("GRAPHRAG_DB", str(tiny_db))
    at = AppTest.from_file(str(app_path), default_timeout=TIMEOUT_S).run()
    at = at.switch_page("pages/communities.py").run()
    assert not at.exception
    assert any("No communities yet" in str(i.value) for i in at.info)
    at.button(key="communities_build").click().run()
    assert not at.exception
    assert any("full build" in str(s.value) for s in at.success)
    picked = at.selectbox(key="communities_pick")
    assert picked.options and picked.value is not None
    header = next(str(c.value) for c in at.caption if " · level 0 · " in str(c.value))
    size = int(re.search(r"· (\d+) entities", header).group(1))
    assert at.subheader and len(_drawn(at)["nodes"]) == min(size, 60)  # every member drawn
    at.text_input(key="communities_question").input("What are the main themes of these documents?").run()
    assert not at.exception
    assert any("communities of the graph" in str(m.value) for m in at.markdown)
    # Explore colours a neighbourhood by community once asked to
    at = at.switch_page("pages/explore.py").run()
    at.text_input(key="explore_search").input("babbage").run()
    at.radio[0].set_value(at.radio[0].options[0]).run()
    assert "PERSON" in at.get("iframe")[0].proto.srcdoc  # the legend names entity types first
    at.toggle(key="explore_by_community").set_value(True).run()
    assert not at.exception
    from graphrag.api import GraphRAG

    titles = {t for _, t in GraphRAG(tiny_db).communities.membership().values()}
    legend = at.get("iframe")[0].proto.srcdoc.split("const data")[0]
    assert any(t in legend for t in titles) and "PERSON" not in legend  # now it names communities


def test_ask_page_answers_about_the_whole_corpus_in_global_and_auto_mode(
    app_path: Path, tiny_db: Path, monkeypatch
) -> None:
    from graphrag.api import GraphRAG

    GraphRAG(tiny_db).communities.build()
    monkeypatch.setenv("GRAPHRAG_DB", str(tiny_db))
    at = AppTest.from_file(str(app_path), default_timeout=TIMEOUT_S).run()
    for mode in ("global", "auto"):
        at.text_area(key="ask_question").input("What are the main themes of these documents?")
        at.radio(key="ask_mode").set_value(mode)
        at.get("form_submit_button")[0].click()
        at = at.run()
        assert not at.exception
        assert any("communities of the graph" in str(m.value) for m in at.markdown), mode
        assert any("Communities cited: [c" in str(c.value) for c in at.caption)
    at.radio(key="ask_mode").set_value("auto")
    at.text_area(key="ask_question").input("Where was Charles Babbage born?")
    at.get("form_submit_button")[0].click()
    at = at.run()
    assert not any("Communities cited" in str(c.value) for c in at.caption)  # names an entity: local
