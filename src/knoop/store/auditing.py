"""The store's access-log checks with the instance's key and anchor (``knoop audit verify``).

Overrides :meth:`RetentionMixin.verify_access_log`, which checks without them.
"""

from __future__ import annotations

from knoop.errors import Forbidden
from knoop.store import audit
from knoop.store.clients import ClientsMixin
from knoop.store.retention import RetentionMixin
from knoop.store.types import Actor, ChainReport


class AuditMixin(ClientsMixin, RetentionMixin):
    def check_full_export(self, actor: Actor, client_id: int) -> None:
        """The role rule for exporting a client's whole record (the dossier, the client's FHIR
        Bundle): admins only, as the copy is complete and may include the access log. Another
        practice gets NotFound first, exactly as for a client that does not exist."""
        if actor.is_admin:
            return
        self.get_client(actor, client_id)
        raise Forbidden("only an admin can export the full dossier: it includes the access log")

    def verify_access_log(self) -> ChainReport:
        """The keyed chain, the head row, the anchor outside the database and the append-only
        triggers (:func:`knoop.store.audit.verify`)."""
        return audit.verify(self.engine, self.audit_key, self.audit_anchor)
