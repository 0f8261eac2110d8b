"""“Wat is een triggerpunt?”: client education in our own words, Dutch first.

One source for the web page (``/uitleg``) and the printed leaflet. Each section has a title and
paragraphs; the wording is plain language for clients (B1 level in Dutch).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    paragraphs: tuple[str, ...]
    bullets: tuple[str, ...] = ()


TITLE = {"nl": "Triggerpunten: wat zijn het?", "en": "Trigger points: what are they?"}
INTRO = {
    "nl": "Je hebt pijn, maar op de plek waar het pijn doet is niets te vinden. Vaak zit de "
          "oorzaak dan ergens anders: in een verkrampt stukje spier, een triggerpunt. Op deze "
          "pagina lees je wat dat is, hoe het ontstaat en wat je eraan kunt doen.",
    "en": "You are in pain, but nothing can be found where it hurts. Often the source lies "
          "elsewhere: in a small cramped spot of muscle, a trigger point. This page explains "
          "what that is, how it arises and what you can do about it.",
}

SECTIONS: dict[str, tuple[Section, ...]] = {
    "nl": (
        Section("knoop", "Een knoop in het touw", (
            ("Een spier bestaat uit duizenden dunne vezels die samen kunnen aanspannen en weer "
            "ontspannen. Soms blijft een klein groepje vezels vastzitten in de aangespannen "
            "stand. Zo'n plekje voelt aan als een erwtje of een strakke streng in de spier: een "
            "triggerpunt."),
            ("Vergelijk de spier met een touw waar een knoop in zit. Het touw wordt korter en "
            "strakker, ook als je er niet aan trekt. Zo werkt een spier met een triggerpunt "
            "ook: hij is stijver, minder sterk en raakt sneller vermoeid. Rond de knoop stroomt "
            "minder bloed, waardoor afvalstoffen blijven hangen en de plek gevoelig wordt."),
        )),
        Section("uitstraling", "Waarom het ergens anders pijn doet", (
            ("Het bijzondere van triggerpunten is dat ze pijn kunnen geven op een plek die verder "
            "weg ligt: uitstralende pijn. Je zenuwstelsel kan de pijn dan niet goed plaatsen. "
            "Een triggerpunt in de schouderrand geeft bijvoorbeeld vaak hoofdpijn bij de slaap, "
            "en een triggerpunt in de kuit kan pijn onder de hiel geven."),
            ("Elke spier heeft zijn eigen, bekende uitstralingspatroon. Daarom vraagt de "
            "therapeut precies waar het pijn doet: uit jouw tekening leidt hij of zij af welke "
            "spieren het eerst onderzocht moeten worden."),
        )),
        Section("klachten", "Andere klachten", (
            "Naast pijn kan een triggerpunt ook andere klachten geven:",
        ), (
            "stijfheid en minder beweeglijkheid, bijvoorbeeld het hoofd niet goed kunnen draaien",
            "krachtverlies of dingen laten vallen",
            "tintelingen of een doof gevoel als een strakke spier op een zenuw drukt",
            "duizeligheid, een tranend oog of oorsuizen bij triggerpunten in de nek",
            "slecht slapen door de pijn",
        )),
        Section("oorzaken", "Hoe ontstaan triggerpunten?", (
            ("Meestal ontstaan ze doordat een spier meer moet doen dan hij aankan, in één keer of "
            "beetje bij beetje. Veelvoorkomende oorzaken zijn:"),
        ), (
            "steeds dezelfde beweging herhalen (bijvoorbeeld muis en toetsenbord)",
            "lang in dezelfde houding zitten of staan",
            "te weinig bewegen",
            "een plotselinge zware inspanning, zoals iets zwaars tillen",
            "een slechte houding",
            "stress en spanning",
            "een val, botsing of klap",
        )),
        Section("gevolgen", "Wat als je er niets aan doet?", (
            ("Een triggerpunt gaat soms vanzelf weg, maar vaak blijft het zitten. De spier "
            "blijft dan strak en zwak, andere spieren gaan het werk overnemen en kunnen op hun "
            "beurt ook triggerpunten krijgen. Zo kan een klacht langer duren en zich uitbreiden. "
            "Tijdig behandelen en de oorzaak aanpakken helpt dat te voorkomen."),
        )),
        Section("behandeling", "Hoe wordt een triggerpunt gevonden en behandeld?", (
            ("De therapeut vraagt waar het pijn doet en wat je verder merkt. Daarna voelt hij of "
            "zij in de spieren die bij jouw klachten passen. Bij een actief triggerpunt herken "
            "je de pijn: 'ja, dat is mijn pijn'."),
            ("De behandeling bestaat uit gerichte druk op het triggerpunt en massage van de "
            "spier, soms met rekken. De druk is stevig maar moet te verdragen blijven: geef het "
            "altijd aan als het te veel is."),
        )),
        Section("nazorg", "Na de behandeling", (
            ("Het is normaal dat de behandelde spieren één tot twee dagen gevoelig zijn, zoals "
            "spierpijn na het sporten. Dat gaat vanzelf over."),
        ), (
            ("Warmte helpt: een warme douche, een kruik of een warm kussentje bevordert de "
            "doorbloeding."),
            "Blijf rustig bewegen en drink voldoende water.",
            "Doe de rek- en zelfmassage-oefeningen die je hebt meegekregen.",
            "Pak de oorzaak aan: wissel je houding af, neem pauzes, til verstandig.",
            ("Wordt de pijn na een paar dagen erger in plaats van minder, of krijg je koorts, "
            "nieuw krachtverlies of een doof gevoel? Neem dan contact op met je therapeut of je "
            "huisarts."),
        )),
    ),
    "en": (
        Section("knoop", "A knot in the rope", (
            ("A muscle is made of thousands of thin fibres that tighten and relax together. "
            "Sometimes a small group of fibres stays stuck in the tightened state. That spot "
            "feels like a pea or a taut cord in the muscle: a trigger point."),
            ("Think of the muscle as a rope with a knot in it. The rope becomes shorter and "
            "tighter, even when nobody pulls it. A muscle with a trigger point works the same "
            "way: it is stiffer, weaker and tires sooner. Less blood flows around the knot, so "
            "waste products linger and the spot becomes tender."),
        )),
        Section("uitstraling", "Why it hurts somewhere else", (
            ("The special thing about trigger points is that they can cause pain further away: "
            "referred pain. Your nervous system cannot place the pain properly. A trigger point "
            "in the shoulder ridge often gives a headache at the temple, and one in the calf "
            "can cause pain under the heel."),
            ("Every muscle has its own known referral pattern. That is why your therapist asks "
            "exactly where it hurts: from your drawing they work out which muscles to examine "
            "first."),
        )),
        Section("klachten", "Other complaints", (
            "Besides pain, a trigger point can cause other complaints:",
        ), (
            "stiffness and less movement, for example not being able to turn the head",
            "weakness or dropping things",
            "tingling or numbness when a tight muscle presses on a nerve",
            "dizziness, a tearing eye or ringing in the ear with trigger points in the neck",
            "poor sleep because of the pain",
        )),
        Section("oorzaken", "How do trigger points arise?", (
            ("Mostly because a muscle has to do more than it can handle, all at once or little "
            "by little. Common causes:"),
        ), (
            "repeating the same movement (for example mouse and keyboard)",
            "sitting or standing in the same posture for a long time",
            "too little movement",
            "a sudden heavy effort, such as lifting something heavy",
            "poor posture",
            "stress and tension",
            "a fall, collision or blow",
        )),
        Section("gevolgen", "What if you do nothing?", (
            ("A trigger point sometimes goes away by itself, but often it stays. The muscle stays "
            "tight and weak, other muscles take over its work and can develop trigger points "
            "too. A complaint can then last longer and spread. Treating it in time and tackling "
            "the cause helps prevent that."),
        )),
        Section("behandeling", "How is a trigger point found and treated?", (
            ("The therapist asks where it hurts and what else you notice, then feels the muscles "
            "that fit your complaints. With an active trigger point you recognise the pain: "
            "'yes, that is my pain'."),
            ("Treatment is focused pressure on the trigger point and massage of the muscle, "
            "sometimes with stretching. The pressure is firm but must stay bearable: always say "
            "when it is too much."),
        )),
        Section("nazorg", "After the treatment", (
            ("It is normal for the treated muscles to be sore for one or two days, like after "
            "exercise. This passes by itself."),
        ), (
            "Warmth helps: a warm shower, a hot-water bottle or a heat pad improves circulation.",
            "Keep moving gently and drink enough water.",
            "Do the stretches and self-massage you were given.",
            "Tackle the cause: vary your posture, take breaks, lift sensibly.",
            ("If the pain gets worse instead of better after a few days, or you develop a fever, "
            "new weakness or numbness, contact your therapist or your GP."),
        )),
    ),
}


def sections(lang: str = "nl") -> tuple[Section, ...]:
    """The leaflet's sections in ``lang`` (nl or en; anything else gives Dutch)."""
    return SECTIONS.get(lang, SECTIONS["nl"])
