"""What `unspun scan` gives people and other tools: the pair columns (directed,
direction_evidence, passage_spans), the same rows as Parquet, CSV and JSONL, a terminal summary
that never shows an undirected pair as original -> derived, and the HTML report with its pair
reports (escaped, linked to files that exist)."""

from __future__ import annotations

import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from unspun.cli import main
from unspun.read import iter_documents
from unspun.report.scan_html import render_scan_html
from unspun.scan import LocalEngine, ScanResult, scan
from unspun.scan.engines import PAIR_COLUMNS, complete_row, write_rows

from .conftest import CLOUGH, SEEDS, need

HOSTILE_A = "a<img src=x onerror=alert(1)>.txt"
HOSTILE_B = 'b"&amp;<b>.txt'


def pair(original, derived, direction="evidence", share=0.9, **extra):
    return {"original": original, "derived": derived, "direction": direction, "verdict": "wholly-derived",
            "rewrite_share": share, "source_share": 0.5, "passages": 1, "score": 0.5, **extra}


SPANS = [{"original_start": 0, "original_end": 120, "derived_start": 5, "derived_end": 98, "kind": "paraphrase",
          "score": 0.8123},
         {"original_start": 300, "original_end": 410, "derived_start": 120, "derived_end": 200, "kind": "verbatim",
          "score": 1.0}]


@pytest.fixture(scope="module")
def twins(tmp_path_factory):
    """Two near-identical texts with no dates (so no direction can be found), hostile names,
    and markup in the text."""
    folder = tmp_path_factory.mktemp("twins") / "corpus"
    folder.mkdir()
    text = need(SEEDS / "press-release.txt").read_text(encoding="utf-8")
    a = text.replace("Kazakhstan", "Kazakhstan <script>alert('text')</script>", 1)
    (folder / HOSTILE_A).write_text(a, encoding="utf-8")
    (folder / HOSTILE_B).write_text(a.replace("The ITUC", "The union body ITUC", 1), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def small_result(tmp_path_factory):
    folder = tmp_path_factory.mktemp("small") / "corpus"
    folder.mkdir()
    for path in (SEEDS / "press-release.txt", SEEDS / "blog-rewrite.txt", CLOUGH / "orig_taska.txt",
                 CLOUGH / "g0pD_taska.txt", CLOUGH / "g0pE_taska.txt"):
        shutil.copy(need(path), folder / path.name)
    return scan(iter_documents([folder]), LocalEngine(jobs=1))


# -- columns --------------------------------------------------------------------------------


def test_rows_get_directed_and_evidence_where_the_stage_left_them_out():
    assert complete_row(pair("a", "b", "unknown"))["directed"] is False
    got = complete_row(pair("a", "b", "dated"))
    assert (got["directed"], got["direction_evidence"], got["passage_spans"]) == (True, "", None)
    # What the stage set is kept.
    got = complete_row(pair("a", "b", "evidence", directed=True, direction_evidence="b lies 90% inside a",
                            passage_spans=SPANS))
    assert (got["direction_evidence"], got["passage_spans"]) == ("b lies 90% inside a", SPANS)


def test_parquet_has_the_direction_and_passage_columns(small_result, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    pairs_path, _ = write_rows(small_result, tmp_path)
    table = pq.read_table(pairs_path)
    schema = table.schema
    for old in ("original", "derived", "direction", "verdict", "rewrite_share", "source_share", "passages", "score"):
        assert old in schema.names  # every old column stays
    assert schema.field("directed").type == pa.bool_()
    assert schema.field("direction_evidence").type == pa.string()
    spans = schema.field("passage_spans").type
    assert pa.types.is_list(spans) and [f.name for f in spans.value_type] == [
        "original_start", "original_end", "derived_start", "derived_end", "kind", "score"]
    rows = table.to_pylist()
    assert rows and all(r["directed"] == (r["direction"] != "unknown") for r in rows)
    # undirected: no evidence, or why not ("both derive from X": neither copied the other)
    assert all(r["direction_evidence"] == "" or r["direction_evidence"].startswith("both derive from ")
               for r in rows if not r["directed"])
    for r in rows:  # recorded by verification once stages.verify_rows adds them; never wrong
        if r["passage_spans"] is not None:
            assert len(r["passage_spans"]) == r["passages"]
            assert all(0 <= s["original_start"] <= s["original_end"] and 0 <= s["derived_start"] <= s["derived_end"]
                       for s in r["passage_spans"])


def _typed_csv(path: Path) -> list[dict]:
    kinds = dict(PAIR_COLUMNS)
    out = []
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            typed: dict = {}
            for name, value in row.items():
                kind = kinds.get(name, "string")
                if kind == "passages":
                    typed[name] = json.loads(value) if value else None
                elif kind == "bool":
                    typed[name] = {"true": True, "false": False}[value]
                elif kind == "float64":
                    typed[name] = float(value)
                elif kind == "int32":
                    typed[name] = int(value)
                else:
                    typed[name] = value
            out.append(typed)
    return out


def test_csv_and_jsonl_rows_equal_the_parquet_rows(small_result, tmp_path):
    import pyarrow.parquet as pq

    # One row with recorded passages and evidence, so nested values are compared too.
    extra = complete_row(pair("x,\"quoted\"\nid", "y", directed=True, direction_evidence="y lies inside x, 91%",
                              passage_spans=SPANS))
    result = ScanResult(pairs=[*small_result.pairs, extra], clusters=small_result.clusters,
                        documents=small_result.documents, candidates=small_result.candidates, seconds=0.0)
    parquet = [pq.read_table(p).to_pylist() for p in write_rows(result, tmp_path / "p", "parquet")]
    csv_paths = write_rows(result, tmp_path / "c", "csv")
    jsonl_paths = write_rows(result, tmp_path / "j", "jsonl")
    assert [Path(p).name for p in csv_paths] == ["pairs.csv", "clusters.csv"]
    assert [Path(p).name for p in jsonl_paths] == ["pairs.jsonl", "clusters.jsonl"]
    assert _typed_csv(Path(csv_paths[0])) == parquet[0]
    with open(csv_paths[1], encoding="utf-8", newline="") as f:
        assert list(csv.DictReader(f)) == parquet[1]
    for path, rows in zip(jsonl_paths, parquet):
        assert [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines()] == rows
    assert parquet[0][-1]["passage_spans"] == SPANS


def test_cli_format_writes_the_chosen_files(twins, tmp_path, capsys):
    assert main(["scan", str(twins), "--out", str(tmp_path / "o"), "--jobs", "1", "--format", "jsonl"]) == 0
    assert sorted(p.name for p in (tmp_path / "o").iterdir()) == ["clusters.jsonl", "pairs.jsonl"]
    [row] = [json.loads(line) for line in (tmp_path / "o" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert row["directed"] is False and row["direction"] == "unknown"
    assert "pairs.jsonl" in capsys.readouterr().out


# -- terminal -------------------------------------------------------------------------------


def test_terminal_shows_an_undirected_pair_as_a_double_arrow(twins, tmp_path, capsys):
    assert main(["scan", str(twins), "--out", str(tmp_path / "o"), "--jobs", "1"]) == 0
    said = capsys.readouterr().out
    lines = said.splitlines()
    assert "1 verified derived pairs" in lines[0]
    [line] = [x for x in lines if HOSTILE_B in x and HOSTILE_A in x]
    assert f"{min(HOSTILE_A, HOSTILE_B)} ↔ {max(HOSTILE_A, HOSTILE_B)}" in line and "→" not in line
    assert "largest clusters:" in said and "2 documents (the centre and 1 member)" in said


def test_terminal_lists_the_five_strongest_pairs_and_three_largest_clusters(capsys):
    from unspun.cli.scanning import _strongest

    pairs = [pair("o", f"d{k}", share=k / 10) for k in range(1, 8)] + [pair("p", "q", "unknown", share=0.95)]
    clusters = ([{"cluster": "o", "id": "o", "role": "centre"}]
                + [{"cluster": "o", "id": f"d{k}", "role": "member"} for k in range(1, 8)]
                + [{"cluster": c, "id": c, "role": "centre"} for c in ("p", "x", "y")]
                + [{"cluster": "p", "id": "q", "role": "member"}])
    _strongest(ScanResult(pairs=pairs, clusters=clusters, documents=9, candidates=8, seconds=0.0))
    lines = capsys.readouterr().out.splitlines()
    shown = lines[1:6]
    assert "p ↔ q" in shown[0] and "o → d7" in shown[1] and "o → d4" in shown[4]
    assert lines[6] == "largest clusters:" and len(lines) == 10
    assert lines[7].startswith("  o: 8 documents") and lines[8].startswith("  p: 2 documents")


def test_help_is_a_short_description_and_defines_the_columns(capsys, monkeypatch):
    from unspun.cli.scanning import DESCRIPTION, EPILOG

    monkeypatch.setenv("COLUMNS", "100")
    assert main(["scan", "--help"]) == 0
    text = capsys.readouterr().out
    assert max(len(line) for line in text.splitlines()) <= 100
    assert len(DESCRIPTION) < 500 and max(len(line) for line in (DESCRIPTION + "\n" + EPILOG).splitlines()) <= 100
    for column in ("directed", "direction_evidence", "passage_spans", "score", "rewrite_share", "source_share"):
        assert re.search(rf"^  {column}\s", text, re.M), column
    assert "candidate score from retrieval" in text and "--format" in text and "--html-pairs" in text


# -- HTML -----------------------------------------------------------------------------------


def test_html_page_shows_arrows_by_direction_and_escapes_ids():
    pairs = [complete_row(pair("src", HOSTILE_A, "dated")), complete_row(pair(HOSTILE_B, "zz", "unknown"))]
    clusters = [{"cluster": "src", "id": "src", "role": "centre"}, {"cluster": "src", "id": HOSTILE_A, "role": "member"}]
    page = render_scan_html(ScanResult(pairs=pairs, clusters=clusters, documents=3, candidates=2, seconds=0.0))
    assert "<img" not in page and "<b>.txt" not in page
    assert "a&lt;img src=x onerror=alert(1)&gt;.txt" in page and "b&quot;&amp;amp;&lt;b&gt;.txt" in page
    assert "src <b>→</b> a&lt;img" in page and "b&quot;&amp;amp;&lt;b&gt;.txt <b>↔</b> zz" in page
    assert "<script" not in page and not re.search(r"""(src|href)=["']?(https?:)?//""", page)


def test_html_report_links_each_pair_to_its_report(twins, tmp_path, capsys):
    index = tmp_path / "report" / "nested" / "index.html"  # folders made as --out's is
    assert main(["scan", str(twins), "--out", str(tmp_path / "o"), "--jobs", "1", "--html", str(index)]) == 0
    page = index.read_text(encoding="utf-8")
    assert "<img" not in page and "a&lt;img src=x onerror=alert(1)&gt;.txt" in page
    links = re.findall(r'href="([^"]+)"', page)
    assert links and all(re.fullmatch(r"pairs/\d+\.html", link) for link in links)
    for link in set(links):
        report = (index.parent / link).read_text(encoding="utf-8")
        assert "Kazakhstan &lt;script&gt;alert(&#x27;text&#x27;)&lt;/script&gt;" in report
        assert "<script>alert" not in report and "<img src=x" not in report
        assert 'href="../index.html"' in report and "direction unknown" in report
        assert "↔" in report and "→" not in report.split("</nav>")[0]
    assert "wrote " + str(index) in capsys.readouterr().out


def test_html_pairs_bounds_the_reports(twins, tmp_path):
    index = tmp_path / "index.html"
    assert main(["scan", str(twins), "--out", str(tmp_path / "o"), "--jobs", "1", "--html", str(index),
                 "--html-pairs", "0"]) == 0
    assert "pairs/" not in index.read_text(encoding="utf-8") and not (tmp_path / "pairs").exists()


def test_html_path_is_checked_before_the_work(twins, tmp_path, capsys):
    (tmp_path / "taken").mkdir()
    assert main(["scan", str(twins), "--out", str(tmp_path / "o"), "--html", str(tmp_path / "taken")]) == 2
    assert "is a directory" in capsys.readouterr().err and not (tmp_path / "o").exists()


def test_html_reports_pairs_with_indexed_documents_too(tmp_path):
    """With --against, a pair's original may be in the index only: its report is written all the same."""
    from unspun.store import Index

    with Index(tmp_path / "idx") as index:
        index.add(iter_documents([need(SEEDS / "press-release.txt")]))
    html = tmp_path / "r" / "index.html"
    assert main(["scan", str(need(SEEDS / "blog-rewrite.txt")), "--against", str(tmp_path / "idx"),
                 "--out", str(tmp_path / "o"), "--jobs", "1", "--html", str(html)]) == 0
    assert 'href="pairs/1.html"' in html.read_text(encoding="utf-8")
    report = (html.parent / "pairs" / "1.html").read_text(encoding="utf-8")
    assert "press-release.txt" in report and "blog-rewrite.txt" in report
