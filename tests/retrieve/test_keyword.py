"""Keyword retrieval: bm25s and Kuzu's full-text index, and the shared tokenizer."""

from __future__ import annotations

import shutil

from engine_code import needs_index_functions

from graphrag.retrieve.corpus import ChunkCorpus
from graphrag.retrieve.keyword import BM25Retriever, KuzuFTSRetriever
from graphrag.retrieve.registry import make_retriever
from graphrag.retrieve.text import fold, name_keys, surface_key, tokenize
from graphrag.store import KuzuGraphStore


def test_tokenizer_folds_case_and_accents_and_drops_stop_words() -> None:
    assert tokenize("Who directed Aldri Annet Enn Bråk?") == ["directed", "aldri", "annet", "enn", "brak"]
    assert fold("Éric") == "eric"
    assert surface_key("God'S Gift To Women") == surface_key("God's Gift to Women") == "god s gift to women"
    assert name_keys("Dark River (2017 film)") == {"dark river 2017 film", "dark river"}


def test_bm25_ranks_the_passage_with_the_rare_words_first(tiny_resources) -> None:
    r = make_retriever("bm25", tiny_resources)
    hits = r.retrieve("Who was the mother of Lothair II?", 3)
    assert hits[0].title == "Lothair II"
    assert all(h.retriever == "bm25" for h in hits)
    assert r.retrieve("the of and", 3) == []  # only stop words
    assert r.retrieve("zyxwv", 3) == []  # no word matches


def test_bm25_indexes_titles_unless_told_not_to(tiny_resources) -> None:
    corpus = tiny_resources.corpus()
    # "Teutberga" is in the title and the text; "Styria" only in the text of Graz; the title word "pie" too.
    assert BM25Retriever(corpus).retrieve("Teutberga", 1)[0].title == "Teutberga"
    titles_only = ChunkCorpus.from_records(
        corpus.ids, corpus.doc_ids, corpus.titles, [""] * len(corpus), corpus.embeddings
    )
    assert BM25Retriever(titles_only).retrieve("Graz", 1)[0].title == "Graz"
    assert BM25Retriever(titles_only, with_titles=False).retrieve("Graz", 1) == []


@needs_index_functions
def test_kuzu_fts_retriever(tiny_graph_db, tmp_path) -> None:
    db = tmp_path / "copy.kuzu"
    shutil.copytree(tiny_graph_db, db) if tiny_graph_db.is_dir() else shutil.copy(tiny_graph_db, db)
    with KuzuGraphStore(db) as store:
        assert store.ensure_chunk_fts_index() is True
        r = KuzuFTSRetriever(store, ChunkCorpus.from_store(store))
        hits = r.retrieve("Which state is Graz the capital of?", 2)
        assert hits[0].title == "Graz" and hits[0].retriever == "fts-kuzu"
        assert r.retrieve("the", 3) == []
        odd = r.retrieve("'Graz' AND (capital) OR \"Styria\"", 3)  # query syntax characters must not break it
        assert odd and odd[0].title == "Graz"
