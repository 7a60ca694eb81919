"""The explorer's pages (Ask, Explore, Cypher, Ingest, Evaluate), run by ``st.navigation`` from ``main.py``."""
