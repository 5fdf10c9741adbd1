"""FRANK's system summaries with people's error labels (../shared/data/rewrites/frank), for the
fidelity gate (tests/eval/test_frank_fidelity.py) and its benchmark (benchmarks/frank_fidelity.py).

A summary is *in error* when people found a wrong entity, circumstance or relation, or
information not in the article (``EntE``, ``CircE``, ``RelE`` or ``OutE`` below 1); *fully
factual* when its ``factuality`` is 1. Each summary belongs to a half by its article: "dev" for
articles at even positions in name order, "test" for odd ones.

The system summaries come as their systems wrote them: lower-cased, tokenised the Penn Treebank
way ("kilmarnock 's", "did n't", "-lrb-", ``quoted''), some with the unknown-word token ``<unk>`` / ``UNK``.
``readable`` undoes the tokenisation (a reader sees "kilmarnock's") and drops the unknown-word
token, which stands for a word the system could not write: a rewrite as published has a word
there, not a marker that it is missing.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

ERRORS = ("EntE", "CircE", "RelE", "OutE")
# The systems that summarised BBC (XSum) articles; the rest summarised CNN/DailyMail ones.
XSUM_SYSTEMS = frozenset({"BERTS2S", "PtGen", "TConvS2S", "TranS2S"})


@dataclass(frozen=True)
class Summary:
    article: Path
    summary: Path
    system: str
    in_error: bool
    factual: bool
    half: str

    @property
    def corpus(self) -> str:
        return "xsum" if self.system in XSUM_SYSTEMS else "cnndm"


def summaries(folder: Path, half: str = "all") -> list[Summary]:
    rows = [json.loads(line) for line in (folder / "annotations.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    articles = sorted({r["article"] for r in rows})
    half_of = {a: ("dev" if k % 2 == 0 else "test") for k, a in enumerate(articles)}
    out = [
        Summary(
            folder / "docs" / r["article"], folder / "docs" / r["summary"], r["model"],
            any(r[k] < 1 for k in ERRORS), r["factuality"] == 1.0, half_of[r["article"]],
        )
        for r in rows
    ]
    return [s for s in out if half in ("all", s.half)]


def readable(text: str) -> str:
    """A system summary as a reader would see it: tokenisation undone, unknown-word tokens gone.
    Its case stays as the system wrote it (restoring it from the article's spelling of each word
    was tried: no better, and it invents names where the article capitalises a common word)."""
    text = re.sub(r"\s*(?:<unk>|\bUNK\b)", "", text)
    text = re.sub(r"-lrb-\s*", "(", text, flags=re.IGNORECASE)
    text = re.sub(r"\s*-rrb-", ")", text, flags=re.IGNORECASE)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r" ([.,;:!?%])", r"\1", text)
    # Penn Treebank quotation marks: `` and '' open and close a quotation, ` and ' a quoted word.
    text = re.sub(r"``\s*", "“", text)
    text = re.sub(r"\s*''", "”", text)
    text = re.sub(r"(?<!\w)`\s*", "‘", text)
    text = re.sub(r"(?<=‘)([^‘’]*?)\s+'(?!\w)", r"\1’", text)
    return text


def flagged(report_dict: dict) -> bool:
    """The issue's test: a summary is flagged when unspun reports a changed fact or added
    content (an unaligned sentence, or an unsupported claim; chrome is not content)."""
    f = report_dict["fidelity"]
    return bool(f["changed"]) or any(a["kind"] != "chrome" for a in f["additions"])


def flag_rates(in_error: list[bool], factual: list[bool], flags: list[bool]) -> tuple[float, float, float, float]:
    """(balanced accuracy, precision, recall, share of fully factual summaries flagged) of the
    flags, one per summary, against its labels."""
    err = [f for f, e in zip(flags, in_error) if e]
    ok = [f for f, e in zip(flags, in_error) if not e]
    recall = sum(err) / max(1, len(err))
    specificity = 1 - sum(ok) / max(1, len(ok))
    flagged_n = sum(err) + sum(ok)
    precision = sum(err) / flagged_n if flagged_n else 0.0
    on_factual = [f for f, x in zip(flags, factual) if x]
    return (recall + specificity) / 2, precision, recall, sum(on_factual) / max(1, len(on_factual))


def auc(scores: list[float], labels: list[bool]) -> float:
    """Area under the ROC curve: the chance a summary in error scores above a correct one (ties
    half), as the Mann-Whitney U statistic over the number of pairs."""
    from scipy.stats import mannwhitneyu

    pos = [s for s, y in zip(scores, labels) if y]
    neg = [s for s, y in zip(scores, labels) if not y]
    if not pos or not neg:
        return float("nan")
    return float(mannwhitneyu(pos, neg).statistic) / (len(pos) * len(neg))
