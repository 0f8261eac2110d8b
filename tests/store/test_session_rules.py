"""The session's rules live in the store: stale writes are refused, the red-flag gate holds for
every caller, an emergency flag is only overridden with a written reason, and a finding is
replaced in one transaction. Every test runs on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from storekit import HEADACHE, World

from knoop.errors import BadInput, ConsentMissing, ReasonRequired, RedFlagOpen, StaleVersion
from knoop.store import Store
from knoop.store.models import AccessLogRow, FindingRow

NOW = dt.datetime(2026, 12, 3, 10, 0)


def _flagged(world: World, *screening: str) -> int:
    s = world.store.create_session(world.owner, world.client.id, painmap=HEADACHE,
                                   screening=list(screening))
    assert set(s.open_flags) >= set(screening)
    return s.id


def test_a_write_based_on_an_old_version_is_refused_and_the_newer_one_kept(
        world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, complaint="nek")
    a = st.update_session(world.owner, s.id, expected_version=s.version, complaint="tab A")
    assert a.version == s.version + 1
    with pytest.raises(StaleVersion) as e:
        st.update_session(world.colleague, s.id, expected_version=s.version, complaint="tab B")
    assert e.value.http_status == 412 and e.value.current == a.version
    assert st.get_session(world.owner, s.id).complaint == "tab A"
    for write in (lambda v: st.set_note(world.owner, s.id, plan="x", expected_version=v),
                  lambda v: st.add_treatment(world.owner, s.id, muscle="trapezius",
                                             side="left", technique="massage",
                                             expected_version=v)):
        with pytest.raises(StaleVersion):
            write(s.version)
    assert st.get_session(world.owner, s.id).treatments == []


def test_a_stale_client_change_is_refused_too(world: World) -> None:
    st = world.store
    c = st.get_client(world.owner, world.client.id)
    newer = st.update_client(world.owner, c.id, expected_version=c.version, phone="06-1")
    assert newer.version == c.version + 1
    with pytest.raises(StaleVersion):
        st.update_client(world.colleague, c.id, expected_version=c.version, phone="06-2")
    assert st.get_client(world.owner, c.id).phone == "06-1"


def test_every_change_to_a_part_of_the_session_raises_its_version(world: World) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE)
    versions = [s.version]
    st.chart_finding(world.owner, s.id, muscle="trapezius", side="right", result="active")
    versions.append(st.get_session(world.owner, s.id).version)
    st.add_treatment(world.owner, s.id, muscle="trapezius", side="right", technique="massage")
    versions.append(st.get_session(world.owner, s.id).version)
    st.set_note(world.owner, s.id, assessment="trapezius")
    versions.append(st.get_session(world.owner, s.id).version)
    assert versions == sorted(set(versions)) and len(versions) == 4


def test_no_finding_or_treatment_while_a_red_flag_is_open(world: World) -> None:
    st = world.store
    sid = _flagged(world, "anticoagulants")
    with pytest.raises(RedFlagOpen) as e:
        st.add_finding(world.owner, sid, muscle="trapezius", side="right", result="active")
    assert "anticoagulants" in (e.value.allowed or [])
    with pytest.raises(RedFlagOpen):
        st.chart_finding(world.owner, sid, muscle="trapezius", side="right", result="active")
    with pytest.raises(RedFlagOpen):
        st.add_treatment(world.owner, sid, muscle="trapezius", side="right",
                         technique="massage")
    s = st.decide_flags(world.owner, sid, acknowledge=["anticoagulants"])
    assert s.open_flags == []
    st.add_treatment(world.owner, sid, muscle="trapezius", side="right", technique="massage")


def test_an_emergency_flag_is_only_overridden_with_a_written_reason(store: Store,
                                                                     world: World) -> None:
    st = Store(store.engine, clock=lambda: NOW)
    sid = _flagged(world, "chest_pain_exertion")
    with pytest.raises(ReasonRequired) as e:
        st.decide_flags(world.owner, sid, acknowledge=["chest_pain_exertion"])
    assert e.value.field == "override.chest_pain_exertion"
    with pytest.raises(ReasonRequired):
        st.decide_flags(world.owner, sid, override={"chest_pain_exertion": "ok"})
    assert st.get_session(world.owner, sid).open_flags == ["chest_pain_exertion"]
    why = "Cardioloog sloot hartklachten uit op 1 december; brief in dossier"
    s = st.decide_flags(world.owner, sid, override={"chest_pain_exertion": why})
    (d,) = s.flag_decisions
    assert (d.flag, d.urgency, d.decision, d.reason, d.decided_at) == \
        ("chest_pain_exertion", "emergency", "overridden", why, NOW)
    st.set_note(world.owner, sid, assessment="Trapezius actief.")
    soap = st.get_session(world.owner, sid).note.soap_text  # type: ignore[union-attr]
    assert "Rode vlag (spoed): Pijn of druk op de borst" in soap
    assert "; overschreven door owner@knoop.test: Cardioloog" in soap
    with store.engine.connect() as c:
        logged = c.scalar(select(func.count()).select_from(AccessLogRow).where(
            AccessLogRow.action == "flag_override"))
        assert logged == 1
        details = " ".join(r for (r,) in c.execute(select(AccessLogRow.detail)))
    assert "Cardioloog" not in details, "the reason is in the record, not in the access log"
    dossier = st.client_dossier(world.owner, world.client.id)
    assert why in str(dossier)


def test_a_finding_is_replaced_in_one_transaction(world: World, store: Store) -> None:
    st = world.store
    s = st.create_session(world.owner, world.client.id, painmap=HEADACHE)
    st.chart_finding(world.owner, s.id, muscle="trapezius", side="right", result="active",
                     pain_recognised=True)
    got = st.chart_finding(world.owner, s.id, muscle="trapezius", side="right",
                           result="none_found")
    assert [(f.muscle, f.result) for f in got.findings] == [("trapezius", "none_found")]
    with pytest.raises(BadInput):
        st.chart_finding(world.owner, s.id, muscle="trapezius", side="right", result="active",
                         trigger_point="soleus_1")  # refused before anything is removed
    assert [f.result for f in st.get_session(world.owner, s.id).findings] == ["none_found"]
    back = st.chart_finding(world.owner, s.id, muscle="trapezius", side="right", result=None)
    assert back.findings == []
    with store.engine.connect() as c:
        assert c.scalar(select(func.count()).select_from(FindingRow)) == 0


def test_the_ranking_knows_the_clients_age_on_the_day_of_the_session(world: World) -> None:
    """Temple and jaw pain with a tender scalp: after 50 a possible giant cell arteritis
    (urgent), at 48 only the screening answer itself (gp). The store fills in the age from the
    client's date of birth on the day of the session."""
    pm = {"regions": [{"region": "temple", "side": "right", "intensity": 6},
                      {"region": "jaw_angle", "side": "right", "intensity": 5}]}
    when = dt.datetime(2026, 12, 1, 9, 0)

    def flags(born: str) -> list[tuple[str, str]]:
        c = world.store.create_client(world.owner, first_name="Wim", last_name=f"Bos {born}",
                                      date_of_birth=born)
        s = world.store.create_session(world.owner, c.id, painmap=pm, started_at=when,
                                       screening=["scalp_tenderness"])
        assert s.ranking is not None
        return [(f["id"], f["urgency"]) for f in s.ranking["red_flags"]]

    assert flags("1950-03-01") == [("giant_cell_arteritis", "urgent")]   # 76
    assert flags("1976-12-01") == [("giant_cell_arteritis", "urgent")]   # 50 that day
    assert flags("1976-12-02") == [("scalp_tenderness", "gp")]           # 49


def test_no_treatment_and_no_session_start_without_the_clients_treatment_consent(
        world: World) -> None:
    st = world.store
    c = st.create_client(world.owner, first_name="Zonder", last_name="Toestemming")
    with pytest.raises(ConsentMissing):
        st.create_session(world.owner, c.id, require_consent=True)
    s = st.create_session(world.owner, c.id, painmap=HEADACHE)  # e.g. an intake draft
    with pytest.raises(ConsentMissing) as info:
        st.add_treatment(world.owner, s.id, muscle="trapezius", side="right",
                         technique="massage")
    assert info.value.http_status == 409
    st.record_consent(world.owner, c.id, "treatment", True, "2026-01")
    st.add_treatment(world.owner, s.id, muscle="trapezius", side="right", technique="massage")
    assert st.create_session(world.owner, c.id, require_consent=True).status == "open"
    st.record_consent(world.owner, c.id, "treatment", False, "2026-01")  # withdrawn
    with pytest.raises(ConsentMissing):
        st.add_treatment(world.owner, s.id, muscle="trapezius", side="left",
                         technique="massage")


def test_taking_over_an_intake_needs_the_clients_treatment_consent(world: World) -> None:
    st = world.store
    c = st.create_client(world.owner, first_name="Intake", last_name="Zonder")
    draft = st.create_session(world.owner, c.id, status="draft", painmap=HEADACHE)
    with pytest.raises(ConsentMissing):
        st.set_status(world.owner, draft.id, "open")
    assert st.get_session(world.owner, draft.id).status == "draft"
    st.record_consent(world.owner, c.id, "treatment", True, "2026-01")
    assert st.set_status(world.owner, draft.id, "open").status == "open"
