"""Brush strokes as the chart receives them: the one validator, used by the API boundary (as
part of its typed models), the store and the CLI alike.

A stroke is drawn on one ``view`` as points in that view's template coordinates (SVG viewBox
units), with a brush ``width`` in the same units, an NRS ``intensity`` 1-10, an optional pain
``quality``, and ``erase`` for an eraser stroke. The caps bound the work of one drawing: the
largest drawing allowed takes about half a second to turn into region coverage.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    TypeAdapter,
    ValidationError,
)

from knoop.bodymap.paint import Stroke
from knoop.errors import ChartError, from_validation

MAX_STROKES = 500
MAX_POINTS_PER_STROKE = 5_000
MAX_POINTS = 20_000
MAX_WIDTH = 200.0
MAX_COORD = 100_000.0

View = Literal["front", "back", "lateral", "palm", "dorsum_hand", "sole", "dorsum_foot"]
Quality = Literal["aching", "burning", "tingling", "numb", "stabbing"]
Coordinate = Annotated[float, Field(ge=-MAX_COORD, le=MAX_COORD, allow_inf_nan=False)]


class StrokeIn(BaseModel):
    """One brush stroke; unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")

    view: View
    points: list[tuple[Coordinate, Coordinate]] = Field(
        min_length=1, max_length=MAX_POINTS_PER_STROKE,
        description="[[x, y], ...] in template coordinates of the view (SVG viewBox units)")
    width: Annotated[float, Field(gt=0, le=MAX_WIDTH, allow_inf_nan=False)] = 20.0
    intensity: Annotated[StrictInt, Field(ge=1, le=10, description="NRS 1-10")] = 5
    quality: Quality | None = None
    erase: StrictBool = Field(False, description="an eraser removes paint drawn before it")


def _total_points(strokes: list[StrokeIn]) -> list[StrokeIn]:
    total = sum(len(s.points) for s in strokes)
    if total > MAX_POINTS:
        raise ValueError(f"at most {MAX_POINTS} points in one drawing, got {total}")
    return strokes


#: A drawing's strokes: at most 500, 5,000 points each, 20,000 points in all.
Strokes = Annotated[list[StrokeIn], Field(max_length=MAX_STROKES), AfterValidator(_total_points)]
_STROKES: TypeAdapter[list[StrokeIn]] = TypeAdapter(Strokes)


def to_strokes(items: Sequence[StrokeIn]) -> list[Stroke]:
    """Checked strokes as the bodymap's :class:`Stroke` values."""
    return [Stroke(view=s.view, points=[(float(x), float(y)) for x, y in s.points],
                   width=float(s.width), intensity=int(s.intensity), quality=s.quality,
                   erase=bool(s.erase)) for s in items]


def parse_strokes(raw: Any, field: str = "strokes") -> list[Stroke]:
    """Check decoded JSON strokes (a list of objects) and return them as :class:`Stroke`.
    A problem is a :class:`ChartError` whose field is a JSON path such as ``strokes[3].view``."""
    try:
        return to_strokes(_STROKES.validate_python(raw))
    except ValidationError as exc:
        raise from_validation(exc.errors(), prefix=field, cls=ChartError) from None
