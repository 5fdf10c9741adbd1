"""Quality measurements on labelled data, shared by the test gates and the benchmarks.

Clough & Stevenson (2011): 95 short answers, each written from a Wikipedia article
(``orig_task{a-e}.txt``) by copy-paste (``cut``), light or heavy revision, or independently
(``non``). We compare each answer with its article and map the report to those labels: the
verdict to derived / non-derived, and the reuse level (verbatim, near-verbatim, paraphrase, none)
to cut, light, heavy, non.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .pipeline import compare
from .types import Report

LEVEL_TO_CLASS = {"verbatim": "cut", "near-verbatim": "light", "paraphrase": "heavy", "none": "non"}
CLASSES = ("non", "heavy", "light", "cut")


@dataclass
class CloughResult:
    file: str
    label: str
    verdict: str
    level: str
    rewrite_share: float
    changed: int = 0  # changed facts reported

    @property
    def predicted(self) -> str:
        return "non" if self.verdict == "non-derived" else LEVEL_TO_CLASS[self.level]


def clough_answers(folder: Path) -> list[tuple[str, str, str]]:
    """(answer file, task letter, label) for every answer in file_information.csv."""
    with open(folder / "file_information.csv", newline="", encoding="utf-8") as f:
        return [
            (row["File"], row["Task"], row["Category"])
            for row in csv.DictReader(f)
            if row["Category"] in CLASSES
        ]


def run_clough(folder: Path, compare_fn: Callable[..., Report] = compare, **kwargs) -> list[CloughResult]:
    results = []
    for name, task, label in clough_answers(folder):
        report = compare_fn(folder / f"orig_task{task}.txt", folder / name, **kwargs)
        results.append(
            CloughResult(
                file=name,
                label=label,
                verdict=report.verdict,
                level=report.judgement.level,
                rewrite_share=report.judgement.coverage["rewrite_share"],
                changed=len(report.judgement.facts),
            )
        )
    return results


def binary_accuracy(results: list[CloughResult]) -> float:
    return sum((r.label != "non") == (r.verdict != "non-derived") for r in results) / len(results)


def four_class_accuracy(results: list[CloughResult]) -> float:
    return sum(r.label == r.predicted for r in results) / len(results)


def confusion_table(results: list[CloughResult]) -> str:
    counts = Counter((r.label, r.predicted) for r in results)
    lines = ["| label \\ predicted | " + " | ".join(CLASSES) + " |", "| --- |" + " --- |" * len(CLASSES)]
    for label in CLASSES:
        lines.append(f"| {label} | " + " | ".join(str(counts[(label, p)]) for p in CLASSES) + " |")
    return "\n".join(lines)


def chrome_pages(folder: Path, half: str = "all") -> list[tuple[str, list[str], dict[int, bool]]]:
    """Article-extraction pages as (id, lines, {line number: is not body}); ``half`` is "dev"
    (even positions in id order, where the detector's parameters were chosen), "test" (odd) or
    "all"."""
    import json

    labels = [json.loads(line) for line in (folder / "chrome_labels.jsonl").read_text(encoding="utf-8").splitlines()]
    labels.sort(key=lambda x: x["id"])
    pages = []
    for pos, item in enumerate(labels):
        if (half == "dev" and pos % 2) or (half == "test" and not pos % 2):
            continue
        text = (folder / "plaintext" / f"{item['id']}.txt").read_text(encoding="utf-8")
        pages.append((item["id"], text.split("\n"), {x["n"]: not x["in_body"] for x in item["lines"]}))
    return pages


def chrome_line_scores(pages, classify_fn) -> tuple[float, float]:
    """Precision and recall of "not body" (chrome or metadata) over all labelled lines."""
    tp = fp = fn = 0
    for _, lines, gold in pages:
        labels = classify_fn(lines)
        for n, is_chrome in gold.items():
            predicted = labels[n - 1] != "body"
            tp += predicted and is_chrome
            fp += predicted and not is_chrome
            fn += (not predicted) and is_chrome
    return tp / max(1, tp + fp), tp / max(1, tp + fn)
