"""The drawing API in-process: coverage from strokes, merging with explicit regions, errors that
name the field, the muscle overlay, and the /tekenen page."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from knoop.bodymap import chart
from knoop.web.app import create_app


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(), raise_server_exceptions=False)


def _centre(view: str, region: str, side: str | None) -> tuple[float, float]:
    shape = next(s for s in chart().shapes(view) if s.region == region and s.side == side)
    p = shape.polygon.representative_point()
    return p.x, p.y


def _across(view: str, region: str, side: str | None, half: float = 6.0) -> list[list[float]]:
    x, y = _centre(view, region, side)
    return [[x - half, y - half / 2], [x, y], [x + half, y + half / 2]]


def test_a_stroke_across_the_left_temple_gives_temple_left(client: TestClient) -> None:
    body = {"strokes": [{"view": "front", "points": _across("front", "temple", "left"),
                         "width": 12, "intensity": 7, "quality": "aching"}]}
    r = client.post("/api/v1/drawing", json=body)
    assert r.status_code == 200, r.text
    out = r.json()
    cov = {(c["region"], c["side"]): c for c in out["coverage"]}
    assert ("temple", "left") in cov and cov[("temple", "left")]["intensity"] == 7
    assert ("temple", "right") not in cov
    regions = {(x["region"], x.get("side")): x for x in out["painmap"]["regions"]}
    assert regions[("temple", "left")] == {"region": "temple", "side": "left", "intensity": 7,
                                           "quality": "aching"}
    assert out["ranking"]["candidates"], "a drawn temple must give muscles to examine"
    assert out["chart_version"] == chart().version


def test_temple_and_back_of_neck_put_the_trapezius_near_the_top(client: TestClient) -> None:
    body = {"strokes": [
        {"view": "front", "points": _across("front", "temple", "left"), "width": 14,
         "intensity": 7},
        {"view": "back", "points": _across("back", "neck_back_upper", "left", 4), "width": 12,
         "intensity": 6}]}
    out = client.post("/api/v1/drawing", json=body).json()
    top3 = [(c["muscle"], c["side"]) for c in out["ranking"]["candidates"][:3]]
    assert ("trapezius", "left") in top3, top3
    body["findings"] = [{"muscle": "trapezius", "side": "left", "result": "none_found"}]
    after = client.post("/api/v1/drawing", json=body).json()["ranking"]["candidates"]
    trap = next(c for c in after if c["muscle"] == "trapezius" and c["side"] == "left")
    assert trap["rank"] > 3 and trap["finding"] == "none_found"


def test_an_eraser_stroke_removes_paint(client: TestClient) -> None:
    pts = _across("front", "temple", "left")
    body = {"strokes": [{"view": "front", "points": pts, "width": 12},
                        {"view": "front", "points": pts, "width": 40, "erase": True}]}
    out = client.post("/api/v1/drawing", json=body).json()
    assert out["coverage"] == [] and out["painmap"]["regions"] == []


def test_explicit_regions_merge_and_win_and_exclusions_drop(client: TestClient) -> None:
    body = {"strokes": [{"view": "front", "points": _across("front", "temple", "left"),
                         "width": 12, "intensity": 3}],
            "regions": [{"region": "temple", "side": "left", "intensity": 9},
                        {"region": "ear", "side": "right", "intensity": 4},
                        {"region": "vertex"}],
            "symptoms": ["dizziness"], "screening": []}
    pm = client.post("/api/v1/drawing", json=body).json()["painmap"]
    regions = {(x["region"], x.get("side")): x["intensity"] for x in pm["regions"]}
    assert regions[("temple", "left")] == 9 and regions[("ear", "right")] == 4
    assert regions[("vertex", None)] == 5 and pm["symptoms"] == ["dizziness"]
    body["regions"] = []
    body["exclude"] = [{"region": "temple", "side": "left"}]
    out = client.post("/api/v1/drawing", json=body).json()
    assert ("temple", "left") not in {(x["region"], x.get("side"))
                                      for x in out["painmap"]["regions"]}
    assert any(c["region"] == "temple" and c["excluded"] for c in out["coverage"])


def test_a_screening_answer_gives_a_red_flag_first(client: TestClient) -> None:
    out = client.post("/api/v1/drawing", json={"screening": ["chest_pain_exertion"]}).json()
    assert out["ranking"]["red_flags"][0]["id"] == "chest_pain_exertion"


def test_an_empty_drawing_is_valid(client: TestClient) -> None:
    r = client.post("/api/v1/drawing", json={})
    assert r.status_code == 200 and r.json()["ranking"]["candidates"] == []


@pytest.mark.parametrize("body, field", [
    ({"strokes": [{"view": "side", "points": [[1, 2]]}]}, "strokes[0].view"),
    ({"strokes": [{"view": "front", "points": []}]}, "strokes[0].points"),
    ({"strokes": [{"view": "front", "points": [[1, "x"]]}]}, "strokes[0].points[0][1]"),
    ({"strokes": [{"view": "front", "points": [[1, 2, 3]]}]}, "strokes[0].points[0]"),
    ({"strokes": [{"view": "front", "points": [[1, 2]], "width": -3}]}, "strokes[0].width"),
    ({"strokes": [{"view": "front", "points": [[1, 2]], "width": 1e9}]}, "strokes[0].width"),
    ({"strokes": [{"view": "front", "points": [[1, 2]], "intensity": 11}]},
     "strokes[0].intensity"),
    ({"strokes": [{"view": "front", "points": [[1, 2]], "quality": "sore"}]},
     "strokes[0].quality"),
    ({"strokes": [{"view": "front", "points": [[1, 2]], "erase": "yes"}]}, "strokes[0].erase"),
    ({"strokes": [{"view": "front", "points": [[1, 2]], "colour": "red"}]},
     "strokes[0].colour"),
    ({"strokes": [{"points": [[1, 2]]}]}, "strokes[0].view"),
    ({"strokes": "front"}, "strokes"),
    ({"strokes": [7]}, "strokes[0]"),
    ({"regions": [{"region": "tempel", "side": "left"}]}, "regions[0].region"),
    ({"regions": [{"region": "temple"}]}, "regions[0].side"),
    ({"regions": [{"region": "temple", "side": "left", "intensity": 0}]},
     "regions[0].intensity"),
    ({"symptoms": ["headache_from_space"]}, "symptoms[0]"),
    ({"screening": ["nope"]}, "screening[0]"),
    ({"findings": [{"muscle": "trapezius", "side": "left", "result": "maybe"}]},
     "findings[0].result"),
    ({"exclude": [{"region": "temple"}]}, "exclude[0].side"),
    ({"brush": 3}, "brush"),
])
def test_bad_input_is_422_naming_the_field(client: TestClient, body: dict, field: str) -> None:
    r = client.post("/api/v1/drawing", json=body)
    assert r.status_code == 422, r.text
    err = r.json()["error"]
    assert err["field"] == field and field.split(".")[0].split("[")[0] in err["message"]


@pytest.mark.parametrize("raw", [b"", b"{", b"[]", b"null", b"7", b'"x"', b"\xff\xfe",
                                 b'{"strokes": [{"view": "front", "points": [[NaN, 1]]}]}',
                                 b'{"strokes": [{"view": "front", "points": [[1e400, 1]]}]}',
                                 b"[" * 5000, b'{"regions": {"a": 1}}', b'{"findings": 3}'])
def test_junk_never_gives_a_500(client: TestClient, raw: bytes) -> None:
    r = client.post("/api/v1/drawing", content=raw,
                    headers={"content-type": "application/json"})
    assert r.status_code == 422, (raw[:30], r.status_code, r.text[:200])
    assert "error" in r.json()


def test_too_many_points_are_refused(client: TestClient) -> None:
    body = {"strokes": [{"view": "front", "points": [[3, 3]] * 2000} for _ in range(11)]}
    r = client.post("/api/v1/drawing", json=body)
    assert r.status_code == 422 and r.json()["error"]["field"] == "strokes"
    assert "at most 20000 points" in r.json()["error"]["message"]
    one = {"strokes": [{"view": "front", "points": [[3, 3]] * 5001}]}
    r = client.post("/api/v1/drawing", json=one)
    assert r.status_code == 422 and r.json()["error"]["field"] == "strokes[0].points"


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: TestClient) -> None:
    big = b'{"strokes": [' + b" " * (1024 * 1024) + b"]}"
    r = client.post("/api/v1/drawing", content=big, headers={"content-type": "application/json"})
    assert r.status_code == 413 and r.json()["error"]["code"] == "payload_too_large"
    assert r.json()["error"]["request_id"] == r.headers["x-request-id"]

    def chunks():  # no Content-Length: counted as it arrives
        for _ in range(40):
            yield b" " * 65536

    r = client.post("/api/v1/rank", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


@pytest.mark.parametrize("body, field", [
    ({"regions": [{"region": "\ud800", "side": "left"}]}, "regions[0].region"),
    ({"symptoms": ["dizzy\u0000"]}, "symptoms[0]"),
    ({"findings": [{"muscle": [], "side": "left", "result": "active"}]}, "findings[0].muscle"),
    ({"client": {"age": 300}}, "client.age"),
])
def test_odd_text_and_types_are_a_422_naming_the_field(client: TestClient, body: dict,
                                                       field: str) -> None:
    raw = json.dumps(body).encode()  # a lone surrogate travels as its \\u escape
    for url in ("/api/v1/drawing", "/api/v1/rank"):
        r = client.post(url, content=raw, headers={"content-type": "application/json"})
        assert r.status_code == 422, (url, r.text[:200])
        assert r.json()["error"]["field"] == field


def test_the_overlay_gives_zones_marks_and_how_to_find(client: TestClient) -> None:
    r = client.get("/api/v1/muscles/trapezius/overlay",
                   params={"side": "left", "view": "back", "lang": "nl"})
    assert r.status_code == 200, r.text
    o = r.json()
    assert o["muscle"] == "trapezius" and o["side"] == "left" and o["view"] == "back"
    assert {"region": "temple", "side": "left"} in o["essential"]
    assert all(k["side"] in ("left", "midline") for k in o["essential"])
    assert not {(k["region"], k["side"]) for k in o["essential"]} & \
        {(k["region"], k["side"]) for k in o["spillover"]}
    w, h = chart().view("back").width, chart().view("back").height
    marks = [tp["mark"] for tp in o["trigger_points"] if tp["mark"]]
    assert marks and all(0 <= m["x"] <= w and 0 <= m["y"] <= h for m in marks)
    assert all(len(tp["how_to_find"]) > 20 for tp in o["trigger_points"])
    assert o["name"] == "Monnikskapspier" and "back" in o["views"]
    # the zones on the view as smooth shapes: path data in template units, on the left half
    assert o["shapes"]["essential"].startswith("M") and o["shapes"]["spillover"].startswith("M")
    xs = [float(t.split()[0]) for t in o["shapes"]["essential"].replace("M", "L").split("L")[1:]]
    assert xs and min(xs) >= 0 and max(xs) <= w
    en = client.get("/api/v1/muscles/trapezius/overlay", params={"side": "left",
                                                                 "lang": "en"}).json()
    assert en["name"] == "Trapezius" and en["view"] == en["best_view"]


@pytest.mark.parametrize("url, status, field", [
    ("/api/v1/muscles/nope/overlay", 404, None),
    ("/api/v1/muscles/trapezius/overlay?side=up", 422, "side"),
    ("/api/v1/muscles/trapezius/overlay?view=top", 422, "view"),
    ("/api/v1/muscles/trapezius/overlay?lang=de", 422, "lang"),
])
def test_overlay_errors(client: TestClient, url: str, status: int, field: str | None) -> None:
    r = client.get(url)
    assert r.status_code == status and "error" in r.json()
    if field:
        assert r.json()["error"]["field"] == field


def test_the_endpoints_are_in_the_openapi_document(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    post = paths["/api/v1/drawing"]["post"]
    ref = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = spec["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert "strokes" in schema["properties"] and "422" in post["responses"]
    assert "/api/v1/muscles/{muscle_id}/overlay" in paths
    assert "/tekenen" not in paths


def test_the_page_is_dutch_with_the_chart_tools_and_questions(client: TestClient) -> None:
    r = client.get("/tekenen")
    assert r.status_code == 200
    t = r.text
    for words in ("Pijntekening", "Penseel", "Gum", "Ongedaan maken", "zeurend", "brandend",
                  "tintelend", "doof", "stekend", "Kortademig in rust", "Duizeligheid",
                  "Zoek gebied", "Slaap (links)"):
        assert words in t, words
    # the chart is not inline: every view is a cacheable file the page asks for
    assert 'class="knoop-chart"' not in t and 'data-chart-files="' in t
    assert '<script src="/static/chart.js" defer></script>' in t
    assert "<script>" not in t and " style=" not in t  # CSP: no inline code
    assert 'tabindex="0" role="button"' not in t  # regions are not hundreds of tab stops
    en = client.get("/tekenen", params={"lang": "en"}).text
    assert "Pain drawing" in en and "Brush" in en and "Temple (left)" in en


def test_detail_views_load_as_svg_and_unknown_views_are_404(client: TestClient) -> None:
    for v in ("lateral", "palm", "dorsum_hand", "sole", "dorsum_foot"):
        r = client.get(f"/tekenen/kaart/{v}")
        assert r.status_code == 200 and r.text.startswith("<svg") and f'data-view="{v}"' in r.text
    assert client.get("/tekenen/kaart/top").status_code == 404
    front = client.get("/tekenen/kaart/front")
    assert 'data-region="temple" data-side="left"' in front.text
    assert 'tabindex="0" role="button"' not in front.text  # not hundreds of tab stops


def test_chart_files_are_immutable_for_the_current_version_and_revalidated_otherwise(
        client: TestClient) -> None:
    from knoop.web.drawing_page import chart_files_version

    v = chart_files_version()
    assert f'data-chart-files="{v}"' in client.get("/tekenen").text
    r = client.get("/tekenen/kaart/back", params={"lang": "nl", "v": v},
                   headers={"Accept-Encoding": "gzip"})
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["content-encoding"] == "gzip" and r.headers["vary"] == "Accept-Encoding"
    old = client.get("/tekenen/kaart/back", params={"lang": "nl", "v": "old"})
    assert old.headers["cache-control"] == "no-cache" and old.text == r.text
    same = client.get("/tekenen/kaart/back", params={"lang": "nl"},
                      headers={"If-None-Match": r.headers["etag"]})
    assert same.status_code == 304 and not same.content
    en = client.get("/tekenen/kaart/back", params={"lang": "en", "v": v})
    assert en.headers["etag"] != r.headers["etag"] and "Back of the head" in en.text


def test_the_static_files_are_served(client: TestClient) -> None:
    assert client.get("/static/chart.js").status_code == 200
    assert client.get("/static/chart.css").status_code == 200


# ------------------------------------------------- the charting picker: trigger points by region


def test_the_left_neck_shoulder_angle_lists_the_trapezius_with_its_trigger_points(
        client: TestClient) -> None:
    r = client.get("/api/v1/regions/neck_shoulder_angle/trigger-points",
                   params={"side": "left", "lang": "nl"})
    assert r.status_code == 200, r.text
    out = r.json()
    by = {(m["muscle"], m["side"]): m for m in out}
    assert ("trapezius", "left") in by and all(m["side"] == "left" for m in out)
    trap = by[("trapezius", "left")]
    assert trap["name"] == "Monnikskapspier"
    ids = [tp["id"] for tp in trap["trigger_points"]]
    assert "trapezius_upper_back" in ids and all(tp["name"] for tp in trap["trigger_points"])
    assert "trapezius_lower" not in ids  # only the trigger points over this region
    assert ("levator_scapulae", "left") in by
    # every listed trigger point lies over the region on that side (the overlay agrees)
    for m in out:
        ov = client.get(f"/api/v1/muscles/{m['muscle']}/overlay", params={"side": "left"}).json()
        loc = {tp["id"]: tp["location"] for tp in ov["trigger_points"]}
        for tp in m["trigger_points"]:
            assert {"region": "neck_shoulder_angle", "side": "left"} in loc[tp["id"]]
    en = client.get("/api/v1/regions/neck_shoulder_angle/trigger-points",
                    params={"side": "right", "lang": "en"}).json()
    assert any(m["name"] == "Trapezius" and m["side"] == "right" for m in en)


def test_a_midline_region_lists_muscles_of_both_sides(client: TestClient) -> None:
    from knoop.kb import knowledge_base

    regions = knowledge_base().contract.regions
    mid = next(rid for rid, r in regions.items() if not r.paired)
    r = client.get(f"/api/v1/regions/{mid}/trigger-points")
    assert r.status_code == 200 and isinstance(r.json(), list)
    assert client.get(f"/api/v1/regions/{mid}/trigger-points",
                      params={"side": "midline"}).status_code == 200
    bad = client.get(f"/api/v1/regions/{mid}/trigger-points", params={"side": "left"})
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "side"


@pytest.mark.parametrize("url, status, field", [
    ("/api/v1/regions/neck_shoulder_angle/trigger-points?side=up", 422, "side"),
    ("/api/v1/regions/neck_shoulder_angle/trigger-points", 422, "side"),
    ("/api/v1/regions/neck_shoulder_angle/trigger-points?side=left&lang=de", 422, "lang"),
    ("/api/v1/regions/nope/trigger-points?side=left", 404, "region"),
    ("/api/v1/regions/" + "x" * 300 + "/trigger-points", 404, "region"),
])
def test_region_trigger_point_errors(client: TestClient, url: str, status: int,
                                     field: str) -> None:
    r = client.get(url)
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert err["field"] == field and field in err["message"] and err["allowed"]


def test_the_region_endpoint_is_in_the_openapi_document(client: TestClient) -> None:
    get = client.get("/openapi.json").json()["paths"][
        "/api/v1/regions/{region}/trigger-points"]["get"]
    assert {"200", "404", "422"} <= set(get["responses"])
    assert {p["name"] for p in get["parameters"]} == {"region", "side", "lang"}


def test_the_chart_finding_tool_is_on_the_drawing_page(client: TestClient) -> None:
    t = client.get("/tekenen", params={"lang": "nl"}).text
    assert 'value="chart"' in t and "Vastleggen" in t
    assert client.get("/static/picker.css").status_code == 200
