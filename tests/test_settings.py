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


def test_security_settings_are_read_and_checked() -> None:
    import pytest

    from knoop.errors import SettingsError
    from knoop.settings import load

    s = load({"KNOOP_IDLE_MINUTES": "15", "KNOOP_TRUSTED_PROXIES": "127.0.0.1,10.0.0.0/8",
              "KNOOP_AUDIT_KEY": "k" * 40})
    assert (s.idle_minutes, s.trusted_proxies, s.audit_key()) == (
        15, ("127.0.0.1", "10.0.0.0/8"), b"k" * 40)
    assert load({}).idle_minutes == 30
    for env in ({"KNOOP_IDLE_MINUTES": "0"}, {"KNOOP_TRUSTED_PROXIES": "proxy.local"},
                {"KNOOP_AUDIT_KEY": "short"}):
        with pytest.raises(SettingsError) as info:
            load(env)
        assert info.value.field == next(iter(env))


def test_the_audit_key_is_made_once_with_mode_0600(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from knoop.settings import load

    s = load({"KNOOP_DATA_DIR": str(tmp_path / "data")})
    key = s.audit_key()
    assert len(key) >= 32 and s.audit_key() == key and key != s.secret_key()
    assert oct((tmp_path / "data" / "audit.key").stat().st_mode & 0o777) == "0o600"
    assert s.audit_anchor == tmp_path / "data" / "audit.anchor"


def test_the_fhir_base_is_the_practices_own_https_url() -> None:
    assert load({}).fhir_base == ""
    assert load({"KNOOP_FHIR_BASE": " https://fhir.deknoop.nl/fhir/ "}).fhir_base == \
        "https://fhir.deknoop.nl/fhir"
    for bad in ("fhir.deknoop.nl", "https://knoop.example/fhir", "https://a b", "ftp://x"):
        with pytest.raises(SettingsError) as info:
            load({"KNOOP_FHIR_BASE": bad})
        assert info.value.field == "KNOOP_FHIR_BASE" and "https://" in str(info.value)
