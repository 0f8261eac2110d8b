"""Between sessions: the client's aftercare page and pain diary.

* ``aftercare_links``: the client's own page (``/nazorg/{token}``); only the sha256 of the
  token, the idle period after which it stops working, its last use and its revocation.
* ``diary_entries``: pain now (0-10), exercises done, "much worse", an optional drawing
  (strokes and the region coverage derived from them), written through such a link.
* ``consents.kind`` allows ``aftercare`` (the link works only with that consent). SQLite cannot
  change a CHECK constraint in place: ``consents`` is copied (nothing refers to it).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
OLD_KINDS = "kind IN ('treatment', 'gp_sharing', 'photos', 'research')"
NEW_KINDS = "kind IN ('treatment', 'gp_sharing', 'photos', 'research', 'aftercare')"


def _consent_kinds(check: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_constraint('ck_consents_kind', 'consents', type_='check')
        op.create_check_constraint('ck_consents_kind', 'consents', check)
        return
    op.create_table(
        'consents_new',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('given', sa.Boolean(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('text_version', sa.String(length=40), nullable=False),
        sa.Column('taken_by', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.CheckConstraint(check, name='ck_consents_kind'),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['taken_by'], ['users.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.execute("INSERT INTO consents_new (id, client_id, kind, given, date, text_version, "
               "taken_by, created_at) SELECT id, client_id, kind, given, date, text_version, "
               "taken_by, created_at FROM consents ORDER BY id")
    op.drop_index('ix_consents_client_id', table_name='consents')
    op.drop_table('consents')
    op.rename_table('consents_new', 'consents')
    op.create_index('ix_consents_client_id', 'consents', ['client_id'])


def upgrade() -> None:
    op.create_table(
        'aftercare_links',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('created_by', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('idle_days', sa.Integer(), nullable=False),
        sa.Column('last_used_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['created_by'], ['users.id'], ),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('token_hash', name='uq_aftercare_links_token_hash'),
    )
    op.create_index('ix_aftercare_links_client_id', 'aftercare_links', ['client_id'])
    op.create_table(
        'diary_entries',
        sa.Column('id', BigId, nullable=False),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False),
        sa.Column('link_id', sa.Integer(), nullable=True),
        sa.Column('at', sa.DateTime(), nullable=False),
        sa.Column('nrs', sa.Integer(), nullable=True),
        sa.Column('exercises_done', sa.Boolean(), nullable=True),
        sa.Column('much_worse', sa.Boolean(), nullable=False),
        sa.Column('strokes', sa.JSON(), nullable=True),
        sa.Column('regions', sa.JSON(), nullable=False),
        sa.Column('chart_version', sa.String(length=20), nullable=True),
        sa.CheckConstraint('nrs IS NULL OR (nrs BETWEEN 0 AND 10)', name='ck_diary_entries_nrs'),
        sa.ForeignKeyConstraint(['client_id'], ['clients.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['link_id'], ['aftercare_links.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['practice_id'], ['practices.id'], ),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_diary_entries_client_at', 'diary_entries', ['client_id', 'at'])
    _consent_kinds(NEW_KINDS)


def downgrade() -> None:
    op.execute("DELETE FROM consents WHERE kind = 'aftercare'")
    _consent_kinds(OLD_KINDS)
    op.drop_index('ix_diary_entries_client_at', table_name='diary_entries')
    op.drop_table('diary_entries')
    op.drop_index('ix_aftercare_links_client_id', table_name='aftercare_links')
    op.drop_table('aftercare_links')
