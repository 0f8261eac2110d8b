"""schemathesis over the served /openapi.json: every /api/v1 operation, logged in with a CSRF
token, against real IDs of a fresh practice on SQLite, on the very app that serves them. It
must find no server error and no response that breaks its documented schema, status code or
content type. ``make fuzz`` runs it with many more examples (KNOOP_FUZZ_EXAMPLES)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

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
from webkit import app_for, fresh_store, login, make_world

EXAMPLES = int(os.environ.get("KNOOP_FUZZ_EXAMPLES", "12"))
CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance,
          content_type_conformance]
#: What the fuzzing saw: per operation, the status codes answered.
SEEN: dict[str, set[int]] = {}


def _target() -> dict[str, Any]:
    """One practice with a client and a session on a real SQLite file, its app, and a
    logged-in therapist (made when the module is collected: the schema is read from it)."""
    world = make_world(fresh_store(Path(tempfile.mkdtemp(prefix="knoop-fuzz-"))))
    app = app_for(world.store)
    tc = TestClient(app)
    token = login(tc, "owner@knoop.test")
    cookie = "; ".join(f"{k}={v}" for k, v in tc.cookies.items())
    return {"world": world, "app": app,
            "headers": {"X-CSRF-Token": token, "Cookie": cookie}}


TARGET = _target()
schema = schemathesis.openapi.from_asgi("/openapi.json", TARGET["app"]).include(
    path_regex=r"^/api/v1/")


@pytest.fixture(scope="module")
def fuzz_target() -> dict[str, Any]:
    return TARGET


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
          suppress_health_check=list(HealthCheck))
def test_the_api_has_no_server_errors_and_keeps_its_schema(
        case: schemathesis.Case, fuzz_target: dict[str, Any]) -> None:
    world = fuzz_target["world"]
    params = case.path_parameters or {}
    if "session_id" in params:
        params["session_id"] = world.session_id
    if "treatment_id" in params:
        params["treatment_id"] = 1
    headers = {**(case.headers or {}), **fuzz_target["headers"]}
    response = case.call(headers=headers)
    SEEN.setdefault(f"{case.method} {case.path}", set()).add(response.status_code)
    case.validate_response(response, checks=CHECKS, headers=headers)


def test_the_fuzzing_reached_every_operation_logged_in() -> None:
    """Runs after the fuzz test (file order): all 11 operations answered, and the session
    API answered as for a logged-in therapist (never 401/403 only)."""
    ops = {op: st for op, st in SEEN.items() if st != {405}}
    assert len(ops) == 11, sorted(ops)  # other methods were probed too: 405
    for op, statuses in ops.items():
        assert statuses - {401, 403}, (op, statuses)
    assert any(200 in s for op, s in ops.items() if "/sessions/" in op), ops
    assert any(422 in s for s in ops.values()), ops
