"""``knoop serve``: how uvicorn is told to run (proxies, log redaction)."""

from __future__ import annotations

import importlib

from knoop.cli.serve import uvicorn_options
from knoop.settings import load


def test_forwarded_headers_are_trusted_from_nobody_unless_configured() -> None:
    plain = uvicorn_options(load({}))
    assert plain["proxy_headers"] is False and plain["forwarded_allow_ips"] == ""
    proxied = uvicorn_options(load({"KNOOP_TRUSTED_PROXIES": "10.0.0.2, 10.1.0.0/24"}))
    assert proxied["proxy_headers"] is True
    assert proxied["forwarded_allow_ips"] == "10.0.0.2,10.1.0.0/24"


def test_the_access_log_handler_redacts_intake_tokens() -> None:
    cfg = uvicorn_options(load({}))["log_config"]
    assert all("redact_intake" in h["filters"] for h in cfg["handlers"].values())
    module, _, name = cfg["filters"]["redact_intake"]["()"].rpartition(".")
    assert getattr(importlib.import_module(module), name)().filter
