"""Practices, users, login sessions, throttling, TOTP and intake links.

Nothing lives in process memory: login sessions, failed attempts and intake tokens are rows, so
any number of app processes on any number of machines can share one database. Tokens are random
(256 bits), handed out once, and stored only as their sha256.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import secrets
from typing import TYPE_CHECKING, Any

import pyotp
from argon2.exceptions import InvalidHashError, VerificationError
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import AuthError, Conflict, Forbidden, NotFound
from knoop.store import audit, passwords, throttle
from knoop.store import validate as v
from knoop.store.base import StoreBase
from knoop.store.models import (
    ROLES,
    ClientRow,
    IntakeTokenRow,
    LoginPendingRow,
    LoginSessionRow,
    LoginThrottleRow,
    PracticeRow,
    UserRow,
)
from knoop.store.types import Actor, IntakeGrant, IntakeLink, Practice, User

SESSION_TTL = dt.timedelta(hours=12)
PENDING_TTL = dt.timedelta(minutes=5)
SEEN_EVERY = dt.timedelta(minutes=1)
MIN_PASSWORD = passwords.MIN_LENGTH
INTAKE_FIELDS = ("complaint", "symptoms", "causes", "screening", "painmap", "strokes", "drawing",
                 "intake",
                 "nrs_before")


def totp_step(secret: str, code: str, now: dt.datetime) -> int | None:
    """The time step (30 s) of ``now`` or a neighbour whose code is ``code``, or None."""
    if not (len(code) == 6 and code.isdigit()):
        return None
    ts = int(now.replace(tzinfo=dt.UTC).timestamp())
    t = pyotp.TOTP(secret)
    for off in (0, -1, 1):
        moment = ts + off * t.interval
        if hmac.compare_digest(t.at(moment), code):
            return moment // t.interval
    return None


TOTP_SEALED = "v1:"


def _totp_aead(key: bytes) -> AESGCM:
    return AESGCM(hmac.new(key, b"knoop-totp-secret-v1", hashlib.sha256).digest())


def seal_totp(key: bytes, user_id: int, secret: str) -> str:
    """A TOTP secret encrypted at rest with the instance key (AES-256-GCM, bound to the user)."""
    nonce = secrets.token_bytes(12)
    ct = _totp_aead(key).encrypt(nonce, secret.encode("ascii"), f"user:{user_id}".encode())
    return TOTP_SEALED + base64.urlsafe_b64encode(nonce + ct).decode("ascii")


def open_totp(key: bytes, user_id: int, stored: str) -> str | None:
    """The TOTP secret of a user (a plain one of before 0.3 as it is); None if it cannot be
    opened with this key."""
    if not stored.startswith(TOTP_SEALED):
        return stored
    try:
        raw = base64.urlsafe_b64decode(stored[len(TOTP_SEALED):].encode("ascii"))
        return _totp_aead(key).decrypt(raw[:12], raw[12:], f"user:{user_id}".encode()
                                       ).decode("ascii")
    except (ValueError, InvalidTag, UnicodeError):
        return None


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def practice_of(r: PracticeRow) -> Practice:
    return Practice(r.id, r.name, r.city, r.created_at)


def intake_link_of(r: IntakeTokenRow, now: dt.datetime) -> IntakeLink:
    state = ("used" if r.used_at is not None else "revoked" if r.revoked_at is not None
             else "expired" if r.expires_at <= now else "open")
    return IntakeLink(r.id, r.client_id, r.created_by, r.created_at, r.expires_at, r.used_at,
                      r.revoked_at, state)


def user_of(r: UserRow) -> User:
    return User(r.id, r.practice_id, r.email, r.name, r.role, r.active, bool(r.totp_secret),
                r.created_at)


class AccountsMixin(StoreBase):
    # ---- practices -------------------------------------------------------------------------
    def create_practice(self, name: str, city: str = "") -> Practice:
        """A new practice (tenant). Operator command: no actor."""
        name = v.text("name", name, max_len=200, required=True, multiline=False,
                       name=True)
        city = v.text("city", city, max_len=100)

        def op(s: OrmSession) -> Practice:
            row = PracticeRow(name=name, city=city, created_at=self.clock())
            s.add(row)
            s.flush()
            audit.append(s, at=self.clock(), actor=None, action="practice_create",
                         obj=f"practice:{row.id}", practice_id=row.id)
            return practice_of(row)
        return self._run(op)

    def practices(self) -> list[Practice]:
        def op(s: OrmSession) -> list[Practice]:
            return [practice_of(r) for r in s.scalars(select(PracticeRow).order_by(PracticeRow.id))]
        return self._run(op)

    def practice(self, practice_id: int) -> Practice:
        def op(s: OrmSession) -> Practice:
            r = s.get(PracticeRow, practice_id)
            if r is None:
                raise NotFound(f"practice {practice_id} not found", field="practice_id")
            return practice_of(r)
        return self._run(op)

    def find_practice(self, name: str) -> Practice | None:
        def op(s: OrmSession) -> Practice | None:
            r = s.scalars(select(PracticeRow).where(PracticeRow.name == name)
                          .order_by(PracticeRow.id)).first()
            return practice_of(r) if r else None
        return self._run(op)

    # ---- users -----------------------------------------------------------------------------
    def _check_password(self, password: str, email: str = "") -> str:
        return passwords.check(password, email)

    def create_user(self, practice_id: int, email: str, role: str, password: str, *,
                    name: str = "", actor: Actor | None = None) -> User:
        """A new user. ``actor`` (when given, e.g. from the web app) must be an admin of the
        same practice; the CLI operator passes none."""
        email = v.email("email", email)
        role = v.choice("role", role, ROLES)
        name = v.text("name", name, max_len=200, multiline=False, name=True)
        pw_hash = self.hasher.hash(self._check_password(password, email))
        if actor is not None and (not actor.is_admin or actor.practice_id != practice_id):
            raise Forbidden("only an admin of the practice can add users")

        def op(s: OrmSession) -> User:
            if s.get(PracticeRow, practice_id) is None:
                raise NotFound(f"practice {practice_id} not found", field="practice")
            if s.scalar(select(UserRow.id).where(UserRow.email == email)) is not None:
                raise Conflict(f"a user with e-mail {email} already exists", field="email")
            row = UserRow(practice_id=practice_id, email=email, name=name, role=role,
                          password_hash=pw_hash, totp_secret=None, active=True,
                          created_at=self.clock())
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise Conflict(f"a user with e-mail {email} already exists",
                               field="email") from None
            audit.append(s, at=self.clock(), actor=actor, action="user_create",
                         obj=f"user:{row.id}", detail=f"role={role}", practice_id=practice_id)
            return user_of(row)
        return self._run(op)

    def users(self, actor: Actor) -> list[User]:
        """Users of the actor's practice (admins only)."""
        self._admin(actor)

        def op(s: OrmSession) -> list[User]:
            rows = s.scalars(select(UserRow).where(UserRow.practice_id == actor.practice_id)
                             .order_by(UserRow.id))
            return [user_of(r) for r in rows]
        return self._run(op)

    def all_users(self) -> list[User]:
        """Every user of every practice (operator CLI)."""
        def op(s: OrmSession) -> list[User]:
            return [user_of(r) for r in s.scalars(select(UserRow).order_by(UserRow.id))]
        return self._run(op)

    def user_by_email(self, email: str) -> User:
        e = v.email("email", email)

        def op(s: OrmSession) -> User:
            r = s.scalar(select(UserRow).where(UserRow.email == e))
            if r is None:
                raise NotFound(f"no user with e-mail {e}", field="email")
            return user_of(r)
        return self._run(op)

    def _admin(self, actor: Actor) -> None:
        if not actor.is_admin:
            raise Forbidden("only an admin can manage users")

    def _own_user(self, s: OrmSession, actor: Actor | None, user_id: int) -> UserRow:
        r = s.get(UserRow, user_id)
        if r is None or (actor is not None and r.practice_id != actor.practice_id):
            raise NotFound(f"user {user_id} not found", field="user_id")
        if actor is not None and actor.user_id != user_id and not actor.is_admin:
            raise Forbidden("only an admin can change another user")
        return r

    def set_password(self, actor: Actor | None, user_id: int, password: str) -> None:
        pw_hash = self.hasher.hash(self._check_password(password))

        def op(s: OrmSession) -> None:
            r = self._own_user(s, actor, user_id)
            r.password_hash = pw_hash
            s.execute(delete(LoginSessionRow).where(LoginSessionRow.user_id == user_id))
            audit.append(s, at=self.clock(), actor=actor, action="user_password",
                         obj=f"user:{user_id}", practice_id=r.practice_id)
        self._run(op)

    def set_active(self, actor: Actor | None, user_id: int, active: bool) -> User:
        def op(s: OrmSession) -> User:
            r = self._own_user(s, actor, user_id)
            if actor is not None and not actor.is_admin:
                raise Forbidden("only an admin can (de)activate users")
            r.active = bool(active)
            if not active:
                s.execute(delete(LoginSessionRow).where(LoginSessionRow.user_id == user_id))
            audit.append(s, at=self.clock(), actor=actor, action="user_active",
                         obj=f"user:{user_id}", detail=f"active={bool(active)}",
                         practice_id=r.practice_id)
            return user_of(r)
        return self._run(op)

    def enable_totp(self, actor: Actor | None, user_id: int) -> tuple[str, str]:
        """Turn on the second factor; returns (secret, otpauth:// URI for the QR code)."""
        secret = pyotp.random_base32()

        def op(s: OrmSession) -> tuple[str, str]:
            r = self._own_user(s, actor, user_id)
            r.totp_secret = seal_totp(self.audit_key, r.id, secret)
            r.totp_last_step = None
            audit.append(s, at=self.clock(), actor=actor, action="user_totp",
                         obj=f"user:{user_id}", detail="enabled", practice_id=r.practice_id)
            return secret, pyotp.TOTP(secret).provisioning_uri(name=r.email, issuer_name="knoop")
        return self._run(op)

    def disable_totp(self, actor: Actor | None, user_id: int) -> None:
        def op(s: OrmSession) -> None:
            r = self._own_user(s, actor, user_id)
            r.totp_secret = None
            audit.append(s, at=self.clock(), actor=actor, action="user_totp",
                         obj=f"user:{user_id}", detail="disabled", practice_id=r.practice_id)
        self._run(op)

    # ---- login -----------------------------------------------------------------------------
    def login(self, email: str, password: str, totp: str | None = None,
              ip: str = "") -> tuple[str, User]:
        """Both login steps at once; returns (token, user). Without ``totp`` for a user who
        turned the second factor on: :class:`AuthError` on field ``totp``. See
        :meth:`login_password` and :meth:`login_code`."""
        token, user = self.login_password(email, password, ip)
        if user is not None:
            return token, user
        if not totp:
            raise AuthError("enter the 6-digit code from your authenticator app", field="totp")
        return self.login_code(token, totp, ip)

    def _throttle_keys(self, email: str, ip: str) -> list[tuple[str, int]]:
        keys = [(throttle.account_key(email), throttle.ACCOUNT_LIMIT)]
        if ip:
            keys.append((throttle.ip_key(ip), throttle.IP_LIMIT))
        return keys

    def _reserve(self, email: str, ip: str, now: dt.datetime, step: str) -> list[str]:
        """Count this attempt before checking it; refuse (and log) a locked account or IP.
        Returns the keys this attempt locks if it turns out wrong."""
        keys = self._throttle_keys(email, ip)
        locks: list[str] = []

        def op(s: OrmSession) -> dt.datetime | None:
            until, locked = throttle.reserve(s, keys, now)
            locks[:] = locked
            if until is not None:
                row = s.scalar(select(UserRow).where(UserRow.email == email))
                audit.append(s, at=now, actor=None, action="login_refused",
                             obj=f"user:{row.id}" if row else "",
                             practice_id=row.practice_id if row else None,
                             detail=f"email={email}; ip={ip}; step={step}; locked until "
                                    f"{until:%Y-%m-%d %H:%M:%S}")
            return until
        if self._run(op) is not None:
            raise AuthError("too many failed logins; wait and try again later "
                            "(te veel mislukte pogingen; probeer het later opnieuw)")
        return locks

    def _failed(self, email: str, ip: str, now: dt.datetime, row: UserRow | None,
                step: str, locks: list[str]) -> AuthError:
        """Log a wrong password or code (and the lock it caused)."""
        def op(s: OrmSession) -> None:
            obj = f"user:{row.id}" if row else ""
            practice = row.practice_id if row else None
            audit.append(s, at=now, actor=None, action="login_failed", obj=obj,
                         practice_id=practice, detail=f"email={email}; ip={ip}; step={step}")
            for key in locks:
                lock = s.get(LoginThrottleRow, key)
                if lock is not None and lock.locked_until is not None:
                    audit.append(s, at=now, actor=None, action="lockout",
                                 detail=f"{lock.key}; failures={lock.failures}; until "
                                        f"{lock.locked_until:%Y-%m-%d %H:%M:%S}",
                                 obj=obj, practice_id=practice)
        self._run(op)
        return AuthError("wrong e-mail, password or code (onjuiste gegevens)")

    def login_password(self, email: str, password: str, ip: str = "") -> tuple[str, User | None]:
        """The password step. Returns (session token, user) when no second factor is needed,
        else (pending-login token, None): the token for :meth:`login_code`, stored only as its
        sha256 for 5 minutes (the password is never kept).

        Every attempt counts against the account (5) and the IP address (10) before the password
        is checked (:mod:`knoop.store.throttle`): a locked account or address gets "too many"
        whatever the password. Failed, refused and successful logins are access-logged."""
        email = (email or "").strip().lower()[:254]
        ip = (ip or "")[:64]
        now = self.clock()
        locks = self._reserve(email, ip, now, "password")
        row = self._run(lambda s: s.scalar(select(UserRow).where(UserRow.email == email)))
        ok = False
        if row is not None and row.active:
            try:
                ok = self.hasher.verify(row.password_hash, password or "")
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            # same work for unknown users: no timing oracle
            with contextlib.suppress(VerificationError, InvalidHashError):
                self.hasher.verify(self._dummy_hash(), password or "")
        if not ok or row is None:
            raise self._failed(email, ip, now, row, "password", locks)
        keys = self._throttle_keys(email, ip)
        if row.totp_secret:
            pending = secrets.token_urlsafe(32)

            def wait_for_code(s: OrmSession) -> None:
                throttle.release(s, keys)  # the code step counts on the same account
                s.execute(delete(LoginPendingRow).where(LoginPendingRow.expires_at < now))
                s.add(LoginPendingRow(token_hash=token_hash(pending), user_id=row.id, ip=ip,
                                      created_at=now, expires_at=now + PENDING_TTL))
                if self.hasher.check_needs_rehash(row.password_hash):
                    urow = s.get(UserRow, row.id)
                    if urow is not None:
                        urow.password_hash = self.hasher.hash(password)
            self._run(wait_for_code)
            return pending, None
        rehash = self.hasher.hash(password) if self.hasher.check_needs_rehash(
            row.password_hash) else None
        return self._start_session(row.id, email, ip, now, rehash=rehash)

    def login_code(self, pending: str, code: str, ip: str = "") -> tuple[str, User]:
        """The second step: the 6-digit code for a pending login. Counts against the same
        account limit as the password; each code (time step) is accepted once."""
        ip = (ip or "")[:64]
        now = self.clock()

        def find(s: OrmSession) -> UserRow | None:
            p = s.get(LoginPendingRow, token_hash(pending or ""))
            if p is None or p.expires_at <= now:
                return None
            return s.get(UserRow, p.user_id)
        row = self._run(find)
        if row is None or not row.active or not row.totp_secret:
            raise AuthError("the login step took too long; start again (opnieuw inloggen)",
                            field="pending")
        email = row.email
        locks = self._reserve(email, ip, now, "code")
        stored = row.totp_secret
        secret = open_totp(self.audit_key, row.id, stored)
        step = totp_step(secret, str(code or "").strip(), now) if secret else None

        def use(s: OrmSession) -> bool:
            if step is None:
                return False
            taken = s.execute(update(UserRow).where(
                UserRow.id == row.id,
                or_(UserRow.totp_last_step.is_(None), UserRow.totp_last_step < step))
                .values(totp_last_step=step))
            if getattr(taken, "rowcount", 0) != 1:
                return False  # this code (or a later one) was already used
            if secret and not stored.startswith(TOTP_SEALED):  # plain, of before 0.3
                s.execute(update(UserRow).where(UserRow.id == row.id)
                          .values(totp_secret=seal_totp(self.audit_key, row.id, secret)))
            s.execute(delete(LoginPendingRow).where(
                LoginPendingRow.token_hash == token_hash(pending)))
            return True
        if not self._run(use):
            raise self._failed(email, ip, now, row, "code", locks)
        return self._start_session(row.id, email, ip, now)

    def _start_session(self, user_id: int, email: str, ip: str, now: dt.datetime, *,
                       rehash: str | None = None) -> tuple[str, User]:
        token = secrets.token_urlsafe(32)
        keys = self._throttle_keys(email, ip)

        def succeed(s: OrmSession) -> User:
            throttle.reset(s, keys[0][0])
            throttle.release(s, keys[1:])
            s.execute(delete(LoginSessionRow).where(LoginSessionRow.expires_at < now))
            s.execute(delete(LoginThrottleRow).where(  # long-quiet counters: forgotten anyway
                LoginThrottleRow.last_at < now - throttle.FORGET_AFTER,
                or_(LoginThrottleRow.locked_until.is_(None),
                    LoginThrottleRow.locked_until < now)))
            s.add(LoginSessionRow(token_hash=token_hash(token), user_id=user_id, ip=ip,
                                  created_at=now, expires_at=now + SESSION_TTL, last_seen=now))
            urow = s.get(UserRow, user_id)
            assert urow is not None  # found by the login check
            u = user_of(urow)
            audit.append(s, at=now, actor=u.actor, action="login", obj=f"user:{u.id}",
                         detail=f"ip={ip}")
            if rehash is not None:
                urow.password_hash = rehash
            return u
        return token, self._run(succeed)

    _dummy: str | None = None

    def _dummy_hash(self) -> str:
        if self._dummy is None:
            self._dummy = self.hasher.hash(secrets.token_hex(16))
        return self._dummy

    def user_for_token(self, token: str) -> User | None:
        """The user of a live login session, or None (unknown, expired, idle for longer than
        the idle timeout, logged out, inactive). Marks the session as used."""
        if not token:
            return None
        now = self.clock()

        def op(s: OrmSession) -> User | None:
            found = s.execute(select(UserRow, LoginSessionRow).join(
                LoginSessionRow, LoginSessionRow.user_id == UserRow.id)
                .where(LoginSessionRow.token_hash == token_hash(token),
                       LoginSessionRow.expires_at > now,
                       UserRow.active.is_(True))).one_or_none()
            if found is None:
                return None
            user, sess = found
            seen = sess.last_seen or sess.created_at
            if seen <= now - self.idle_timeout:
                return None
            if now - seen >= SEEN_EVERY:
                sess.last_seen = now
            return user_of(user)
        return self._run(op)

    def logout(self, token: str) -> None:
        now = self.clock()

        def op(s: OrmSession) -> None:
            found = s.execute(select(UserRow).join(LoginSessionRow,
                                                   LoginSessionRow.user_id == UserRow.id)
                              .where(LoginSessionRow.token_hash == token_hash(token or ""))
                              ).scalar_one_or_none()
            s.execute(delete(LoginSessionRow).where(LoginSessionRow.token_hash ==
                                                    token_hash(token or "")))
            if found is not None:
                u = user_of(found)
                audit.append(s, at=now, actor=u.actor, action="logout", obj=f"user:{u.id}")
        self._run(op)

    def log_denied(self, user: User | None, *, method: str, path: str, status: int,
                   ip: str = "", reason: str = "") -> None:
        """Access-log a refused request (403, or a 404 for another practice's record, or a
        missing login) by the web app or the API: who tried what."""
        now = self.clock()
        detail = f"{method} {path[:150]} -> {status}; ip={ip[:64]}" + (
            f"; {reason[:80]}" if reason else "")

        def op(s: OrmSession) -> None:
            audit.append(s, at=now, actor=user.actor if user else None, action="denied",
                         obj=path[:100], detail=detail)
        self._run(op)

    # ---- intake links ----------------------------------------------------------------------
    def create_intake_token(self, actor: Actor, client_id: int,
                            ttl: dt.timedelta = dt.timedelta(days=3)) -> str:
        """A one-time link token for the client to fill in the intake at home."""
        if ttl <= dt.timedelta(0) or ttl > dt.timedelta(days=30):
            raise v.BadInput("ttl: between 1 second and 30 days", field="ttl")
        token = secrets.token_urlsafe(32)
        now = self.clock()

        def op(s: OrmSession) -> str:
            c = self._client_row(s, actor, client_id)
            s.add(IntakeTokenRow(token_hash=token_hash(token), practice_id=actor.practice_id,
                                 client_id=c.id, created_by=actor.user_id, created_at=now,
                                 expires_at=now + ttl))
            audit.append(s, at=now, actor=actor, action="intake_link", client_id=c.id,
                         obj=f"client:{c.id}", detail=f"expires={(now + ttl).isoformat()}")
            return token
        return self._run(op)

    if TYPE_CHECKING:  # provided by ClientsMixin and SessionsMixin in the Store
        def _client_row(self, s: OrmSession, actor: Actor, client_id: int,
                        lock: bool = False) -> ClientRow: ...

        def _new_session(self, s: OrmSession, actor: Actor, client_id: int,
                         **kw: Any) -> Any: ...

    def intake_links(self, actor: Actor, client_id: int) -> list[IntakeLink]:
        """The client's intake links, newest first, with their state (open, used, expired,
        revoked). Never the token nor its hash: a link is named by its ``id``."""
        now = self.clock()

        def op(s: OrmSession) -> list[IntakeLink]:
            c = self._client_row(s, actor, client_id)
            rows = s.scalars(select(IntakeTokenRow).where(IntakeTokenRow.client_id == c.id)
                             .order_by(IntakeTokenRow.created_at.desc(),
                                       IntakeTokenRow.id.desc())).all()
            audit.append(s, at=now, actor=actor, action="read", client_id=c.id,
                         obj=f"client:{c.id}/intake_links")
            return [intake_link_of(r, now) for r in rows]
        return self._run(op)

    def revoke_intake_token(self, actor: Actor, link_id: int) -> IntakeLink:
        """Make an intake link unusable before it expires (sent to the wrong address, no
        longer needed). A used link cannot be revoked (Conflict); revoking twice is harmless.
        A link of another practice is the same NotFound as one that does not exist."""
        now = self.clock()

        def op(s: OrmSession) -> IntakeLink:
            if isinstance(link_id, bool) or not isinstance(link_id, int):
                raise NotFound(f"intake link {link_id} not found", field="link_id")
            r = s.scalar(select(IntakeTokenRow).where(
                IntakeTokenRow.id == link_id, IntakeTokenRow.practice_id == actor.practice_id)
                .with_for_update())
            if r is None:
                raise NotFound(f"intake link {link_id} not found", field="link_id")
            self._client_row(s, actor, r.client_id)
            if r.used_at is not None:
                raise Conflict(f"intake link {link_id} was already used", field="link_id")
            if r.revoked_at is None:
                r.revoked_at = now
                audit.append(s, at=now, actor=actor, action="intake_link_revoke",
                             client_id=r.client_id, obj=f"intake_link:{r.id}")
            return intake_link_of(r, now)
        return self._run(op)

    def check_intake_token(self, token: str) -> IntakeGrant:
        """What the token allows, without using it up (to show the form)."""
        now = self.clock()

        def op(s: OrmSession) -> IntakeGrant:
            r = self._intake_row(s, token, now)
            return IntakeGrant(r.practice_id, r.client_id, r.created_by, r.expires_at)
        return self._run(op)

    def _intake_row(self, s: OrmSession, token: str, now: dt.datetime,
                    lock: bool = False) -> IntakeTokenRow:
        q = select(IntakeTokenRow).where(IntakeTokenRow.token_hash == token_hash(token or ""))
        if lock:
            q = q.with_for_update()
        r = s.scalar(q)
        if r is None or r.used_at is not None or r.revoked_at is not None or r.expires_at <= now:
            raise AuthError("this intake link is unknown, used, revoked or expired; ask the "
                            "practice for a new one (deze link is niet meer geldig)")
        return r

    def use_intake_token(self, token: str, intake: dict | None = None) -> IntakeGrant:
        """Use the token once. With ``intake`` (the keyword arguments of
        :meth:`create_session`: complaint, symptoms, causes, screening, painmap, strokes,
        intake, nrs_before) a draft session is stored in the same transaction."""
        now = self.clock()

        def op(s: OrmSession) -> IntakeGrant:
            r = self._intake_row(s, token, now, lock=True)
            r.used_at = now
            actor = Actor(None, r.practice_id, "client",
                          on_behalf_of=f"client {r.client_id} (intake link of user "
                                       f"{r.created_by})")
            sid = None
            if intake is not None:
                unknown = set(intake) - set(INTAKE_FIELDS)
                if unknown:
                    f = min(unknown)
                    raise v.BadInput(f"{f}: not an intake field", field=f,
                                     allowed=INTAKE_FIELDS)
                sid = self._new_session(s, actor, r.client_id, status="draft",
                                        **intake).id
            else:
                audit.append(s, at=now, actor=actor, action="intake_link_used",
                             client_id=r.client_id, obj=f"client:{r.client_id}")
            return IntakeGrant(r.practice_id, r.client_id, r.created_by, r.expires_at, sid)
        return self._run(op)
