"""Evaluation harness: dataset loaders, metrics and reports.

Submodules are imported on demand (``from graphrag.eval.webnlg import load_webnlg``); this package imports
nothing heavy. The triple-extraction pieces are re-exported here for convenience.
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
