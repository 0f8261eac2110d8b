"""Close-ups: named parts of a chart view shown zoomed in (the head and neck, an arm, the ankles).

A close-up is only a window (a ``viewBox``) on one of the existing views: strokes drawn in it are
stored in that view's template coordinates, exactly as on the whole view, and map to the same
regions. No new geometry, no new view in the contract.

The boxes are chosen so that every surface region is at least 24 x 24 CSS px (WCAG 2.2 target
size) in some view or close-up at its default zoom, on a laptop (chart about 437 x 565 px) and a
phone (390 px wide); ``tests/web/test_chart_zoom_browser.py`` measures it in Chromium. Deep
regions (teeth, eye, ...) are chosen from the "Diepe pijn" list of 44 px buttons.

Lenses are round buttons on the whole-body views that open a close-up or a hand or foot view.
On ``back`` the client's right is on the viewer's right; on every other view on the left.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from knoop.bodymap.model import chart


@dataclass(frozen=True)
class Closeup:
    """A named window on ``view``: ``box`` = (x, y, width, height) in template units."""

    id: str
    view: str
    box: tuple[float, float, float, float]
    nl: str
    en: str

    def name(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


@dataclass(frozen=True)
class Lens:
    """A round button at (x, y) on ``view`` that opens ``target_view`` (and ``closeup`` on it)."""

    view: str
    x: float
    y: float
    target_view: str
    closeup: str | None
    nl: str
    en: str

    def name(self, lang: str) -> str:
        return self.nl if lang == "nl" else self.en


def _mirror(box: tuple[float, float, float, float], width: float = 600.0
            ) -> tuple[float, float, float, float]:
    x, y, w, h = box
    return (width - x - w, y, w, h)


_HEAD = (213.0, 30.0, 174.0, 240.0)
_ARM_VIEWER_LEFT = (100.0, 215.0, 200.0, 345.0)
_THIGHS = (200.0, 500.0, 200.0, 220.0)
_LEGS = (215.0, 680.0, 170.0, 225.0)
_ANKLES = (230.0, 840.0, 140.0, 136.0)
_HAND_VIEWER_LEFT = (0.0, 0.0, 300.0, 440.0)
_LATERAL_HEAD_VIEWER_LEFT = (110.0, 30.0, 190.0, 280.0)


def _body(view: str) -> list[Closeup]:
    # the arm on the viewer's left is the client's right, except on the back view
    left_is = "left" if view == "back" else "right"
    right_is = "right" if view == "back" else "left"
    words = {"right": ("Rechterarm", "Right arm"), "left": ("Linkerarm", "Left arm")}
    head = ("Hoofd en nek", "Head and neck") if view == "back" else ("Hoofd en hals", "Head and neck")
    out = [
        Closeup(f"{view}.head", view, _HEAD, *head),
        Closeup(f"{view}.arm_{left_is}", view, _ARM_VIEWER_LEFT, *words[left_is]),
        Closeup(f"{view}.arm_{right_is}", view, _mirror(_ARM_VIEWER_LEFT), *words[right_is]),
    ]
    if view == "front":
        out.append(Closeup("front.trunk", view, (200.0, 200.0, 200.0, 320.0),
                           "Borst en buik", "Chest and belly"))
    else:
        out.append(Closeup("back.upper_back", view, (200.0, 190.0, 200.0, 230.0),
                           "Bovenrug", "Upper back"))
        out.append(Closeup("back.low_back", view, (225.0, 390.0, 150.0, 200.0),
                           "Onderrug en bekken", "Low back and pelvis"))
    out += [
        Closeup(f"{view}.thighs", view, _THIGHS, "Bovenbenen", "Thighs"),
        Closeup(f"{view}.legs", view, _LEGS, "Knieën en onderbenen", "Knees and lower legs"),
        Closeup(f"{view}.ankles", view, _ANKLES, "Enkels", "Ankles"),
    ]
    return out


def _hands_or_feet(view: str, thing: tuple[str, str, str, str]) -> list[Closeup]:
    r_nl, r_en, l_nl, l_en = thing
    return [Closeup(f"{view}.right", view, _HAND_VIEWER_LEFT, r_nl, r_en),
            Closeup(f"{view}.left", view, _mirror(_HAND_VIEWER_LEFT), l_nl, l_en)]


_HANDS = ("Rechterhand", "Right hand", "Linkerhand", "Left hand")
_FEET = ("Rechtervoet", "Right foot", "Linkervoet", "Left foot")


@cache
def closeups() -> tuple[Closeup, ...]:
    """Every close-up, per view in the order the chart offers them."""
    out = _body("front") + _body("back") + [
        Closeup("lateral.head_right", "lateral", _LATERAL_HEAD_VIEWER_LEFT,
                "Hoofd en hals rechts", "Head and neck, right"),
        Closeup("lateral.head_left", "lateral", _mirror(_LATERAL_HEAD_VIEWER_LEFT),
                "Hoofd en hals links", "Head and neck, left"),
        Closeup("lateral.trunk", "lateral", (100.0, 190.0, 400.0, 380.0),
                "Romp en armen", "Trunk and arms"),
        Closeup("lateral.legs", "lateral", (100.0, 560.0, 400.0, 420.0),
                "Benen", "Legs"),
    ]
    out += _hands_or_feet("palm", _HANDS) + _hands_or_feet("dorsum_hand", _HANDS)
    out += _hands_or_feet("sole", _FEET) + _hands_or_feet("dorsum_foot", _FEET)
    return tuple(out)


def closeups_of(view: str) -> list[Closeup]:
    chart().view(view)  # unknown view: ChartError naming the field
    return [c for c in closeups() if c.view == view]


def _bounds(view: str, groups: set[str], side: str) -> tuple[float, float, float, float]:
    from knoop.kb.contract import contract

    regions = contract().regions
    xs0, ys0, xs1, ys1 = [], [], [], []
    for s in chart().shapes(view):
        r = regions.get(s.region)
        if r is not None and r.group in groups and s.side == side and not s.deep:
            x0, y0, x1, y1 = s.polygon.bounds
            xs0.append(x0)
            ys0.append(y0)
            xs1.append(x1)
            ys1.append(y1)
    return (min(xs0), min(ys0), max(xs1), max(ys1))


#: The lens radius in template units (about 25 CSS px on a phone's whole-body view).
LENS_RADIUS = 22.0


@cache
def lenses() -> tuple[Lens, ...]:
    """Round buttons beside the head, the hands and the feet of the whole-body views."""
    out: list[Lens] = []
    gap = LENS_RADIUS + 6
    for view, hands, feet in (("front", "palm", "dorsum_foot"), ("back", "dorsum_hand", "sole")):
        out.append(Lens(view, 300.0 + 118, 52.0, view, f"{view}.head",
                        "Hoofd en hals vergroten", "Zoom in on the head and neck"))
        for side in ("right", "left"):
            x0, y0, x1, y1 = _bounds(view, {"hand"}, side)
            viewer_left = (x0 + x1) / 2 < 300
            hx = x0 - gap if viewer_left else x1 + gap
            word = ("rechterhand", "right hand") if side == "right" else ("linkerhand", "left hand")
            out.append(Lens(view, round(hx, 1), round((y0 + y1) / 2, 1), hands,
                            f"{hands}.{side}", f"De {word[0]} bekijken", f"Show the {word[1]}"))
            x0, y0, x1, y1 = _bounds(view, {"foot", "ankle"}, side)
            viewer_left = (x0 + x1) / 2 < 300
            fx = x0 - gap if viewer_left else x1 + gap
            word = ("rechtervoet", "right foot") if side == "right" else ("linkervoet", "left foot")
            out.append(Lens(view, round(fx, 1), round(y1 - LENS_RADIUS, 1), feet,
                            f"{feet}.{side}", f"De {word[0]} bekijken", f"Show the {word[1]}"))
    for cid, x in (("lateral.head_right", 84.0), ("lateral.head_left", 516.0)):
        out.append(Lens("lateral", x, 52.0, "lateral", cid,
                        "Hoofd en hals vergroten", "Zoom in on the head and neck"))
    return tuple(out)


def as_json(lang: str) -> dict[str, list[dict[str, object]]]:
    """What the drawing widget needs: per view its close-ups and lenses."""
    views: dict[str, list[dict[str, object]]] = {}
    for c in closeups():
        views.setdefault(c.view, []).append({"id": c.id, "box": list(c.box),
                                             "name": c.name(lang)})
    lens_list: list[dict[str, object]] = [{"view": ln.view, "x": ln.x, "y": ln.y, "r": LENS_RADIUS,
                  "target": ln.target_view, "closeup": ln.closeup, "name": ln.name(lang)}
                 for ln in lenses()]
    return {"closeups": [{"view": v, "items": items} for v, items in views.items()],
            "lenses": lens_list}
