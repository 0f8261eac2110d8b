"""The typed boundary of the JSON API (``/api/v1``): every request body and response is one of
these pydantic models, so the OpenAPI document at ``/openapi.json`` describes them exactly.

The models check shape, types, lengths and text (no lone surrogates, NUL or other control
characters; see :func:`knoop.store.validate.text_problem`); list lengths are capped so one
request is bounded work. What only the knowledge base knows (is this a region, a muscle, a
trigger point of that muscle?) is then checked once by the core: the pain-map parser and the
store. A refused value is a 422 in :class:`ErrorBody`, naming the field and what is allowed.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from knoop.bodymap.strokes import Strokes
from knoop.kb.contract import contract
from knoop.store.validate import EARLIEST, LATEST, text_problem
from knoop.vocabulary import QUALITIES, VIEWS

Side = Literal["left", "right"]
SideOrMidline = Literal["left", "right", "midline"]
Quality = Literal["aching", "burning", "tingling", "numb", "stabbing"]
View = Literal["front", "back", "lateral", "palm", "dorsum_hand", "sole", "dorsum_foot"]
Result = Literal["active", "latent", "none_found"]
assert set(QUALITIES) == set(get_args(Quality)) and set(VIEWS) == set(get_args(View))
__all__ = ["Strokes"]  # the one stroke validator, from knoop.bodymap.strokes

#: Caps that keep one request bounded (see docs/web.md, "Limits").
MAX_REGIONS = 400
MAX_IDS = 100
MAX_FINDINGS = 400


def _clean_text(value: str) -> str:
    problem = text_problem(value)
    if problem:
        raise PydanticCustomError("characters", problem)
    return value


def _empty_is_none(value: Any) -> Any:
    """A form field left empty ("") means: not given."""
    return None if value == "" else value


def _not_bool(value: Any) -> Any:
    """true/false is not a number (pydantic would read it as 1/0)."""
    if isinstance(value, bool):
        raise ValueError("must be a whole number, not true or false")
    return value


#: Free text (line breaks allowed) of at most 2,000 / 4,000 / 8,000 characters.
Note = Annotated[str, StringConstraints(max_length=2000), AfterValidator(_clean_text)]
Complaint = Annotated[str, StringConstraints(max_length=4000), AfterValidator(_clean_text)]
LongText = Annotated[str, StringConstraints(max_length=8000), AfterValidator(_clean_text)]
Name = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,63}$")]


_c = contract()
_ID = r"^[a-z][a-z0-9_]{0,63}$"
#: Contract IDs: short lower-case names; the schema lists the known ones (the core checks).
RegionId = Annotated[str, StringConstraints(pattern=_ID),
                     Field(json_schema_extra={"enum": sorted(_c.regions)})]
SymptomId = Annotated[str, StringConstraints(pattern=_ID),
                      Field(json_schema_extra={"enum": sorted(_c.symptoms)})]
ScreeningId = Annotated[str, StringConstraints(pattern=_ID),
                        Field(json_schema_extra={"enum": sorted(_c.screening)})]
MuscleId = Annotated[str, StringConstraints(pattern=_ID),
                     Field(json_schema_extra={"enum": sorted(_c.muscles)})]
TriggerPointId = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$"),
                           Field(description="a trigger point ID of the muscle "
                                             "(`<muscle>_<name>`)")]
OptionalTriggerPoint = Annotated[TriggerPointId | None, BeforeValidator(_empty_is_none)]
Intensity = Annotated[StrictInt, Field(ge=1, le=10, description="NRS 1-10")]
Nrs = Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=10, description="NRS 0-10")]


class Model(BaseModel):
    """Unknown fields are refused: a typo is an error that names it, never silently dropped."""

    model_config = ConfigDict(extra="forbid")


# ------------------------------------------------------------------------------- errors
class ErrorDetail(Model):
    code: str = Field(description="stable machine-readable name, e.g. invalid_painmap, "
                                  "bad_input, not_found, conflict, payload_too_large")
    message: str = Field(description="what is wrong, naming the field (Dutch on the session "
                                     "API, English elsewhere)")
    field: str | None = Field(None, description="JSON path of the refused value, e.g. "
                                                "regions[2].side; $ is the whole body")
    allowed: list[str] | None = Field(None, description="the allowed values, where a list")
    request_id: str | None = Field(None, description="quote this when reporting a problem")


class ErrorBody(Model):
    """The one error shape of the API, for every 4xx and 5xx."""

    error: ErrorDetail


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` entries for ``statuses``, all with :class:`ErrorBody`."""
    text = {400: "Bad request", 401: "Not logged in", 403: "Missing or wrong CSRF token",
            404: "Not found (or another practice's)", 409: "Conflicts with the stored state",
            412: "Changed since it was read", 413: "Body over the documented limit",
            422: "Invalid input: the field and the allowed values are named",
            500: "Unexpected error (logged with the request ID)",
            503: "The database does not answer"}
    return {s: {"model": ErrorBody, "description": text[s]} for s in statuses}


COMMON_ERRORS = (413, 422, 500, 503)


# ------------------------------------------------------------------------------ pain map
class PainRegionIn(Model):
    region: RegionId
    side: SideOrMidline | None = Field(None, description="the client's own side; leave out "
                                                         "(or midline) for a midline region")
    intensity: Intensity = 5
    quality: Quality | None = None


class FindingIn(Model):
    muscle: MuscleId
    side: Side
    result: Result
    trigger_point: TriggerPointId | None = None


class ClientIn(Model):
    age: Annotated[StrictInt, Field(ge=0, le=120)] | None = Field(None, description="years")
    sex: Literal["female", "male", "other"] | None = None


class PainMapIn(Model):
    """The pain-map JSON (docs/ranking.md)."""

    regions: list[PainRegionIn] = Field(default_factory=list, max_length=MAX_REGIONS)
    symptoms: list[SymptomId] = Field(default_factory=list, max_length=MAX_IDS)
    screening: list[ScreeningId] = Field(default_factory=list, max_length=MAX_IDS)
    findings: list[FindingIn] = Field(default_factory=list, max_length=MAX_FINDINGS)
    client: ClientIn | None = None


class RedFlagOut(BaseModel):
    id: str
    urgency: str = Field(description="emergency, urgent, gp or caution")
    message: str
    source: str | None = None
    model_config = ConfigDict(extra="allow")


def _optional_list(schema: dict[str, Any]) -> None:
    """The JSON schema of a list field that is either there or absent, never null."""
    schema.pop("anyOf", None)
    schema.pop("default", None)
    schema.update(type="array", items={"type": "string"})


class CandidateOut(BaseModel):
    """One muscle (on one side) to examine; ``score`` 0..1 is the share of the evidence it
    accounts for."""

    rank: int
    muscle: str
    side: str
    score: float
    trigger_points: list[str] = Field(default=[], description=(
        "The muscle's trigger points; for a candidate with reasons the best-fitting one "
        "first, otherwise in the knowledge base's order."))
    reasons_for: list[str] | None = Field(default=None, json_schema_extra=_optional_list,
                                          description=(
        "Only for the first `reasons` candidates (default 20): absent (never null) for the "
        "others."))
    reasons_against: list[str] | None = Field(default=None, json_schema_extra=_optional_list,
                                              description=(
        "As reasons_for: present exactly when reasons_for is."))
    model_config = ConfigDict(extra="allow")


class TogetherOut(BaseModel):
    muscle: str
    side: str
    explains: float
    model_config = ConfigDict(extra="allow")


class RankingOut(BaseModel):
    """The ranking JSON (docs/ranking.md): red flags first, then the muscles to examine."""

    kb_version: str
    red_flags: list[RedFlagOut]
    candidates: list[CandidateOut]
    together: list[TogetherOut]
    model_config = ConfigDict(extra="allow")


# ------------------------------------------------------------------------------- drawing
class RegionKeyIn(Model):
    region: RegionId
    side: SideOrMidline | None = None


class SessionDrawingIn(Model):
    """Brush strokes plus explicit region choices (taps, the region list, deep regions) and the
    intake answers, as the session page saves them."""

    strokes: Strokes = Field(default_factory=list)
    regions: list[PainRegionIn] = Field(default_factory=list, max_length=MAX_REGIONS,
                                        description="explicit regions; they win over what "
                                                    "the strokes give for the same key")
    exclude: list[RegionKeyIn] = Field(default_factory=list, max_length=MAX_REGIONS,
                                       description="regions switched off in the region list")
    symptoms: list[SymptomId] = Field(default_factory=list, max_length=MAX_IDS)
    screening: list[ScreeningId] = Field(default_factory=list, max_length=MAX_IDS)


class DrawingIn(SessionDrawingIn):
    """A drawing for ``POST /api/v1/drawing``: as on a session, plus palpation findings and
    the client context for the ranking."""

    findings: list[FindingIn] = Field(default_factory=list, max_length=MAX_FINDINGS)
    client: ClientIn | None = None


class CoverageOut(BaseModel):
    region: str
    side: str
    fraction: float = Field(description="share of the region painted, 0..1")
    intensity: int
    quality: str | None
    excluded: bool


class DrawingOut(BaseModel):
    chart_version: str
    painmap: dict[str, Any] = Field(description="the contract pain map")
    coverage: list[CoverageOut]
    ranking: RankingOut


# ------------------------------------------------------------------------------- sessions
def _appointment_range(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and not EARLIEST <= value.date() <= LATEST:
        raise PydanticCustomError("date_range", "must lie between {earliest} and {latest}",
                                  {"earliest": EARLIEST.isoformat(),
                                   "latest": LATEST.isoformat()})
    return value


class AutosaveIn(Model):
    """Any of the session's fields of steps 1-4; what is left out stays as it is."""

    complaint: Complaint | None = None
    nrs_before: Nrs | None = None
    nrs_after: Nrs | None = None
    causes: list[Name] | None = Field(None, max_length=MAX_IDS)
    next_appointment: Annotated[dt.datetime | None, AfterValidator(_appointment_range)] = \
        Field(None, description="local time (Europe/Amsterdam) unless an offset is given")
    drawing: SessionDrawingIn | None = None
    symptoms: list[SymptomId] | None = Field(None, max_length=MAX_IDS)
    screening: list[ScreeningId] | None = Field(None, max_length=MAX_IDS)


class FlagsIn(Model):
    """The therapist's decision on red flags of the session's ranking: ``flags`` read and
    acknowledged, ``override`` (flag -> written reason) treated anyway. An emergency flag can
    only be overridden, with a reason of at least 10 characters."""

    flags: list[Name] = Field(default_factory=list, max_length=50)
    override: dict[Name, Note] = Field(default_factory=dict, max_length=50)


class ChartFindingIn(Model):
    """A palpation finding for one muscle and side; ``result`` null takes it back."""

    muscle: MuscleId
    side: Side
    result: Literal["active", "latent", "none_found", "not_examined"] | None = None
    trigger_point: OptionalTriggerPoint = None
    pain_recognised: StrictBool | None = None
    tender_spot: StrictBool | None = None
    taut_band: StrictBool | None = None
    referral_elicited: StrictBool | None = None
    twitch: StrictBool | None = None
    note: Note | None = None


class TreatmentIn(Model):
    muscle: MuscleId
    side: Side
    technique: Name
    duration_min: Annotated[Annotated[int, BeforeValidator(_not_bool), Field(ge=0, le=240)]
                            | None,
                            BeforeValidator(_empty_is_none)] = None
    pressure_tolerance: Annotated[Literal["low", "moderate", "high"] | None,
                                  BeforeValidator(_empty_is_none)] = None
    note: Note | None = None


class NoteIn(Model):
    """The S/O/A/P fields; the SOAP text is generated from them and the structured data."""

    subjective: LongText = ""
    objective: LongText = ""
    assessment: LongText = ""
    plan: LongText = ""


class SessionItemOut(BaseModel):
    model_config = ConfigDict(extra="allow")


class SessionFieldsOut(BaseModel):
    complaint: str
    nrs_before: int | None
    nrs_after: int | None
    causes: list[str]
    next_appointment: str = Field(description="local time, YYYY-MM-DDTHH:MM, or empty")


class SessionStateOut(BaseModel):
    """The session as the page shows it after a save; ``version`` is also the ``ETag``
    (``"v3"``): send it back as ``If-Match`` with the next write."""

    id: int
    version: int
    status: str
    updated_at: str
    soap_text: str
    findings: list[SessionItemOut]
    treatments: list[SessionItemOut]
    open_flags: list[str]
    fields: SessionFieldsOut


class StaleBody(Model):
    """412: the session changed since the version in ``If-Match``; ``current`` is what is
    stored now."""

    error: ErrorDetail
    current: SessionStateOut


class HealthOut(BaseModel):
    status: Literal["ok", "unavailable"]
    version: str
    kb_version: str
    database: Literal["ok", "unavailable"]


# ------------------------------------------------------------------------ chart look-ups
class RegionKeyOut(BaseModel):
    region: str
    side: str = Field(description="left, right or midline")


class OverlayTriggerPointOut(BaseModel):
    id: str
    name: str | None
    how_to_find: str | None
    location: list[RegionKeyOut]
    location_names: list[str]
    mark: dict[str, float] | None = Field(description="x, y on the view, or null")


class OverlayOut(BaseModel):
    """A muscle's zones on one side and its trigger points with marks on one view."""

    muscle: str
    side: str
    view: str
    best_view: str
    views: list[str]
    name: str
    latin: str
    essential: list[RegionKeyOut]
    spillover: list[RegionKeyOut]
    trigger_points: list[OverlayTriggerPointOut]
    kb_page: str
    shapes: dict[str, str] = Field(
        default_factory=dict, description="essential and spillover (which includes the "
        "essential zone) on the view as smooth shapes: SVG path data in template units")


class RegionMuscleOut(BaseModel):
    """A muscle with trigger points over the asked region."""

    muscle: str
    side: str
    name: str
    trigger_points: list[dict[str, Any]]
    model_config = ConfigDict(extra="allow")
