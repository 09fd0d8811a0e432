"""POST /api/v1/submissions: a liaison's own system (or the secretariat's) sends a file with a token.

Only the `Authorization: Bearer` token counts: a session cookie is ignored here (so no CSRF token
is needed: a browser's cookies cannot act through this route), and the token's account, role and
participant are read from the database at each request. The file goes through the ingest of the
web upload and the command line (`data_ingest.load`), and is recorded like every upload: a refused
file as a rejected attempt with its report, a refused request in the audit log.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Response, current_app, request
from flask_openapi3.blueprint import APIBlueprint
from flask_openapi3.models.tag import Tag
from pydantic import ValidationError

from dashboard import _data
from dashboard.api import render
from dashboard.api.schemas import ApiError, SubmissionForm, SubmissionRefused, SubmissionReport
from data_ingest.load import prepare_upload, preview, record, registered_participants
from models.accounts.audit import record_refused_confirm
from models.accounts.tokens import TokenCheck, check_token
from models.accounts.users import Identity
from models.cycles.locks import LOCKED_PREFIX
from models.db import account_transaction, read_session
from models.demo import DEMO_LABEL, holds_demo_data
from models.settings import get_settings
from models.text import REASON, TextError, check_text

submissions = APIBlueprint(
    "api_submissions",
    __name__,
    url_prefix="/api/v1",
    abp_tags=[Tag(name="submit", description="Sending figures, with a token")],
    abp_security=[{"bearer": []}],
)
NOT_ALLOWED_PREFIX = "This file may only hold figures for "
NO_TOKEN = "Send an API token: 'Authorization: Bearer <token>' (python -m models.users token create)."  # noqa: S105 - a message
BAD_TOKEN = "The API token is unknown, revoked or expired, or its account is deactivated."  # noqa: S105 - a message
LIMITED = "Too many failed token checks. Wait a few minutes and try again."
SECRETARIAT_REASON = "The secretariat must give a reason when sending figures."

#: The request body, in the OpenAPI document: the model that validates the form (read in the view,
#: so each field keeps the text sent: flask-openapi3's own form reading would turn "1e3" into 1000.0).
REQUEST_BODIES = {
    ("/api/v1/submissions", "post"): {
        "required": True,
        "content": {"multipart/form-data": {"schema": SubmissionForm.model_json_schema()}},
    }
}


def bearer_token() -> str | None:
    """The token of `Authorization: Bearer <token>`, or None (no header, or another scheme)."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def token_identity() -> Identity | Response:
    """The account the request's token acts for, or the 401 / 429 answer."""
    secret = bearer_token()
    if secret is None:
        response = render.error(401, NO_TOKEN)
        response.headers["WWW-Authenticate"] = 'Bearer realm="vid-monitor"'
        return response
    checked: TokenCheck = check_token(
        _data.engine(), secret, request.remote_addr, current_app.config["VID_SIGN_IN_LIMITS"]
    )
    if checked.outcome == "limited":
        response = render.error(429, LIMITED)
        response.headers["Retry-After"] = str(checked.retry_after)
        return response
    if checked.outcome != "valid" or checked.identity is None:
        response = render.error(401, BAD_TOKEN)
        response.headers["WWW-Authenticate"] = 'Bearer realm="vid-monitor", error="invalid_token"'
        return response
    return checked.identity


def _form_problems(error: ValidationError) -> list[dict[str, str]]:
    return [
        {"location": "form." + ".".join(str(part) for part in problem["loc"]), "message": problem["msg"]}
        for problem in error.errors(include_url=False, include_context=False, include_input=False)
    ]


def _refused(
    who: Identity, status: int, message: str, filename: str | None, restriction: str | None
) -> Response:
    """A refused request that changes nothing, in the audit log like a refused Confirm on the page."""
    with account_transaction(_data.engine()) as session:
        record_refused_confirm(session, who.email, filename, f"API: {message}", restriction, None)
    return render.error(status, message)


@submissions.post(
    "/submissions",
    summary="Send a file of figures (multipart/form-data), or check it (dry_run)",
    responses={
        200: SubmissionReport,
        401: ApiError,
        403: SubmissionRefused,
        409: SubmissionRefused,
        413: ApiError,
        422: SubmissionRefused,
        429: ApiError,
    },
)
def submit() -> Response:
    who = token_identity()
    if isinstance(who, Response):
        return who
    raw: dict[str, Any] = {key: value for key, value in request.form.items()}
    if "file" in request.files:
        raw["file"] = request.files["file"]
    try:
        form = SubmissionForm.model_validate(raw)
    except ValidationError as exc:
        return render.error(422, "The request's form is not valid.", _form_problems(exc))
    filename = form.file.filename or "upload"
    engine = _data.engine()
    wanted = form.participant.upper() if form.participant else None
    if who.participant_code:
        if wanted not in (None, who.participant_code):
            message = f"This token may send figures for {who.participant_code} only, not {wanted}."
            return _refused(who, 403, message, filename, who.participant_code)
        restriction: str | None = who.participant_code
    else:
        with read_session(engine) as session:
            if wanted is not None and wanted not in registered_participants(session):
                message = f"{wanted} is not a registered participant"
                return render.error(422, message, [{"location": "form.participant", "message": message}])
        restriction = wanted
    try:
        reason = check_text(form.reason, REASON) or None if form.reason else None
    except TextError as exc:
        return render.error(422, str(exc), [{"location": "form.reason", "message": str(exc)}])
    if who.is_secretariat and not form.dry_run and not reason:
        return _refused(who, 422, SECRETARIAT_REASON, filename, restriction)
    limit = get_settings().max_upload_bytes
    content = form.file.stream.read(limit + 1)
    if len(content) > limit:
        return _refused(
            who, 413, f"The file is larger than the upload limit ({limit} bytes).", filename, restriction
        )
    prepared = prepare_upload(engine, content, filename, allowed_participant=restriction)
    if form.dry_run:
        report = preview(engine, prepared)
        if report.status == "rejected":  # recorded as a rejected attempt, as the upload page does
            report = record(engine, prepared, user=who.email)
    else:
        report = record(
            engine,
            prepared,
            user=who.email,
            reason=reason,
            corrections_need_reason=True,
            submitted=not who.is_secretariat,  # a liaison's figures wait for the secretariat's review
        )
    with read_session(engine) as session:
        demo = holds_demo_data(session)
    recorded = report.status == "loaded" and not form.dry_run
    body = {
        "status": report.status,
        "summary": report.summary(),
        "upload_id": report.upload_id,
        # as `python -m data_ingest load --json`: a liaison's figures wait for the secretariat's review
        "review_status": ("accepted" if who.is_secretariat else "submitted") if recorded else None,
        "report": report.as_dict(),
        "demo": demo,
        "data_note": DEMO_LABEL if demo else None,
    }
    if report.status == "rejected":
        not_allowed = any(issue.message.startswith(NOT_ALLOWED_PREFIX) for issue in report.errors)
        locked = [issue.message for issue in report.errors if issue.message.startswith(LOCKED_PREFIX)]
        if locked:  # a valid file, refused for the state of the data: a closed cycle's values
            return render.error(409, f"Refused, nothing was recorded: {locked[0]}",
                                [{"location": "file", "message": locked[0]}],
                                report=body["report"], upload_id=report.upload_id)  # fmt: skip
        status = 403 if not_allowed else 422
        words = "rows for a participant this token may not write" if not_allowed else "problems"
        problems = [
            {"location": f"file row {'-' if issue.row is None else issue.row} column {issue.column or '-'}",
             "message": issue.message}
            for issue in report.errors
        ]  # fmt: skip
        return render.error(status, f"The file has {words}; nothing was recorded.", problems,
                            report=body["report"], upload_id=report.upload_id)  # fmt: skip
    return Response(json.dumps(body, ensure_ascii=False), mimetype="application/json")
