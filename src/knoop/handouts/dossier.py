"""The dossier export: the electronic copy a client may ask for (WGBO art. 7:456, AVG art. 15).

Everything the store keeps about the client (client data, consents, every session with its
drawing, findings, treatments, NRS, notes and handouts) plus the access log for that client,
as JSON (:func:`dossier_json`) and as a PDF (:func:`dossier_pdf`).

Read through ``store.client_dossier`` (access-logged as ``export``) and
``store.access_for_client(actor=...)``, which only an admin may call: the copy includes the
access log, so exporting it is an admin's task (a therapist gets :class:`Forbidden`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from knoop.bodymap import surface
from knoop.handouts.aftercare import check_lang
from knoop.handouts.charts import as_image
from knoop.handouts.pdf import render_html, short_date, write_pdf
from knoop.handouts.practice import PracticeDetails, practice_details
from knoop.handouts.session_chart import painted, session_charts, trigger_points
from knoop.handouts.texts import SIDE, TECHNIQUE
from knoop.kb import KB_VERSION, knowledge_base
from knoop.numbers import pct
from knoop.store import Actor, Store

FORMAT = "knoop-dossier"
FORMAT_VERSION = 1

LABELS = {
    "nl": {"title": "Dossier", "subtitle": "Elektronisch afschrift van het dossier",
           "client": "Cliënt", "name": "Naam", "dob": "Geboortedatum", "email": "E-mail",
           "phone": "Telefoon", "gp": "Huisarts", "created": "In zorg sinds",
           "retention": "Bewaren tot", "consents": "Toestemmingen", "kind": "Soort",
           "given": "Gegeven", "yes": "ja", "no": "nee", "date": "Datum",
           "version": "Tekstversie", "sessions": "Behandelingen", "complaint": "Klacht",
           "nrs": "NRS voor → na", "status": "Status", "session": "Behandeling",
           "drawing": "Pijntekening", "no_drawing": "geen tekening", "regions": "Getekende gebieden",
           "area": "Getekend oppervlak", "of_body": "van de huid",
           "findings": "Bevindingen", "muscle": "Spier", "side": "Zijde", "tp": "Triggerpunt",
           "result": "Uitkomst", "criteria": "Criteria", "treatments": "Behandeld",
           "technique": "Techniek", "minutes": "Min.", "tolerance": "Druktolerantie",
           "flags": "Rode vlaggen", "note": "Verslag (SOAP)", "handouts": "Meegegeven", "next": "Volgende afspraak",
           "symptoms": "Klachten", "causes": "Oorzaken", "access": "Toegangslog",
           "access_intro": "Wie dit dossier heeft ingezien of gewijzigd (NEN 7513).",
           "at": "Tijd", "who": "Wie", "action": "Actie", "object": "Object",
           "exported": "Geëxporteerd", "by": "door", "none": "geen", "intensity": "intensiteit",
           "page": "pagina", "kb": "kennisbank", "diary": "Pijndagboek (door de cliënt)",
           "exercises": "Oefeningen gedaan", "much_worse": "Veel erger", "drawn": "Tekening"},
    "en": {"title": "Dossier", "subtitle": "Electronic copy of the record",
           "client": "Client", "name": "Name", "dob": "Date of birth", "email": "E-mail",
           "phone": "Phone", "gp": "GP", "created": "In care since",
           "retention": "Retain until", "consents": "Consents", "kind": "Kind",
           "given": "Given", "yes": "yes", "no": "no", "date": "Date",
           "version": "Text version", "sessions": "Sessions", "complaint": "Complaint",
           "nrs": "NRS before → after", "status": "Status", "session": "Session",
           "drawing": "Pain drawing", "no_drawing": "no drawing", "regions": "Painted regions",
           "area": "Painted area", "of_body": "of the skin",
           "findings": "Findings", "muscle": "Muscle", "side": "Side", "tp": "Trigger point",
           "result": "Result", "criteria": "Criteria", "treatments": "Treated",
           "technique": "Technique", "minutes": "Min.", "tolerance": "Pressure tolerance",
           "flags": "Red flags", "note": "Note (SOAP)", "handouts": "Handouts", "next": "Next appointment",
           "symptoms": "Symptoms", "causes": "Causes", "access": "Access log",
           "access_intro": "Who viewed or changed this record (NEN 7513).",
           "at": "Time", "who": "Who", "action": "Action", "object": "Object",
           "exported": "Exported", "by": "by", "none": "none", "intensity": "intensity",
           "page": "page", "kb": "knowledge base", "diary": "Pain diary (by the client)",
           "exercises": "Exercises done", "much_worse": "Much worse", "drawn": "Drawing"},
}
RESULT = {"nl": {"active": "actief", "latent": "latent", "none_found": "niets gevonden",
                 "not_examined": "niet onderzocht"},
          "en": {"active": "active", "latent": "latent", "none_found": "none found",
                 "not_examined": "not examined"}}
CRITERIA = {"nl": {"pain_recognised": "herkenbare pijn", "tender_spot": "drukpijnlijk punt",
                   "taut_band": "strakke streng", "referral_elicited": "uitstraling opgewekt",
                   "twitch": "twitch"},
            "en": {"pain_recognised": "pain recognised", "tender_spot": "tender spot",
                   "taut_band": "taut band", "referral_elicited": "referral elicited",
                   "twitch": "twitch"}}
CONSENT = {"nl": {"treatment": "behandeling", "gp_sharing": "delen met huisarts",
                  "photos": "foto's", "research": "onderzoek",
                  "aftercare": "nazorgpagina en pijndagboek"},
           "en": {"treatment": "treatment", "gp_sharing": "sharing with GP",
                  "photos": "photos", "research": "research",
                  "aftercare": "aftercare page and pain diary"}}
TOLERANCE = {"nl": {"low": "laag", "moderate": "matig", "high": "hoog"},
             "en": {"low": "low", "moderate": "moderate", "high": "high"}}
FLAG_DECISION = {"nl": {"acknowledged": "gezien", "overridden": "overschreven, toch behandeld"},
                 "en": {"acknowledged": "acknowledged", "overridden": "overridden, treated"}}
STATUS = {"nl": {"draft": "concept", "open": "open", "closed": "afgesloten"},
          "en": {"draft": "draft", "open": "open", "closed": "closed"}}


def dossier_json(store: Store, actor: Actor, client_id: int, *,
                 now: dt.datetime | None = None) -> dict[str, Any]:
    """Everything about the client plus its access log, JSON-ready. Outsiders get NotFound,
    a therapist Forbidden (the access log is for admins)."""
    store.check_full_export(actor, client_id)
    data = store.client_dossier(actor, client_id)
    log = store.access_for_client(client_id, actor=actor)
    p = store.practice(actor.practice_id)
    return {"format": FORMAT, "format_version": FORMAT_VERSION,
            "exported_at": (now or dt.datetime.now(dt.UTC).replace(tzinfo=None)).isoformat(),
            "exported_by": actor.email, "kb_version": KB_VERSION,
            "practice": {"id": p.id, "name": p.name, "city": p.city},
            **data, "access_log": [e.to_dict() for e in log]}


def _parse_dt(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


HANDOUT_KINDS = {"nl": {"aftercare": "nazorgfolder", "leaflet": "uitlegfolder"},
                 "en": {"aftercare": "aftercare handout", "leaflet": "education leaflet"}}
LANGUAGE_WORDS = {"nl": {"nl": "Nederlands", "en": "Engels"},
                  "en": {"nl": "Dutch", "en": "English"}}


def handout_lines(handouts: list[dict[str, Any]], lang: str) -> list[str]:
    """Each kind and language of handout given in a session once: "nazorgfolder (Nederlands),
    3× meegegeven, laatst 03-12-2026" (downloading it again records it again)."""
    groups: dict[tuple[str, str], list[dt.datetime]] = {}
    for h in handouts:
        when = _parse_dt(h.get("issued_at"))
        groups.setdefault((h["kind"], h["language"]), []).extend([when] if when else [])
    times = "×" + (" meegegeven" if lang == "nl" else " given")
    last = "laatst" if lang == "nl" else "last"
    out = []
    for (kind, language), issued in groups.items():
        line = (f"{HANDOUT_KINDS[lang].get(kind, kind)} "
                f"({LANGUAGE_WORDS[lang].get(language, language)})")
        if len(issued) > 1:
            line += f", {len(issued)}{times}, {last} {max(issued):%d-%m-%Y}"
        elif issued:
            line += f", {issued[0]:%d-%m-%Y}"
        out.append(line)
    return out


def _session_view(s: dict[str, Any], lang: str) -> dict[str, Any]:
    kb = knowledge_base()

    def mname(m: str) -> str:
        names = kb.muscle(m).names
        return names.en if lang == "en" else names.nl

    rows = s.get("regions") or (s.get("painmap") or {}).get("regions", [])
    regions = painted(rows)
    area = surface.painted(rows)
    points = []
    for f in s["findings"]:
        if f["result"] in ("active", "latent"):
            points.extend(trigger_points(f["muscle"], f["side"],
                                         [f["trigger_point"]] if f["trigger_point"] else [],
                                         lang=lang))
    charts = ([(caption, as_image(svg)) for caption, svg in
               session_charts(regions, points, lang=lang)] if regions or points else [])
    contract = kb.contract
    region_list = []
    for r in sorted(s.get("regions") or [], key=lambda r: -(r.get("intensity") or 0)):
        meta = contract.regions.get(r["region"])
        name = (meta.en if lang == "en" else meta.nl) if meta else r["region"]
        side = SIDE[lang].get(r.get("side") or "", "")
        region_list.append(f"{name}{' ' + side if side else ''} ({r.get('intensity') or '-'})")
    findings = [{"muscle": mname(f["muscle"]), "side": SIDE[lang][f["side"]],
                 "tp": (kb.muscle(f["muscle"]).trigger_point(f["trigger_point"]).name.get(lang)
                        if f["trigger_point"] else ""),
                 "result": RESULT[lang][f["result"]],
                 "criteria": ", ".join(CRITERIA[lang][k] for k in CRITERIA[lang] if f.get(k)),
                 "note": f.get("note") or ""} for f in s["findings"]]
    treatments = [{"muscle": mname(t["muscle"]), "side": SIDE[lang][t["side"]],
                   "technique": TECHNIQUE[lang][t["technique"]],
                   "minutes": t["duration_min"] or "",
                   "tolerance": TOLERANCE[lang].get(t["pressure_tolerance"] or "", ""),
                   "note": t.get("note") or ""} for t in s["treatments"]]
    symptoms = [(contract.symptoms[x].en if lang == "en" else contract.symptoms[x].nl)
                for x in s.get("symptoms") or [] if x in contract.symptoms]
    from knoop.handouts.texts import cause_name

    return {"id": s["id"], "started_at": _parse_dt(s["started_at"]),
            "status": STATUS[lang].get(s["status"], s["status"]),
            "complaint": s["complaint"], "nrs_before": s["nrs_before"],
            "nrs_after": s["nrs_after"], "next_appointment": _parse_dt(s["next_appointment"]),
            "charts": charts, "regions": region_list, "findings": findings,
            # the painted share of the skin, as on the history page: "0,7 %"
            "area": pct(surface.area_percent(area), lang) if area else "",
            "treatments": treatments, "soap": (s.get("note") or {}).get("soap_text") or "",
            "symptoms": symptoms, "causes": [cause_name(c, lang) for c in s.get("causes") or []],
            "handouts": handout_lines(s.get("handouts") or [], lang),
            "kb_version": s.get("kb_version") or "",
            "flags": [{"flag": d["flag"], "urgency": d["urgency"],
                       "decision": FLAG_DECISION[lang].get(d["decision"], d["decision"]),
                       "reason": d.get("reason") or "",
                       "at": _parse_dt(d["decided_at"])} for d in s.get("flag_decisions") or []]}


def dossier_context(data: dict[str, Any], practice: PracticeDetails,
                    lang: str = "nl") -> dict[str, Any]:
    from knoop.store.types import Client

    c = data["client"]
    client = Client(**{**c, "date_of_birth": dt.date.fromisoformat(c["date_of_birth"])
                       if c["date_of_birth"] else None,
                       "created_at": _parse_dt(c["created_at"]),
                       "last_change": _parse_dt(c["last_change"]),
                       "retention_until": dt.date.fromisoformat(c["retention_until"])})
    consents = [{"kind": CONSENT[lang].get(x["kind"], x["kind"]), "given": x["given"],
                 "date": dt.date.fromisoformat(x["date"]), "version": x["text_version"]}
                for x in data["consents"]]
    t = LABELS[lang]
    # columns as wide as their longest value: never "intake_lin" for "intake_link"
    log = data["access_log"]
    who_w = max([len(t["who"])] + [len(e["user_email"] or "-") for e in log])
    act_w = max([len(t["action"])] + [len(e["action"]) for e in log])
    log_header = (f"{'#':>6}  {t['at']:<16}  {t['who']:<{who_w}} {t['action']:<{act_w}} "
                  f"{t['object']}")
    log_lines = []
    for e in log:
        at = _parse_dt(e["at"])
        who = e["user_email"] or "-"
        log_lines.append(f"{e['id']:>6}  {short_date(at, time=True):<16}  {who:<{who_w}} "
                         f"{e['action']:<{act_w}} {e['object']}"
                         + (f" ({e['detail']})" if e["detail"] else ""))
    return {"lang": lang, "ui": LABELS[lang], "t": LABELS[lang], "practice": practice,
            "client": client, "consents": consents,
            "sessions": [_session_view(s, lang) for s in data["sessions"]],
            "diary": [{**e, "at": _parse_dt(e["at"])} for e in data.get("diary", [])],
            "log_header": log_header, "log_lines": log_lines, "exported_at": _parse_dt(data["exported_at"]),
            "exported_by": data["exported_by"], "kb_version": data["kb_version"],
            "title": f"{LABELS[lang]['title']} {client.display_name}"}


def render_dossier(data: dict[str, Any], practice: PracticeDetails, lang: str = "nl") -> bytes:
    ctx = dossier_context(data, practice, lang)
    return write_pdf(render_html("dossier.html", ctx), title=ctx["title"], lang=lang)


def dossier_pdf(store: Store, actor: Actor, client_id: int, *, lang: str = "nl",
                data: dict[str, Any] | None = None) -> bytes:
    """The dossier as PDF (``data``: an already made :func:`dossier_json`, to write both
    formats from one read)."""
    lang = check_lang(lang)
    data = data or dossier_json(store, actor, client_id)
    return render_dossier(data, practice_details(store, actor), lang)
