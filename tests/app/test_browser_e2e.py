"""End to end in a real browser: ``graphrag app`` on a free localhost port over a demo database built here,
driven with Playwright and Debian's headless Chromium (no browser download; ``make browser`` installs it)."""

from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DEMO_PASSAGES = REPO / "data" / "demo" / "2wiki_passages.jsonl"
DEMO_KB = REPO / "data" / "demo" / "metaqa_kb_slice.txt"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
N_PASSAGES = 40
START_TIMEOUT_S = 90
STEP_TIMEOUT_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's two sources in one store: the first passages of the 2Wiki corpus through the real extraction
    pipeline (hashing embedder, to stay fast) and the MetaQA slice through the triple importer."""
    pytest.importorskip("spacy")
    from graphrag.extract.ingest import ingest
    from graphrag.importers import TripleImporter
    from graphrag.store import KuzuGraphStore

    root = tmp_path_factory.mktemp("demo")
    corpus = root / "2wiki_head.jsonl"
    lines = DEMO_PASSAGES.read_text(encoding="utf-8").splitlines()[:N_PASSAGES]
    corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
    db = root / "demo.kuzu"
    report = ingest([corpus], db=db, embedder="hashing", separate_process=False)
    assert report.documents_new == N_PASSAGES and not report.errors
    with KuzuGraphStore(db) as store:
        TripleImporter(store).import_file(DEMO_KB, fmt="metaqa")
    return db


@pytest.fixture(scope="module")
def app_url(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``graphrag app`` serving the demo database; stopped after the module."""
    port = _free_port()
    log = tmp_path_factory.mktemp("applog") / "streamlit.log"
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", "from graphrag.cli import _entry; _entry()",
             "app", "--db", str(demo_db), "--port", str(port)],
            stdout=out, stderr=subprocess.STDOUT, cwd=REPO,
        )  # fmt: skip
    url = f"http://localhost:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().decode().strip() == "ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app did not start (exit {proc.poll()}):\n{log.read_text()}")
            time.sleep(0.5)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Headless Debian Chromium through Playwright; a missing browser is a failure, never a skip."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        pytest.fail(
            "Chromium is not installed: run `make browser` (apt-get install -y chromium); "
            "this end-to-end test must not be skipped"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        exe = str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium"))
        b = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def _question_for_first_passage() -> tuple[str, str]:
    title = json.loads(DEMO_PASSAGES.read_text(encoding="utf-8").splitlines()[2])["title"]
    return f"Who was {title}?", title


def test_ask_then_cypher_in_a_real_browser(app_url: str, browser, tmp_path: Path) -> None:  # noqa: ANN001
    from playwright.sync_api import expect

    question, title = _question_for_first_passage()
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    page.set_default_timeout(STEP_TIMEOUT_MS)
    expect.set_options(timeout=STEP_TIMEOUT_MS)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    # Without the save-file dialog API the grid's CSV export falls back to an ordinary download.
    page.add_init_script("delete window.showSaveFilePicker;")
    page.goto(app_url)
    expect(page.get_by_role("heading", name="Ask")).to_be_visible()
    summary = re.compile(r"\d+ documents · \d+ passages · [\d,]+ entities · [\d,]+ relations")
    expect(page.get_by_text(summary)).to_be_visible()  # the sidebar's database summary

    # Ask over the demo database without a model: the answer states the best passage and cites it.
    page.get_by_label("Question").fill(question)
    page.get_by_text("No model: state the best passages and entities").click()
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_text("Answered by: none")).to_be_visible()
    answer = page.get_by_text("No language model was used. Best passage [1]", exact=False)
    expect(answer).to_be_visible()
    citation = page.get_by_text(f"[1] {title}", exact=False).first
    expect(citation).to_be_visible()
    page.get_by_role("tab", name="Retrievers & fusion").click()
    expect(page.get_by_text("Fusion — each passage's rank", exact=False)).to_be_visible()
    page.screenshot(path=str(tmp_path / "ask.png"), full_page=True)

    # A read-only Cypher query: its rows appear in the results table.
    page.get_by_role("link", name="Cypher").click()
    expect(page.get_by_role("heading", name="Cypher")).to_be_visible()
    query = "MATCH (m:Entity {name: 'A Night at the Opera'})-[r:RELATION]->(d:Entity) " \
            "WHERE r.predicate = 'directed_by' RETURN m.name AS movie, d.name AS director"  # fmt: skip
    page.get_by_label("Query").fill(query)
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("1 row(s) in", exact=False)).to_be_visible()
    grid = page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    # The grid draws on a canvas; its rows are checked through the table's own CSV download.
    grid.hover()
    with page.expect_download() as download:
        grid.get_by_role("button", name="Download as CSV").click()
    rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert rows == ["movie,director", "A Night at the Opera,Sam Wood"]

    # Refused writes are a message, not a crash.
    page.get_by_label("Query").fill("MATCH (e:Entity) DETACH DELETE e")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("refused: this query would change the database", exact=False)).to_be_visible()
    page.screenshot(path=str(tmp_path / "cypher.png"), full_page=True)

    # The interactive graph renders in the browser (vis-network draws on a canvas inside the iframe).
    page.get_by_role("link", name="Explore").click()
    page.get_by_label("Search entities").fill("A Night at the Opera")
    page.get_by_label("Search entities").press("Enter")
    page.get_by_text("A Night at the Opera · exact", exact=False).click()
    expect(page.get_by_role("heading", name="A Night at the Opera")).to_be_visible()
    frame = page.frame_locator("iframe").first
    expect(frame.locator("canvas").first).to_be_visible()
    page.screenshot(path=str(tmp_path / "explore.png"), full_page=True)

    # Upload a file on the Ingest page: the pipeline runs with progress bars and the document is listed.
    upload = tmp_path / "hedy_lamarr.txt"
    upload.write_text(
        "Hedy Lamarr was an Austrian-American actress and inventor born in Vienna.\n", encoding="utf-8"
    )
    page.get_by_role("link", name="Ingest").click()
    page.locator("input[type=file]").set_input_files(str(upload))
    page.get_by_role("button", name="Ingest files").click()
    expect(page.get_by_text("Ingested 1 file(s).")).to_be_visible()
    expect(page.get_by_text("New documents")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^42 documents · "))).to_be_visible()  # the sidebar caught up
    page.screenshot(path=str(tmp_path / "ingest.png"), full_page=True)

    assert (tmp_path / "ask.png").stat().st_size > 10_000
    assert not [e for e in errors if "vis" in e.lower()], errors
