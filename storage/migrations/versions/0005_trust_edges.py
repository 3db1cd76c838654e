"""trust edges: failed link attempts, taken platform requests, process leases; typed names as text

Revision ID: 0005_trust_edges
Revises: 0004_trust
Create Date: 2026-11-26 09:00:00.000000

Display names and custom exam names become unbounded text: encrypted, they are longer than the plain
words (the application still limits what it stores).
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision: str = '0005_trust_edges'
down_revision: str | None = '0009_miniapp'  # re-chained after merging main (was 0004_trust)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('linkattempt',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('linkattempt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linkattempt_user_id'), ['user_id'], unique=False)

    op.create_table('deliveryreceipt',
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=128), nullable=False),
    sa.Column('received_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('deliveryreceipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_deliveryreceipt_received_at'), ['received_at'], unique=False)

    op.create_table('runningprocess',
    sa.Column('id', sqlmodel.sql.sqltypes.AutoString(length=36), nullable=False),
    sa.Column('command', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('host', sqlmodel.sql.sqltypes.AutoString(length=255), nullable=False),
    sa.Column('pid', sa.Integer(), nullable=False),
    sa.Column('started_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('beat_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    )

    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.alter_column('display_name', existing_type=sa.String(length=128), type_=sa.Text(),
                              existing_nullable=True)
    with op.batch_alter_table('studygoal', schema=None) as batch_op:
        batch_op.alter_column('custom_name', existing_type=sa.String(length=200), type_=sa.Text(),
                              existing_nullable=True)


def downgrade() -> None:
    with op.batch_alter_table('studygoal', schema=None) as batch_op:
        batch_op.alter_column('custom_name', existing_type=sa.Text(), type_=sa.String(length=200),
                              existing_nullable=True)
    with op.batch_alter_table('identity', schema=None) as batch_op:
        batch_op.alter_column('display_name', existing_type=sa.Text(), type_=sa.String(length=128),
                              existing_nullable=True)
    op.drop_table('runningprocess')
    with op.batch_alter_table('deliveryreceipt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_deliveryreceipt_received_at'))
    op.drop_table('deliveryreceipt')
    with op.batch_alter_table('linkattempt', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linkattempt_user_id'))
    op.drop_table('linkattempt')
