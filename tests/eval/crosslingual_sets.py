"""The cross-lingual evaluation data of ../shared/data/crosslingual, read into plain Python, and
the partial-reuse cases built from it (issue 8's must-shows; tests/eval and benchmarks use them).

* ``ntrex_sentences``: NTREX-128, English news sentences and their human translations, aligned
  line by line.
* ``wmt22_documents`` / ``wmt22_pairs``: WMT22 ru->en, Russian originals with their professional
  English translation and three machine translations, and the translation-or-distractor pairs.
* ``partial_cases``: an English document with three to five consecutive sentences of another
  document's English translation inserted, to be compared with that other document's Russian
  original; the inserted characters are the truth.
* ``pan11_cases``: PAN-PC-11 es->en translated plagiarism, a three-case sample.
"""

from __future__ import annotations

import csv
import json
import random
from dataclasses import dataclass
from pathlib import Path

from unspun.errors import InputError

NTREX_LANGUAGES = ("kaz", "rus", "deu", "spa", "hin")
MT_SYSTEMS = ("JDExploreAcademy", "Online-A", "Online-B")


def _jsonl(path: Path) -> list[dict]:
    if not path.exists():
        raise InputError(f"{path}: missing; is ../shared/data/crosslingual beside the repository?")
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def ntrex_sentences(root: Path) -> dict[str, list[str]]:
    """Language code ("eng", "rus", ...) -> every sentence of the folder, in the same order in
    every language (sentence k of each list says the same thing)."""
    out: dict[str, list[str]] = {}
    for doc in _jsonl(Path(root) / "docs.jsonl"):
        for lang in ("eng",) + NTREX_LANGUAGES:
            out.setdefault(lang, []).extend(s.strip() for s in doc[lang])
    return out


@dataclass(frozen=True)
class Wmt22Document:
    id: str
    domain: str
    ru: list[str]  # the original's segments
    en: list[str]  # the professional translation's, one per Russian segment
    mt: dict[str, list[str]]  # system -> its translation's segments

    @property
    def ru_text(self) -> str:
        return "\n".join(self.ru)

    @property
    def en_text(self) -> str:
        return "\n".join(self.en)

    def mt_text(self, system: str) -> str:
        return "\n".join(self.mt[system])


def wmt22_documents(root: Path) -> dict[str, Wmt22Document]:
    return {
        d["doc_id"]: Wmt22Document(
            id=d["doc_id"], domain=d["domain"],
            ru=[s.strip() for s in d["src"]], en=[s.strip() for s in d["ref"]],
            mt={k: [s.strip() for s in v] for k, v in d.get("mt", {}).items()},
        )
        for d in _jsonl(Path(root) / "docs.jsonl")
    }


def wmt22_pairs(root: Path) -> list[tuple[str, str, bool]]:
    """(Russian original's id, English document's id, whether the English is its translation)."""
    path = Path(root) / "doc_pairs.tsv"
    with open(path, encoding="utf-8", newline="") as f:
        return [(r["src_doc"], r["tgt_doc"], r["label"] == "1") for r in csv.DictReader(f, delimiter="\t")]


@dataclass(frozen=True)
class PartialCase:
    id: str
    source: str  # the donor document's Russian original
    rewrite: str  # an English document with the donor's translated sentences inserted
    inserted: tuple[int, int]  # where they are in ``rewrite``: [start, end) characters


def partial_cases(root: Path, n: int = 50, seed: int = 13) -> list[PartialCase]:
    """``n`` cases, the same every time for the same ``seed``. The host is another document of
    the donor's domain (the harder distractor: same subject matter, same register); the inserted
    run of 3 to 5 segments goes between two of the host's segments, never first or last."""
    docs = wmt22_documents(root)
    usable = sorted((d for d in docs.values() if len(d.en) >= 5), key=lambda d: d.id)
    if len(usable) < 2:
        raise InputError(f"{root}: too few documents to build partial-reuse cases")
    rng = random.Random(seed)
    donors = rng.sample(usable, len(usable))
    cases = []
    for k in range(n):
        donor = donors[k % len(donors)]
        hosts = [d for d in usable if d.domain == donor.domain and d.id != donor.id] or [
            d for d in usable if d.id != donor.id
        ]
        host = rng.choice(hosts)
        size = rng.randint(3, min(5, len(donor.en)))
        first = rng.randint(0, len(donor.en) - size)
        at = rng.randint(1, len(host.en) - 1)
        # Pasted as a paragraph of its own, as a writer pastes a translated passage; the host
        # keeps its segments one per line, as the data gives them.
        before = "\n".join(host.en[:at]) + "\n\n"
        inserted = " ".join(donor.en[first : first + size])
        after = "\n\n" + "\n".join(host.en[at:])
        cases.append(PartialCase(
            id=f"{donor.id}[{first}:{first + size}]>{host.id}@{at}",
            source=donor.ru_text,
            rewrite=before + inserted + after,
            inserted=(len(before), len(before) + len(inserted)),
        ))
    return cases


@dataclass(frozen=True)
class Pan11Case:
    id: str
    spanish: str  # the source passage
    english: str  # the plagiarised passage, translated from it


def pan11_cases(root: Path) -> list[Pan11Case]:
    return [Pan11Case(id=c["id"], spanish=c["es"], english=c["en"]) for c in _jsonl(Path(root) / "pairs.jsonl")]


def char_counts(predicted: list[tuple[int, int]], truth: tuple[int, int], text: str) -> tuple[int, int, int]:
    """Non-space characters (line breaks between segments are nobody's text) that are both
    predicted and true, predicted, and true."""
    marked = [False] * len(text)
    for start, end in predicted:
        for i in range(start, end):
            marked[i] = True
    countable = [not c.isspace() for c in text]
    hit = sum(1 for i in range(truth[0], truth[1]) if marked[i] and countable[i])
    claimed = sum(1 for i, m in enumerate(marked) if m and countable[i])
    true = sum(1 for i in range(truth[0], truth[1]) if countable[i])
    return hit, claimed, true


def char_scores(predicted: list[tuple[int, int]], truth: tuple[int, int], text: str) -> tuple[float, float]:
    """Character-level precision and recall of predicted spans against the true span."""
    hit, claimed, true = char_counts(predicted, truth, text)
    return (hit / claimed if claimed else 0.0), (hit / true if true else 0.0)


# -- scoring --------------------------------------------------------------------------------


def ntrex_top1(root: Path, languages=NTREX_LANGUAGES, limit: int | None = None, model: str = "e5") -> dict[str, float]:
    """Sentence level: for each language, the share of its sentences whose best match among all
    the folder's English sentences (the first ``limit`` of each, if given) is their own source,
    by the margin score of unspun.align.languages (cosine above the runner-ups of row and column)."""
    from unspun.align.languages import margins
    from unspun.represent import get_embedder

    sentences = ntrex_sentences(root)
    embedder = get_embedder(model)
    english = embedder.embed(sentences["eng"][:limit])
    out = {}
    for lang in languages:
        vectors = embedder.embed(sentences[lang][:limit])
        score = margins(vectors @ english.T)
        out[lang] = float((score.argmax(axis=1) == range(len(vectors))).mean())
    return out


def _derived(report) -> bool:
    return report.verdict != "non-derived"


def _rank_key(report) -> tuple[float, float]:
    c = report.judgement.coverage
    return (c["rewrite_share"], c["source_share"])


def wmt22_documents_scores(root: Path, english: str = "ref", sources: int | None = None) -> dict[str, float]:
    """Document level: each Russian original compared with its English translation (``ref``, or
    a machine translation system's) and its distractors. Returns the share of originals whose
    translation ranks first (by the share of the English document derived, then of the
    original), the share of translations found derived, and of distractors found non-derived."""
    from unspun.pipeline import compare

    docs = wmt22_documents(root)
    by_source: dict[str, list[tuple[str, bool]]] = {}
    for src, tgt, label in wmt22_pairs(root):
        by_source.setdefault(src, []).append((tgt, label))
    chosen = sorted(by_source)[:sources] if sources else sorted(by_source)
    first = derived = non_derived = distractors = 0
    for src in chosen:
        ranked = []
        for tgt, label in by_source[src]:
            text = docs[tgt].en_text if english == "ref" else docs[tgt].mt_text(english)
            report = compare(docs[src].ru_text, text)
            ranked.append((_rank_key(report), label))
            if label:
                derived += _derived(report)
            else:
                distractors += 1
                non_derived += not _derived(report)
        best = max(ranked, key=lambda r: r[0])
        first += best[1] and sum(r[0] == best[0] for r in ranked) == 1
    n = len(chosen)
    return {
        "documents": n,
        "translation_first": first / n,
        "translation_derived": derived / n,
        "distractor_non_derived": non_derived / max(1, distractors),
    }


def partial_scores(root: Path, n: int = 50) -> dict[str, float]:
    """The partial-reuse cases: the share found partially derived, and character precision and
    recall of their passages (on the rewrite side) against the inserted sentences, micro-averaged."""
    from unspun.pipeline import compare

    hits = claimed = true = partial = 0
    for case in partial_cases(root, n):
        report = compare(case.source, case.rewrite)
        partial += report.verdict == "partially-derived"
        spans = [(p.query_span.start, p.query_span.end) for p in report.passages]
        h, c, t = char_counts(spans, case.inserted, case.rewrite)
        hits += h
        claimed += c
        true += t
    return {
        "cases": n,
        "partially_derived": partial / n,
        "precision": hits / claimed if claimed else 0.0,
        "recall": hits / true if true else 0.0,
    }

