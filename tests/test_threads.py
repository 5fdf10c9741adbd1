"""Results do not depend on how many threads ask at once (the web service compares in several).

A Snowball stemmer shared by request threads once returned other words' stems ("complex" ->
"worker") under load, and a cache kept them: a silently wrong result, not an error.
"""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import unspun
from unspun.align import scores
from unspun.represent import lexical

from .conftest import CLOUGH, need

WORDS = (Path(__file__).resolve().parents[1].parent / "shared" / "data" / "seeds" / "press-release.txt")


def test_stems_are_the_same_from_eight_threads():
    words = need(WORDS).read_text(encoding="utf-8").lower().split() * 20
    unstemmed = lexical.stem.__wrapped__  # past the cache: every call stems
    alone = [unstemmed(w) for w in words]
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda _: [unstemmed(w) for w in words], range(8)))
    for result in together:
        assert result == alone


def test_compare_gives_the_same_report_from_eight_threads(seeds):
    pairs = [seeds] + [
        (need(CLOUGH / f"orig_task{t}.txt"), need(CLOUGH / f"g0pA_task{t}.txt")) for t in "abcd"
    ]

    def run(pair):
        report = unspun.compare(*pair).to_dict()
        return report

    alone = [run(p) for p in pairs]
    # so that the threads stem afresh, together
    lexical.stem.cache_clear()
    scores.sentence_stems.cache_clear()
    scores.sentence_ngrams.cache_clear()
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(run, pairs * 2))
    assert together == alone * 2
