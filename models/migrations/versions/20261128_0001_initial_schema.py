"""Initial schema: participants, indicators, observations and their append-only history, uploads,
users, reporting cycles, audit events and the data version.

Revision ID: 0001
Revises:
Create Date: 2026-11-28 13:34:01.356359
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# observation_revisions is append-only: no UPDATE ever, and DELETE only of demonstration data
# (whose upload is marked synthetic). The database itself refuses, whatever the caller.
_SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER observation_revisions_no_update BEFORE UPDATE ON observation_revisions
    BEGIN SELECT RAISE(ABORT, 'observation_revisions is append-only: rows are never updated'); END
    """,
    """
    CREATE TRIGGER observation_revisions_no_delete BEFORE DELETE ON observation_revisions
    WHEN NOT (SELECT synthetic FROM uploads WHERE id = OLD.upload_id)
    BEGIN SELECT RAISE(ABORT, 'observation_revisions is append-only: real data is never deleted'); END
    """,
)
_POSTGRESQL_TRIGGERS = (
    """
    CREATE FUNCTION observation_revisions_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'observation_revisions is append-only: rows are never updated';
        END IF;
        IF NOT (SELECT synthetic FROM uploads WHERE id = OLD.upload_id) THEN
            RAISE EXCEPTION 'observation_revisions is append-only: real data is never deleted';
        END IF;
        RETURN OLD;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER observation_revisions_append_only
    BEFORE UPDATE OR DELETE ON observation_revisions
    FOR EACH ROW EXECUTE FUNCTION observation_revisions_append_only()
    """,
)


def _create_append_only_triggers() -> None:
    dialect = op.get_bind().dialect.name
    statements = _POSTGRESQL_TRIGGERS if dialect == "postgresql" else _SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS observation_revisions_append_only ON observation_revisions")
        op.execute("DROP FUNCTION IF EXISTS observation_revisions_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS observation_revisions_no_update")
        op.execute("DROP TRIGGER IF EXISTS observation_revisions_no_delete")


def upgrade() -> None:
    op.create_table(
        "audit_events",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(length=320), nullable=False),
        sa.Column(
            "action",
            sa.String(length=60),
            nullable=False,
            comment="e.g. participant.add, cycle.move",
        ),
        sa.Column(
            "subject",
            sa.String(length=200),
            nullable=False,
            comment="What was changed, e.g. CAN or Report 2016",
        ),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_events")),
    )
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.create_index("ix_audit_events_occurred_at", ["occurred_at"], unique=False)

    op.create_table(
        "data_state",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_data_state_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_state")),
    )
    op.create_table(
        "indicators",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column(
            "kind",
            sa.String(length=10),
            nullable=False,
            comment="flow: counted during the year; stock: total at the end of the year",
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "min_yearly_growth",
            sa.Numeric(precision=8, scale=6),
            nullable=False,
            comment="Target rule: minimum growth per year as an exact decimal (0.10 = 10%)",
        ),
        sa.CheckConstraint("kind IN ('flow', 'stock')", name=op.f("ck_indicators_kind_known")),
        sa.CheckConstraint(
            "min_yearly_growth >= 0",
            name=op.f("ck_indicators_min_yearly_growth_non_negative"),
        ),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_indicators")),
    )
    op.create_table(
        "participants",
        sa.Column(
            "code",
            sa.String(length=3),
            nullable=False,
            comment="ISO 3166-1 alpha-3 code, upper case",
        ),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "joined_on",
            sa.Date(),
            nullable=False,
            comment="Date the participant joined the Alliance",
        ),
        sa.Column(
            "source_title",
            sa.Text(),
            nullable=False,
            comment="Publication that records the joining date",
        ),
        sa.Column("source_url", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("length(code) = 3", name=op.f("ck_participants_code_length")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_participants")),
        sa.UniqueConstraint("name", name=op.f("uq_participants_name")),
    )
    op.create_table(
        "reporting_cycles",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column(
            "first_year",
            sa.Integer(),
            nullable=False,
            comment="First calendar year covered",
        ),
        sa.Column(
            "last_year",
            sa.Integer(),
            nullable=False,
            comment="Last calendar year covered",
        ),
        sa.CheckConstraint(
            "kind IN ('stock_taking', 'biennial_report')",
            name=op.f("ck_reporting_cycles_kind_known"),
        ),
        sa.CheckConstraint("first_year <= last_year", name=op.f("ck_reporting_cycles_years_ordered")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reporting_cycles")),
        sa.UniqueConstraint("name", name=op.f("uq_reporting_cycles_name")),
    )
    op.create_table(
        "observations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_code", sa.String(length=3), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("value >= 0", name=op.f("ck_observations_value_non_negative")),
        sa.CheckConstraint("year BETWEEN 2000 AND 2100", name=op.f("ck_observations_year_plausible")),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicators.code"],
            name=op.f("fk_observations_indicator_code_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_code"],
            ["participants.code"],
            name=op.f("fk_observations_participant_code_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observations")),
        sa.UniqueConstraint(
            "participant_code",
            "indicator_code",
            "year",
            name=op.f("uq_observations_participant_code_indicator_code_year"),
        ),
    )
    op.create_table(
        "uploads",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("original_name", sa.String(length=500), nullable=False),
        sa.Column(
            "sha256",
            sa.String(length=64),
            nullable=False,
            comment="Hex SHA-256 of the file as received",
        ),
        sa.Column("size_bytes", sa.BigInteger(), nullable=False),
        sa.Column(
            "file_format",
            sa.String(length=20),
            nullable=False,
            comment="csv, xlsx, json, form or generated",
        ),
        sa.Column(
            "layout",
            sa.String(length=10),
            nullable=True,
            comment="long or wide, once recognised",
        ),
        sa.Column(
            "uploaded_by",
            sa.String(length=320),
            nullable=False,
            comment="User email or command-line user name",
        ),
        sa.Column(
            "participant_code",
            sa.String(length=3),
            nullable=True,
            comment="Set when every row of the file is for this one participant",
        ),
        sa.Column(
            "received_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="When the system actually received the file (UTC)",
        ),
        sa.Column(
            "submitted_on",
            sa.Date(),
            nullable=False,
            comment="Date the report counts as submitted; earlier than received_at for historical backfill",
        ),
        sa.Column("outcome", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("rows_total", sa.Integer(), nullable=False),
        sa.Column("inserted_count", sa.Integer(), nullable=False),
        sa.Column("revised_count", sa.Integer(), nullable=False),
        sa.Column("unchanged_count", sa.Integer(), nullable=False),
        sa.Column("error_count", sa.Integer(), nullable=False),
        sa.Column(
            "report",
            sa.JSON(),
            nullable=False,
            comment="Validation report: errors and warnings as shown to the user",
        ),
        sa.Column(
            "synthetic",
            sa.Boolean(),
            server_default=sa.false(),
            nullable=False,
            comment="Demonstration data, not real figures",
        ),
        sa.CheckConstraint(
            "outcome IN ('loaded', 'unchanged', 'rejected')",
            name=op.f("ck_uploads_outcome_known"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_code"],
            ["participants.code"],
            name=op.f("fk_uploads_participant_code_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_uploads")),
    )
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.create_index(
            "ix_uploads_participant_code_received_at",
            ["participant_code", "received_at"],
            unique=False,
        )

    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("email", sa.String(length=320), nullable=False, comment="Stored lower case"),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column(
            "participant_code",
            sa.String(length=3),
            nullable=True,
            comment="The one participant a liaison may act for",
        ),
        sa.Column("password_hash", sa.String(length=500), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(role = 'liaison') = (participant_code IS NOT NULL)",
            name=op.f("ck_users_liaison_has_participant"),
        ),
        sa.CheckConstraint(
            "role IN ('liaison', 'secretariat', 'admin')",
            name=op.f("ck_users_role_known"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_code"],
            ["participants.code"],
            name=op.f("fk_users_participant_code_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("email", name=op.f("uq_users_email")),
    )
    op.create_table(
        "observation_revisions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("participant_code", sa.String(length=3), nullable=False),
        sa.Column("indicator_code", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("value", sa.BigInteger(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by", sa.String(length=320), nullable=False),
        sa.Column("upload_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint("value >= 0", name=op.f("ck_observation_revisions_value_non_negative")),
        sa.ForeignKeyConstraint(
            ["indicator_code"],
            ["indicators.code"],
            name=op.f("fk_observation_revisions_indicator_code_indicators"),
        ),
        sa.ForeignKeyConstraint(
            ["participant_code"],
            ["participants.code"],
            name=op.f("fk_observation_revisions_participant_code_participants"),
        ),
        sa.ForeignKeyConstraint(
            ["upload_id"],
            ["uploads.id"],
            name=op.f("fk_observation_revisions_upload_id_uploads"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_observation_revisions")),
    )
    with op.batch_alter_table("observation_revisions", schema=None) as batch_op:
        batch_op.create_index(
            "ix_observation_revisions_cell",
            ["participant_code", "indicator_code", "year", "id"],
            unique=False,
        )
        batch_op.create_index("ix_observation_revisions_upload_id", ["upload_id"], unique=False)

    _create_append_only_triggers()
    data_state = sa.table(
        "data_state",
        sa.column("id", sa.Integer),
        sa.column("version", sa.BigInteger),
        sa.column("updated_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(data_state, [{"id": 1, "version": 0, "updated_at": datetime.now(UTC)}])


def downgrade() -> None:
    _drop_append_only_triggers()
    with op.batch_alter_table("observation_revisions", schema=None) as batch_op:
        batch_op.drop_index("ix_observation_revisions_upload_id")
        batch_op.drop_index("ix_observation_revisions_cell")

    op.drop_table("observation_revisions")
    op.drop_table("users")
    with op.batch_alter_table("uploads", schema=None) as batch_op:
        batch_op.drop_index("ix_uploads_participant_code_received_at")

    op.drop_table("uploads")
    op.drop_table("observations")
    op.drop_table("reporting_cycles")
    op.drop_table("participants")
    op.drop_table("indicators")
    op.drop_table("data_state")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_events_occurred_at")

    op.drop_table("audit_events")
