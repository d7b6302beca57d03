"""Every command of the procurement, tried in every state the table forbids it.

Each case brings a procurement into the state along the legal path, issues the
command with otherwise valid arguments, and expects ``TransitionForbidden``
with nothing recorded. The command map is checked against ``TRANSITIONS`` so a
new entry in the table cannot go untested.
"""

from uuid import uuid4

import pytest

from domain.draw import commit
from domain.errors import DomainError, TransitionForbidden
from domain.procurement.status import TERMINAL, TRANSITIONS
from domain.selection import RuleSet
from tests.builders import OPERATOR, SYSTEM
from tests.domain.given import (CALENDAR, CLOSES, HOUR, LATER, OPENS, P, PUBLICITY_ENDS, SECRET,
                                SELECTION_AT, SHA, agency_id, agency_user, eligible, p_owner, procurement_in,
                                procurement_notice, quote, winner)

SCORES = dict.fromkeys(("quality", "timeliness", "attitude", "fee", "conduct"), 90)

# method name → (state-table key, a call with arguments valid in an allowed state)
COMMANDS = {
    "amend": ("amend", lambda p: p.amend(procurement_notice(), by=p_owner(p), now=OPENS)),
    "submit": ("submit", lambda p: p.submit(by=p_owner(p), now=OPENS)),
    "return_notice": ("review", lambda p: p.return_notice(["材料不全"], by=OPERATOR, now=OPENS)),
    "publish": ("review", lambda p: p.publish(commitment=commit(SECRET), rule_set=RuleSet().to_dict(),
                                              by=OPERATOR, now=OPENS)),
    "open_signup": ("open_signup", lambda p: p.open_signup(by=SYSTEM, now=OPENS)),
    "sign_up": ("sign_up", lambda p: p.sign_up(eligible(9), quote=quote(20000),
                                               by=agency_user(agency_id(9)), now=OPENS)),
    "revise_quote": ("sign_up", lambda p: p.revise_quote(agency_id(1), quote(20000),
                                                         by=agency_user(agency_id(1)), now=OPENS)),
    "withdraw_signup": ("sign_up", lambda p: p.withdraw_signup(agency_id(1), by=agency_user(agency_id(1)),
                                                               now=OPENS)),
    "close_signup": ("close_signup", lambda p: p.close_signup(by=SYSTEM, now=CLOSES)),
    "run_selection": ("select", lambda p: p.run_selection(SECRET, calendar=CALENDAR, by=SYSTEM, now=SELECTION_AT)),
    "pick_from_shortlist": ("pick_from_shortlist", lambda p: p.pick_from_shortlist(
        agency_id(1), "信用最优", calendar=CALENDAR, by=p_owner(p), now=SELECTION_AT)),
    "file_objection": ("object", lambda p: p.file_objection(
        agency_id(2), ["报价异常"], [], by=agency_user(agency_id(2)), now=SELECTION_AT + HOUR)),
    "uphold_objection": ("decide_objection", lambda p: p.uphold_objection(
        "objection-1", "属实", fail=True, by=OPERATOR, now=SELECTION_AT + HOUR)),
    "dismiss_objection": ("decide_objection", lambda p: p.dismiss_objection(
        "objection-1", "不属实", by=OPERATOR, now=SELECTION_AT + HOUR)),
    "award": ("award", lambda p: p.award(calendar=CALENDAR, by=SYSTEM, now=PUBLICITY_ENDS)),
    "file_contract": ("file_contract", lambda p: p.file_contract(
        {"contract_no": "HT-1", "amount": "30000", "document_sha256": SHA}, by=p_owner(p), now=LATER)),
    "confirm_contract": ("confirm_contract", lambda p: p.confirm_contract(calendar=CALENDAR, by=winner(p), now=LATER)),
    "request_extension": ("request_extension", lambda p: p.request_extension(
        5, "补充监测数据", by=winner(p), now=LATER)),
    "grant_extension": ("decide_extension", lambda p: p.grant_extension(calendar=CALENDAR, by=p_owner(p), now=LATER)),
    "refuse_extension": ("decide_extension", lambda p: p.refuse_extension("理由不充分", by=p_owner(p), now=LATER)),
    "submit_deliverable": ("submit_deliverable", lambda p: p.submit_deliverable(
        {"title": "报告", "sha256": SHA}, calendar=CALENDAR, by=winner(p), now=LATER)),
    "accept_deliverable": ("review_deliverable", lambda p: p.accept_deliverable(
        calendar=CALENDAR, by=p_owner(p), now=LATER)),
    "reject_deliverable": ("review_deliverable", lambda p: p.reject_deliverable(
        ["数据不全"], by=p_owner(p), now=LATER)),
    "evaluate": ("evaluate", lambda p: p.evaluate(SCORES, "好", by=p_owner(p), now=LATER)),
    "republish": ("republish", lambda p: p.republish(None, new_id=uuid4(), by=p_owner(p), now=LATER)),
    "void": ("void", lambda p: p.void("noDemand", "取消", by=OPERATOR, now=LATER)),
    "abandon": ("abandon", lambda p: p.abandon("放弃", by=winner(p), now=LATER)),
}  # fmt: skip

FORBIDDEN = [
    pytest.param(name, status, id=f"{name}-in-{status.value}")
    for name, (key, _) in COMMANDS.items()
    for status in P
    if status not in TRANSITIONS[key]
]


@pytest.mark.parametrize(("command", "status"), FORBIDDEN)
def test_command_in_a_state_the_table_forbids_is_refused_and_records_nothing(command, status):
    p = procurement_in(status)
    _, call = COMMANDS[command]
    with pytest.raises(TransitionForbidden) as refused:
        call(p)
    assert refused.value.code == "transition_forbidden"
    assert p.collect_events() == []
    assert p.status is status


def test_every_state_table_entry_has_a_command_exercised_here():
    assert {key for key, _ in COMMANDS.values()} == set(TRANSITIONS)


@pytest.mark.parametrize("status", TERMINAL, ids=lambda s: s.value)
def test_terminal_state_accepts_no_command(status):
    p = procurement_in(status)
    for _, call in COMMANDS.values():
        with pytest.raises(TransitionForbidden):
            call(p)
    assert p.collect_events() == []


ALLOWED = [
    pytest.param(name, status, id=f"{name}-in-{status.value}")
    for name, (key, _) in COMMANDS.items()
    for status in TRANSITIONS[key]
]


@pytest.mark.parametrize(("command", "status"), ALLOWED)
def test_command_in_a_state_the_table_allows_passes_the_guard(command, status):
    """The counterpart of the refusals: the same call gets past the guard where the table allows it."""
    p = procurement_in(status)
    _, call = COMMANDS[command]
    try:
        call(p)
    except TransitionForbidden:  # pragma: no cover - the failure this test looks for
        pytest.fail(f"{command} refused in {status.value}")
    except DomainError:
        assert p.collect_events() == []  # refused by a later rule (e.g. no extension pending)
    else:
        assert p.collect_events() != []
