"""Sessions in the store: pain map, strokes and coverage, ranking, validation, closing, retries."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from storekit import HEADACHE, World

from knoop.errors import BadInput, Conflict
from knoop.kb import KB_VERSION
from knoop.store.models import AccessLogRow, SessionRow


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


