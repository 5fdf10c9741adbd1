"""MiniLM with int8 weights (represent/quantized.py): made once from the checked fp32 file,
close to it, and the same vector for a sentence whatever is embedded beside it."""

import os

import numpy as np

from unspun.represent import get_embedder
from unspun.represent.minilm import MiniLMEmbedder, MiniLMInt8Embedder, model_dir
from unspun.represent.quantized import int8_model

TEXTS = [
    "A local court ruled the strike illegal on the same day.",
    "On the same day, a local court declared the strike unlawful.",
    "The recipe needs two cups of flour and an egg, beaten until it is pale and thick.",
    "Shares fell.",
]


def test_int8_vectors_stay_close_to_the_fp32_ones():
    fp32 = MiniLMEmbedder()._embed(TEXTS)
    int8 = MiniLMInt8Embedder()._embed(TEXTS)
    assert int8.shape == fp32.shape and int8.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)
    assert (int8 * fp32).sum(axis=1).min() > 0.98
    # What the aligner and the judge read: the paraphrase stays a paraphrase, the recipe unrelated.
    assert int8[0] @ int8[1] > 0.8 and int8[0] @ int8[2] < 0.2


def test_a_sentence_gets_the_same_vector_whatever_is_beside_it():
    # Activations are quantised with a scale over the whole input: in a batch, a sentence's
    # vector would move with its neighbours. Without the cache, alone and together must agree.
    model = MiniLMInt8Embedder()
    together = model._embed(TEXTS)
    alone = np.stack([model._embed([t])[0] for t in TEXTS])
    np.testing.assert_array_equal(together, alone)


def test_runs_side_by_side_give_each_sentence_the_vector_it_gets_alone():
    # The cores embed sentences side by side, one thread each: every vector must land in its own
    # row, and equal, to the bit, the one a single run gives.
    texts = [f"{t} ({k})" for k in range(6) for t in TEXTS]
    one, three = MiniLMInt8Embedder(threads=1), MiniLMInt8Embedder(threads=3)
    alone = one._embed(texts)
    assert one._runs == 1 and three._runs == 1  # set when the model loads
    side_by_side = three._embed(texts)
    assert three._runs == 3
    np.testing.assert_array_equal(side_by_side, alone)
    assert not np.array_equal(side_by_side[0], side_by_side[1])


def test_the_int8_file_is_made_once_in_the_cache_folder(tmp_path, monkeypatch):
    import unspun.represent.quantized as quantized

    monkeypatch.setenv("UNSPUN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(quantized, "_made", {})
    source = model_dir() / "onnx" / "model.onnx"
    first = int8_model(source)
    assert first.parent == tmp_path / "cache" and first.is_file()
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no partial file left
    stamp = first.stat().st_mtime_ns
    monkeypatch.setattr(quantized, "_made", {})  # a new process
    assert int8_model(source) == first and first.stat().st_mtime_ns == stamp


def test_a_process_that_finds_the_int8_file_made_does_not_import_onnx(tmp_path):
    # Importing onnx (for its version, in the file's name) took about a second of every process
    # that embeds with the int8 model. The name must stay the one the modules' versions give.
    import subprocess
    import sys

    import onnx
    import onnxruntime

    env = {**os.environ, "UNSPUN_CACHE_DIR": str(tmp_path / "cache")}
    script = ("import sys; from unspun.represent.minilm import model_dir; "
              "from unspun.represent.quantized import int8_model; "
              "print(int8_model(model_dir() / 'onnx' / 'model.onnx').name, 'onnx' in sys.modules)")
    made = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    name = made.stdout.split()[0]
    assert name.endswith(f"-onnx{onnx.__version__}-ort{onnxruntime.__version__}.onnx"), name
    found = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)
    assert found.stdout.split() == [name, "False"], found.stdout


def test_an_unwritable_cache_folder_falls_back_to_a_private_one(tmp_path, monkeypatch):
    import unspun.represent.quantized as quantized

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("UNSPUN_CACHE_DIR", str(blocker / "cache"))
    monkeypatch.setattr(quantized, "_made", {})
    made = int8_model(model_dir() / "onnx" / "model.onnx")
    try:
        assert made.is_file() and blocker not in made.parents
        assert os.path.getsize(made) < os.path.getsize(model_dir() / "onnx" / "model.onnx_data")
    finally:
        made.unlink()
        made.parent.rmdir()


def test_int8_is_a_model_compare_can_be_asked_for():
    from unspun import compare

    report = compare("The court ruled the strike illegal on Monday.", "On Monday the court ruled the strike illegal.",
                     model="minilm-int8")
    assert report.model == "minilm-int8" and report.verdict != "non-derived"
    assert get_embedder("minilm-int8") is get_embedder("minilm-int8")
