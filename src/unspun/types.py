"""The data model of ../shared/DESIGN.md: plain dataclasses that serialise to JSON.

Offsets are always character offsets into ``Document.text``, the text exactly as read (after
decoding), end exclusive.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1

VERDICTS = ("wholly-derived", "partially-derived", "non-derived")
PASSAGE_KINDS = ("verbatim", "near-verbatim", "paraphrase", "summary", "translation")


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
class Candidate:
    source_id: str
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Passage:
    query_span: Span  # in the rewrite (the query document)
    source_span: Span  # in the source
    kind: str  # one of PASSAGE_KINDS
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


@dataclass
class Judgement:
    verdict: str
    coverage: dict[str, float]  # rewrite_share, source_share
    passages: list[Passage]
    facts: list[dict[str, Any]] = field(default_factory=list)
    attribution: dict[str, Any] | None = None
    additions: list[dict[str, Any]] = field(default_factory=list)
    # How much of the rewrite each passage kind covers; the reuse level derives from it.
    kind_shares: dict[str, float] = field(default_factory=dict)
    level: str = "none"  # none / translation / summary / paraphrase / near-verbatim / verbatim
    dropped: list[dict[str, Any]] = field(default_factory=list)
    damaged: list[dict[str, Any]] = field(default_factory=list)
    # Why the verdict is what it is: a judge.Evidence (its to_dict() is the JSON's
    # judgement.evidence).
    evidence: Any = None


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
    crossing: bool
    model: str


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
            "schema_version": SCHEMA_VERSION,
            "verdict": j.verdict,
            "reuse": {
                "rewrite_share": round(j.coverage["rewrite_share"], 4),
                "source_share": round(j.coverage["source_share"], 4),
                "level": j.level,
                "kind_shares": {k: round(v, 4) for k, v in j.kind_shares.items()},
            },
            "passages": [p.to_dict() for p in j.passages],
            "judgement": {"evidence": j.evidence.to_dict() if j.evidence is not None else None},
            "fidelity": {
                "dropped": j.dropped,
                "changed": j.facts,
                "damaged": j.damaged,
                "additions": j.additions,
                "attribution": j.attribution or {"credited": False, "names_source_org": False, "evidence": []},
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
