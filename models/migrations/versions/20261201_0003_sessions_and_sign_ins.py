"""Server-side sessions and sign-in attempts: signing out revokes a session on the server, and the
limits on failed sign-ins are counted in the database, the same for every process and server.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 09:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "user_sessions",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column(
            "token_hash",
            sa.String(length=64),
            nullable=False,
            comment="Hex SHA-256 of the token in the session cookie (never the token)",
        ),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "expires_at",
            sa.DateTime(timezone=True),
            nullable=False,
            comment="VID_SESSION_MINUTES after sign-in",
        ),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "end_reason",
            sa.String(length=40),
            nullable=True,
            comment="signed_out, password_changed, deactivated or ended_by_admin",
        ),
        sa.Column("address", sa.String(length=64), nullable=True, comment="Client address at sign-in"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_user_sessions_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_user_sessions")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_user_sessions_token_hash")),
    )
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.create_index("ix_user_sessions_user_id", ["user_id"], unique=False)

    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("attempted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "account",
            sa.String(length=320),
            nullable=False,
            comment="The email as typed, trimmed and lower case, whether or not an account has it",
        ),
        sa.Column("address", sa.String(length=64), nullable=False, comment="Client address"),
        sa.Column(
            "outcome",
            sa.String(length=10),
            nullable=False,
            comment="pending (being checked), succeeded, failed, limited (refused unchecked)",
        ),
        sa.CheckConstraint(
            "outcome IN ('pending', 'succeeded', 'failed', 'limited')",
            name=op.f("ck_sign_in_attempts_outcome_known"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.create_index(
            "ix_sign_in_attempts_account_attempted_at", ["account", "attempted_at"], unique=False
        )
        batch_op.create_index(
            "ix_sign_in_attempts_address_attempted_at", ["address", "attempted_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("sign_in_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_sign_in_attempts_address_attempted_at")
        batch_op.drop_index("ix_sign_in_attempts_account_attempted_at")
    op.drop_table("sign_in_attempts")
    with op.batch_alter_table("user_sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_user_sessions_user_id")
    op.drop_table("user_sessions")
