"""Data state epoch: a random token per database, so caches never confuse two databases' versions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28 15:10:00
"""

import uuid
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("data_state") as batch_op:
        batch_op.add_column(
            sa.Column(
                "epoch",
                sa.String(length=32),
                nullable=True,
                comment="Random token set when the database is created; with version, keys caches",
            )
        )
    op.execute(sa.text("UPDATE data_state SET epoch = :epoch").bindparams(epoch=uuid.uuid4().hex))
    with op.batch_alter_table("data_state") as batch_op:
        batch_op.alter_column("epoch", existing_type=sa.String(length=32), nullable=False)


def downgrade() -> None:
    with op.batch_alter_table("data_state") as batch_op:
        batch_op.drop_column("epoch")
