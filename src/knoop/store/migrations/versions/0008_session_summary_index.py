"""Practices at scale: an index that holds the session summary, and one on clients by practice.

* ``ix_sessions_client_summary`` (client_id, started_at, id, practice_id, status, nrs_before,
  nrs_after, therapist_id, next_appointment, kb_version): lists and the CSV export read these
  columns from the index. On SQLite a session row stores its ranking snapshot (6-35 kB) before
  ``kb_version``, ``nrs_before``, ... so reading those from the row walks its overflow pages:
  the whole 16 GB of a practice of a million sessions for one export.
* ``ix_clients_practice_id`` (practice_id, id): the export's keyset pages of one practice.

Revision ID: 0008
Revises: 0006
Create Date: 2026-12-03 14:30:00
"""

from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0006'
branch_labels = None
depends_on = None

SUMMARY = ["client_id", "started_at", "id", "practice_id", "status", "nrs_before", "nrs_after",
           "therapist_id", "next_appointment", "kb_version"]


def upgrade() -> None:
    op.create_index("ix_sessions_client_summary", "sessions", SUMMARY)
    op.create_index("ix_clients_practice_id", "clients", ["practice_id", "id"])


def downgrade() -> None:
    op.drop_index("ix_clients_practice_id", table_name="clients")
    op.drop_index("ix_sessions_client_summary", table_name="sessions")
