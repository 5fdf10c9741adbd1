"""The data model of ../shared/DESIGN.md: plain dataclasses that serialise to JSON.

Offsets are always character offsets into ``Document.text``, the text exactly as read (after
decoding), end exclusive.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

JSON_SCHEMA_VERSION = 1  # the JSON reports' schema (the SQLite layout is store.index.LAYOUT_VERSION)
SCHEMA_VERSION = JSON_SCHEMA_VERSION  # the old name, kept for scripts that import it



@dataclass(frozen=True, order=True)
class Span:
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def to_list(self) -> list[int]:
        return [self.start, self.end]


def merge_spans(spans: Iterable[Span], bridges: Callable[[int, int], bool] | None = None) -> list[Span]:
    """The union of ``spans`` as sorted, disjoint spans: overlapping or touching spans join, and so
    do spans whose gap ``bridges(end, start)`` accepts (only whitespace between two lines, say)."""
    out: list[Span] = []
    for s in sorted(spans):
        if out and (s.start <= out[-1].end or (bridges is not None and bridges(out[-1].end, s.start))):
            if s.end > out[-1].end:
                out[-1] = Span(out[-1].start, s.end)
        else:
            out.append(s)
    return out


@dataclass
class Document:
    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: str | None = None
    lang: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    # Spans of site chrome (author boxes, cookie notices...): marked, never deleted.
    chrome: list[Span] = field(default_factory=list)


@dataclass(frozen=True)
class Segment:
    doc_id: str
    span: Span
    kind: str  # "sentence" or "heading"
    paragraph: int  # index of the paragraph the segment belongs to

    def text(self, doc_text: str) -> str:
        return doc_text[self.span.start : self.span.end]


@dataclass(frozen=True)
class Passage:
    query_span: Span  # in the rewrite (the query document)
    source_span: Span  # in the source
    kind: str  # verbatim, near-verbatim, paraphrase, summary or translation
    score: float  # 0..1, the passage's mean sentence similarity
    # The aligned sentences inside the passage, as (rewrite span, source span, best similarity);
    # a span covers two or more sentences where one side split or merged them.
    pairs: tuple[tuple[Span, Span, float], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "source": self.source_span.to_list(),
            "rewrite": self.query_span.to_list(),
            "kind": self.kind,
            "score": round(self.score, 4),
            "pairs": [
                {"source": s.to_list(), "rewrite": q.to_list(), "score": round(score, 4)}
                for q, s, score in self.pairs
            ],
        }


@dataclass(frozen=True)
class FactRef:
    """A fact inside a finding's text: its kind (number, date, name, quote), as written, and where."""

    kind: str
    value: str
    side: str  # "source" or "rewrite": the document ``span`` is in
    span: Span

    def to_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "value": self.value, self.side: self.span.to_list()}


@dataclass(frozen=True)
class Finding:
    """A stretch of one document that a fidelity finding points at: a dropped sentence or
    paragraph, an addition (content or chrome), a damaged sentence, a piece of credit."""

    kind: str
    side: str  # "source" or "rewrite": the document ``span`` is in
    span: Span
    text: str
    facts: tuple[FactRef, ...] | None = None  # for dropped and added content: the facts it holds
    # For an unsupported claim: the source sentence its rewrite sentence is aligned with.
    nearest: Span | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, self.side: self.span.to_list(), "text": self.text}
        if self.facts is not None:
            out["facts"] = [f.to_dict() for f in self.facts]
        if self.nearest is not None:
            out["nearest_source"] = self.nearest.to_list()
        return out


@dataclass(frozen=True)
class Change:
    """A fact an aligned pair states differently: a number, date, name, quote, negation or speaker."""

    kind: str
    source: Span
    rewrite: Span
    source_value: str
    rewrite_value: str  # "" for a quotation the rewrite no longer quotes

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "source": self.source.to_list(),
            "rewrite": self.rewrite.to_list(),
            "source_value": self.source_value,
            "rewrite_value": self.rewrite_value,
        }


@dataclass
class Attribution:
    """Whether the rewrite credits its source, or only names its publisher in the story."""

    credited: bool = False
    names_source_org: bool = False
    evidence: list[Finding] = field(default_factory=list)
    # The name the rewrite uses when it names the publisher, else the publisher's name (given, the
    # site name, the host name, or a bare release's speaking organisation): a report prints what was found.
    publisher: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "credited": self.credited,
            "names_source_org": self.names_source_org,
            "evidence": [e.to_dict() for e in self.evidence],
            "publisher": self.publisher,
        }


@dataclass
class Fidelity:
    """What the rewrite kept, dropped, changed and added, and whether it credits its source."""

    dropped: list[Finding] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    damaged: list[Finding] = field(default_factory=list)
    additions: list[Finding] = field(default_factory=list)
    attribution: Attribution = field(default_factory=Attribution)
    # Share of the content words of the rewrite's aligned sentences that the source never uses
    # (support.py), derived or not; None across languages, where words do not compare.
    unsupported_share: float | None = None


@dataclass
class Judgement:
    verdict: str
    coverage: dict[str, float]  # rewrite_share, source_share
    passages: list[Passage]
    facts: list[Change] = field(default_factory=list)  # the changed facts (JSON fidelity.changed)
    attribution: Attribution = field(default_factory=Attribution)
    additions: list[Finding] = field(default_factory=list)
    # How much of the rewrite each passage kind covers; the reuse level derives from it.
    kind_shares: dict[str, float] = field(default_factory=dict)
    level: str = "none"  # none / translation / summary / paraphrase / near-verbatim / verbatim
    dropped: list[Finding] = field(default_factory=list)
    damaged: list[Finding] = field(default_factory=list)
    unsupported_share: float | None = None  # as in Fidelity
    # Why the verdict is what it is: a judge.Evidence (its to_dict() is the JSON's
    # judgement.evidence).
    evidence: Any = None
    # The verdict's reason in one line: the closest evidence against the thresholds it had to
    # reach (JSON: reason, beside verdict; judgement.reason and judgement.evidence.reason too).
    reason: str = ""


@dataclass
class Side:
    """One document of a compared pair, read, cleaned and segmented, with its segments' texts."""

    doc: Document
    segments: list[Segment]
    texts: list[str]


@dataclass
class Scores:
    """Every (rewrite sentence, source sentence) pair's scores: the aligner's similarity, the
    probability that the pair restates (across languages: translates) one statement, whether the
    pair crosses languages, and the model that embedded it."""

    sim: Any  # numpy array, rewrite rows x source columns
    prob: Any
    model: str
    plan: Any  # the align.languages.Plan it was scored under

    @property
    def crossing(self) -> bool:
        return self.plan.crossing


@dataclass
class Report:
    source: Document
    rewrite: Document
    judgement: Judgement
    timings: dict[str, float] = field(default_factory=dict)
    model: str = ""

    @property
    def verdict(self) -> str:
        return self.judgement.verdict

    @property
    def passages(self) -> list[Passage]:
        return self.judgement.passages

    def to_dict(self) -> dict[str, Any]:
        j = self.judgement
        return {
            "schema_version": JSON_SCHEMA_VERSION,
            "verdict": j.verdict,
            "reason": j.reason,
            "reuse": {
                "rewrite_share": round(j.coverage["rewrite_share"], 4),
                "source_share": round(j.coverage["source_share"], 4),
                "level": j.level,
                "kind_shares": {k: round(v, 4) for k, v in j.kind_shares.items()},
            },
            "passages": [p.to_dict() for p in j.passages],
            "judgement": {"reason": j.reason, "evidence": j.evidence.to_dict() if j.evidence is not None else None},
            "fidelity": {
                "dropped": [d.to_dict() for d in j.dropped],
                "changed": [c.to_dict() for c in j.facts],
                "damaged": [d.to_dict() for d in j.damaged],
                "additions": [a.to_dict() for a in j.additions],
                "attribution": j.attribution.to_dict(),
                "unsupported_share": None if j.unsupported_share is None else round(j.unsupported_share, 4),
            },
            "chrome": {
                "source": [s.to_list() for s in self.source.chrome],
                "rewrite": [s.to_list() for s in self.rewrite.chrome],
            },
            "documents": {
                "source": _doc_dict(self.source),
                "rewrite": _doc_dict(self.rewrite),
            },
            "model": self.model,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)


def _doc_dict(doc: Document) -> dict[str, Any]:
    out = {
        "id": doc.id,
        "title": doc.title,
        "url": doc.url,
        "lang": doc.lang,
        "encoding": doc.meta.get("encoding"),
        "format": doc.meta.get("format"),
        "length": len(doc.text),
    }
    if doc.meta.get("format") not in (None, "text"):
        # Offsets index the text unspun extracted (from HTML, PDF, a WARC record...), which the
        # user does not have as a file: it comes with the report.
        out["text"] = doc.text
    return out
