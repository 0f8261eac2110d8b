"""The practice's details on documents come from the database first (what the admin keeps on
/praktijk); the ``KNOOP_PRACTICE_*`` settings only fill a detail the practice left empty."""

from __future__ import annotations

from pathlib import Path

from knoop.handouts.practice import practice_details
from knoop.settings import Settings
from tests.demo_practice import Demo, pdf_pages_to_png

FALLBACK = Settings(practice_address="Instellingstraat 1", practice_phone="010-0000000",
                    practice_email="installatie@x.nl", practice_website="www.installatie.nl")


def test_the_practices_own_details_win_over_the_installation_settings(demo: Demo) -> None:
    demo.store.update_practice(demo.admin, address="Oudegracht 12", postcode="3511 AB",
                               phone="030-1234567", agb_code="90123456", email="",
                               website="", registration="KvK 12345678")
    d = practice_details(demo.store, demo.therapist, settings=FALLBACK)
    assert (d.address, d.phone) == ("Oudegracht 12, 3511 AB Utrecht", "030-1234567")
    assert (d.email, d.website) == ("installatie@x.nl", "www.installatie.nl"), "gaps filled"
    assert "AGB 90123456" in d.contact_lines and "KvK 12345678" in d.contact_lines


def test_an_empty_practice_record_falls_back_to_the_settings(demo: Demo) -> None:
    demo.store.update_practice(demo.admin, address="", phone="", email="", website="")
    d = practice_details(demo.store, demo.therapist, settings=FALLBACK)
    assert d.contact_lines == ["Instellingstraat 1", "010-0000000", "installatie@x.nl",
                               "www.installatie.nl"]


def _red_png() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (120, 40), (220, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


def test_the_practices_logo_is_on_the_handouts_letterhead(demo: Demo, tmp_path: Path,
                                                         artifacts: Path) -> None:
    from PIL import Image

    from knoop.handouts.aftercare import aftercare_pdf

    demo.store.set_logo(demo.admin, _red_png())
    assert practice_details(demo.store, demo.therapist).logo_uri.startswith(
        "data:image/png;base64,")
    pages = pdf_pages_to_png(aftercare_pdf(demo.store, demo.therapist, 1), artifacts,
                             "handout-logo")
    top = Image.open(pages[0]).convert("RGB")
    top = top.crop((0, 0, top.width, top.height // 6))
    red = sum(1 for r, g, b in top.get_flattened_data() if r > 200 and g < 40 and b < 40)
    assert red > 500, "the red logo is in the letterhead"
