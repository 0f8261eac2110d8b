"""Sessions: the drawing, intake answers, ranking snapshot and NRS of one visit, and the
session's rules (closed sessions are read-only)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from knoop.bodymap import CHART_VERSION, coverage
from knoop.bodymap.strokes import parse_strokes
from knoop.errors import BadInput, ChartError, Conflict
from knoop.kb import knowledge_base
from knoop.ranking.painmap import parse_painmap
from knoop.store import validate as v
from knoop.store.models import (
    SESSION_STATUSES,
    FindingRow,
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
        return out

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

    def set_status(self, actor: Actor, session_id: int, status: str) -> Session:
        return self.update_session(actor, session_id, status=status)
