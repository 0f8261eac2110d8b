"""A weak prior per muscle: how often clinical studies find active trigger points in it.

1.0 = among the muscles most often found active in studies of common complaints (tension-type
headache, neck and shoulder pain, low back pain, lateral elbow pain, heel pain); 0.2 = rarely
reported; everything else 0.5. The prior only breaks near-ties (see docs/ranking.md).
"""

from __future__ import annotations

COMMON = frozenset({
    "trapezius", "sternocleidomastoid", "levator_scapulae", "suboccipitals", "temporalis",
    "masseter", "scalenes", "splenius_capitis", "infraspinatus", "supraspinatus",
    "subscapularis", "quadratus_lumborum", "iliocostalis_lumborum", "gluteus_medius",
    "gluteus_minimus", "piriformis", "extensor_carpi_radialis_brevis",
    "extensor_carpi_radialis_longus", "extensor_digitorum", "brachioradialis", "gastrocnemius",
    "soleus", "pectoralis_major", "multifidi_rotatores",
})
RARE = frozenset({
    "pyramidalis", "sternalis", "platysma", "buccinator", "zygomaticus_major",
    "orbicularis_oculi", "plantaris", "lumbricals_hand", "lumbricals_foot",
    "flexor_digiti_minimi_brevis_foot", "peroneus_tertius", "extensor_indicis",
    "transversus_abdominis", "subclavius", "obturator_internus", "anconeus",
})


def prior(muscle: str) -> float:
    """0..1; see the module docstring."""
    if muscle in COMMON:
        return 1.0
    if muscle in RARE:
        return 0.2
    return 0.5
