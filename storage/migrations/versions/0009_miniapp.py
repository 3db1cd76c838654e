"""miniapp: the last App Home published per identity; a person's journal by date from one index

Revision ID: 0009_miniapp
Revises: 0004_trust
Create Date: 2026-11-30 12:00:00
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision: str = '0009_miniapp'
down_revision: str | None = '0006_understanding'  # re-chained after merging main (was 0004_trust)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('publishedview',
    sa.Column('identity_id', sa.Integer(), nullable=False),
    sa.Column('surface', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('digest', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
    sa.Column('platform_hash', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=True),
    sa.Column('published_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['identity_id'], ['identity.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('identity_id', 'surface')
    )
    with op.batch_alter_table('journalentry', schema=None) as batch_op:
        batch_op.create_index('ix_journalentry_user_id_created_at', ['user_id', 'created_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('journalentry', schema=None) as batch_op:
        batch_op.drop_index('ix_journalentry_user_id_created_at')
    op.drop_table('publishedview')
