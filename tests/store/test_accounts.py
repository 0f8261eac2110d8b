"""Accounts: argon2 hashes, login sessions in the database, throttling, TOTP, roles, intake links."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import select
from storekit import HEADACHE, PASSWORD, World

from knoop.errors import AuthError, BadInput, Conflict, Forbidden
from knoop.store import Store
from knoop.store.accounts import token_hash
from knoop.store.models import LoginSessionRow, UserRow


def test_passwords_are_stored_as_argon2_hashes(world: World) -> None:
    with world.store.engine.connect() as c:
        hashes = c.scalars(select(UserRow.password_hash)).all()
    assert hashes and all(h.startswith("$argon2id$") and PASSWORD not in h for h in hashes)


def test_a_login_gives_a_token_that_is_stored_hashed_and_ends_at_logout(world: World) -> None:
    st = world.store
    token, user = st.login("Owner@knoop.test", PASSWORD, None, "10.0.0.1")
    assert user.email == "owner@knoop.test"
    assert st.user_for_token(token) == user
    with st.engine.connect() as c:
        assert token not in c.scalars(select(LoginSessionRow.token_hash)).all()
    st.logout(token)
    assert st.user_for_token(token) is None
    assert st.user_for_token("made-up") is None


def test_a_login_session_expires(world: World) -> None:
    st = world.store
    token, _ = st.login("owner@knoop.test", PASSWORD, None, "10.0.0.1")
    later = Store(st.engine, clock=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)
                  + dt.timedelta(hours=13))
    assert later.user_for_token(token) is None


def test_a_wrong_password_or_unknown_user_gets_the_same_refusal(world: World) -> None:
    with pytest.raises(AuthError) as a:
        world.store.login("owner@knoop.test", "wrong password!", None, "10.0.0.1")
    with pytest.raises(AuthError) as b:
        world.store.login("nobody@knoop.test", "wrong password!", None, "10.0.0.1")
    assert a.value.message == b.value.message


def test_five_failures_lock_that_user_and_ip_for_fifteen_minutes(world: World) -> None:
    st = world.store
    for _ in range(5):
        with pytest.raises(AuthError):
            st.login("owner@knoop.test", "wrong password!", None, "10.0.0.9")
    with pytest.raises(AuthError) as info:
        st.login("owner@knoop.test", PASSWORD, None, "10.0.0.9")
    assert "too many" in info.value.message
    st.login("owner@knoop.test", PASSWORD, None, "10.0.0.10")  # another IP is not locked
    later = Store(st.engine, password_hasher=st.hasher,
                  clock=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)
                  + dt.timedelta(minutes=16))
    later.login("owner@knoop.test", PASSWORD, None, "10.0.0.9")


def test_with_totp_on_the_code_is_required_and_checked(world: World) -> None:
    st = world.store
    secret, uri = st.enable_totp(world.owner, world.owner.user_id)
    assert uri.startswith("otpauth://totp/")
    with pytest.raises(AuthError) as missing:
        st.login("owner@knoop.test", PASSWORD, None, "10.0.0.1")
    assert missing.value.field == "totp"
    with pytest.raises(AuthError):
        st.login("owner@knoop.test", PASSWORD, "000000" if pyotp.TOTP(secret).now() != "000000"
                 else "111111", "10.0.0.1")
    token, _ = st.login("owner@knoop.test", PASSWORD, pyotp.TOTP(secret).now(), "10.0.0.1")
    assert st.user_for_token(token) is not None


def test_only_an_admin_manages_users(world: World) -> None:
    st = world.store
    with pytest.raises(Forbidden):
        st.users(world.owner)
    with pytest.raises(Forbidden):
        st.create_user(world.practice_a, "new@knoop.test", "therapist", PASSWORD,
                       actor=world.owner)
    new = st.create_user(world.practice_a, "new@knoop.test", "therapist", PASSWORD,
                         actor=world.admin)
    assert new.email in [u.email for u in st.users(world.admin)]
    with pytest.raises(Forbidden):
        st.set_active(world.owner, new.id, False)
    st.set_active(world.admin, new.id, False)
    with pytest.raises(AuthError):
        st.login("new@knoop.test", PASSWORD, None, "10.0.0.1")


def test_a_duplicate_email_and_a_short_password_are_refused(world: World) -> None:
    with pytest.raises(Conflict) as dup:
        world.store.create_user(world.practice_a, "OWNER@knoop.test", "admin", PASSWORD)
    assert dup.value.field == "email"
    with pytest.raises(BadInput) as short:
        world.store.create_user(world.practice_a, "x@knoop.test", "admin", "kort")
    assert short.value.field == "password"


def test_an_intake_link_works_once_and_lands_as_a_draft_session(world: World) -> None:
    st = world.store
    token = st.create_intake_token(world.owner, world.client.id, dt.timedelta(days=2))
    assert st.check_intake_token(token).client_id == world.client.id
    grant = st.use_intake_token(token, {"complaint": "hoofdpijn", "painmap": HEADACHE,
                                        "screening": ["anticoagulants"], "nrs_before": 6})
    s = st.get_session(world.owner, grant.session_id)
    assert (s.status, s.complaint, s.therapist_id) == ("draft", "hoofdpijn", None)
    assert s.ranking["red_flags"]
    with pytest.raises(AuthError):
        st.use_intake_token(token, {"complaint": "nog eens"})
    log = st.access_for_client(world.client.id)
    assert any(e.on_behalf_of.startswith(f"client {world.client.id}") for e in log)


def test_an_intake_link_expires(world: World) -> None:
    st = world.store
    token = st.create_intake_token(world.owner, world.client.id, dt.timedelta(minutes=5))
    later = Store(st.engine, clock=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)
                  + dt.timedelta(minutes=6))
    with pytest.raises(AuthError):
        later.use_intake_token(token)


def test_intake_links_are_listed_with_their_state_but_never_the_token(world: World) -> None:
    st = world.store
    used = st.create_intake_token(world.owner, world.client.id, dt.timedelta(days=2))
    st.use_intake_token(used, {"complaint": "nekpijn"})
    st.create_intake_token(world.owner, world.client.id, dt.timedelta(seconds=1))
    fresh = st.create_intake_token(world.colleague, world.client.id, dt.timedelta(days=3))
    later = Store(st.engine, clock=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None)
                  + dt.timedelta(seconds=5))
    links = later.intake_links(world.colleague, world.client.id)
    assert sorted(ln.state for ln in links) == ["expired", "open", "used"]
    assert links[0].state == "open" and links[0].created_by == world.colleague.user_id
    text = repr([ln.to_dict() for ln in links])
    for token in (used, fresh):
        assert token not in text and token_hash(token) not in text
    assert ("read", f"client:{world.client.id}/intake_links") in [
        (e.action, e.object) for e in st.access_for_client(world.client.id)]


def test_a_revoked_intake_link_no_longer_works(world: World) -> None:
    st = world.store
    token = st.create_intake_token(world.owner, world.client.id, dt.timedelta(days=3))
    link = st.intake_links(world.owner, world.client.id)[0]
    got = st.revoke_intake_token(world.colleague, link.id)
    assert got.state == "revoked" and got.revoked_at is not None
    assert st.revoke_intake_token(world.owner, link.id).revoked_at == got.revoked_at
    with pytest.raises(AuthError):
        st.check_intake_token(token)
    with pytest.raises(AuthError):
        st.use_intake_token(token, {"complaint": "toch nog"})
    assert st.client_history(world.owner, world.client.id) == []
    log = [(e.action, e.object) for e in st.access_for_client(world.client.id)]
    assert log.count(("intake_link_revoke", f"intake_link:{link.id}")) == 1


def test_a_used_intake_link_cannot_be_revoked(world: World) -> None:
    st = world.store
    st.use_intake_token(st.create_intake_token(world.owner, world.client.id), None)
    link = st.intake_links(world.owner, world.client.id)[0]
    with pytest.raises(Conflict):
        st.revoke_intake_token(world.owner, link.id)
    assert st.intake_links(world.owner, world.client.id)[0].state == "used"
