"""Practice administration: the practice's details in the database, and the first start.

* ``practices``: address, AGB code, registration numbers, phone, e-mail, website, a logo
  (bytes and media type, size-limited by the store) and a version (a stale edit is refused).
* ``installation``: at most one row (``id = 1``), written by the browser's first start in the
  same transaction as the first practice and admin; a second, racing first start hits the
  primary key and is refused. An installation that already has users gets its row here.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

COLUMNS = (
    ('address', sa.String(length=300)),
    ('postcode', sa.String(length=10)),
    ('agb_code', sa.String(length=8)),
    ('registration', sa.String(length=200)),
    ('phone', sa.String(length=40)),
    ('email', sa.String(length=254)),
    ('website', sa.String(length=200)),
)


def upgrade() -> None:
    for name, type_ in COLUMNS:
        op.add_column('practices', sa.Column(name, type_, nullable=False, server_default=''))
    op.add_column('practices', sa.Column('logo', sa.LargeBinary(), nullable=True))
    op.add_column('practices', sa.Column('logo_type', sa.String(length=20), nullable=True))
    op.add_column('practices', sa.Column('version', sa.Integer(), nullable=False,
                                         server_default='1'))
    op.create_table(
        'installation',
        sa.Column('id', sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column('set_up_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint('id = 1', name='ck_installation_one_row'),
    )
    op.execute("INSERT INTO installation (id, set_up_at) SELECT 1, MIN(created_at) FROM users "
               "HAVING COUNT(*) > 0")


def downgrade() -> None:
    op.drop_table('installation')
    # Plain DROP COLUMN (SQLite >= 3.35 too): a batch copy of ``practices`` would drop the
    # table that every user and client refers to, which the foreign keys refuse.
    for name in ('version', 'logo_type', 'logo', *reversed([c for c, _t in COLUMNS])):
        op.drop_column('practices', name)
