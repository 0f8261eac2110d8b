"""Erasure with a reason code, and the erasure register; list views that log whom they show.

* :meth:`ErasureMixin.erase_client` takes a reason **code** (:data:`CODES`), which is all the
  permanent access log gets, and an optional free-text ``note`` (it may name the client or a
  diagnosis), which goes to the erasure register only. The register (``erasures``) is what a
  restore re-applies (:mod:`knoop.store.backup`); it holds ids, the code, the time and the note,
  and may be cleaned by the operator, unlike the access log.
* :meth:`ErasureMixin.search_clients` access-logs every client a list shows (one ``list``
  entry per client, with its id), so "who saw this client's name and birth date" is answered
  by :meth:`access_for_client`.

Both wrap the methods of :mod:`knoop.store.retention` and :mod:`knoop.store.clients`.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import BadInput
from knoop.store import audit
from knoop.store import validate as v
from knoop.store.clients import ClientsMixin
from knoop.store.models import ErasureRow
from knoop.store.retention import RetentionMixin
from knoop.store.types import Actor, ClientSummary

CODES = ("on_request", "retention_expired", "duplicate", "entered_in_error", "other")
#: Free texts of before 0.3 (and the CLI's old default) that are a code in disguise.
ALIASES = {"on request": "on_request", "on request of the client": "on_request",
           "op verzoek": "on_request", "retention": "retention_expired"}


def reason_code(reason: str, note: str) -> tuple[str, str]:
    """(code, note): a known code stays; any other text becomes code ``other`` with the text
    moved into the note, so it never reaches the permanent log."""
    text = (reason or "").strip()
    if text in CODES:
        return text, note
    if text.lower() in ALIASES:
        return ALIASES[text.lower()], note
    if not text:
        raise BadInput("reason: is required; allowed: " + ", ".join(CODES), field="reason",
                       allowed=CODES)
    return "other", (text + ("; " + note if note else ""))


class ErasureMixin(ClientsMixin, RetentionMixin):
    def erase_client(self, actor: Actor, client_id: int, *, reason: str = "on_request",
                     note: str = "") -> None:
        """Erase a client's dossier (admins only; see :meth:`RetentionMixin.erase_client`).
        ``reason`` is a code from :data:`CODES`; ``note`` is free text for the erasure register,
        never for the access log."""
        code, note = reason_code(reason, note)
        note = v.text("note", note, max_len=500)
        if not actor.is_admin:
            super().erase_client(actor, client_id, reason=code)  # refuses, as the core does
            return

        def register(s: OrmSession) -> int:
            row = ErasureRow(practice_id=actor.practice_id, client_id=client_id,
                             erased_at=self.clock(), erased_by=actor.user_id, code=code,
                             note=note)
            s.add(row)
            s.flush()
            return row.id
        rid = self._run(register)
        try:
            super().erase_client(actor, client_id, reason=code)
        except BaseException:
            self._run(lambda s: s.execute(delete(ErasureRow).where(ErasureRow.id == rid)))
            raise

    def search_clients(self, actor: Actor, query: str = "",
                       limit: int = 20) -> list[ClientSummary]:
        found = super().search_clients(actor, query, limit)
        if found:
            def shown(s: OrmSession) -> None:
                for c in found:
                    audit.append(s, at=self.clock(), actor=actor, action="list",
                                 client_id=c.id, obj=f"client:{c.id}", detail="client list")
            self._run(shown)
        return found
