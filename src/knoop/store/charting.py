"""Charting a session: palpation findings, treatments, the SOAP note and handouts issued."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import BadInput, NotFound
from knoop.kb import KB_VERSION
from knoop.store import validate as v
from knoop.store.models import (
    FindingRow,
    HandoutRow,
    NoteRow,
    TreatmentRow,
)
from knoop.store.rows import (
    finding_of,
    handout_of,
    note_of,
    treatment_of,
)
from knoop.store.scoping import ScopedBase
from knoop.store.types import (
    Actor,
    Finding,
    Handout,
    Note,
    Session,
    Treatment,
)
from knoop.vocabulary import RESULTS, SIDES, TECHNIQUES, TOLERANCES


def _finding_values(muscle: str, side: str, result: str, trigger_point: str | None,
                    pain_recognised: bool | None, tender_spot: bool | None,
                    taut_band: bool | None, referral_elicited: bool | None,
                    twitch: bool | None, note: str) -> dict[str, Any]:
    """A finding's columns, checked (unknown muscle, side, result or trigger point refused)."""
    muscle = v.muscle("muscle", muscle)
    return dict(muscle=muscle, side=v.choice("side", side, SIDES),
                result=v.choice("result", result, RESULTS),
                trigger_point=v.trigger_point("trigger_point", muscle, trigger_point),
                pain_recognised=v.flag("pain_recognised", pain_recognised),
                tender_spot=v.flag("tender_spot", tender_spot),
                taut_band=v.flag("taut_band", taut_band),
                referral_elicited=v.flag("referral_elicited", referral_elicited),
                twitch=v.flag("twitch", twitch), note=v.text("note", note, max_len=2000))


class ChartingMixin(ScopedBase):
    # ---- findings, treatments, notes, handouts ---------------------------------------------
    def add_finding(self, actor: Actor, session_id: int, *, muscle: str, side: str,
                    result: str, trigger_point: str | None = None,
                    pain_recognised: bool | None = None, tender_spot: bool | None = None,
                    taut_band: bool | None = None, referral_elicited: bool | None = None,
                    twitch: bool | None = None, note: str = "",
                    expected_version: int | None = None) -> Finding:
        """Chart a palpation finding; the session's ranking is refreshed with it. Refused
        while a red flag is open (:class:`RedFlagOpen`) or when ``expected_version`` is not
        the session's version (:class:`StaleVersion`)."""
        vals = _finding_values(muscle, side, result, trigger_point, pain_recognised,
                               tender_spot, taut_band, referral_elicited, twitch, note)

        def op(s: OrmSession) -> Finding:
            r = self._open_session(s, actor, session_id, expected_version)
            self._gate(s, r)
            f = FindingRow(session_id=r.id, **vals)
            s.add(f)
            s.flush()
            self._rerank(s, r)
            self._changed(r)
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            self._log(s, actor, "create", r.client_id, f"finding:{f.id}", f"session={r.id}")
            return finding_of(f)
        return self._run(op)

    def chart_finding(self, actor: Actor, session_id: int, *, muscle: str, side: str,
                      result: str | None, trigger_point: str | None = None,
                      pain_recognised: bool | None = None, tender_spot: bool | None = None,
                      taut_band: bool | None = None, referral_elicited: bool | None = None,
                      twitch: bool | None = None, note: str = "",
                      expected_version: int | None = None) -> Session:
        """The finding in force for ``muscle`` on ``side``, in one transaction: earlier
        findings for that muscle and side are replaced; ``result`` None takes them back.
        A new finding is refused while a red flag is open."""
        muscle = v.muscle("muscle", muscle)
        side = v.choice("side", side, SIDES)
        vals = None if result is None else _finding_values(
            muscle, side, result, trigger_point, pain_recognised, tender_spot, taut_band,
            referral_elicited, twitch, note)

        def op(s: OrmSession) -> Session:
            r = self._open_session(s, actor, session_id, expected_version)
            old = list(s.scalars(select(FindingRow).where(
                FindingRow.session_id == r.id, FindingRow.muscle == muscle,
                FindingRow.side == side)).all())
            if vals is not None:
                self._gate(s, r)
            for f in old:
                s.delete(f)
                self._log(s, actor, "delete", r.client_id, f"finding:{f.id}",
                          f"session={r.id}")
            if vals is not None:
                new = FindingRow(session_id=r.id, **vals)
                s.add(new)
                s.flush()
                self._log(s, actor, "create", r.client_id, f"finding:{new.id}",
                          f"session={r.id}")
            s.flush()
            self._rerank(s, r)
            self._changed(r)
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            return self._full(s, r)
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
            self._rerank(s, r)
            self._changed(r)
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            self._log(s, actor, "delete", r.client_id, f"finding:{finding_id}")
        try:
            self._run(op)
        except NotFound as exc:
            raise NotFound(f"finding {finding_id} not found", field="finding_id") from exc

    def add_treatment(self, actor: Actor, session_id: int, *, muscle: str, side: str,
                      technique: str, duration_min: int | None = None,
                      pressure_tolerance: str | None = None, note: str = "",
                      expected_version: int | None = None) -> Treatment:
        """Record a treatment; refused while a red flag is open, without the client's
        treatment consent (:class:`knoop.errors.ConsentMissing`), on a closed session, or when
        ``expected_version`` is stale."""
        muscle = v.muscle("muscle", muscle)
        vals = dict(muscle=muscle, side=v.choice("side", side, SIDES),
                    technique=v.choice("technique", technique, TECHNIQUES),
                    duration_min=v.whole("duration_min", duration_min, 0, 240),
                    pressure_tolerance=v.optional_choice("pressure_tolerance",
                                                         pressure_tolerance, TOLERANCES),
                    note=v.text("note", note, max_len=2000))

        def op(s: OrmSession) -> Treatment:
            r = self._open_session(s, actor, session_id, expected_version)
            self._gate(s, r)
            self._consent_gate(s, r.client_id)
            t = TreatmentRow(session_id=r.id, **vals)
            s.add(t)
            s.flush()
            self._changed(r)
            self._regenerate_soap(s, r)
            self._touch(s, r.client_id)
            self._log(s, actor, "create", r.client_id, f"treatment:{t.id}", f"session={r.id}")
            return treatment_of(t)
        return self._run(op)

    def remove_treatment(self, actor: Actor, treatment_id: int, *,
                         session_id: int | None = None,
                         expected_version: int | None = None) -> None:
        """Remove a treatment recorded by mistake (refused on a closed session); the SOAP text
        is regenerated without it."""
        def op(s: OrmSession) -> None:
            if isinstance(treatment_id, bool) or not isinstance(treatment_id, int):
                raise NotFound(f"treatment {treatment_id} not found", field="treatment_id")
            t = s.get(TreatmentRow, treatment_id)
            r = self._session_row(s, actor, t.session_id) if t else None
            if t is None or r is None or (session_id is not None and r.id != session_id):
                raise NotFound(f"treatment {treatment_id} not found", field="treatment_id")
            self._writable(r)
            self._check_version(r, expected_version, "session")
            s.delete(t)
            s.flush()
            self._changed(r)
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
                 objective: str = "", assessment: str = "", plan: str = "",
                 expected_version: int | None = None) -> Note:
        """Write the structured S/O/A/P note; the SOAP text is generated from it plus the
        session's NRS, findings, treatments and next appointment."""
        vals = {k: v.text(k, val, max_len=8000) for k, val in (
            ("subjective", subjective), ("objective", objective), ("assessment", assessment),
            ("plan", plan))}

        def op(s: OrmSession) -> Note:
            r = self._open_session(s, actor, session_id, expected_version)
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
            self._changed(r)
            self._touch(s, r.client_id)
            self._log(s, actor, "update", r.client_id, f"note:{r.id}")
            return note_of(n)
        return self._run(op)

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
