"""Procurement, service half: contract, extensions, deliverable, evaluation, and the side branches."""

from uuid import uuid4

import pytest

from domain.errors import InvalidInput, NotAllowed, ReasonRequired
from domain.procurement import EVALUATION_DIMENSIONS, Procurement
from domain.procurement import errors as E
from domain.procurement.status import TRANSITIONS
from tests.builders import OPERATOR, REGULATOR, SYSTEM
from tests.domain.given import (CALENDAR, DAY, DELEGATE, LATER, OTHER_DELEGATE, OWNER, SHA, STRANGER, P,
                                agency_id, agency_user, names, only, procurement_in, winner)

CONTRACT = {"contract_no": "HT-2026-001", "amount": "30000", "document_sha256": SHA}
DOCUMENT = {"title": "环境影响报告书", "sha256": SHA}
SCORES = dict.fromkeys(EVALUATION_DIMENSIONS, 90)
LOSER = agency_user(agency_id(3))


def assert_refused(p, error, command):
    """Run ``command``; it must raise ``error`` and leave nothing recorded."""
    with pytest.raises(error) as caught:
        command(p)
    assert p.collect_events() == []
    return caught.value


# --- contract (合同) ------------------------------------------------------------------


@pytest.mark.parametrize("party", ["owner", "winner"])
def test_file_contract_by_either_party_records_it_with_the_filing_role(party):
    p = procurement_in(P.CONTRACTING)
    by = OWNER if party == "owner" else winner(p)
    p.file_contract(CONTRACT, by=by, now=LATER)
    e = only(p.collect_events(), "ContractFiled")
    assert e.contract == {"contract_no": "HT-2026-001", "amount": "30000.00", "document_sha256": SHA,
                          "filed_by_role": by.role.value}  # fmt: skip
    assert p.status is P.CONTRACT_FILED


@pytest.mark.parametrize(("by", "error"), [
    (LOSER, E.NotTheWinner), (STRANGER, E.NotTheOwner), (REGULATOR, E.NotTheOwner),
], ids=["losing-agency", "other-owner", "regulator"])  # fmt: skip
def test_file_contract_by_someone_not_a_party_is_refused(by, error):
    assert isinstance(assert_refused(procurement_in(P.CONTRACTING), error,
                              lambda p: p.file_contract(CONTRACT, by=by, now=LATER)), NotAllowed)


def test_file_contract_without_the_documents_hash_is_refused():
    error = assert_refused(procurement_in(P.CONTRACTING), InvalidInput,
                    lambda p: p.file_contract({**CONTRACT, "document_sha256": "合同.pdf"}, by=OWNER, now=LATER))
    assert error.field == "contract.document_sha256"


def test_confirm_contract_by_the_other_party_starts_the_service_clock():
    p = procurement_in(P.CONTRACT_FILED)  # filed by the owner
    p.confirm_contract(calendar=CALENDAR, by=winner(p), now=LATER)
    e = only(p.collect_events(), "ContractConfirmed")
    assert (e.service_due["start"], e.service_due["working_days"]) == (LATER, 20)  # the notice's time limit
    assert e.actor == winner(p).as_event() and p.status is P.IN_SERVICE


def test_confirm_contract_by_the_party_that_filed_it_is_refused():
    p = procurement_in(P.CONTRACT_FILED)
    error = assert_refused(p, E.WrongRole, lambda p: p.confirm_contract(calendar=CALENDAR, by=OWNER, now=LATER))
    assert error.code == "wrong_role"


# --- extensions (延期) -------------------------------------------------------------------


def extension_requested():
    p = procurement_in(P.IN_SERVICE)
    p.request_extension(5, "需补充一个季度的监测数据", by=winner(p), now=LATER)
    p.collect_events()
    return p


def test_request_extension_by_the_winner_records_days_and_reason():
    p = procurement_in(P.IN_SERVICE)
    p.request_extension(5, "需补充监测数据", by=winner(p), now=LATER)
    e = only(p.collect_events(), "ExtensionRequested")
    assert (e.days, e.reason, e.actor) == (5, "需补充监测数据", winner(p).as_event())


def test_request_extension_by_another_agency_is_refused():
    assert_refused(procurement_in(P.IN_SERVICE), E.NotTheWinner, lambda p: p.request_extension(5, "x", by=LOSER, now=LATER))


@pytest.mark.parametrize("days", [0, -1, "5"])
def test_request_extension_without_a_positive_whole_number_of_days_is_refused(days):
    p = procurement_in(P.IN_SERVICE)
    assert assert_refused(p, InvalidInput, lambda p: p.request_extension(days, "x", by=winner(p), now=LATER)).field == "days"


def test_request_extension_while_one_is_pending_is_refused():
    p = extension_requested()
    assert_refused(p, E.ExtensionPending, lambda p: p.request_extension(3, "再延", by=winner(p), now=LATER))


def test_grant_extension_moves_the_due_date_by_the_requested_working_days():
    p = extension_requested()
    before = p.deadlines["service_due"]
    p.grant_extension(calendar=CALENDAR, by=OWNER, now=LATER + DAY)
    e = only(p.collect_events(), "ExtensionGranted")
    assert (e.days, e.new_due["start"], e.new_due["working_days"]) == (5, before["start"], 25)
    assert e.new_due["at"] > before["at"] and p.pending_extension is None


def test_refuse_extension_records_the_reason_and_keeps_the_due_date():
    p = extension_requested()
    due = p.service_due
    p.refuse_extension("理由不充分", by=OWNER, now=LATER + DAY)
    assert only(p.collect_events(), "ExtensionRefused").reason == "理由不充分"
    assert p.service_due == due


@pytest.mark.parametrize("decision", ["grant", "refuse"])
def test_decide_extension_without_a_request_is_refused(decision):
    p = procurement_in(P.IN_SERVICE)
    error = assert_refused(p, E.NoExtensionPending, lambda p: p.grant_extension(calendar=CALENDAR, by=OWNER, now=LATER)
                    if decision == "grant" else p.refuse_extension("x", by=OWNER, now=LATER))
    assert error.code == "no_extension_pending"


def test_grant_extension_by_the_winning_agency_is_refused():
    p = extension_requested()
    assert_refused(p, E.NotTheOwner, lambda p: p.grant_extension(calendar=CALENDAR, by=winner(p), now=LATER))


# --- deliverable and acceptance (成果与签收) --------------------------------------------------


def test_submit_deliverable_records_the_document_and_the_acceptance_reminder():
    p = procurement_in(P.IN_SERVICE)
    p.submit_deliverable(DOCUMENT, calendar=CALENDAR, by=winner(p), now=LATER)
    e = only(p.collect_events(), "DeliverableSubmitted")
    assert (e.document, e.acceptance_due["working_days"]) == (DOCUMENT, 10)
    assert p.status is P.UNDER_ACCEPTANCE


@pytest.mark.parametrize(("document", "by_loser", "error"), [
    ({"title": "报告", "sha256": "x"}, False, InvalidInput), ({"title": " ", "sha256": SHA}, False, InvalidInput),
    (DOCUMENT, True, E.NotTheWinner)], ids=["bad-hash", "no-title", "losing-agency"])  # fmt: skip
def test_submit_deliverable_invalid_or_by_another_agency_is_refused(document, by_loser, error):
    p = procurement_in(P.IN_SERVICE)
    by = LOSER if by_loser else winner(p)
    assert_refused(p, error, lambda p: p.submit_deliverable(document, calendar=CALENDAR, by=by, now=LATER))


def test_accept_deliverable_records_it_and_the_evaluation_deadline():
    p = procurement_in(P.UNDER_ACCEPTANCE)
    p.accept_deliverable(calendar=CALENDAR, by=OWNER, now=LATER)
    assert only(p.collect_events(), "DeliverableAccepted").evaluation_due["working_days"] == 3
    assert p.status is P.EVALUATING


def test_reject_deliverable_records_the_reasons_and_returns_to_service():
    p = procurement_in(P.UNDER_ACCEPTANCE)
    p.reject_deliverable(["缺少噪声监测章节"], by=OWNER, now=LATER)
    assert only(p.collect_events(), "DeliverableRejected").reasons == ["缺少噪声监测章节"]
    assert p.status is P.IN_SERVICE


def test_reject_deliverable_without_reasons_is_refused():
    assert_refused(procurement_in(P.UNDER_ACCEPTANCE), ReasonRequired, lambda p: p.reject_deliverable([], by=OWNER, now=LATER))


def test_accept_deliverable_by_the_agency_is_refused():
    p = procurement_in(P.UNDER_ACCEPTANCE)
    assert_refused(p, E.NotTheOwner, lambda p: p.accept_deliverable(calendar=CALENDAR, by=winner(p), now=LATER))


# --- evaluation (评价) ----------------------------------------------------------------------


def test_evaluate_records_the_five_scores_and_their_mean_and_closes():
    p = procurement_in(P.EVALUATING)
    p.evaluate({**SCORES, "fee": 85}, " 按时高质量完成 ", by=OWNER, now=LATER)
    e = only(p.collect_events(), "Evaluated")
    assert (e.scores["fee"], e.overall, e.comment) == (85, 89.0, "按时高质量完成")
    assert list(e.scores) == list(EVALUATION_DIMENSIONS) and p.status is P.CLOSED


@pytest.mark.parametrize("scores", [
    {k: v for k, v in SCORES.items() if k != "fee"}, {**SCORES, "fee": 101}, {**SCORES, "fee": -1},
    {**SCORES, "fee": True}, {**SCORES, "fee": 90.5}, {**SCORES, "price": 90},
], ids=["missing", "above-100", "negative", "bool", "fraction", "extra"])  # fmt: skip
def test_evaluate_with_invalid_scores_is_refused(scores):
    assert assert_refused(procurement_in(P.EVALUATING), E.InvalidScore,
                   lambda p: p.evaluate(scores, "", by=OWNER, now=LATER)).code == "invalid_score"


# --- void, republish, abandon -----------------------------------------------------------------


@pytest.mark.parametrize("status", TRANSITIONS["void"], ids=lambda s: s.value)
def test_void_before_a_contract_by_the_operator_records_the_reason_code(status):
    p = procurement_in(status)
    p.void("expensesCut", "预算压减", by=OPERATOR, now=LATER)
    e = only(p.collect_events(), "Voided")
    assert (e.reason_code, e.reason, e.actor) == ("expensesCut", "预算压减", OPERATOR.as_event())
    assert p.status is P.VOIDED


def test_void_with_an_unknown_reason_code_is_refused():
    assert assert_refused(procurement_in(P.DRAFT), InvalidInput,
                   lambda p: p.void("changedMind", "x", by=OWNER, now=LATER)).field == "reason_code"


@pytest.mark.parametrize("by", [agency_user(agency_id(1)), REGULATOR, STRANGER],
                         ids=["agency", "regulator", "other-owner"])
def test_void_by_neither_owner_nor_operator_is_refused(by):
    assert_refused(procurement_in(P.SIGNUP_OPEN), E.NotTheOwner, lambda p: p.void("noDemand", "x", by=by, now=LATER))


def test_void_by_another_delegate_is_refused():
    p = procurement_in(P.SIGNUP_OPEN, by=DELEGATE)
    assert_refused(p, E.NotTheOwner, lambda p: p.void("noDemand", "x", by=OTHER_DELEGATE, now=LATER))


def test_accept_deliverable_by_another_delegate_is_refused_but_the_admin_may():
    p = procurement_in(P.UNDER_ACCEPTANCE, by=DELEGATE)
    assert_refused(p, E.NotTheOwner, lambda p: p.accept_deliverable(calendar=CALENDAR, by=OTHER_DELEGATE, now=LATER))
    p.accept_deliverable(calendar=CALENDAR, by=OWNER, now=LATER)
    only(p.collect_events(), "DeliverableAccepted")


def test_republish_after_failure_links_a_new_round():
    p = procurement_in(P.FAILED)
    new_id = uuid4()
    nxt = p.republish({"project_name": "第二轮"}, new_id=new_id, by=OWNER, now=LATER)
    assert only(p.collect_events(), "Republished").new_id == str(new_id)
    drafted = only(nxt.collect_events(), "Drafted")
    assert (nxt.id, drafted.previous_id, drafted.round_no) == (new_id, str(p.id), 2)
    assert drafted.notice["project_name"] == "第二轮" and isinstance(nxt, Procurement)


def test_republish_twice_is_refused():
    p = procurement_in(P.FAILED)
    p.republish(None, new_id=uuid4(), by=OWNER, now=LATER)
    p.collect_events()
    assert assert_refused(p, E.AlreadyRepublished,
                   lambda p: p.republish(None, new_id=uuid4(), by=OWNER, now=LATER)).code == "already_republished"


def test_republish_by_an_agency_is_refused():
    assert_refused(procurement_in(P.FAILED), E.NotTheOwner,
            lambda p: p.republish(None, new_id=uuid4(), by=agency_user(agency_id(1)), now=LATER))


@pytest.mark.parametrize("status", TRANSITIONS["abandon"], ids=lambda s: s.value)
def test_abandon_by_the_winner_terminates_with_a_record_against_it(status):
    p = procurement_in(status)
    p.abandon("核心人员离职", by=winner(p), now=LATER)
    e = only(p.collect_events(), "Terminated")
    assert (e.agency_id, e.reason) == (p.winner_id, "核心人员离职")
    assert p.status is P.TERMINATED


def test_abandon_by_another_agency_or_the_owner_is_refused():
    p = procurement_in(P.IN_SERVICE)
    for by in (LOSER, OWNER, SYSTEM):
        with pytest.raises(E.NotTheWinner):
            p.abandon("x", by=by, now=LATER)
    assert names(p.collect_events()) == []
