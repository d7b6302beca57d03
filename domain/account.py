"""Accounts (用户账号): who may log in, in which role, for which organisation.

An account's id derives from its login name, so the event store itself refuses
a second account with the same name, even when two requests race. Passwords
arrive here already hashed (argon2, in ``market/``): the domain never sees one
in clear and never hashes.

Operators and regulators open accounts for anyone; an agency registering on
the platform opens its own first account (自助注册).
"""

from __future__ import annotations

import re
from datetime import datetime
from enum import Enum
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import Actor, MarketAggregate, Role, derived_id, require_aware, require_text
from domain.errors import AlreadyRegistered, DomainError, InvalidInput, NotAllowed

# Lower-case login names: letters, digits and . _ - @, 3 to 64 characters.
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{2,63}$")
OPENERS = (Role.OPERATOR, Role.REGULATOR)
# Roles that act for an organisation (owner unit, agency, department) and those that do not.
ORGANISATION_ROLES = (Role.OWNER_ADMIN, Role.OWNER_DELEGATE, Role.AGENCY, Role.DEPARTMENT)
PLATFORM_ROLES = (Role.OPERATOR, Role.REGULATOR)


class UsernameTaken(AlreadyRegistered):
    code = "username_taken"
    zh = "该用户名已被使用"
    en = "This username is already taken"


class BadCredentials(DomainError):
    """Unknown user, wrong password or deactivated account: one answer for all (HTTP 401)."""

    code = "bad_credentials"
    zh = "用户名或密码错误,或账号已停用"
    en = "Wrong username or password, or the account is deactivated"


class NotAMember(InvalidInput):
    code = "not_a_member"
    zh = "该用户名不是此单位登记的管理人或经办人"
    en = "This username is not an account the owner unit registered"


class AccountStatus(Enum):
    ACTIVE = "active"
    DEACTIVATED = "deactivated"


def normalise_username(username: str | None) -> str:
    name = require_text(username, "username").lower()
    if not _USERNAME.match(name):
        raise InvalidInput(field="username", detail="3–64 characters: a-z 0-9 . _ - @")
    return name


class Account(MarketAggregate):
    Status = AccountStatus
    TRANSITIONS = {"change_password": (AccountStatus.ACTIVE,), "deactivate": (AccountStatus.ACTIVE,)}

    @staticmethod
    def create_id(username: str) -> UUID:
        return derived_id("account", normalise_username(username))

    @classmethod
    def open(
        cls, username: str, display_name: str, role: Role, organisation_id: str | None, password_hash: str, *,
        by: Actor, now: datetime,
    ) -> Account:  # fmt: skip
        name = normalise_username(username)
        self_registration = role is Role.AGENCY and by.role is Role.AGENCY and by.id == name
        if by.role not in OPENERS and not self_registration:
            raise NotAllowed(field="role", detail=by.role.value)
        if role is Role.SYSTEM:
            raise InvalidInput(field="role", detail=role.value)
        if role in ORGANISATION_ROLES and not organisation_id:
            raise InvalidInput(field="organisation_id", detail=f"required for {role.value}")
        if role in PLATFORM_ROLES and organisation_id:
            raise InvalidInput(field="organisation_id", detail=f"must be empty for {role.value}")
        return cls(
            username=name, display_name=require_text(display_name, "display_name"), role=role.value,
            organisation_id=str(organisation_id) if organisation_id else None,
            password_hash=require_text(password_hash, "password_hash"), actor=by.as_event(), at=require_aware(now),
        )  # fmt: skip

    class Opened(MarketAggregate.Created):
        username: str
        display_name: str
        role: str
        organisation_id: str | None
        password_hash: str
        actor: dict[str, Any]
        at: datetime

    @event(Opened)
    def __init__(
        self, username: str, display_name: str, role: str, organisation_id: str | None, password_hash: str,
        actor: dict[str, Any], at: datetime,
    ) -> None:  # fmt: skip
        self.username = username
        self.display_name = display_name
        self.role_code = role  # the plain value: state must round-trip through JSON
        self.organisation_id = organisation_id
        self.password_hash = password_hash
        self.status_code = AccountStatus.ACTIVE.value
        self.opened_at = at

    def change_password(self, password_hash: str, *, by: Actor, now: datetime) -> None:
        """The holder changes it, or an operator resets it."""
        self._guard("change_password")
        if by.id != self.username and by.role is not Role.OPERATOR:
            raise NotAllowed(field="username", detail="only the holder or an operator")
        self._password_changed(
            password_hash=require_text(password_hash, "password_hash"), actor=by.as_event(), at=require_aware(now)
        )

    @event("PasswordChanged")
    def _password_changed(self, password_hash: str, actor: dict[str, Any], at: datetime) -> None:
        self.password_hash = password_hash

    def deactivate(self, reason: str, *, by: Actor, now: datetime) -> None:
        """停用: the account can no longer log in; its history stays."""
        self._guard("deactivate")
        if by.role not in OPENERS:
            raise NotAllowed(field="role", detail=by.role.value)
        self._deactivated(reason=require_text(reason, "reason"), actor=by.as_event(), at=require_aware(now))

    @event("Deactivated")
    def _deactivated(self, reason: str, actor: dict[str, Any], at: datetime) -> None:
        self.status_code = AccountStatus.DEACTIVATED.value

    # --- queries ----------------------------------------------------------------

    @property
    def role(self) -> Role:
        return Role(self.role_code)

    @property
    def active(self) -> bool:
        return self.status is AccountStatus.ACTIVE

    def actor(self) -> Actor:
        """Who this account acts as: its login name, role and organisation."""
        return Actor(self.username, self.role, self.organisation_id)
