"""Repair text that the stricter input rules of 0.2 refuse, so no stored row can break a page.

Before these rules a JSON column could hold a lone surrogate ("\\ud800") or a NUL, most notably
the acknowledged red-flag IDs in ``sessions.intake["red_flags_ack"]["flags"]``: every later read
of that session failed. This migration walks the JSON columns of ``sessions``:

* acknowledged red-flag IDs that are not an ID (lower-case letters, digits and ``_``, at most
  64 characters) are dropped;
* in every other string, lone surrogates and control characters (other than tab and line
  breaks) become U+FFFD, the Unicode replacement character.

Rows that are already valid are left untouched. There is no downgrade: the removed values were
never valid.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

ID = re.compile(r"^[a-z0-9_]{1,64}$")
COLUMNS = ("symptoms", "causes", "screening", "intake", "painmap", "strokes", "ranking",
           "regions")


def _clean(text: str) -> str:
    return "".join("\ufffd" if unicodedata.category(c) == "Cs"
                   or (unicodedata.category(c) == "Cc" and c not in "\n\t\r") else c
                   for c in text)


def _repair(x: Any) -> Any:
    if isinstance(x, str):
        return _clean(x)
    if isinstance(x, list):
        return [_repair(i) for i in x]
    if isinstance(x, dict):
        return {_clean(k) if isinstance(k, str) else k: _repair(i) for k, i in x.items()}
    return x


def _repair_intake(intake: Any) -> Any:
    if isinstance(intake, dict):
        ack = intake.get("red_flags_ack")
        if isinstance(ack, dict) and isinstance(ack.get("flags"), list):
            intake = dict(intake)
            intake["red_flags_ack"] = dict(ack, flags=[f for f in ack["flags"]
                                                      if isinstance(f, str) and ID.match(f)])
    return _repair(intake)


def upgrade() -> None:
    bind = op.get_bind()
    sessions = sa.table("sessions", sa.column("id", sa.Integer),
                        *(sa.column(c, sa.JSON) for c in COLUMNS))
    rows = bind.execute(sa.select(sessions)).mappings().all()
    for row in rows:
        changes = {}
        for col in COLUMNS:
            old = row[col]
            new = _repair_intake(old) if col == "intake" else _repair(old)
            if json.dumps(new, sort_keys=True) != json.dumps(old, sort_keys=True):
                changes[col] = new
        if changes:
            bind.execute(sa.update(sessions).where(sessions.c.id == row["id"]).values(**changes))


def downgrade() -> None:
    pass
