"""Users of a practice in the store: an admin invites a colleague with an initial password
(the password policy), changes roles and deactivates (never deletes); the practice keeps one
active admin; another practice's user is a 404."""

from __future__ import annotations

import pytest
from storekit import PASSWORD, World

from knoop.errors import AuthError, BadInput, Conflict, Forbidden, NotFound


def test_an_admin_invites_a_colleague_who_can_log_in_with_the_initial_password(
        world: World) -> None:
    st = world.store
    u = st.create_user(world.practice_a, "nieuw@knoop.test", "therapist", PASSWORD,
                       name="Nina Nieuw", actor=world.admin)
    token, user = st.login("nieuw@knoop.test", PASSWORD)
    assert token and user.id == u.id and user.practice_id == world.practice_a
    with pytest.raises(BadInput) as info:
        st.create_user(world.practice_a, "kort@knoop.test", "therapist", "welkom2024",
                       actor=world.admin)
    assert info.value.field == "password"


def test_a_role_change_is_kept_and_a_therapist_cannot_change_roles(world: World) -> None:
    st = world.store
    assert st.set_role(world.admin, world.colleague.user_id or 0, "admin").role == "admin"
    with pytest.raises(Forbidden):
        st.set_role(world.owner, world.colleague.user_id or 0, "therapist")
    with pytest.raises(BadInput) as info:
        st.set_role(world.admin, world.colleague.user_id or 0, "baas")
    assert info.value.field == "role"


def test_a_deactivated_user_cannot_log_in_and_is_still_listed(world: World) -> None:
    st = world.store
    token, _u = st.login("colleague@knoop.test", PASSWORD)
    st.set_active(world.admin, world.colleague.user_id or 0, False)
    assert st.user_for_token(token) is None
    with pytest.raises(AuthError):
        st.login("colleague@knoop.test", PASSWORD)
    listed = {u.email: u.active for u in st.users(world.admin)}
    assert listed["colleague@knoop.test"] is False


def test_the_last_active_admin_can_neither_be_demoted_nor_deactivated(world: World) -> None:
    st = world.store
    admin_id = world.admin.user_id or 0
    with pytest.raises(Conflict) as info:
        st.set_role(world.admin, admin_id, "therapist")
    assert info.value.kind == "last_admin"
    with pytest.raises(Conflict):
        st.set_active(world.admin, admin_id, False)
    st.set_role(world.admin, world.owner.user_id or 0, "admin")
    assert st.set_role(world.admin, admin_id, "therapist").role == "therapist"


def test_another_practices_user_is_not_found(world: World) -> None:
    with pytest.raises(NotFound):
        world.store.set_active(world.admin, world.outsider.user_id or 0, False)
    with pytest.raises(NotFound):
        world.store.set_role(world.admin, world.outsider.user_id or 0, "admin")
