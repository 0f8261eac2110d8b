"""Clients, sessions, findings, treatments, notes: what is stored, validation, all-or-nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from storekit import HEADACHE, World

from knoop.errors import BadInput, Conflict, NotFound
from knoop.kb import KB_VERSION
from knoop.store import Store
from knoop.store.models import AccessLogRow, ClientRow, ConsentRow, SessionRow


def test_a_session_keeps_the_pain_map_its_regions_the_chart_version_and_a_ranking(
        world: World) -> None:
    s = world.store.create_session(world.owner, world.client.id, complaint="hoofdpijn",
                                   symptoms=["stiff_neck"], causes=["static_posture"],
                                   painmap=HEADACHE, nrs_before=7)
    got = world.store.get_session(world.colleague, s.id)
    assert got.painmap["regions"][0] == {"region": "temple", "side": "right", "intensity": 7}
    assert {(r["region"], r["side"]) for r in got.regions} == {("temple", "right"),
                                                               ("neck_back_upper", "right")}
    assert got.chart_version == "1"
    assert got.kb_version == KB_VERSION == got.ranking["kb_version"]
    assert got.ranking["candidates"][0]["side"] == "right"
    assert (got.status, got.nrs_before, got.symptoms) == ("open", 7, ["stiff_neck"])


def test_strokes_are_kept_and_their_region_coverage_is_derived(world: World) -> None:
    from knoop.bodymap import chart

    shape = next(sh for sh in chart().shapes("front") if sh.key == ("temple", "right"))
    x, y = shape.polygon.representative_point().coords[0]
    stroke = {"view": "front", "points": [[x, y]], "width": 12, "intensity": 8}
    s = world.store.create_session(world.owner, world.client.id, strokes=[stroke])
    assert s.strokes == [stroke]
    temple = [r for r in s.regions if r["region"] == "temple"]
    assert temple and temple[0]["side"] == "right" and 0 < temple[0]["fraction"] <= 1
    assert s.painmap["regions"] and s.ranking is not None


def test_findings_treatments_and_note_make_a_soap_text(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE, nrs_before=7)
    st.add_finding(world.owner, s.id, muscle="trapezius", side="right", result="active",
                   trigger_point="trapezius_upper_front", pain_recognised=True, taut_band=True)
    st.add_finding(world.owner, s.id, muscle="temporalis", side="right", result="none_found")
    st.add_treatment(world.owner, s.id, muscle="trapezius", side="right",
                     technique="ischemic_compression", duration_min=6,
                     pressure_tolerance="moderate")
    st.update_session(world.owner, s.id, nrs_after=3,
                      next_appointment=dt.datetime(2026, 12, 1, 10, 0))
    note = st.set_note(world.owner, s.id, subjective="Hoofdpijn rechts.", assessment="TrP.",
                       plan="Zelfmassage.")
    assert "O: Monnikskapspier rechts: actief (herkenbare pijn, strakke streng)." in \
        note.soap_text
    assert "ischemische compressie, 6 min, druktolerantie matig" in note.soap_text
    assert "NRS) na behandeling: 3/10" in note.soap_text
    assert "Volgende afspraak: 01-12-2026 11:00" in note.soap_text, "UTC 10:00 is 11:00 in NL"
    got = st.get_session(world.owner, s.id)
    ranked = {(c["muscle"], c["side"]): c for c in got.ranking["candidates"]}
    assert ranked[("trapezius", "right")].get("finding") == "active"
    assert got.ranking["candidates"][0]["muscle"] == "trapezius"


@pytest.mark.parametrize("kwargs, field", [
    ({"nrs_before": 11}, "nrs_before"),
    ({"nrs_after": -1}, "nrs_after"),
    ({"symptoms": ["hiccups"]}, "symptoms[0]"),
    ({"causes": ["bad_luck"]}, "causes[0]"),
    ({"screening": ["aliens"]}, "screening[0]"),
    ({"status": "archived"}, "status"),
    ({"painmap": {"regions": [{"region": "temple", "side": "up"}]}}, "regions[0].side"),
    ({"painmap": {"regions": [{"region": "elbow_tip", "side": "left"}]}}, "regions[0].region"),
    ({"strokes": [{"view": "top", "points": [[1, 1]]}]}, "strokes[0].view"),
    ({"started_at": "gisteren"}, "started_at"),
    ({"colour": "red"}, "colour"),
])
def test_a_bad_session_field_is_named_and_nothing_is_saved(world: World, kwargs: dict,
                                                           field: str) -> None:
    st = world.store
    with st.engine.connect() as c:
        logs = c.scalar(select(func.count()).select_from(AccessLogRow))
    with pytest.raises(BadInput) as info:
        st.create_session(world.owner, world.client.id, **kwargs)
    assert info.value.field == field
    with st.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(SessionRow)) == 0
        assert c.scalar(select(func.count()).select_from(AccessLogRow)) == logs


@pytest.mark.parametrize("kwargs, field", [
    ({"muscle": "biceps", "side": "left", "result": "active"}, "muscle"),
    ({"muscle": "trapezius", "side": "both", "result": "active"}, "side"),
    ({"muscle": "trapezius", "side": "left", "result": "maybe"}, "result"),
    ({"muscle": "trapezius", "side": "left", "result": "active",
      "trigger_point": "masseter_1"}, "trigger_point"),
    ({"muscle": "trapezius", "side": "left", "result": "active", "twitch": "ja"}, "twitch"),
])
def test_a_bad_finding_names_the_field(world: World, kwargs: dict, field: str) -> None:
    s = world.store.create_session(world.owner, world.client.id)
    with pytest.raises(BadInput) as info:
        world.store.add_finding(world.owner, s.id, **kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("kwargs, field", [
    ({"technique": "acupuncture"}, "technique"),
    ({"technique": "massage", "duration_min": 500}, "duration_min"),
    ({"technique": "massage", "pressure_tolerance": "extreme"}, "pressure_tolerance"),
])
def test_a_bad_treatment_names_the_field(world: World, kwargs: dict, field: str) -> None:
    s = world.store.create_session(world.owner, world.client.id)
    with pytest.raises(BadInput) as info:
        world.store.add_treatment(world.owner, s.id, muscle="trapezius", side="left", **kwargs)
    assert info.value.field == field


@pytest.mark.parametrize("kwargs, field", [
    ({"first_name": "", "last_name": "Jansen"}, "first_name"),
    ({"first_name": "Jan", "last_name": "Jansen", "email": "geen-mail"}, "email"),
    ({"first_name": "Jan", "last_name": "Jansen", "date_of_birth": "2999-01-01"},
     "date_of_birth"),
    ({"first_name": "Jan", "last_name": "x" * 101}, "last_name"),
])
def test_a_bad_client_field_is_named(world: World, kwargs: dict, field: str) -> None:
    with pytest.raises(BadInput) as info:
        world.store.create_client(world.owner, **kwargs)
    assert info.value.field == field


def test_a_failure_half_way_leaves_nothing_half_saved(world: World,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from knoop.store import audit

    def broken(*a: object, **k: object) -> int:
        raise RuntimeError("disk full")
    monkeypatch.setattr(audit, "append", broken)
    with pytest.raises(RuntimeError):
        world.store.create_session(world.owner, world.client.id, painmap=HEADACHE)
    monkeypatch.undo()
    with world.store.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(SessionRow)) == 0
    assert world.store.verify_access_log().ok


def test_a_closed_session_refuses_changes_until_reopened(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id)
    st.set_status(world.owner, s.id, "closed")
    with pytest.raises(Conflict):
        st.add_treatment(world.owner, s.id, muscle="trapezius", side="left", technique="massage")
    with pytest.raises(Conflict):
        st.update_session(world.owner, s.id, nrs_after=2)
    st.set_status(world.owner, s.id, "open")
    st.update_session(world.owner, s.id, nrs_after=2)


def test_a_retried_request_id_does_not_duplicate_the_session(world: World) -> None:
    a = world.store.create_session(world.owner, world.client.id, request_id="r-1")
    b = world.store.create_session(world.owner, world.client.id, request_id="r-1")
    assert a.id == b.id
    assert len(world.store.client_history(world.owner, world.client.id)) == 1


def test_name_search_is_a_prefix_search_ignoring_case_accents_and_infix(world: World) -> None:
    st, me = world.store, world.owner
    st.create_client(me, first_name="Zoë", last_name="Öztürk")
    st.create_client(me, first_name="Henk", infix="van den", last_name="Berg")
    st.create_client(me, first_name="Bert", last_name="Bergman")

    def names(q: str) -> list[str]:
        return [c.display_name for c in st.search_clients(me, q)]
    assert names("ozt") == ["Zoë Öztürk"]
    assert names("ZOE") == ["Zoë Öztürk"]
    assert names("berg") == ["Henk van den Berg", "Bert Bergman"]
    assert names("van den b") == ["Henk van den Berg"]
    assert names("henk van") == ["Henk van den Berg"]
    assert names("xyz") == []
    assert len(names("")) == 4


def test_history_lists_a_clients_sessions_newest_first(world: World) -> None:
    st = world.store
    for day in (3, 1, 2):
        st.create_session(world.owner, world.client.id, started_at=dt.datetime(2026, 5, day))
    hist = st.client_history(world.colleague, world.client.id)
    assert [h.started_at.day for h in hist] == [3, 2, 1]


def test_consents_record_kind_date_text_version_and_who_took_them(world: World) -> None:
    st = world.store
    st.record_consent(world.owner, world.client.id, "treatment", True, "2026-01",
                      date="2026-03-01")
    st.record_consent(world.owner, world.client.id, "photos", False, "2026-01")
    with pytest.raises(BadInput) as info:
        st.record_consent(world.owner, world.client.id, "marketing", True, "2026-01")
    assert info.value.field == "kind"
    got = st.consents(world.colleague, world.client.id)
    assert [(c.kind, c.given, c.taken_by) for c in got] == [
        ("treatment", True, world.owner.user_id), ("photos", False, world.owner.user_id)]
    assert got[0].date == dt.date(2026, 3, 1)


def test_the_dossier_export_holds_everything_about_the_client(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE)
    st.add_finding(world.owner, s.id, muscle="trapezius", side="right", result="latent")
    d = st.client_dossier(world.owner, world.client.id)
    assert d["client"]["last_name"] == "Vries"
    assert d["sessions"][0]["findings"][0]["result"] == "latent"


def test_store_results_are_plain_dataclasses(store: Store, world: World) -> None:
    import dataclasses
    c = store.get_client(world.owner, world.client.id)
    assert dataclasses.is_dataclass(c) and type(c).__module__ == "knoop.store.types"


def _count(store: Store, table: type) -> int:
    with store.engine.connect() as c:
        return int(c.scalar(select(func.count()).select_from(table)) or 0)


def test_a_new_client_and_the_consents_are_stored_in_one_go(world: World) -> None:
    st = world.store
    c = st.create_client(world.owner, first_name="Jan", last_name="Dijk", consents=[
        {"kind": "treatment", "text_version": "2026-01", "date": "2026-01-10"},
        {"kind": "photos", "given": False, "text_version": "2026-01"}])
    got = st.consents(world.colleague, c.id)
    assert [(x.kind, x.given, x.date.isoformat() if x.kind == "treatment" else "", x.taken_by)
            for x in got] == [("treatment", True, "2026-01-10", world.owner.user_id),
                              ("photos", False, "", world.owner.user_id)]
    objects = [e.object for e in st.access_for_client(c.id)]
    assert objects[0] == f"client:{c.id}" and [o.split(":")[0] for o in objects[1:3]] == \
        ["consent", "consent"]


@pytest.mark.parametrize("consents, field", [
    ([{"kind": "treatment", "text_version": "2026-01"}, {"kind": "marketing",
                                                         "text_version": "2026-01"}],
     "consents[1].kind"),
    ([{"kind": "treatment", "text_version": ""}], "consents[0].text_version"),
    ([{"kind": "treatment", "text_version": "v", "date": "gisteren"}], "consents[0].date"),
    ([{"kind": "treatment", "text_version": "v", "given": "ja"}], "consents[0].given"),
    ([{"kind": "treatment", "text_version": "v", "colour": "red"}], "consents[0].colour"),
    ("treatment", "consents"),
])
def test_a_bad_consent_leaves_no_client_behind(world: World, consents: object,
                                               field: str) -> None:
    st = world.store
    clients, cons = _count(st, ClientRow), _count(st, ConsentRow)
    with pytest.raises(BadInput) as info:
        st.create_client(world.owner, first_name="Jan", last_name="Dijk",
                         consents=consents)  # type: ignore[arg-type]
    assert info.value.field == field
    assert (_count(st, ClientRow), _count(st, ConsentRow)) == (clients, cons)
    assert st.search_clients(world.owner, "dijk") == []


def test_a_failure_while_storing_a_consent_leaves_no_client_behind(
        world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    from knoop.store import audit

    st = world.store
    real = audit.append

    def failing_on_consents(*a: object, **k: object) -> object:
        if str(k.get("obj", "")).startswith("consent:"):
            raise RuntimeError("disk full")
        return real(*a, **k)  # type: ignore[arg-type]
    monkeypatch.setattr(audit, "append", failing_on_consents)
    with pytest.raises(RuntimeError):
        st.create_client(world.owner, first_name="Jan", last_name="Dijk",
                         consents=[{"kind": "treatment", "text_version": "2026-01"}])
    monkeypatch.undo()
    assert st.search_clients(world.owner, "dijk") == []
    assert _count(st, ConsentRow) == 0
    assert st.verify_access_log().ok


def test_a_retried_new_client_request_id_does_not_duplicate_the_client(world: World) -> None:
    st = world.store
    kw = {"first_name": "Jan", "last_name": "Dijk",
          "consents": [{"kind": "treatment", "text_version": "2026-01"}]}
    a = st.create_client(world.owner, request_id="form-1", **kw)  # type: ignore[arg-type]
    b = st.create_client(world.colleague, request_id="form-1", **kw)  # type: ignore[arg-type]
    assert a.id == b.id
    assert len(st.search_clients(world.owner, "dijk")) == 1
    assert len(st.consents(world.owner, a.id)) == 1
    other = st.create_client(world.outsider, request_id="form-1", **kw)  # type: ignore[arg-type]
    assert other.id != a.id and other.practice_id == world.practice_b
    c = st.create_client(world.owner, request_id="form-2", **kw)  # type: ignore[arg-type]
    assert c.id not in (a.id, other.id)


def test_a_treatment_can_be_removed_and_leaves_the_soap_text(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE)
    keep = st.add_treatment(world.owner, s.id, muscle="trapezius", side="right",
                            technique="massage", duration_min=5)
    wrong = st.add_treatment(world.owner, s.id, muscle="temporalis", side="right",
                             technique="dry_needling")
    st.set_note(world.owner, s.id, plan="Zelfmassage.")
    st.remove_treatment(world.colleague, wrong.id)
    got = st.get_session(world.owner, s.id)
    assert [t.id for t in got.treatments] == [keep.id]
    assert "dry needling" not in got.note.soap_text and "massage, 5 min" in got.note.soap_text
    assert ("delete", f"treatment:{wrong.id}") in [
        (e.action, e.object) for e in st.access_for_client(world.client.id)]
    with pytest.raises(NotFound) as again:
        st.remove_treatment(world.owner, wrong.id)
    assert again.value.message == f"treatment {wrong.id} not found"


def test_a_treatment_of_a_closed_session_cannot_be_removed(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id)
    t = st.add_treatment(world.owner, s.id, muscle="trapezius", side="left", technique="heat")
    st.set_status(world.owner, s.id, "closed")
    with pytest.raises(Conflict):
        st.remove_treatment(world.owner, t.id)
    assert len(st.get_session(world.owner, s.id).treatments) == 1


def test_waiting_intakes_list_the_practices_drafts_oldest_first(world: World) -> None:
    st = world.store
    other = st.create_client(world.owner, first_name="Bert", infix="van", last_name="Berg")
    st.create_session(world.owner, world.client.id, status="draft",
                      started_at=dt.datetime(2026, 11, 3, 9), complaint="nek")
    first = st.create_session(world.owner, other.id, status="draft",
                              started_at=dt.datetime(2026, 11, 1, 9), nrs_before=5)
    st.create_session(world.owner, other.id, status="open")
    theirs = st.create_client(world.outsider, first_name="Els", last_name="Elders")
    st.create_session(world.outsider, theirs.id, status="draft")
    got = st.waiting_intakes(world.colleague)
    assert [(w.client_name, w.session_id == first.id) for w in got] == [
        ("Bert van Berg", True), ("Anna de Vries", False)]
    assert got[0].nrs_before == 5 and got[1].complaint == "nek"
    assert [w.client_name for w in st.waiting_intakes(world.outsider)] == ["Els Elders"]
    st.set_status(world.owner, first.id, "open")
    assert [w.client_name for w in st.waiting_intakes(world.owner)] == ["Anna de Vries"]
    with st.engine.connect() as c:
        last = c.execute(select(AccessLogRow.action, AccessLogRow.object, AccessLogRow.client_id)
                         .order_by(AccessLogRow.id.desc()).limit(1)).one()
    assert tuple(last) == ("search", "sessions:draft", None)
