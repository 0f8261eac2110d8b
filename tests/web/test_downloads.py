"""Downloads: a PDF response frees the document's memory after it is sent."""

from __future__ import annotations

from knoop.handouts.pdf import release_memory
from knoop.web.downloads import _file


def test_a_pdf_response_releases_the_documents_memory_once_sent_and_json_does_not() -> None:
    pdf = _file(b"%PDF-1.7", "application/pdf", "nazorg-1.pdf", inline=True)
    assert pdf.background is not None and pdf.background.func is release_memory
    assert pdf.headers["cache-control"] == "no-store"
    assert _file(b"{}", "application/json", "dossier-1.json").background is None
