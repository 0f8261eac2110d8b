"""Sessions: the drawing, intake answers, ranking snapshot and NRS of one visit, and the
session's rules (closed sessions are read-only)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from knoop.bodymap import CHART_VERSION, coverage
from knoop.bodymap.strokes import parse_strokes
from knoop.errors import BadInput, ChartError, Conflict, PainMapError, ReasonRequired
from knoop.kb import knowledge_base
from knoop.ranking.drawing import merge_drawing
from knoop.ranking.painmap import parse_painmap
from knoop.store import validate as v
from knoop.store.models import (
    SESSION_STATUSES,
    FlagDecisionRow,
    SessionRankingRow,
    SessionRow,
)
from knoop.store.rows import (
    CAUSES,
    SESSION_FIELDS,
)
from knoop.store.scoping import ScopedBase
from knoop.store.types import (
    Actor,
    Session,
)

#: What a drawing from the chart may hold.
DRAWING_KEYS = ("strokes", "regions", "exclude", "symptoms", "screening")
#: The shortest written reason that overrides an emergency red flag (characters).
MIN_REASON = 10


#: Session fields the SOAP text is written from (besides the drawing, findings and treatments).
SOAP_FIELDS = frozenset({"complaint", "symptoms", "causes", "screening", "nrs_before", "nrs_after",
                         "next_appointment"})


class SessionsMixin(ScopedBase):
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
            elif f in ("painmap", "strokes", "drawing"):
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
                    cov = coverage(parse_strokes(strokes))
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
        if "drawing" in data:
            out.update(self._drawing_values(data["drawing"], out.get("intake", old.intake
                                                                      if old else {})))
        return out

    def _drawing_values(self, drawing: Any, intake: dict[str, Any] | None) -> dict[str, Any]:
        """A drawing as the chart sends it (strokes, explicit regions, exclusions, symptoms,
        screening) -> the session's strokes, region coverage, pain map, symptoms, screening,
        and ``intake["drawing"]`` (the explicit choices, so the drawing reopens as it was).
        Computed once, here, by :func:`knoop.ranking.drawing.merge_drawing`, inside the
        transaction that stores it."""
        if not isinstance(drawing, dict):
            raise BadInput("drawing: must be an object with strokes, regions, exclude, "
                           "symptoms, screening", field="drawing")
        unknown = set(drawing) - set(DRAWING_KEYS)
        if unknown:
            f = min(unknown)
            raise BadInput(f"drawing.{f}: unknown field", field=f"drawing.{f}",
                           allowed=list(DRAWING_KEYS))
        try:
            merged = merge_drawing(dict(drawing), set(knowledge_base().muscles))
        except (ChartError, PainMapError) as exc:
            field = f"drawing.{exc.field}" if exc.field and exc.field != "$" else "drawing"
            raise BadInput(f"{field}: {exc.message.split(': ', 1)[-1]}", field=field,
                           allowed=exc.allowed) from None
        pm = merged.painmap
        painted = {(c.region, c.side) for c in merged.coverage}
        regions = [{"region": c.region, "side": c.side, "fraction": c.fraction,
                    "intensity": c.intensity, "quality": c.quality}
                   for c in merged.coverage if (c.region, c.side) not in merged.excluded]
        regions += [{"region": r.region, "side": r.side, "fraction": None,
                     "intensity": r.intensity, "quality": r.quality}
                    for r in pm.regions if r.key not in painted]
        out: dict[str, Any] = {
            "strokes": drawing.get("strokes") or None, "regions": regions,
            "painmap": {"regions": pm.to_dict()["regions"]}, "chart_version": CHART_VERSION,
            "intake": {**(intake or {}), "drawing": {"regions": drawing.get("regions") or [],
                                                      "exclude": drawing.get("exclude") or []}}}
        if "symptoms" in drawing:
            out["symptoms"] = list(pm.symptoms)
        if "screening" in drawing:
            out["screening"] = list(pm.screening)
        return out

    def _new_session(self, s: OrmSession, actor: Actor, client_id: int, *,
                     status: str = "open", request_id: str | None = None,
                     rank: bool = True, require_consent: bool = False,
                     **fields: Any) -> SessionRow:
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
        if require_consent:
            self._consent_gate(s, c.id)
        now = self.clock()
        r = SessionRow(practice_id=actor.practice_id, client_id=c.id,
                       therapist_id=actor.user_id, request_id=request_id,
                       started_at=vals.pop("started_at", now), complaint="", symptoms=[],
                       causes=[], screening=[], intake={}, regions=[], created_at=now,
                       updated_at=now)
        for k, val in vals.items():
            setattr(r, k, val)
        s.add(r)
        ranking = self._ranked(s, r, []) if rank else None
        s.flush()
        if ranking is not None:
            s.add(SessionRankingRow(session_id=r.id, ranking=ranking))
        self._touch(s, c.id)
        self._log(s, actor, "create", c.id, f"session:{r.id}", f"status={r.status}")
        return r

    def create_session(self, actor: Actor, client_id: int, *, status: str = "open",
                       request_id: str | None = None, rank: bool = True,
                       require_consent: bool = False, **fields: Any) -> Session:
        """A new session. ``fields``: started_at, complaint, symptoms, causes, screening,
        intake, painmap (contract JSON), strokes (raw drawing; coverage is derived),
        nrs_before, nrs_after, next_appointment. ``request_id`` makes a retry idempotent.
        With ``rank`` a ranking snapshot (with KB version) is stored. With
        ``require_consent`` (the therapist starting a treatment session) it is refused
        without the client's treatment consent (:class:`knoop.errors.ConsentMissing`); a
        retry of a session already started is not."""
        def op(s: OrmSession) -> Session:
            r = self._new_session(s, actor, client_id, status=status, request_id=request_id,
                                  rank=rank, require_consent=require_consent, **fields)
            return self._full(s, r)
        return self._run(op)

    def get_session(self, actor: Actor, session_id: int) -> Session:
        def op(s: OrmSession) -> Session:
            r = self._session_row(s, actor, session_id)
            out = self._full(s, r)
            self._log(s, actor, "read", r.client_id, f"session:{r.id}")
            return out
        return self._run(op)

    def update_session(self, actor: Actor, session_id: int, *,
                       expected_version: int | None = None, **fields: Any) -> Session:
        """Change session fields (as :meth:`create_session`); a closed session must be
        reopened first (``status="open"``). Taking over a client's intake (``draft`` →
        ``open``) dates the session now and keeps the submission time as
        ``intake["submitted_at"]``. A new pain map or findings re-rank. With
        ``expected_version`` the change is refused (:class:`StaleVersion`, HTTP 412) when the
        session changed since that version was read. Taking over needs the client's treatment
        consent (:class:`knoop.errors.ConsentMissing`)."""
        def op(s: OrmSession) -> Session:
            r = self._session_row(s, actor, session_id)
            if r.status == "closed" and set(fields) != {"status"}:
                self._writable(r)
            self._check_version(r, expected_version, "session")
            vals = self._session_values(fields, r)
            taken_over = r.status == "draft" and vals.get("status") == "open"
            if taken_over:  # taking over an intake needs the treatment consent
                self._consent_gate(s, r.client_id)
            for k, val in vals.items():
                setattr(r, k, val)
            self._changed(r)
            if taken_over:  # the session is dated now; the intake keeps when it was sent
                intake = dict(r.intake or {})
                intake.setdefault("submitted_at", r.started_at.isoformat(timespec="seconds"))
                r.intake, r.started_at = intake, r.updated_at
                if r.therapist_id is None:
                    r.therapist_id = actor.user_id
            if {"painmap", "strokes", "symptoms", "screening"} & set(vals):
                self._rerank(s, r)
            self._touch(s, r.client_id)
            self._log(s, actor, "update", r.client_id, f"session:{r.id}",
                      "fields=" + ",".join(sorted(fields)))
            if (SOAP_FIELDS | {"painmap", "strokes"}) & (set(vals) | set(fields)):
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

    def set_status(self, actor: Actor, session_id: int, status: str) -> Session:
        return self.update_session(actor, session_id, status=status)

    # ---- red flags -------------------------------------------------------------------------
    def decide_flags(self, actor: Actor, session_id: int, *, acknowledge: Sequence[str] = (),
                     override: Mapping[str, str] | None = None,
                     expected_version: int | None = None) -> Session:
        """Record the therapist's decision on red flags of the session's ranking, in one
        transaction: ``acknowledge`` (read; the referral advice is followed) or ``override``
        (flag -> written reason: treating anyway). An emergency flag can only be overridden,
        with a reason of at least 10 characters (:class:`ReasonRequired`). IDs that are not a
        red flag of the session are ignored. Stamped with the store's clock, access-logged
        (the flag, not the reason), and an override is written into the SOAP note."""
        override = dict(override or {})
        reasons = {f: v.text(f"override.{f}", why, max_len=2000, required=True)
                   for f, why in override.items()}
        for f, why in reasons.items():
            if len(why) < MIN_REASON:
                raise ReasonRequired(f"override.{f}: write why you treat despite this red "
                                     f"flag (at least {MIN_REASON} characters)",
                                     field=f"override.{f}")

        def op(s: OrmSession) -> Session:
            r = self._open_session(s, actor, session_id, expected_version)
            urgency = {str(f.get("id")): str(f.get("urgency", "caution"))
                       for f in ((self._ranking(s, r) or {}).get("red_flags") or [])
                       if isinstance(f, dict)}
            for flag in acknowledge:
                if urgency.get(flag) == "emergency" and flag not in reasons:
                    raise ReasonRequired(
                        f"override.{flag}: an emergency red flag cannot just be acknowledged: "
                        "refer the client, or override it with a written reason",
                        field=f"override.{flag}")
            existing = {d.flag: d for d in self._decisions(s, r)}
            now = self.clock()
            decided = [(f, "acknowledged", "") for f in acknowledge if f not in reasons] + \
                      [(f, "overridden", why) for f, why in reasons.items()]
            for flag, decision, why in decided:
                if flag not in urgency:
                    continue
                d = existing.get(flag)
                if d is None:
                    d = FlagDecisionRow(session_id=r.id, flag=flag)
                    s.add(d)
                elif d.decision == "overridden" and decision == "acknowledged":
                    continue  # an override stands
                d.urgency, d.decision, d.reason = urgency[flag], decision, why
                d.decided_by, d.decided_at = actor.user_id, now
                self._log(s, actor, "flag_override" if decision == "overridden"
                          else "flag_acknowledge", r.client_id, f"session:{r.id}",
                          f"flag={flag}; urgency={urgency[flag]}")
            s.flush()
            self._changed(r)
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            return self._full(s, r)
        return self._run(op)
