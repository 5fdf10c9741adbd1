"""Store: the on-disk index (SQLite, WAL) and source retrieval over it."""

from .index import Index
from .trace import Source, TraceResult

__all__ = ["Index", "Source", "TraceResult"]
