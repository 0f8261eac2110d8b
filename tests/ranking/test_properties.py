"""Properties of the parser and the ranking that hold for every input (hypothesis)."""

from __future__ import annotations

import contextlib
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knoop.errors import PainMapError
from knoop.kb.contract import contract
from knoop.ranking import default_ranker

C = contract()
REGIONS = sorted(C.regions)
PAIRED = {r for r, x in C.regions.items() if x.paired}
MUSCLES = sorted(C.muscles)
SETTINGS = settings(max_examples=150, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["regions", "region", "side", "intensity", "quality",
                                       "symptoms", "screening", "findings", "muscle", "result",
                                       "x"]) | st.text(max_size=5), children, max_size=5),
    max_leaves=20)


@st.composite
def painted(draw: st.DrawFn) -> dict:
    regions = draw(st.lists(st.sampled_from(REGIONS), max_size=10, unique=True))
    items = []
    for r in regions:
        item = {"region": r, "intensity": draw(st.integers(1, 10))}
        if r in PAIRED:
            item["side"] = draw(st.sampled_from(["left", "right"]))
        items.append(item)
    symptoms = draw(st.lists(st.sampled_from(sorted(C.symptoms)), max_size=3, unique=True))
    return {"regions": items, "symptoms": symptoms}


@SETTINGS
@given(json_values)
def test_the_parser_never_crashes_on_any_json(value: object) -> None:
    r = default_ranker()
    try:
        r.parse(value)
    except PainMapError as exc:
        assert exc.field and exc.message
    text = json.dumps(value)
    with contextlib.suppress(PainMapError):
        r.parse_text(text)


@SETTINGS
@given(st.text(max_size=40))
def test_the_text_parser_never_crashes_on_any_text(text: str) -> None:
    try:
        default_ranker().parse_text(text)
    except PainMapError as exc:
        assert exc.field


@SETTINGS
@given(painted(), st.sampled_from(MUSCLES), st.sampled_from(["left", "right"]), st.data())
def test_painting_more_of_a_muscles_essential_zone_never_lowers_its_score(
        painmap: dict, muscle: str, side: str, data: st.DataObject) -> None:
    r = default_ranker()
    zone = r.zones[(muscle, side)]
    essential = sorted((k for k, kind in zone.kind.items() if kind == "essential"),
                       key=lambda k: (k[0], k[1] or ""))
    painted_keys = {(x["region"], x.get("side")) for x in painmap["regions"]}
    free = [k for k in essential if k not in painted_keys]
    if not free:
        return
    region, key_side = data.draw(st.sampled_from(free))
    more = {**painmap, "regions": [*painmap["regions"], {
        "region": region, **({"side": key_side} if key_side else {}),
        "intensity": data.draw(st.integers(1, 10))}]}

    def score(pm: dict) -> float:
        for ev in r.evidence(r.parse(pm)):
            if (ev.muscle, ev.side) == (muscle, side):
                return ev.score
        return 0.0

    assert score(more) >= score(painmap) - 1e-12


@SETTINGS
@given(painted())
def test_the_same_input_gives_the_same_ranking(painmap: dict) -> None:
    r = default_ranker()
    a = r.rank(r.parse(painmap)).to_dict()
    b = r.rank(r.parse(json.loads(json.dumps(painmap)))).to_dict()
    assert a == b


@SETTINGS
@given(painted())
def test_scores_lie_between_zero_and_one_and_are_ordered(painmap: dict) -> None:
    r = default_ranker()
    ranking = r.rank(r.parse(painmap))
    scores = [c.score for c in ranking.candidates]
    assert all(0 < s <= 1 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert [c.rank for c in ranking.candidates] == list(range(1, len(scores) + 1))


def test_painting_one_more_region_of_any_trigger_points_zone_never_lowers_its_score() -> None:
    """Every zone of four or more regions: one zone region and two far regions drawn at 10,
    then each other zone region added at 1 (the search of bench/coverage_variants.py)."""
    r = default_ranker()

    def entry(key: tuple[str, str | None], intensity: int) -> dict:
        return {"region": key[0], **({"side": key[1]} if key[1] else {}), "intensity": intensity}

    def score(ms: tuple[str, str], regions: list[dict]) -> float:
        return next((ev.score for ev in r.evidence(r.parse({"regions": regions}))
                     if (ev.muscle, ev.side) == ms), 0.0)

    far = [("vertex", None), ("heel", "left")]
    lowered, tried = [], 0
    for ms, zone in r.zones.items():
        for tp in zone.trigger_points:
            if len(tp.ordered) < 4:
                continue
            for first in tp.ordered[:2]:
                base = [entry(first, 10)] + [entry(k, 10) for k in far if k[0] != first[0]]
                before = score(ms, base)
                for more in tp.ordered:
                    if more != first and more[0] not in ("vertex", "heel"):
                        tried += 1
                        if score(ms, [*base, entry(more, 1)]) < before - 1e-12:
                            lowered.append((ms, first, more))
    assert tried > 500
    assert lowered == []
