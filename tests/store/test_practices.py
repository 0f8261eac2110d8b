"""Practices in the store: their details (validated, admins only, versioned), the logo (PNG or
JPEG, at most 512 kB), and the first start of a fresh installation (only while no user exists,
safe against a race)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from storekit import PASSWORD, World

from knoop.errors import BadInput, Conflict, Forbidden, StaleVersion
from knoop.store import Store
from knoop.store.models import AccessLogRow

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def test_an_admin_keeps_the_practice_details_and_each_change_is_versioned_and_logged(
        world: World) -> None:
    st = world.store
    p = st.update_practice(world.admin, address="Oudegracht 12", postcode="3511ab",
                           city="Utrecht", agb_code="9012 3456", registration="KvK 12345678",
                           phone="030-1234567", email="Info@DeKnoop.nl",
                           website="www.deknoop.nl")
    assert (p.address, p.postcode, p.agb_code, p.email, p.version) == (
        "Oudegracht 12", "3511 AB", "90123456", "info@deknoop.nl", 2)
    with pytest.raises(StaleVersion):
        st.update_practice(world.admin, expected_version=1, phone="030-7654321")
    assert st.practice(world.practice_a).phone == "030-1234567"
    with st.engine.connect() as conn:
        logged = conn.execute(select(AccessLogRow.action, AccessLogRow.object)
                              .where(AccessLogRow.action == "practice_update")).all()
    assert [tuple(r) for r in logged] == [("practice_update", f"practice:{world.practice_a}")]


@pytest.mark.parametrize(("field", "value", "kind"), [
    ("agb_code", "1234", "agb_code"), ("postcode", "35111", "postcode"),
    ("email", "geen-mail", "email"), ("website", "niet een adres", "website"),
    ("phone", "bel me", "phone"), ("name", "", "required")])
def test_bad_practice_details_are_refused_naming_the_field(world: World, field: str, value: str,
                                                           kind: str) -> None:
    with pytest.raises(BadInput) as info:
        world.store.update_practice(world.admin, **{field: value})
    assert (info.value.field, info.value.kind) == (field, kind)
    assert world.store.practice(world.practice_a).version == 1


def test_a_therapist_cannot_change_the_practice_and_changes_only_reach_the_own_practice(
        world: World) -> None:
    with pytest.raises(Forbidden):
        world.store.update_practice(world.owner, phone="030-1234567")
    world.store.update_practice(world.admin, name="De Knoop Utrecht")
    assert world.store.practice(world.practice_b).name == "Praktijk Elders"


def test_a_logo_must_be_a_png_or_jpeg_of_at_most_512_kb(world: World) -> None:
    st = world.store
    p = st.set_logo(world.admin, PNG)
    assert p.logo_type == "image/png"
    assert st.practice_logo(world.practice_a) == (PNG, "image/png")
    assert st.practice_logo(world.practice_b) is None
    with pytest.raises(BadInput) as info:
        st.set_logo(world.admin, b"<svg onload=alert(1)>")
    assert info.value.kind == "logo_type"
    with pytest.raises(BadInput) as info:
        st.set_logo(world.admin, PNG + b"\0" * 512 * 1024)
    assert info.value.kind == "logo_size"
    assert st.set_logo(world.admin, None).logo_type is None


def test_the_first_start_makes_the_practice_and_its_admin_only_once(store: Store) -> None:
    assert store.needs_setup()
    admin = store.first_start(practice={"name": "Praktijk Zuid", "city": "Breda"},
                              email="Eva@Zuid.nl", password=PASSWORD, name="Eva Zuid")
    assert (admin.role, admin.email, admin.active) == ("admin", "eva@zuid.nl", True)
    assert store.practice(admin.practice_id).city == "Breda"
    assert not store.needs_setup()
    with pytest.raises(Conflict):
        store.first_start(practice={"name": "Overname"}, email="x@y.nl", password=PASSWORD)
    assert [p.name for p in store.practices()] == ["Praktijk Zuid"]


def test_the_first_start_is_refused_once_the_cli_made_a_user(world: World) -> None:
    assert not world.store.needs_setup()
    with pytest.raises(Conflict):
        world.store.first_start(practice={"name": "Overname"}, email="x@y.nl",
                                password=PASSWORD)


def test_a_bad_first_start_leaves_nothing_behind(store: Store) -> None:
    with pytest.raises(BadInput) as info:
        store.first_start(practice={"name": "Praktijk Zuid"}, email="eva@zuid.nl",
                          password="welkom123")
    assert info.value.field == "password"
    assert store.needs_setup() and store.practices() == []


def test_of_two_racing_first_starts_exactly_one_wins(store: Store) -> None:
    results: list[str] = []
    barrier = threading.Barrier(2)

    def start(n: int) -> None:
        barrier.wait()
        try:
            store.first_start(practice={"name": f"Praktijk {n}"}, email=f"admin{n}@p.nl",
                              password=PASSWORD)
            results.append("ok")
        except Conflict:
            results.append("refused")
    threads = [threading.Thread(target=start, args=(n,)) for n in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ok", "refused"]
    assert len(store.practices()) == 1 and len(store.all_users()) == 1
