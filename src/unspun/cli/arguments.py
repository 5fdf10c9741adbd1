"""Argument types the commands share: a bad number is refused before any work starts, in one line
(argparse's usage error, exit 2), never a traceback after the work (``--max-size nan``) or a
silently odd result (``--top -3`` listing two sources).

``megabytes`` is the type of every ``--max-size`` (``unspun serve`` too)."""

from __future__ import annotations

import argparse
import math


def megabytes(value: str) -> float:
    """A size in megabytes: a positive, finite number (``nan``, ``inf`` and ``-1`` are not)."""
    try:
        size = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number of megabytes") from None
    if not math.isfinite(size) or size <= 0:
        raise argparse.ArgumentTypeError(f"{value!r}: the size must be a positive number of megabytes (e.g. 20)")
    return size


def _whole(value: str, least: int, what: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < least:
        raise argparse.ArgumentTypeError(f"{value!r}: must be {what}")
    return number


def positive(value: str) -> int:
    """A whole number of at least 1 (how many sources, workers...)."""
    return _whole(value, 1, "at least 1")


def count(value: str) -> int:
    """A whole number of at least 0, where 0 means none or all (as the option's help says)."""
    return _whole(value, 0, "0 or more")
