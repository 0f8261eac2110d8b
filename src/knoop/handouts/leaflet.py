"""The client education leaflet “Triggerpoints: wat zijn het?” as a PDF.

The text is :mod:`knoop.handouts.education`, the same as the web page ``/uitleg``; the
illustration is the upper trapezius on the chart: its trigger point (X) and the headache at the
temple it typically refers to, the example the text itself gives.
"""

from __future__ import annotations

from knoop.handouts.aftercare import check_lang
from knoop.handouts.charts import cropped_diagram_svg
from knoop.handouts.education import INTRO, TITLE, sections
from knoop.handouts.pdf import render_html, write_pdf
from knoop.handouts.practice import PracticeDetails

CAPTION = {
    "nl": "Voorbeeld: triggerpoints in de monnikskapspier (✕) geven vaak pijn in de nek en "
          "hoofdpijn bij de slaap (rood: waar bijna iedereen het voelt; licht: soms).",
    "en": "Example: trigger points in the trapezius (✕) often cause neck pain and a headache "
          "at the temple (red: where nearly everyone feels it; light: sometimes).",
}
FOOTER = {"nl": "Meer weten? Vraag het je therapeut.",
          "en": "Want to know more? Ask your therapist."}


def leaflet_pdf(lang: str = "nl", practice: PracticeDetails | None = None) -> bytes:
    lang = check_lang(lang)
    ctx = {"lang": lang, "title": TITLE[lang], "intro": INTRO[lang], "sections": sections(lang),
           "figure": cropped_diagram_svg("trapezius", "right", lang), "caption": CAPTION[lang],
           "practice": practice, "ui": None, "footer_text": FOOTER[lang]}
    return write_pdf(render_html("leaflet.html", ctx), title=TITLE[lang], lang=lang)
