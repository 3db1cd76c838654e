"""plan: pause periods, plan changes, the exam date a result belongs to, and the user's latest slot

Revision ID: 0008_plan
Revises: 0004_trust
Create Date: 2026-11-26 09:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
import sqlmodel
from alembic import op

import storage.types


revision: str = '0008_plan'
down_revision: str | None = '0005_trust_edges'  # re-chained after merging main (was 0004_trust)
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('pauseperiod',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('created_at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('pauseperiod', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pauseperiod_user_id'), ['user_id'], unique=False)

    op.create_table('planchange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('at', storage.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
    sa.Column('weekly_hours', sa.Float(), nullable=False),
    sa.Column('exam_date', sa.Date(), nullable=True),
    sa.Column('previous_weekly_hours', sa.Float(), nullable=False),
    sa.Column('previous_exam_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['goal_id'], ['studygoal.id'], ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('planchange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_planchange_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_planchange_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('examresult', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exam_date', sa.Date(), nullable=True))

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_slot_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checkin_sent_at', storage.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('checkin_seen_at', storage.types.UTCDateTime(timezone=True), nullable=True))

    # What can be known of the past: each user's latest slot, the exam date of results whose goal still has
    # it, and a pause in force now (from today: when it began was never stored).
    op.execute(
        'UPDATE "user" SET last_slot_at = '
        '(SELECT MAX(checkinslot.slot_at) FROM checkinslot WHERE checkinslot.user_id = "user".id)'
    )
    op.execute(
        'UPDATE examresult SET exam_date = (SELECT studygoal.exam_date FROM studygoal '
        'WHERE studygoal.id = examresult.goal_id)'
    )
    user = sa.table(
        'user',
        sa.column('id', sa.Integer()),
        sa.column('checkins_paused', sa.Boolean()),
        sa.column('paused_until', sa.Date()),
    )
    pauses = sa.table(
        'pauseperiod',
        sa.column('user_id', sa.Integer()),
        sa.column('starts_on', sa.Date()),
        sa.column('ends_on', sa.Date()),
        sa.column('created_at', storage.types.UTCDateTime(timezone=True)),
    )
    now = datetime.now(UTC)
    paused = op.get_bind().execute(
        sa.select(user.c.id, user.c.paused_until).where(user.c.checkins_paused.is_(True))
    ).all()
    if paused:
        op.bulk_insert(
            pauses,
            [
                {'user_id': user_id, 'starts_on': now.date(), 'ends_on': until, 'created_at': now}
                for user_id, until in paused
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('checkin_seen_at')
        batch_op.drop_column('checkin_sent_at')
        batch_op.drop_column('last_slot_at')

    with op.batch_alter_table('examresult', schema=None) as batch_op:
        batch_op.drop_column('exam_date')

    with op.batch_alter_table('planchange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_planchange_user_id'))
        batch_op.drop_index(batch_op.f('ix_planchange_goal_id'))

    op.drop_table('planchange')
    with op.batch_alter_table('pauseperiod', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pauseperiod_user_id'))

    op.drop_table('pauseperiod')
