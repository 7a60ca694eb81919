import numpy as np
import pytest

from graphrag.embed import HashingEmbedder, make_embedder
from graphrag.errors import UnknownBackendError


def test_hashing_embedder_unit_rows_and_similarity():
    e = HashingEmbedder(dim=64)
    v = e.embed(["Sherlock Holmes lives in London", "Holmes lives in London", "quantum chromodynamics", ""])
    assert v.shape == (4, 64) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v[:3], axis=1), 1.0, rtol=1e-5)
    assert np.linalg.norm(v[3]) == 0.0
    assert v[0] @ v[1] > v[0] @ v[2]
    np.testing.assert_array_equal(e.embed(["x y"]), e.embed(["x y"]))


def test_registry_lists_choices():
    with pytest.raises(UnknownBackendError, match="hashing, minilm"):
        make_embedder("nope")
