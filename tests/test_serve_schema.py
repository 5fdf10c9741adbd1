"""Property test of the API against its own OpenAPI schema (schemathesis): whatever requests the
schema allows, and many it does not, the server answers without a 5xx and as documented.

Bounded to stay fast: a few dozen examples per operation, the 'hash' embedder, small limits.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance, status_code_conformance

from unspun.read import read_text
from unspun.serve import create_app
from unspun.store import Index

RELEASE = (
    "The union said on Monday that 500 workers had walked out over unpaid wages. The company denied "
    "the claim and said talks would resume next week."
)


# Built at import: schemathesis reads the schema when the test is collected (its fixture-based
# loader does not work with this pytest). The folder goes when the module's tests are done.
_TMP = tempfile.TemporaryDirectory(prefix="unspun-schema-")
with Index(Path(_TMP.name) / "idx") as _ix:
    _ix.add([read_text(RELEASE, doc_id="release.txt")])
app = create_app(index=Path(_TMP.name) / "idx", model="hash", max_bytes=256 * 1024, timeout=30)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module", autouse=True)
def _cleanup():
    yield
    _TMP.cleanup()


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_server_errors_and_answers_as_documented(case):
    case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance,
                                   response_schema_conformance])
