"""PAN text alignment (Potthast et al. 2010), for `unspun eval pan`: a PAN corpus read in either
layout, unspun's passages as detections, PAN's character-level measures (precision, recall,
granularity, plagdet), and source retrieval over an index of the corpus's sources.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError
from ..pipeline import compare
from ..types import Span, merge_spans

Case = tuple[str, tuple[int, int], tuple[int, int]]  # pair key, (start, end) in suspicious, in source


def pan_cases(folder: Path) -> tuple[list[tuple[str, str]], list[Case]]:
    """Pairs and their true cases of a PAN text-alignment corpus, in either layout: pan13-verbatim's
    pairs.tsv + cases.jsonl, or PAN's own, a `pairs` file of "suspicious source" lines and one XML
    file per pair anywhere below (in its obfuscation folders), whose ``<feature
    name="plagiarism" ...>`` elements give the cases."""
    import json

    if (folder / "pairs.tsv").exists() and (folder / "cases.jsonl").exists():
        pairs = []
        with open(folder / "pairs.tsv", encoding="utf-8") as f:
            next(f)
            for line in f:
                susp, src = line.rstrip("\n").split("\t")
                pairs.append((susp, src))
        cases = []
        for line in (folder / "cases.jsonl").read_text(encoding="utf-8").splitlines():
            c = json.loads(line)
            cases.append(_case(c["susp"], c["src"], c["this_offset"], c["this_length"], c["source_offset"], c["source_length"]))
        return pairs, cases
    if (folder / "pairs").is_file():
        return _pan_xml(folder)
    raise InputError(
        f"{folder}: not a PAN corpus (neither pairs.tsv + cases.jsonl, nor PAN's `pairs` file with its XML files)"
    )


def _case(susp: str | None, src: str | None, this_offset, this_length, source_offset, source_length) -> Case:
    if not susp or not src:
        raise ValueError("it names no document (reference or source_reference)")
    this_offset, this_length = int(this_offset), int(this_length)
    source_offset, source_length = int(source_offset), int(source_length)
    return (f"{susp}|{src}", (this_offset, this_offset + this_length), (source_offset, source_offset + source_length))


def _pan_xml(folder: Path) -> tuple[list[tuple[str, str]], list[Case]]:
    import xml.etree.ElementTree as ET

    pairs = []
    for line in (folder / "pairs").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 2:
            pairs.append((parts[0], parts[1]))
        elif parts:
            raise InputError(f"{folder / 'pairs'}: a line is not 'suspicious source': {line[:80]!r}")
    cases = []
    for path in sorted(folder.rglob("*.xml")):
        try:
            root = ET.parse(path).getroot()
        except ET.ParseError as exc:
            raise InputError(f"{path}: not well-formed XML ({exc})") from exc
        susp = root.get("reference")
        for f in root.iter("feature"):
            if f.get("name") != "plagiarism":
                continue
            try:
                cases.append(_case(susp, f.get("source_reference"), f.get("this_offset"), f.get("this_length"),
                                   f.get("source_offset"), f.get("source_length")))
            except (TypeError, ValueError) as exc:
                raise InputError(f"{path}: a plagiarism feature lacks its offsets or documents ({exc})") from exc
    return pairs, cases


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _union_len(ranges: list[tuple[int, int]]) -> int:
    """Characters covered by the ranges (each a real overlap: start < end)."""
    return sum(len(s) for s in merge_spans(Span(a, b) for a, b in ranges))


def plagdet(cases: list[Case], detections: list[Case]) -> dict[str, float]:
    """PAN's character-level measures, macro-averaged over cases (recall) and detections
    (precision); a detection detects a case when they overlap in both documents of one pair."""

    def detects(r: Case, s: Case) -> bool:
        return r[0] == s[0] and _overlap(r[1], s[1]) > 0 and _overlap(r[2], s[2]) > 0

    def inter(x: Case, y: Case) -> tuple[tuple[int, int], tuple[int, int]]:
        return ((max(x[1][0], y[1][0]), min(x[1][1], y[1][1])), (max(x[2][0], y[2][0]), min(x[2][1], y[2][1])))

    def size(c: Case) -> int:
        return (c[1][1] - c[1][0]) + (c[2][1] - c[2][0])

    rec_terms = []
    detected_by: list[int] = []
    for s in cases:
        hits = [r for r in detections if detects(r, s)]
        parts = [inter(s, r) for r in hits]
        covered = _union_len([p[0] for p in parts]) + _union_len([p[1] for p in parts])
        rec_terms.append(covered / size(s) if size(s) else 0.0)
        if hits:
            detected_by.append(len(hits))
    prec_terms = []
    for r in detections:
        hits = [s for s in cases if detects(r, s)]
        parts = [inter(s, r) for s in hits]
        covered = _union_len([p[0] for p in parts]) + _union_len([p[1] for p in parts])
        prec_terms.append(covered / size(r) if size(r) else 0.0)
    precision = sum(prec_terms) / len(prec_terms) if prec_terms else 0.0
    recall = sum(rec_terms) / len(rec_terms) if rec_terms else 0.0
    granularity = sum(detected_by) / len(detected_by) if detected_by else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    import math

    return {
        "precision": precision,
        "recall": recall,
        "granularity": granularity,
        "plagdet": f1 / math.log2(1 + granularity),
    }


def pan_detections(pairs: list[tuple[str, str]], folder: Path) -> list[Case]:
    """unspun's passages for PAN pairs, as detections. Site chrome is kept: PAN documents are
    not pasted web pages, and their cases may lie in text that looks like chrome."""
    out = []
    for susp, src in pairs:
        report = compare(folder / "src" / src, folder / "susp" / susp, keep_chrome=True)
        for p in report.passages:
            out.append((f"{susp}|{src}", (p.query_span.start, p.query_span.end), (p.source_span.start, p.source_span.end)))
    return out


def pan_retrieval(index, folder: Path, pairs: list[tuple[str, str]], k: int = 20) -> dict[str, float]:
    """Source retrieval over an index of PAN's src/: each suspicious document traced (candidates
    only), recall of its true sources at 1, 5, 10 and k, and their mean reciprocal rank.

    pan13-verbatim labels only verbatim reuse, and not all of it: a suspicious document may copy
    from more than k sources, listed or not. So the same figures are also given "judged": an
    unlisted candidate that shares a verbatim run of at least UNLISTED_WORDS words with the
    query (checked exactly, on the two texts) is a real source the labels miss, and is set aside
    from the ranking instead of pushing listed ones down. ``unlisted`` counts those set aside."""
    from ..words import tokens

    truth: dict[str, set[str]] = {}
    for susp, src in pairs:
        truth.setdefault(susp, set()).add(src)
    cutoffs = (1, 5, 10, k)
    hits = {n: 0 for n in cutoffs}
    judged_hits = {n: 0 for n in cutoffs}
    reciprocal: list[float] = []
    judged_reciprocal: list[float] = []
    unlisted = 0
    for susp, sources in sorted(truth.items()):
        query = folder / "susp" / susp
        ranked = [s.id for s in index.trace(query, top=max(k, 50), verify=0).sources]
        words = tokens(query.read_text(encoding="utf-8", errors="replace"))
        judged = []
        for doc_id in ranked:
            if doc_id not in sources and longest_shared_run(words, tokens(index.get(doc_id).text)) >= UNLISTED_WORDS:
                unlisted += 1
            else:
                judged.append(doc_id)
        for src in sources:
            for order, counts, rr in ((ranked, hits, reciprocal), (judged, judged_hits, judged_reciprocal)):
                rank = order.index(src) + 1 if src in order else None
                rr.append(1 / rank if rank else 0.0)
                for n in counts:
                    counts[n] += bool(rank and rank <= n)
    total = len(reciprocal)
    out: dict[str, float] = {f"recall@{n}": hits[n] / total for n in cutoffs}
    out["mrr"] = sum(reciprocal) / total
    out.update({f"judged_recall@{n}": judged_hits[n] / total for n in cutoffs})
    out["judged_mrr"] = sum(judged_reciprocal) / total
    out["unlisted"] = unlisted
    out["queries"] = len(truth)
    return out


# 25 words in a row, word for word, is reuse and not chance; all but 2 of the 263 listed pairs
# share a run that long (their longest runs: 15, 23, then 26 words and up).
UNLISTED_WORDS = 25


def longest_shared_run(a: list[str], b: list[str], n: int = 8) -> int:
    """Words in the longest run of a that also occurs, word for word, in b (0 when no n words
    in a row are shared): chained word n-grams of a that b holds."""
    grams = {tuple(b[i : i + n]) for i in range(len(b) - n + 1)}
    best = run = 0
    for i in range(len(a) - n + 1):
        run = run + 1 if tuple(a[i : i + n]) in grams else 0
        best = max(best, run)
    return best + n - 1 if best else 0


def pan_trace(index, folder: Path, pairs: list[tuple[str, str]], cases: list[Case], verify: int | None = None,
              k: int = 20, timings: list[float] | None = None, **trace_options) -> dict[str, float]:
    """The whole path scored, retrieval and alignment together: each suspicious document of
    ``pairs`` traced against ``index`` (an index of PAN's src/) as `unspun trace` does (site
    chrome kept, as in pan_detections), every verified derived source's passages taken as
    detections, and PAN's measures over every labelled case of those documents (``cases``; pass
    every pair of each suspicious document wanted, for a listed source to count as listed).

    pan13-verbatim labels only verbatim reuse, and not all of it: its suspicious documents also
    reuse, with obfuscation, sources it does not list, and 40 of its cases did not survive the
    re-anchoring; a trace finds them. So the measures are given twice: as labelled (``trace_*``:
    a detection of no labelled case counts against precision), and "judged"
    (``judged_trace_*``: a detection of no labelled case whose two spans share a verbatim run of
    at least UNLISTED_WORDS words is real reuse the labels miss, and is set aside, as
    pan_retrieval sets unlisted sources aside; ``trace_unlabelled_detections`` counts them).
    And ``listed_trace_*``: only the detections from the pairs listed (as PAN scores text
    alignment, on the pairs it gives), so that retrieval's unlisted finds do not count at all.
    Also recall@k of the listed sources as the trace lists them, and how many candidates were
    verified per trace.
    ``timings``, if given, gets each trace's seconds; ``trace_options`` go to ``trace``."""
    import time

    from ..retrieve import VERIFY_CLI
    from ..words import tokens

    verify = VERIFY_CLI if verify is None else verify
    truth: dict[str, set[str]] = {}
    for susp, src in pairs:
        truth.setdefault(susp, set()).add(src)
    by_pair: dict[str, list[Case]] = {}
    for c in cases:
        by_pair.setdefault(c[0], []).append(c)
    detections: list[Case] = []
    kept: list[Case] = []
    listed_pairs = {f"{a}|{b}" for a, b in pairs}
    unlisted = hits = verified = 0
    for susp in sorted(truth):
        path = folder / "susp" / susp
        t0 = time.perf_counter()
        result = index.trace(path, top=k, verify=verify, keep_chrome=True, **trace_options)
        if timings is not None:
            timings.append(time.perf_counter() - t0)
        verified += result.verified
        listed = [s.id for s in result.sources[:k]]
        hits += sum(src in listed for src in truth[susp])
        text = result.query.text
        for s in result.sources:
            if s.report is None or s.report.verdict == "non-derived":
                continue
            source_text = s.report.source.text
            for p in s.report.passages:
                found = (f"{susp}|{s.id}", (p.query_span.start, p.query_span.end), (p.source_span.start, p.source_span.end))
                detections.append(found)
                detects = any(_overlap(c[1], found[1]) and _overlap(c[2], found[2]) for c in by_pair.get(found[0], ()))
                if not detects and longest_shared_run(
                    tokens(text[p.query_span.start : p.query_span.end]),
                    tokens(source_text[p.source_span.start : p.source_span.end]),
                ) >= UNLISTED_WORDS:
                    unlisted += 1
                else:
                    kept.append(found)
    mine = [c for c in cases if c[0].split("|", 1)[0] in truth]
    out: dict[str, float] = {"trace_queries": len(truth), "trace_cases": len(mine), "trace_detections": len(detections)}
    out.update({f"trace_{m}": v for m, v in plagdet(mine, detections).items()})
    out.update({f"judged_trace_{m}": v for m, v in plagdet(mine, kept).items()})
    out.update({f"listed_trace_{m}": v for m, v in plagdet(mine, [x for x in detections if x[0] in listed_pairs]).items()})
    out["trace_unlabelled_detections"] = unlisted
    out[f"trace_recall@{k}"] = hits / max(1, len(pairs))
    out["trace_verified_per_query"] = verified / max(1, len(truth))
    return out
