"""An index that is damaged, unreadable or read-only, and an indexing run killed with `kill -9`:
a one-line IndexUnusable and exit status 2, never a traceback, never an index made writable
behind its owner's back, and no worker process left behind."""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import textwrap

import psutil
import pytest

from unspun.cli import main
from unspun.errors import IndexUnusable
from unspun.read import read_one
from unspun.store import Index
from unspun.store import index as index_module

ROOT_SKIP = pytest.mark.skipif(os.geteuid() == 0, reason="root reads and writes whatever the permissions say")


@pytest.fixture(scope="module")
def built(tmp_path_factory, seeds):
    """An index of the two seed texts, built once; each test works on its own copy."""
    path = tmp_path_factory.mktemp("built") / "idx"
    with Index(path) as ix:
        ix.add([read_one(str(s), 1 << 20) for s in seeds])
    return path


@pytest.fixture()
def index(built, tmp_path):
    path = tmp_path / "idx"
    shutil.copytree(built, path)
    return path


def cli(capsys, *args) -> tuple[int, str]:
    """``unspun ARGS`` in this process (the model loads once for the module): status, stderr."""
    status = main([str(a) for a in args])
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return status, err


def one_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("unspun: error: "), err
    return lines[0]


# -- damaged mid-file ------------------------------------------------------------------------


def damage(index) -> None:
    db = index / index_module.DB_NAME
    size = db.stat().st_size
    with open(db, "r+b") as f:  # 4 KB of garbage in the middle: the header and schema survive
        f.seek(size // 2)
        f.write(bytes(range(256)) * 16)


def test_a_damaged_index_is_one_line_on_every_path(index, seeds, capsys):
    damage(index)
    try:
        with Index(index, create=False) as ix:  # opening may work: the schema is intact
            with pytest.raises(IndexUnusable, match="damaged"):
                ix.stats()
            with pytest.raises(IndexUnusable, match="damaged"):
                ix.trace(read_one(str(seeds[1]), 1 << 20), top=3, verify=0)
    except IndexUnusable as exc:
        assert "damaged" in str(exc)
    for args in (("index", "--index", index, "--stats"),
                 ("trace", seeds[1], "--index", index),
                 ("index", seeds[1], "--index", index, "--jobs", 1)):
        status, err = cli(capsys, *args)
        assert status == 2
        assert str(index) in one_line(err) and "damaged" in err


def test_a_missing_index_exits_2_in_one_line(tmp_path, seeds, capsys):
    status, err = cli(capsys, "trace", seeds[1], "--index", tmp_path / "nonexistent")
    assert status == 2 and "no index here" in one_line(err)


# -- read-only and unreadable ------------------------------------------------------------------


def modes(index) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in [index, *index.iterdir()]}


def deny(monkeypatch, what: int) -> None:
    """As if the index's owner had taken ``what`` (os.W_OK, os.R_OK) away: os.access says no
    (the real thing, with chmod, is tested below for a user other than root)."""
    real = os.access

    def access(path, mode, *args, **kwargs):
        return False if mode & what else real(path, mode, *args, **kwargs)

    monkeypatch.setattr(index_module.os, "access", access)


def test_a_read_only_index_is_read_and_left_read_only(index, seeds, capsys, monkeypatch):
    before = modes(index)
    deny(monkeypatch, os.W_OK)
    with Index(index, create=False) as ix:
        assert ix.read_only and ix.stats()["documents"] == 2
        found = ix.trace(read_one(str(seeds[1]), 1 << 20), top=2, verify=0).sources
        assert {s.id for s in found} == {"press-release.txt", "blog-rewrite.txt"}
        with pytest.raises(IndexUnusable, match="is read-only"):
            ix.add([read_one(str(seeds[0]), 1 << 20)])
    status, err = cli(capsys, "index", "--index", index, "--stats")
    assert status == 0, err
    status, err = cli(capsys, "index", seeds[0], "--index", index)
    assert status == 2 and "is read-only" in one_line(err)
    after = modes(index)  # (SQLite may add its -shm and -wal files where it can)
    assert {name: after[name] for name in before} == before  # never chmod-ed back to writable


def test_an_unreadable_index_is_one_line(index, seeds, capsys, monkeypatch):
    deny(monkeypatch, os.R_OK)
    for args in (("index", "--index", index, "--stats"), ("trace", seeds[1], "--index", index)):
        status, err = cli(capsys, *args)
        assert status == 2 and "cannot be read" in one_line(err)


@ROOT_SKIP
def test_an_index_another_user_owns_is_one_line(index, seeds, capsys):
    index.chmod(0)
    try:
        for args in (("index", "--index", index, "--stats"), ("trace", seeds[1], "--index", index),
                     ("index", seeds[0], "--index", index)):
            status, err = cli(capsys, *args)
            assert status == 2 and "cannot be read" in one_line(err)
    finally:
        index.chmod(0o700)


@ROOT_SKIP
def test_a_chmod_read_only_index_is_read_and_left_read_only(index, seeds, capsys):
    for p in [*index.iterdir(), index]:
        p.chmod(stat.S_IMODE(p.stat().st_mode) & ~0o222)
    before = modes(index)
    try:
        status, err = cli(capsys, "trace", seeds[1], "--index", index, "--json")
        assert status == 0, err
        status, err = cli(capsys, "index", "--index", index, "--stats")
        assert status == 0, err
        status, err = cli(capsys, "index", seeds[0], "--index", index)
        assert status == 2 and "is read-only" in one_line(err)
        assert modes(index) == before
    finally:
        for p in [index, *index.iterdir()]:
            p.chmod(stat.S_IMODE(p.stat().st_mode) | 0o200)


# -- workers of a killed run -------------------------------------------------------------------

POOL = textwrap.dedent("""
    import ctypes, sys, time
    from unspun.store.index import worker_pool

    def no_libc(*args, **kwargs):
        raise OSError("no libc here")

    if sys.argv[1] == "watch-only":
        ctypes.CDLL = no_libc  # no prctl: the watch of the parent alone must end them
    with worker_pool(2) as pool:
        list(pool.map(time.sleep, [0.2] * 4))  # both workers started
        print("ready", flush=True)
        time.sleep(600)
""")


@pytest.mark.parametrize("how", ["death-signal", "watch-only"])
def test_workers_die_with_their_parent(how):
    proc = subprocess.Popen([sys.executable, "-c", POOL, how], stdout=subprocess.PIPE, text=True,
                            start_new_session=True)
    try:
        assert proc.stdout is not None
        while proc.stdout.readline().strip() != "ready":
            assert proc.poll() is None, "the pool did not start"
        children = psutil.Process(proc.pid).children(recursive=True)
        assert len(children) >= 2
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone, as `kill -9 PID` does
        proc.wait()
        _, alive = psutil.wait_procs(children, timeout=10)
        assert not alive, f"workers outlived their parent: {alive}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)  # whatever is left of the group
        except ProcessLookupError:
            pass
