"""Quality gate: the HTML reader's main text against the annotated bodies of
../shared/data/article-extraction (91 pages), beside trafilatura.extract alone on the same pages.

The measure is benchmarks/read.py's: bag of lowercase word tokens, precision and recall per page
averaged over pages, F1 of the two means. The reader asks trafilatura for ``favor_precision``
(nothing fitted to these pages); the gate holds it at least 0.01 above trafilatura's defaults.
"""

import json

import pytest

from unspun.read.text import _extract_html

from ..conftest import DATA, need
from . import baseline
from .article_extraction import body_scores as scores


@pytest.fixture(scope="module")
def pages():
    folder = need(DATA / "article-extraction")
    truth = {}
    for line in (folder / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        truth[row["id"]] = row["body"]
    markup = {p.stem: p.read_text(encoding="utf-8") for p in sorted((folder / "html").glob("*.html"))}
    return markup, truth


def test_html_body_f1_beats_trafilatura_alone(pages):
    trafilatura = pytest.importorskip("trafilatura")
    markup, truth = pages
    ours = {k: _extract_html(m, k)[0] for k, m in markup.items()}
    alone = {k: trafilatura.extract(m) or "" for k, m in markup.items()}
    p, r, f = scores(ours, truth)
    bp, br, bf = scores(alone, truth)
    print(f"\nHTML body on article-extraction: unspun P {p:.3f} R {r:.3f} F1 {f:.3f}; "
          f"trafilatura.extract alone P {bp:.3f} R {br:.3f} F1 {bf:.3f}")
    baseline.check("html/article_extraction", {"precision": p, "recall": r, "f1": f, "f1_over_trafilatura": f - bf})
