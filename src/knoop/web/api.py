"""The JSON API (``/api/v1``): ranking. Bodies and responses are the typed models of
:mod:`knoop.web.schemas`; errors use its one shape (:class:`~knoop.web.schemas.ErrorBody`)."""

from __future__ import annotations

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Body, Query
from fastapi.responses import Response

from knoop.web.app_json import json_response
from knoop.web.schemas import COMMON_ERRORS, PainMapIn, RankingOut, error_responses

router = APIRouter(prefix="/api/v1", tags=["ranking"])

PAINMAP_EXAMPLE = {
    "regions": [{"region": "temple", "side": "left", "intensity": 7, "quality": "aching"},
                {"region": "neck_back_upper", "side": "left", "intensity": 5}],
    "symptoms": ["dizziness"], "screening": [], "findings": [],
    "client": {"age": 45, "sex": "female"},
}


@router.post("/rank", response_model=RankingOut, responses=error_responses(*COMMON_ERRORS))
def rank_painmap(
    painmap: Annotated[PainMapIn, Body(openapi_examples={"headache":
                                                         {"value": PAINMAP_EXAMPLE}})],
    lang: Literal["nl", "en"] = Query("nl", description="Language of reasons and messages."),
    top: int | None = Query(None, ge=1, le=500, description="List only the best N."),
    reasons: str = Query("20", pattern=r"^(all|[0-9]{1,3})$", description=(
        "How many candidates, from the top, get reasons_for and reasons_against: a whole "
        "number 0-999 or `all`. The others are listed with rank, muscle, side, score and "
        "trigger_points; their reason fields are absent.")),
) -> Response:
    """Rank the muscles to examine for a pain map: every candidate with a score (reasons for
    the first 20, or as many as `reasons` says), "together" and red flags (never a
    diagnosis). Runs in the thread pool, off the event loop."""
    from knoop.ranking import default_ranker

    r = default_ranker()
    pm = r.parse(painmap.model_dump(exclude_unset=True))  # contract IDs: the core's rule
    n = None if reasons == "all" else int(reasons)
    ranking = r.rank(pm, lang, top, reasons=n)
    try:
        return Response(ranking.to_json(), media_type="application/json")
    except (orjson.JSONEncodeError, TypeError):  # a lone surrogate: json_response copes
        return json_response(ranking.to_dict())
