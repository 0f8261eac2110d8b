"""The JSON API (``/api/v1``). Errors use the one shape of :mod:`knoop.errors`."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Body, Query

router = APIRouter(prefix="/api/v1", tags=["ranking"])

PAINMAP_EXAMPLE = {
    "regions": [{"region": "temple", "side": "left", "intensity": 7, "quality": "aching"},
                {"region": "neck_back_upper", "side": "left", "intensity": 5}],
    "symptoms": ["dizziness"], "screening": [], "findings": [],
}
ERROR_SCHEMA = {"description": "Invalid pain map: the field and the allowed values are named.",
                "content": {"application/json": {"example": {"error": {
                    "code": "invalid_painmap",
                    "message": "regions[0].region: unknown region 'tempel' (did you mean "
                               "temple?); allowed: the contract region IDs",
                    "field": "regions[0].region"}}}}}


@router.post("/rank", responses={422: ERROR_SCHEMA})
def rank_painmap(
    painmap: Any = Body(..., examples=[PAINMAP_EXAMPLE],
                        description="Pain map JSON (see docs/ranking.md)."),
    lang: Literal["nl", "en"] = Query("nl", description="Language of reasons and messages."),
    top: int | None = Query(None, ge=1, le=500, description="List only the best N."),
) -> dict[str, Any]:
    """Rank the muscles to examine for a pain map: candidates with reasons, "together" and
    red flags (never a diagnosis)."""
    from knoop.ranking import default_ranker

    r = default_ranker()
    return r.rank(r.parse(painmap), lang, top).to_dict()
