"""Account commands: open, change password, deactivate, and log in (authenticate).

Passwords are hashed here with argon2id (pwdlib's Argon2Hasher, the OWASP
recommendation), outside the aggregate's decision and once per request, never
per retry. Neither a clear password nor its hash goes into a command's
idempotency fingerprint or result: a receipt must not become a password oracle.
"""

from __future__ import annotations

from functools import cache
from typing import Any
from uuid import UUID

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from domain.account import Account, BadCredentials, NotAMember, UsernameTaken, normalise_username
from domain.agency import Agency
from domain.base import Actor, Role
from domain.department import Department
from domain.errors import AlreadyRegistered, InvalidInput, NotAllowed, NotFound
from domain.owner import Owner

MIN_PASSWORD, MAX_PASSWORD = 8, 128


@cache
def password_hasher() -> PasswordHash:
    return PasswordHash((Argon2Hasher(),))


@cache
def _decoy_hash() -> str:
    # Verified against when the user is unknown, so that a wrong name costs as long as a wrong password.
    return password_hasher().hash("decoy-password-for-timing")


def hash_password(password: str, field: str = "password") -> str:
    if not isinstance(password, str) or not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(field=field, detail=f"{MIN_PASSWORD}–{MAX_PASSWORD} characters")
    return password_hasher().hash(password)


class AccountCommands:
    def _check_organisation(self, username: str, role: Role, organisation_id: str | None) -> None:
        """The organisation exists; an owner's accounts are the ones the owner unit registered."""
        if organisation_id is None or role not in (Role.OWNER_ADMIN, Role.OWNER_DELEGATE, Role.AGENCY, Role.DEPARTMENT):
            return
        kind = {Role.AGENCY: Agency, Role.DEPARTMENT: Department}.get(role, Owner)
        try:
            organisation = self.load(organisation_id, kind)
        except NotFound:
            raise NotFound(field="organisation_id", detail=organisation_id) from None
        if role is Role.OWNER_ADMIN and organisation.admin["account"].lower() != username:
            raise NotAMember(field="username", detail=username)
        if role is Role.OWNER_DELEGATE and username not in {d["account"].lower() for d in organisation.delegates}:
            raise NotAMember(field="username", detail=username)

    def open_account(
        self, username: str, display_name: str, role: Role, organisation_id: str | None, password: str, *,
        by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """开通账号: an operator or regulator opens an account in a role."""
        name = normalise_username(username)
        password_hash = hash_password(password)
        org = str(organisation_id) if organisation_id else None

        def decide():
            account = Account.open(name, display_name, role, org, password_hash, by=by, now=self.clock.now())
            if self.exists(account.id):
                raise UsernameTaken(field="username", detail=name)
            self._check_organisation(name, role, org)
            return [account], _account_view(account)

        return self._execute("open_account", [name, display_name, role.value, org, by], decide, idempotency_key)

    def register_agency_account(
        self, uscc: str, profile: dict[str, Any], username: str, display_name: str, password: str, *,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """中介机构自助注册: the registration and its first account, in one transaction."""
        name = normalise_username(username)
        password_hash = hash_password(password)
        clean = self._with_digests(profile)
        applicant = Actor(name, Role.AGENCY)

        def decide():
            now = self.clock.now()
            agency = Agency.register(uscc, clean, by=applicant, now=now)
            if self.exists(agency.id):
                raise AlreadyRegistered(field="uscc", detail=agency.uscc)
            account = Account.open(name, display_name, Role.AGENCY, str(agency.id), password_hash, by=applicant,
                                   now=now)  # fmt: skip
            if self.exists(account.id):
                raise UsernameTaken(field="username", detail=name)
            view = {"agency_id": str(agency.id), "agency_status": agency.status_code, **_account_view(account)}
            return [agency, account], view

        payload = [uscc, clean, name, display_name]
        return self._execute("register_agency_account", payload, decide, idempotency_key)

    def change_password(
        self, username: str, new_password: str, *, current_password: str | None = None, by: Actor,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """修改密码: the holder (with the current password) or an operator (a reset)."""
        name = normalise_username(username)
        if by.id != name and by.role is not Role.OPERATOR:
            raise NotAllowed(field="username", detail="only the holder or an operator")
        if by.id == name:
            try:
                self.authenticate(name, current_password or "")
            except BadCredentials:
                raise InvalidInput(field="current_password", detail="does not match") from None
        password_hash = hash_password(new_password, "new_password")

        def decide():
            account = self.load(Account.create_id(name), Account)
            account.change_password(password_hash, by=by, now=self.clock.now())
            return [account], _account_view(account)

        return self._execute("change_password", [name, by], decide, idempotency_key)

    def deactivate_account(
        self, username: str, reason: str, *, by: Actor, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        """停用账号."""
        name = normalise_username(username)

        def decide():
            account = self.load(Account.create_id(name), Account)
            account.deactivate(reason, by=by, now=self.clock.now())
            return [account], _account_view(account)

        return self._execute("deactivate_account", [name, reason, by], decide, idempotency_key)

    def authenticate(self, username: str, password: str) -> Actor:
        """登录: the actor of an active account whose password matches, else ``BadCredentials``."""
        try:
            account = self.load(Account.create_id(username), Account)
        except (NotFound, InvalidInput):
            password_hasher().verify(str(password), _decoy_hash())
            raise BadCredentials() from None
        if not password_hasher().verify(str(password), account.password_hash) or not account.active:
            raise BadCredentials()
        return account.actor()

    def account_actor(self, username: str) -> Actor:
        """The actor of an active account (a bearer token names it), else ``BadCredentials``."""
        try:
            account = self.load(Account.create_id(username), Account)
        except (NotFound, InvalidInput):
            raise BadCredentials() from None
        if not account.active:
            raise BadCredentials()
        return account.actor()

    def account(self, account_id: UUID | str) -> Account:
        return self.load(account_id, Account)


def _account_view(account: Account) -> dict[str, Any]:
    return {
        "account_id": str(account.id), "username": account.username, "display_name": account.display_name,
        "role": account.role_code, "organisation_id": account.organisation_id, "status": account.status_code,
    }  # fmt: skip
