"""Settings come from the environment; a bad value names the variable and what is allowed."""

from __future__ import annotations

import pytest

from knoop.errors import SettingsError
from knoop.settings import load


def test_defaults_serve_dutch_on_localhost_port_8000() -> None:
    s = load({})
    assert (s.host, s.port, s.language) == ("127.0.0.1", 8000, "nl")


def test_variables_override_the_defaults() -> None:
    s = load({"KNOOP_PORT": "9000", "KNOOP_LANG": "EN", "KNOOP_HOST": "0.0.0.0"})
    assert (s.host, s.port, s.language) == ("0.0.0.0", 9000, "en")


@pytest.mark.parametrize("env, words", [
    ({"KNOOP_PORT": "eighty"}, ["KNOOP_PORT", "1-65535"]),
    ({"KNOOP_PORT": "70000"}, ["KNOOP_PORT", "1-65535"]),
    ({"KNOOP_LANG": "de"}, ["KNOOP_LANG", "nl, en"]),
    ({"KNOOP_LOG_LEVEL": "loud"}, ["KNOOP_LOG_LEVEL", "debug"]),
])
def test_an_invalid_value_names_the_variable_and_the_allowed_values(env: dict,
                                                                    words: list[str]) -> None:
    with pytest.raises(SettingsError) as info:
        load(env)
    for w in words:
        assert w in info.value.message
