"""Embedders: the real default model, the stand-in, and the registry."""

import numpy as np
import pytest

from unspun.errors import ModelError
from unspun.represent import Embedder, available_embedders, get_embedder, register_embedder
from unspun.represent.embedder import DEFAULT_MODEL
from unspun.represent.minilm import model_dir


def test_default_model_ships_in_a_package():
    path = model_dir()
    assert (path / "onnx" / "model.onnx").exists() and (path / "tokenizer.json").exists()
    assert "site-packages" in str(path) or "dist-packages" in str(path)


def test_real_model_separates_paraphrase_from_unrelated():
    model = get_embedder("minilm")
    v = model.embed(
        [
            "A local court ruled the strike illegal on the same day.",
            "On the same day, a local court declared the strike unlawful.",
            "The recipe needs two cups of flour and an egg.",
        ]
    )
    assert v.shape == (3, 384) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert v[0] @ v[1] > 0.8
    assert v[0] @ v[2] < 0.2


def test_real_model_is_deterministic_and_batch_independent():
    model = get_embedder("minilm")
    texts = ["short one", "a much longer sentence that needs more tokens than the first", "mid length text"]
    together = model.embed(texts)
    alone = np.stack([model.embed([t])[0] for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_model_is_loaded_once_per_process():
    assert get_embedder("minilm") is get_embedder("minilm")
    assert get_embedder(DEFAULT_MODEL) is get_embedder() is get_embedder("minilm-int8")


def test_hash_embedder_is_deterministic():
    model = get_embedder("hash")
    a = model.embed(["the same words", "other words"])
    b = model.embed(["the same words", "other words"])
    np.testing.assert_array_equal(a, b)
    assert a[0] @ a[0] == pytest.approx(1.0)


def test_empty_batch():
    assert get_embedder("minilm").embed([]).shape == (0, 384)


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ModelError, match="unknown model 'nope'.*minilm"):
        get_embedder("nope")


def test_a_plugged_in_model_is_used_by_compare():
    import unspun

    class Constant(Embedder):
        name = "constant-test"
        dimension = 2

        def embed(self, texts):
            return np.tile(np.array([[1.0, 0.0]], dtype=np.float32), (len(texts), 1))

    register_embedder("constant-test", Constant)
    assert "constant-test" in available_embedders()
    report = unspun.compare("Cats sleep a lot. Dogs bark.", "Quarterly revenue rose. Shares fell.", model="constant-test")
    assert report.model == "constant-test"


def test_the_sentence_cache_is_safe_across_threads(monkeypatch):
    # The web service embeds from several threads; a tiny cache makes them evict each other's
    # entries all the time, which used to raise KeyError or "dict changed size".
    from concurrent.futures import ThreadPoolExecutor

    import unspun.represent.minilm as minilm

    model = minilm.MiniLMEmbedder()
    monkeypatch.setattr(model, "cache_size", 5)
    texts = [f"Sentence number {k} says something about workers." for k in range(12)]
    expected = model._embed(texts)

    def job(offset):
        order = texts[offset:] + texts[:offset]
        return offset, model.embed(order)

    with ThreadPoolExecutor(6) as pool:
        for offset, got in pool.map(job, [k % 12 for k in range(36)]):
            np.testing.assert_allclose(got, np.roll(expected, -offset, axis=0), atol=1e-5)
