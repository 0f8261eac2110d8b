"""Client-facing wording of the handouts, Dutch first (B1 level), English on request."""

from __future__ import annotations

from knoop.kb.models import CAUSES, TOOLS

#: What a technique is, in plain words for the client.
TECHNIQUE = {
    "nl": {"ischemic_compression": "aanhoudende druk op het triggerpunt",
           "manual_release": "ontspannende massagegrepen op de knoop",
           "dry_needling": "dry needling (een dun naaldje in het triggerpunt)",
           "stretching": "rustig rekken van de spier", "massage": "massage van de spier",
           "cupping": "cupping (zuignapjes)", "heat": "warmte",
           "spray_and_stretch": "koelspray en daarna rekken",
           "instruction": "uitleg en oefeningen voor thuis", "other": "een andere behandeling"},
    "en": {"ischemic_compression": "sustained pressure on the trigger point",
           "manual_release": "relaxing massage strokes over the knot",
           "dry_needling": "dry needling (a fine needle into the trigger point)",
           "stretching": "gentle stretching of the muscle", "massage": "massage of the muscle",
           "cupping": "cupping (suction cups)", "heat": "heat",
           "spray_and_stretch": "cooling spray followed by stretching",
           "instruction": "explanation and exercises for home", "other": "another treatment"},
}

SIDE = {"nl": {"left": "links", "right": "rechts"}, "en": {"left": "left", "right": "right"}}

#: Advice per cause (the knowledge base's cause IDs, asked at intake).
CAUSE_ADVICE = {
    "static_posture": {
        "nl": "Wissel je houding vaak af. Sta elk half uur even op, laat je schouders zakken "
              "en zet je beeldscherm op ooghoogte, recht voor je.",
        "en": "Change position often. Stand up every half hour, let your shoulders drop and "
              "put your screen at eye level, straight in front of you."},
    "repetitive_overload": {
        "nl": "Doe je vaak dezelfde beweging? Neem korte pauzes, wissel af van hand of taak "
              "en bouw de belasting rustig op.",
        "en": "Do you often repeat the same movement? Take short breaks, switch hands or tasks "
              "and build up the load gradually."},
    "inactivity": {
        "nl": "Beweeg elke dag, bijvoorbeeld een half uur wandelen of fietsen. Dat houdt je "
              "spieren soepel en goed doorbloed.",
        "en": "Move every day, for example half an hour of walking or cycling. It keeps your "
              "muscles supple and well supplied with blood."},
    "sudden_overload": {
        "nl": "Til dicht bij je lichaam en door je knieën, vraag hulp bij zware dingen en bouw "
              "een nieuwe inspanning geleidelijk op.",
        "en": "Lift close to your body and bend your knees, ask for help with heavy things and "
              "build up any new effort gradually."},
    "poor_posture": {
        "nl": "Let op je houding: zit rechtop met steun in je onderrug, voeten plat op de grond, "
              "en sta op beide benen.",
        "en": "Mind your posture: sit upright with support for your lower back, feet flat on "
              "the floor, and stand on both legs."},
    "stress": {
        "nl": "Spanning zet je spieren vast. Plan elke dag een moment van ontspanning, adem "
              "rustig naar je buik en zorg voor genoeg slaap.",
        "en": "Tension locks your muscles. Plan a moment to relax every day, breathe calmly "
              "into your belly and get enough sleep."},
    "fall_collision": {
        "nl": "Na een val of klap hebben spieren tijd nodig. Bouw rustig op en laat het weten "
              "als de pijn niet minder wordt.",
        "en": "After a fall or blow, muscles need time. Build up gently and let us know if the "
              "pain does not ease."},
}

UI = {
    "nl": {
        "title": "Nazorg na je behandeling",
        "for": "voor", "therapist": "therapeut", "date": "datum",
        "chart_title": "Jouw pijn en de behandelde plekken",
        "chart_legend_pain": "Pijn zoals je die vandaag tekende (1 licht – 10 hevig)",
        "chart_legend_x": "triggerpunt dat vandaag is behandeld",
        "chart_none": "Er is vandaag geen pijntekening gemaakt.",
        "done_title": "Wat we vandaag hebben gedaan",
        "done_none": "Vandaag is er geen spier behandeld.",
        "nrs": "Je pijn (0–10)", "nrs_before": "voor de behandeling",
        "nrs_after": "na de behandeling",
        "expect_title": "Wat kun je verwachten?",
        "muscles_title": "Oefeningen voor thuis",
        "muscles_intro": "Doe deze oefeningen een- tot tweemaal per dag. Het mag gevoelig zijn, "
                         "maar nooit echt pijn doen. Stop als de pijn toeneemt.",
        "zone_main": "hoofdgebied", "zone_spill": "uitloop", "zone_tp": "triggerpunt",
        "self_massage": "Zelfmassage", "stretch": "Rekken", "careful": "Let op",
        "tools": "hulpmiddel", "typical": "Deze spier raakt vaak overbelast door",
        "causes_title": "Pak de oorzaak aan",
        "causes_intro": "Wat je bij de intake noemde als mogelijke oorzaak:",
        "causes_none": "Een triggerpunt komt vaak terug als de oorzaak blijft. Wissel je "
                       "houding af, neem pauzes, beweeg elke dag en til verstandig.",
        "contact_title": "Wanneer neem je contact op?",
        "contact_therapist": "Met je therapeut",
        "contact_therapist_items": [
            "als de pijn na twee à drie dagen niet minder wordt, of juist erger",
            "als je twijfelt over een oefening of als een oefening pijn doet",
        ],
        "contact_gp": "Dezelfde dag met je huisarts",
        "contact_gp_later": "Bespreek met je huisarts",
        "contact_112": "Direct 112 of de huisartsenpost",
        "next_title": "Je volgende afspraak",
        "next_none": "Er staat nog geen volgende afspraak. Maak gerust een afspraak als de "
                     "klachten terugkomen.",
        "footer": "Deze folder is gemaakt voor jou, op basis van je behandeling van vandaag.",
        "link_title": "Je eigen nazorgpagina",
        "link_text": "Scan de code met je telefoon. Je vindt er je oefeningen en houdt er je "
                     "pijn bij in een dagboek; je therapeut ziet dat bij je volgende afspraak. "
                     "De link is persoonlijk: deel hem niet.",
        "kb": "kennisbank",
        "page": "pagina",
    },
    "en": {
        "title": "Aftercare after your treatment",
        "for": "for", "therapist": "therapist", "date": "date",
        "chart_title": "Your pain and the treated spots",
        "chart_legend_pain": "Pain as you drew it today (1 mild – 10 severe)",
        "chart_legend_x": "trigger point treated today",
        "chart_none": "No pain drawing was made today.",
        "done_title": "What we did today",
        "done_none": "No muscle was treated today.",
        "nrs": "Your pain (0–10)", "nrs_before": "before treatment",
        "nrs_after": "after treatment",
        "expect_title": "What to expect",
        "muscles_title": "Exercises for home",
        "muscles_intro": "Do these exercises once or twice a day. They may feel tender but "
                         "should never really hurt. Stop if the pain increases.",
        "zone_main": "main zone", "zone_spill": "spillover", "zone_tp": "trigger point",
        "self_massage": "Self-massage", "stretch": "Stretch", "careful": "Take care",
        "tools": "tool", "typical": "This muscle is often overloaded by",
        "causes_title": "Tackle the cause",
        "causes_intro": "What you mentioned at intake as a possible cause:",
        "causes_none": "A trigger point often returns when its cause remains. Vary your "
                       "posture, take breaks, move every day and lift sensibly.",
        "contact_title": "When to get in touch",
        "contact_therapist": "With your therapist",
        "contact_therapist_items": [
            "if the pain has not eased after two or three days, or gets worse",
            "if you are unsure about an exercise or an exercise hurts",
        ],
        "contact_gp": "With your GP the same day",
        "contact_gp_later": "Discuss with your GP",
        "contact_112": "Call 112 or the out-of-hours GP at once",
        "next_title": "Your next appointment",
        "next_none": "No next appointment has been made yet. Feel free to book one if the "
                     "complaints return.",
        "footer": "This leaflet was made for you, based on today's treatment.",
        "link_title": "Your own aftercare page",
        "link_text": "Scan the code with your phone. You will find your exercises there and can "
                     "keep a pain diary; your therapist sees it at your next appointment. The "
                     "link is personal: do not share it.",
        "kb": "knowledge base",
        "page": "page",
    },
}


def cause_name(cause: str, lang: str) -> str:
    return CAUSES[cause]["en" if lang == "en" else "nl"]


def tool_names(tools: list[str], lang: str) -> str:
    return ", ".join(TOOLS[t]["en" if lang == "en" else "nl"] for t in tools)
