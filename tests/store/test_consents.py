"""Consents in the store: kind, date, text version and who took them."""

from __future__ import annotations

import datetime as dt

import pytest
from storekit import World

from knoop.errors import BadInput


def test_consents_record_kind_date_text_version_and_who_took_them(world: World) -> None:
    st = world.store
    st.record_consent(world.owner, world.client.id, "treatment", True, "2026-01",
                      date="2026-03-01")
    st.record_consent(world.owner, world.client.id, "photos", False, "2026-01")
    with pytest.raises(BadInput) as info:
        st.record_consent(world.owner, world.client.id, "marketing", True, "2026-01")
    assert info.value.field == "kind"
    got = st.consents(world.colleague, world.client.id)[1:]  # after the one taken at intake
    assert [(c.kind, c.given, c.taken_by) for c in got] == [
        ("treatment", True, world.owner.user_id), ("photos", False, world.owner.user_id)]
    assert got[0].date == dt.date(2026, 3, 1)
