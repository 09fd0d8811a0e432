"""Schemathesis against the served OpenAPI document, on both backends: for every operation, no
server error and no answer that breaks the document (status, content type, headers, body)."""

from __future__ import annotations

import io

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from sqlalchemy import Engine

from models.cycles.closing import close_cycle
from models.db import write_transaction
from tests.web import WebClient

FIGURES = b"country,year,identified_victims\nDEU,2014,100\nDEU,2015,111\nFRA,2015,40\n"

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


def test_every_operation_answers_as_its_document_says(
    web: WebClient, engine: Engine, tokens: dict[str, str]
) -> None:
    from app import server

    # Figures and a closed cycle, so that the lists and the snapshot answer rows, not only 404s.
    figures = {"file": (io.BytesIO(FIGURES), "figures.csv"), "reason": "schema test"}
    sent = web.client.post("/api/v1/submissions", data=figures,
                           headers={"Authorization": f"Bearer {tokens['secretariat']}"})  # fmt: skip
    assert sent.status_code == 200, sent.get_json()
    with write_transaction(engine) as session:
        close_cycle(session, "cli:tests", "Report 2016")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", server)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 11
    # Public routes answer alike with a token. Plain bytes: the WSGI client decodes no brotli or gzip.
    headers = {"Authorization": f"Bearer {tokens['liaison']}", "Accept-Encoding": "identity"}

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

    # Random names never hit the closed cycle: its snapshot, as JSON and as CSV, against the document.
    [snapshot] = [op for op in operations if op.path == "/api/v1/snapshots/{cycle}"]
    for query in ({}, {"format": "csv"}):
        case = snapshot.Case(path_parameters={"cycle": "Report 2016"}, query=query)
        answer = case.call_and_validate(headers=headers, checks=CHECKS)
        assert answer.status_code == 200
