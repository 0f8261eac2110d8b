"""The JSON API (``/api/v1``). Errors use the one shape of :mod:`knoop.errors`."""

from __future__ import annotations

import json
from typing import Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

router = APIRouter(prefix="/api/v1", tags=["ranking"])

PAINMAP_EXAMPLE = {
    "regions": [{"region": "temple", "side": "left", "intensity": 7, "quality": "aching"},
                {"region": "neck_back_upper", "side": "left", "intensity": 5}],
    "symptoms": ["dizziness"], "screening": [], "findings": [],
}
PAINMAP_SCHEMA = {
    "type": "object",
    "description": "Pain map JSON (see docs/ranking.md). Unknown fields are refused.",
    "properties": {
        "regions": {"type": "array", "items": {"type": "object", "required": ["region"],
                    "properties": {
                        "region": {"type": "string", "description": "contract region ID"},
                        "side": {"type": "string", "enum": ["left", "right", "midline"],
                                 "description": "the client's own side; omit for midline"},
                        "intensity": {"type": "integer", "minimum": 1, "maximum": 10,
                                      "default": 5},
                        "quality": {"type": "string", "enum": ["aching", "burning", "tingling",
                                                               "numb", "stabbing"]}}}},
        "symptoms": {"type": "array", "items": {"type": "string"}},
        "screening": {"type": "array", "items": {"type": "string"}},
        "findings": {"type": "array", "items": {"type": "object",
                     "required": ["muscle", "side", "result"], "properties": {
                         "muscle": {"type": "string"},
                         "side": {"type": "string", "enum": ["left", "right"]},
                         "result": {"type": "string",
                                    "enum": ["active", "latent", "none_found"]},
                         "trigger_point": {"type": "string"}}}},
    },
}
ERROR_RESPONSE = {"description": "Invalid pain map: the field and the allowed values are named.",
                  "content": {"application/json": {"example": {"error": {
                      "code": "invalid_painmap",
                      "message": "regions[0].region: unknown region 'tempel' (did you mean "
                                 "temple?); allowed: the contract region IDs",
                      "field": "regions[0].region"}}}}}


@router.post(
    "/rank",
    response_class=JSONResponse,
    responses={200: {"description": "The ranking JSON: red_flags, candidates (with reasons), "
                                    "together, notes (see docs/ranking.md)."},
               422: ERROR_RESPONSE},
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
        "schema": PAINMAP_SCHEMA, "example": PAINMAP_EXAMPLE}}}},
)
async def rank_painmap(
    request: Request,
    lang: Literal["nl", "en"] = Query("nl", description="Language of reasons and messages."),
    top: int | None = Query(None, ge=1, le=500, description="List only the best N."),
) -> Response:
    """Rank the muscles to examine for a pain map: candidates with reasons, "together" and
    red flags (never a diagnosis)."""
    from knoop.ranking import default_ranker

    r = default_ranker()
    body = await request.body()
    pm = r.parse_text(body.decode("utf-8", errors="replace"))
    out = json.dumps(r.rank(pm, lang, top).to_dict(), ensure_ascii=False)
    return Response(out, media_type="application/json")
