"""Accounts (domain/account.py, market/commands/accounts.py): opened by operators and regulators or
by a registering agency, unique by login name, passwords hashed with argon2id, never stored clear."""

from __future__ import annotations

import json

import pytest

from domain.account import Account, BadCredentials, NotAMember, UsernameTaken
from domain.base import Actor, Role
from domain.errors import InvalidInput, NotAllowed, NotFound
from market.commands.accounts import password_hasher as production_hasher
from tests.builders import OPERATOR, REGULATOR, T0
from tests.domain.test_snapshots import assert_round_trips

PASSWORD = "a-long-passphrase"


def _stored(market) -> str:
    """Every stored event, as text."""
    return "\n".join(str(vars(market.mapper.to_domain_event(n)))
                     for n in market.recorder.select_notifications(start=None, limit=10_000))  # fmt: skip


def test_open_account_by_an_operator_normalises_the_name_and_stores_only_a_hash(market):
    opened = market.open_account("Reg-Zhao", "赵监管", Role.REGULATOR, None, PASSWORD, by=OPERATOR)
    assert opened["username"] == "reg-zhao" and opened["status"] == "active"
    assert market.authenticate("REG-zhao", PASSWORD) == Actor("reg-zhao", Role.REGULATOR, None)
    assert PASSWORD not in _stored(market)
    assert market.account(Account.create_id("reg-zhao")).password_hash.startswith("$argon2id$")


def test_a_second_account_with_the_same_name_is_refused(market):
    market.open_account("reg-zhao", "赵监管", Role.REGULATOR, None, PASSWORD, by=OPERATOR)
    with pytest.raises(UsernameTaken):
        market.open_account("REG-ZHAO", "另一人", Role.OPERATOR, None, PASSWORD, by=REGULATOR)


def test_only_operators_and_regulators_open_accounts_and_a_refusal_records_nothing(market, world):
    before = market.recorder.max_notification_id()
    with pytest.raises(NotAllowed):
        market.open_account("someone", "某人", Role.OPERATOR, None, PASSWORD, by=world.owner)
    assert market.recorder.max_notification_id() == before


def test_owner_accounts_are_the_ones_the_owner_unit_registered(market, world):
    market.open_account("owner-admin", "张管理", Role.OWNER_ADMIN, world.owner_id, PASSWORD, by=OPERATOR)
    with pytest.raises(NotAMember):
        market.open_account("stranger", "陌生人", Role.OWNER_DELEGATE, world.owner_id, PASSWORD, by=OPERATOR)
    with pytest.raises(NotFound):
        market.open_account("ghost", "无", Role.AGENCY, world.owner_id, PASSWORD, by=OPERATOR)  # not an agency
    with pytest.raises(InvalidInput):
        market.open_account("op-2", "运营", Role.OPERATOR, world.owner_id, PASSWORD, by=OPERATOR)
    with pytest.raises(InvalidInput):
        market.open_account("short-pw", "短", Role.OPERATOR, None, "short", by=OPERATOR)


def test_wrong_password_unknown_user_and_deactivated_account_all_fail_alike(market):
    market.open_account("op-2", "运营", Role.OPERATOR, None, PASSWORD, by=OPERATOR)
    for username, password in (("op-2", "wrong-password"), ("nobody", PASSWORD), ("bad name!", PASSWORD)):
        with pytest.raises(BadCredentials):
            market.authenticate(username, password)
    market.deactivate_account("op-2", "离职", by=REGULATOR)
    with pytest.raises(BadCredentials):
        market.authenticate("op-2", PASSWORD)
    with pytest.raises(BadCredentials):
        market.account_actor("op-2")


def test_a_repeated_open_with_the_same_key_returns_the_first_result(market):
    first = market.open_account("op-2", "运营", Role.OPERATOR, None, PASSWORD, by=OPERATOR, idempotency_key="k1")
    recorded = market.recorder.max_notification_id()
    again = market.open_account("op-2", "运营", Role.OPERATOR, None, PASSWORD, by=OPERATOR, idempotency_key="k1")
    assert again == first and market.recorder.max_notification_id() == recorded


def test_the_holder_changes_the_password_an_operator_resets_it(market):
    market.open_account("reg-2", "监管", Role.REGULATOR, None, PASSWORD, by=OPERATOR)
    holder = Actor("reg-2", Role.REGULATOR)
    with pytest.raises(InvalidInput):
        market.change_password("reg-2", "new-passphrase", current_password="wrong", by=holder)
    market.change_password("reg-2", "new-passphrase", current_password=PASSWORD, by=holder)
    market.change_password("reg-2", "reset-passphrase", by=OPERATOR)
    assert market.authenticate("reg-2", "reset-passphrase").role is Role.REGULATOR
    with pytest.raises(NotAllowed):
        market.change_password("reg-2", "hijacked-pass", current_password="reset-passphrase", by=REGULATOR)


def test_an_agency_registering_opens_its_own_first_account_in_the_same_transaction(market):
    from tests.builders import agency_profile, uscc

    result = market.register_agency_account(uscc(30), agency_profile(30), "agency-30", "王", PASSWORD)
    actor = market.authenticate("agency-30", PASSWORD)
    assert actor == Actor("agency-30", Role.AGENCY, result["agency_id"])
    with pytest.raises(UsernameTaken):
        market.register_agency_account(uscc(31), agency_profile(31), "agency-30", "王", PASSWORD)
    assert "id_number" not in _stored(market)


def test_the_production_hasher_is_argon2id_with_owasp_parameters():
    hashed = production_hasher().hash(PASSWORD)
    assert hashed.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert production_hasher().verify(PASSWORD, hashed)


def test_an_account_round_trips_through_a_snapshot():
    account = Account.open("op-9", "运营", Role.OPERATOR, None, "$argon2id$hash", by=OPERATOR, now=T0)
    account.change_password("$argon2id$other", by=OPERATOR, now=T0)
    account.deactivate("离职", by=REGULATOR, now=T0)
    assert_round_trips(account)
    assert json.dumps(account.role_code) == '"operator"'
