"""`unspun index` and `unspun trace`: bad input in a folder, a killed run, JSON output."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

import psutil

from unspun.store import Index

from .conftest import DATA, need


def run(*args, **kw):
    return subprocess.run([sys.executable, "-m", "unspun.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=600, env=dict(os.environ, COLUMNS="120"), **kw)


def test_bad_files_in_a_folder_are_named_and_the_rest_indexed(tmp_path, seeds):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for s in seeds:
        (folder / s.name).write_bytes(s.read_bytes())
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    unreadable = folder / "locked.txt"
    unreadable.write_text("secret text that cannot be read", encoding="utf-8")
    unreadable.chmod(0)
    proc = run("index", folder, "--index", tmp_path / "idx")
    unreadable.chmod(0o600)
    assert proc.returncode == 4, proc.stderr
    assert "image.txt" in proc.stderr
    if os.geteuid() != 0:  # root reads any file
        assert "locked.txt" in proc.stderr
    with Index(tmp_path / "idx", create=False) as ix:
        assert {"blog-rewrite.txt", "press-release.txt"} <= set(ix.ids())


def test_trace_json(tmp_path, seeds, clough):
    proc = run("index", seeds[0], *sorted(clough.glob("orig_task*.txt")), "--index", tmp_path / "idx")
    assert proc.returncode == 0, proc.stderr
    proc = run("trace", seeds[1], "--index", tmp_path / "idx", "--json", "--top", "3")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["schema_version"] == 1 and data["query"]["id"] == "blog-rewrite.txt"
    best = data["sources"][0]
    assert best["id"] == "press-release.txt" and best["verdict"] == "wholly-derived"
    assert set(best) >= {"id", "score", "verdict", "reuse", "passages"} and best["passages"]
    assert all(s["verdict"] in ("non-derived", "unverified") for s in data["sources"][1:])


def test_trace_needs_an_existing_index(tmp_path, seeds):
    proc = run("trace", seeds[1], "--index", tmp_path / "nothing")
    assert proc.returncode == 2 and "no index here" in proc.stderr and "Traceback" not in proc.stderr


def test_a_killed_index_run_keeps_what_it_committed_and_can_be_finished(tmp_path):
    # 640 of pan13's sources: ten batches, enough to be killed mid-run (the whole 1,949 made this
    # the slowest test but two, for the same check).
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in sorted(need(DATA / "pan13-verbatim" / "src").glob("*.txt"))[:640]:
        shutil.copy(path, corpus / path.name)
    idx = tmp_path / "idx"
    # `kill -9` of the run alone, as on a crash or the OOM killer: its worker processes must die
    # with it (they used to wait forever, 350 MB each). Its own process group, so that whatever
    # survives is killed at the end all the same.
    proc = subprocess.Popen([sys.executable, "-m", "unspun.cli", "index", str(corpus), "--index", str(idx), "--jobs", "2"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        deadline = time.time() + 120
        # Wait until at least one batch is committed, then kill it mid-run.
        while time.time() < deadline:
            time.sleep(0.5)
            try:
                with Index(idx, create=False) as ix:
                    if len(ix) >= 64:
                        break
            except Exception:  # noqa: BLE001 - the index may not exist yet, or be mid-write
                continue
        workers = psutil.Process(proc.pid).children(recursive=True)
        assert len(workers) >= 2  # --jobs 2
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive, f"worker processes outlived the killed run: {alive}"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    with Index(idx, create=False) as ix:
        committed = len(ix)
        assert 64 <= committed < 640
        doc = ix.get(ix.ids()[0])
        assert doc.text and ix.trace(doc.text, top=1, verify=0).sources[0].id == doc.id
    finish = run("index", corpus, "--index", idx)
    assert finish.returncode == 0, finish.stderr
    assert f"{committed} unchanged" in finish.stderr
    with Index(idx, create=False) as ix:
        assert len(ix) == 640
