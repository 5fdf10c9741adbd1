"""Errors the library raises. Only the CLI (and later the server) turn them into exit codes.

Every message says what went wrong and, where it can, what to do next, in one line.
"""


class UnspunError(Exception):
    """Base class of every error unspun raises on purpose."""

    exit_code = 1


class InputError(UnspunError):
    """The input cannot be read as a document: missing, a directory, binary, empty, too large."""

    exit_code = 2


class ModelError(UnspunError):
    """The embedding model cannot be loaded (package missing or broken)."""

    exit_code = 3


class MissingExtra(ModelError):
    """A part of unspun whose packages are an optional extra was used without them installed
    (reading a PDF without ``unspun[formats]``, say)."""

    exit_code = 5


class IndexUnusable(UnspunError):
    """The index named cannot be used as asked: missing, damaged, unreadable, or read-only when
    it would be written to. The API answers 409 (the index, not the request, is at fault)."""

    exit_code = 2


class LimitError(InputError):
    """A document is past a limit on what it expands to (extracted text, pages, parts, nesting,
    work): it costs only itself, and the message names the limit and how to raise it."""
