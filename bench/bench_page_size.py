"""Bytes a browser downloads for the drawing pages and the chart files (issue 14/15): the
page itself raw and gzip-compressed, and each chart view file raw and as sent (pre-compressed
gzip, cached for a year with the page's ?v=). Before issue 15 the front and back views were
inline in every page: /tekenen was 453,800 bytes (78,855 gzip). Prints figures; asserts nothing."""

from __future__ import annotations

import gzip

from fastapi.testclient import TestClient

from knoop.vocabulary import VIEWS
from knoop.web.app import create_app
from knoop.web.drawing_page import chart_files_version


def main() -> None:
    c = TestClient(create_app())
    for path in ("/tekenen", "/tekenen?lang=en", "/kb/gebieden", "/kb/spieren/trapezius"):
        r = c.get(path, headers={"Accept-Encoding": "identity"})
        print(f"{path:28} {len(r.content):>9,} bytes  {len(gzip.compress(r.content, 6)):>8,} gzip")
    v = chart_files_version()
    for view in VIEWS:
        raw = c.get(f"/tekenen/kaart/{view}?lang=nl&v={v}", headers={"Accept-Encoding": "identity"})
        sent = c.get(f"/tekenen/kaart/{view}?lang=nl&v={v}", headers={"Accept-Encoding": "gzip"})
        print(f"/tekenen/kaart/{view:13} {len(raw.content):>9,} bytes  "
              f"{int(sent.headers['content-length']):>8,} sent  {sent.headers['cache-control']}")


if __name__ == "__main__":
    main()
