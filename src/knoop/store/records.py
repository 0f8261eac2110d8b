"""Clients and their dossiers: consents, sessions, findings, treatments, notes, handouts.

The scoping rule: every function takes an :class:`Actor` and only ever sees rows of
``actor.practice_id``. A client or session of another practice raises exactly the same
:class:`NotFound` as one that does not exist. Every read and write of client data appends to the
access log in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args
from zoneinfo import ZoneInfo

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from knoop.bodymap import CHART_VERSION, Stroke, coverage
from knoop.errors import BadInput, ChartError, Conflict, Forbidden, NotFound
from knoop.kb import KB_VERSION, knowledge_base
from knoop.kb.models import Muscle
from knoop.ranking import default_ranker
from knoop.ranking.painmap import parse_painmap
from knoop.store import audit
from knoop.store import validate as v
from knoop.store.base import StoreBase
from knoop.store.models import (
    CONSENT_KINDS,
    RESULTS,
    SESSION_STATUSES,
    SIDES,
    TECHNIQUES,
    TOLERANCES,
    ClientRow,
    ConsentRow,
    FindingRow,
    HandoutRow,
    NoteRow,
    SessionRow,
    TreatmentRow,
    UserRow,
)
from knoop.store.types import (
    AccessEntry,
    Actor,
    Client,
    ClientSummary,
    Consent,
    Finding,
    Handout,
    Note,
    RetentionRow,
    Session,
    SessionSummary,
    Treatment,
    WaitingIntake,
)

RETENTION_YEARS = 20
#: Times are stored in UTC; text for people (the SOAP note) shows Dutch local time.
LOCAL_TZ = ZoneInfo("Europe/Amsterdam")
#: The values of the Literal in ``Muscle.causes: list[Literal[...]]``.
CAUSES: tuple[str, ...] = get_args(get_args(Muscle.model_fields["causes"].annotation)[0])
CLIENT_FIELDS = ("first_name", "infix", "last_name", "date_of_birth", "email", "phone", "gp_name")
SESSION_FIELDS = ("started_at", "complaint", "symptoms", "causes", "screening", "intake",
                  "painmap", "strokes", "nrs_before", "nrs_after", "next_appointment", "status")
RESULT_NL = {"active": "actief", "latent": "latent", "none_found": "niets gevonden",
             "not_examined": "niet onderzocht"}
SIDE_NL = {"left": "links", "right": "rechts"}
TECHNIQUE_NL = {"ischemic_compression": "ischemische compressie", "manual_release":
                "manuele release", "dry_needling": "dry needling", "stretching": "rekken",
                "massage": "massage", "cupping": "cupping", "heat": "warmte",
                "spray_and_stretch": "spray and stretch", "instruction": "instructie",
                "other": "overig"}
TOLERANCE_NL = {"low": "laag", "moderate": "matig", "high": "hoog"}


def retention_date(last_change: dt.datetime) -> dt.date:
    d = last_change.date()
    try:
        return d.replace(year=d.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return d.replace(year=d.year + RETENTION_YEARS, day=28)


def search_keys(first: str, infix: str, last: str) -> tuple[str, str, str]:
    n = v.normalise
    return (n(f"{last} {first}"), n(f"{first} {infix} {last}"), n(f"{infix} {last} {first}"))


def client_of(r: ClientRow) -> Client:
    return Client(r.id, r.practice_id, r.first_name, r.infix, r.last_name, r.date_of_birth,
                  r.email, r.phone, r.gp_name, r.created_at, r.last_change, r.retention_until)


def _name(first: str, infix: str, last: str) -> str:
    return " ".join(p for p in (first, infix, last) if p)


def _sentence(text: str) -> str:
    text = text.strip()
    return text if not text or text[-1] in ".!?" else text + "."


def finding_of(r: FindingRow) -> Finding:
    return Finding(r.id, r.session_id, r.muscle, r.side, r.trigger_point, r.result,
                   r.pain_recognised, r.tender_spot, r.taut_band, r.referral_elicited, r.twitch,
                   r.note)


def treatment_of(r: TreatmentRow) -> Treatment:
    return Treatment(r.id, r.session_id, r.muscle, r.side, r.technique, r.duration_min,
                     r.pressure_tolerance, r.note)


def note_of(r: NoteRow) -> Note:
    return Note(r.session_id, r.subjective, r.objective, r.assessment, r.plan, r.soap_text,
                r.updated_at, r.updated_by)


def handout_of(r: HandoutRow) -> Handout:
    return Handout(r.id, r.session_id, r.kind, r.language, list(r.muscles), r.kb_version,
                   r.issued_at, r.issued_by)


def summary_of(r: SessionRow) -> SessionSummary:
    return SessionSummary(r.id, r.client_id, r.started_at, r.status, r.complaint, r.nrs_before,
                          r.nrs_after, r.therapist_id)


def _strokes(raw: Any) -> list[Stroke]:
    if not isinstance(raw, list):
        raise BadInput("strokes: must be a list of strokes", field="strokes")
    out = []
    for i, st in enumerate(raw):
        if not isinstance(st, dict):
            raise BadInput(f"strokes[{i}]: must be an object", field=f"strokes[{i}]")
        unknown = set(st) - {"view", "points", "width", "intensity", "quality", "erase"}
        if unknown:
            raise BadInput(f"strokes[{i}]: unknown field {min(unknown)!r}",
                           field=f"strokes[{i}].{min(unknown)}")
        try:
            # str(): a missing or non-string view is then refused by coverage() as before
            # ("unknown view 'None'"), since no view is named like the str() of a non-string
            out.append(Stroke(view=str(st.get("view")), points=[tuple(p) for p in st.get("points", [])],
                              width=st.get("width", 20.0), intensity=st.get("intensity", 5),
                              quality=st.get("quality"), erase=bool(st.get("erase", False))))
        except TypeError:
            raise BadInput(f"strokes[{i}].points: must be [[x, y], ...]",
                           field=f"strokes[{i}].points") from None
    return out


class RecordsMixin(StoreBase):
    # ---- helpers ---------------------------------------------------------------------------
    def _log(self, s: OrmSession, actor: Actor, action: str, client_id: int | None,
             obj: str = "", detail: str = "") -> None:
        audit.append(s, at=self.clock(), actor=actor, action=action, client_id=client_id,
                     obj=obj, detail=detail)

    def _client_row(self, s: OrmSession, actor: Actor, client_id: int,
                    lock: bool = False) -> ClientRow:
        if isinstance(client_id, bool) or not isinstance(client_id, int):
            raise NotFound(f"client {client_id} not found", field="client_id")
        q = select(ClientRow).where(ClientRow.id == client_id,
                                    ClientRow.practice_id == actor.practice_id)
        r = s.scalar(q.with_for_update() if lock else q)
        if r is None:
            raise NotFound(f"client {client_id} not found", field="client_id")
        return r

    def _session_row(self, s: OrmSession, actor: Actor, session_id: int) -> SessionRow:
        if isinstance(session_id, bool) or not isinstance(session_id, int):
            raise NotFound(f"session {session_id} not found", field="session_id")
        r = s.scalar(select(SessionRow).where(SessionRow.id == session_id,
                                              SessionRow.practice_id == actor.practice_id))
        if r is None:
            raise NotFound(f"session {session_id} not found", field="session_id")
        return r

    def _touch(self, s: OrmSession, client_id: int) -> None:
        now = self.clock()
        c = s.get(ClientRow, client_id)
        assert c is not None
        c.last_change = now
        c.retention_until = retention_date(now)

    def _writable(self, r: SessionRow) -> None:
        if r.status == "closed":
            raise Conflict(f"session {r.id} is closed; reopen it (status open) to change it",
                           field="status")

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
                d = v.date(f, val)
                if d is not None and not dt.date(1900, 1, 1) <= d <= self.clock().date():
                    raise BadInput(f"date_of_birth: {d} is not a plausible date of birth",
                                   field=f)
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
                    raise BadInput(f"{f}: is required", field=f)
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
                      request_id: str | None = None) -> Client:
        """A new client, with the ``consents`` taken at intake (``[{kind, given=True,
        text_version, date=today}]``) in the same transaction: a bad consent leaves no client
        behind. ``request_id`` makes a retry idempotent: the same id in the same practice
        returns the client already stored (and records no second set of consents)."""
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

    def get_client(self, actor: Actor, client_id: int) -> Client:
        def op(s: OrmSession) -> Client:
            r = self._client_row(s, actor, client_id)
            self._log(s, actor, "read", r.id, f"client:{r.id}")
            return client_of(r)
        return self._run(op)

    def update_client(self, actor: Actor, client_id: int, **changes: Any) -> Client:
        vals = self._client_values(changes, partial=True)

        def op(s: OrmSession) -> Client:
            r = self._client_row(s, actor, client_id, lock=True)
            for k, val in vals.items():
                setattr(r, k, val)
            r.search_last, r.search_first, r.search_full = search_keys(
                r.first_name, r.infix, r.last_name)
            self._touch(s, r.id)
            self._log(s, actor, "update", r.id, f"client:{r.id}",
                      "fields=" + ",".join(sorted(vals)))
            return client_of(r)
        return self._run(op)

    def search_clients(self, actor: Actor, query: str = "", limit: int = 20) -> list[ClientSummary]:
        """Prefix search, accents and case ignored: first clients whose last name starts with
        the query (sorted by last name), then whose name with infix does ("van den b"), then
        whose first name does ("jan ber"). An empty query lists clients by last name. Each step
        is one index range scan, so the cost does not grow with the number of clients."""
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
            return [ClientSummary(r.id, _name(r.first_name, r.infix, r.last_name),
                                  r.date_of_birth, r.last_change) for r in rows]
        return self._run(op)

    def client_history(self, actor: Actor, client_id: int) -> list[SessionSummary]:
        """The client's sessions, newest first."""
        def op(s: OrmSession) -> list[SessionSummary]:
            c = self._client_row(s, actor, client_id)
            rows = s.scalars(select(SessionRow).where(SessionRow.client_id == c.id)
                             .order_by(SessionRow.started_at.desc(), SessionRow.id.desc()))
            out = [summary_of(r) for r in rows]
            self._log(s, actor, "read", c.id, f"client:{c.id}/sessions")
            return out
        return self._run(op)

    def waiting_intakes(self, actor: Actor, limit: int = 50) -> list[WaitingIntake]:
        """Draft sessions (clients' intakes via a link) of the actor's practice that nobody has
        taken over yet, oldest first, with the client's name. One index range scan
        (``practice_id, status, started_at``)."""
        limit = v.whole("limit", limit, 1, 500) or 50

        def op(s: OrmSession) -> list[WaitingIntake]:
            rows = s.execute(
                select(SessionRow.id, SessionRow.client_id, SessionRow.started_at,
                       SessionRow.complaint, SessionRow.nrs_before, ClientRow.first_name,
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
            return [WaitingIntake(r.id, r.client_id, _name(r.first_name, r.infix, r.last_name),
                                  r.started_at, r.complaint, r.nrs_before) for r in rows]
        return self._run(op)

    # ---- consents --------------------------------------------------------------------------
    def record_consent(self, actor: Actor, client_id: int, kind: str, given: bool,
                       text_version: str, date: dt.date | str | None = None) -> Consent:
        """Record that consent of ``kind`` was given (or withdrawn: ``given=False``)."""
        kind = v.choice("kind", kind, CONSENT_KINDS)
        if not isinstance(given, bool):
            raise BadInput("given: must be true or false", field="given")
        text_version = v.text("text_version", text_version, max_len=40, required=True)
        day = v.date("date", date) or self.clock().date()

        def op(s: OrmSession) -> Consent:
            c = self._client_row(s, actor, client_id)
            r = ConsentRow(client_id=c.id, kind=kind, given=given, date=day,
                           text_version=text_version, taken_by=actor.user_id,
                           created_at=self.clock())
            s.add(r)
            s.flush()
            self._touch(s, c.id)
            self._log(s, actor, "create", c.id, f"consent:{r.id}", f"{kind} given={given}")
            return Consent(r.id, c.id, kind, given, day, text_version, r.taken_by, r.created_at)
        return self._run(op)

    def consents(self, actor: Actor, client_id: int) -> list[Consent]:
        """All consent records, oldest first; the last one per kind is the one in force."""
        def op(s: OrmSession) -> list[Consent]:
            c = self._client_row(s, actor, client_id)
            rows = s.scalars(select(ConsentRow).where(ConsentRow.client_id == c.id)
                             .order_by(ConsentRow.id))
            out = [Consent(r.id, r.client_id, r.kind, r.given, r.date, r.text_version,
                           r.taken_by, r.created_at) for r in rows]
            self._log(s, actor, "read", c.id, f"client:{c.id}/consents")
            return out
        return self._run(op)

    # ---- sessions --------------------------------------------------------------------------
    def _session_values(self, data: dict[str, Any], old: SessionRow | None) -> dict[str, Any]:
        kb = knowledge_base()
        c = kb.contract
        out: dict[str, Any] = {}
        for f, val in data.items():
            if f == "started_at":
                out[f] = v.moment(f, val) or self.clock()
            elif f == "complaint":
                out[f] = v.text(f, val, max_len=4000)
            elif f == "symptoms":
                out[f] = v.ids(f, val, c.symptoms, "symptom")
            elif f == "causes":
                out[f] = v.ids(f, val, CAUSES, "cause")
            elif f == "screening":
                out[f] = v.ids(f, val, c.screening, "screening item")
            elif f == "intake":
                out[f] = v.json_object(f, val)
            elif f in ("nrs_before", "nrs_after"):
                out[f] = v.nrs(f, val)
            elif f == "next_appointment":
                out[f] = v.moment(f, val)
            elif f == "status":
                out[f] = v.choice(f, val, SESSION_STATUSES)
            elif f in ("painmap", "strokes"):
                pass
            else:
                raise BadInput(f"{f}: unknown session field", field=f,
                               allowed=SESSION_FIELDS)
        if "painmap" in data or "strokes" in data:
            strokes = data.get("strokes", old.strokes if old else None)
            painmap = data.get("painmap", None if "strokes" in data else
                               (old.painmap if old else None))
            regions: list[dict[str, Any]] = []
            if strokes:
                try:
                    cov = coverage(_strokes(strokes))
                except ChartError as exc:
                    raise BadInput(exc.message, field=exc.field, allowed=exc.allowed) from None
                regions = [{"region": r.region, "side": r.side, "fraction": r.fraction,
                            "intensity": r.intensity, "quality": r.quality} for r in cov]
                if painmap is None:
                    painmap = {"regions": [
                        {k: val for k, val in (("region", r["region"]), ("side", r["side"]),
                                               ("intensity", r["intensity"]),
                                               ("quality", r["quality"])) if val is not None}
                        for r in regions]}
            if painmap is not None:
                pm = parse_painmap(painmap, c, set(kb.muscles))
                out["painmap"] = pm.to_dict()
                if not strokes:
                    regions = [{"region": r.region, "side": r.side, "fraction": None,
                                "intensity": r.intensity, "quality": r.quality}
                               for r in pm.regions]
            else:
                out["painmap"] = None
            out["strokes"] = strokes or None
            out["regions"] = regions
            out["chart_version"] = CHART_VERSION
        return out

    def _rank(self, r: SessionRow, findings: list[FindingRow]) -> None:
        """Snapshot a fresh ranking from the pain map, the session's symptoms and screening,
        and the palpation findings (``not_examined`` does not count)."""
        if r.painmap is None and not r.symptoms and not r.screening:
            r.ranking, r.kb_version = None, KB_VERSION
            return
        pm = dict(r.painmap or {"regions": []})
        pm["symptoms"] = sorted(set(pm.get("symptoms", [])) | set(r.symptoms or []))
        pm["screening"] = sorted(set(pm.get("screening", [])) | set(r.screening or []))
        seen: dict[tuple[str, str], dict[str, str]] = {}
        for f in findings:
            if f.result in ("active", "latent", "none_found"):
                seen[(f.muscle, f.side)] = {"muscle": f.muscle, "side": f.side,
                                            "result": f.result}
        pm["findings"] = list(seen.values())
        ranker = default_ranker()
        r.ranking = ranker.rank(ranker.parse(pm), "nl").to_dict()
        r.kb_version = r.ranking["kb_version"]

    def _new_session(self, s: OrmSession, actor: Actor, client_id: int, *,
                     status: str = "open", request_id: str | None = None,
                     rank: bool = True, **fields: Any) -> SessionRow:
        if request_id is not None:
            request_id = v.text("request_id", request_id, max_len=64, required=True)
        vals = self._session_values({"status": status, **fields}, None)
        c = self._client_row(s, actor, client_id)
        if request_id is not None:
            dup = s.scalar(select(SessionRow).where(SessionRow.practice_id == actor.practice_id,
                                                    SessionRow.request_id == request_id))
            if dup is not None:
                if dup.client_id != c.id:
                    raise Conflict("request_id was already used for another client",
                                   field="request_id")
                return dup
        now = self.clock()
        r = SessionRow(practice_id=actor.practice_id, client_id=c.id,
                       therapist_id=actor.user_id, request_id=request_id,
                       started_at=vals.pop("started_at", now), complaint="", symptoms=[],
                       causes=[], screening=[], intake={}, regions=[], created_at=now,
                       updated_at=now)
        for k, val in vals.items():
            setattr(r, k, val)
        if rank:
            self._rank(r, [])
        s.add(r)
        s.flush()
        self._touch(s, c.id)
        self._log(s, actor, "create", c.id, f"session:{r.id}", f"status={r.status}")
        return r

    def create_session(self, actor: Actor, client_id: int, *, status: str = "open",
                       request_id: str | None = None, rank: bool = True,
                       **fields: Any) -> Session:
        """A new session. ``fields``: started_at, complaint, symptoms, causes, screening,
        intake, painmap (contract JSON), strokes (raw drawing; coverage is derived),
        nrs_before, nrs_after, next_appointment. ``request_id`` makes a retry idempotent.
        With ``rank`` a ranking snapshot (with KB version) is stored."""
        def op(s: OrmSession) -> Session:
            r = self._new_session(s, actor, client_id, status=status, request_id=request_id,
                                  rank=rank, **fields)
            return self._full(s, r)
        return self._run(op)

    def _full(self, s: OrmSession, r: SessionRow) -> Session:
        fs = s.scalars(select(FindingRow).where(FindingRow.session_id == r.id)
                       .order_by(FindingRow.id)).all()
        ts = s.scalars(select(TreatmentRow).where(TreatmentRow.session_id == r.id)
                       .order_by(TreatmentRow.id)).all()
        n = s.get(NoteRow, r.id)
        hs = s.scalars(select(HandoutRow).where(HandoutRow.session_id == r.id)
                       .order_by(HandoutRow.id)).all()
        return Session(r.id, r.client_id, r.practice_id, r.therapist_id, r.started_at, r.status,
                       r.complaint, list(r.symptoms or []), list(r.causes or []),
                       list(r.screening or []), dict(r.intake or {}), r.painmap,
                       list(r.regions or []), r.chart_version, r.strokes, r.ranking,
                       r.kb_version, r.nrs_before, r.nrs_after, r.next_appointment,
                       r.created_at, r.updated_at, [finding_of(f) for f in fs],
                       [treatment_of(t) for t in ts], note_of(n) if n else None,
                       [handout_of(h) for h in hs])

    def get_session(self, actor: Actor, session_id: int) -> Session:
        def op(s: OrmSession) -> Session:
            r = self._session_row(s, actor, session_id)
            out = self._full(s, r)
            self._log(s, actor, "read", r.client_id, f"session:{r.id}")
            return out
        return self._run(op)

    def update_session(self, actor: Actor, session_id: int, **fields: Any) -> Session:
        """Change session fields (as :meth:`create_session`); a closed session must be
        reopened first (``status="open"``). A new pain map or findings re-rank."""
        def op(s: OrmSession) -> Session:
            r = self._session_row(s, actor, session_id)
            if r.status == "closed" and set(fields) != {"status"}:
                self._writable(r)
            vals = self._session_values(fields, r)
            for k, val in vals.items():
                setattr(r, k, val)
            r.updated_at = self.clock()
            if {"painmap", "strokes", "symptoms", "screening"} & set(vals):
                self._rank(r, list(s.scalars(select(FindingRow)
                                             .where(FindingRow.session_id == r.id))))
            self._touch(s, r.client_id)
            self._log(s, actor, "update", r.client_id, f"session:{r.id}",
                      "fields=" + ",".join(sorted(fields)))
            if {"nrs_before", "nrs_after", "next_appointment"} & set(vals):
                self._regenerate_soap(s, r)
            return self._full(s, r)
        return self._run(op)

    def delete_session(self, actor: Actor, session_id: int) -> None:
        """Remove a draft or open session entered by mistake (closed ones stay)."""
        def op(s: OrmSession) -> None:
            r = self._session_row(s, actor, session_id)
            self._writable(r)
            cid = r.client_id
            s.delete(r)
            self._touch(s, cid)
            self._log(s, actor, "delete", cid, f"session:{session_id}")
        self._run(op)

    # ---- findings, treatments, notes, handouts ---------------------------------------------
    def add_finding(self, actor: Actor, session_id: int, *, muscle: str, side: str,
                    result: str, trigger_point: str | None = None,
                    pain_recognised: bool | None = None, tender_spot: bool | None = None,
                    taut_band: bool | None = None, referral_elicited: bool | None = None,
                    twitch: bool | None = None, note: str = "") -> Finding:
        """Chart a palpation finding; the session's ranking is refreshed with it."""
        muscle = v.muscle("muscle", muscle)
        vals = dict(muscle=muscle, side=v.choice("side", side, SIDES),
                    result=v.choice("result", result, RESULTS),
                    trigger_point=v.trigger_point("trigger_point", muscle, trigger_point),
                    pain_recognised=v.flag("pain_recognised", pain_recognised),
                    tender_spot=v.flag("tender_spot", tender_spot),
                    taut_band=v.flag("taut_band", taut_band),
                    referral_elicited=v.flag("referral_elicited", referral_elicited),
                    twitch=v.flag("twitch", twitch), note=v.text("note", note, max_len=2000))

        def op(s: OrmSession) -> Finding:
            r = self._session_row(s, actor, session_id)
            self._writable(r)
            f = FindingRow(session_id=r.id, **vals)
            s.add(f)
            s.flush()
            self._rank(r, list(s.scalars(select(FindingRow)
                                         .where(FindingRow.session_id == r.id)
                                         .order_by(FindingRow.id))))
            r.updated_at = self.clock()
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            self._log(s, actor, "create", r.client_id, f"finding:{f.id}", f"session={r.id}")
            return finding_of(f)
        return self._run(op)

    def remove_finding(self, actor: Actor, finding_id: int) -> None:
        def op(s: OrmSession) -> None:
            f = s.get(FindingRow, finding_id)
            r = self._session_row(s, actor, f.session_id) if f else None
            if f is None or r is None:
                raise NotFound(f"finding {finding_id} not found", field="finding_id")
            self._writable(r)
            s.delete(f)
            s.flush()
            self._rank(r, list(s.scalars(select(FindingRow)
                                         .where(FindingRow.session_id == r.id)
                                         .order_by(FindingRow.id))))
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            self._log(s, actor, "delete", r.client_id, f"finding:{finding_id}")
        try:
            self._run(op)
        except NotFound as exc:
            raise NotFound(f"finding {finding_id} not found", field="finding_id") from exc

    def add_treatment(self, actor: Actor, session_id: int, *, muscle: str, side: str,
                      technique: str, duration_min: int | None = None,
                      pressure_tolerance: str | None = None, note: str = "") -> Treatment:
        muscle = v.muscle("muscle", muscle)
        vals = dict(muscle=muscle, side=v.choice("side", side, SIDES),
                    technique=v.choice("technique", technique, TECHNIQUES),
                    duration_min=v.whole("duration_min", duration_min, 0, 240),
                    pressure_tolerance=v.optional_choice("pressure_tolerance",
                                                         pressure_tolerance, TOLERANCES),
                    note=v.text("note", note, max_len=2000))

        def op(s: OrmSession) -> Treatment:
            r = self._session_row(s, actor, session_id)
            self._writable(r)
            t = TreatmentRow(session_id=r.id, **vals)
            s.add(t)
            s.flush()
            r.updated_at = self.clock()
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            self._log(s, actor, "create", r.client_id, f"treatment:{t.id}", f"session={r.id}")
            return treatment_of(t)
        return self._run(op)

    def remove_treatment(self, actor: Actor, treatment_id: int) -> None:
        """Remove a treatment recorded by mistake (refused on a closed session); the SOAP text
        is regenerated without it."""
        def op(s: OrmSession) -> None:
            if isinstance(treatment_id, bool) or not isinstance(treatment_id, int):
                raise NotFound(f"treatment {treatment_id} not found", field="treatment_id")
            t = s.get(TreatmentRow, treatment_id)
            r = self._session_row(s, actor, t.session_id) if t else None
            if t is None or r is None:
                raise NotFound(f"treatment {treatment_id} not found", field="treatment_id")
            self._writable(r)
            s.delete(t)
            s.flush()
            r.updated_at = self.clock()
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            self._log(s, actor, "delete", r.client_id, f"treatment:{treatment_id}",
                      f"session={r.id}")
        try:
            self._run(op)
        except NotFound as exc:  # another practice's session: the same answer as a missing one
            raise NotFound(f"treatment {treatment_id} not found",
                           field="treatment_id") from exc

    def set_note(self, actor: Actor, session_id: int, *, subjective: str = "",
                 objective: str = "", assessment: str = "", plan: str = "") -> Note:
        """Write the structured S/O/A/P note; the SOAP text is generated from it plus the
        session's NRS, findings, treatments and next appointment."""
        vals = {k: v.text(k, val, max_len=8000) for k, val in (
            ("subjective", subjective), ("objective", objective), ("assessment", assessment),
            ("plan", plan))}

        def op(s: OrmSession) -> Note:
            r = self._session_row(s, actor, session_id)
            self._writable(r)
            # notes.updated_by is NOT NULL: only a user writes notes (the intake's client actor
            # has no user_id and never gets here)
            assert actor.user_id is not None
            n = s.get(NoteRow, r.id)
            if n is None:
                n = NoteRow(session_id=r.id, updated_at=self.clock(), updated_by=actor.user_id)
                s.add(n)
            for k, val in vals.items():
                setattr(n, k, val)
            n.updated_at, n.updated_by = self.clock(), actor.user_id
            s.flush()
            self._regenerate_soap(s, r)
            r.updated_at = self.clock()
            self._touch(s, r.client_id)
            self._log(s, actor, "update", r.client_id, f"note:{r.id}")
            return note_of(n)
        return self._run(op)

    def _regenerate_soap(self, s: OrmSession, r: SessionRow) -> None:
        n = s.get(NoteRow, r.id)
        if n is None:
            return
        kb = knowledge_base()

        def mname(m: str) -> str:
            return kb.muscles[m].names.nl if m in kb.muscles else m
        fs = s.scalars(select(FindingRow).where(FindingRow.session_id == r.id)
                       .order_by(FindingRow.id)).all()
        ts = s.scalars(select(TreatmentRow).where(TreatmentRow.session_id == r.id)
                       .order_by(TreatmentRow.id)).all()
        lines = []
        subj = [n.subjective] if n.subjective else ([r.complaint] if r.complaint else [])
        if r.nrs_before is not None:
            subj.append(f"Pijn (NRS) bij aanvang: {r.nrs_before}/10.")
        lines.append("S: " + " ".join(_sentence(x) for x in subj))
        obj = [n.objective] if n.objective else []
        for f in fs:
            crit = [label for label, val in (("herkenbare pijn", f.pain_recognised),
                                             ("drukpijnlijk punt", f.tender_spot),
                                             ("strakke streng", f.taut_band),
                                             ("uitstraling opgewekt", f.referral_elicited),
                                             ("twitch", f.twitch)) if val]
            obj.append(f"{mname(f.muscle)} {SIDE_NL[f.side]}: {RESULT_NL[f.result]}"
                       + (f" ({', '.join(crit)})" if crit else "") + ".")
        lines.append("O: " + " ".join(obj))
        lines.append("A: " + n.assessment)
        plan = []
        for t in ts:
            bits = [TECHNIQUE_NL[t.technique]]
            if t.duration_min:
                bits.append(f"{t.duration_min} min")
            if t.pressure_tolerance:
                bits.append(f"druktolerantie {TOLERANCE_NL[t.pressure_tolerance]}")
            plan.append(f"Behandeld: {mname(t.muscle)} {SIDE_NL[t.side]}, {', '.join(bits)}.")
        if r.nrs_after is not None:
            plan.append(f"Pijn (NRS) na behandeling: {r.nrs_after}/10.")
        if n.plan:
            plan.append(_sentence(n.plan))
        if r.next_appointment:
            when = r.next_appointment.replace(tzinfo=dt.UTC).astimezone(LOCAL_TZ)
            plan.append(f"Volgende afspraak: {when:%d-%m-%Y %H:%M}.")
        lines.append("P: " + " ".join(plan))
        n.soap_text = "\n".join(line.rstrip() for line in lines)

    def issue_handout(self, actor: Actor, session_id: int, *, kind: str = "aftercare",
                      language: str = "nl",
                      muscles: list[dict[str, str]] | None = None) -> Handout:
        """Record that a handout was given (the PDF itself is made by ``knoop.handouts``)."""
        kind = v.text("kind", kind, max_len=40, required=True)
        language = v.choice("language", language, ("nl", "en"))
        ms: list[dict[str, str]] = []
        for i, m in enumerate(muscles or []):
            if not isinstance(m, dict):
                raise BadInput(f"muscles[{i}]: must be {{muscle, side}}", field=f"muscles[{i}]")
            ms.append({"muscle": v.muscle(f"muscles[{i}].muscle", m.get("muscle")),
                       "side": v.choice(f"muscles[{i}].side", m.get("side"), SIDES)})

        def op(s: OrmSession) -> Handout:
            r = self._session_row(s, actor, session_id)
            h = HandoutRow(session_id=r.id, kind=kind, language=language, muscles=ms,
                           kb_version=KB_VERSION, issued_at=self.clock(),
                           issued_by=actor.user_id)
            s.add(h)
            s.flush()
            self._touch(s, r.client_id)
            self._log(s, actor, "create", r.client_id, f"handout:{h.id}", f"session={r.id}")
            return handout_of(h)
        return self._run(op)

    def set_status(self, actor: Actor, session_id: int, status: str) -> Session:
        return self.update_session(actor, session_id, status=status)

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
                   "sessions": [self._full(s, r).to_dict() for r in sess]}
            self._log(s, actor, "export", c.id, f"client:{c.id}/dossier")
            return out
        return self._run(op)

    def erase_client(self, actor: Actor, client_id: int, *, reason: str = "on request") -> None:
        """Erase a client's dossier on request (AVG art. 17 / WGBO 7:455). Admins only.
        The access log keeps that it happened (ids only, no health data)."""
        if not actor.is_admin:
            raise Forbidden("only an admin can erase a dossier")
        reason = v.text("reason", reason, max_len=100, required=True)

        def op(s: OrmSession) -> None:
            c = self._client_row(s, actor, client_id, lock=True)
            n_sessions = s.scalar(select(func.count()).select_from(SessionRow)
                                  .where(SessionRow.client_id == c.id))
            sids = select(SessionRow.id).where(SessionRow.client_id == c.id)
            for table in (FindingRow, TreatmentRow, HandoutRow):
                s.execute(delete(table).where(table.session_id.in_(sids)))
            s.execute(delete(NoteRow).where(NoteRow.session_id.in_(sids)))
            s.execute(delete(SessionRow).where(SessionRow.client_id == c.id))
            s.execute(delete(ConsentRow).where(ConsentRow.client_id == c.id))
            from knoop.store.models import IntakeTokenRow
            s.execute(delete(IntakeTokenRow).where(IntakeTokenRow.client_id == c.id))
            s.delete(c)
            self._log(s, actor, "erase", client_id, f"client:{client_id}",
                      f"reason={reason}; sessions={n_sessions}")
        self._run(op)

    # ---- retention and the access log (operator views) -------------------------------------
    def retention_report(self, *, practice_id: int | None = None,
                         within_days: int = 0, today: dt.date | None = None) -> list[RetentionRow]:
        """Dossiers whose retention date has passed (or passes within ``within_days``)."""
        today = today or self.clock().date()
        limit = today + dt.timedelta(days=within_days)

        def op(s: OrmSession) -> list[RetentionRow]:
            q = select(ClientRow.id, ClientRow.practice_id, ClientRow.last_change,
                       ClientRow.retention_until).where(ClientRow.retention_until <= limit)
            if practice_id is not None:
                q = q.where(ClientRow.practice_id == practice_id)
            rows = s.execute(q.order_by(ClientRow.retention_until, ClientRow.id)).all()
            return [RetentionRow(r.id, r.practice_id, r.last_change, r.retention_until,
                                 r.retention_until <= today) for r in rows]
        return self._run(op)

    def retention_counts(self) -> dict[str, Any]:
        def op(s: OrmSession) -> dict[str, Any]:
            total = s.scalar(select(func.count()).select_from(ClientRow)) or 0
            first = s.scalar(select(func.min(ClientRow.retention_until)))
            return {"dossiers": total, "earliest_retention_until": first}
        return self._run(op)

    def access_for_client(self, client_id: int, *, practice_id: int | None = None,
                          actor: Actor | None = None) -> list[AccessEntry]:
        """Who accessed a client, oldest first (also after erasure). With an ``actor`` only
        an admin of the client's practice may look; the CLI operator passes none."""
        from knoop.store.models import AccessLogRow
        if actor is not None:
            if not actor.is_admin:
                raise Forbidden("only an admin can read the access log")
            practice_id = actor.practice_id

        def op(s: OrmSession) -> list[AccessEntry]:
            q = select(AccessLogRow).where(AccessLogRow.client_id == client_id)
            if practice_id is not None:
                q = q.where(AccessLogRow.practice_id == practice_id)
            out = [audit.entry(r) for r in s.scalars(q.order_by(AccessLogRow.id))]
            if actor is not None:
                self._log(s, actor, "audit_read", client_id, f"client:{client_id}/access")
            return out
        return self._run(op)

    def verify_access_log(self) -> Any:
        return audit.verify(self.engine)

    def actor_for(self, user_id: int, on_behalf_of: str = "") -> Actor:
        def op(s: OrmSession) -> Actor:
            u = s.get(UserRow, user_id)
            if u is None or not u.active:
                raise NotFound(f"user {user_id} not found", field="user_id")
            return Actor(u.id, u.practice_id, u.role, u.email, on_behalf_of)
        return self._run(op)
