"""The floors' checker (baseline.py) and the floors' file (baseline.json): the checker can fail."""

import json
import re

import pytest

from . import baseline


def _setup(tmp_path, figures, digest=None):
    data = tmp_path / "data"
    (data / "set").mkdir(parents=True)
    (data / "set" / "a.txt").write_text("one", encoding="utf-8")
    (data / "set" / "b.txt").write_text("two", encoding="utf-8")
    gate = {"data": ["set/*.txt"], "digest": None, "figures": figures}
    gate["digest"] = digest or baseline.gate_digest(gate, data_root=data)
    path = tmp_path / "baseline.json"
    path.write_text(json.dumps({"_readme": ["test"], "gates": {"g": gate}}), encoding="utf-8")
    return path, data


FIGURES = {"recall": {"floor": 0.9, "measured": 0.95}, "false_positive_rate": {"ceiling": 0.01, "measured": 0.0}}


def test_figures_at_or_past_their_floors_pass(tmp_path):
    path, data = _setup(tmp_path, FIGURES)
    baseline.check("g", {"recall": 0.9, "false_positive_rate": 0.01, "other": 0.0}, baseline=path, data_root=data)
    baseline.check("g", {"recall": 1.0, "false_positive_rate": 0.0}, baseline=path, data_root=data)


def test_a_figure_below_its_floor_fails(tmp_path):
    path, data = _setup(tmp_path, FIGURES)
    with pytest.raises(AssertionError, match="recall 0.89 below its floor 0.9"):
        baseline.check("g", {"recall": 0.89, "false_positive_rate": 0.0}, baseline=path, data_root=data)
    with pytest.raises(AssertionError, match="recall nan below"):
        baseline.check("g", {"recall": float("nan"), "false_positive_rate": 0.0}, baseline=path, data_root=data)


def test_a_figure_above_its_ceiling_fails(tmp_path):
    path, data = _setup(tmp_path, FIGURES)
    with pytest.raises(AssertionError, match="false_positive_rate 0.02 above its ceiling 0.01"):
        baseline.check("g", {"recall": 1.0, "false_positive_rate": 0.02}, baseline=path, data_root=data)


def test_a_missing_figure_or_gate_fails(tmp_path):
    path, data = _setup(tmp_path, FIGURES)
    with pytest.raises(AssertionError, match="no measure of 'false_positive_rate'"):
        baseline.check("g", {"recall": 1.0}, baseline=path, data_root=data)
    with pytest.raises(AssertionError, match="no gate 'h'"):
        baseline.check("h", {"recall": 1.0}, baseline=path, data_root=data)


def test_a_changed_digest_fails_and_says_to_re_measure(tmp_path):
    path, data = _setup(tmp_path, FIGURES, digest="0" * 64)
    with pytest.raises(baseline.DataChanged, match="has changed since its floors were measured.*Re-measure"):
        baseline.check("g", {"recall": 1.0, "false_positive_rate": 0.0}, baseline=path, data_root=data)


def test_the_digest_is_of_the_bytes_and_names_of_the_files_read(tmp_path):
    _, data = _setup(tmp_path, FIGURES)
    before = baseline.digest(data.resolve(), ("set/*.txt",))
    assert before == baseline.digest(data.resolve(), ("set/a.txt", "set/b.txt"))
    (data / "set" / "other.csv").write_text("not read", encoding="utf-8")
    baseline.digest.cache_clear()
    assert baseline.digest(data.resolve(), ("set/*.txt",)) == before
    (data / "set" / "b.txt").write_text("tw0", encoding="utf-8")  # same size, other bytes
    baseline.digest.cache_clear()
    assert baseline.digest(data.resolve(), ("set/*.txt",)) != before
    with pytest.raises(baseline.DataChanged, match="no file matches"):
        baseline.digest(data.resolve(), ("gone/*.txt",))


def test_the_baseline_file_is_well_formed():
    gates = baseline.load()
    assert gates
    for name, gate in gates.items():
        assert gate["data"] and re.fullmatch(r"[0-9a-f]{64}", gate["digest"]), name
        assert gate.get("root", "data") in ("data", "repo"), name
        for figure, pinned in gate["figures"].items():
            bounds = [k for k in ("floor", "ceiling") if k in pinned]
            assert len(bounds) == 1 and isinstance(pinned[bounds[0]], (int, float)), (name, figure)
            assert "measured" in pinned, (name, figure)
    # what was measured, where known, meets its own floor: the checker passes on it
    for name, gate in gates.items():
        known = {k: v["measured"] for k, v in gate["figures"].items() if v["measured"] is not None}
        if len(known) == len(gate["figures"]):
            baseline.check(name, known)


def test_every_gate_is_on_the_data_it_was_measured_on():
    """Also the slow gates': a changed data file shows here in the default run."""
    changed = [name for name, gate in baseline.load().items() if baseline.gate_digest(gate) != gate["digest"]]
    assert changed == [], f"data changed for {changed}: re-measure their floors (python -m tests.eval.baseline)"
