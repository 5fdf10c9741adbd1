"""The old name of ``unspun.read``'s corpus reader, kept because scripts import it
(``from unspun.readers import iter_documents``). New code imports from ``unspun`` or ``unspun.read``."""

from ..read import DEFAULT_EXTENSIONS, JsonlFields, ReadWarning, iter_documents

__all__ = ["DEFAULT_EXTENSIONS", "JsonlFields", "ReadWarning", "iter_documents"]
