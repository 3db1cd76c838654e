"""understanding: notes in the journal (a kind per entry) and cooling-off reminders

Revision ID: 0006_understanding
Revises: 0004_trust
Create Date: 2026-11-30 12:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision: str = '0006_understanding'
down_revision: str | None = '0004_trust'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('journalentry', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                'kind',
                sqlmodel.sql.sqltypes.AutoString(length=16),
                nullable=False,
                server_default='reflection',
            )
        )
    op.create_table('coolingoff',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('note_id', sa.Integer(), nullable=False),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('reason', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=True),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True),
    sa.Column('claimed_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('sent_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('action_at', storage.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['note_id'], ['journalentry.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('note_id'),
    )
    with op.batch_alter_table('coolingoff', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coolingoff_user_id'), ['user_id'], unique=False)
        batch_op.create_index(
            'ix_coolingoff_action_at',
            ['action_at'],
            unique=False,
            postgresql_where=sa.text('action_at IS NOT NULL'),
            sqlite_where=sa.text('action_at IS NOT NULL'),
        )


def downgrade() -> None:
    with op.batch_alter_table('coolingoff', schema=None) as batch_op:
        batch_op.drop_index('ix_coolingoff_action_at')
        batch_op.drop_index(batch_op.f('ix_coolingoff_user_id'))
    op.drop_table('coolingoff')
    with op.batch_alter_table('journalentry', schema=None) as batch_op:
        batch_op.drop_column('kind')
