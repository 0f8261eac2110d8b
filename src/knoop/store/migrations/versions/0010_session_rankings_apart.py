"""The ranking snapshot leaves the session row: ``session_rankings`` (session_id, ranking).

A snapshot is 6-35 kB of JSON; inline, it made every session row a chain of pages, so every
scan of ``sessions`` (lists, the CSV export, the history) read them: 16 GB for a practice of a
million sessions. Now a session row is small and its snapshot is stored apart, zlib-compressed
(:mod:`knoop.store.snapshot`; 5-10 times smaller), and read only where it is shown.

Upgrade: the new table, each stored snapshot copied over in batches of ``BATCH`` sessions
(compressed as stored, so it reads back exactly), then ``sessions.ranking`` dropped. Plain
``DROP COLUMN`` on SQLite (>= 3.35): a batch copy of ``sessions`` would drop the table every
finding, treatment and note refers to. SQLite keeps the freed pages in the file until
``VACUUM``. Downgrade: the column back, the snapshots copied back, the table dropped.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 17:00:00
"""

from __future__ import annotations

import json
import zlib

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
#: Sessions per batch (a batch of snapshots is up to ~20 MB of JSON in memory).
BATCH = 500
#: The zlib level of :mod:`knoop.store.snapshot` (any level reads back the same).
LEVEL = 6

sessions = sa.table('sessions', sa.column('id', BigId), sa.column('ranking', sa.Text))
rankings = sa.table('session_rankings', sa.column('session_id', BigId),
                    sa.column('ranking', sa.LargeBinary))


def upgrade() -> None:
    op.create_table(
        'session_rankings',
        sa.Column('session_id', BigId, autoincrement=False, nullable=False),
        sa.Column('ranking', sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('session_id'),
    )
    bind = op.get_bind()
    # the JSON as stored (PostgreSQL's ``json`` keeps its text): compressed, not re-encoded
    stored = sa.cast(sessions.c.ranking, sa.Text)
    last = 0
    while True:
        rows = bind.execute(sa.select(sessions.c.id, stored)
                            .where(sessions.c.id > last, sessions.c.ranking.is_not(None))
                            .order_by(sessions.c.id).limit(BATCH)).all()
        if not rows:
            break
        batch = [{"session_id": sid, "ranking": zlib.compress(text.encode("utf-8"), LEVEL)}
                 for sid, text in rows if text and text.strip() != "null"]
        if batch:
            bind.execute(rankings.insert(), batch)
        last = rows[-1][0]
    op.drop_column('sessions', 'ranking')


def downgrade() -> None:
    op.add_column('sessions', sa.Column('ranking', sa.JSON(), nullable=True))
    bind = op.get_bind()
    target = sa.table('sessions', sa.column('id', BigId), sa.column('ranking', sa.JSON))
    last = 0
    while True:
        rows = bind.execute(sa.select(rankings.c.session_id, rankings.c.ranking)
                            .where(rankings.c.session_id > last)
                            .order_by(rankings.c.session_id).limit(BATCH)).all()
        if not rows:
            break
        bind.execute(target.update().where(target.c.id == sa.bindparam("sid"))
                     .values(ranking=sa.bindparam("data")),
                     [{"sid": sid, "data": json.loads(zlib.decompress(bytes(data)))}
                      for sid, data in rows])
        last = rows[-1][0]
    op.drop_table('session_rankings')
