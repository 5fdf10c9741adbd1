"""Quality gate: source retrieval on pan13-verbatim, the whole of it (1,949 sources indexed, the
77 suspicious documents traced, candidates only). About 30 s on 2 cores.

Floors: recall@20 of the listed sources as labelled, and "judged" (unlisted verbatim sources
set aside, see unspun.eval.pan.pan_retrieval). The issue's goal is 0.99 at 20; as labelled, the
ceiling is lower: five suspicious documents copy verbatim from 21 to 25 sources each, only 6 to
15 of them listed, so listed ones that share less text rank past 20 behind unlisted ones that
share more. The benchmark (benchmarks/index.py) prints the same figures beside a baseline.
"""

import pytest

from unspun.eval.pan import longest_shared_run, pan_cases, pan_retrieval
from unspun.read import iter_documents
from unspun.store import Index

from ..conftest import DATA, need
from . import baseline

# Floors of recall@20, judged_recall@20, judged_recall@10 and mrr: baseline.json, pan_retrieval.


@pytest.fixture(scope="module")
def retrieval(tmp_path_factory):
    folder = need(DATA / "pan13-verbatim")
    pairs, _ = pan_cases(folder)
    with Index(tmp_path_factory.mktemp("pan") / "idx") as index:
        index.add(iter_documents([folder / "src"]), jobs=2)
        assert len(index) == 1949
        return pan_retrieval(index, folder, pairs)


def test_retrieval_floors(retrieval):
    print("\npan13-verbatim retrieval: " + ", ".join(
        f"{k} {v:.3f}" if isinstance(v, float) else f"{k} {v}" for k, v in retrieval.items()
    ))
    assert retrieval["queries"] == 77
    baseline.check("pan_retrieval", retrieval)
    # Setting unlisted sources aside can only raise recall, and it must not be what carries it:
    # it is a correction for a few crowded documents, not for most queries.
    assert retrieval["judged_recall@20"] >= retrieval["recall@20"]


def test_longest_shared_run():
    a = "one two three four five six seven eight nine ten".split()
    assert longest_shared_run(a, a) == 10
    assert longest_shared_run(a, a[:8] + ["x"] + a[1:9]) == 9  # "two" .. "nine" is the longest
    assert longest_shared_run(a, a[:7]) == 0  # fewer than 8 words in a row: nothing
