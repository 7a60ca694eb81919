"""Measuring the toolkit against public benchmarks: dataset loaders (2WikiMultiHopQA, WebNLG; MetaQA's question
files are read by :mod:`graphrag.gnnrag.kgqa_files`), metrics (Recall@k, Hits@1, F1, triple P/R/F1), the jobs
that run them (:mod:`~graphrag.eval.retrieval`, :mod:`~graphrag.eval.kgqa_job`, :mod:`~graphrag.eval.triple_eval`,
:mod:`~graphrag.eval.kgqa_ceiling`), their reports (JSON, Markdown, plots), and the benchmark drivers run with
``python -m`` (:mod:`~graphrag.eval.ingest_bench`, :mod:`~graphrag.eval.ask_bench`).

Submodules are imported on demand; this package imports nothing heavy. The triple-extraction metrics are
re-exported here.
"""

from graphrag.eval.triple_metrics import PRF, match_count, micro_average, normalise_term, score_sample
from graphrag.eval.webnlg import WebNLGEntry, WebNLGSample, load_webnlg, samples

__all__ = [
    "PRF",
    "WebNLGEntry",
    "WebNLGSample",
    "load_webnlg",
    "match_count",
    "micro_average",
    "normalise_term",
    "samples",
    "score_sample",
]
