"""``knoop serve``: run the web app."""

import click


@click.command()
@click.option("--host", default=None, help="Interface to listen on (default 127.0.0.1).")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="Port (default 8000).")
def serve(host: str | None, port: int | None) -> None:
    """Start the web app on http://HOST:PORT."""
    import uvicorn

    from knoop import settings

    s = settings.load()
    uvicorn.run("knoop.web.app:create_app", factory=True, host=host or s.host,
                port=port or s.port, log_level=s.log_level)
