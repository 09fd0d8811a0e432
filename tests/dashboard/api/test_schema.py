"""Schemathesis against the served OpenAPI document, on both backends: for every operation, no
server error and no answer that breaks the document (status, content type, headers, body)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.web import WebClient

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_every_operation_answers_as_its_document_says(web: WebClient, tokens: dict[str, str]) -> None:
    from app import server

    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", server)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9
    headers = {"Authorization": f"Bearer {tokens['liaison']}"}  # public routes answer alike with one

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(headers=headers, checks=CHECKS)

        run()
