"""The only place the stages are wired together: read -> clean -> segment -> represent -> align
-> judge -> report. Each stage is timed; the timings travel in the Report."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import replace

import numpy as np

from . import crosslingual
from .align import AlignParams, align_matrix, build_passages
from .align.evidence import accept
from .clean import body_segments, mark_chrome
from .errors import InputError
from .fidelity import assess
from .judge import judge
from .read import read
from .represent import Embedder, get_embedder
from .similarity import pair_scores
from .types import Document, Report

# Every sentence pair gets a few similarity matrices (about 50 bytes a pair in all): 25 million
# pairs (two texts of 5,000 sentences) is about 1.3 GB, and the most one comparison may take.
MAX_PAIRS = 25_000_000
PROGRESS_STEP = 128


class Timer:
    def __init__(self) -> None:
        self.times: dict[str, float] = {}

    @contextmanager
    def __call__(self, stage: str):
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.times[stage] = self.times.get(stage, 0.0) + time.perf_counter() - t0


def compare(
    source: str | os.PathLike[str] | bytes | Document,
    rewrite: str | os.PathLike[str] | bytes | Document,
    *,
    model: str | Embedder | None = None,
    keep_chrome: bool = False,
    params: AlignParams = AlignParams(),
    progress: Callable[[int, int], None] | None = None,
    source_url: str | None = None,
    source_title: str | None = None,
    source_publisher: str | None = None,
) -> Report:
    """Compare a rewrite with its supposed source.

    ``source`` and ``rewrite`` are paths, ``pathlib.Path`` objects, bytes, the texts themselves, or
    ``Document`` objects. Returns a ``Report``; ``Report.to_json()`` gives the stable JSON.
    ``progress(done, total)`` is called as sentences are embedded, the slow part on long texts.
    ``source_url``, ``source_title`` and ``source_publisher`` help find credit to the source when
    the source itself does not say them (a plain-text release has no URL).
    """
    timer = Timer()
    with timer("read"):
        src = read(source, doc_id="source")
        rw = read(rewrite, doc_id="rewrite")
    with timer("clean"):
        for doc in (src, rw):
            if keep_chrome:
                doc.chrome = []
            else:
                mark_chrome(doc)
    with timer("language"):
        # English text is recognised by its words, without lingua: comparing two English texts
        # costs what it did before languages mattered.
        crossing = crosslingual.crosses(*crosslingual.languages(src, rw))
    with timer("segment"):
        src_segs = body_segments(src)
        rw_segs = body_segments(rw)
    src_texts = [s.text(src.text) for s in src_segs]
    rw_texts = [s.text(rw.text) for s in rw_segs]
    if len(src_texts) * len(rw_texts) > MAX_PAIRS:
        raise InputError(
            f"too long to compare sentence by sentence: {len(rw_texts):,} x {len(src_texts):,} "
            f"sentence pairs (the limit is {MAX_PAIRS:,}); compare sections, or index the long one"
        )
    # Across languages the multilingual model decides, whatever the monolingual model is.
    embedder = get_embedder(crosslingual.MODEL if crossing else model)
    with timer("embed"):
        vectors = _embed(embedder, rw_texts + src_texts, progress) if (src_texts and rw_texts) else None
    with timer("align"):
        if vectors is None:
            groups, sim = [], np.zeros((len(rw_texts), len(src_texts)))
        else:
            cosine = vectors[: len(rw_texts)] @ vectors[len(rw_texts) :].T
            scores = crosslingual.pair_scores if crossing else pair_scores
            sim, prob = scores(rw_texts, src_texts, cosine)
            if crossing:
                params = replace(params, min_evidence=max(params.min_evidence, crosslingual.MIN_EVIDENCE))
            groups = accept(align_matrix(sim, params), prob, params)
        passages = build_passages(groups, rw_segs, src_segs, rw.text, src.text, sim, params.seed_threshold)
        if crossing:
            # A passage that shares no words across the two languages was translated; one that
            # kept its words (a quotation left in its language) stays what it is.
            passages = [replace(p, kind="translation") if p.kind == "paraphrase" else p for p in passages]
    with timer("judge"):
        judgement = judge(src, rw, passages)
    with timer("fidelity"):
        fidelity = assess(
            src, rw, src_segs, rw_segs, judgement.passages,
            derived=judgement.verdict != "non-derived",
            source_url=source_url, source_title=source_title, source_publisher=source_publisher,
        )
        judgement.dropped, judgement.facts = fidelity["dropped"], fidelity["changed"]
        judgement.damaged, judgement.additions = fidelity["damaged"], fidelity["additions"]
        judgement.attribution = fidelity["attribution"]
    return Report(source=src, rewrite=rw, judgement=judgement, timings=timer.times, model=embedder.name)


def _embed(embedder: Embedder, texts: list[str], progress: Callable[[int, int], None] | None) -> np.ndarray:
    if progress is None:
        return embedder.embed(texts)
    parts = []
    for start in range(0, len(texts), PROGRESS_STEP):
        parts.append(embedder.embed(texts[start : start + PROGRESS_STEP]))
        progress(min(start + PROGRESS_STEP, len(texts)), len(texts))
    return np.concatenate(parts)
