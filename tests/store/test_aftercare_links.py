"""Aftercare links and the pain diary: consent, one client only, revocation, expiry after a
period without use (fixed clock), rate limits, the access log, bad input, the dossier."""

from __future__ import annotations

import datetime as dt

import pytest
from storekit import HEADACHE, World, count_rows

from knoop.errors import AuthError, BadInput, Conflict, NotFound, TooManyRequests
from knoop.store import Store
from knoop.store.aftercare_links import BAD_TOKEN_LIMIT, LINK_LIMIT
from knoop.store.models import DiaryEntryRow

T0 = dt.datetime(2026, 12, 1, 9, 0, 0)


def _stroke() -> dict:
    """A short stroke on the right temple (front view)."""
    from knoop.bodymap import chart

    shape = next(sh for sh in chart().shapes("front") if sh.key == ("temple", "right"))
    x, y = shape.polygon.representative_point().coords[0]
    return {"view": "front", "points": [[x, y]], "width": 12, "intensity": 6}


def _at(world: World, now: list[dt.datetime]) -> Store:
    return Store(world.store.engine, password_hasher=world.store.hasher, clock=lambda: now[0])


def _consent(st: Store, world: World, given: bool = True) -> None:
    st.record_consent(world.owner, world.client.id, "aftercare", given, "2026-12")


def _treated_session(st: Store, world: World) -> int:
    s = st.create_session(world.owner, world.client.id, status="open", painmap=HEADACHE,
                          nrs_before=7)
    st.add_treatment(world.owner, s.id, muscle="trapezius", side="right",
                     technique="ischemic_compression")
    st.update_session(world.owner, s.id, nrs_after=4)
    return s.id


def test_a_link_needs_the_clients_aftercare_consent(world: World) -> None:
    with pytest.raises(Conflict) as e:
        world.store.create_aftercare_link(world.owner, world.client.id)
    assert e.value.kind == "consent"
    _consent(world.store, world)
    assert len(world.store.create_aftercare_link(world.owner, world.client.id)) >= 40


def test_the_page_shows_the_latest_session_and_only_this_clients_first_name(
        world: World) -> None:
    st = world.store
    _consent(st, world)
    sid = _treated_session(st, world)
    st.create_session(world.owner, world.client.id, status="draft")  # an intake: not shown
    other = st.create_client(world.owner, first_name="Bert", last_name="Smit")
    st.create_session(world.owner, other.id, status="open")
    view = st.open_aftercare(st.create_aftercare_link(world.owner, world.client.id))
    assert view.client_id == world.client.id and view.first_name == "Anna"
    assert view.session is not None and view.session.id == sid
    assert [(t.muscle, t.side) for t in view.session.treatments] == [("trapezius", "right")]
    assert "Vries" not in repr(view) and "1978" not in repr(view)


def test_diary_entries_are_stored_with_a_drawing_and_read_by_the_practice_only(
        world: World) -> None:
    st = world.store
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    st.add_diary_entry(token, nrs=5, exercises_done=True)
    drawn = st.add_diary_entry(token, nrs=6, drawing={"strokes": [_stroke()]})
    worse = st.add_diary_entry(token, nrs=9, exercises_done=False, much_worse=True)
    assert drawn.has_drawing and drawn.strokes and drawn.chart_version
    assert worse.much_worse and not worse.has_drawing
    got = st.diary_entries(world.colleague, world.client.id)
    assert [e.nrs for e in got] == [5, 6, 9]
    assert [e.nrs for e in st.open_aftercare(token).entries] == [9, 6, 5]
    with pytest.raises(NotFound):
        st.diary_entries(world.outsider, world.client.id)
    with pytest.raises(NotFound):
        st.diary_entry(world.outsider, drawn.id)
    assert st.diary_entry(world.owner, drawn.id).regions == drawn.regions


def test_bad_diary_input_names_the_field_and_stores_nothing(world: World) -> None:
    st = world.store
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    for kwargs, field in (({"nrs": 11}, "nrs"), ({"nrs": "5"}, "nrs"), ({"nrs": True}, "nrs"),
                          ({"nrs": 3, "exercises_done": "ja"}, "exercises_done"),
                          ({"nrs": 3, "much_worse": None}, "much_worse"),
                          ({"nrs": 3, "drawing": {"strokes": [{"view": "top"}]}}, "drawing"),
                          ({"nrs": 3, "drawing": {"x": 1}}, "drawing"),
                          ({"nrs": 3, "drawing": []}, "drawing")):
        with pytest.raises(BadInput) as e:
            st.add_diary_entry(token, **kwargs)
        assert e.value.field == field
    assert count_rows(st, DiaryEntryRow) == 0


def test_a_revoked_link_stops_at_once_and_an_outsider_cannot_revoke_it(world: World) -> None:
    st = world.store
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    link = st.aftercare_links(world.owner, world.client.id)[0]
    assert link.state == "open"
    with pytest.raises(NotFound):
        st.revoke_aftercare_link(world.outsider, link.id)
    st.open_aftercare(token)
    assert st.revoke_aftercare_link(world.colleague, link.id).state == "revoked"
    assert st.revoke_aftercare_link(world.colleague, link.id).state == "revoked"  # harmless
    with pytest.raises(AuthError):
        st.open_aftercare(token)
    with pytest.raises(AuthError):
        st.add_diary_entry(token, nrs=3)


def test_a_link_expires_after_its_idle_period_and_each_use_extends_it(world: World) -> None:
    now = [T0]
    st = _at(world, now)
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id, idle_days=7)
    now[0] = T0 + dt.timedelta(days=6)
    st.open_aftercare(token)  # used on day 6: open until day 13
    now[0] = T0 + dt.timedelta(days=12, hours=23)
    st.add_diary_entry(token, nrs=4)  # used again: open until day 19
    now[0] = T0 + dt.timedelta(days=19, hours=22)
    st.open_aftercare(token)
    now[0] = T0 + dt.timedelta(days=26, hours=23)
    with pytest.raises(AuthError):
        st.open_aftercare(token)
    assert st.aftercare_links(world.owner, world.client.id)[0].state == "expired"


def test_withdrawing_the_consent_stops_the_link(world: World) -> None:
    st = world.store
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    st.open_aftercare(token)
    _consent(st, world, given=False)
    with pytest.raises(AuthError):
        st.open_aftercare(token)


def test_a_link_is_rate_limited_and_works_again_after_a_quarter_of_an_hour(
        world: World) -> None:
    now = [T0]
    st = _at(world, now)
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    for _ in range(LINK_LIMIT):
        st.open_aftercare(token)
    with pytest.raises(TooManyRequests):
        st.add_diary_entry(token, nrs=2)
    now[0] = T0 + dt.timedelta(minutes=14)
    with pytest.raises(TooManyRequests):
        st.open_aftercare(token)
    now[0] = T0 + dt.timedelta(minutes=15)
    assert st.add_diary_entry(token, nrs=2).nrs == 2
    for _ in range(LINK_LIMIT - 1):
        st.open_aftercare(token)


def test_guessing_tokens_locks_the_address(world: World) -> None:
    now = [T0]
    st = _at(world, now)
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    for i in range(BAD_TOKEN_LIMIT):
        with pytest.raises(AuthError):
            st.open_aftercare(f"guess-{i}", ip="203.0.113.9")
    with pytest.raises(TooManyRequests):
        st.open_aftercare(token, ip="203.0.113.9")
    assert st.open_aftercare(token, ip="198.51.100.7").first_name == "Anna"


def test_every_view_and_entry_is_in_the_access_log_on_behalf_of_the_client(
        world: World) -> None:
    st = world.store
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    link = st.aftercare_links(world.owner, world.client.id)[0]
    st.open_aftercare(token)
    e = st.add_diary_entry(token, nrs=8, much_worse=True)
    log = [x for x in st.access_for_client(world.client.id)
           if x.on_behalf_of.startswith(f"client {world.client.id} (aftercare link {link.id}")]
    assert [(x.action, x.object) for x in log] == [
        ("read", f"client:{world.client.id}/aftercare"),
        ("create", f"diary_entry:{e.id}")]
    assert log[1].detail == "much_worse"
    assert st.verify_access_log().ok


def test_the_dossier_holds_the_diary_and_the_links_but_never_the_token(world: World) -> None:
    st = world.store
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    st.add_diary_entry(token, nrs=6, exercises_done=True)
    d = st.client_dossier(world.admin, world.client.id)
    assert [(x["nrs"], x["exercises_done"]) for x in d["diary"]] == [(6, True)]
    assert d["aftercare_links"][0]["state"] == "open"
    assert token not in repr(d)


def test_erasing_the_client_removes_the_diary_and_the_links(world: World) -> None:
    st = world.store
    _consent(st, world)
    token = st.create_aftercare_link(world.owner, world.client.id)
    st.add_diary_entry(token, nrs=6)
    st.erase_client(world.admin, world.client.id, reason="on_request")
    assert count_rows(st, DiaryEntryRow) == 0
    with pytest.raises(AuthError):
        st.open_aftercare(token)
