"""The verdict's reason in one line: the evidence the judge weighed, each measure against the
threshold it had to reach, so a reader sees why a pair is derived or what it fell short of.

Every number is one the judge used (restated.py's expected restated sentences against the
evidence needed, verdict.py's score against its threshold, shares.py's WHOLLY), never a
figure made up for the sentence.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .evidence import Evidence
from .shares import WHOLLY


@dataclass(frozen=True)
class Bars:
    """The thresholds a pair was held to."""

    restated: float  # restated sentences needed in the aligned groups, in expectation
    score: float  # the document model's threshold (verdict.threshold)
    seed: float  # the similarity at which the aligner starts a passage
    document: bool = True  # whether the document evidence may decide (not across languages)


def reason(ev: Evidence, verdict: str, rewrite_share: float, bars: Bars) -> str:
    word = "restated" if bars.document else "translated"
    grouped = f"{word} sentences: {ev.restated_aligned:.1f} expected in aligned passages, {bars.restated:.1f} needed"
    if verdict == "non-derived":
        return _not_derived(ev, bars, grouped)
    whole = _as_a_whole(ev)
    scored = f"a score of {ev.probability:.2f}, over the {bars.score:.2f} needed (texts of this kind not derived score this high {_rate(ev.chance)})"
    if ev.decided_by == "both":
        why = f"{grouped}; {whole}, {scored}"
    elif ev.decided_by == "document":
        why = f"{whole}, {scored}"
    else:
        why = f"{grouped}; {whole}" if bars.document else grouped
    if verdict == "wholly-derived":
        share = f"{_percent(rewrite_share, down=False)} of the rewrite lies in reused passages, at least the {WHOLLY:.0%} that makes it wholly derived"
    else:
        share = f"{_percent(rewrite_share, down=True)} of the rewrite lies in reused passages, under the {WHOLLY:.0%} that would make it wholly derived"
    return f"{why}; {share}"


def _not_derived(ev: Evidence, bars: Bars, grouped: str) -> str:
    if ev.closest is None:
        return "no sentence of the rewrite could be compared with one of the source: short of the evidence a rewrite shows"
    i, j = ev.closest
    pair = f"the closest sentence pair (rewrite sentence {i + 1}, source sentence {j + 1}, similarity {ev.best:.2f})"
    if ev.best < bars.seed:
        closest = f"{pair} falls short of the {bars.seed:.2f} at which a reused passage starts"
    else:
        closest = f"{pair}, but states the same thing with probability only {ev.closest_probability:.2f}"
    parts = [closest, grouped]
    if bars.document:
        whole = _as_a_whole(ev)
        if ev.probability < bars.score:
            parts.append(f"{whole}, a score of {ev.probability:.2f}, under the {bars.score:.2f} needed")
        else:
            parts.append(f"{whole}: none to weigh")
        tail = f" (unrelated texts of this kind score this high {_rate(ev.chance)})"
    else:
        parts.append("across languages only translated sentences decide")
        tail = ""
    return "; ".join(parts) + ": short of the evidence a rewrite shows" + tail


def _as_a_whole(ev: Evidence) -> str:
    facts = f", sharing {len(ev.facts)} rare fact{'s' if len(ev.facts) != 1 else ''}" if ev.facts else ""
    return f"the document as a whole: {ev.in_order} of {ev.sentences} rewrite sentences match a source sentence in order{facts}"


def _percent(share: float, down: bool) -> str:
    """A share in whole percent. Under the bar it is rounded down, so that 69.6 % is not shown as
    the 70 % it fell short of; at or over the bar, rounding to nearest cannot cross it."""
    return f"{math.floor(share * 100)}%" if down else f"{share:.0%}"


def _rate(p: float) -> str:
    return "less than 1 time in 200" if p < 0.005 else f"{p:.1%} of the time"
