"""Fit crosslingual.TRANSLATION_COEFFICIENTS: a logistic model of e5 cosine and margin for "this
sentence pair is a translation", on NTREX (../shared/data/crosslingual/ntrex128).

For each document and each of kaz, rus, deu, spa, hin: every (translated sentence, English
sentence) pair of the document against its English original (the true pairs are the diagonal;
the rest are sentences of the same story, the hard negatives) and against another document's
English (a distractor). The margins are computed per document pair, as compare computes them.
The fit is plain Newton-Raphson on the log-likelihood. It prints the coefficients and, per
language, how the fitted probability separates the two classes. About 4 minutes (e5 embeds all
5,850 sentences).

With ``--means`` it also writes src/unspun/represent/e5_mean.npy and use_mean.npy, the mean vectors
that the index's multilingual codes are centred on (represent/xcodes.py): 1,000 sentences of 40 to
400 characters from 300 pan13-verbatim sources (English), drawn with fixed seeds. About a minute.

    python benchmarks/calibrate_crosslingual.py [--means]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from unspun.align.languages import margins
from unspun.represent import get_embedder

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root: tests.eval imports
from tests.eval.crosslingual_sets import NTREX_LANGUAGES  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "crosslingual" / "ntrex128"
PAN = ROOT.parent.parent / "pan13-verbatim" / "src"
STORE = Path(__file__).resolve().parent.parent / "src" / "unspun" / "represent"  # where xcodes.py loads the means from


def write_means() -> None:
    import random

    from unspun.segment import segment

    files = sorted(PAN.glob("*.txt"))
    random.Random(7).shuffle(files)
    sentences = []
    for path in files[:300]:
        text = path.read_text(encoding="utf-8", errors="replace")
        sentences += [s.text(text) for s in segment(text) if 40 <= len(s.text(text)) <= 400]
    random.Random(8).shuffle(sentences)
    for model in ("e5", "use"):
        vectors = get_embedder(model)._embed(sentences[:1000])
        path = STORE / f"{model}_mean.npy"
        np.save(path, vectors.mean(axis=0).astype(np.float32))
        print(f"wrote {path} (norm {np.linalg.norm(vectors.mean(axis=0)):.3f})")


def main() -> None:
    docs = [json.loads(line) for line in open(ROOT / "docs.jsonl", encoding="utf-8")]
    e5 = get_embedder("e5")
    english = [e5.embed([s.strip() for s in d["eng"]]) for d in docs]
    rows, labels, langs = [], [], []
    for lang in NTREX_LANGUAGES:
        for k, d in enumerate(docs):
            if len(d["eng"]) < 3:
                continue
            mine = e5.embed([s.strip() for s in d[lang]])
            for other, truth in ((k, True), ((k + 7) % len(docs), False)):
                cosine = mine @ english[other].T
                m = margins(cosine.astype(np.float64))
                rows.extend(zip(cosine.ravel(), m.ravel()))
                labels.extend((np.eye(*cosine.shape) if truth else np.zeros(cosine.shape)).ravel())
                langs.extend([lang] * cosine.size)
    x = np.c_[np.ones(len(rows)), np.array(rows)]
    y = np.array(labels)
    w = np.zeros(3)
    for _ in range(50):
        p = 1.0 / (1.0 + np.exp(-x @ w))
        hessian = (x * (p * (1 - p))[:, None]).T @ x + 1e-6 * np.eye(3)
        w -= np.linalg.solve(hessian, x.T @ (p - y))
    print(f"pairs {len(y):,}, translations {int(y.sum()):,}")
    print(f"TRANSLATION_COEFFICIENTS = ({w[0]:.3f}, {w[1]:.3f}, {w[2]:.3f})  # intercept, cosine, margin")
    p = 1.0 / (1.0 + np.exp(-x @ w))
    langs = np.array(langs)
    print("| language | translations: mean p | 10th percentile | others: mean p | 99.9th percentile |")
    print("| --- | --- | --- | --- | --- |")
    for lang in NTREX_LANGUAGES:
        pos, neg = p[(langs == lang) & (y == 1)], p[(langs == lang) & (y == 0)]
        print(f"| {lang} | {pos.mean():.3f} | {np.percentile(pos, 10):.3f} | {neg.mean():.4f} | {np.percentile(neg, 99.9):.3f} |")


if __name__ == "__main__":
    import sys

    if "--means" in sys.argv:
        write_means()
    main()
