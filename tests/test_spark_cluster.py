"""A real Spark standalone cluster: a master and a worker started as separate processes on
127.0.0.1 from what ships in the pyspark wheel (``bin/spark-class``), and ``unspun scan --engine
spark --master spark://127.0.0.1:PORT`` run against it as a command. Its executor (on the worker)
reads the folder itself and runs this venv's Python; the pairs it writes must be exactly the
local engine's. Both processes, and everything they started, are stopped at the end."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path

import psutil
import pytest

from unspun.cli import main

from .conftest import CLOUGH, SEEDS, need

pyspark = pytest.importorskip("pyspark")
if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
    pytest.skip("Spark needs Java (apt-get install default-jre-headless)", allow_module_level=True)

SPARK_CLASS = Path(pyspark.__file__).parent / "bin" / "spark-class"
UNSPUN = Path(sys.executable).parent / "unspun"
CLOUGH_FILES = ("orig_taska.txt", "g0pA_taska.txt", "g0pE_taska.txt", "orig_taskb.txt", "g0pB_taskb.txt")
MARK = "UNSPUN_SPARK_CLUSTER_TEST"  # in the environment of every process of this cluster
START_S = 120  # at most, for the master and the worker to come up (a slow machine)
SCAN_S = 600  # at most, for the scan on the cluster


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    (folder / "seeds").mkdir(parents=True)
    for name in CLOUGH_FILES:
        shutil.copy(need(CLOUGH / name), folder / name)
    for name in ("press-release.txt", "blog-rewrite.txt"):
        shutil.copy(need(SEEDS / name), folder / "seeds" / name)
    return folder


def cluster_processes(mark: str) -> list[psutil.Process]:
    found = []
    for proc in psutil.process_iter(["pid"]):
        try:
            if proc.environ().get(MARK) == mark:
                found.append(proc)
        except (psutil.Error, OSError):
            continue
    return found


def stop(procs: list[subprocess.Popen]) -> None:
    """SIGTERM to each process group (the worker's holds its executors), then SIGKILL."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        for proc in procs:
            try:
                os.killpg(proc.pid, sig)
            except ProcessLookupError:
                pass
        deadline = time.monotonic() + 15
        for proc in procs:
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
        if all(p.poll() is not None for p in procs):
            return


def wait_for_worker(ui_port: int, procs: list[subprocess.Popen], logs: list[Path]) -> None:
    deadline = time.monotonic() + START_S
    while time.monotonic() < deadline:
        for proc, log in zip(procs, logs):
            if proc.poll() is not None:
                pytest.fail(f"{log.name} exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{ui_port}/json/", timeout=2) as r:
                state = json.load(r)
            if any(w.get("state") == "ALIVE" for w in state.get("workers", [])):
                return
        except (OSError, ValueError):
            pass
        time.sleep(0.5)
    pytest.fail("the worker never registered with the master:\n" + "\n".join(log.read_text()[-2000:] for log in logs))


def test_a_scan_on_a_standalone_cluster_gives_the_local_engines_pairs(tmp_path, capsys):
    folder = small_folder(tmp_path)
    mark = uuid.uuid4().hex
    env = dict(os.environ, SPARK_LOCAL_IP="127.0.0.1", PYSPARK_PYTHON=sys.executable, **{MARK: mark})
    env.pop("SPARK_HOME", None)  # the wheel's own, found by spark-class
    port, ui, worker_ui = free_port(), free_port(), free_port()
    master_url = f"spark://127.0.0.1:{port}"
    logs = [tmp_path / "master.log", tmp_path / "worker.log"]
    commands = [
        [str(SPARK_CLASS), "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port", str(port),
         "--webui-port", str(ui)],
        [str(SPARK_CLASS), "org.apache.spark.deploy.worker.Worker", master_url, "--host", "127.0.0.1",
         "--cores", "1", "--memory", "1g", "--webui-port", str(worker_ui), "--work-dir", str(tmp_path / "work")],
    ]
    procs: list[subprocess.Popen] = []
    try:
        for command, log in zip(commands, logs):
            with open(log, "wb") as out:
                procs.append(subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT,
                                              stdin=subprocess.DEVNULL, cwd=tmp_path, start_new_session=True))
        # The local engine's scan of the same folder, while the cluster comes up.
        assert main(["scan", str(folder), "--out", str(tmp_path / "local"), "--jobs", "1"]) == 0
        capsys.readouterr()
        wait_for_worker(ui, procs, logs)
        driver = subprocess.Popen(
            [str(UNSPUN), "scan", str(folder), "--engine", "spark", "--master", master_url,
             "--out", str(tmp_path / "cluster")],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=tmp_path,
            start_new_session=True)
        procs.append(driver)
        try:
            output, _ = driver.communicate(timeout=SCAN_S)
        except subprocess.TimeoutExpired:
            output = b"(timed out)"
        text = output.decode("utf-8", "replace")
        if driver.returncode != 0:
            executor_logs = "\n".join(p.read_text(errors="replace")[-3000:] for p in (tmp_path / "work").rglob("stderr"))
            pytest.fail(f"scan on the cluster failed ({driver.returncode}):\n{text[-4000:]}\n"
                        f"executor:\n{executor_logs}")
        assert "7 documents" in text
    finally:
        stop(procs)

    import pyarrow.parquet as pq

    for name in ("pairs.parquet", "clusters.parquet"):
        local, cluster = tmp_path / "local" / name, tmp_path / "cluster" / name
        assert pq.read_table(cluster).to_pylist() == pq.read_table(local).to_pylist()
        assert cluster.read_bytes() == local.read_bytes()
    assert pq.read_table(tmp_path / "local" / "pairs.parquet").num_rows >= 2  # the seeds' pair and task a's
    # The work ran on the worker's executor, not in the driver: it left its folder there.
    assert list((tmp_path / "work").glob("app-*/0/stderr"))
    deadline = time.monotonic() + 10
    while (left := cluster_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, [" ".join(p.cmdline())[:200] for p in left]
