"""Optimistic locking and red-flag decisions as records.

* ``clients.version`` and ``sessions.version`` (start at 1): every change adds one; a write
  based on an older version is refused (HTTP 412), so two windows never overwrite each other
  silently.
* ``flag_decisions``: per session and red flag, ``acknowledged`` or ``overridden`` (with the
  written reason), by whom and when. Acknowledgements kept until now in
  ``sessions.intake["red_flags_ack"]`` move there (urgency as stored in the session's ranking),
  and that key is removed from ``intake``.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _moment(text: object) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(text)).replace(tzinfo=None)
    except ValueError:
        return dt.datetime(2026, 12, 3)


def upgrade() -> None:
    op.add_column('clients', sa.Column('version', sa.Integer(), nullable=False,
                                       server_default='1'))
    op.add_column('sessions', sa.Column('version', sa.Integer(), nullable=False,
                                        server_default='1'))
    op.create_table(
        'flag_decisions',
        sa.Column('id', BigId, nullable=False),
        sa.Column('session_id', BigId, nullable=False),
        sa.Column('flag', sa.String(length=64), nullable=False),
        sa.Column('urgency', sa.String(length=20), nullable=False),
        sa.Column('decision', sa.String(length=20), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False, server_default=''),
        sa.Column('decided_by', sa.Integer(), nullable=True),
        sa.Column('decided_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint("decision IN ('acknowledged', 'overridden')",
                           name='ck_flag_decisions_decision'),
        sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['decided_by'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('session_id', 'flag', name='uq_flag_decisions_session_flag'),
    )
    op.create_index('ix_flag_decisions_session_id', 'flag_decisions', ['session_id'])

    bind = op.get_bind()
    sessions = sa.table('sessions', sa.column('id', sa.Integer), sa.column('intake', sa.JSON),
                        sa.column('ranking', sa.JSON))
    users = sa.table('users', sa.column('id', sa.Integer))
    decisions = sa.table('flag_decisions', sa.column('session_id', sa.Integer),
                         sa.column('flag', sa.String), sa.column('urgency', sa.String),
                         sa.column('decision', sa.String), sa.column('reason', sa.Text),
                         sa.column('decided_by', sa.Integer),
                         sa.column('decided_at', sa.DateTime))
    known_users = {u for (u,) in bind.execute(sa.select(users.c.id))}
    for sid, intake, ranking in bind.execute(sa.select(sessions)).all():
        ack = (intake or {}).get('red_flags_ack') if isinstance(intake, dict) else None
        if not isinstance(ack, dict):
            continue
        urgency = {f.get('id'): f.get('urgency', 'caution')
                   for f in ((ranking or {}).get('red_flags') or []) if isinstance(f, dict)}
        by = ack.get('by') if ack.get('by') in known_users else None
        for flag in sorted({f for f in ack.get('flags') or [] if isinstance(f, str)}):
            bind.execute(sa.insert(decisions).values(
                session_id=sid, flag=flag[:64], urgency=str(urgency.get(flag, 'caution')),
                decision='acknowledged', reason='', decided_by=by,
                decided_at=_moment(ack.get('at'))))
        rest = {k: v for k, v in intake.items() if k != 'red_flags_ack'}
        bind.execute(sa.update(sessions).where(sessions.c.id == sid).values(intake=rest))


def downgrade() -> None:
    op.drop_index('ix_flag_decisions_session_id', table_name='flag_decisions')
    op.drop_table('flag_decisions')
    with op.batch_alter_table('sessions') as batch:
        batch.drop_column('version')
    with op.batch_alter_table('clients') as batch:
        batch.drop_column('version')
