"""Request bodies into documents: pasted text in JSON, or uploaded files (or text fields) in a form.

Parsing the body happens in the event loop and only sorts out what was sent; turning it into a
``Document`` (decoding, extracting a page's text, reading a PDF) is work for the worker threads,
so it is a separate step, ``Given.document``. Nothing here ever opens a path the client names:
an uploaded file's name is only a label.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from starlette.datastructures import UploadFile
from starlette.requests import Request

from ..errors import InputError
from ..read import over_limit, read_data, read_text
from ..types import Document

OPTIONAL_FIELDS = ("source_url", "source_title", "source_publisher")


class BadRequest(Exception):
    """The request itself is malformed (not the documents in it): 400, or ``status``."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class Given:
    """One document as the client sent it: pasted text, or an uploaded file's bytes."""

    label: str  # "source", "rewrite", "text": what the client called it
    text: str | None = None
    data: bytes | None = None
    filename: str | None = None

    def document(self, max_bytes: int) -> Document:
        if self.text is not None:
            try:
                size = len(self.text.encode("utf-8"))
            except UnicodeEncodeError:  # JSON may spell lone surrogates (\udcff): not text
                raise InputError(f"{self.label}: contains unpaired surrogate code points; "
                                 "is it really Unicode text?") from None
            if size > max_bytes:
                raise InputError(over_limit(self.label, max_bytes, hint=False))
            if "\x00" in self.text:
                raise InputError(f"{self.label}: contains NUL characters; is this text?")
            return read_text(self.text, doc_id=self.label)
        assert self.data is not None
        return read_data(self.data, self.filename or self.label, max_bytes)


def content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_body(request: Request, names: tuple[str, ...], max_bytes: int) -> tuple[dict[str, Given], dict[str, str]]:
    """The documents named ``names`` and the optional string fields, from a JSON body or a form."""
    kind = content_type(request)
    if kind == "application/json" or kind.endswith("+json"):
        return await _from_json(request, names)
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        return await _from_form(request, names, max_bytes)
    raise BadRequest(
        f"send JSON (Content-Type: application/json) with {_fields(names)}, or a multipart form "
        f"with {_fields(names)} as files or text fields; got {kind or 'no Content-Type'}",
        status=415,
    )


async def _from_json(request: Request, names: tuple[str, ...]) -> tuple[dict[str, Given], dict[str, str]]:
    raw = await request.body()
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadRequest(f"the body is not valid JSON ({exc})") from None
    # Valid JSON that Python will not hold: nesting past the interpreter's recursion limit, or an
    # integer past its digit limit (a guard against quadratic-time conversion). Both are the
    # client's doing and name no limit of ours worth raising.
    except RecursionError:
        raise BadRequest("the JSON body is nested too deeply; send an object of strings") from None
    except ValueError as exc:
        raise BadRequest(f"the JSON body has a number too long to read ({_digits(exc)}); "
                         "send an object of strings") from None
    if not isinstance(body, dict):
        raise BadRequest(f"the JSON body must be an object with {_fields(names)}")
    given = {}
    for name in names:
        value = body.get(name)
        if value is None:
            raise BadRequest(f"the JSON body has no {name!r}: send {_fields(names)} as strings")
        if not isinstance(value, str):
            raise BadRequest(f"{name!r} must be a string (the text itself), not {type(value).__name__}")
        given[name] = Given(label=name, text=value)
    return given, _options(body)


async def _from_form(request: Request, names: tuple[str, ...], max_bytes: int) -> tuple[dict[str, Given], dict[str, str]]:
    # Text fields may be as large as files (a pasted article): the default 1 MB part limit would
    # refuse them with a less helpful message than the request limit's.
    form = await request.form(max_files=len(names), max_fields=len(names) + len(OPTIONAL_FIELDS) + 4,
                              max_part_size=max_bytes)
    try:
        given = {}
        for name in names:
            value = form.get(name)
            if value is None:
                raise BadRequest(f"the form has no {name!r}: send {_fields(names)} as files or text fields")
            if isinstance(value, UploadFile):
                data = await value.read()
                given[name] = Given(label=name, data=data, filename=_label(value.filename, name))
            else:
                given[name] = Given(label=name, text=value)
        return given, _options(form)
    finally:
        await form.close()


def _digits(exc: ValueError) -> str:
    # Python's message suggests sys.set_int_max_str_digits(), advice for the server, not the client.
    found = re.search(r"value has (\d+) digits", str(exc))
    return f"{found.group(1)} digits, over the limit of {sys.get_int_max_str_digits()}" if found else "not a number Python reads"


def _options(container) -> dict[str, str]:
    out = {}
    for key in OPTIONAL_FIELDS:
        value = container.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            raise BadRequest(f"{key!r} must be a string")
        out[key] = value[:2000]
    return out


def _label(filename: str | None, fallback: str) -> str:
    """A file name as a label: its last component only, whatever separator the client used."""
    if not filename:
        return fallback
    name = PureWindowsPath(PurePosixPath(filename).name).name.strip()
    return name[:200] or fallback


def _fields(names: tuple[str, ...]) -> str:
    return " and ".join(repr(n) for n in names)
