"""Procurement, tendering half: draft, amend, submit, review, publish, sign-ups and quotes."""

import pytest

from domain.agency import Eligibility
from domain.draw import commit
from domain.errors import NotAllowed, ReasonRequired
from domain.procurement import Procurement
from domain.procurement import errors as E
from domain.selection import RuleSet
from tests.builders import OPERATOR, REGULATOR, SYSTEM, T0
from tests.domain.given import (CLOSES, DELEGATE, HOUR, OPENS, OTHER_DELEGATE, OWNER, OWNER_ID, SECRET,
                                STRANGER, P, agency_id, agency_user, drafted, eligible, only, pending,
                                procurement_notice, published, quote, signup_open, with_signups)

AGENCY_1 = agency_user(agency_id(1))
RULES = RuleSet().to_dict()


# --- draft, amend, submit --------------------------------------------------------


def test_draft_by_the_owner_records_drafted_with_the_normalised_notice():
    p = Procurement.draft(OWNER_ID, procurement_notice(), by=OWNER, now=T0)
    e = only(p.collect_events(), "Drafted")
    assert (e.owner_id, e.created_by, e.round_no, e.previous_id) == (str(OWNER_ID), "owner-admin", 1, None)
    assert e.actor == OWNER.as_event() and e.at == T0
    assert e.notice["budget"] == {"kind": "range", "min": "10000.00", "max": "50000.00"}
    assert p.status is P.DRAFT


@pytest.mark.parametrize("actor", [AGENCY_1, OPERATOR, STRANGER], ids=["agency", "operator", "other-owner"])
def test_draft_by_anyone_but_the_owner_unit_is_refused(actor):
    with pytest.raises(E.NotTheOwner) as refused:
        Procurement.draft(OWNER_ID, procurement_notice(), by=actor, now=T0)
    assert refused.value.code == "not_the_owner"


def test_amend_in_draft_records_amended_with_the_new_notice():
    p = drafted()
    p.amend(procurement_notice(project_name="改名后的项目"), by=OWNER, now=T0 + HOUR)
    e = only(p.collect_events(), "Amended")
    assert e.notice["project_name"] == "改名后的项目" and e.actor == OWNER.as_event()


def test_amend_with_a_forbidden_clause_is_refused():
    p = drafted()
    with pytest.raises(E.ForbiddenClause):
        p.amend(procurement_notice(description="报名单位限本地注册"), by=OWNER, now=T0)
    assert p.collect_events() == []


def test_amend_by_another_delegate_on_a_delegates_procurement_is_refused():
    p = drafted(by=DELEGATE)
    with pytest.raises(E.NotTheOwner) as refused:
        p.amend(procurement_notice(), by=OTHER_DELEGATE, now=T0)
    assert isinstance(refused.value, NotAllowed)
    assert p.collect_events() == []


def test_amend_by_the_admin_on_a_delegates_procurement_is_accepted():
    p = drafted(by=DELEGATE)
    p.amend(procurement_notice(), by=OWNER, now=T0)
    assert [type(e).__name__ for e in p.collect_events()] == ["Amended"]


def test_submit_by_the_owner_records_submitted_and_awaits_review():
    p = drafted()
    p.submit(by=OWNER, now=T0)
    assert only(p.collect_events(), "Submitted").actor == OWNER.as_event()
    assert p.status is P.PENDING_REVIEW


def test_submit_by_another_delegate_is_refused():
    p = drafted(by=DELEGATE)
    with pytest.raises(E.NotTheOwner):
        p.submit(by=OTHER_DELEGATE, now=T0)
    assert p.collect_events() == []


# --- review and publication --------------------------------------------------------


def test_return_notice_by_the_operator_records_the_cleaned_reasons():
    p = pending()
    p.return_notice([" 预算依据不足 ", ""], by=OPERATOR, now=T0)
    e = only(p.collect_events(), "Returned")
    assert e.reasons == ["预算依据不足"] and e.actor == OPERATOR.as_event()
    assert p.status is P.RETURNED


def test_return_notice_without_reasons_is_refused():
    p = pending()
    with pytest.raises(ReasonRequired):
        p.return_notice(["  "], by=OPERATOR, now=T0)
    assert p.collect_events() == []


@pytest.mark.parametrize("actor", [OWNER, REGULATOR, AGENCY_1], ids=["owner", "regulator", "agency"])
def test_publish_or_return_by_a_non_operator_is_refused(actor):
    p = pending()
    with pytest.raises(E.WrongRole) as refused:
        p.publish(commitment=commit(SECRET), rule_set=RULES, by=actor, now=T0)
    with pytest.raises(E.WrongRole):
        p.return_notice(["不行"], by=actor, now=T0)
    assert refused.value.code == "wrong_role" and isinstance(refused.value, NotAllowed)
    assert p.collect_events() == []


def test_publish_before_the_opening_time_records_the_commitment_and_waits():
    p = pending()
    p.publish(commitment=commit(SECRET), rule_set=RULES, by=OPERATOR, now=T0)
    e = only(p.collect_events(), "Published")
    assert (e.commitment, e.rule_set, e.opens_now) == (commit(SECRET), RULES, False)
    assert p.status is P.PUBLISHED


def test_publish_at_the_opening_time_opens_sign_up_at_once():
    p = pending()
    p.publish(commitment=commit(SECRET), rule_set=RULES, by=OPERATOR, now=OPENS)
    assert only(p.collect_events(), "Published").opens_now is True
    assert p.status is P.SIGNUP_OPEN


def test_open_signup_before_the_opening_time_is_refused():
    p = published()
    with pytest.raises(E.SignupNotYetDue):
        p.open_signup(by=SYSTEM, now=OPENS - HOUR)
    assert p.collect_events() == []


def test_open_signup_at_the_opening_time_records_signup_opened():
    p = published()
    p.open_signup(by=SYSTEM, now=OPENS)
    assert only(p.collect_events(), "SignupOpened").at == OPENS
    assert p.status is P.SIGNUP_OPEN


# --- sign-ups and quotes ----------------------------------------------------------


def test_sign_up_by_an_eligible_agency_records_its_identity_and_quote():
    p = signup_open()
    p.sign_up(eligible(1), quote=quote("32000.5"), by=AGENCY_1, now=OPENS + HOUR)
    e = only(p.collect_events(), "SignedUp")
    assert (e.agency_id, e.uscc, e.agency_name) == (agency_id(1), eligible(1).uscc, eligible(1).name)
    assert e.quote == {"kind": "amount", "value": "32000.50", "price": "32000.50"}
    assert (e.actor, e.at) == (AGENCY_1.as_event(), OPENS + HOUR)


def test_sign_up_by_an_agency_for_another_agency_is_refused():
    p = signup_open()
    with pytest.raises(E.WrongRole) as refused:
        p.sign_up(eligible(2), quote=quote(30000), by=AGENCY_1, now=OPENS)
    assert isinstance(refused.value, NotAllowed)
    assert p.collect_events() == []


@pytest.mark.parametrize("late", [CLOSES, CLOSES + HOUR], ids=["at-deadline", "after-deadline"])
def test_sign_up_at_or_after_the_deadline_is_refused(late):
    p = signup_open()
    with pytest.raises(E.SignupDeadlinePassed) as refused:
        p.sign_up(eligible(1), quote=quote(30000), by=AGENCY_1, now=late)
    assert refused.value.code == "signup_deadline_passed"
    assert p.collect_events() == []


def test_sign_up_twice_is_refused():
    p = with_signups((30000,))
    with pytest.raises(E.AlreadySignedUp):
        p.sign_up(eligible(1), quote=quote(31000), by=AGENCY_1, now=OPENS + 2 * HOUR)
    assert p.collect_events() == []


def test_sign_up_by_an_avoided_agency_is_refused_with_the_reason():
    p = signup_open(avoided=[{"agency_id": agency_id(1), "reason": "与业主存在利害关系"}])
    with pytest.raises(E.AgencyAvoided) as refused:
        p.sign_up(eligible(1), quote=quote(30000), by=AGENCY_1, now=OPENS)
    assert refused.value.detail == "与业主存在利害关系"
    assert p.collect_events() == []


def test_sign_up_by_an_ineligible_agency_is_refused_with_its_reasons():
    p = signup_open()
    standing = Eligibility(agency_id(1), eligible(1).uscc, "某公司", ["suspended", "qualification_missing"])
    with pytest.raises(E.NotEligible) as refused:
        p.sign_up(standing, quote=quote(30000), by=AGENCY_1, now=OPENS)
    assert refused.value.detail == "suspended,qualification_missing"
    assert p.collect_events() == []


def test_revise_quote_before_the_deadline_records_the_new_price():
    p = with_signups((30000,))
    p.revise_quote(agency_id(1), quote(28000), by=AGENCY_1, now=CLOSES - HOUR)
    e = only(p.collect_events(), "QuoteRevised")
    assert (e.agency_id, e.quote["price"]) == (agency_id(1), "28000.00")


def test_revise_quote_at_the_deadline_is_refused():
    p = with_signups((30000,))
    with pytest.raises(E.SignupDeadlinePassed):
        p.revise_quote(agency_id(1), quote(28000), by=AGENCY_1, now=CLOSES)
    assert p.collect_events() == []


def test_revise_quote_without_a_sign_up_is_refused():
    p = signup_open()
    with pytest.raises(E.NotSignedUp) as refused:
        p.revise_quote(agency_id(1), quote(28000), by=AGENCY_1, now=OPENS)
    assert refused.value.code == "not_signed_up"
    assert p.collect_events() == []


def test_revise_quote_for_another_agency_is_refused():
    p = with_signups((30000, 35000))
    with pytest.raises(E.WrongRole):
        p.revise_quote(agency_id(2), quote(50000), by=AGENCY_1, now=OPENS)
    assert p.collect_events() == []


def test_withdraw_signup_records_it_and_a_new_sign_up_is_then_accepted():
    p = with_signups((30000,))
    p.withdraw_signup(agency_id(1), by=AGENCY_1, now=OPENS + 2 * HOUR)
    assert only(p.collect_events(), "SignupWithdrawn").agency_id == agency_id(1)
    p.sign_up(eligible(1), quote=quote(29000), by=AGENCY_1, now=OPENS + 3 * HOUR)
    assert only(p.collect_events(), "SignedUp").quote["price"] == "29000.00"


def test_withdraw_signup_twice_is_refused():
    p = with_signups((30000,))
    p.withdraw_signup(agency_id(1), by=AGENCY_1, now=OPENS + 2 * HOUR)
    p.collect_events()
    with pytest.raises(E.NotSignedUp):
        p.withdraw_signup(agency_id(1), by=AGENCY_1, now=OPENS + 3 * HOUR)
    assert p.collect_events() == []


def test_withdraw_signup_after_the_deadline_is_refused():
    p = with_signups((30000,))
    with pytest.raises(E.SignupDeadlinePassed):
        p.withdraw_signup(agency_id(1), by=AGENCY_1, now=CLOSES)
    assert p.collect_events() == []
