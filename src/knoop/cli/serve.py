"""``knoop serve``: run the web app."""

import click


@click.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Start the web app on http://HOST:PORT."""
    import copy

    import uvicorn

    from knoop import settings

    s = settings.load()
    # knoop's own log (every unexpected error with its traceback and request ID) goes to the
    # same stderr as uvicorn's, at the configured level
    log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    log_config["loggers"]["knoop"] = {"handlers": ["default"], "level": s.log_level.upper(),
                                      "propagate": False}
    uvicorn.run("knoop.web.app:create_app", factory=True, host=host or s.host,
                port=port or s.port, log_level=s.log_level, log_config=log_config)
