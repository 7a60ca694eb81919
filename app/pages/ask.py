"""Ask: a question in, a cited answer out, with the reasoning paths, the retrievers' lists and the timings."""

from __future__ import annotations

import streamlit as st
from ui_answer import show_answer, show_breakdown, show_paths, show_timings
from ui_ask import LLM_CHOICES, SERVED_LLM_CHOICES, LLMChoice, ask
from ui_common import graph, guarded, offers_writes, require_database, served

RESULT_KEY = "ask_result"
GLOBAL_KEY = "ask_global"
MODES = {"local": "Passages and paths", "global": "Whole corpus (communities)", "auto": "Auto"}

st.title("Ask")
client = served()
if require_database():
    with st.form("ask_form"):
        question = st.text_area(
            "Question", key="ask_question", height=80, placeholder="e.g. Who directed the film that ...?"
        )
        c1, c2 = st.columns([3, 1])
        if client is None:
            mode = c1.radio(
                "Mode", list(MODES), format_func=MODES.get, key="ask_mode", horizontal=True,
                help="Whole corpus: questions about the collection as a whole, answered from the community "
                "reports (build them on the Communities page). Auto picks it when the question names no entity.",
            )  # fmt: skip
        else:  # the server answers from passages and paths; community reports are not served
            mode = "local"
            c1.caption(
                f"Answered by the server at {client.base_url} from passages and paths "
                "(questions about the whole corpus need the explorer on the store itself)."
            )
        choices = LLM_CHOICES if client is None else SERVED_LLM_CHOICES
        llm = c1.radio("Language model", list(choices), format_func=choices.get, key="ask_llm")
        k = c2.slider("Passages", 1, 10, 5, key="ask_k")
        model = base_url = ""
        if offers_writes():  # a locked-down explorer keeps the configured endpoint (its key must not travel)
            with st.expander("Remote model settings"):
                model = st.text_input("Model name", key="ask_model", placeholder="e.g. llama3.2")
                base_url = st.text_input("Base URL", key="ask_base_url", placeholder="http://localhost:11434")
        submitted = st.form_submit_button("Ask", type="primary")
    if submitted:
        choice = LLMChoice(
            llm=llm,
            model=model.strip() if llm not in ("local", "gemma") else "",
            base_url=base_url.strip() if llm in ("openai", "ollama") else "",
        )
        st.session_state.pop(RESULT_KEY, None)
        st.session_state.pop(GLOBAL_KEY, None)
        with guarded("the question"), st.spinner("Retrieving and answering…"):
            rag = client or graph()
            if mode == "auto" and question.strip():
                mode = graph().communities.route(question)
            if mode == "global":
                endpoint = {k: v for k, v in (("model", choice.model), ("base_url", choice.base_url)) if v}
                st.session_state[GLOBAL_KEY] = graph().communities.ask(question, llm=llm, **endpoint)
            else:
                st.session_state[RESULT_KEY] = ask(rag, question, choice, k=k)
    answer_global = st.session_state.get(GLOBAL_KEY)
    if answer_global is not None:
        st.caption("Answered from the community reports (whole corpus)")
        st.markdown(answer_global.text)
        if answer_global.communities:
            st.caption("Communities cited: " + "; ".join(f"[{c}] {t}" for c, t in answer_global.communities))
        if answer_global.passages:
            with st.expander(f"Passages ({len(answer_global.passages)}: a sentence of each cited community)"):
                for s in answer_global.passages:
                    st.markdown(f"**{s['doc']}** — {s['text']}")
    result = st.session_state.get(RESULT_KEY)
    if result is not None:
        answer = result.answer
        n = len(answer.candidates)
        gnn = f" · GNN-RAG: {n} candidate{'' if n == 1 else 's'}" if result.gnn_checkpoint else ""
        backing = ""
        if result.support is not None:
            backing = f" · support {result.support.score:.2f}" + (" (answer withheld)" if result.withheld else "")
        via = f" · via {client.base_url}" if client is not None else ""
        st.caption(f"Answered by: {result.llm}{gnn}{backing}{via}")
        show_answer(answer)
        for note in result.notes:
            st.info(note)
        cited = {c.number for c in answer.citations}
        others = [c for c in result.sources if c.number not in cited]
        if others:
            with st.expander(f"Other passages given to the model ({len(others)})"):
                for c in others:
                    st.markdown(f"**[{c.number}] {c.title or c.doc_id}**")
                    for text in c.all_passages:
                        st.write(text)
        paths_tab, retr_tab, time_tab = st.tabs(["Reasoning paths", "Retrievers & fusion", "Timings"])
        with paths_tab:
            show_paths(answer, gnn_checkpoint=result.gnn_checkpoint)
        with retr_tab:
            r = result.retrieval
            show_breakdown(r.hits, r.per_retriever, r.links)
        with time_tab:
            show_timings(answer.timings_s)
