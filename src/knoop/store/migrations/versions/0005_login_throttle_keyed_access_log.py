"""Security: a per-key login throttle, server-side pending logins, single-use TOTP codes, idle
login sessions, a keyed access log that refuses UPDATE, DELETE and TRUNCATE, and the erasure
register.

* ``login_throttle``: one row per throttled key (``user:<e-mail>`` or ``ip:<address>``) with
  its failure count, last failure and lock; updated under a row lock, so parallel guesses are
  counted exactly.
* ``login_pending``: the password step of a two-step login (only the sha256 of a random token);
  replaces the encrypted password cookie.
* ``users.totp_last_step``: the last TOTP time step used, so a code works once;
  ``users.totp_secret`` widened to 200 characters for the encrypted secret (``v1:...``).
* ``login_sessions.last_seen``: for the idle timeout (existing sessions: their start).
* ``access_log.key_id``: which HMAC key sealed the row (NULL: the unkeyed sha256 rows written
  before this revision).
* Triggers on ``access_log`` that refuse UPDATE and DELETE (SQLite, PostgreSQL) and TRUNCATE
  (PostgreSQL).
* ``erasures``: which clients were erased when (and the free-text reason, kept out of the
  permanent access log); a restore re-applies it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 11:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

SQLITE_TRIGGERS = (
    ("CREATE TRIGGER access_log_no_update BEFORE UPDATE ON access_log "
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END"),
    ("CREATE TRIGGER access_log_no_delete BEFORE DELETE ON access_log "
    "BEGIN SELECT RAISE(ABORT, 'access_log is append-only'); END"),
)
PG_TRIGGERS = (
    ("CREATE OR REPLACE FUNCTION knoop_access_log_append_only() RETURNS trigger "
    "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'access_log is append-only' "
    "USING ERRCODE = 'insufficient_privilege'; END $$"),
    ("CREATE TRIGGER access_log_no_update BEFORE UPDATE OR DELETE ON access_log "
    "FOR EACH ROW EXECUTE FUNCTION knoop_access_log_append_only()"),
    ("CREATE TRIGGER access_log_no_truncate BEFORE TRUNCATE ON access_log "
    "FOR EACH STATEMENT EXECUTE FUNCTION knoop_access_log_append_only()"),
)


def upgrade() -> None:
    op.create_table(
        'login_throttle',
        sa.Column('key', sa.String(length=300), primary_key=True),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_at', sa.DateTime(), nullable=True),
        sa.Column('locked_until', sa.DateTime(), nullable=True),
    )
    op.create_table(
        'login_pending',
        sa.Column('token_hash', sa.String(length=64), primary_key=True),
        sa.Column('user_id', sa.Integer(), sa.ForeignKey('users.id', ondelete='CASCADE'),
                  nullable=False, index=True),
        sa.Column('ip', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_at', sa.DateTime(), nullable=False),
    )
    op.create_table(
        'erasures',
        sa.Column('id', sa.Integer(), primary_key=True),
        sa.Column('practice_id', sa.Integer(), nullable=False),
        sa.Column('client_id', sa.Integer(), nullable=False, index=True),
        sa.Column('erased_at', sa.DateTime(), nullable=False),
        sa.Column('erased_by', sa.Integer(), nullable=True),
        sa.Column('code', sa.String(length=30), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=False, server_default=''),
    )
    op.add_column('users', sa.Column('totp_last_step', sa.BigInteger(), nullable=True))
    if op.get_bind().dialect.name == "postgresql":  # SQLite does not enforce lengths
        op.alter_column('users', 'totp_secret', type_=sa.String(length=200),
                        existing_type=sa.String(length=64), existing_nullable=True)
    op.add_column('login_sessions', sa.Column('last_seen', sa.DateTime(), nullable=True))
    op.execute("UPDATE login_sessions SET last_seen = created_at")
    op.add_column('access_log', sa.Column('key_id', sa.String(length=16), nullable=True))
    triggers = SQLITE_TRIGGERS if op.get_bind().dialect.name == "sqlite" else PG_TRIGGERS
    for stmt in triggers:
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS access_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS access_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS access_log_no_update ON access_log")
        op.execute("DROP TRIGGER IF EXISTS access_log_no_truncate ON access_log")
        op.execute("DROP FUNCTION IF EXISTS knoop_access_log_append_only()")
    op.drop_column('access_log', 'key_id')
    with op.batch_alter_table('login_sessions') as b:
        b.drop_column('last_seen')
    with op.batch_alter_table('users') as b:
        b.drop_column('totp_last_step')
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column('users', 'totp_secret', type_=sa.String(length=64),
                        existing_type=sa.String(length=200), existing_nullable=True)
    op.drop_table('erasures')
    op.drop_table('login_pending')
    op.drop_table('login_throttle')
