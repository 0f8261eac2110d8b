"""Clients: create (idempotent by request ID), read, change, search, their history, the
waiting intake drafts, and the whole dossier."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import BadInput, DuplicateClient
from knoop.store import audit
from knoop.store import validate as v
from knoop.store.diary import diary_export
from knoop.store.models import (
    CONSENT_KINDS,
    ClientRow,
    ConsentRow,
    SessionRow,
)
from knoop.store.rows import (
    CLIENT_FIELDS,
    SUMMARY_COLUMNS,
    client_of,
    full_name,
    retention_date,
    search_keys,
)
from knoop.store.scoping import ScopedBase
from knoop.store.types import (
    Actor,
    Client,
    ClientMatch,
    ClientSummary,
    Consent,
    SessionSummary,
    WaitingIntake,
)


class ClientsMixin(ScopedBase):
    # ---- clients ---------------------------------------------------------------------------
    def _client_values(self, data: dict[str, Any], partial: bool) -> dict[str, Any]:
        unknown = set(data) - set(CLIENT_FIELDS)
        if unknown:
            f = min(unknown)
            raise BadInput(f"{f}: unknown client field", field=f, allowed=CLIENT_FIELDS)
        out: dict[str, Any] = {}
        for f, val in data.items():
            if f in ("first_name", "last_name"):
                out[f] = v.text(f, val, max_len=100, required=True, multiline=False,
                                name=True)
            elif f == "infix":
                out[f] = v.text(f, val, max_len=30, multiline=False, name=True)
            elif f == "date_of_birth":
                try:
                    d = v.date(f, val)
                except BadInput as exc:  # after 2200 is in the future too, and says so
                    if exc.kind != "date_range" or str(val) < self.clock().date().isoformat():
                        raise
                    d = dt.date.max
                if d is not None and d > self.clock().date():
                    raise BadInput(f"date_of_birth: {val} is in the future", field=f,
                                   kind="future")
                if d is not None and d < dt.date(1900, 1, 1):
                    raise BadInput(f"date_of_birth: {d} is before 1900", field=f,
                                   kind="date_range")
                out[f] = d
            elif f == "email":
                out[f] = v.email(f, val, required=False)
            elif f == "phone":
                out[f] = v.text(f, val, max_len=40, multiline=False)
            elif f == "gp_name":
                out[f] = v.text(f, val, max_len=200, multiline=False, name=True)
        if not partial:
            for f in ("first_name", "last_name"):
                if f not in out:
                    raise BadInput(f"{f}: is required", field=f, kind="required")
        return out

    def _consent_values(self, consents: Any) -> list[dict[str, Any]]:
        """Check the ``consents=`` of :meth:`create_client`: a list of ``{kind, given,
        text_version, date}`` (``given`` defaults to true, ``date`` to today)."""
        if consents is None:
            return []
        if not isinstance(consents, (list, tuple)):
            raise BadInput("consents: must be a list of consents", field="consents")
        out = []
        for i, con in enumerate(consents):
            f = f"consents[{i}]"
            if not isinstance(con, dict):
                raise BadInput(f"{f}: must be {{kind, given, text_version, date}}", field=f)
            unknown = set(con) - {"kind", "given", "text_version", "date"}
            if unknown:
                raise BadInput(f"{f}.{min(unknown)}: unknown consent field",
                               field=f"{f}.{min(unknown)}",
                               allowed=("kind", "given", "text_version", "date"))
            given = con.get("given", True)
            if not isinstance(given, bool):
                raise BadInput(f"{f}.given: must be true or false", field=f"{f}.given")
            out.append({"kind": v.choice(f"{f}.kind", con.get("kind"), CONSENT_KINDS),
                        "given": given,
                        "text_version": v.text(f"{f}.text_version", con.get("text_version"),
                                               max_len=40, required=True),
                        "date": v.date(f"{f}.date", con.get("date")) or self.clock().date()})
        return out

    def create_client(self, actor: Actor, *, first_name: str, last_name: str, infix: str = "",
                      date_of_birth: dt.date | str | None = None, email: str = "",
                      phone: str = "", gp_name: str = "",
                      consents: list[dict[str, Any]] | None = None,
                      request_id: str | None = None, allow_duplicate: bool = True) -> Client:
        """A new client, with the ``consents`` taken at intake (``[{kind, given=True,
        text_version, date=today}]``) in the same transaction: a bad consent leaves no client
        behind. ``request_id`` makes a retry idempotent: the same id in the same practice
        returns the client already stored (and records no second set of consents). With
        ``allow_duplicate=False`` a client with the same name and date of birth in the practice
        refuses it (:class:`knoop.errors.DuplicateClient`, listing them): the therapist
        decides, then calls again with ``allow_duplicate=True``."""
        vals = self._client_values(dict(first_name=first_name, last_name=last_name, infix=infix,
                                        date_of_birth=date_of_birth, email=email, phone=phone,
                                        gp_name=gp_name), partial=False)
        cons = self._consent_values(consents)
        if request_id is not None:
            request_id = v.text("request_id", request_id, max_len=64, required=True)
        now = self.clock()

        def existing(s: OrmSession) -> Client | None:
            if request_id is None:
                return None
            r = s.scalar(select(ClientRow).where(ClientRow.practice_id == actor.practice_id,
                                                 ClientRow.request_id == request_id))
            if r is None:
                return None
            self._log(s, actor, "read", r.id, f"client:{r.id}", "retried request_id")
            return client_of(r)

        def op(s: OrmSession) -> Client:
            dup = existing(s)
            if dup is not None:
                return dup
            keys = search_keys(vals["first_name"], vals["infix"], vals["last_name"])
            if not allow_duplicate:
                self._refuse_duplicates(s, actor, keys[2], vals["date_of_birth"], None)
            r = ClientRow(practice_id=actor.practice_id, request_id=request_id, **vals,
                          search_last=keys[0], search_first=keys[1], search_full=keys[2],
                          created_at=now, last_change=now, retention_until=retention_date(now))
            s.add(r)
            s.flush()
            self._log(s, actor, "create", r.id, f"client:{r.id}")
            for con in cons:
                c = ConsentRow(client_id=r.id, taken_by=actor.user_id, created_at=now, **con)
                s.add(c)
                s.flush()
                self._log(s, actor, "create", r.id, f"consent:{c.id}",
                          f"{con['kind']} given={con['given']}")
            return client_of(r)
        try:
            return self._run(op)
        except IntegrityError:
            # two submits of one form raced (PostgreSQL): the other one stored the client
            dup = self._run(existing) if request_id is not None else None
            if dup is None:
                raise
            return dup

    def create_clients(self, actor: Actor, clients: Sequence[Mapping[str, Any]], *,
                       request_ids: Sequence[str] | None = None) -> list[Client]:
        """Several clients (an import batch: the fields of :meth:`create_client`, no consents)
        in one short transaction: all of them or none. Each is checked first; a bad one raises
        :class:`BadInput` whose ``field`` starts with its index (``3.last_name``). With
        ``request_ids`` (one per client) a client whose ID is already stored in the practice is
        returned as stored instead of made twice, so a batch can be retried."""
        vals = []
        for i, data in enumerate(clients):
            try:
                vals.append(self._client_values({**dict.fromkeys(CLIENT_FIELDS, ""),
                                                 "date_of_birth": None, **data}, partial=False))
            except BadInput as exc:
                raise BadInput(f"{i}.{exc.message}", field=f"{i}.{exc.field or ''}",
                               kind=exc.kind) from None
        rids: list[str | None] = [None] * len(vals)
        if request_ids is not None:
            if len(request_ids) != len(vals):
                raise BadInput("request_ids: one per client", field="request_ids")
            rids = [v.text("request_id", r, max_len=64, required=True) for r in request_ids]
        now = self.clock()

        def op(s: OrmSession) -> list[Client]:
            stored: dict[str | None, Client] = {}
            wanted = [r for r in rids if r is not None]
            if wanted:
                stored = {r.request_id: client_of(r) for r in s.scalars(select(ClientRow).where(
                    ClientRow.practice_id == actor.practice_id,
                    ClientRow.request_id.in_(wanted)))}
            new = []
            for val, rid in zip(vals, rids, strict=True):
                if rid is None or rid not in stored:
                    keys = search_keys(val["first_name"], val["infix"], val["last_name"])
                    new.append({**val, "practice_id": actor.practice_id, "request_id": rid,
                                "search_last": keys[0], "search_first": keys[1],
                                "search_full": keys[2], "created_at": now, "last_change": now,
                                "retention_until": retention_date(now), "version": 1})
            made = []
            if new:  # one statement for the batch, and one for its access-log rows
                ids = s.scalars(insert(ClientRow).returning(ClientRow.id,
                                                            sort_by_parameter_order=True),
                                new).all()
                made = [Client(i, actor.practice_id,
                               r["first_name"], r["infix"], r["last_name"],
                               r["date_of_birth"], r["email"], r["phone"], r["gp_name"], now,
                               now, r["retention_until"], 1) for i, r in zip(ids, new, strict=True)]
                audit.append_many(s, at=self.clock(), actor=actor, action="create",
                                  entries=[(c.id, f"client:{c.id}", "") for c in made])
            fresh = iter(made)
            return [stored[rid] if rid is not None and rid in stored else next(fresh)
                    for rid in rids]
        return self._run(op)

    def clients_named(self, actor: Actor, names: Sequence[str]) -> list[ClientMatch]:
        """The practice's clients whose full name ("first infix last", the ``search_first``
        key) is one of ``names`` (accents, case and hyphens ignored), with date of birth and
        request ID: an import checks its rows against them. One index look-up per 500 names, whatever the size of
        the practice; one ``search`` entry, and a ``list`` entry per client found."""
        keys = sorted({v.normalise(n) for n in names})

        def op(s: OrmSession) -> list[ClientMatch]:
            out = []
            for i in range(0, len(keys), 500):
                q = (select(ClientRow.id, ClientRow.first_name, ClientRow.infix,
                            ClientRow.last_name, ClientRow.date_of_birth, ClientRow.request_id)
                     .where(ClientRow.practice_id == actor.practice_id,
                            ClientRow.search_first.in_(keys[i:i + 500]))
                     .order_by(ClientRow.id))
                out += [ClientMatch(r.id, full_name(r.first_name, r.infix, r.last_name),
                                    r.date_of_birth, r.request_id) for r in s.execute(q)]
            self._log(s, actor, "search", None, "clients",
                      f"by name; names={len(keys)}; results={len(out)}")
            for m in out:
                self._log(s, actor, "list", m.id, f"client:{m.id}", "matched by name")
            return out
        return self._run(op)

    def get_client(self, actor: Actor, client_id: int) -> Client:
        def op(s: OrmSession) -> Client:
            r = self._client_row(s, actor, client_id)
            self._log(s, actor, "read", r.id, f"client:{r.id}")
            return client_of(r)
        return self._run(op)

    def update_client(self, actor: Actor, client_id: int, *,
                      expected_version: int | None = None, allow_duplicate: bool = True,
                      **changes: Any) -> Client:
        """Change client fields. With ``expected_version`` the change is refused
        (:class:`StaleVersion`, HTTP 412) when the client changed since that version; with
        ``allow_duplicate=False`` when another client of the practice would then have the
        same name and date of birth (:class:`knoop.errors.DuplicateClient`)."""
        vals = self._client_values(changes, partial=True)

        def op(s: OrmSession) -> Client:
            r = self._client_row(s, actor, client_id, lock=True)
            self._check_version(r, expected_version, "client")
            vals_changed = {k: val for k, val in vals.items() if getattr(r, k) != val}
            for k, val in vals.items():
                setattr(r, k, val)
            r.version = (r.version or 1) + 1
            r.search_last, r.search_first, r.search_full = search_keys(
                r.first_name, r.infix, r.last_name)
            if not allow_duplicate and {"first_name", "infix", "last_name",
                                        "date_of_birth"} & set(vals_changed):
                self._refuse_duplicates(s, actor, r.search_full, r.date_of_birth, r.id)
            self._touch(s, r.id)
            self._log(s, actor, "update", r.id, f"client:{r.id}",
                      "fields=" + ",".join(sorted(vals_changed)))
            return client_of(r)
        return self._run(op)

    def _refuse_duplicates(self, s: OrmSession, actor: Actor, search_full: str,
                           born: dt.date | None, own_id: int | None) -> None:
        """Raise :class:`DuplicateClient` when another client of the practice has this name
        (accents and case ignored) and date of birth. Only their IDs leave the store here
        (the caller reads each one through :meth:`get_client`, which logs the read)."""
        stmt = select(ClientRow.id).where(ClientRow.practice_id == actor.practice_id,
                                          ClientRow.search_full == search_full,
                                          ClientRow.date_of_birth == born)
        if own_id is not None:
            stmt = stmt.where(ClientRow.id != own_id)
        ids = list(s.scalars(stmt.order_by(ClientRow.id).limit(10)))
        if ids:
            raise DuplicateClient("a client with this name and date of birth already exists",
                                  field="last_name", allowed=[str(i) for i in ids])

    def search_clients(self, actor: Actor, query: str = "", limit: int = 20) -> list[ClientSummary]:
        """Prefix search, accents and case ignored: first clients whose last name starts with
        the query (sorted by last name), then whose name with infix does ("van den b"), then
        whose first name does ("jan ber"). An empty query lists clients by last name. Each step
        is one index range scan, so the cost does not grow with the number of clients. Every
        client shown gets its own ``list`` entry in the access log."""
        q = v.normalise(v.text("query", query, max_len=100))
        limit = v.whole("limit", limit, 1, 500) or 20

        def op(s: OrmSession) -> list[ClientSummary]:
            cols = (ClientRow.id, ClientRow.first_name, ClientRow.infix, ClientRow.last_name,
                    ClientRow.date_of_birth, ClientRow.last_change)
            found: dict[int, Any] = {}
            for col in (ClientRow.search_last, ClientRow.search_full, ClientRow.search_first):
                if len(found) >= limit:
                    break
                stmt = select(*cols).where(ClientRow.practice_id == actor.practice_id)
                if q:
                    stmt = stmt.where(col.between(q, q + "\U0010ffff"))
                if found:
                    stmt = stmt.where(ClientRow.id.not_in(list(found)))
                for r in s.execute(stmt.order_by(col, ClientRow.id).limit(limit - len(found))):
                    found[r.id] = r
                if not q:
                    break
            rows = list(found.values())
            self._log(s, actor, "search", None, "clients", f"results={len(rows)}")
            for r in rows:  # NEN 7513: who saw this client's name and birth date
                self._log(s, actor, "list", r.id, f"client:{r.id}", "client list")
            consent: dict[int, bool] = {}
            if rows:
                for cid, given in s.execute(
                        select(ConsentRow.client_id, ConsentRow.given)
                        .where(ConsentRow.client_id.in_([r.id for r in rows]),
                               ConsentRow.kind == "treatment").order_by(ConsentRow.id)):
                    consent[cid] = bool(given)  # the last one recorded is in force
            return [ClientSummary(r.id, full_name(r.first_name, r.infix, r.last_name),
                                  r.date_of_birth, r.last_change, consent.get(r.id))
                    for r in rows]
        return self._run(op)

    def client_history(self, actor: Actor, client_id: int, *, limit: int | None = None,
                       offset: int = 0) -> list[SessionSummary]:
        """The client's sessions, newest first: the summary columns only (never the ranking
        snapshot), ``limit`` of them from ``offset`` (all when None)."""
        def op(s: OrmSession) -> list[SessionSummary]:
            c = self._client_row(s, actor, client_id)
            out = self._summaries(s, c.id, limit, offset)
            self._log(s, actor, "read", c.id, f"client:{c.id}/sessions")
            return out
        return self._run(op)

    def _summaries(self, s: OrmSession, client_id: int, limit: int | None,
                   offset: int) -> list[SessionSummary]:
        q = (select(*SUMMARY_COLUMNS).where(SessionRow.client_id == client_id)
             .order_by(SessionRow.started_at.desc(), SessionRow.id.desc()))
        if limit is not None:
            q = q.limit(limit).offset(offset)
        return [SessionSummary(*r) for r in s.execute(q)]

    def waiting_intakes(self, actor: Actor, limit: int = 50) -> list[WaitingIntake]:
        """Draft sessions (clients' intakes via a link) of the actor's practice that nobody has
        taken over yet, oldest first, with the client's name and the screening questions the
        client answered yes (red flags to see before opening it). One index range scan
        (``practice_id, status, started_at``)."""
        limit = v.whole("limit", limit, 1, 500) or 50

        def op(s: OrmSession) -> list[WaitingIntake]:
            rows = s.execute(
                select(SessionRow.id, SessionRow.client_id, SessionRow.started_at,
                       SessionRow.complaint, SessionRow.nrs_before, SessionRow.screening,
                       ClientRow.first_name,
                       ClientRow.infix, ClientRow.last_name)
                .join(ClientRow, ClientRow.id == SessionRow.client_id)
                .where(SessionRow.practice_id == actor.practice_id,
                       SessionRow.status == "draft",
                       ClientRow.practice_id == actor.practice_id)
                .order_by(SessionRow.started_at, SessionRow.id).limit(limit)).all()
            ids = ",".join(str(r.id) for r in rows)
            detail = f"results={len(rows)}; sessions={ids}"
            self._log(s, actor, "search", None, "sessions:draft",
                      detail if len(detail) <= 300 else detail[:296] + "...")
            return [WaitingIntake(r.id, r.client_id, full_name(r.first_name, r.infix, r.last_name),
                                  r.started_at, r.complaint, r.nrs_before,
                                  [str(x) for x in (r.screening or [])]) for r in rows]
        return self._run(op)

    # ---- the dossier as a whole ------------------------------------------------------------
    def client_dossier(self, actor: Actor, client_id: int) -> dict[str, Any]:
        """Everything stored about a client, JSON-ready (inspection and export requests)."""
        def op(s: OrmSession) -> dict[str, Any]:
            c = self._client_row(s, actor, client_id)
            cons = s.scalars(select(ConsentRow).where(ConsentRow.client_id == c.id)
                             .order_by(ConsentRow.id))
            sess = s.scalars(select(SessionRow).where(SessionRow.client_id == c.id)
                             .order_by(SessionRow.started_at, SessionRow.id)).all()
            out = {"client": client_of(c).to_dict(),
                   "consents": [Consent(r.id, r.client_id, r.kind, r.given, r.date,
                                        r.text_version, r.taken_by, r.created_at).to_dict()
                                for r in cons],
                   "sessions": [x.to_dict() for x in self._full_many(s, sess)]}
            out.update(diary_export(s, c.id, self.clock()))
            self._log(s, actor, "export", c.id, f"client:{c.id}/dossier")
            return out
        return self._run(op)
