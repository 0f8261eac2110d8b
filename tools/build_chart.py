"""Build the knoop body-chart template (``src/knoop/bodymap/data/chart-v1.json``).

Our own artwork, generated from a small parametric description with shapely:

* the silhouette of every view is a union of simple parts (ellipses, tapered capsules, width
  profiles), smoothed with a morphological closing (``buffer(r).buffer(-r)``);
* regions are drawn as generous *cut* polygons in an order of priority and clipped to the
  silhouette, so they tile it exactly; pieces no cut claimed go to the neighbour they share the
  longest border with;
* geometry is drawn for the half of the view on the viewer's LEFT and mirrored about the view's
  vertical axis for the other side; midline regions are made symmetric the same way.

Run ``python tools/build_chart.py`` from the project root. A released template version is never
edited in place: to change geometry, bump ``VERSION`` and write a new ``chart-vN.json``.
"""

from __future__ import annotations

import itertools
import json
import math
import sys
from pathlib import Path

import yaml
from shapely import affinity, set_precision
from shapely.geometry import GeometryCollection, LineString, MultiPolygon, Point, Polygon, box
from shapely.ops import unary_union
from shapely.validation import make_valid

ROOT = Path(__file__).resolve().parents[1]
VERSION = "1"
OUT = ROOT / "src" / "knoop" / "bodymap" / "data" / f"chart-v{VERSION}.json"
REGIONS = ROOT / "src" / "knoop" / "kb" / "contract" / "regions.yaml"
GRID = 0.1

# --------------------------------------------------------------------------- geometry helpers


def polys(g) -> list[Polygon]:
    """The polygon parts of any geometry."""
    if g is None or g.is_empty:
        return []
    if isinstance(g, Polygon):
        return [g]
    if isinstance(g, (MultiPolygon, GeometryCollection)):
        out: list[Polygon] = []
        for p in g.geoms:
            out.extend(polys(p))
        return out
    return []


def clean(g):
    g = make_valid(g)
    ps = [p for p in polys(g) if p.area > 1e-6]
    return unary_union(ps) if ps else Polygon()


def smooth(g, r: float):
    """Morphological closing: fills concave corners narrower than 2r, keeps the outline round."""
    return clean(g.buffer(r, quad_segs=24).buffer(-r, quad_segs=24))


def circle(x: float, y: float, r: float):
    return Point(x, y).buffer(r, quad_segs=24)


def ell(x: float, y: float, rx: float, ry: float, rot: float = 0.0):
    e = affinity.scale(Point(0, 0).buffer(1.0, quad_segs=24), rx, ry)
    if rot:
        e = affinity.rotate(e, rot, origin=(0, 0))
    return affinity.translate(e, x, y)


def capsule(p0, p1, r0: float, r1: float):
    """A tapered capsule: the convex hull of two circles."""
    return unary_union([circle(*p0, r0), circle(*p1, r1)]).convex_hull


def chain(nodes):
    """Tapered capsules through ``nodes`` = [(x, y, r), ...]."""
    return unary_union([capsule(a[:2], b[:2], a[2], b[2]) for a, b in itertools.pairwise(nodes)])


def poly(pts):
    return clean(Polygon(pts))


def mirror(g, cx: float):
    return affinity.scale(g, xfact=-1, yfact=1, origin=(cx, 0))


def symmetric(g, cx: float):
    """Make ``g`` exactly symmetric about x = cx (keep its left half and mirror it)."""
    left = clean(g.intersection(box(-1e4, -1e4, cx, 1e4)))
    return clean(unary_union([left, mirror(left, cx)]))


def smooth_curve(pts, n: int = 8):
    """Catmull-Rom through the points, for organic cut lines and outlines (closed polygon)."""
    out = []
    m = len(pts)
    for i in range(m):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[(i + 1) % m], pts[(i + 2) % m]
        for k in range(n):
            t = k / n
            t2, t3 = t * t, t * t * t
            out.append(tuple(
                0.5 * ((2 * p1[j]) + (-p0[j] + p2[j]) * t + (2 * p0[j] - 5 * p1[j] + 4 * p2[j]
                       - p3[j]) * t2 + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t3)
                for j in range(2)))
    return out


def open_curve(pts, n: int = 8):
    """Catmull-Rom through the points of an open curve (end points repeated)."""
    ext = [pts[0], *pts, pts[-1]]
    out = []
    for i in range(len(pts) - 1):
        p0, p1, p2, p3 = ext[i], ext[i + 1], ext[i + 2], ext[i + 3]
        for k in range(n):
            t = k / n
            out.append(tuple(
                0.5 * ((2 * p1[j]) + (-p0[j] + p2[j]) * t + (2 * p0[j] - 5 * p1[j] + 4 * p2[j]
                       - p3[j]) * t * t + (-p0[j] + 3 * p1[j] - 3 * p2[j] + p3[j]) * t ** 3)
                for j in range(2)))
    out.append(tuple(pts[-1]))
    return out


class Frame:
    """Coordinates along a limb: ``u`` = distance along the centre line, ``s`` = across it in
    units of the local half-width (+1 = lateral edge, -1 = medial edge)."""

    def __init__(self, nodes, lateral=(-1.0, 0.0)):
        self.p = [(x, y) for x, y, _ in nodes]
        self.w = [r for _, _, r in nodes]
        self.cum = [0.0]
        for a, b in zip(self.p, self.p[1:]):
            self.cum.append(self.cum[-1] + math.dist(a, b))
        self.length = self.cum[-1]
        self.lat = lateral

    def at(self, u: float):
        i = 0
        while i < len(self.cum) - 2 and u > self.cum[i + 1]:
            i += 1
        a, b = self.p[i], self.p[i + 1]
        seg = self.cum[i + 1] - self.cum[i]
        t = (u - self.cum[i]) / seg
        x = a[0] + (b[0] - a[0]) * t
        y = a[1] + (b[1] - a[1]) * t
        w = self.w[i] + (self.w[i + 1] - self.w[i]) * max(0.0, min(1.0, t))
        dx, dy = (b[0] - a[0]) / seg, (b[1] - a[1]) / seg
        n = (-dy, dx)
        if n[0] * self.lat[0] + n[1] * self.lat[1] < 0:
            n = (dy, -dx)
        return x, y, w, n

    def pt(self, u: float, s: float):
        x, y, w, n = self.at(u)
        return x + s * w * n[0], y + s * w * n[1]

    def quad(self, u0: float, u1: float, s0: float, s1: float, n: int = 16):
        a = [self.pt(u0 + (u1 - u0) * k / n, s0) for k in range(n + 1)]
        b = [self.pt(u1 - (u1 - u0) * k / n, s1) for k in range(n + 1)]
        return poly(a + b)


def boxd(cx: float, d0: float, d1: float, y0: float, y1: float):
    """A box given by distances from the midline (viewer-left half: x = cx - d)."""
    return box(cx - d1, y0, cx - d0, y1)


def pd(cx: float, pts):
    """Polygon from (distance-from-midline, y) points on the viewer-left half."""
    return poly([(cx - d, y) for d, y in pts])


def pcd(cx: float, pts, n: int = 8):
    return poly(smooth_curve([(cx - d, y) for d, y in pts], n))


# --------------------------------------------------------------------------- tiling


class Tiler:
    """Assigns the area of a silhouette to regions by ordered cut polygons."""

    def __init__(self, area):
        self.rest = area
        self.out: dict[str, object] = {}
        self.order: list[str] = []

    def take(self, region: str, cut) -> None:
        g = clean(self.rest.intersection(cut))
        if g.is_empty:
            return
        if region in self.out:
            self.out[region] = clean(unary_union([self.out[region], g]))
        else:
            self.out[region] = g
            self.order.append(region)
        self.rest = clean(self.rest.difference(g))

    def finish(self, min_part: float = 0.25) -> dict[str, object]:
        """Give unclaimed pieces and stray fragments to the neighbour with the longest border."""
        loose = list(polys(self.rest))
        for reg in list(self.out):
            parts = sorted(polys(self.out[reg]), key=lambda p: -p.area)
            keep = [p for p in parts if p.area >= parts[0].area * min_part]
            loose.extend(p for p in parts if p.area < parts[0].area * min_part)
            self.out[reg] = clean(unary_union(keep))
        for piece in sorted(loose, key=lambda p: -p.area):
            if piece.area < 1e-3:
                continue
            best, blen = None, 0.0
            ring = piece.buffer(0.05)
            for reg, g in self.out.items():
                ln = ring.intersection(g).area
                if ln > blen:
                    best, blen = reg, ln
            if best is not None:
                self.out[best] = clean(unary_union([self.out[best], piece]))
        return self.out


# --------------------------------------------------------------------------- hand & foot


def beyond(p, d, across: float, along: float = 30.0):
    """Everything past a gently curved crease through ``p`` across the direction ``d`` (unit):
    an ellipse whose near end touches ``p``, so the crease bows toward the palm or sole in the
    middle and runs a little further out at the sides, like a skin crease."""
    ang = math.degrees(math.atan2(d[0], d[1]))
    return ell(p[0] + d[0] * along, p[1] + d[1] * along, across, along, -ang)


def hand_local(kind: str, web: bool = True, relaxed: bool = True):
    """A hand in local units: wrist centre at (0, 0), +y toward the fingertips, +x toward the
    thumb; 100 units from wrist crease to middle fingertip. ``kind``: palm or dorsum.
    Returns (outline, [(region, cut), ...]) with cuts in priority order."""
    palm = poly(smooth_curve([(-18.5, -2), (-20.5, 22), (-20.5, 46), (-15, 52), (0, 55),
                              (16, 53), (21.5, 47), (22, 30), (19.5, 8), (18.5, -2)], 6))
    fingers = {  # (base x, base y, angle deg from +y toward +x, length, radius)
        "index": (15.0, 50.0, 5.0, 43.0, 5.0),
        "middle": (5.0, 52.0, 1.0, 46.0, 5.2),
        "ring": (-5.4, 51.0, -3.0, 43.0, 4.9),
        "little": (-14.6, 46.5, -8.0, 35.0, 4.3),
    }
    fgeo = {}
    fcrease = {}
    # the finger crease sits at the level of the webs on either side of the finger
    web_at = {"index": 5.5, "middle": 4.0, "ring": 4.5, "little": 4.0}
    for name, (bx, by, ang, ln, r) in fingers.items():
        a = math.radians(ang)
        d = (math.sin(a), math.cos(a))
        tip = (bx + d[0] * ln, by + d[1] * ln)
        mid = (bx + d[0] * ln * 0.5, by + d[1] * ln * 0.5)
        fgeo[name] = chain([(bx, by - 6, r + 0.6), (*mid, r), (tip[0], tip[1] - r * 0.2,
                                                                r * 0.88)])
        base = (bx + d[0] * web_at[name], by + d[1] * web_at[name])
        fcrease[name] = beyond(base, d, r * 3.4)
    if relaxed:
        thumb_nodes = [(12.0, 6.0, 9.5), (25.5, 27.0, 8.4), (34.0, 42.0, 6.6), (38.5, 55.0, 5.6)]
    else:
        thumb_nodes = [(12.0, 6.0, 9.5), (22.5, 28.0, 8.2), (27.0, 43.0, 6.5), (28.5, 56.0, 5.5)]
    thumb = chain(thumb_nodes)
    wrist = capsule((0, -16), (0, 2), 17.5, 18.5).intersection(box(-30, -16, 30, 30))
    outline = smooth(unary_union([palm, thumb, wrist]), 3.0)
    outline = clean(unary_union([outline] + list(fgeo.values())))
    outline = smooth(outline, 0.9)

    cuts = []
    big = 200
    if kind == "palm":
        cuts.append(("wrist_volar_radial", box(0, -big, big, 3.0)))
        cuts.append(("wrist_volar_ulnar", box(-big, -big, 0, 3.0)))
    else:
        cuts.append(("wrist_dorsal_radial", box(0, -big, big, 3.0)))
        cuts.append(("wrist_dorsal_ulnar", box(-big, -big, 0, 3.0)))
    for name, g in fgeo.items():
        reg = f"{name}_finger_{'palmar' if kind == 'palm' else 'dorsal'}"
        # the whole finger past its crease, a little wider than the finger so that the
        # outline's rounding at the webs is not left to the palm
        cuts.append((reg, g.buffer(1.5).intersection(fcrease[name])))
    if kind == "palm" and web:
        cuts.append(("thumb_web", poly(smooth_curve([(16.5, 42), (24, 38.5), (29.5, 45),
                                                     (23, 50.5), (17, 48.5)], 4))))
    if kind == "palm":
        tn = thumb_nodes[1], thumb_nodes[2]
        td = (tn[1][0] - tn[0][0], tn[1][1] - tn[0][1])
        tl = math.hypot(*td)
        td = (td[0] / tl, td[1] / tl)
        tp = (tn[0][0] + td[0] * tl * 0.55, tn[0][1] + td[1] * tl * 0.55)
        cuts.append(("thumb_palmar", thumb.buffer(1.5).intersection(beyond(tp, td, 28))))
        cuts.append(("thenar", poly(smooth_curve([(4, 3), (14, 2), (23, 14), (31, 33), (22, 40),
                                                  (12, 36), (5, 22)], 6))))
        cuts.append(("hypothenar", poly(smooth_curve([(-30, 3), (-9, 3), (-7.5, 22), (-9, 45),
                                                      (-30, 48)], 6))))
        cuts.append(("palm", box(-big, -big, big, big)))
    else:
        cuts.append(("thumb_web", poly(smooth_curve([(11, 18), (19.5, 24), (26.5, 38),
                                                     (21, 48), (14, 46), (10, 32)], 6))))
        cuts.append(("thumb_dorsal", thumb.buffer(0.5)))
        cuts.append(("hand_dorsum", box(-big, -big, big, big)))
    return outline, cuts


def foot_local(kind: str):
    """A foot in local units: back of the heel at (0, 0), +y toward the toes, +x toward the
    big-toe (medial) side; 100 units long. ``kind``: sole or dorsum."""
    if kind == "sole":
        body = poly(smooth_curve([(-11.5, 3), (0, -0.5), (11.5, 3), (13.5, 16), (9.5, 34),
                                  (12, 50), (20, 63), (21.5, 74), (17, 80), (-4, 77),
                                  (-17, 71), (-19.5, 60), (-15, 40), (-13.5, 18)], 6))
    else:
        body = poly(smooth_curve([(-11.5, 3), (0, -0.5), (11.5, 3), (14, 16), (14.5, 34),
                                  (17, 50), (20.5, 63), (21.5, 74), (17, 80), (-4, 77),
                                  (-17, 71), (-19.5, 60), (-17, 40), (-14, 18)], 6))
    toes = {
        "big": ell(13.5, 87.5, 8.4, 12.0, -4),
        "t2": ell(2.6, 86.0, 5.0, 8.6, 4),
        "t3": ell(-5.2, 82.5, 4.7, 7.8, 9),
        "t4": ell(-11.6, 78.5, 4.4, 7.0, 14),
        "t5": ell(-17.0, 73.0, 4.1, 6.0, 22),
    }
    tgeo = {k: unary_union([v, capsule((v.centroid.x, v.centroid.y),
                                       (v.centroid.x * 0.95, v.centroid.y - 9), 3.5, 4.5)])
            for k, v in toes.items()}
    outline = smooth(unary_union([body, *tgeo.values()]), 1.2)
    big = 300
    # the toe crease runs behind each toe and comes forward at the webs between the toes; the
    # big toe is split from the lesser toes along the gap between the first two toes
    crease = open_curve([(40, 79.5), (21, 78.0), (13.5, 77.0), (7.7, 81.0), (2.6, 79.0),
                         (-1.3, 79.6), (-5.2, 76.3), (-8.5, 76.4), (-11.8, 72.6), (-14.6, 72.2),
                         (-17.8, 68.0), (-22, 65.0), (-40, 58)], 6)
    toe_zone = poly(crease + [(-40, 200), (40, 200)])
    crease_big = toe_zone.intersection(poly([(7.7, 60), (7.7, 81.0), (7.2, 90), (6.8, 200),
                                             (60, 200), (60, 60)]))
    crease_lesser = toe_zone
    inner = outline.buffer(-5.5)
    rim = outline.difference(inner)
    cuts = []
    if kind == "sole":
        cuts.append(("big_toe_plantar", crease_big))
        cuts.append(("lesser_toes_plantar", crease_lesser))
        cuts.append(("foot_lateral_border", rim.intersection(poly([(-1, 14), (-1, 62),
                                                                   (-40, 72), (-40, 14)]))))
        cuts.append(("foot_medial_border", rim.intersection(poly([(1, 18), (1, 58),
                                                                  (40, 58), (40, 18)]))))
        cuts.append(("heel", box(-big, -big, big, 27)))
        cuts.append(("big_toe_ball", poly([(5, 56), (40, 56), (40, 82), (5, 82)])))
        cuts.append(("forefoot_sole", poly([(5, 56), (-40, 53), (-40, 82), (5, 82)])))
        cuts.append(("arch", box(-big, -big, big, big)))
    else:
        cuts.append(("big_toe_dorsal", crease_big))
        cuts.append(("lesser_toes_dorsal", crease_lesser))
        cuts.append(("foot_lateral_border", rim.intersection(poly([(-1, -20), (-1, 62),
                                                                   (-40, 72), (-40, -20)]))))
        cuts.append(("foot_medial_border", rim.intersection(poly([(1, -20), (1, 63),
                                                                  (40, 63), (40, -20)]))))
        cuts.append(("ankle_front", box(-big, -big, big, 27)))
        cuts.append(("foot_dorsum", box(-big, -big, big, big)))
    return outline, cuts


def place(g, origin, direction, lateral, scale):
    """Local (x, y) -> origin + scale * (x * lateral + y * direction)."""
    a, b = scale * lateral[0], scale * direction[0]
    d, e = scale * lateral[1], scale * direction[1]
    return affinity.affine_transform(g, [a, b, d, e, origin[0], origin[1]])


# --------------------------------------------------------------------------- whole body


W, H = 600, 1000
CX = W / 2


def body_parts():
    """Parts of the whole body (front/back silhouette), viewer-left half plus mirror."""
    c = CX
    head = unary_union([ell(c, 90, 45.5, 52), ell(c, 119, 39, 44)])
    ears = ell(c - 45, 111, 6.5, 13.5)
    neck = pd(c, [(0, 140), (23, 140), (24.5, 175), (27, 196), (0, 205)])
    torso = pcd(c, [(0, 186), (27, 189), (52, 203), (84, 216), (104, 228), (110, 246),
                    (100, 276), (93, 300), (90, 330), (84, 365), (77, 400), (76, 425), (82, 455),
                    (91, 485), (94, 515), (88, 540), (45, 552), (0, 556)], 10)
    torso = clean(torso.intersection(box(-1e4, 0, c, 1e4)))
    arm = chain([(c - 103, 248, 26), (c - 116, 300, 22.5), (c - 137, 398, 17.5),
                 (c - 144, 430, 19), (c - 163, 520, 12.8)])
    leg = chain([(c - 50, 530, 45), (c - 47, 600, 40), (c - 44, 680, 30.5), (c - 42, 722, 28),
                 (c - 42, 760, 28.5), (c - 43, 790, 30), (c - 40, 850, 20.5),
                 (c - 38.5, 897, 13.5)])
    body_half = unary_union([head, ears, neck, torso, arm, leg])
    body = symmetric(smooth(unary_union([body_half, mirror(body_half, c)]), 7), c)
    return body


ARM = Frame([(CX - 103, 236, 27), (CX - 116, 300, 22.5), (CX - 137, 398, 17.5),
             (CX - 144, 430, 19), (CX - 163, 520, 12.8)])
LEG = Frame([(CX - 50, 525, 45), (CX - 47, 600, 40), (CX - 44, 680, 30.5), (CX - 42, 722, 28),
             (CX - 42, 760, 28.5), (CX - 43, 790, 30), (CX - 40, 850, 20.5),
             (CX - 38.5, 898, 13.5)])
ELBOW_U = None  # filled below
HAND_SCALE = 0.86


def _wrist():
    x, y, _w, n = ARM.at(ARM.length)
    ux, uy = ARM.at(ARM.length)[:2]
    px, py = ARM.at(ARM.length - 10)[:2]
    d = (ux - px, uy - py)
    ln = math.hypot(*d)
    d = (d[0] / ln, d[1] / ln)
    return (x, y), d, n


def arm_u_at_y(y: float) -> float:
    lo, hi = 0.0, ARM.length
    for _ in range(40):
        mid = (lo + hi) / 2
        if ARM.at(mid)[1] < y:
            lo = mid
        else:
            hi = mid
    return lo


# toes seen from the front: (distance from the midline, y, rx, ry, tilt) — big toe medial
FRONT_TOES = [(25.5, 960.0, 7.8, 9.0, -4), (36.4, 963.5, 5.0, 6.6, 4), (45.0, 962.5, 4.7, 6.2, 10),
              (52.8, 959.5, 4.4, 5.7, 16), (59.5, 955.0, 4.0, 5.0, 24)]


def front_foot(c: float):
    """The foot seen from the front (viewer-left half): ankle with both malleoli (the medial one
    higher), the instep widening toward the ball of the foot, five toes with the big toe on the
    medial side. Returns (outline, toe shapes)."""
    foot = pcd(c, [(26, 868), (25, 884), (24.5, 904), (23, 917), (20, 931), (17.5, 944),
                   (18.5, 953), (40, 957), (62, 951), (64.5, 943), (62, 930), (57.5, 917),
                   (55, 904), (52, 882), (51.5, 868)], 6)
    malleoli = [ell(c - 24.2, 893, 3.2, 8), ell(c - 54.2, 904, 3.2, 8)]
    toes = [ell(c - d, y, rx, ry, -rot) for d, y, rx, ry, rot in FRONT_TOES]
    return smooth(unary_union([foot, *malleoli, *toes]), 1.0), toes


def toe_tip(c: float, d: float, y: float, rx: float, ry: float, rot: float):
    """A toe below the crease at its base: the crease is an arc that follows the toe's round."""
    toe = ell(c - d, y, rx, ry, -rot).buffer(0.6)
    return toe.intersection(ell(c - d, y + 0.62 * ry, rx * 1.7, ry * 1.05, -rot))


def back_foot(c: float):
    """The foot seen from behind: Achilles tendon, both malleoli, the rounded heel and a glimpse
    of the forefoot on either side."""
    foot = pcd(c, [(27, 868), (26, 884), (25.5, 906), (24, 925), (22.5, 940), (23.5, 952),
                   (30, 960), (38.5, 962.5), (47, 960), (53.5, 955), (58.5, 951), (61, 944),
                   (58.5, 928), (55.5, 910), (52, 884), (51, 868)], 6)
    malleoli = [ell(c - 24.2, 893, 3.2, 8), ell(c - 54.2, 904, 3.2, 8)]
    return smooth(unary_union([foot, *malleoli]), 1.5), []


def hand_world(kind: str):
    (wx, wy), d, n = _wrist()
    outline, cuts = hand_local(kind, web=(kind == "dorsum"), relaxed=False)
    org = (wx + d[0] * 2, wy + d[1] * 2)
    place_ = lambda g: place(g, org, d, n, HAND_SCALE)
    return place_(outline), [(r, place_(g)) for r, g in cuts]


def whole_body(kind: str):
    """Silhouette and region tiling of the front or back view."""
    c = CX
    body = body_parts()
    hand, hand_cuts = hand_world("palm" if kind == "front" else "dorsum")
    foot, _ = front_foot(c) if kind == "front" else back_foot(c)
    half_extra = unary_union([hand, foot])
    sil = clean(unary_union([body, half_extra, mirror(half_extra, c)]))
    sil = symmetric(smooth(sil, 1.2), c)

    deep_mid: dict[str, object] = {}
    deep_half: dict[str, object] = {}
    mid = Tiler(sil)
    if kind == "front":
        mid.take("vertex", symmetric(sil.difference(ell(c, 103, 70, 59)).intersection(box(0, 0, W, 80)), c))
        mid.take("upper_lip", symmetric(pcd(c, [(0, 125.5), (9, 125.5), (14.5, 131), (13, 137),
                                                (0, 138.5), (-1, 132)], 5), c))
        mid.take("chin", symmetric(pcd(c, [(0, 138.5), (13, 137.5), (16.5, 150), (13, 170),
                                           (0, 172), (-1, 150)], 6).union(
            pd(c, [(0, 138.5), (13, 137.5), (16, 152), (0, 172)])), c))
        mid.take("sternum", symmetric(pd(c, [(0, 222), (12, 222), (12.5, 240), (10.5, 330),
                                             (6, 352), (0, 358)]), c))
        mid.take("umbilical", ell(c, 418, 19, 17))
        mid.take("suprapubic", symmetric(pcd(c, [(0, 498), (24, 498), (33, 516), (28, 548),
                                                 (0, 552)], 6), c))
        deep_mid["throat"] = ell(c, 182, 7, 6)
        deep_mid["pelvis_deep"] = ell(c, 501, 15, 9)
        deep_mid["genitals"] = ell(c, 548, 8, 7)
        deep_mid["perineum"] = ell(c, 566, 5.5, 4)
    else:
        mid.take("vertex", symmetric(sil.difference(ell(c, 109, 75, 64)).intersection(box(0, 0, W, 80)), c))
        mid.take("sacrum", symmetric(pcd(c, [(0, 488), (24, 490), (24, 505), (14, 535),
                                             (6, 552), (0, 554)], 6), c))
        mid.take("coccyx", symmetric(pcd(c, [(0, 551), (7, 551), (7.5, 563), (3, 572),
                                             (0, 573)], 4), c))
        deep_mid["pelvis_deep"] = ell(c, 519, 25, 9)
        deep_mid["perineum"] = ell(c, 578, 5.5, 4)
    mid_regions = dict(mid.out)
    used = unary_union(list(mid_regions.values()))
    half_area = clean(sil.intersection(box(-1e4, -1e4, c, 1e4)).difference(used))
    t = Tiler(half_area)
    A = ARM
    u_elbow = arm_u_at_y(398)
    u_wrist = A.length
    L = LEG

    arm_zone = chain([(x, y, r + 1.5) for (x, y), r in zip(A.p, A.w)]).union(
        hand.buffer(1)).intersection(box(-1e4, 226, 1e4, 1e4))

    def arm(u0, u1, s0, s1):
        return A.quad(u0, u1, s0, s1, 24).intersection(arm_zone)

    def leg(y0, y1, s0, s1):
        return L.quad(max(0.0, y0 - 525), y1 - 525 if y1 < 898 else L.length + 40, s0, s1, 24)

    hand_area = hand.buffer(0.01)
    for reg, g in hand_cuts:
        t.take(reg, g.intersection(hand_area))

    if kind == "front":
        # face
        t.take("nose", pcd(c, [(-1, 95), (4, 95), (8, 104), (12.5, 119), (10.5, 126), (-1, 126)],
                           5))
        t.take("eyebrow", pcd(c, [(6, 92.5), (20, 88), (34, 89.5), (39.5, 95), (34, 99),
                                  (20, 97), (8, 99.5)], 5))
        t.take("forehead", pd(c, [(-1, 40), (31, 40), (33, 94), (-1, 100)]))
        t.take("temple", pd(c, [(30, 50), (70, 50), (70, 106), (40, 110), (34, 100)]))
        t.take("tmj", pcd(c, [(37, 104), (44, 101), (60, 104), (60, 128), (41, 127)], 4))
        t.take("jaw_angle", pcd(c, [(33, 129), (46, 126), (52, 140), (40, 158), (30, 152)], 4))
        t.take("lower_jaw", pd(c, [(8, 140), (34, 134), (44, 152), (25, 172), (8, 175)]))
        t.take("cheek", pd(c, [(5, 95), (45, 95), (45, 140), (5, 140)]))
        # neck
        t.take("under_jaw", pcd(c, [(10, 158), (26, 161), (36, 151), (40, 158), (32, 175),
                                    (10, 177)], 4))
        t.take("shoulder_top", pd(c, [(26, 150), (30, 198), (60, 209), (92, 222), (122, 240),
                                      (140, 240), (140, 150)]))
        t.take("neck_front", pd(c, [(-1, 160), (12, 160), (13, 226), (-1, 226)]))
        t.take("neck_lateral", pd(c, [(10, 150), (26, 150), (30, 198), (24, 228), (12, 228)]))
        t.take("supraclavicular", pd(c, [(12, 180), (120, 180), (100, 229), (60, 228),
                                         (14, 227)]))
        # arm
        t.take("axilla", pcd(c, [(84, 262), (100, 260), (108, 285), (99, 306), (88, 300)], 5))
        t.take("shoulder_lateral", arm(-30, 62, 0.42, 3))
        t.take("shoulder_front", arm(-30, 58, -3, 0.42).intersection(
            pd(c, [(84, 221), (300, 221), (300, 400), (88, 400)])))
        t.take("upper_arm_lateral", arm(55, u_elbow - 14, 0.45, 3))
        t.take("upper_arm_medial", arm(40, u_elbow - 14, -3, -0.42))
        t.take("upper_arm_front", arm(40, u_elbow - 14, -0.42, 0.45))
        t.take("elbow_lateral", arm(u_elbow - 14, u_elbow + 18, 0.38, 3))
        t.take("elbow_medial", arm(u_elbow - 14, u_elbow + 18, -3, -0.38))
        t.take("antecubital", arm(u_elbow - 14, u_elbow + 18, -0.38, 0.38))
        t.take("wrist_volar_radial", arm(u_wrist - 12, u_wrist + 4, 0, 3))
        t.take("wrist_volar_ulnar", arm(u_wrist - 12, u_wrist + 4, -3, 0))
        t.take("forearm_dorsal_radial", arm(u_elbow + 18, u_wrist - 12, 0.62, 3))
        t.take("forearm_ulnar", arm(u_elbow + 18, u_wrist - 12, -3, -0.66))
        t.take("forearm_volar_radial", arm(u_elbow + 18, u_wrist - 12, 0, 0.62))
        t.take("forearm_volar_ulnar", arm(u_elbow + 18, u_wrist - 12, -0.66, 0))
        # chest and belly
        t.take("infraclavicular", pcd(c, [(10, 220), (60, 224), (96, 226), (100, 244), (60, 246),
                                          (12, 242)], 5))
        t.take("breast", ell(c - 51, 300, 25, 21))
        t.take("pectoral", pd(c, [(8, 235), (104, 235), (96, 305), (80, 302), (8, 300)]))
        t.take("chest_side", pd(c, [(72, 290), (140, 290), (140, 392), (80, 392), (70, 360)]))
        t.take("costal_margin", pd(c, [(0, 352), (8, 346), (40, 362), (82, 384), (84, 400),
                                       (40, 380), (6, 366)]))
        t.take("lower_chest_front", pd(c, [(0, 310), (80, 318), (80, 390), (0, 360)]))
        t.take("upper_abdomen", pd(c, [(0, 355), (84, 395), (70, 420), (0, 420)]))
        t.take("flank", pd(c, [(60, 380), (160, 380), (160, 452), (64, 455), (60, 420)]))
        t.take("iliac_crest", pcd(c, [(64, 446), (82, 440), (100, 448), (98, 467), (70, 466)],
                                  4))
        t.take("groin", pd(c, [(68, 466), (76, 476), (34, 530), (24, 558), (12, 554), (20, 526),
                               (58, 472)]))
        t.take("lower_abdomen", pd(c, [(0, 418), (80, 418), (64, 470), (22, 530), (0, 530)]))
        t.take("hip_lateral", pd(c, [(76, 468), (140, 468), (140, 556), (88, 556), (82, 520)]))
        t.take("hip_front", pd(c, [(50, 480), (90, 480), (90, 560), (36, 560)]))
        # leg
        t.take("knee_front", ell(LEG.pt(197, 0)[0], 721, 19, 24).union(
            leg(716, 752, -0.45, 0.45)))
        t.take("thigh_lateral_upper", leg(470, 628, 0.5, 3))
        t.take("thigh_lateral_lower", leg(628, 700, 0.5, 3))
        t.take("thigh_medial_upper", leg(470, 628, -3, -0.45))
        t.take("thigh_medial_lower", leg(628, 706, -3, -0.45))
        t.take("thigh_front_upper", leg(470, 628, -0.45, 0.5))
        t.take("thigh_front_lower", leg(628, 706, -0.45, 0.5))
        t.take("knee_lateral", leg(700, 752, 0.45, 3))
        t.take("knee_medial", leg(700, 752, -3, -0.45))
        t.take("medial_malleolus", ell(c - 24.5, 895, 6.5, 8.5))
        t.take("lateral_malleolus", ell(c - 53.5, 903, 6.5, 8.5))
        t.take("ankle_front", pcd(c, [(16, 880), (64, 880), (64, 905), (40, 911), (16, 905)], 4))
        t.take("leg_lateral", leg(752, 886, 0.4, 3))
        t.take("leg_medial", leg(752, 886, -3, -0.5))
        t.take("shin", leg(752, 886, -0.5, 0.4))
        toe_cuts = [toe_tip(c, *tp) for tp in FRONT_TOES]
        t.take("big_toe_dorsal", toe_cuts[0])
        t.take("lesser_toes_dorsal", unary_union(toe_cuts[1:]).convex_hull.intersection(
            unary_union([*toe_cuts[1:], pd(c, [(31, 958), (62, 948), (62, 990), (31, 990)])])))
        t.take("foot_dorsum", pd(c, [(10, 900), (80, 900), (80, 990), (10, 990)]))
        # small anchors that draw a face: almond eyes, a mouth line, teeth as dots above and
        # below it (front teeth near the midline, back teeth toward the corners)
        deep_half["eye"] = ell(c - 19.5, 104, 7.5, 3.6)
        deep_half["mouth"] = ell(c - 8.2, 137.0, 8.2, 2.1, -8)
        deep_half["upper_front_teeth"] = ell(c - 4, 132.4, 3.0, 1.5)
        deep_half["upper_back_teeth"] = ell(c - 12.5, 132.9, 3.0, 1.5)
        deep_half["lower_front_teeth"] = ell(c - 4, 140.4, 3.0, 1.5)
        deep_half["lower_back_teeth"] = ell(c - 12.5, 139.9, 3.0, 1.5)
    else:
        # head
        t.take("occiput_base", pcd(c, [(-1, 122), (30, 121), (40, 128), (36, 150), (22, 156),
                                       (-1, 156)], 5))
        t.take("mastoid", pcd(c, [(33, 104), (60, 98), (60, 150), (40, 150), (35, 126)], 4))
        t.take("parietal", pd(c, [(28, 40), (80, 40), (80, 120), (38, 118), (30, 80)]))
        t.take("occiput_upper", pd(c, [(-1, 40), (40, 40), (40, 126), (-1, 126)]))
        # neck & shoulder girdle
        t.take("neck_shoulder_angle", pcd(c, [(22, 182), (38, 188), (62, 206), (56, 232),
                                              (34, 232), (24, 210)], 5))
        t.take("shoulder_top", pd(c, [(30, 150), (36, 194), (62, 209), (94, 222), (122, 242),
                                      (140, 242), (140, 150)]))
        t.take("neck_back_upper", pd(c, [(-1, 150), (17, 150), (18, 180), (-1, 180)]))
        t.take("neck_back_lower", pd(c, [(-1, 180), (19, 180), (20, 222), (-1, 222)]))
        t.take("neck_lateral", pd(c, [(16, 140), (40, 140), (40, 220), (18, 220)]))
        t.take("axilla", pcd(c, [(86, 268), (101, 266), (108, 288), (100, 306), (88, 302)], 5))
        t.take("shoulder_lateral", arm(-30, 62, 0.42, 3))
        t.take("shoulder_back", arm(-30, 60, -3, 0.42).intersection(
            pd(c, [(84, 225), (300, 225), (300, 400), (88, 400)])))
        t.take("upper_arm_lateral", arm(55, u_elbow - 16, 0.45, 3))
        t.take("upper_arm_medial", arm(40, u_elbow - 16, -3, -0.5))
        t.take("upper_arm_back", arm(40, u_elbow - 16, -0.5, 0.45))
        t.take("olecranon", arm(u_elbow - 16, u_elbow + 14, -0.38, 0.38))
        t.take("elbow_lateral", arm(u_elbow - 16, u_elbow + 16, 0.38, 3))
        t.take("elbow_medial", arm(u_elbow - 16, u_elbow + 16, -3, -0.38))
        t.take("wrist_dorsal_radial", arm(u_wrist - 12, u_wrist + 4, 0, 3))
        t.take("wrist_dorsal_ulnar", arm(u_wrist - 12, u_wrist + 4, -3, 0))
        t.take("forearm_dorsal_radial", arm(u_elbow + 10, u_wrist - 12, 0.3, 3))
        t.take("forearm_ulnar", arm(u_elbow + 10, u_wrist - 12, -3, -0.5))
        t.take("forearm_dorsal_middle", arm(u_elbow + 10, u_wrist - 12, -0.5, 0.3))
        # scapula
        spine = [(46, 254), (70, 246), (100, 232)]
        t.take("scapula_lower_tip", ell(c - 66, 334, 15, 13))
        t.take("suprascapular", pcd(c, [(40, 236), (62, 226), (98, 222), (104, 232), (72, 246),
                                        (46, 256)], 5))
        t.take("infrascapular", pcd(c, [(46, 258), (72, 248), (100, 236), (104, 262), (90, 300),
                                        (76, 326), (60, 322), (52, 290)], 6))
        t.take("interscapular", pd(c, [(17, 222), (42, 226), (48, 260), (56, 294), (56, 322),
                                       (17, 330)]))
        t.take("thoracic_paraspinal_upper", pd(c, [(-1, 222), (17, 222), (17, 336), (-1, 336)]))
        t.take("thoracic_paraspinal_lower", pd(c, [(-1, 336), (18, 336), (19, 402), (-1, 402)]))
        t.take("chest_side", pd(c, [(82, 280), (160, 280), (160, 400), (78, 400), (76, 340)]))
        t.take("posterior_lower_ribs", pd(c, [(17, 320), (90, 320), (90, 408), (17, 408)]))
        # low back & pelvis
        del spine
        t.take("thoracolumbar", pd(c, [(-1, 400), (28, 400), (29, 436), (-1, 436)]))
        t.take("lumbar_paraspinal", pd(c, [(-1, 436), (31, 436), (30, 478), (-1, 478)]))
        t.take("sacroiliac", pcd(c, [(21, 486), (34, 486), (36, 520), (22, 548), (12, 546),
                                     (22, 512)], 5))
        t.take("lumbosacral", pd(c, [(-1, 478), (30, 478), (28, 500), (-1, 500)]))
        t.take("iliac_crest", pcd(c, [(30, 478), (56, 462), (84, 452), (98, 458), (96, 474),
                                      (60, 478), (34, 494)], 5))
        t.take("flank", pd(c, [(28, 402), (160, 402), (160, 462), (84, 455), (30, 480)]))
        t.take("hip_lateral", pcd(c, [(80, 476), (100, 474), (112, 520), (100, 572), (84, 560),
                                      (78, 520)], 5))
        t.take("buttock_upper", pd(c, [(20, 470), (110, 470), (110, 516), (30, 516)]))
        t.take("buttock_mid", pd(c, [(10, 516), (110, 516), (110, 556), (10, 556)]))
        t.take("buttock_lower", pcd(c, [(0, 552), (60, 556), (92, 562), (88, 592), (60, 606),
                                        (20, 600), (0, 580)], 6))
        # leg
        t.take("thigh_lateral_upper", leg(560, 632, 0.5, 3))
        t.take("thigh_lateral_lower", leg(632, 704, 0.5, 3))
        t.take("thigh_medial_upper", leg(520, 632, -3, -0.45))
        t.take("thigh_medial_lower", leg(632, 708, -3, -0.45))
        t.take("thigh_back_upper", leg(560, 660, -0.45, 0.5))
        t.take("thigh_back_lower", leg(660, 708, -0.45, 0.5))
        t.take("knee_lateral", leg(704, 750, 0.42, 3))
        t.take("knee_medial", leg(708, 750, -3, -0.45))
        t.take("knee_back", leg(700, 750, -0.45, 0.45))
        t.take("medial_malleolus", ell(c - 24.5, 895, 6.5, 8.5))
        t.take("lateral_malleolus", ell(c - 53.5, 903, 6.5, 8.5))
        t.take("achilles", pd(c, [(26, 862), (50, 862), (58, 990), (20, 990)]))
        t.take("leg_lateral", leg(750, 888, 0.45, 3))
        t.take("leg_medial", leg(750, 888, -3, -0.5))
        t.take("calf_upper", leg(750, 815, -0.5, 0.45))
        t.take("calf_lower", leg(815, 888, -0.5, 0.45))
        deep_half["scapula_deep"] = ell(c - 67, 263, 12, 17, 10)
        deep_half["buttock_deep"] = ell(c - 55, 532, 10, 8)
    half = t.finish()
    return sil, mid_regions, half, deep_mid, deep_half


# --------------------------------------------------------------------------- lateral view


LX = 168.0  # axis of the right-side figure (viewer's left half of the view)


def lateral_figure():
    """Silhouette of the right side seen from the side (facing the viewer's right), parts."""
    x = LX
    body = [  # front contour from the forehead down, then back up the back
        (x + 2, 37), (x + 27, 43), (x + 43, 56), (x + 50, 75), (x + 52.5, 92), (x + 50.5, 100),
        (x + 55, 109), (x + 63.5, 121), (x + 57, 126.5), (x + 56.5, 131), (x + 58.5, 136),
        (x + 55.5, 141), (x + 57.5, 146), (x + 53, 152), (x + 54, 160), (x + 46, 166.5),
        (x + 30, 170), (x + 24, 182), (x + 26, 212), (x + 33, 228), (x + 47, 248), (x + 55, 275),
        (x + 55, 305), (x + 46, 340), (x + 40, 380), (x + 42, 420), (x + 46, 455), (x + 44, 495),
        (x + 40, 528), (x + 44, 562), (x + 44, 615), (x + 37, 688), (x + 36, 718),
        (x + 29, 750), (x + 26, 800), (x + 19, 860), (x + 16, 898), (x + 30, 918),
        (x + 58, 935), (x + 84, 945), (x + 93, 953), (x + 89, 960), (x + 40, 961), (x - 20, 961),
        (x - 31, 955), (x - 33, 935), (x - 22, 906), (x - 18, 870), (x - 26, 830),
        (x - 40, 785), (x - 38, 748), (x - 29, 722), (x - 34, 690), (x - 44, 632),
        (x - 46, 590), (x - 58, 556), (x - 62, 518), (x - 54, 478), (x - 41, 432),
        (x - 45, 390), (x - 55, 340), (x - 58, 292), (x - 50, 248), (x - 36, 218),
        (x - 29, 190), (x - 31, 162), (x - 42, 146), (x - 53, 124), (x - 56, 98),
        (x - 50, 70), (x - 34, 49), (x - 16, 40),
    ]
    trunk = poly(smooth_curve(body, 5))
    head = ell(x - 2, 92, 55, 55).intersection(box(0, 0, x + 30, 150))
    sil = smooth(clean(unary_union([trunk, head])), 2.0)
    # the arm hangs in front of the trunk, slightly forward, elbow a little bent: the deltoid,
    # upper arm and elbow carry regions; forearm and hand are drawn (solid, skin) but carry none
    arm = smooth(unary_union([ell(x + 1, 262, 30, 31),
                              capsule((x + 1, 266), (x + 19, 392), 23, 16.5)]), 2.0)
    sil = smooth(clean(unary_union([sil, arm])), 2.5)
    forearm = unary_union([
        capsule((x + 19, 392), (x + 60, 506), 15.5, 11),                 # forearm
        chain([(x + 61, 508, 11.5), (x + 69, 540, 12.5), (x + 78, 578, 8)]),  # hand, fingers
        capsule((x + 68, 520), (x + 85, 548), 6.2, 4.6),                 # thumb in front
    ])
    forearm = smooth(clean(forearm), 1.5).difference(arm.buffer(-1.0))
    forearm = clean(forearm)
    return sil, arm, forearm


def lateral_view():
    x = LX
    body, arm, forearm = lateral_figure()
    # regions tile the figure except where the forearm lies over it
    sil = clean(body.difference(forearm))
    sil = clean(unary_union([p for p in polys(sil) if p.area > 50]))

    def pf(pts):
        return poly([(x + f, y) for f, y in pts])

    def pcf(pts, n=6):
        return poly(smooth_curve([(x + f, y) for f, y in pts], n))

    def band(pts, r_above, r_below):
        """A strip along a smooth open curve ``pts`` (f, y): r_above units above it, r_below
        below it."""
        line = open_curve(pts)
        return poly([(x + f, y - r_above) for f, y in line]
                    + [(x + f, y + r_below) for f, y in reversed(line)])

    def behind(pts):
        """Everything behind (viewer-left of) a smooth curve running top to bottom."""
        line = [(x + f, y) for f, y in open_curve(pts)]
        return poly(line + [(x - 300, line[-1][1]), (x - 300, line[0][1])])

    def above(pts):
        """Everything above a smooth curve running back to front."""
        line = [(x + f, y) for f, y in open_curve(pts)]
        return poly(line + [(line[-1][0], 0), (line[0][0], 0)])

    mid = Tiler(sil)
    mid.take("vertex", sil.difference(ell(x - 2, 108, 70, 66)).intersection(
        box(x - 40, 0, x + 24, 200)))
    mid.take("upper_lip", pf([(47, 126.5), (80, 126.5), (80, 138.5), (47, 138.5)]))
    mid.take("chin", pcf([(42, 138.5), (70, 138.5), (70, 170), (46, 168), (40, 155)], 4))
    mid_regions = dict(mid.out)
    deep_mid = {"throat": ell(x + 16, 178, 7, 6.5)}
    t = Tiler(clean(sil.difference(unary_union(list(mid_regions.values())))))
    # head
    t.take("nose", pcf([(48, 100), (58, 101), (72, 124), (58, 129), (48, 127)], 4))
    t.take("eyebrow", pcf([(36, 90), (47, 88.5), (56, 92), (54, 99.5), (38, 97.5)], 4))
    t.take("forehead", pf([(18, 30), (80, 30), (80, 92), (33, 92), (20, 60)]))
    t.take("temple", pcf([(12, 60), (26, 54), (38, 92), (34, 108), (10, 106), (6, 80)], 5))
    t.take("tmj", pcf([(5, 106), (14, 104), (17, 116), (13, 126), (5, 126)], 4))
    t.take("mastoid", pcf([(-27, 112), (-12, 106), (-6, 130), (-12, 148), (-26, 142)], 4))
    t.take("parietal", pf([(-40, 40), (12, 40), (8, 104), (-12, 104), (-28, 112), (-42, 96)]))
    t.take("occiput_upper", pf([(-90, 30), (-20, 30), (-42, 96), (-30, 113), (-90, 118)]))
    t.take("occiput_base", pf([(-90, 118), (-27, 114), (-24, 142), (-16, 154), (-90, 156)]))
    t.take("jaw_angle", pcf([(-6, 126), (13, 126), (17, 142), (6, 158), (-8, 150)], 4))
    t.take("lower_jaw", pcf([(12, 140), (42, 148), (46, 162), (30, 164), (6, 160)], 5))
    t.take("cheek", pf([(6, 97), (60, 97), (55, 148), (12, 142), (16, 106)]))
    t.take("under_jaw", pcf([(2, 156), (18, 162), (44, 162), (36, 176), (14, 180), (2, 170)], 5))
    # neck
    t.take("neck_lateral", pf([(-18, 142), (-4, 148), (32, 222), (24, 232), (14, 228)]))
    t.take("neck_front", pf([(8, 160), (60, 160), (60, 236), (20, 232)]))
    t.take("neck_back_upper", pf([(-80, 150), (-10, 150), (0, 182), (-80, 182)]))
    t.take("neck_shoulder_angle", pcf([(-44, 208), (-30, 196), (-12, 206), (-10, 232),
                                       (-38, 238)], 5))
    t.take("neck_back_lower", pf([(-80, 182), (2, 182), (6, 214), (-80, 214)]))
    t.take("supraclavicular", pf([(-12, 200), (30, 200), (36, 240), (-8, 238)]))
    # arm
    t.take("shoulder_top", pcf([(-34, 228), (-14, 226), (20, 228), (36, 236), (22, 244),
                                (-20, 244), (-40, 244)], 5).intersection(arm.buffer(8)))
    arm_a = arm.buffer(0.01)
    t.take("shoulder_front", pf([(10, 236), (60, 236), (60, 300), (14, 300)]).intersection(arm_a))
    t.take("shoulder_back", pf([(-60, 236), (-10, 236), (-12, 300), (-60, 300)]).intersection(
        arm_a))
    t.take("shoulder_lateral", pf([(-60, 236), (60, 236), (60, 302), (-60, 298)]).intersection(
        arm_a))
    t.take("upper_arm_lateral", pf([(-60, 296), (60, 300), (60, 378), (-60, 372)]).intersection(
        arm_a))
    t.take("elbow_lateral", pf([(-60, 370), (60, 376), (60, 460), (-60, 460)]).intersection(
        arm_a))
    # trunk
    t.take("chest_side", pcf([(-90, 225), (90, 225), (90, 388), (20, 396), (-20, 400),
                              (-90, 404)], 4))
    # pelvis: the iliac crest arches from the back (PSIS) over the side to the front (ASIS);
    # the buttock is bounded in front by a curve behind the greater trochanter and below by the
    # gluteal fold; the groin runs along the front fold between belly and thigh
    crest = [(-70, 458), (-48, 452), (-24, 444.5), (0, 441.5), (20, 446), (34, 457), (48, 472)]
    t.take("iliac_crest", band(crest, 6.5, 8.5))
    t.take("flank", pf([(-90, 380), (90, 380), (90, 470), (-90, 470)]).difference(
        band(crest, -6.5, 60)))
    thigh_top = [(-140, 606), (-60, 598), (-40, 589), (-15, 584), (10, 578), (35, 568),
                 (60, 560), (140, 556)]
    buttock_front = [(-28, 400), (-26, 450), (-19, 490), (-16, 525), (-21, 560), (-35, 590),
                     (-50, 625)]
    hip_front_back = [(15, 400), (15, 450), (13, 500), (17, 540), (23, 574), (28, 625)]
    groin_back = [(33, 400), (36, 462), (37, 500), (41, 540), (47, 566), (55, 625)]
    hip = above(thigh_top).intersection(box(0, 380, W, H))
    t.take("buttock_upper", hip.intersection(behind(buttock_front)))
    t.take("groin", hip.difference(behind(groin_back)))
    t.take("hip_front", hip.difference(behind(hip_front_back)))
    t.take("hip_lateral", hip)
    # thigh and knee: bands that sag a little toward the back, like the thigh's slant
    upper_lower = [(-140, 652), (-40, 643), (0, 638), (40, 633), (140, 628)]
    knee_top = [(-140, 710), (-40, 704), (0, 701), (40, 698), (140, 694)]
    knee_bottom = [(-140, 762), (-40, 757), (0, 755), (40, 753), (140, 750)]
    legs = box(0, 540, W, H)
    t.take("thigh_lateral_upper", above(upper_lower).intersection(legs))
    t.take("thigh_lateral_lower", above(knee_top).intersection(legs))
    t.take("knee_lateral", above(knee_bottom).intersection(legs))
    t.take("lateral_malleolus", ell(x - 1, 901, 9, 10.5))
    t.take("achilles", pcf([(-14, 848), (-30, 850), (-38, 920), (-36, 958), (-20, 964),
                            (-14, 935), (-8, 900)], 5))
    t.take("leg_lateral", pf([(-90, 752), (90, 752), (90, 895), (-90, 895)]))
    t.take("foot_lateral_border", box(0, 880, W, H))
    half = t.finish()
    deep_half = {
        "ear": ell(x - 9, 114, 9.5, 15, 12),
        "eye": ell(x + 45, 103.5, 4.5, 3),
        "upper_front_teeth": ell(x + 48.5, 133, 3, 1.5),
        "upper_back_teeth": ell(x + 38, 133.5, 3.5, 1.5),
        "lower_front_teeth": ell(x + 47.5, 141, 3, 1.5),
        "lower_back_teeth": ell(x + 38, 140.5, 3.5, 1.5),
    }
    # mirror the whole figure: the left side, facing the viewer's left
    sil_full = clean(unary_union([sil, mirror(sil, CX)]))
    mid_full = {r: clean(unary_union([g, mirror(g, CX)])) for r, g in mid_regions.items()}
    deep_mid_full = {r: clean(unary_union([g, mirror(g, CX)])) for r, g in deep_mid.items()}
    outline = clean(unary_union([body, forearm]))
    outline_full = clean(unary_union([outline, mirror(outline, CX)]))
    context = clean(forearm.difference(sil.buffer(0.05)))
    context_full = clean(unary_union([context, mirror(context, CX)]))
    # dark edges where the arm lies over the trunk (the upper arm, and the forearm)
    inside = body.buffer(-1.5)
    edge = unary_union([arm.boundary.difference(forearm.buffer(0.5)),
                        forearm.boundary.difference(arm.buffer(-0.5))]).intersection(inside)
    edge = unary_union([edge, mirror(edge, CX)])
    return sil_full, mid_full, half, deep_mid_full, deep_half, (context_full, edge, outline_full)


# --------------------------------------------------------------------------- detail views


def detail_view(name: str):
    if name in ("palm", "dorsum_hand"):
        kind = "palm" if name == "palm" else "dorsum"
        outline, cuts = hand_local(kind)
        w, h, s = 600, 440, 2.9
        if name == "palm":   # right palm, fingers up, thumb toward the middle
            org, d, lat = (158, 385), (0, -1), (1, 0)
        else:                # back of the right hand, fingers up, thumb outward
            org, d, lat = (192, 385), (0, -1), (-1, 0)
    else:
        kind = "sole" if name == "sole" else "dorsum"
        outline, cuts = foot_local(kind)
        w, h, s = 600, 440, 3.4
        if name == "sole":   # right sole, toes up, big toe toward the middle
            org, d, lat = (196, 404), (0, -1), (1, 0)
        else:                # top of the right foot seen from the front: toes down
            org, d, lat = (196, 30), (0, 1), (1, 0)
    sil = place(outline, org, d, lat, s)
    t = Tiler(sil)
    for reg, g in cuts:
        t.take(reg, place(g, org, d, lat, s))
    half = t.finish()
    sil_full = clean(unary_union([sil, mirror(sil, w / 2)]))
    return w, h, sil_full, {}, half, {}, {}


# --------------------------------------------------------------------------- output


def snap(g):
    g = set_precision(clean(g), GRID)
    return clean(g)


def rings(g):
    out = []
    for p in polys(g):
        p = p.simplify(0.05)
        if p.is_empty:
            continue
        ext = [[round(x, 1), round(y, 1)] for x, y in list(p.exterior.coords)[:-1]]
        holes = [[[round(x, 1), round(y, 1)] for x, y in list(r.coords)[:-1]]
                 for r in p.interiors]
        out.append([ext, *holes])
    return out


def mirror_rings(rs, w):
    def fx(v):
        return round(w - v, 1) + 0.0

    return [[[[fx(x), y] for x, y in ring] for ring in p] for p in rs]


def path_d(rs) -> str:
    parts = []
    for p in rs:
        for ring in p:
            parts.append("M" + " L".join(f"{x:g} {y:g}" for x, y in ring) + " Z")
    return " ".join(parts)


def build() -> dict:
    regions = yaml.safe_load(REGIONS.read_text(encoding="utf-8"))["regions"]
    meta = {r["id"]: r for r in regions}
    views = {}
    specs = {
        "front": ("right",), "back": ("left",), "lateral": ("right",), "palm": ("right",),
        "dorsum_hand": ("right",), "sole": ("right",), "dorsum_foot": ("right",),
    }
    for name in ("front", "back", "lateral", "palm", "dorsum_hand", "sole", "dorsum_foot"):
        ghost = None
        if name in ("front", "back"):
            w, h = W, H
            sil, mid, half, deep_mid, deep_half = whole_body(name)
        elif name == "lateral":
            w, h = W, H
            sil, mid, half, deep_mid, deep_half, ghost = lateral_view()
        else:
            w, h, sil, mid, half, deep_mid, deep_half = detail_view(name)
        left_side = specs[name][0]
        right_side = "left" if left_side == "right" else "right"
        shapes = []
        for reg, g in mid.items():
            shapes.append({"region": reg, "side": None, "deep": False,
                           "polygons": rings(snap(symmetric(g, w / 2) if name != "lateral"
                                                  else g))})
        for reg, g in deep_mid.items():
            shapes.append({"region": reg, "side": None, "deep": True, "polygons": rings(snap(g))})
        for deep, src in ((False, half), (True, deep_half)):
            for reg, g in src.items():
                rs = rings(snap(g))
                shapes.append({"region": reg, "side": left_side, "deep": deep, "polygons": rs})
                shapes.append({"region": reg, "side": right_side, "deep": deep,
                               "polygons": mirror_rings(rs, w)})
        for sh in shapes:
            if not sh["polygons"]:
                raise SystemExit(f"{name}: {sh['region']} {sh['side']} is empty")
            m = meta.get(sh["region"])
            if m is None:
                raise SystemExit(f"{name}: unknown region {sh['region']}")
            if (m["depth"] == "deep") != sh["deep"]:
                raise SystemExit(f"{name}: {sh['region']} depth mismatch")
            if m["paired"] == (sh["side"] is None):
                raise SystemExit(f"{name}: {sh['region']} paired mismatch")
        sil_half = rings(snap(sil.intersection(box(-1, -1, w / 2, h + 1))))
        sil_rings = rings(snap(sil))
        # labels: where the client's right and left are
        if name == "back":
            labels = {"right": [w - 40, 40], "left": [40, 40]}
        else:
            labels = {"right": [40, 40], "left": [w - 40, 40]}
        view = {"name": name, "width": w, "height": h, "silhouette": path_d(sil_rings),
                "labels": labels, "shapes": sorted(
                    shapes, key=lambda s: (s["deep"], s["region"], s["side"] or ""))}
        del sil_half
        if ghost is not None:
            ghost, edge, outline = ghost
            view["context"] = path_d(rings(snap(ghost)))
            view["outline"] = path_d(rings(snap(outline)))
            lines = [ln for ln in getattr(edge, "geoms", [edge]) if ln.length > 2]
            view["lines"] = " ".join(
                "M" + " L".join(f"{x:.1f} {y:.1f}" for x, y in ln.simplify(0.1).coords)
                for ln in lines)
        views[name] = view
        missing = [r for r, m in meta.items() if name in m["views"]
                   and not any(s["region"] == r for s in shapes)]
        extra = sorted({s["region"] for s in shapes if name not in meta[s["region"]]["views"]})
        print(f"{name:12s} shapes={len(shapes):3d} missing={missing} extra={extra}",
              file=sys.stderr)
    return {"version": VERSION, "units": "template units; x right, y down", "views": views}


def main() -> None:
    data = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(data, separators=(",", ":"), ensure_ascii=False) + "\n",
                   encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)", file=sys.stderr)


if __name__ == "__main__":
    main()
