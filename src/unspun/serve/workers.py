"""Worker threads whose work can be stopped: what lets a timed-out request give its slot back.

A Python thread cannot be killed, and the pipeline has no place to ask "should I stop?" between
its stages, so a job is stopped two ways:

* by interruption: ``Job.cancel`` has the interpreter raise ``Cancelled`` in the job's thread
  (``PyThreadState_SetAsyncExc``) at that thread's next Python instruction: within milliseconds
  in the pure-Python stages (reading, aligning, judging), and as soon as a long C call (a matrix
  product, one model batch) returns otherwise;
* at checkpoints: ``checkpoint()`` raises ``Cancelled`` in a job that was cancelled; the server's
  embedder calls it around every batch (model.py).

``Cancelled`` is a BaseException, so the library's ``except Exception`` does not catch it, and
its ``finally`` blocks and ``with`` blocks run as for any error: files and connections close,
memory is freed. The threads are daemons, so Ctrl-C never waits for them.

Why not worker processes, which can be killed outright: each would hold its own model (a process
with the model is about 190 MB, and 2 s to start), so the idle server would go from about 170 MB
to about 500 MB, and each kill would cost a restart. The price of interrupting instead: code that
takes a lock with ``acquire()`` and releases it in a ``try`` begun only after (logging's handlers
do) could be interrupted between the two and leave the lock taken. ``with lock:`` on a plain lock
is safe, which is how the embedder and its caches lock; the pipeline's own stages do not log (a
reader's library may, rarely). Should
the pipeline one day take a ``check()`` callback between its stages and in the aligner's loops,
checkpoints alone would do, and the interruption could go.
"""

from __future__ import annotations

import asyncio
import ctypes
import queue
import sys
import threading
from collections.abc import Callable
from typing import Any

# An interruption that lands in a weakref callback or a __del__ is swallowed there ("Exception
# ignored in ..."), so a job is interrupted again every RETRY seconds until it stops, up to
# MAX_INTERRUPTS times (then it runs to its end, holding its slot, as a thread always did).
MAX_INTERRUPTS = 50
RETRY = 0.1

_set_async_exc = ctypes.pythonapi.PyThreadState_SetAsyncExc
_set_async_exc.argtypes = (ctypes.c_ulong, ctypes.py_object)
_set_async_exc.restype = ctypes.c_int
_current = threading.local()


class Cancelled(BaseException):
    """Raised inside a job that was cancelled (its request timed out, or the server stops)."""


def checkpoint() -> None:
    """Raise ``Cancelled`` if the job this thread runs was cancelled (no-op outside a job)."""
    job = getattr(_current, "job", None)
    if job is not None and job.cancelled:
        raise Cancelled


class Job:
    """One call of ``fn`` in a worker thread; ``future`` (in the event loop) gets its outcome."""

    def __init__(self, fn: Callable[[], Any], loop: asyncio.AbstractEventLoop) -> None:
        self.fn = fn
        self.loop = loop
        self.future: asyncio.Future = loop.create_future()
        self.cancelled = False
        self.interrupts = 0
        self._lock = threading.Lock()  # orders interruptions against the thread taking or leaving the job
        self._thread: int | None = None  # the thread running it, while it runs

    def cancel(self) -> None:
        """Stop the job: before it starts, or, running, at its thread's next Python instruction."""
        self.cancelled = True
        with self._lock:
            if self._thread is not None and self.interrupts < MAX_INTERRUPTS:
                self.interrupts += 1
                _set_async_exc(self._thread, Cancelled)

    def run(self) -> None:
        """In a worker thread: the call, then its outcome handed to the event loop."""
        me = threading.get_ident()
        _current.job = self
        result: Any = None
        error: BaseException | None = Cancelled()  # what the request gets unless the call ends otherwise
        try:
            with self._lock:
                if not self.cancelled:
                    self._thread = me
            if self._thread is not None:
                result, error = self.fn(), None
        except BaseException as exc:  # noqa: BLE001 - handed to the request, Cancelled included
            result, error = None, exc
        finally:
            self.finish(me, result, error)

    def finish(self, me: int, result: Any = None, error: BaseException | None = None) -> None:
        """Leave the thread and hand the outcome over (again by the worker loop, should an
        interruption have cut the first try short)."""
        self._leave(me)
        _current.job = None
        try:
            self.loop.call_soon_threadsafe(_settle, self.future, result, error)
        except RuntimeError:  # the event loop is closed: the server has stopped, nobody waits
            pass

    def _leave(self, me: int) -> None:
        """After this no interruption reaches the thread: the next job's work is not this one's."""
        while True:
            try:
                with self._lock:
                    self._thread = None
                    _set_async_exc(me, ctypes.py_object())  # NULL: drops one still pending
                return
            except Cancelled:  # one arrived on the way here: the job is over anyway
                continue


def _settle(future: asyncio.Future, result, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)


def _quiet_swallowed_interruptions() -> None:
    """An interruption swallowed by a weakref callback or a __del__ is expected (it is sent
    again): not worth an "Exception ignored" traceback in the server's log each time."""
    previous = sys.unraisablehook
    if getattr(previous, "unspun_quiet", False):
        return

    def hook(unraisable) -> None:
        if unraisable.exc_type is not None and issubclass(unraisable.exc_type, Cancelled):
            return
        previous(unraisable)

    hook.unspun_quiet = True  # type: ignore[attr-defined]
    sys.unraisablehook = hook


class Workers:
    """``size`` daemon threads, started on first use, each running one job at a time."""

    def __init__(self, size: int, name: str = "unspun-work") -> None:
        _quiet_swallowed_interruptions()
        self.size = size
        self.name = name
        self._queue: queue.SimpleQueue[Job | None] = queue.SimpleQueue()
        self._threads: list[threading.Thread] = []
        self._jobs: set[Job] = set()  # submitted, not finished

    def submit(self, fn: Callable[[], Any]) -> Job:
        job = Job(fn, asyncio.get_running_loop())
        self._jobs.add(job)
        job.future.add_done_callback(lambda _: self._jobs.discard(job))
        if len(self._threads) < self.size:
            thread = threading.Thread(target=self._work, name=f"{self.name}-{len(self._threads)}", daemon=True)
            self._threads.append(thread)
            thread.start()
        self._queue.put(job)
        return job

    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                job.run()
            except BaseException:  # noqa: BLE001 - an interruption that landed on the way out
                job.finish(threading.get_ident(), None, Cancelled())

    def shutdown(self) -> None:
        """Cancel every job, and let the threads end (they do not hold up the process meanwhile)."""
        for job in list(self._jobs):
            job.cancel()
        for _ in self._threads:
            self._queue.put(None)
        self._threads.clear()
