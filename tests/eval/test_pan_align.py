"""Quality gate: character-level alignment on the first 30 pairs of pan13-verbatim (plagdet).

The full run (263 pairs) is benchmarks/pan_align.py; its result is in benchmarks/RESULTS.md.
"""

import pytest

from unspun.errors import InputError
from unspun.eval.pan import pan_cases, pan_detections, plagdet

from ..conftest import DATA, need
from . import baseline

PAIRS = 30  # floors: baseline.json, pan_align/first_30_pairs (its data: these pairs' files)


def test_plagdet_on_a_subset():
    folder = need(DATA / "pan13-verbatim")
    pairs, cases = pan_cases(folder)
    pairs = pairs[:PAIRS]
    keys = {f"{a}|{b}" for a, b in pairs}
    m = plagdet([c for c in cases if c[0] in keys], pan_detections(pairs, folder))
    print(f"\npan13-verbatim, first {PAIRS} pairs: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items()))
    baseline.check(f"pan_align/first_{PAIRS}_pairs", m)


def test_plagdet_definition():
    # One case, found exactly, found in two halves, found with extra text, not found.
    case = [("p", (0, 100), (0, 100))]
    assert plagdet(case, [("p", (0, 100), (0, 100))])["plagdet"] == 1.0
    halves = plagdet(case, [("p", (0, 50), (0, 50)), ("p", (50, 100), (50, 100))])
    assert halves["recall"] == 1.0 and halves["granularity"] == 2.0 and round(halves["plagdet"], 3) == 0.631
    wide = plagdet(case, [("p", (0, 200), (0, 200))])
    assert wide["precision"] == 0.5 and wide["recall"] == 1.0
    assert plagdet(case, [("q", (0, 100), (0, 100))])["recall"] == 0.0


def test_pan_xml_layout_reads_the_same_cases(tmp_path):
    # PAN's own layout: a `pairs` file and one XML file per pair in an obfuscation folder.
    from xml.sax.saxutils import quoteattr

    folder = need(DATA / "pan13-verbatim")
    pairs, cases = pan_cases(folder)
    pairs = pairs[:6]
    keys = {f"{a}|{b}" for a, b in pairs}
    wanted = sorted(c for c in cases if c[0] in keys)
    (tmp_path / "pairs").write_text("".join(f"{a} {b}\n" for a, b in pairs), encoding="utf-8")
    (tmp_path / "02-no-obfuscation").mkdir()
    for susp, src in pairs:
        features = "".join(
            f'<feature name="plagiarism" obfuscation="none" this_offset="{c[1][0]}" this_length="{c[1][1] - c[1][0]}" '
            f'source_reference={quoteattr(src)} source_offset="{c[2][0]}" source_length="{c[2][1] - c[2][0]}"/>'
            for c in wanted if c[0] == f"{susp}|{src}"
        )
        xml = f'<?xml version="1.0" encoding="UTF-8"?>\n<document reference={quoteattr(susp)}>{features}<feature name="about" /></document>'
        (tmp_path / "02-no-obfuscation" / f"{susp[:-4]}-{src[:-4]}.xml").write_text(xml, encoding="utf-8")
    got_pairs, got_cases = pan_cases(tmp_path)
    assert got_pairs == pairs and sorted(got_cases) == wanted and wanted


def test_a_folder_in_neither_layout_is_refused(tmp_path):
    with pytest.raises(InputError, match="not a PAN corpus"):
        pan_cases(tmp_path)
    (tmp_path / "pairs").write_text("a.txt b.txt\n", encoding="utf-8")
    (tmp_path / "broken.xml").write_text("<document reference='a.txt'><feature", encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed"):
        pan_cases(tmp_path)


def test_a_likeness_between_two_texts_on_one_subject_is_no_passage():
    # suspicious-document00299 and source-document01250 both write about HPV; the pair's labelled
    # cases are copies. "There are more than 100 types of HPV; more than 30 of which are spread
    # through sexual contact" against "There are over 80 distinct types of HPV identified,
    # approximately 30 of which infect the human genital tract" shares no five words in a row,
    # and stands nowhere near the copy: among 8,000 sentence pairs it is what chance gives.
    from unspun.pipeline import compare

    folder = need(DATA / "pan13-verbatim")
    susp, src = "suspicious-document00299.txt", "source-document01250.txt"
    _, cases = pan_cases(folder)
    mine = [c for c in cases if c[0] == f"{susp}|{src}"]
    report = compare(folder / "src" / src, folder / "susp" / susp, keep_chrome=True)
    spans = [(p.query_span.start, p.query_span.end) for p in report.passages]
    assert not any(start < 1607 and 1283 < end for start, end in spans), spans
    assert mine and all(any(start < c[1][1] and c[1][0] < end for start, end in spans) for c in mine)
