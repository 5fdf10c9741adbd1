"""The API's request and response shapes, for its OpenAPI schema.

The endpoints read their bodies themselves (one endpoint takes JSON or a multipart form, and the
size limit must count every byte), so FastAPI cannot infer these: they are written out here.
"""

from __future__ import annotations

from typing import Any

_TEXT = "the text itself; a saved web page (HTML) is recognised and its article text extracted"
_FILE = "a file: text in any common encoding, a saved web page (.html), PDF or DOCX"

_OPTIONS: dict[str, Any] = {
    "source_url": {"type": "string", "description": "the source's address, to find links and credit to it"},
    "source_title": {"type": "string", "description": "the source's title, if the source does not give it"},
    "source_publisher": {"type": "string", "description": "who published the source (e.g. ITUC), to find credit to it"},
}


def _body(fields: dict[str, str], file_description: str = _FILE) -> dict[str, Any]:
    names = list(fields)
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": {
                    "type": "object",
                    "required": names,
                    "properties": {name: {"type": "string", "description": text} for name, text in fields.items()}
                    | (_OPTIONS if "source" in fields else {}),
                }},
                "multipart/form-data": {"schema": {
                    "type": "object",
                    "required": names,
                    "properties": {name: {"type": "string", "format": "binary", "description": f"{file_description} (or a plain text field)"}
                                   for name in names}
                    | (_OPTIONS if "source" in fields else {}),
                }},
            },
        }
    }


COMPARE_BODY = _body({"source": f"the original: {_TEXT}", "rewrite": f"the text suspected of reusing it: {_TEXT}"})
TRACE_BODY = _body({"text": f"the document whose sources to find: {_TEXT}"})

ERROR = {
    "description": "an error, with a message that says what to do",
    "content": {"application/json": {"schema": {
        "type": "object", "required": ["error"], "properties": {"error": {"type": "string"}},
    }}},
}


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    reasons = {
        400: "the request is malformed (not JSON, a field missing or not a string)",
        401: "a token is needed, or the token is wrong",
        404: "no index is configured (trace)",
        408: "the request body took longer than the time limit to arrive",
        409: "the index cannot be opened (trace)",
        413: "the request is over the size limit",
        415: "the body is neither JSON nor a form",
        422: "a document cannot be read (binary, empty, too long), or a parameter is out of range",
        503: "the server is busy (every comparison slot taken for too long), or the model is unavailable",
        504: "the work took longer than the time limit",
    }
    return {code: {**ERROR, "description": reasons[code]} for code in codes}


REPORT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "the report of `unspun compare --json` (its schema is in the README)",
    "required": ["schema_version", "verdict", "reuse", "passages", "fidelity", "chrome", "documents", "model"],
    "properties": {
        "schema_version": {"type": "integer"},
        "verdict": {"type": "string", "enum": ["wholly-derived", "partially-derived", "non-derived"]},
        "reuse": {"type": "object"},
        "passages": {"type": "array", "items": {"type": "object"}},
        "judgement": {"type": "object", "description": "why: judgement.evidence (see the README)"},
        "fidelity": {"type": "object"},
        "chrome": {"type": "object"},
        "documents": {"type": "object"},
        "model": {"type": "string"},
    },
}

PAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "for the web page: the report, both texts as read (the offsets index them), the reuse map, the HTML report",
    "required": ["report", "texts", "reuse_map_svg", "html"],
    "properties": {
        "report": REPORT_SCHEMA,
        "texts": {"type": "object", "properties": {"source": {"type": "string"}, "rewrite": {"type": "string"}}},
        "reuse_map_svg": {"type": "string"},
        "html": {"type": "string"},
    },
}

COMPARE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the report: JSON (format=json), the self-contained HTML report (format=html), "
        "or what the web page needs (format=page)",
        "content": {
            "application/json": {"schema": {"anyOf": [REPORT_SCHEMA, PAGE_SCHEMA]}},
            "text/html": {"schema": {"type": "string"}},
        },
    },
    **errors(400, 401, 408, 413, 415, 422, 503, 504),
}

TRACE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the ranked sources, as `unspun trace --json` prints them",
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["schema_version", "query", "sources"],
            "properties": {"schema_version": {"type": "integer"}, "query": {"type": "object"},
                           "sources": {"type": "array", "items": {"type": "object"}}},
        }}},
    },
    **errors(400, 401, 404, 408, 409, 413, 415, 422, 503, 504),
}

HEALTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "the server is up",
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["status", "model", "trace", "token_required"],
            "properties": {"status": {"type": "string"}, "model": {"type": "string"},
                           "trace": {"type": "boolean"}, "token_required": {"type": "boolean"}},
        }}},
    },
}
