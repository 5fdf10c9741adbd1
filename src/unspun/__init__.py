"""unspun: trace rewritten text back to its source.

>>> import unspun
>>> report = unspun.compare("press-release.txt", "blog-rewrite.txt")
>>> report.verdict
'wholly-derived'
>>> print(report.to_json())

What the README teaches is here: ``compare`` (one pair), ``Index`` and ``trace`` (the sources of
a document in an archive), ``scan`` (every derived pair of a corpus), ``read`` and
``iter_documents`` (any format into ``Document``s), the result types and the errors.

``unspun.read`` and ``unspun.scan`` are functions here; their modules are imported by name
(``from unspun.read import read_text``, ``from unspun.scan import LocalEngine``).
"""

from .errors import InputError, ModelError, UnspunError
from .pipeline import compare
from .read import JsonlFields, ReadWarning, iter_documents, read
from .retrieve import Source, TraceResult, trace
from .scan import LocalEngine, ScanResult, SparkEngine, scan
from .store import Index
from .types import Document, Judgement, Passage, Report, Segment, Span
from .version import __version__

__all__ = [
    "compare",
    "trace",
    "scan",
    "read",
    "iter_documents",
    "Index",
    "LocalEngine",
    "SparkEngine",
    "Document",
    "Judgement",
    "JsonlFields",
    "Passage",
    "Report",
    "ScanResult",
    "Segment",
    "Source",
    "Span",
    "TraceResult",
    "UnspunError",
    "InputError",
    "ModelError",
    "ReadWarning",
    "__version__",
]
