"""schemathesis over the served /openapi.json: every /api/v1 operation, logged in with a CSRF
token, against real IDs of a fresh practice on SQLite. It must find no server error and no
response that breaks its documented schema. ``make fuzz`` runs it with many more examples
(KNOOP_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from webkit import World, app_for, fresh_store, login, make_world

from knoop.web.app import create_app

EXAMPLES = int(os.environ.get("KNOOP_FUZZ_EXAMPLES", "12"))
schema = schemathesis.openapi.from_asgi("/openapi.json",
                                        create_app("sqlite://", secret_key=b"k" * 32))
schema = schema.include(path_regex=r"^/api/v1/")
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(fresh_store(tmp_path_factory.mktemp("fuzz")))


@pytest.fixture(scope="module")
def logged_in(world: World) -> tuple[TestClient, dict[str, str]]:
    tc = TestClient(app_for(world.store), raise_server_exceptions=False)
    token = login(tc, "owner@knoop.test")
    return tc, {"X-CSRF-Token": token}


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_has_no_server_errors_and_keeps_its_schema(
        case: schemathesis.Case, world: World,
        logged_in: tuple[TestClient, dict[str, str]]) -> None:
    tc, headers = logged_in
    if "session_id" in (case.path_parameters or {}):
        case.path_parameters["session_id"] = world.session_id
    if "treatment_id" in (case.path_parameters or {}):
        case.path_parameters["treatment_id"] = 1
    response = case.call(session=tc, headers={**(case.headers or {}), **headers})
    STATUSES.add(response.status_code)
    case.validate_response(response, checks=CHECKS)


STATUSES: set[int] = set()


def test_the_fuzz_test_got_real_answers() -> None:
    """Runs after the fuzz test (file order): both accepted and refused requests were seen."""
    assert 200 in STATUSES and 422 in STATUSES, STATUSES


def test_the_fuzz_test_reaches_every_operation() -> None:
    ops = list(schema.get_all_operations())
    assert len(ops) == 10, [o.ok().path for o in ops]


def test_fuzz_examples_are_kept_small_in_the_suite() -> None:
    assert EXAMPLES <= 12 or os.environ.get("KNOOP_FUZZ_EXAMPLES")


