"""Worker processes that die with their parent.

A forked worker whose parent is killed (``kill -9``, the OOM killer, a crash) is not told: it
would wait on its task queue forever, holding its share of the models (about 350 MB each). So
each worker asks the kernel for SIGKILL when its parent dies (Linux's PR_SET_PDEATHSIG), and
watches its parent's id as well, for systems without that call.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor

PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>
WATCH_SECONDS = 1.0


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    # Forked workers start in milliseconds and need no `if __name__ == "__main__"` guard in the
    # caller's script (spawned ones do). The tokenizers library must not use its own threads in
    # a forked child (it would warn, or could hang): the workers are the parallelism here.
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # The death signal is tied to the thread that forks the worker: the pool's users (Index.add,
    # the local scan) create and shut it down in one call, so that thread outlives the workers.
    # Each worker's model gets its share of the cores: two workers running the model with two
    # threads each on 2 cores embedded 120 sentences/s apiece, with one thread each 215.
    threads = max(1, (os.cpu_count() or 1) // max(1, jobs))
    return ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("fork"), initializer=die_with_parent, initargs=(os.getpid(), threads)
    )


def die_with_parent(parent: int, threads: int | None = None) -> None:
    """A worker's initializer: end this process when ``parent`` dies; its models run ``threads``
    threads (UNSPUN_MODEL_THREADS, read when a model loads), unless the user set that already."""
    if threads:
        os.environ.setdefault("UNSPUN_MODEL_THREADS", str(threads))
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        except (OSError, AttributeError):  # no prctl in this libc: the watch below still works
            pass
    if os.getppid() != parent:  # it died before the signal was asked for
        os._exit(1)
    threading.Thread(target=_watch, args=(parent,), name="unspun-parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    # An orphan is adopted (by init or a subreaper): its parent's id changes.
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
