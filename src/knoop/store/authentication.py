"""Logging in and staying logged in: the password step and the code step (a server-side
pending login in between), throttling per account and per address, login sessions with an
idle timeout, logout, and the access-log entries for all of it.

Nothing lives in process memory: login sessions, failed attempts and pending logins are rows,
so any number of app processes can share one database. Tokens are random (256 bits), handed
out once, and stored only as their sha256."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets

from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import AuthError
from knoop.store import audit, throttle
from knoop.store.models import (
    LoginPendingRow,
    LoginSessionRow,
    LoginThrottleRow,
    UserRow,
)
from knoop.store.totp import TOTP_SEALED, open_totp, seal_totp, totp_step
from knoop.store.types import User
from knoop.store.users import UsersMixin, user_of

SESSION_TTL = dt.timedelta(hours=12)
PENDING_TTL = dt.timedelta(minutes=5)
SEEN_EVERY = dt.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class AuthenticationMixin(UsersMixin):
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
