"""The only place the stages are wired together: read -> clean -> segment -> represent -> align
-> judge -> report. Each stage is timed; the timings travel in the Report."""

from __future__ import annotations

import os
from collections.abc import Callable

import numpy as np

from .align import AlignParams, align_matrix, cascade, languages
from .clean import mark_chrome
from .errors import InputError, LimitError
from .fidelity import assess
from .judge import judge, rarity
from .read import read
from .read.limits import env_cap
from .represent import Embedder, get_embedder
from .segment import body_segments
from .timing import Timer
from .types import Document, Report, Scores, Side

# Every sentence pair gets a few similarity matrices (about 50 bytes a pair in all): 25 million
# pairs (two texts of 5,000 sentences) is about 1.3 GB, and the most one comparison may take.
MAX_PAIRS = 25_000_000
PROGRESS_STEP = 128
# Sentences one side of a comparison may have: embedding is the cost, about 200 a second on 2
# cores, so 50,000 is some four minutes. A text of 200,000 short lines (3.9 MB, within the size
# limit) would otherwise run for many minutes. UNSPUN_MAX_SENTENCES raises it.
MAX_SENTENCES = 50_000
SENTENCES_PER_SECOND = 200


def prepare(obj: str | os.PathLike[str] | bytes | Document, doc_id: str, *, keep_chrome: bool = False, timer: Timer | None = None) -> Side:
    """One document read, its chrome marked (unless kept), and its body segmented."""
    timer = timer or Timer()
    with timer("read"):
        doc = read(obj, doc_id=doc_id)
    with timer("clean"):
        if keep_chrome:
            doc.chrome = []
        else:
            mark_chrome(doc)
    with timer("segment"):
        segments = body_segments(doc)
    return Side(doc, segments, [s.text(doc.text) for s in segments])


def sentence_scores(
    src: Side, rw: Side, model: str | Embedder | None = None,
    progress: Callable[[int, int], None] | None = None, timer: Timer | None = None,
    exhaustive: bool = True,
) -> Scores:
    """Every sentence pair's scores, within one language or across two (then with e5). With
    ``exhaustive=False`` (scan and trace), within one language the model embeds only the sentences
    of pairs that cheap evidence finds worth it (align/cascade.py); UNSPUN_EXHAUSTIVE=1 embeds
    every sentence whatever the caller asked."""
    timer = timer or Timer()
    with timer("language"):
        # English text is recognised by its words, without lingua: comparing two English texts
        # costs what it did before languages mattered.
        plan = languages.plan(src.doc, rw.doc, model)
    limit = max_sentences()
    for side in (src, rw):
        if len(side.texts) > limit:
            minutes = len(side.texts) / SENTENCES_PER_SECOND / 60
            raise LimitError(
                f"{side.doc.meta.get('origin') or side.doc.id}: {len(side.texts):,} sentences, over the limit of "
                f"{limit:,} for one comparison (about {minutes:.0f} min of embedding on 2 cores); compare sections, "
                "index it (`unspun index`), or raise UNSPUN_MAX_SENTENCES"
            )
    if len(src.texts) * len(rw.texts) > MAX_PAIRS:
        raise InputError(
            f"too long to compare sentence by sentence: {len(rw.texts):,} x {len(src.texts):,} "
            f"sentence pairs (the limit is {MAX_PAIRS:,}); compare sections, or index the long one"
        )
    embedder = get_embedder(plan.model)
    if not (src.texts and rw.texts):
        empty = np.zeros((len(rw.texts), len(src.texts)))
        return Scores(empty, empty, embedder.name, plan)
    if plan.document_evidence:
        rarity.preload()  # the judge's word frequencies load while the model embeds
    exhaustive = exhaustive or os.environ.get("UNSPUN_EXHAUSTIVE", "") not in ("", "0")
    words = None  # the word evidence, where the cheap step has it already
    if not exhaustive and not plan.crossing and embedder.name in cascade.MODELS:
        with timer("cheap"):
            cheap = cascade.cheap_scores(rw.texts, src.texts)
        with timer("embed"):
            cosine = cascade.cosine_matrix(cheap, lambda texts: _embed(embedder, texts, progress), rw.texts, src.texts)
        words = cheap.words
    else:
        with timer("embed"):  # with the cosines, as the cheap path's are (cascade.cosine_matrix)
            vectors = _embed(embedder, rw.texts + src.texts, progress)
            cosine = vectors[: len(rw.texts)] @ vectors[len(rw.texts) :].T
    with timer("align"):
        sim, prob = plan.pair_scores(rw.texts, src.texts, cosine, words=words)
    return Scores(sim, prob, embedder.name, plan)


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
    exhaustive: bool = True,
    details: bool = True,
) -> Report:
    """Compare a rewrite with its supposed source.

    ``source`` and ``rewrite`` are paths, ``pathlib.Path`` objects, bytes, the texts themselves, or
    ``Document`` objects. Returns a ``Report``; ``Report.to_json()`` gives the stable JSON.
    ``progress(done, total)`` is called as sentences are embedded, the slow part on long texts.
    ``source_url``, ``source_title`` and ``source_publisher`` help find credit to the source when
    the source itself does not say them (a plain-text release has no URL). ``exhaustive=False``
    embeds only the sentences of pairs that cheap evidence finds worth it (sentence_scores): the
    same verdicts at a fraction of the time, which scan and trace use; one comparison embeds every
    sentence, for its changed facts (FRANK's gate: 0.735 balanced accuracy exhaustive, 0.711 not).
    ``details=False`` leaves out the changed facts, additions and credit (fidelity.assess): a
    scan's rows do not show them.
    """
    timer = Timer()
    src = prepare(source, "source", keep_chrome=keep_chrome, timer=timer)
    rw = prepare(rewrite, "rewrite", keep_chrome=keep_chrome, timer=timer)
    scores = sentence_scores(src, rw, model, progress, timer, exhaustive=exhaustive)
    with timer("align"):
        groups = align_matrix(scores.sim, params) if scores.sim.size else []
    with timer("judge"):
        judgement = judge(src, rw, scores, groups, params)
    with timer("fidelity"):
        fidelity = assess(
            src.doc, rw.doc, src.segments, rw.segments, judgement.passages,
            derived=judgement.verdict != "non-derived",
            source_url=source_url, source_title=source_title, source_publisher=source_publisher, details=details,
        )
        judgement.dropped, judgement.facts = fidelity.dropped, fidelity.changed
        judgement.damaged, judgement.additions = fidelity.damaged, fidelity.additions
        judgement.attribution = fidelity.attribution
        judgement.unsupported_share = fidelity.unsupported_share
    return Report(source=src.doc, rewrite=rw.doc, judgement=judgement, timings=timer.times, model=scores.model)


def max_sentences() -> int:
    """The sentence limit of one side of a comparison: MAX_SENTENCES, or UNSPUN_MAX_SENTENCES."""
    return int(env_cap("UNSPUN_MAX_SENTENCES", MAX_SENTENCES))


def _embed(embedder: Embedder, texts: list[str], progress: Callable[[int, int], None] | None) -> np.ndarray:
    if progress is None:
        return embedder.embed(texts)
    progress(0, len(texts))  # a long input's bar shows before its first batch is embedded
    parts = []
    for start in range(0, len(texts), PROGRESS_STEP):
        parts.append(embedder.embed(texts[start : start + PROGRESS_STEP]))
        progress(min(start + PROGRESS_STEP, len(texts)), len(texts))
    return np.concatenate(parts)
