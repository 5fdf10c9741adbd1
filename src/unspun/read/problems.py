"""How the readers report what they skip: one line per problem, to a callback or as a warning.

A corpus is read in one pass and one bad file or record must not stop it, so problems that only
cost one document are reported and reading goes on; problems with a path the caller named
directly are ``InputError``s instead (see ``iter_documents``).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable

Warn = Callable[[str], None]


class ReadWarning(UserWarning):
    """A file, record or line was skipped while reading a corpus."""


def default_warn(message: str) -> None:
    # Python's warning machinery rather than print: callers can filter, record or raise these.
    warnings.warn(message, ReadWarning, stacklevel=3)


def reason(exc: Exception) -> str:
    """A parser's exception as a short clause for a one-line message."""
    text = " ".join(str(exc).split())[:120]
    return text or type(exc).__name__
