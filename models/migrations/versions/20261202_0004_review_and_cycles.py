"""Review of submissions and closed reporting cycles: an upload's review status, the snapshots frozen
when a cycle closes (append-only, like the revisions) and the lock exceptions the secretariat grants.

Every upload that recorded values before this revision is accepted: those figures were public and
counted before review existed, so they keep counting (docs/metrics.md, "Which figures count").

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 01:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# cycle_snapshots is append-only: no UPDATE ever, DELETE only of a snapshot of demonstration data.
_SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER cycle_snapshots_no_update BEFORE UPDATE ON cycle_snapshots
    BEGIN SELECT RAISE(ABORT, 'cycle_snapshots is append-only: rows are never updated'); END
    """,
    """
    CREATE TRIGGER cycle_snapshots_no_delete BEFORE DELETE ON cycle_snapshots
    WHEN NOT OLD.demonstration
    BEGIN SELECT RAISE(ABORT, 'cycle_snapshots is append-only: real snapshots are never deleted'); END
    """,
)
_POSTGRESQL_TRIGGERS = (
    """
    CREATE FUNCTION cycle_snapshots_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' THEN
            RAISE EXCEPTION 'cycle_snapshots is append-only: rows are never updated';
        END IF;
        IF NOT OLD.demonstration THEN
            RAISE EXCEPTION 'cycle_snapshots is append-only: real snapshots are never deleted';
        END IF;
        RETURN OLD;
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER cycle_snapshots_append_only
    BEFORE UPDATE OR DELETE ON cycle_snapshots
    FOR EACH ROW EXECUTE FUNCTION cycle_snapshots_append_only()
    """,
)


def upgrade() -> None:
    op.add_column(
        "uploads",
        sa.Column(
            "review_status",
            sa.String(length=10),
            nullable=True,
            comment="submitted, accepted or returned for an upload that recorded values; null otherwise",
        ),
    )
    op.add_column(
        "uploads",
        sa.Column("reviewed_by", sa.String(length=320), nullable=True, comment="Who accepted or returned it"),
    )
    op.add_column("uploads", sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True))
    op.add_column(
        "uploads",
        sa.Column("review_comment", sa.Text(), nullable=True, comment="Why it was returned (or accepted)"),
    )
    op.create_index("ix_uploads_review_status", "uploads", ["review_status"], unique=False)
    # What was recorded before review existed counted, and keeps counting.
    op.execute("UPDATE uploads SET review_status = 'accepted' WHERE outcome = 'loaded'")

    op.create_table(
        "cycle_snapshots",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=320), nullable=False),
        sa.Column(
            "data_version", sa.BigInteger(), nullable=False, comment="data_state.version when it was closed"
        ),
        sa.Column(
            "sha256", sa.String(length=64), nullable=False, comment="Hex SHA-256 of canonical_csv in UTF-8"
        ),
        sa.Column("canonical_csv", sa.Text(), nullable=False),
        sa.Column(
            "demonstration",
            sa.Boolean(),
            server_default=sa.false(),
            nullable=False,
            comment="Closed over demonstration data",
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["reporting_cycles.id"], name=op.f("fk_cycle_snapshots_cycle_id_reporting_cycles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycle_snapshots")),
    )
    op.create_index("ix_cycle_snapshots_cycle_id", "cycle_snapshots", ["cycle_id"], unique=False)

    op.create_table(
        "lock_exceptions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("participant_code", sa.String(length=3), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("granted_by", sa.String(length=320), nullable=False),
        sa.Column("granted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("until", sa.Date(), nullable=False, comment="Last day (UTC) on which the exception holds"),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["reporting_cycles.id"], name=op.f("fk_lock_exceptions_cycle_id_reporting_cycles")
        ),
        sa.ForeignKeyConstraint(
            ["participant_code"],
            ["participants.code"],
            name=op.f("fk_lock_exceptions_participant_code_participants"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lock_exceptions")),
    )
    op.create_index(
        "ix_lock_exceptions_cycle_id_participant_code",
        "lock_exceptions",
        ["cycle_id", "participant_code"],
        unique=False,
    )

    statements = _POSTGRESQL_TRIGGERS if op.get_bind().dialect.name == "postgresql" else _SQLITE_TRIGGERS
    for statement in statements:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS cycle_snapshots_append_only ON cycle_snapshots")
        op.execute("DROP FUNCTION IF EXISTS cycle_snapshots_append_only()")
    else:
        op.execute("DROP TRIGGER IF EXISTS cycle_snapshots_no_update")
        op.execute("DROP TRIGGER IF EXISTS cycle_snapshots_no_delete")
    op.drop_index("ix_lock_exceptions_cycle_id_participant_code", table_name="lock_exceptions")
    op.drop_table("lock_exceptions")
    op.drop_index("ix_cycle_snapshots_cycle_id", table_name="cycle_snapshots")
    op.drop_table("cycle_snapshots")
    op.drop_index("ix_uploads_review_status", table_name="uploads")
    # Plain ALTER TABLE ... DROP COLUMN (SQLite 3.35+): a batch copy of uploads would trip the
    # observation_revisions triggers that read it.
    for column in ("review_comment", "reviewed_at", "reviewed_by", "review_status"):
        op.execute(f"ALTER TABLE uploads DROP COLUMN {column}")
