"""``knoop serve``: run the web app."""

from __future__ import annotations

from typing import Any

import click


def uvicorn_options(s: Any) -> dict[str, Any]:
    """How uvicorn runs for settings ``s``: knoop's own log on the same stderr, intake tokens
    redacted from the access log, and ``X-Forwarded-For``/``-Proto`` believed only from the
    proxies in ``KNOOP_TRUSTED_PROXIES`` (by default from nobody: uvicorn itself would trust
    127.0.0.1, so anyone on the machine, or any request a local proxy passes on unchanged,
    could pick its own address and escape the per-address login limit)."""
    import copy

    import uvicorn

    # knoop's own log (every unexpected error with its traceback and request ID) goes to the
    # same stderr as uvicorn's, at the configured level
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["knoop"] = {"handlers": ["default"], "level": s.log_level.upper(),
                                      "propagate": False}
    log_config.setdefault("filters", {})["redact_intake"] = {
        "()": "knoop.web.middleware.RedactIntakeTokens"}
    for handler in log_config["handlers"].values():
        handler.setdefault("filters", []).append("redact_intake")
    proxies = ",".join(s.trusted_proxies)
    return {"log_level": s.log_level, "log_config": log_config,
            "proxy_headers": bool(proxies), "forwarded_allow_ips": proxies or ""}


@click.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Start the web app on http://HOST:PORT."""
    import os

    import uvicorn

    from knoop import settings

    s = settings.load()
    os.umask(0o077)  # the database, keys, anchor and exports: owner only
    uvicorn.run("knoop.web.app:create_app", factory=True, host=host or s.host,
                port=port or s.port, **uvicorn_options(s))
