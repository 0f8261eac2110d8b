"""The guard middleware (issue 13 additions): HSTS over https, intake tokens never logged."""

from __future__ import annotations

import logging
from pathlib import Path

from fastapi.testclient import TestClient
from webkit import app_for, fresh_store

from knoop.web.middleware import RedactIntakeTokens, redact


def test_hsts_is_sent_over_https_only(tmp_path: Path) -> None:
    store = fresh_store(tmp_path)
    https = TestClient(app_for(store), base_url="https://testserver").get("/kb")
    http = TestClient(app_for(store)).get("/kb")
    assert https.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "strict-transport-security" not in http.headers


def test_an_intake_token_is_redacted_from_an_access_log_line() -> None:
    token = "Jx2v9" * 8
    record = logging.LogRecord("uvicorn.access", logging.INFO, __file__, 1,
                               '%s - "%s %s HTTP/%s" %d',
                               ("10.0.0.1:5000", "GET", f"/intake/{token}?x=1", "1.1", 200),
                               None)
    assert RedactIntakeTokens().filter(record)
    line = record.getMessage()
    assert token not in line and "/intake/[redacted]?x=1" in line
    assert redact(f"/intake/{token}/verstuur") == "/intake/[redacted]/verstuur"
