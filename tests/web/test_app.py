"""The web app in-process: health, knowledge-base pages, the rank API and its errors."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from knoop import __version__
from knoop.web.app import create_app


@pytest.fixture(scope="module")
def app():  # type: ignore[no-untyped-def]
    return create_app()


@pytest.fixture
def client(app) -> TestClient:  # type: ignore[no-untyped-def]
    """A fresh client per test: no language cookie carries over."""
    return TestClient(app, raise_server_exceptions=False)


def test_healthz_answers_200_with_the_version(client: TestClient) -> None:
    r = client.get("/healthz")
    assert r.status_code == 200 and r.json()["version"] == __version__


def test_every_page_sends_security_headers(client: TestClient) -> None:
    r = client.get("/kb")
    csp = r.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"


def test_the_muscle_list_is_dutch_and_searchable_by_every_name(client: TestClient) -> None:
    assert "Kennisbank" in client.get("/kb").text
    for q, expect in [("kopdraaier", "sternocleidomastoid"), ("musculus soleus", "soleus"),
                      ("kuit", "gastrocnemius"), ("SCM", "sternocleidomastoid")]:
        r = client.get("/kb", params={"q": q})
        assert f"/kb/spieren/{expect}" in r.text, q


def test_a_search_without_results_says_so(client: TestClient) -> None:
    assert "Geen spier gevonden" in client.get("/kb", params={"q": "xyzzy"}).text


def test_a_muscle_page_shows_diagrams_trigger_points_and_self_care(client: TestClient) -> None:
    r = client.get("/kb/spieren/trapezius")
    assert r.status_code == 200
    assert r.text.count("<svg") >= 1 and 'data-region="temple"' in r.text
    for words in ("Triggerpunten", "Zo vind je het", "Zelfmassage", "Rekoefening", "Bronnen"):
        assert words in r.text


def test_the_muscle_page_switches_to_english(client: TestClient) -> None:
    r = client.get("/kb/spieren/soleus", params={"lang": "en"})
    assert "How to find it" in r.text and 'lang="en"' in r.text


def test_a_region_page_lists_essential_before_spillover(client: TestClient) -> None:
    r = client.get("/kb/gebieden/heel")
    assert r.status_code == 200
    text = r.text
    assert text.index("Hoofdgebied van") < text.index("Uitloopgebied van")
    assert "/kb/spieren/soleus" in text[text.index("Hoofdgebied van"):text.index("Uitloopgebied van")]


@pytest.mark.parametrize("path", ["/kb/spieren/nope", "/kb/gebieden/nope", "/nope",
                                  "/kb/spieren/%00", "/kb?q=%ff%fe"])
def test_bad_urls_give_a_friendly_page_never_a_500(client: TestClient, path: str) -> None:
    r = client.get(path)
    assert r.status_code in (200, 404)
    assert "Traceback" not in r.text


def test_the_rank_api_ranks_a_pain_map(client: TestClient) -> None:
    r = client.post("/api/v1/rank", params={"top": 5}, json={"regions": [
        {"region": "temple", "side": "left", "intensity": 7},
        {"region": "neck_back_upper", "side": "left"},
        {"region": "mastoid", "side": "left", "intensity": 4}]})
    body = r.json()
    assert r.status_code == 200 and len(body["candidates"]) == 5
    assert body["candidates"][0]["muscle"] == "trapezius"


WIDE = {"regions": [{"region": r, "side": "left"} for r in (
    "temple", "neck_back_upper", "mastoid", "shoulder_top", "knee_front", "heel")]}


def test_the_rank_api_lists_every_candidate_with_reasons_for_the_first_20(
        client: TestClient) -> None:
    listed = client.post("/api/v1/rank", json=WIDE).json()["candidates"]
    every = client.post("/api/v1/rank", params={"reasons": "all"}, json=WIDE).json()[
        "candidates"]
    three = client.post("/api/v1/rank", params={"reasons": 3, "top": 10}, json=WIDE).json()[
        "candidates"]
    assert len(listed) == len(every) > 20
    assert [("reasons_for" in c, "reasons_against" in c) for c in listed] == \
        [(True, True)] * 20 + [(False, False)] * (len(listed) - 20)
    assert listed[:20] == every[:20]
    assert [c["score"] for c in listed] == [c["score"] for c in every]
    assert all(c["trigger_points"] and "reasons_for" in c for c in every)
    assert len(three) == 10 and [("reasons_for" in c) for c in three] == [True] * 3 + [False] * 7


def test_the_openapi_schema_says_reasons_are_optional_lists_never_null(
        client: TestClient) -> None:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    cand = schemas["CandidateOut"]
    for name in ("reasons_for", "reasons_against"):
        assert name not in cand["required"]
        assert cand["properties"][name]["type"] == "array" and "anyOf" not in \
            cand["properties"][name]
        assert "absent" in cand["properties"][name]["description"] or name == "reasons_against"
    assert {"rank", "muscle", "side", "score"} <= set(cand["required"])


@pytest.mark.parametrize("value", ["some", "-1", "1000", ""])
def test_the_rank_api_refuses_a_bad_reasons_count_naming_the_field(client: TestClient,
                                                                   value: str) -> None:
    r = client.post("/api/v1/rank", params={"reasons": value}, json=WIDE)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["field"] == "query.reasons" and "'all'" in err["message"]


@pytest.mark.parametrize("body, field", [
    ({"regions": [{"region": "tempel", "side": "left"}]}, "regions[0].region"),
    ({"regions": [{"region": "temple", "side": "left", "intensity": 12}]},
     "regions[0].intensity"),
    ([1, 2], "$"),
])
def test_the_rank_api_answers_422_in_the_one_error_shape(client: TestClient, body: object,
                                                        field: str) -> None:
    r = client.post("/api/v1/rank", json=body)
    assert r.status_code == 422
    err = r.json()["error"]
    assert err["field"] == field and err["code"] in ("invalid_painmap", "bad_input")
    assert err["message"].startswith(field)


def test_the_rank_api_refuses_broken_json_in_the_same_shape(client: TestClient) -> None:
    r = client.post("/api/v1/rank", content=b"{broken",
                    headers={"content-type": "application/json"})
    assert r.status_code == 422 and "error" in r.json()


def test_the_rank_api_is_documented_in_openapi(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert "/api/v1/rank" in spec["paths"] and "422" in spec["paths"]["/api/v1/rank"]["post"][
        "responses"]


def test_large_pages_are_sent_compressed_to_browsers_that_accept_it(client: TestClient) -> None:
    r = client.get("/tekenen", headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200 and r.headers.get("content-encoding") == "gzip"
    assert 'data-region="temple"' in r.text  # the client decompresses transparently


def test_the_favicon_is_our_own_icon_and_every_page_links_it(client: TestClient) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200 and r.headers["content-type"] == "image/x-icon"
    assert r.content[:4] == b"\x00\x00\x01\x00"  # an ICO header
    svg = client.get("/static/favicon.svg")
    assert svg.status_code == 200 and svg.text.startswith("<svg")
    assert 'rel="icon" href="/static/favicon.svg"' in client.get("/kb").text


def test_an_urgent_flag_is_labelled_urgent_not_today_next_to_its_today_or_tomorrow_advice(
        ) -> None:
    from knoop.web.i18n import CHART_MESSAGES, gettext

    assert gettext("nl", CHART_MESSAGES["urg"]["urgent"]) == "dringend"
def test_every_trigger_point_has_its_own_picture_cropped_to_its_zone(client: TestClient) -> None:
    r = client.get("/kb/spieren/trapezius")
    from knoop.kb import knowledge_base

    tps = knowledge_base().muscles["trapezius"].trigger_points
    assert r.text.count('class="tp-picture"') == len(tps)
    pic = client.get(f"/kb/spieren/trapezius/triggerpunten/{tps[0].id}.svg")
    assert pic.status_code == 200 and pic.headers["content-type"].startswith("image/svg+xml")
    assert 'class="zone"' in pic.text and pic.text.count('class="mark"') == 1
    assert client.get(f"/kb/spieren/trapezius/triggerpunten/{tps[0].id}.svg",
                      headers={"If-None-Match": pic.headers["etag"]}).status_code == 304
    assert client.get("/kb/spieren/trapezius/triggerpunten/nope.svg").status_code == 404
    assert client.get("/kb/spieren/nope/triggerpunten/x.svg").status_code == 404


def test_a_foot_muscle_s_trigger_point_is_pictured_on_a_foot_view(client: TestClient) -> None:
    from knoop.kb import knowledge_base

    tp = knowledge_base().muscles["extensor_digitorum_brevis"].trigger_points[0]
    pic = client.get(f"/kb/spieren/extensor_digitorum_brevis/triggerpunten/{tp.id}.svg")
    assert 'data-view="dorsum_foot"' in pic.text or 'data-view="sole"' in pic.text


@pytest.mark.parametrize("query,first", [("hoofdpijn", "sternocleidomastoid"), ("hiel", "soleus"),
                                         ("duizelig", "sternocleidomastoid")])
def test_the_search_ranks_muscles_by_complaint(client: TestClient, query: str, first: str) -> None:
    r = client.get("/kb", params={"q": query})
    assert "Beste treffers eerst" in r.text
    hits = r.text.split('id="hits"')[1]
    assert f'data-muscle="{first}"' in hits.split("</ol>")[0][:3000]


def test_a_dutch_region_page_describes_it_in_dutch_with_a_picture(client: TestClient) -> None:
    from knoop.kb.contract import contract

    temple = contract().regions["temple"]
    nl = client.get("/kb/gebieden/temple").text
    assert temple.note not in nl and "Aan beide kanten, links en rechts." in nl
    assert "Lichaamsdeel: Hoofd" in nl and "/kb/gebieden/temple/figuur.svg" in nl
    assert temple.note in client.get("/kb/gebieden/temple", params={"lang": "en"}).text
    pic = client.get("/kb/gebieden/heel/figuur.svg")
    assert pic.status_code == 200 and 'fill="#b3261e"' in pic.text
    assert client.get("/kb/gebieden/nope/figuur.svg").status_code == 404


def test_no_region_label_names_two_sides() -> None:
    from knoop.bodymap import render_svg

    svg = render_svg("front", lang="nl")
    assert "(hartstreek links) (rechts)" not in svg
    assert "Onderste voorkant van de borstkas (rechts)" in svg
