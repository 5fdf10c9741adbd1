"""Quality gate: character-level alignment on the first 30 pairs of pan13-verbatim (plagdet).

The full run (263 pairs) is benchmarks/pan_align.py; its result is in benchmarks/RESULTS.md.
"""

from unspun.evaluation import pan_cases, pan_detections, plagdet

from ..conftest import DATA, need

PAIRS = 30
FLOORS = {"plagdet": 0.95, "precision": 0.97, "recall": 0.94}


def test_plagdet_on_a_subset():
    folder = need(DATA / "pan13-verbatim")
    pairs, cases = pan_cases(folder)
    pairs = pairs[:PAIRS]
    keys = {f"{a}|{b}" for a, b in pairs}
    m = plagdet([c for c in cases if c[0] in keys], pan_detections(pairs, folder))
    print(f"\npan13-verbatim, first {PAIRS} pairs: " + ", ".join(f"{k} {v:.3f}" for k, v in m.items()))
    for key, floor in FLOORS.items():
        assert m[key] >= floor, key
    assert m["granularity"] <= 1.05


def test_plagdet_definition():
    # One case, found exactly, found in two halves, found with extra text, not found.
    case = [("p", (0, 100), (0, 100))]
    assert plagdet(case, [("p", (0, 100), (0, 100))])["plagdet"] == 1.0
    halves = plagdet(case, [("p", (0, 50), (0, 50)), ("p", (50, 100), (50, 100))])
    assert halves["recall"] == 1.0 and halves["granularity"] == 2.0 and round(halves["plagdet"], 3) == 0.631
    wide = plagdet(case, [("p", (0, 200), (0, 200))])
    assert wide["precision"] == 0.5 and wide["recall"] == 1.0
    assert plagdet(case, [("q", (0, 100), (0, 100))])["recall"] == 0.0
