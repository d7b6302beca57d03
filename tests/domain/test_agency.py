"""Agency (中介机构): registration, review, changes, sanctions, engagements, exit, eligibility."""

from uuid import uuid4

import pytest

from domain.agency import Agency, AgencyStatus, ChangePending, NoChangePending, UnfinishedContracts
from domain.errors import InvalidCreditCode, InvalidInput, ReasonRequired, RuleViolation, TransitionForbidden
from tests.builders import OPERATOR, SYSTEM, T0, uscc
from tests.domain.given import DAY, HOUR, admitted, applicant, names, only, profile, registered

S = AgencyStatus
NOW = T0 + DAY
REQUIREMENT = {"mode": "all", "qualifications": [{"category": "环境影响评价", "min_level": "乙级"}]}
PROCUREMENT = uuid4()


# --- registration and review ---------------------------------------------------------


def test_register_records_registered_with_the_digested_profile_and_awaits_review():
    agency = Agency.register(uscc(1).lower(), profile(1), by=applicant(1), now=T0)
    e = only(agency.collect_events(), "Registered")
    assert (e.uscc, e.actor, e.at) == (uscc(1), applicant(1).as_event(), T0)
    assert e.profile["legal_representative"]["id_digest"] == profile(1)["legal_representative"]["id_digest"]
    assert agency.id == Agency.create_id(uscc(1)) and agency.status is S.PENDING_REVIEW


def test_register_with_a_wrong_check_character_is_refused():
    code = uscc(1)
    with pytest.raises(InvalidCreditCode) as refused:
        Agency.register(code[:17] + ("0" if code[17] != "0" else "1"), profile(1), by=applicant(1), now=T0)
    assert refused.value.code == "invalid_credit_code"


def test_register_with_a_clear_id_number_instead_of_a_digest_is_refused():
    raw = profile(1)
    raw["legal_representative"] = {"name": "法人1", "id_number": "430102198001010011"}
    with pytest.raises(InvalidInput) as refused:
        Agency.register(uscc(1), raw, by=applicant(1), now=T0)
    assert refused.value.field == "legal_representative.id_digest"


def test_register_without_services_is_refused():
    with pytest.raises(InvalidInput) as refused:
        Agency.register(uscc(1), {**profile(1), "services": []}, by=applicant(1), now=T0)
    assert refused.value.field == "services"


def test_admit_records_admitted_by_the_operator():
    agency = registered()
    agency.admit(by=OPERATOR, now=NOW)
    assert (only(agency.collect_events(), "Admitted").actor, agency.status) == (OPERATOR.as_event(), S.ADMITTED)


def test_return_registration_records_the_reasons():
    agency = registered()
    agency.return_registration(["社保证明不足3个月", " "], by=OPERATOR, now=NOW)
    assert only(agency.collect_events(), "Returned").reasons == ["社保证明不足3个月"]
    assert agency.status is S.RETURNED


def test_return_registration_without_reasons_is_refused():
    agency = registered()
    with pytest.raises(ReasonRequired) as refused:
        agency.return_registration([], by=OPERATOR, now=NOW)
    assert refused.value.code == "reason_required"
    assert agency.collect_events() == []


def test_resubmit_after_return_records_the_new_profile_and_awaits_review_again():
    agency = registered()
    agency.return_registration(["材料不全"], by=OPERATOR, now=NOW)
    agency.collect_events()
    agency.resubmit({**profile(1), "address": "长沙市天心区新地址1号"}, by=applicant(1), now=NOW + HOUR)
    assert only(agency.collect_events(), "Resubmitted").profile["address"] == "长沙市天心区新地址1号"
    assert agency.status is S.PENDING_REVIEW


# --- changes of registered data --------------------------------------------------------


def test_submit_change_records_only_the_changed_fields_and_keeps_the_profile_until_approved():
    agency = admitted()
    agency.submit_change({"phone": "0731 88886666"}, by=applicant(1), now=NOW)
    assert only(agency.collect_events(), "ChangeSubmitted").changes == {"phone": "073188886666"}
    assert agency.profile["phone"] == profile(1)["phone"]


def test_submit_change_while_one_awaits_review_is_refused():
    agency = admitted()
    agency.submit_change({"phone": "0731-88886666"}, by=applicant(1), now=NOW)
    agency.collect_events()
    with pytest.raises(ChangePending) as refused:
        agency.submit_change({"email": "new@example.cn"}, by=applicant(1), now=NOW)
    assert refused.value.code == "change_pending"
    assert agency.collect_events() == []


@pytest.mark.parametrize(("changes", "field"), [({"uscc": "x"}, "uscc"), ({}, "changes"),
                                                ({"email": "not-an-email"}, "email")])
def test_submit_change_with_invalid_changes_is_refused(changes, field):
    agency = admitted()
    with pytest.raises(InvalidInput) as refused:
        agency.submit_change(changes, by=applicant(1), now=NOW)
    assert refused.value.field == field
    assert agency.collect_events() == []


def test_approve_change_records_change_approved_and_applies_it():
    agency = admitted()
    agency.submit_change({"name": "湖南新名称咨询有限公司"}, by=applicant(1), now=NOW)
    agency.collect_events()
    agency.approve_change(by=OPERATOR, now=NOW + HOUR)
    assert only(agency.collect_events(), "ChangeApproved").actor == OPERATOR.as_event()
    assert agency.name == "湖南新名称咨询有限公司"


def test_return_change_records_the_reasons_discards_it_and_allows_a_new_one():
    agency = admitted()
    agency.submit_change({"name": "湖南新名称咨询有限公司"}, by=applicant(1), now=NOW)
    agency.collect_events()
    agency.return_change(["未附变更证明"], by=OPERATOR, now=NOW + HOUR)
    assert only(agency.collect_events(), "ChangeReturned").reasons == ["未附变更证明"]
    assert agency.name == profile(1)["name"]
    agency.submit_change({"phone": "0731-88886666"}, by=applicant(1), now=NOW + 2 * HOUR)
    only(agency.collect_events(), "ChangeSubmitted")


@pytest.mark.parametrize("review", ["approve", "return"])
def test_review_change_without_a_pending_change_is_refused(review):
    agency = admitted()
    with pytest.raises(NoChangePending) as refused:
        if review == "approve":
            agency.approve_change(by=OPERATOR, now=NOW)
        else:
            agency.return_change(["无"], by=OPERATOR, now=NOW)
    assert refused.value.code == "no_change_pending"
    assert agency.collect_events() == []


# --- sanctions ---------------------------------------------------------------------------


def test_suspend_without_items_suspends_the_whole_agency_until_the_date():
    agency = admitted(items=["HP-01", "AP-02"])
    agency.suspend(until=NOW + 30 * DAY, reason="超期服务", by=OPERATOR, now=NOW)
    e = only(agency.collect_events(), "Suspended")
    assert (e.until, e.reason, e.service_items, e.at) == (NOW + 30 * DAY, "超期服务", [], NOW)
    for item in ("HP-01", "AP-02"):
        assert "suspended" in agency.eligibility(item, {}, NOW + DAY).reasons
    assert agency.eligibility("HP-01", {}, NOW + 30 * DAY).eligible  # expired: no event needed


def test_suspend_per_item_suspends_only_those_items():
    agency = admitted(items=["HP-01", "AP-02"])
    agency.suspend(until=NOW + 30 * DAY, reason="资质过期", service_items=["HP-01"], by=OPERATOR, now=NOW)
    assert only(agency.collect_events(), "Suspended").service_items == ["HP-01"]
    assert agency.eligibility("HP-01", {}, NOW).reasons == ["suspended"]
    assert agency.eligibility("AP-02", {}, NOW).eligible


@pytest.mark.parametrize(("until", "reason", "error"), [
    (NOW, "超期服务", InvalidInput), (NOW + DAY, " ", ReasonRequired)])
def test_suspend_without_a_future_date_or_a_reason_is_refused(until, reason, error):
    agency = admitted()
    with pytest.raises(error):
        agency.suspend(until=until, reason=reason, by=OPERATOR, now=NOW)
    assert agency.collect_events() == []


def test_lift_suspension_records_it_and_restores_eligibility():
    agency = admitted()
    agency.suspend(until=NOW + 30 * DAY, reason="超期服务", by=OPERATOR, now=NOW)
    agency.collect_events()
    agency.lift_suspension("已整改", by=OPERATOR, now=NOW + DAY)
    assert only(agency.collect_events(), "SuspensionLifted").reason == "已整改"
    assert agency.eligibility("HP-01", {}, NOW + DAY).eligible


def test_lift_suspension_without_an_active_one_is_refused():
    agency = admitted()
    agency.suspend(until=NOW + DAY, reason="超期服务", by=OPERATOR, now=NOW)
    agency.collect_events()
    with pytest.raises(RuleViolation):
        agency.lift_suspension("已整改", by=OPERATOR, now=NOW + DAY)
    assert agency.collect_events() == []


def test_expel_records_expelled_and_the_agency_is_no_longer_eligible():
    agency = admitted()
    agency.expel("提供虚假材料", by=OPERATOR, now=NOW)
    assert only(agency.collect_events(), "Expelled").reason == "提供虚假材料"
    assert agency.eligibility("HP-01", {}, NOW).reasons == ["expelled"]


# --- engagements and exit ------------------------------------------------------------------


def test_engage_records_the_procurement_once():
    agency = admitted()
    agency.engage(PROCUREMENT, by=SYSTEM, now=NOW)
    agency.engage(PROCUREMENT, by=SYSTEM, now=NOW)
    assert only(agency.collect_events(), "Engaged").procurement_id == str(PROCUREMENT)


def test_release_records_the_outcome_and_ignores_unknown_procurements():
    agency = admitted()
    agency.engage(PROCUREMENT, by=SYSTEM, now=NOW)
    agency.collect_events()
    agency.release(uuid4(), "closed", by=SYSTEM, now=NOW)
    agency.release(PROCUREMENT, "closed", by=SYSTEM, now=NOW)
    assert only(agency.collect_events(), "Released").outcome == "closed"


def test_record_abandonment_records_it_and_ends_the_engagement():
    agency = admitted()
    agency.engage(PROCUREMENT, by=SYSTEM, now=NOW)
    agency.collect_events()
    agency.record_abandonment(PROCUREMENT, "放弃中选", by=SYSTEM, now=NOW)
    e = only(agency.collect_events(), "Abandoned")
    assert (e.procurement_id, e.reason) == (str(PROCUREMENT), "放弃中选")
    agency.exit("停业", by=applicant(1), now=NOW)
    only(agency.collect_events(), "Exited")


def test_exit_with_an_unfinished_engagement_is_refused():
    agency = admitted()
    agency.engage(PROCUREMENT, by=SYSTEM, now=NOW)
    agency.collect_events()
    with pytest.raises(UnfinishedContracts) as refused:
        agency.exit("停业", by=applicant(1), now=NOW)
    assert refused.value.code == "unfinished_contracts" and str(PROCUREMENT) in refused.value.detail
    assert agency.collect_events() == []


def test_exit_after_release_records_exited():
    agency = admitted()
    agency.engage(PROCUREMENT, by=SYSTEM, now=NOW)
    agency.release(PROCUREMENT, "closed", by=SYSTEM, now=NOW)
    agency.collect_events()
    agency.exit("停业", by=applicant(1), now=NOW)
    assert names(agency.collect_events()) == ["Exited"] and agency.status is S.EXITED


# --- eligibility ----------------------------------------------------------------------------


def test_eligibility_of_an_admitted_qualified_agency_has_no_reasons():
    standing = admitted().eligibility("HP-01", REQUIREMENT, NOW)
    assert (standing.eligible, standing.uscc, standing.agency_id) == (True, uscc(1), str(Agency.create_id(uscc(1))))


@pytest.mark.parametrize(("build", "item", "reasons"), [
    (lambda: registered(), "HP-01", ["not_admitted"]),
    (lambda: admitted(), "AP-02", ["item_not_offered"]),
    (lambda: admitted(level="丙级"), "HP-01", ["qualification_missing"]),
    (lambda: admitted(valid_until="2026-03-02"), "HP-01", ["qualification_missing"]),  # expired before NOW
])  # fmt: skip
def test_eligibility_names_each_reason_an_agency_is_not_eligible(build, item, reasons):
    assert build().eligibility(item, REQUIREMENT, NOW).reasons == reasons


# --- the state table ------------------------------------------------------------------------


def in_status(status):
    agency = registered()
    steps = {
        S.ADMITTED: lambda: agency.admit(by=OPERATOR, now=NOW),
        S.RETURNED: lambda: agency.return_registration(["材料不全"], by=OPERATOR, now=NOW),
        S.EXPELLED: lambda: agency.expel("虚假材料", by=OPERATOR, now=NOW),
        S.EXITED: lambda: agency.exit("停业", by=applicant(1), now=NOW),
    }
    if status in steps:
        steps[status]()
    agency.collect_events()
    assert agency.status is status
    return agency


AGENCY_COMMANDS = {
    "admit": ("admit", lambda a: a.admit(by=OPERATOR, now=NOW)),
    "return_registration": ("return_registration", lambda a: a.return_registration(["x"], by=OPERATOR, now=NOW)),
    "resubmit": ("resubmit", lambda a: a.resubmit(profile(1), by=applicant(1), now=NOW)),
    "submit_change": ("submit_change", lambda a: a.submit_change({"phone": "0731-88886666"}, by=applicant(1), now=NOW)),
    "approve_change": ("review_change", lambda a: a.approve_change(by=OPERATOR, now=NOW)),
    "return_change": ("review_change", lambda a: a.return_change(["x"], by=OPERATOR, now=NOW)),
    "suspend": ("suspend", lambda a: a.suspend(until=NOW + DAY, reason="x", by=OPERATOR, now=NOW)),
    "lift_suspension": ("lift_suspension", lambda a: a.lift_suspension("x", by=OPERATOR, now=NOW)),
    "expel": ("expel", lambda a: a.expel("x", by=OPERATOR, now=NOW)),
    "exit": ("exit", lambda a: a.exit("x", by=applicant(1), now=NOW)),
    "engage": ("engage", lambda a: a.engage(PROCUREMENT, by=SYSTEM, now=NOW)),
}  # fmt: skip


@pytest.mark.parametrize(("command", "status"), [
    pytest.param(name, status, id=f"{name}-in-{status.value}")
    for name, (key, _) in AGENCY_COMMANDS.items() for status in S if status not in Agency.TRANSITIONS[key]
])  # fmt: skip
def test_agency_command_in_a_state_the_table_forbids_is_refused_and_records_nothing(command, status):
    agency = in_status(status)
    with pytest.raises(TransitionForbidden) as refused:
        AGENCY_COMMANDS[command][1](agency)
    assert refused.value.code == "transition_forbidden"
    assert agency.collect_events() == [] and agency.status is status


def test_every_agency_state_table_entry_is_exercised_here():
    assert {key for key, _ in AGENCY_COMMANDS.values()} == set(Agency.TRANSITIONS)
