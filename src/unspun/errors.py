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
