"""Clough & Stevenson (2011), read and scored for the quality gate (tests/eval/test_clough.py).

95 short answers, each written from a Wikipedia article (``orig_task{a-e}.txt``) by copy-paste
(``cut``), light or heavy revision, or independently (``non``). We compare each answer with its
article and map the report to those labels: the verdict to derived / non-derived, and the reuse
level (verbatim, near-verbatim, paraphrase, none) to cut, light, heavy, non.
"""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from unspun.pipeline import compare
from unspun.types import Report

LEVEL_TO_CLASS = {"verbatim": "cut", "near-verbatim": "light", "paraphrase": "heavy", "summary": "heavy", "none": "non"}
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
