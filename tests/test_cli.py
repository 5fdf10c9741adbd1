"""The command line: exit codes, one-line errors, no tracebacks, --json and --html."""

import json
import os
import subprocess
import sys

import pytest

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def run(*args, cwd=None):
    env = dict(os.environ, COLUMNS="120")
    return subprocess.run(
        [sys.executable, "-m", "unspun.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=300,
    )


def one_line_error(proc):
    assert "Traceback" not in proc.stderr
    lines = [l for l in proc.stderr.splitlines() if l.strip()]
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("unspun: error: ")
    return lines[0]


@pytest.fixture()
def bad_inputs(tmp_path):
    png = tmp_path / "image.png"
    png.write_bytes(PNG)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    huge = tmp_path / "huge.txt"
    with open(huge, "wb") as f:
        f.truncate(50 * 1024 * 1024)
    return {"missing": tmp_path / "missing.txt", "directory": tmp_path, "png": png, "empty": empty, "huge": huge}


@pytest.mark.parametrize("which", ["missing", "directory", "png", "empty", "huge"])
def test_bad_input_exits_2_with_one_line(bad_inputs, seeds, which):
    proc = run("compare", seeds[0], bad_inputs[which], "--model", "hash")
    assert proc.returncode == 2
    line = one_line_error(proc)
    assert str(bad_inputs[which].name) in line


def test_json_output_follows_the_schema(seeds):
    proc = run("compare", *seeds, "--json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["schema_version"] == 1
    assert report["verdict"] in {"wholly-derived", "partially-derived", "non-derived"}
    assert 0.0 <= report["reuse"]["rewrite_share"] <= 1.0
    assert 0.0 <= report["reuse"]["source_share"] <= 1.0
    source = seeds[0].read_text(encoding="utf-8")
    rewrite = seeds[1].read_text(encoding="utf-8")
    assert report["passages"]
    for p in report["passages"]:
        assert set(p) >= {"source", "rewrite", "kind", "score"}
        assert p["kind"] in {"verbatim", "near-verbatim", "paraphrase"}
        assert 0.0 <= p["score"] <= 1.0
        (s0, s1), (r0, r1) = p["source"], p["rewrite"]
        assert 0 <= s0 < s1 <= len(source) and 0 <= r0 < r1 <= len(rewrite)
        # Offsets index the text as read: a passage starts and ends on a word, not whitespace.
        assert not source[s0].isspace() and not rewrite[r1 - 1].isspace()


def test_terminal_and_html(seeds, tmp_path):
    out = tmp_path / "report.html"
    proc = run("compare", *seeds, "--html", out)
    assert proc.returncode == 0, proc.stderr
    assert "wholly-derived" in proc.stdout
    assert "passage 1/" in proc.stdout
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>") and "wholly-derived" in page


def test_help_explains():
    proc = run("compare", "--help")
    assert proc.returncode == 0
    for word in ("SOURCE", "REWRITE", "--json", "--html", "--keep-chrome", "exit status"):
        assert word in proc.stdout


def test_unwritable_html_path_is_a_clean_error(seeds, tmp_path):
    proc = run("compare", *seeds, "--model", "hash", "--html", tmp_path / "no" / "such" / "dir.html")
    assert proc.returncode == 2
    one_line_error(proc)
