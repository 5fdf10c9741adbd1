"""The article-extraction pages of ../shared/data/article-extraction, line by line, for the
chrome detector's quality gate (tests/eval/test_chrome.py)."""

from __future__ import annotations

import json
from pathlib import Path


def chrome_pages(folder: Path, half: str = "all") -> list[tuple[str, list[str], dict[int, bool]]]:
    """Article-extraction pages as (id, lines, {line number: is not body}); ``half`` is "dev"
    (even positions in id order, where the detector's parameters were chosen), "test" (odd) or
    "all"."""
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
