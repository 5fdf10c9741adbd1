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
from ..types import Judgement, Passage, Scores, Side
from . import verdict as model
from .evidence import Evidence, measure, weighty
from .restated import accept
from .shares import SUMMARY_RATIO, WHOLLY, kind_shares, reuse_level, shares

__all__ = ["Evidence", "WHOLLY", "judge"]


def judge(src: Side, rw: Side, scores: Scores, groups: Sequence[Sequence[tuple[int, int]]], params: AlignParams = AlignParams()) -> Judgement:
    sim, prob = scores.sim, scores.prob
    plan = scores.plan
    accepted: list = []
    if sim.size:
        rows, cols = weighty(rw.texts), weighty(src.texts)
        ev = measure(rw.texts, src.texts, sim, prob, rows, cols)
        needed = max(params.min_evidence, plan.min_evidence)
        accepted = accept(groups, prob * (rows[:, None] & cols[None, :]), params, needed)
    else:
        ev = Evidence()
    ev.probability = model.probability(ev) if plan.document_evidence else 0.0
    ev.chance = model.chance(ev.probability)
    by_document = ev.in_order > 0 and ev.probability >= model.threshold()
    restated_ok = bool(accepted)
    if by_document and not accepted:
        accepted = _groups_of(ev.pairs, groups, params)
    ev.decided_by = {(True, True): "both", (True, False): "restated", (False, True): "document"}.get((restated_ok, by_document), "none")
    ev.reason = _reason(ev, restated_ok, by_document)
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
    return Judgement(
        verdict=verdict,
        coverage=coverage,
        passages=passages,
        kind_shares=kind_shares(rw.doc, passages),
        level=reuse_level(src.doc, rw.doc, passages),
        evidence=ev,
    )


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


def _reason(ev: Evidence, restated: bool, by_document: bool) -> str:
    order = f"{ev.in_order} of {ev.sentences} rewrite sentences match a source sentence in order"
    facts = f", sharing {len(ev.facts)} rare fact{'s' if len(ev.facts) != 1 else ''}" if ev.facts else ""
    if restated and by_document:
        return f"restated sentences, and the document as a whole: {order}{facts}"
    if restated:
        return f"restated sentences ({ev.restated:.1f} expected); {order}{facts}"
    if by_document:
        return f"the document as a whole: {order}{facts}; texts of this kind not derived score this high {_rate(ev.chance)}"
    return f"no restated sentence; {order}{facts}: short of the evidence a rewrite shows (unrelated texts of this kind score this high {_rate(ev.chance)})"


def _rate(p: float) -> str:
    return "less than 1 time in 200" if p < 0.005 else f"{p:.1%} of the time"

