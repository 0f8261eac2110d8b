"""The users of a practice: invited by an admin with an initial password (the password
policy), roles changed, passwords, switching TOTP on and off, deactivation (never deletion; a
deactivated user cannot log in). A practice always keeps one active admin."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import Conflict, Forbidden, NotFound
from knoop.store import audit, passwords
from knoop.store import validate as v
from knoop.store.models import (
    ROLES,
    LoginSessionRow,
    PracticeRow,
    UserRow,
)
from knoop.store.practices import PracticesMixin
from knoop.store.totp import seal_totp
from knoop.store.types import Actor, User

MIN_PASSWORD = passwords.MIN_LENGTH


def user_of(r: UserRow) -> User:
    return User(r.id, r.practice_id, r.email, r.name, r.role, r.active, bool(r.totp_secret),
                r.created_at)


class UsersMixin(PracticesMixin):
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
                raise Conflict(f"a user with e-mail {email} already exists", field="email",
                               kind="exists")
            row = UserRow(practice_id=practice_id, email=email, name=name, role=role,
                          password_hash=pw_hash, totp_secret=None, active=True,
                          created_at=self.clock())
            s.add(row)
            try:
                s.flush()
            except IntegrityError:
                raise Conflict(f"a user with e-mail {email} already exists",
                               field="email", kind="exists") from None
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
            if not active:
                self._keep_an_admin(s, r, field="active")
            r.active = bool(active)
            if not active:
                s.execute(delete(LoginSessionRow).where(LoginSessionRow.user_id == user_id))
            audit.append(s, at=self.clock(), actor=actor, action="user_active",
                         obj=f"user:{user_id}", detail=f"active={bool(active)}",
                         practice_id=r.practice_id)
            return user_of(r)
        return self._run(op)

    def set_role(self, actor: Actor | None, user_id: int, role: str) -> User:
        """Change a user's role (admins only); the last active admin stays an admin."""
        role = v.choice("role", role, ROLES)

        def op(s: OrmSession) -> User:
            r = self._own_user(s, actor, user_id)
            if actor is not None and not actor.is_admin:
                raise Forbidden("only an admin can change roles")
            if role != "admin":
                self._keep_an_admin(s, r, field="role")
            old, r.role = r.role, role
            audit.append(s, at=self.clock(), actor=actor, action="user_role",
                         obj=f"user:{user_id}", detail=f"role={old}->{role}",
                         practice_id=r.practice_id)
            return user_of(r)
        return self._run(op)

    def _keep_an_admin(self, s: OrmSession, r: UserRow, *, field: str) -> None:
        """Refuse to take away the practice's last active admin (under a lock on the
        practice, so two admins demoting each other at once cannot both succeed); `field` is
        the one the refused change was made in (``role`` or ``active``)."""
        if r.role != "admin" or not r.active:
            return
        s.get(PracticeRow, r.practice_id, with_for_update=True)
        others = s.scalar(select(func.count()).select_from(UserRow).where(
            UserRow.practice_id == r.practice_id, UserRow.role == "admin",
            UserRow.active.is_(True), UserRow.id != r.id))
        if not others:
            raise Conflict("the practice needs at least one active admin", field=field,
                           kind="last_admin")

    def enable_totp(self, actor: Actor | None, user_id: int) -> tuple[str, str]:
        """Turn on the second factor; returns (secret, otpauth:// URI for the QR code)."""
        import pyotp  # loaded when someone sets up a second step

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
