"""Timing: the one way a stage is timed. ``Timer`` adds each stage's seconds into ``times``, the
dict that reports carry (``Report.timings``, ``TraceResult.timings``, ``ScanResult.timings``)."""

from __future__ import annotations

import math
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager


class Timer:
    def __init__(self, times: dict[str, float] | None = None) -> None:
        self.times: dict[str, float] = {} if times is None else times
        self._start = time.perf_counter()

    @contextmanager
    def __call__(self, stage: str) -> Iterator[None]:
        """``with timer("embed"): ...`` adds the block's seconds to ``times["embed"]``."""
        t0 = time.perf_counter()
        try:
            yield
        finally:
            self.times[stage] = self.times.get(stage, 0.0) + time.perf_counter() - t0

    def elapsed(self) -> float:
        """Seconds since the timer was made: a whole run's wall time."""
        return time.perf_counter() - self._start


def percentile(values: Sequence[float], q: float) -> float:
    """The q-quantile of values (seconds, say), by nearest rank; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]
