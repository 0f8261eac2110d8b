"""The history page: the drawings on the views that show them (the same for every drawing),
numbers in Dutch format."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from webkit import app_for, fresh_store, login, make_world


def test_a_heel_pain_history_shows_the_sole_and_dutch_numbers(tmp_path: Path) -> None:
    w = make_world(fresh_store(tmp_path))
    me = w.owner.actor
    for regions in (["heel", "arch"], ["heel"]):
        w.store.create_session(me, w.client.id, painmap={"regions": [
            {"region": r, "side": "left", "intensity": 6} for r in regions]})
    tc = TestClient(app_for(w.store), raise_server_exceptions=False)
    login(tc, w.owner.email)
    page = tc.get(f"/clienten/{w.client.id}/verloop").text
    shown = re.findall(rf'/clienten/{w.client.id}/verloop/(\d+)/(\w+)\.svg', page)
    views = {v for _s, v in shown}
    # the world's headache and the two heel drawings, each on the same two views, one the soles
    assert len(shown) == 6 and len(views) == 2 and "sole" in views, shown
    sole = [sid for sid, v in shown if v == "sole"]
    assert "(voetzolen)" in page
    assert re.search(r"\d+,\d\u00a0% · 1 gebied\b", page), "one region: 'gebied', a decimal comma"
    svg = tc.get(f"/clienten/{w.client.id}/verloop/{sole[0]}/sole.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    assert tc.get(f"/clienten/{w.client.id}/verloop/{sole[0]}/nowhere.svg").status_code == 404
