"""Practices (tenants): their details (name, address, AGB code, registration numbers, contact,
logo), editing them (admins of the practice only, versioned), and the first start of a fresh
installation, which creates the first practice and its admin in one transaction.

The first start is reachable only while the installation has no user. Its transaction inserts
the single ``installation`` row (primary key 1), so of two racing first starts one is refused
(:class:`knoop.errors.Conflict`), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session as OrmSession

from knoop.errors import BadInput, Conflict, Forbidden, NotFound
from knoop.store import audit, passwords
from knoop.store import validate as v
from knoop.store.base import StoreBase
from knoop.store.models import InstallationRow, PracticeRow, UserRow
from knoop.store.types import Actor, Practice, User

#: The practice details an admin may change (besides the logo).
PRACTICE_FIELDS = ("name", "address", "postcode", "city", "agb_code", "registration", "phone",
                   "email", "website")
#: A logo: PNG or JPEG, recognised by its first bytes, at most this many bytes.
LOGO_MAX_BYTES = 512 * 1024
LOGO_TYPES = {"image/png": b"\x89PNG\r\n\x1a\n", "image/jpeg": b"\xff\xd8\xff"}
AGB = re.compile(r"^\d{8}$")
POSTCODE = re.compile(r"^\d{4} ?[A-Za-z]{2}$")
WEBSITE = re.compile(r"^(https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$")
PHONE = re.compile(r"^\+?[0-9 ()-]{6,20}$")


def practice_of(r: PracticeRow) -> Practice:
    return Practice(r.id, r.name, r.city, r.created_at, r.address or "", r.postcode or "",
                    r.agb_code or "", r.registration or "", r.phone or "", r.email or "",
                    r.website or "", r.logo_type, r.version or 1)


def practice_values(data: dict[str, Any]) -> dict[str, Any]:
    """Check practice details; each error names the field and what is allowed."""
    unknown = set(data) - set(PRACTICE_FIELDS)
    if unknown:
        f = min(unknown)
        raise BadInput(f"{f}: unknown practice field", field=f, allowed=PRACTICE_FIELDS)
    out: dict[str, Any] = {}
    for f, val in data.items():
        if f == "name":
            out[f] = v.text(f, val, max_len=200, required=True, multiline=False, name=True)
        elif f == "address":
            out[f] = v.text(f, val, max_len=300, multiline=False)
        elif f == "city":
            out[f] = v.text(f, val, max_len=100, multiline=False, name=True)
        elif f == "postcode":
            pc = v.text(f, val, max_len=10, multiline=False)
            if pc and not POSTCODE.match(pc):
                raise BadInput(f"{f}: a Dutch postcode is four digits and two letters "
                               "(1234 AB)", field=f, kind="postcode")
            out[f] = f"{pc[:4]} {pc[-2:].upper()}" if pc else ""
        elif f == "agb_code":
            agb = v.text(f, val, max_len=20, multiline=False).replace(" ", "")
            if agb and not AGB.match(agb):
                raise BadInput(f"{f}: an AGB code is 8 digits", field=f, kind="agb_code")
            out[f] = agb
        elif f == "registration":
            out[f] = v.text(f, val, max_len=200, multiline=False)
        elif f == "phone":
            ph = v.text(f, val, max_len=40, multiline=False)
            if ph and not PHONE.match(ph):
                raise BadInput(f"{f}: digits, spaces, +, ( ) and - only", field=f,
                               kind="phone")
            out[f] = ph
        elif f == "email":
            out[f] = v.email(f, val, required=False)
        elif f == "website":
            site = v.text(f, val, max_len=200, multiline=False)
            if site and not WEBSITE.match(site):
                raise BadInput(f"{f}: a web address such as www.praktijk.nl", field=f,
                               kind="website")
            out[f] = site
    return out


def logo_type(data: bytes) -> str:
    """The media type of a logo, from its content; refuses anything else or too large."""
    if not data:
        raise BadInput("logo: choose a PNG or JPEG file", field="logo", kind="logo_type")
    if len(data) > LOGO_MAX_BYTES:
        raise BadInput(f"logo: at most {LOGO_MAX_BYTES // 1024} kB", field="logo",
                       kind="logo_size", limit=LOGO_MAX_BYTES // 1024)
    for media, magic in LOGO_TYPES.items():
        if data.startswith(magic):
            return media
    raise BadInput("logo: only PNG or JPEG images", field="logo", kind="logo_type",
                   allowed=list(LOGO_TYPES))


class PracticesMixin(StoreBase):
    def create_practice(self, name: str, city: str = "", **details: Any) -> Practice:
        """A new practice (tenant). Operator command or first start: no actor."""
        vals = practice_values({"name": name, "city": city, **details})

        def op(s: OrmSession) -> Practice:
            row = PracticeRow(**vals, created_at=self.clock())
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

    def _own_practice(self, s: OrmSession, actor: Actor) -> PracticeRow:
        if not actor.is_admin:
            raise Forbidden("only an admin can change the practice")
        r = s.get(PracticeRow, actor.practice_id, with_for_update=True)
        if r is None:
            raise NotFound(f"practice {actor.practice_id} not found", field="practice_id")
        return r

    def update_practice(self, actor: Actor, *, expected_version: int | None = None,
                        **details: Any) -> Practice:
        """Change the actor's own practice (admins only). With ``expected_version`` a change
        based on an older version is refused (:class:`knoop.errors.StaleVersion`)."""
        vals = practice_values(details)

        def op(s: OrmSession) -> Practice:
            r = self._own_practice(s, actor)
            if expected_version is not None and expected_version != (r.version or 1):
                from knoop.errors import StaleVersion

                raise StaleVersion("practice: changed by someone else in the meantime",
                                   current=r.version or 1, field="version")
            for k, val in vals.items():
                setattr(r, k, val)
            r.version = (r.version or 1) + 1
            audit.append(s, at=self.clock(), actor=actor, action="practice_update",
                         obj=f"practice:{r.id}", detail="fields=" + ",".join(sorted(vals)),
                         practice_id=r.id)
            return practice_of(r)
        return self._run(op)

    def set_logo(self, actor: Actor, data: bytes | None) -> Practice:
        """Store the practice's logo (PNG or JPEG, at most 512 kB); ``None`` removes it."""
        media = logo_type(data) if data is not None else None

        def op(s: OrmSession) -> Practice:
            r = self._own_practice(s, actor)
            r.logo, r.logo_type = data, media
            r.version = (r.version or 1) + 1
            audit.append(s, at=self.clock(), actor=actor, action="practice_update",
                         obj=f"practice:{r.id}", detail=f"logo={media or 'removed'}",
                         practice_id=r.id)
            return practice_of(r)
        return self._run(op)

    def practice_logo(self, practice_id: int) -> tuple[bytes, str] | None:
        """The logo's bytes and media type, or None."""
        def op(s: OrmSession) -> tuple[bytes, str] | None:
            r = s.execute(select(PracticeRow.logo, PracticeRow.logo_type)
                          .where(PracticeRow.id == practice_id)).one_or_none()
            if r is None or r.logo is None or r.logo_type is None:
                return None
            return bytes(r.logo), str(r.logo_type)
        return self._run(op)

    # ---- the first start -------------------------------------------------------------------
    def needs_setup(self) -> bool:
        """Whether this installation is fresh: no user, never set up."""
        def op(s: OrmSession) -> bool:
            return not s.scalar(select(func.count()).select_from(UserRow)) and \
                s.get(InstallationRow, 1) is None
        return self._run(op)

    def first_start(self, *, practice: dict[str, Any], email: str, password: str,
                    name: str = "") -> User:
        """The first practice and its admin, in one transaction, only while no user exists.
        A second (or racing) call is refused with :class:`knoop.errors.Conflict`."""
        from knoop.store.users import user_of

        vals = practice_values(practice)
        if "name" not in vals:
            raise BadInput("name: is required", field="name", kind="required")
        email = v.email("email", email)
        name = v.text("admin_name", name, max_len=200, multiline=False, name=True)
        pw_hash = self.hasher.hash(passwords.check(password, email))

        def op(s: OrmSession) -> User:
            if s.scalar(select(func.count()).select_from(UserRow)):
                raise Conflict("this installation has been set up already", field="setup")
            now = self.clock()
            s.add(InstallationRow(id=1, set_up_at=now))
            try:
                s.flush()
            except IntegrityError:
                raise Conflict("this installation has been set up already",
                               field="setup") from None
            p = PracticeRow(**vals, created_at=now)
            s.add(p)
            s.flush()
            u = UserRow(practice_id=p.id, email=email, name=name, role="admin",
                        password_hash=pw_hash, totp_secret=None, active=True, created_at=now)
            s.add(u)
            s.flush()
            audit.append(s, at=now, actor=None, action="practice_create",
                         obj=f"practice:{p.id}", detail="first start", practice_id=p.id)
            audit.append(s, at=now, actor=None, action="user_create", obj=f"user:{u.id}",
                         detail="role=admin; first start", practice_id=p.id)
            return user_of(u)
        return self._run(op)
