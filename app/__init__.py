"""The Streamlit explorer (``graphrag app``): pages and UI helpers only, calling :mod:`graphrag.api`.

Streamlit runs ``main.py`` as a script with this folder on ``sys.path``, so the modules here import each other
by their bare names (``ui_common``); installed, this folder is the package ``graphrag.app``.
"""
