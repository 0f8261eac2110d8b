"""The pain-map parser is strict: every problem names the field and what is allowed."""

from __future__ import annotations

import pytest

from knoop.errors import PainMapError
from knoop.ranking.painmap import parse_painmap, parse_painmap_text


def test_an_empty_pain_map_is_valid() -> None:
    pm = parse_painmap({})
    assert pm.regions == () and pm.symptoms == () and pm.findings == ()


def test_a_full_pain_map_is_parsed_with_defaults() -> None:
    pm = parse_painmap({
        "regions": [{"region": "temple", "side": "left", "intensity": 7, "quality": "aching"},
                    {"region": "vertex"}, {"region": "sternum", "side": "midline"}],
        "symptoms": ["dizziness"], "screening": ["anticoagulants"],
        "findings": [{"muscle": "trapezius", "side": "left", "result": "none_found"}],
    })
    assert pm.regions[0].key == ("temple", "left") and pm.regions[0].intensity == 7
    assert pm.regions[1].key == ("vertex", None) and pm.regions[1].intensity == 5
    assert pm.regions[2].side is None
    assert pm.findings[0].result == "none_found"


def test_the_client_context_is_optional_and_round_trips() -> None:
    pm = parse_painmap({"client": {"age": 72, "sex": "female"}})
    assert pm.client is not None and pm.client.age == 72 and pm.client.sex == "female"
    assert pm.to_dict()["client"] == {"age": 72, "sex": "female"}
    assert parse_painmap({"client": {}}).to_dict()["client"] == {}
    assert "client" not in parse_painmap({}).to_dict()


@pytest.mark.parametrize("data, field, words", [
    ([], "$", "must be a JSON object"),
    ({"regoins": []}, "regoins", "allowed: regions, symptoms, screening, findings, client"),
    ({"regions": {}}, "regions", "must be an array"),
    ({"regions": ["temple"]}, "regions[0]", "must be an object"),
    ({"regions": [{"region": "tempel", "side": "left"}]}, "regions[0].region",
     "unknown region 'tempel' (did you mean temple"),
    ({"regions": [{"region": 3, "side": "left"}]}, "regions[0].region", "must be a string"),
    ({"regions": [{"side": "left"}]}, "regions[0].region", "is required"),
    ({"regions": [{"region": "temple"}]}, "regions[0].side", "paired region"),
    ({"regions": [{"region": "temple", "side": "links"}]}, "regions[0].side",
     "must be left or right"),
    ({"regions": [{"region": "vertex", "side": "left"}]}, "regions[0].side",
     "midline region"),
    ({"regions": [{"region": "temple", "side": "left", "intensity": 11}]},
     "regions[0].intensity", "whole number 1-10"),
    ({"regions": [{"region": "temple", "side": "left", "intensity": 0}]},
     "regions[0].intensity", "whole number 1-10"),
    ({"regions": [{"region": "temple", "side": "left", "intensity": 5.5}]},
     "regions[0].intensity", "whole number 1-10"),
    ({"regions": [{"region": "temple", "side": "left", "intensity": True}]},
     "regions[0].intensity", "whole number 1-10"),
    ({"regions": [{"region": "temple", "side": "left", "intensity": "7"}]},
     "regions[0].intensity", "whole number 1-10"),
    ({"regions": [{"region": "temple", "side": "left", "quality": "sharp"}]},
     "regions[0].quality", "aching, burning, tingling, numb, stabbing"),
    ({"regions": [{"region": "temple", "side": "left"}, {"region": "temple", "side": "left"}]},
     "regions[1]", "listed twice"),
    ({"regions": [{"region": "temple", "side": "left", "colour": "red"}]},
     "regions[0].colour", "unknown field"),
    ({"symptoms": ["dizzy"]}, "symptoms[0]", "unknown symptom 'dizzy'"),
    ({"symptoms": "dizziness"}, "symptoms", "must be an array"),
    ({"symptoms": ["dizziness", "dizziness"]}, "symptoms[1]", "listed twice"),
    ({"screening": ["chest_pain"]}, "screening[0]", "unknown screening 'chest_pain'"),
    ({"findings": [{"muscle": "trapezoid", "side": "left", "result": "active"}]},
     "findings[0].muscle", "unknown muscle 'trapezoid'"),
    ({"findings": [{"muscle": "trapezius", "side": "left", "result": "positive"}]},
     "findings[0].result", "active, latent, none_found"),
    ({"findings": [{"muscle": "trapezius", "result": "active"}]}, "findings[0].side",
     "is required"),
    ({"findings": [{"muscle": "trapezius", "side": "left", "result": "active",
                    "trigger_point": "soleus_1"}]}, "findings[0].trigger_point",
     "trigger point ID of 'trapezius'"),
    ({"client": 72}, "client", "must be an object"),
    ({"client": {"age": 121}}, "client.age", "whole number of years 0-120"),
    ({"client": {"age": -1}}, "client.age", "whole number of years 0-120"),
    ({"client": {"age": "72"}}, "client.age", "whole number of years 0-120"),
    ({"client": {"sex": "f"}}, "client.sex", "female, male, other"),
    ({"client": {"born": "1950-01-01"}}, "client.born", "allowed: age, sex"),
])
def test_bad_input_names_the_field_and_the_allowed_values(data: object, field: str,
                                                          words: str) -> None:
    with pytest.raises(PainMapError) as info:
        parse_painmap(data)
    assert info.value.field == field
    assert words in info.value.message
    assert info.value.message.startswith(field)


def test_invalid_json_text_names_line_and_column() -> None:
    with pytest.raises(PainMapError, match="line 2 column"):
        parse_painmap_text('{"regions": [\n  {"region": }]}')


def test_unknown_ids_list_the_allowed_values_for_machines() -> None:
    with pytest.raises(PainMapError) as info:
        parse_painmap({"screening": ["nope"]})
    assert info.value.allowed is not None and "chest_pain_exertion" in info.value.allowed
