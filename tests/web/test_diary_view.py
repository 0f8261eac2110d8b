"""The diary as the therapist sees it: where diary points lie between sessions on the graph,
the history page (points and drawings, outsiders 404), and the note on the next intake when
something got worse (a fixed clock: the store's, moved by hand)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi.testclient import TestClient
from webkit import HEADACHE, PASSWORD, app_for, fresh_store, login, make_world

from knoop.store import Store
from knoop.web.diary_view import positions
from knoop.web.history import nrs_chart

T0 = dt.datetime(2026, 11, 2, 9, 0)
DAY = dt.timedelta(days=1)


def test_diary_points_lie_between_the_sessions_in_proportion_to_their_time() -> None:
    sessions = [T0, T0 + 10 * DAY]
    got = positions(sessions, [T0 - DAY, T0 + 5 * DAY, T0 + 10 * DAY, T0 + 12 * DAY,
                               T0 + 14 * DAY])
    assert got[:3] == [0.0, 0.5, 1.0]
    assert 1.15 <= got[3] < got[4] == 1.9
    assert positions([], [T0]) == [0.0]


def test_the_graph_draws_one_dot_per_diary_score_and_rings_much_worse() -> None:
    svg = nrs_chart([("02-11", 7, 4), ("12-11", 5, 3)], "t", "voor", "na",
                    [(0.5, 6, False, "a"), (1.5, 9, True, "b")], "pijndagboek")
    assert svg.count('class="diary-point"') == 2 and svg.count('stroke="#b3261e"') == 1
    assert "pijndagboek" in svg
    assert 'class="diary-point"' not in nrs_chart([("02-11", 7, 4)], "t", "voor", "na")


def _world_on_a_clock(tmp_path: Path, now: list[dt.datetime]):  # type: ignore[no-untyped-def]
    store = fresh_store(tmp_path, clock=lambda: now[0])
    return make_world(store)


def test_history_and_next_intake_show_the_diary_and_that_it_got_worse(tmp_path: Path) -> None:
    now = [T0]
    w = _world_on_a_clock(tmp_path, now)
    st: Store = w.store
    me = w.owner.actor
    st.update_session(me, w.session_id, nrs_after=3)
    st.set_status(me, w.session_id, "closed")
    st.record_consent(me, w.client.id, "aftercare", True, "2026-12")
    token = st.create_aftercare_link(me, w.client.id)
    for days, kw in ((2, {"nrs": 2, "exercises_done": True}),
                     (4, {"nrs": 4, "drawing": {"regions": [
                         {"region": "temple", "side": "right", "intensity": 5}]}}),
                     (6, {"nrs": 7, "much_worse": True})):
        now[0] = T0 + days * DAY
        st.add_diary_entry(token, **kw)
    now[0] = T0 + 8 * DAY
    nxt = st.create_session(me, w.client.id, status="open", painmap=HEADACHE)
    tc = TestClient(app_for(st), raise_server_exceptions=False)
    login(tc, "owner@knoop.test", PASSWORD)
    page = tc.get(f"/clienten/{w.client.id}/verloop").text
    assert page.count('class="diary-point"') == 3
    assert page.count('id="diary-drawings"') == 1
    entry = st.diary_entries(me, w.client.id)[1]
    svg = tc.get(f"/clienten/{w.client.id}/dagboek/{entry.id}/front.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    intake = tc.get(f"/sessies/{nxt.id}").text
    note = intake.split('id="intake-diary"')[1].split("</div>")[0]
    assert "Er is iets erger geworden" in note and "08-11-2026" in note and "pijn tot 7" in note
    assert "(was 3 bij de sessie van 02-11-2026)" in note
    old = tc.get(f"/sessies/{w.session_id}").text  # the first session: nothing before it
    assert 'id="intake-diary"' not in old
    outsider = TestClient(app_for(st), raise_server_exceptions=False)
    login(outsider, "outsider@elders.test", PASSWORD)
    assert outsider.get(f"/clienten/{w.client.id}/dagboek/{entry.id}/front.svg"
                        ).status_code == 404
    assert outsider.get(f"/clienten/{w.other_client.id}/dagboek/{entry.id}/front.svg"
                        ).status_code == 404
