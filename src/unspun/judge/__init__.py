"""Judge: is the rewrite derived from the source, how much of it, and why.

One decision, two kinds of evidence, both in this package:

* restated.py: aligned groups holding at least one restated sentence in expectation (STS >= 4).
  This settles copies and close paraphrases, and a reused paragraph inside a long document.
* evidence.py + verdict.py: the document as a whole: mutual best sentence matches, their order,
  the rare facts they share, copied 4-grams, measured against what unrelated texts of the same
  kind show. This recognises a rewrite that rewords every sentence, and a summary.

A pair is derived when either says so. Across languages only the first decides (the document
model was fitted on English pairs). The passages are the accepted groups; a rewrite found
derived by the document evidence alone gets the groups its in-order matches lie in. shares.py
turns passages into shares and the reuse level.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from ..align import AlignParams, build_passages
from ..align.fast import components
from ..align.scores import COPY_NGRAM, sentence_ngrams
from ..types import Judgement, Passage, Scores, Side
from . import verdict as model
from .evidence import Evidence, measure, weighty
from .reason import Bars, reason
from .restated import accept, restated
from .shares import SUMMARY_RATIO, WHOLLY, kind_shares, reuse_level, shares

__all__ = ["Evidence", "WHOLLY", "judge"]


def judge(src: Side, rw: Side, scores: Scores, groups: Sequence[Sequence[tuple[int, int]]], params: AlignParams = AlignParams()) -> Judgement:
    sim, prob = scores.sim, scores.prob
    plan = scores.plan
    accepted: list = []
    needed = max(params.min_evidence, plan.min_evidence)
    if sim.size:
        rows, cols = weighty(rw.texts), weighty(src.texts)
        ev = measure(rw.texts, src.texts, sim, prob, rows, cols)
        weighed = prob * (rows[:, None] & cols[None, :])
        # Within one language a group must be unlikely by chance unless it copies words or stands
        # in line with one that stands (the chance bar was measured on English pairs scored by the
        # sentence model; across two languages nothing is copied).
        copies = _copies(rw.texts, src.texts) if plan.document_evidence else None
        accepted = accept(groups, weighed, params, needed, copies)
        # What accept() weighed, for the reason: a rewrite of one sentence needs half of one.
        ev.restated_aligned = restated(groups, weighed)
        needed = min(needed, 0.5 * prob.shape[0])
        if ev.closest is not None:
            ev.closest_probability = float(prob[ev.closest])
    else:
        ev = Evidence()
    ev.restated_needed = needed
    ev.threshold = model.threshold()
    ev.probability = model.probability(ev) if plan.document_evidence else 0.0
    ev.chance = model.chance(ev.probability)
    by_document = ev.in_order > 0 and ev.probability >= ev.threshold
    restated_ok = bool(accepted)
    if by_document and not accepted:
        accepted = _groups_of(ev.pairs, groups, params)
    ev.decided_by = {(True, True): "both", (True, False): "restated", (False, True): "document"}.get((restated_ok, by_document), "none")
    if ev.closest is not None:
        i, j = ev.closest
        ev.closest_spans = (rw.segments[i].span, src.segments[j].span)
    passages = build_passages(accepted, rw.segments, src.segments, rw.doc.text, src.doc.text, sim, params.seed_threshold) if accepted else []
    if plan.reworded_kind != "paraphrase":
        # A passage that shares no words across the two languages was translated; one that
        # kept its words (a quotation left in its language) stays what it is.
        passages = [replace(p, kind=plan.reworded_kind) if p.kind == "paraphrase" else p for p in passages]
    passages = [_summary_kind(p, src) for p in passages]
    coverage = shares(src.doc, rw.doc, passages)
    if not passages:
        verdict = "non-derived"
    elif coverage["rewrite_share"] >= WHOLLY:
        verdict = "wholly-derived"
    else:
        verdict = "partially-derived"
    ev.reason = reason(ev, verdict, coverage["rewrite_share"], Bars(needed, ev.threshold, params.seed_threshold, plan.document_evidence))
    return Judgement(
        verdict=verdict,
        reason=ev.reason,
        coverage=coverage,
        passages=passages,
        kind_shares=kind_shares(rw.doc, passages),
        level=reuse_level(src.doc, rw.doc, passages),
        evidence=ev,
    )


def _copies(rewrite: Sequence[str], source: Sequence[str]):
    """Whether a group's rewrite and source sentences share a run of five words (as copied text is
    measured in align/scores.py): a paraphrase that keeps a phrase ("fresh water to drink and
    careful observation"). Two texts on one subject rarely share one."""

    def copies(group: Sequence[tuple[int, int]]) -> bool:
        rw = frozenset().union(*(sentence_ngrams(rewrite[i], COPY_NGRAM) for i in {i for i, _ in group}))
        return any(not rw.isdisjoint(sentence_ngrams(source[j], COPY_NGRAM)) for j in {j for _, j in group})

    return copies


def _groups_of(pairs: Sequence[tuple[int, int]], groups: Sequence[Sequence[tuple[int, int]]], params: AlignParams) -> list[list[tuple[int, int]]]:
    """The aligner's groups that hold an in-order match, and the matches in none of them grouped
    as the aligner groups cells (a reworded sentence may fall below the aligner's seed)."""
    chosen = [list(g) for g in groups if any(c in g for c in pairs)]
    inside = {c for g in chosen for c in g}
    loose = sorted(c for c in pairs if c not in inside)
    return sorted(chosen + (components(loose, params.max_gap + 1) if loose else []))


def _summary_kind(p: Passage, src: Side) -> Passage:
    if p.kind != "paraphrase":
        return p
    covered = sum(1 for s in src.segments if p.source_span.start <= s.span.start and s.span.end <= p.source_span.end)
    if covered >= 2 and len(p.source_span) >= SUMMARY_RATIO * len(p.query_span):
        return replace(p, kind="summary")
    return p
