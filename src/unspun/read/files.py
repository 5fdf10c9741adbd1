"""Which files of a directory make up a corpus, and the per-file size limit."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from .paths import printable
from .problems import Warn

DEFAULT_EXTENSIONS: tuple[str, ...] = (
    ".txt", ".text", ".md", ".markdown",
    ".html", ".htm", ".xhtml",
    ".warc", ".warc.gz", ".arc", ".arc.gz",
    ".jsonl", ".ndjson",
    ".pdf", ".docx",
)


def normalise_extensions(extensions: Iterable[str]) -> tuple[str, ...]:
    """Lower-case, with a leading dot: ``"TXT"`` and ``".txt"`` mean the same."""
    out = []
    for ext in extensions:
        ext = ext.strip().lower()
        if ext:
            out.append(ext if ext.startswith(".") else "." + ext)
    return tuple(out)


def has_extension(name: str, extensions: tuple[str, ...]) -> bool:
    # endswith rather than Path.suffix: ".warc.gz" is two suffixes.
    return name.lower().endswith(extensions)


def corpus_files(root: Path, extensions: tuple[str, ...], warn: Warn) -> list[tuple[Path, str]]:
    """Files under ``root`` with one of ``extensions``, as (path, id): the id is the path relative
    to ``root`` with POSIX separators. Hidden files and directories (a leading dot: .git, .venv,
    editor swap files) are left out. Sorted by id, so a corpus reads the same on every system.
    """

    def unreadable(exc: OSError) -> None:
        warn(f"{exc.filename}: directory cannot be read ({exc.strerror}); skipped")

    found = []
    # followlinks=False: a symlink to a parent directory would otherwise loop forever.
    for dirpath, dirnames, filenames in os.walk(root, onerror=unreadable, followlinks=False):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            if name.startswith(".") or not has_extension(name, extensions):
                continue
            path = Path(dirpath) / name
            # printable: a name that is not UTF-8 is read, under an id with its bad bytes escaped.
            found.append((path, printable(path.relative_to(root).as_posix())))
    found.sort(key=lambda item: item[1])
    return found
