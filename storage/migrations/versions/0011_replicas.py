"""replicas: the Telegram inbox (each update written before it is acknowledged), one send pace per token

Revision ID: 0011_replicas
Revises: 0010_ai_consent
Create Date: 2026-11-30 16:30:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.crypto
import storage.types


revision: str = '0011_replicas'
down_revision: str | None = '0010_ai_consent'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('telegraminbox',
    sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
    sa.Column('payload', storage.crypto.EncryptedText(), nullable=False),
    sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=False),
    sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('update_id')
    )
    with op.batch_alter_table('telegraminbox', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_telegraminbox_claimed_at'), ['claimed_at'], unique=False)

    op.create_table('sendpace',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('next_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recent', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )


def downgrade() -> None:
    op.drop_table('sendpace')
    with op.batch_alter_table('telegraminbox', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_telegraminbox_claimed_at'))
    op.drop_table('telegraminbox')
