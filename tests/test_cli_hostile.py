"""Hostile command lines and documents: terminal escape sequences in a text or a file name are
shown, never obeyed; impossible numbers and unwritable outputs are refused in one line, exit 2,
before any work starts."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from unspun.cli import build_parser

# What must never reach the terminal raw: C0 controls but newline and tab, DEL, C1 controls and
# the bidirectional overrides.
RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE = "\x1b]0;pwned\x07\x1b[2J\x9b31m\u202egnirts desrever\u202c and a lone\rcarriage return"


def run(*args):
    return subprocess.run([sys.executable, "-m", "unspun.cli", *map(str, args)], capture_output=True,
                          timeout=300, env=dict(os.environ, COLUMNS="120"))


def shown(proc) -> str:
    """Standard output and error as a terminal would get them, checked for raw controls."""
    out = (proc.stdout + proc.stderr).decode("utf-8")
    assert "Traceback" not in out
    assert not RAW.search(out.replace("\r\n", "\n")), [m.group() for m in RAW.finditer(out)]
    return out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, seeds):
    """The press release with escape sequences in its text, under a file name holding some."""
    text = seeds[0].read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("hostile") / "release\x1b[2J\x07.txt"
    path.write_text(text[:300] + " " + HOSTILE + " " + text[300:], encoding="utf-8")
    return path


def test_read_shows_escape_sequences_without_obeying_them(hostile):
    proc = run("read", hostile)
    assert proc.returncode == 0
    out = shown(proc)
    assert "\u241b]0;pwned\u2407" in out and "release\u241b[2J" in out  # visible, as control pictures


def test_compare_shows_escape_sequences_without_obeying_them(hostile, seeds):
    proc = run("compare", hostile, seeds[1], "--model", "hash")
    assert proc.returncode == 0
    assert "release\u241b[2J" in shown(proc)


def test_an_error_naming_a_hostile_file_is_escaped(tmp_path):
    proc = run("read", tmp_path / "missing\x1b]0;pwned\x07.txt")
    assert proc.returncode == 2
    assert "missing\u241b]0;pwned" in shown(proc)


# -- numbers -------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["read", "x.txt", "--max-size", "nan"],
    ["read", "x.txt", "--max-size", "inf"],
    ["read", "x.txt", "--max-size", "-1"],
    ["compare", "a.txt", "b.txt", "--max-size", "0"],
    ["index", "x.txt", "--index", "idx", "--max-size", "nan"],
    ["trace", "x.txt", "--index", "idx", "--max-size", "1e999"],  # inf, written long
    ["scan", "x.txt", "--out", "out", "--max-size", "-1"],
    ["trace", "x.txt", "--index", "idx", "--top", "-3"],
    ["trace", "x.txt", "--index", "idx", "--top", "0"],
    ["trace", "x.txt", "--index", "idx", "--verify", "-1"],
    ["index", "x.txt", "--index", "idx", "--jobs", "0"],
    ["scan", "x.txt", "--out", "out", "--jobs", "-2"],
    ["scan", "x.txt", "--out", "out", "--top", "0"],
    ["eval", "pan", "dir", "--index", "idx", "--pairs", "-1"],
    ["trace", "x.txt", "--index", "idx", "--top", "three"],
])
def test_impossible_numbers_are_refused_by_the_parser(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(argv)
    assert stop.value.code == 2
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith(f"unspun {argv[0]}") and f"argument {argv[-2]}" in last and argv[-1] in last


def test_numbers_that_mean_none_or_all_are_taken():
    args = build_parser().parse_args(["trace", "x.txt", "--index", "idx", "--verify", "0", "--max-size", "0.5"])
    assert args.verify == 0 and args.max_size == 0.5
    assert build_parser().parse_args(["eval", "pan", "dir", "--index", "idx", "--pairs", "0"]).pairs == 0


def test_an_impossible_number_on_the_command_line_exits_2():
    proc = run("read", "x.txt", "--max-size", "nan")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr and b"--max-size" in proc.stderr


# -- outputs that cannot be written --------------------------------------------------------------


def one_line_error(proc) -> str:
    err = proc.stderr.decode("utf-8")
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("unspun: error: "), err
    return lines[0]


@pytest.mark.parametrize("where", ["missing folder", "directory"])
def test_an_unwritable_html_report_is_refused_before_the_work(where, tmp_path, seeds):
    target = tmp_path / "no-such-dir" / "x.html" if where == "missing folder" else tmp_path
    # The inputs are missing too: the report's path is refused first, so nothing was read or done.
    proc = run("compare", tmp_path / "missing.txt", seeds[1], "--html", target)
    assert proc.returncode == 2 and str(target) in one_line_error(proc)
    proc = run("trace", seeds[1], "--index", tmp_path / "no-index", "--html", target)
    assert proc.returncode == 2 and str(target) in one_line_error(proc)


def test_trace_shows_a_hostile_indexed_file_name_without_obeying_it(hostile, seeds, tmp_path):
    from unspun.read import read_one
    from unspun.store import Index

    with Index(tmp_path / "idx") as ix:
        ix.add([read_one(str(hostile), 1 << 20)])
    proc = run("trace", seeds[1], "--index", tmp_path / "idx")
    assert proc.returncode == 0
    assert "release\u241b[2J" in shown(proc)
