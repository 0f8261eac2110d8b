"""How a session is shown: names, the findings and treatments as the page lists them, the
drawing as the widget restores it, and the state the JSON API answers with.

Shared by the session page (:mod:`knoop.web.session_page`) and its JSON API
(:mod:`knoop.web.session_api`). Words come from :mod:`knoop.vocabulary` and the gettext
catalogs; left and right are the client's own sides.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from knoop.store import Session
from knoop.vocabulary import SIDES, TECHNIQUE_WORDS, TOLERANCES, word
from knoop.web.deps import RecordId, fmt_datetime, local_time

SessionId = RecordId


def _(message: str) -> str:
    return message


TOLERANCE_LABELS = dict(zip(TOLERANCES, (_("low"), _("moderate"), _("high")), strict=True))
RESULTS = {"active": _("active trigger point"), "latent": _("latent"),
           "none_found": _("none found"), "not_examined": _("not examined")}
CRITERIA = (("pain_recognised", _("pain recognised")), ("tender_spot", _("tender spot")),
            ("taut_band", _("taut band")), ("referral_elicited", _("referral elicited")),
            ("twitch", _("twitch response")))
SIDE_LABELS = dict(zip(SIDES, (_("left"), _("right")), strict=True))


def technique_name(key: str, lang: str) -> str:
    """A technique as the therapist reads it ("Ischemische compressie")."""
    text = word(TECHNIQUE_WORDS, key, lang)
    return text[:1].upper() + text[1:]


def kb_name(muscle: str, lang: str) -> str:
    from knoop.kb import knowledge_base

    m = knowledge_base().muscles.get(muscle)
    if m is None:
        return muscle
    return m.names.nl if lang == "nl" else m.names.en


def tp_name(muscle: str, tp: str | None, lang: str) -> str:
    from knoop.kb import knowledge_base

    m = knowledge_base().muscles.get(muscle)
    if m is None or not tp:
        return ""
    for p in m.trigger_points:
        if p.id == tp:
            return p.name.get(lang) or tp
    return tp


def latestfindings(s: Session) -> dict[tuple[str, str], Any]:
    """The finding in force per muscle and side: the last one charted."""
    out: dict[tuple[str, str], Any] = {}
    for f in s.findings:
        out[(f.muscle, f.side)] = f
    return out


def drawing_init(s: Session) -> dict[str, Any]:
    """The drawing as the widget restores it: strokes, explicit regions, exclusions,
    findings in force, acknowledged red flags."""
    d = (s.intake or {}).get("drawing")
    if isinstance(d, dict):
        regions, exclude = d.get("regions") or [], d.get("exclude") or []
    else:  # drawn elsewhere (demo data, the API): the pain map's regions are the choices
        regions = [] if s.strokes else list((s.painmap or {}).get("regions") or [])
        exclude = []
    findings = []
    for f in latestfindings(s).values():
        item = {"muscle": f.muscle, "side": f.side, "result": f.result, "id": f.id,
                "trigger_point": f.trigger_point, "note": f.note}
        for c, _label in CRITERIA:
            item[c] = getattr(f, c)
        findings.append(item)
    return {"strokes": s.strokes or [], "regions": regions, "exclude": exclude,
            "findings": findings,
            "acked_flags": [d.flag for d in s.flag_decisions]}


def treatments(s: Session, lang: str, t: Any) -> list[dict[str, Any]]:
    return [{"id": x.id, "muscle": x.muscle, "name": kb_name(x.muscle, lang),
             "side": x.side, "side_name": t(SIDE_LABELS.get(x.side, x.side)),
             "technique": technique_name(x.technique, lang), "technique_id": x.technique,
             "pressure_tolerance": x.pressure_tolerance,
             "duration_min": x.duration_min,
             "pressure": t(TOLERANCE_LABELS[x.pressure_tolerance]) if x.pressure_tolerance
             else "",
             "note": x.note} for x in s.treatments]


def findings(s: Session, lang: str, t: Any) -> list[dict[str, Any]]:
    out = []
    for f in latestfindings(s).values():
        crit = [t(label) for c, label in CRITERIA if getattr(f, c)]
        out.append({"id": f.id, "muscle": f.muscle, "name": kb_name(f.muscle, lang),
                    "side": f.side, "side_name": t(SIDE_LABELS.get(f.side, f.side)),
                    "result": f.result, "result_name": t(RESULTS.get(f.result, f.result)),
                    "trigger_point": tp_name(f.muscle, f.trigger_point, lang),
                    "criteria": crit})
    return out


def muscle_options(lang: str) -> list[tuple[str, str]]:
    from knoop.kb import knowledge_base

    ms = knowledge_base().muscles.values()
    return sorted(((m.id, m.names.nl if lang == "nl" else m.names.en) for m in ms),
                  key=lambda x: x[1].lower())


def local_input(moment: dt.datetime | None) -> str:
    m = local_time(moment)
    return m.strftime("%Y-%m-%dT%H:%M") if m is not None else ""


def state(s: Session, lang: str, t: Any) -> dict[str, Any]:
    """The session as the page needs it after a save (and after a refused stale save: the
    version and fields now stored, so the page can show what changed elsewhere)."""
    return {"id": s.id, "version": s.version, "status": s.status,
            "updated_at": fmt_datetime(s.updated_at), "soap_text": s.note.soap_text if s.note else "",
            "findings": findings(s, lang, t), "treatments": treatments(s, lang, t),
            "open_flags": s.open_flags,
            "fields": {"complaint": s.complaint, "nrs_before": s.nrs_before,
                       "nrs_after": s.nrs_after, "causes": list(s.causes),
                       "next_appointment": local_input(s.next_appointment)}}


def etag(s: Session) -> str:
    """The session's version as an HTTP entity tag."""
    return f'"v{s.version}"'
