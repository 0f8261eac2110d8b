"""Accounts: argon2 hashes, login sessions in the database, throttling, TOTP, roles, intake links."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
from sqlalchemy import select
from storekit import HEADACHE, PASSWORD, World

from knoop.errors import AuthError, BadInput, Conflict, Forbidden
from knoop.store import Store
from knoop.store.authentication import token_hash
from knoop.store.models import AccessLogRow, LoginSessionRow, UserRow

T0 = dt.datetime(2026, 12, 1, 9, 0, 0)


def _at(world: World, now: list[dt.datetime]) -> Store:
    """The world's store on a clock the test moves by hand."""
    return Store(world.store.engine, password_hasher=world.store.hasher, clock=lambda: now[0])


def _actions(st: Store, since: int = 0) -> list[tuple[str, str]]:
    with st.engine.connect() as c:
        rows = c.execute(select(AccessLogRow.action, AccessLogRow.detail)
                         .where(AccessLogRow.id > since).order_by(AccessLogRow.id)).all()
    return [(r.action, r.detail) for r in rows]


def _last_id(st: Store) -> int:
    with st.engine.connect() as c:
        return int(c.scalar(select(AccessLogRow.id).order_by(AccessLogRow.id.desc()).limit(1))
                   or 0)


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


def test_five_failures_lock_the_account_from_every_ip_for_fifteen_minutes(world: World) -> None:
    now = [T0]
    st = _at(world, now)
    for _ in range(5):
        with pytest.raises(AuthError):
            st.login("owner@knoop.test", "wrong password!", None, "10.0.0.9")
    for ip in ("10.0.0.9", "10.0.0.10"):  # the account is locked, not the (e-mail, IP) pair
        with pytest.raises(AuthError) as info:
            st.login("owner@knoop.test", PASSWORD, None, ip)
        assert "too many" in info.value.message
    now[0] += dt.timedelta(minutes=16)
    st.login("owner@knoop.test", PASSWORD, None, "10.0.0.9")


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


def test_taking_over_an_intake_dates_the_session_then_and_keeps_the_submission_time(
        world: World) -> None:
    st = world.store
    now = [dt.datetime(2026, 11, 20, 21, 15)]
    st.clock = lambda: now[0]
    token = st.create_intake_token(world.owner, world.client.id)
    grant = st.use_intake_token(token, {"complaint": "hoofdpijn", "nrs_before": 6})
    draft = st.get_session(world.owner, grant.session_id)
    assert draft.started_at == now[0] and draft.intake["submitted_at"] == "2026-11-20T21:15:00"
    now[0] = dt.datetime(2026, 11, 24, 9, 30)
    taken = st.update_session(world.owner, grant.session_id, status="open")
    assert taken.started_at == dt.datetime(2026, 11, 24, 9, 30)
    assert taken.intake["submitted_at"] == "2026-11-20T21:15:00"
    assert taken.therapist_id == world.owner.user_id
    now[0] = dt.datetime(2026, 11, 25, 9, 30)  # closing and reopening keeps the date
    st.update_session(world.owner, grant.session_id, status="closed")
    again = st.update_session(world.owner, grant.session_id, status="open")
    assert again.started_at == dt.datetime(2026, 11, 24, 9, 30)


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


# ---- guessing (issue 13) -------------------------------------------------------------------
def test_a_hundred_addresses_with_five_guesses_each_get_five_checked_and_495_refused(
        world: World) -> None:
    st = _at(world, [T0])
    wrong = refused = 0
    for n in range(100):
        for _ in range(5):
            try:
                st.login("owner@knoop.test", "wrong password!", None, f"10.1.{n}.1")
            except AuthError as exc:
                if "too many" in exc.message:
                    refused += 1
                else:
                    wrong += 1
    assert (wrong, refused) == (5, 495)
    with pytest.raises(AuthError, match="too many"):  # also the right password, from anywhere
        st.login("owner@knoop.test", PASSWORD, None, "192.168.1.20")


def test_one_address_guessing_over_many_accounts_is_refused_after_ten_failures(
        world: World) -> None:
    st = _at(world, [T0])
    outcomes = []
    for n in range(20):
        email = ("owner", "colleague", "admin", "nobody")[n % 4] + "@knoop.test"
        try:
            st.login(email, "wrong password!", None, "10.2.0.1")
        except AuthError as exc:
            outcomes.append("refused" if "too many" in exc.message else "wrong")
    assert outcomes == ["wrong"] * 10 + ["refused"] * 10
    st.login("owner@knoop.test", PASSWORD, None, "10.2.0.2")  # other addresses still work


def test_parallel_wrong_guesses_are_counted_exactly(world: World) -> None:
    from concurrent.futures import ThreadPoolExecutor

    st = _at(world, [T0])
    start = _last_id(st)

    def guess(i: int) -> str:
        try:
            st.login("owner@knoop.test", f"wrong password {i}", None, f"10.3.{i}.1")
        except AuthError as exc:
            return "refused" if "too many" in exc.message else "wrong"
        return "in"
    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(guess, range(40)))
    assert outcomes.count("wrong") == 5 and outcomes.count("refused") == 35
    actions = [a for a, _ in _actions(st, start)]
    assert actions.count("login_failed") == 5 and actions.count("login_refused") == 35
    assert actions.count("lockout") == 1


def test_each_failure_after_a_lock_doubles_the_next_lock(world: World) -> None:
    now = [T0]
    st = _at(world, now)
    for _ in range(5):
        with pytest.raises(AuthError):
            st.login("owner@knoop.test", "wrong password!", None, "10.0.0.1")
    now[0] += dt.timedelta(minutes=16)
    with pytest.raises(AuthError, match="wrong e-mail"):
        st.login("owner@knoop.test", "wrong password!", None, "10.0.0.1")
    now[0] += dt.timedelta(minutes=29)
    with pytest.raises(AuthError, match="too many"):
        st.login("owner@knoop.test", PASSWORD, None, "10.0.0.1")
    now[0] += dt.timedelta(minutes=2)
    st.login("owner@knoop.test", PASSWORD, None, "10.0.0.1")


def test_failed_refused_and_successful_logins_and_logout_are_in_the_access_log(
        world: World) -> None:
    st = _at(world, [T0])
    start = _last_id(st)
    with pytest.raises(AuthError):
        st.login("owner@knoop.test", "wrong password!", None, "10.0.0.5")
    with pytest.raises(AuthError):
        st.login("nobody@knoop.test", "wrong password!", None, "10.0.0.5")
    token, _ = st.login("owner@knoop.test", PASSWORD, None, "10.0.0.5")
    st.logout(token)
    got = _actions(st, start)
    assert [a for a, _ in got] == ["login_failed", "login_failed", "login", "logout"]
    assert "email=owner@knoop.test; ip=10.0.0.5; step=password" in got[0][1]
    assert "email=nobody@knoop.test" in got[1][1]
    assert all(PASSWORD not in d and "wrong password" not in d for _, d in got)


def test_the_right_password_gives_back_its_count_so_a_user_is_not_locked_by_logging_in(
        world: World) -> None:
    st = _at(world, [T0])
    for _ in range(4):
        with pytest.raises(AuthError):
            st.login("owner@knoop.test", "wrong password!", None, "10.0.0.1")
    for _ in range(12):  # a shared practice address logging in all day
        st.login("owner@knoop.test", PASSWORD, None, "10.0.0.1")
    for _ in range(4):
        with pytest.raises(AuthError, match="wrong e-mail"):
            st.login("owner@knoop.test", "wrong password!", None, "10.0.0.1")


# ---- TOTP and the pending login ------------------------------------------------------------
def _totp_world(world: World, now: list[dt.datetime]) -> tuple[Store, pyotp.TOTP]:
    st = _at(world, now)
    secret, _ = st.enable_totp(world.owner, world.owner.user_id)
    return st, pyotp.TOTP(secret)


def _code(totp: pyotp.TOTP, now: dt.datetime) -> str:
    return totp.at(int(now.replace(tzinfo=dt.UTC).timestamp()))


def test_a_totp_code_is_accepted_once(world: World) -> None:
    now = [T0]
    st, totp = _totp_world(world, now)
    code = _code(totp, now[0])
    st.login("owner@knoop.test", PASSWORD, code, "10.0.0.1")
    with pytest.raises(AuthError, match="wrong e-mail"):
        st.login("owner@knoop.test", PASSWORD, code, "10.0.0.1")
    now[0] += dt.timedelta(seconds=30)
    st.login("owner@knoop.test", PASSWORD, _code(totp, now[0]), "10.0.0.1")


def test_wrong_codes_count_on_the_same_account_limit_as_passwords(world: World) -> None:
    now = [T0]
    st, totp = _totp_world(world, now)
    with pytest.raises(AuthError):
        st.login("owner@knoop.test", "wrong password!", None, "10.0.0.1")
    pending, user = st.login_password("owner@knoop.test", PASSWORD, "10.0.0.1")
    assert user is None
    right = _code(totp, now[0])
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(4):
        with pytest.raises(AuthError, match="wrong e-mail"):
            st.login_code(pending, wrong, "10.0.0.1")
    with pytest.raises(AuthError, match="too many"):
        st.login_code(pending, right, "10.0.0.1")
    with pytest.raises(AuthError, match="too many"):
        st.login_password("owner@knoop.test", PASSWORD, "10.0.0.1")


def test_the_pending_login_keeps_no_password_and_expires_after_five_minutes(
        world: World) -> None:
    from knoop.store.models import LoginPendingRow

    now = [T0]
    st, totp = _totp_world(world, now)
    pending, _ = st.login_password("owner@knoop.test", PASSWORD, "10.0.0.1")
    with st.engine.connect() as c:
        rows = [tuple(r) for r in c.execute(select(LoginPendingRow)).all()]
    assert rows and all(pending not in map(str, r) and PASSWORD not in map(str, r)
                        for r in rows)
    now[0] += dt.timedelta(minutes=6)
    with pytest.raises(AuthError) as info:
        st.login_code(pending, _code(totp, now[0]), "10.0.0.1")
    assert info.value.field == "pending"


# ---- idle timeout --------------------------------------------------------------------------
def test_a_login_session_ends_after_thirty_idle_minutes_but_not_while_used(
        world: World) -> None:
    now = [T0]
    st = _at(world, now)
    token, _ = st.login("owner@knoop.test", PASSWORD, None, "10.0.0.1")
    for _ in range(6):  # two hours of work, a request every 20 minutes
        now[0] += dt.timedelta(minutes=20)
        assert st.user_for_token(token) is not None
    now[0] += dt.timedelta(minutes=31)
    assert st.user_for_token(token) is None


def test_the_idle_timeout_is_a_setting_of_the_store(world: World) -> None:
    now = [T0]
    st = Store(world.store.engine, password_hasher=world.store.hasher, clock=lambda: now[0],
               idle_timeout=dt.timedelta(minutes=5))
    token, _ = st.login("owner@knoop.test", PASSWORD, None, "10.0.0.1")
    now[0] += dt.timedelta(minutes=6)
    assert st.user_for_token(token) is None


# ---- password policy -----------------------------------------------------------------------
@pytest.mark.parametrize("weak", ["aaaaaaaaaaaa", "1234567890", "password12", "Password1234",
                                  "welkom2026!!", "qwertyuiop12", "121212121212",
                                  "abcdefghijkl", "newuser-knoop"])
def test_short_common_and_guessable_passwords_are_refused_with_a_dutch_hint(
        world: World, weak: str) -> None:
    with pytest.raises(BadInput) as info:
        world.store.create_user(world.practice_a, "newuser@knoop.test", "therapist", weak)
    assert info.value.field == "password" and "wachtwoord" in info.value.message


def test_a_long_passphrase_is_accepted(world: World) -> None:
    world.store.create_user(world.practice_a, "new@knoop.test", "therapist",
                            "Zomer in Zeeland met de fiets")


def test_a_denied_request_is_access_logged_with_who_and_what(world: World) -> None:
    st = world.store
    start = _last_id(st)
    st.log_denied(None, method="GET", path="/clienten/7", status=404, ip="10.0.0.1")
    got = _actions(st, start)
    assert got == [("denied", "GET /clienten/7 -> 404; ip=10.0.0.1")]


def test_a_totp_secret_is_stored_encrypted_with_the_instance_key(world: World) -> None:
    now = [T0]
    st = Store(world.store.engine, password_hasher=world.store.hasher, clock=lambda: now[0],
               audit_key=world.store.audit_key)
    secret, _ = st.enable_totp(world.owner, world.owner.user_id)
    with st.engine.connect() as c:
        stored = c.scalar(select(UserRow.totp_secret).where(UserRow.id == world.owner.user_id))
    assert stored.startswith("v1:") and secret not in stored
    st.login("owner@knoop.test", PASSWORD, _code(pyotp.TOTP(secret), now[0]), "10.0.0.1")
    other = Store(st.engine, password_hasher=st.hasher, clock=lambda: now[0],
                  audit_key=b"another instance's key, 32+ bytes long")
    now[0] += dt.timedelta(seconds=30)
    with pytest.raises(AuthError, match="wrong e-mail"):
        other.login("owner@knoop.test", PASSWORD, _code(pyotp.TOTP(secret), now[0]), "10.0.0.1")


def test_a_plain_totp_secret_of_before_still_works_and_is_then_encrypted(world: World) -> None:
    from sqlalchemy import update as sql_update

    now = [T0]
    st = Store(world.store.engine, password_hasher=world.store.hasher, clock=lambda: now[0],
               audit_key=world.store.audit_key)
    secret = pyotp.random_base32()
    with st.engine.begin() as c:
        c.execute(sql_update(UserRow).where(UserRow.id == world.owner.user_id)
                  .values(totp_secret=secret))
    st.login("owner@knoop.test", PASSWORD, _code(pyotp.TOTP(secret), now[0]), "10.0.0.1")
    with st.engine.connect() as c:
        stored = c.scalar(select(UserRow.totp_secret).where(UserRow.id == world.owner.user_id))
    assert stored.startswith("v1:") and secret not in stored
