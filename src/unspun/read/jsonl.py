"""JSON Lines (.jsonl, .ndjson): one Document per line, from fields the caller names."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..types import Document
from .paths import printable
from .problems import Warn, reason
from .text import binary_kind, open_binary, over_limit


@dataclass(frozen=True)
class JsonlFields:
    """Which field of each JSON object holds what. ``None`` for an optional field: not present."""

    text: str = "text"
    id: str | None = "id"
    url: str | None = "url"
    date: str | None = "published"
    title: str | None = "title"


# JSON escapes can make a line up to 6 times longer than the text it holds ("\u0001" for one
# byte), so a line is refused only well past the text limit; the bound keeps a file without
# newlines from being read whole into memory.
_ESCAPE_FACTOR = 6
_LINE_SLACK = 64 * 1024


def read_jsonl(path: Path, file_id: str, fields: JsonlFields, max_bytes: int,
               warn: Warn) -> Iterator[Document]:
    """Documents of a JSON Lines file, one per line; bad lines are reported and skipped.

    The size limit applies to each line's text, not to the file. A line's id is its ``id`` field
    or, failing that, ``<file_id>:<line number>``.
    """
    fh = open_binary(path)
    with fh:
        kind = binary_kind(fh.read(8192))
        if kind:
            # One warning per line of a binary file would bury the message; refuse it once.
            raise InputError(f"{path}: this is {kind}, not JSON Lines")
        fh.seek(0)
        line_cap = _ESCAPE_FACTOR * max_bytes + _LINE_SLACK
        number = 0
        while True:
            raw = fh.readline(line_cap)
            if not raw:
                return
            number += 1
            where = f"{path}:{number}"
            if len(raw) == line_cap and not raw.endswith(b"\n"):
                while raw and not raw.endswith(b"\n"):  # skip the rest of the long line
                    raw = fh.readline(line_cap)
                warn(over_limit(f"{where}: the line", max_bytes, hint=False) + "; skipped")
                continue
            if not raw.strip():
                continue
            try:
                # JSON Lines is UTF-8 by definition; a BOM is tolerated on the first line only.
                line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                warn(f"{where}: not UTF-8 (byte {exc.start}); skipped")
                continue
            doc = _document(line, where, f"{file_id}:{number}", path, number, fields, max_bytes, warn)
            if doc is not None:
                yield doc


def _document(line: str, where: str, fallback_id: str, path: Path, number: int,
              fields: JsonlFields, max_bytes: int, warn: Warn) -> Document | None:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        warn(f"{where}: not JSON ({exc.msg} at column {exc.colno}); skipped")
        return None
    except RecursionError:
        # json's parser recurses once per level: a line nested thousands deep would otherwise
        # end the whole read. Nothing a document needs is nested that deep.
        warn(f"{where}: nested too deeply to parse (over {sys.getrecursionlimit()} levels); skipped")
        return None
    except ValueError as exc:
        # An integer of over 4,300 digits (Python's limit on int conversion), for one.
        warn(f"{where}: not usable JSON ({reason(exc)}); skipped")
        return None
    if not isinstance(obj, dict):
        warn(f"{where}: a JSON {type(obj).__name__}, not an object; skipped")
        return None
    text = obj.get(fields.text)
    if text is None:
        warn(f"{where}: no {fields.text!r} field; skipped")
        return None
    if not isinstance(text, str):
        warn(f"{where}: the {fields.text!r} field is a {type(text).__name__}, not text; skipped")
        return None
    if not text.strip():
        warn(f"{where}: the {fields.text!r} field is empty; skipped")
        return None
    text = printable(text)  # JSON may hold lone surrogates ("\\ud800"): no UTF-8 has them
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        warn(over_limit(f"{where}: the text", max_bytes, size, hint=False) + "; skipped")
        return None
    try:
        doc_id = _field(obj, fields.id)
        title, url, date = _field(obj, fields.title), _field(obj, fields.url), _field(obj, fields.date)
    except (ValueError, RecursionError):  # a field too deep (or too long) to write as text
        warn(f"{where}: a field cannot be written as text; skipped")
        return None
    return Document(
        id=doc_id if doc_id is not None else fallback_id,
        text=text,
        title=title,
        url=url,
        published=date,
        meta={"format": "jsonl", "origin": str(path), "line": number, "encoding": "utf-8"},
    )


def _field(obj: dict[str, Any], name: str | None) -> str | None:
    if name is None:
        return None
    value = obj.get(name)
    # Ids are often numbers; anything that is there becomes a string, null stays absent.
    return None if value is None else printable(str(value))
