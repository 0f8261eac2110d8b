"""The store's access-log checks with the instance's key and anchor (``knoop audit verify``).

Overrides :meth:`RecordsMixin.verify_access_log`, which checks without them; that method moves
here once the restructuring of ``records.py`` has landed.
"""

from __future__ import annotations

from knoop.store import audit
from knoop.store.base import StoreBase
from knoop.store.types import ChainReport


class AuditMixin(StoreBase):
    def verify_access_log(self) -> ChainReport:
        """The keyed chain, the head row, the anchor outside the database and the append-only
        triggers (:func:`knoop.store.audit.verify`)."""
        return audit.verify(self.engine, self.audit_key, self.audit_anchor)
