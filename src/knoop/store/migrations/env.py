"""Alembic environment: always runs on a connection handed over by :func:`knoop.store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import text

from knoop.store.models import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - only via knoop.store.migrate
    raise RuntimeError("run migrations with `knoop db upgrade`")

if connection.dialect.name == "postgresql":
    # Two app servers starting at once: the second waits, then finds nothing to do.
    connection.execute(text("SELECT pg_advisory_xact_lock(7513000)"))

context.configure(connection=connection, target_metadata=Base.metadata,
                  render_as_batch=connection.dialect.name == "sqlite",
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
