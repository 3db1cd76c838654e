"""ai consent: whether a user's words may go to the operator's AI model, and when they were asked

Revision ID: 0010_ai_consent
Revises: 0008_plan
Create Date: 2026-11-30 16:30:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import storage.types


revision: str = '0010_ai_consent'
down_revision: str | None = '0008_plan'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('ai_consent', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('ai_consent_asked_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('ai_consent_at', storage.types.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('ai_consent_at')
        batch_op.drop_column('ai_consent_asked_at')
        batch_op.drop_column('ai_consent')
