"""Store: the on-disk index (SQLite, WAL) and source retrieval over it."""

from ..retrieve import Source, TraceResult
from .index import Index

__all__ = ["Index", "Source", "TraceResult"]
