"""unspun: trace rewritten text back to its source.

>>> import unspun
>>> report = unspun.compare("press-release.txt", "blog-rewrite.txt")
>>> report.verdict
'wholly-derived'
>>> print(report.to_json())
"""

from .errors import InputError, ModelError, UnspunError
from .pipeline import compare
from .store import Index
from .types import Document, Judgement, Passage, Report, Segment, Span

__version__ = "0.1.0"

__all__ = [
    "compare",
    "Index",
    "Document",
    "Judgement",
    "Passage",
    "Report",
    "Segment",
    "Span",
    "UnspunError",
    "InputError",
    "ModelError",
    "__version__",
]
