"""The database tables as typed ORM classes; the schema Alembic migrations must reproduce exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime, utcnow

ROLES = ("liaison", "secretariat", "admin")
UPLOAD_OUTCOMES = ("loaded", "unchanged", "rejected")
SIGN_IN_OUTCOMES = ("pending", "succeeded", "failed", "limited")
CYCLE_KINDS = ("stock_taking", "biennial_report")
INDICATOR_KINDS = ("flow", "stock")
#: What the secretariat decided about the values an upload recorded (outcome "loaded" only).
REVIEW_STATUSES = ("submitted", "accepted", "returned")


class Participant(Base):
    """A country taking part in the Global Alliance."""

    __tablename__ = "participants"

    code: Mapped[str] = mapped_column(
        String(3), primary_key=True, comment="ISO 3166-1 alpha-3 code, upper case"
    )
    name: Mapped[str] = mapped_column(String(200), unique=True)
    joined_on: Mapped[dt.date] = mapped_column(Date, comment="Date the participant joined the Alliance")
    source_title: Mapped[str] = mapped_column(Text, comment="Publication that records the joining date")
    source_url: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("length(code) = 3", name="code_length"),)


class Indicator(Base):
    """A measured quantity with its target rule (minimum yearly growth)."""

    __tablename__ = "indicators"

    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str] = mapped_column(String(40))
    kind: Mapped[str] = mapped_column(
        String(10), comment="flow: counted during the year; stock: total at the end of the year"
    )
    description: Mapped[str] = mapped_column(Text)
    min_yearly_growth: Mapped[Decimal] = mapped_column(
        Numeric(8, 6, asdecimal=True),
        comment="Target rule: minimum growth per year as an exact decimal (0.10 = 10%)",
    )

    __table_args__ = (
        CheckConstraint("min_yearly_growth >= 0", name="min_yearly_growth_non_negative"),
        CheckConstraint(f"kind IN {INDICATOR_KINDS!r}", name="kind_known"),
    )


def _review_status_default(context: Any) -> str | None:
    """An upload recorded without a review status: accepted if it recorded values (as before review
    existed, and as the migration set every earlier one), else none."""
    return "accepted" if context.get_current_parameters().get("outcome") == "loaded" else None


class Upload(Base):
    """One file (or generated batch) received, whether it was accepted or rejected."""

    __tablename__ = "uploads"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    original_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), comment="Hex SHA-256 of the file as received")
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    file_format: Mapped[str] = mapped_column(String(20), comment="csv, xlsx, json, form or generated")
    layout: Mapped[str | None] = mapped_column(String(10), comment="long or wide, once recognised")
    uploaded_by: Mapped[str] = mapped_column(String(320), comment="User email or command-line user name")
    participant_code: Mapped[str | None] = mapped_column(
        ForeignKey("participants.code"),
        comment="Set when every row of the file is for this one participant",
    )
    received_at: Mapped[dt.datetime] = mapped_column(
        UTCDateTime, default=utcnow, comment="When the system actually received the file (UTC)"
    )
    submitted_on: Mapped[dt.date] = mapped_column(
        Date,
        comment="Date the report counts as submitted; earlier than received_at for historical backfill",
    )
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    rows_total: Mapped[int] = mapped_column(Integer, default=0)
    inserted_count: Mapped[int] = mapped_column(Integer, default=0)
    revised_count: Mapped[int] = mapped_column(Integer, default=0)
    unchanged_count: Mapped[int] = mapped_column(Integer, default=0)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    report: Mapped[dict[str, Any]] = mapped_column(
        JSON, default=dict, comment="Validation report: errors and warnings as shown to the user"
    )
    synthetic: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), comment="Demonstration data, not real figures"
    )
    review_status: Mapped[str | None] = mapped_column(
        String(10),
        default=_review_status_default,
        comment="submitted, accepted or returned for an upload that recorded values; null otherwise",
    )
    reviewed_by: Mapped[str | None] = mapped_column(String(320), comment="Who accepted or returned it")
    reviewed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    review_comment: Mapped[str | None] = mapped_column(Text, comment="Why it was returned (or accepted)")

    revisions: Mapped[list[ObservationRevision]] = relationship(back_populates="upload")

    __table_args__ = (
        CheckConstraint(f"outcome IN {UPLOAD_OUTCOMES!r}", name="outcome_known"),
        Index("ix_uploads_participant_code_received_at", "participant_code", "received_at"),
        Index("ix_uploads_review_status", "review_status"),
    )


class Observation(Base):
    """The current value of an indicator for a participant and year."""

    __tablename__ = "observations"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    participant_code: Mapped[str] = mapped_column(ForeignKey("participants.code"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("participant_code", "indicator_code", "year"),
        CheckConstraint("value >= 0", name="value_non_negative"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_plausible"),
    )


class ObservationRevision(Base):
    """Append-only history: every value ever recorded for a participant, indicator and year.

    Database triggers refuse UPDATE, and DELETE of anything but demonstration data.
    """

    __tablename__ = "observation_revisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    participant_code: Mapped[str] = mapped_column(ForeignKey("participants.code"))
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"))
    year: Mapped[int] = mapped_column(Integer)
    value: Mapped[int] = mapped_column(BigInteger)
    recorded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    recorded_by: Mapped[str] = mapped_column(String(320))
    upload_id: Mapped[int] = mapped_column(ForeignKey("uploads.id"))
    reason: Mapped[str | None] = mapped_column(Text)

    upload: Mapped[Upload] = relationship(back_populates="revisions")

    __table_args__ = (
        CheckConstraint("value >= 0", name="value_non_negative"),
        Index(
            "ix_observation_revisions_cell",
            "participant_code",
            "indicator_code",
            "year",
            "id",
        ),
        Index("ix_observation_revisions_upload_id", "upload_id"),
    )


class User(Base):
    """A person who can log in: a liaison bound to one participant, the secretariat or an admin."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    email: Mapped[str] = mapped_column(String(320), unique=True, comment="Stored lower case")
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    participant_code: Mapped[str | None] = mapped_column(
        ForeignKey("participants.code"), comment="The one participant a liaison may act for"
    )
    password_hash: Mapped[str] = mapped_column(String(500))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(f"role IN {ROLES!r}", name="role_known"),
        CheckConstraint(
            "(role = 'liaison') = (participant_code IS NOT NULL)",
            name="liaison_has_participant",
        ),
    )


class UserSession(Base):
    """A sign-in. The browser's cookie holds a random token; the server keeps only its hash and
    refuses it once the session has ended (signed out, password changed, account deactivated,
    ended by an admin) or expired."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Hex SHA-256 of the token in the session cookie (never the token)"
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, comment="VID_SESSION_MINUTES after sign-in")
    ended_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str | None] = mapped_column(
        String(40), comment="signed_out, password_changed, deactivated or ended_by_admin"
    )
    address: Mapped[str | None] = mapped_column(String(64), comment="Client address at sign-in")

    __table_args__ = (Index("ix_user_sessions_user_id", "user_id"),)


class SignInAttempt(Base):
    """One sign-in attempt, whatever its outcome: failed ones (and ones still being checked) count
    against the limits per account and per client address, in every process and server alike."""

    __tablename__ = "sign_in_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    attempted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    account: Mapped[str] = mapped_column(
        String(320), comment="The email as typed, trimmed and lower case, whether or not an account has it"
    )
    address: Mapped[str] = mapped_column(String(64), comment="Client address")
    outcome: Mapped[str] = mapped_column(
        String(10), comment="pending (being checked), succeeded, failed, limited (refused unchecked)"
    )

    __table_args__ = (
        CheckConstraint(f"outcome IN {SIGN_IN_OUTCOMES!r}", name="outcome_known"),
        Index("ix_sign_in_attempts_account_attempted_at", "account", "attempted_at"),
        Index("ix_sign_in_attempts_address_attempted_at", "address", "attempted_at"),
    )


class ReportingCycle(Base):
    """A reporting exercise: a deadline and the calendar years it covers."""

    __tablename__ = "reporting_cycles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    deadline: Mapped[dt.date] = mapped_column(Date)
    first_year: Mapped[int] = mapped_column(Integer, comment="First calendar year covered")
    last_year: Mapped[int] = mapped_column(Integer, comment="Last calendar year covered")

    __table_args__ = (
        CheckConstraint("first_year <= last_year", name="years_ordered"),
        CheckConstraint(f"kind IN {CYCLE_KINDS!r}", name="kind_known"),
    )


class AuditEvent(Base):
    """A change to reference data or accounts, a sign-in or sign-out, a refused action (who did
    what, when), for traceability."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(60), comment="e.g. participant.add, cycle.move")
    subject: Mapped[str] = mapped_column(String(200), comment="What was changed, e.g. CAN or Report 2016")
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    __table_args__ = (Index("ix_audit_events_occurred_at", "occurred_at"),)


class DataState(Base):
    """A single row whose version increases with every write; caches are keyed by it.

    Writers lock this row first, which also puts concurrent uploads in one serial order.
    """

    __tablename__ = "data_state"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    epoch: Mapped[str] = mapped_column(
        String(32), comment="Random token set when the database is created; with version, keys caches"
    )
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)


class CycleSnapshot(Base):
    """What a reporting cycle's figures were when the secretariat closed it: append-only.

    `canonical_csv` holds both bases of the compliance table and the cycle's reporting status in
    the canonical form of docs/metrics.md; `sha256` is its hash. Database triggers refuse UPDATE,
    and DELETE of anything but a snapshot of demonstration data.
    """

    __tablename__ = "cycle_snapshots"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("reporting_cycles.id"))
    closed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_by: Mapped[str] = mapped_column(String(320))
    data_version: Mapped[int] = mapped_column(BigInteger, comment="data_state.version when it was closed")
    sha256: Mapped[str] = mapped_column(String(64), comment="Hex SHA-256 of canonical_csv in UTF-8")
    canonical_csv: Mapped[str] = mapped_column(Text)
    demonstration: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), comment="Closed over demonstration data"
    )

    __table_args__ = (Index("ix_cycle_snapshots_cycle_id", "cycle_id"),)


class LockException(Base):
    """Leave, granted by the secretariat, to change one participant's values in a closed cycle's years."""

    __tablename__ = "lock_exceptions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("reporting_cycles.id"))
    participant_code: Mapped[str] = mapped_column(ForeignKey("participants.code"))
    reason: Mapped[str] = mapped_column(Text)
    granted_by: Mapped[str] = mapped_column(String(320))
    granted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    until: Mapped[dt.date] = mapped_column(Date, comment="Last day (UTC) on which the exception holds")

    __table_args__ = (Index("ix_lock_exceptions_cycle_id_participant_code", "cycle_id", "participant_code"),)


class ApiToken(Base):
    """A token for the REST API (`Authorization: Bearer ...`): it acts as its account, with the
    account's role and participant as the database has them at each request. Only the SHA-256 of
    the token is kept; the token itself is shown once, when it is made."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_hash: Mapped[str] = mapped_column(
        String(64), unique=True, comment="Hex SHA-256 of the token (never the token)"
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(
        String(320), comment="Who made it: an email or a command-line user"
    )
    expires_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(320))

    __table_args__ = (Index("ix_api_tokens_user_id", "user_id"),)
