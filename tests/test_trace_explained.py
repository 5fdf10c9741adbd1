"""`trace` verifies until the query is explained, and `unspun eval pan --trace` scores the whole
path (issue 15). A small PAN corpus is made in a tmp folder from pan13-verbatim: three short
suspicious documents with 3 to 5 labelled sources each (every pair with its case), an index of
just their sources and some distractors (the sources of other suspicious documents). Nothing here asserts a time."""

from __future__ import annotations

import json
import shutil

import pytest

from unspun.cli import main
from unspun.eval.pan import pan_cases, pan_trace
from unspun.read import iter_documents
from unspun.retrieve import EXPLAINED_REASON, NOTHING_TO_ADD_REASON, unverified_reason
from unspun.store import Index

from .conftest import DATA, need

SUSP = ["suspicious-document00871.txt", "suspicious-document00158.txt", "suspicious-document01650.txt"]
DISTRACTING = ["suspicious-document01043.txt", "suspicious-document01613.txt", "suspicious-document00716.txt"]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A PAN corpus in pan13-verbatim's layout: SUSP, their sources and the distractors."""
    folder = need(DATA / "pan13-verbatim")
    pairs, _ = pan_cases(folder)
    sources = {b for a, b in pairs if a in SUSP} | {b for a, b in pairs if a in DISTRACTING}
    mine = [(a, b) for a, b in pairs if a in SUSP]
    out = tmp_path_factory.mktemp("pan")
    (out / "src").mkdir()
    (out / "susp").mkdir()
    for name in sources:
        shutil.copy(folder / "src" / name, out / "src" / name)
    for name in SUSP:
        shutil.copy(folder / "susp" / name, out / "susp" / name)
    (out / "pairs.tsv").write_text("susp\tsrc\n" + "".join(f"{a}\t{b}\n" for a, b in mine), encoding="utf-8")
    keep = [line for line in (folder / "cases.jsonl").read_text(encoding="utf-8").splitlines()
            if json.loads(line)["susp"] in SUSP]
    (out / "cases.jsonl").write_text("\n".join(keep) + "\n", encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def index(corpus, tmp_path_factory):
    path = tmp_path_factory.mktemp("idx") / "idx"
    with Index(path) as ix:
        ix.add(iter_documents([corpus / "src"]))
    return path


def test_every_labelled_source_is_verified_and_its_passages_score(corpus, index):
    pairs, cases = pan_cases(corpus)
    assert len({a for a, _ in pairs}) == 3 and len(pairs) == 12
    with Index(index, create=False) as ix:
        traced = pan_trace(ix, corpus, pairs, cases)  # --verify's default: until explained
        bounded = pan_trace(ix, corpus, pairs, cases, verify=1)  # one source verified, at most
    print("\nuntil explained: " + ", ".join(f"{k} {v:.3f}" for k, v in traced.items()))
    print("verify 1: " + ", ".join(f"{k} {v:.3f}" for k, v in bounded.items()))
    assert traced["trace_cases"] == len(cases) and traced["trace_queries"] == 3
    assert traced["trace_recall@20"] == 1.0
    assert traced["judged_trace_plagdet"] >= 0.90  # the gate, on this subset
    assert traced["trace_plagdet"] >= 0.85  # as labelled: a few passages run past their case
    assert traced["listed_trace_plagdet"] >= 0.85  # here every source indexed is a listed one
    # One verification a query leaves most sources' passages out: recall falls, as issue 15 found.
    assert bounded["trace_recall"] < traced["trace_recall"] - 0.3
    assert bounded["trace_verified_per_query"] == 1.0
    assert traced["trace_verified_per_query"] >= len(pairs) / 3


def test_an_index_built_with_vectors_passes_the_same_gate(corpus, tmp_path):
    # The sources' vectors come from the index (represent/stored.py) and every sentence pair gets
    # the model's cosine: the whole path scores as it does without them.
    pairs, cases = pan_cases(corpus)
    with Index(tmp_path / "idx") as ix:
        ix.add(iter_documents([corpus / "src"]), vectors=True)
        assert ix.stats()["documents_with_vectors"] == len(ix)
        traced = pan_trace(ix, corpus, pairs, cases)
    print("\nwith vectors: " + ", ".join(f"{k} {v:.3f}" for k, v in traced.items()))
    assert traced["trace_recall@20"] == 1.0
    assert traced["judged_trace_plagdet"] >= 0.90
    assert traced["listed_trace_plagdet"] >= 0.85


def test_the_report_says_what_no_source_explains_and_why_each_row_is_unverified(corpus, index):
    pairs, _ = pan_cases(corpus)
    query = corpus / "susp" / "suspicious-document01650.txt"
    truth = {b for a, b in pairs if a == query.name}
    with Index(index, create=False) as ix:
        full = ix.trace(query, top=3, verify=20, keep_chrome=True)
        one = ix.trace(query, top=10, verify=1, keep_chrome=True)
        none = ix.trace(query, top=10, verify=0, keep_chrome=True)
    derived = [s for s in full.sources if s.report and s.verdict != "non-derived"]
    # Every source verified as derived is listed, past --top 3 too, each with its passages.
    assert truth <= {s.id for s in derived} and len(full.sources) >= len(derived) >= 4
    assert all(s.report.passages for s in derived)
    data = json.loads(full.to_json())
    assert data["verified"] == full.verified and data["verify"] == 20
    # unexplained_share: the query's non-space characters in no passage of a verified source.
    text = full.query.text
    covered = set()
    for s in derived:
        for p in s.report.passages:
            covered.update(range(p.query_span.start, p.query_span.end))
    body = [i for i, c in enumerate(text) if not c.isspace()]
    expected = sum(1 for i in body if i not in covered) / len(body)
    assert 0.0 <= data["unexplained_share"] < 1.0
    assert abs(data["unexplained_share"] - expected) < 0.01
    for row in data["sources"]:
        assert row["verified"] or row["unverified_reason"] in (EXPLAINED_REASON, NOTHING_TO_ADD_REASON,
                                                              unverified_reason(20))
    # --verify stays an upper bound, and says so; --verify 0 verifies nothing and explains nothing.
    assert one.verified == 1 and one.unexplained_share is not None and one.unexplained_share > full.unexplained_share
    assert [s.to_dict(1)["unverified_reason"] for s in one.sources if not s.verified][:1] == [unverified_reason(1)]
    assert none.verified == 0 and none.unexplained_share is None and not any(s.verified for s in none.sources)


def test_a_candidate_whose_evidence_is_already_explained_is_not_verified(tmp_path):
    # A copy of a copy adds nothing once the original is verified; a second source adds the rest.
    first = ("The river rose through the night and by morning the lower town was under water. "
             "Families carried what they could to the church on the hill, where volunteers handed out blankets. "
             "The mayor said the levee had held for forty years and nobody expected it to fail now.")
    second = ("Trains between the two cities will run on a reduced timetable until the bridge is inspected. "
              "Engineers found cracks in two of the supporting piers during a routine check last week. "
              "The operator apologised to passengers and promised refunds for cancelled journeys.")
    echo = first.replace("The mayor", "Their mayor")  # all but one word of the first
    with Index(tmp_path / "idx") as ix:
        ix.add(iter_documents([_write(tmp_path, "a.txt", first), _write(tmp_path, "b.txt", second),
                               _write(tmp_path, "echo.txt", echo)]))
        result = ix.trace(first + "\n\n" + second, top=5, verify=5, model="hash")
    by_id = {s.id: s for s in result.sources}
    assert by_id["b.txt"].verified and (by_id["a.txt"].verified or by_id["echo.txt"].verified)
    skipped = [s for s in result.sources if not s.verified]
    assert len(skipped) == 1 and skipped[0].reason in (NOTHING_TO_ADD_REASON, EXPLAINED_REASON)
    assert result.verified == 2 and result.unexplained_share is not None and result.unexplained_share <= 0.05


def _write(folder, name, text):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_eval_pan_trace_prints_the_whole_path_beside_the_pairs(corpus, tmp_path, capsys):
    assert main(["eval", "pan", str(corpus), "--index", str(tmp_path / "idx"), "--trace", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    for key in ("plagdet", "recall@20", "trace_plagdet", "trace_precision", "trace_recall", "trace_granularity",
                "judged_trace_plagdet", "listed_trace_plagdet", "trace_recall@20", "trace_p50_s", "trace_p95_s", "trace_verified_per_query"):
        assert key in figures, key
    assert figures["trace_queries"] == 3 and figures["judged_trace_plagdet"] >= 0.90
    assert figures["trace_p95_s"] >= figures["trace_p50_s"] > 0
