"""The registers: owners (项目业主), the service catalogue (中介服务事项) and departments (审批部门)."""

import pytest

from domain.base import Actor, Role
from domain.catalogue import ItemStatus, ServiceItem
from domain.department import Department, StaffAlreadyListed, StaffNotListed
from domain.errors import InvalidCreditCode, InvalidInput, MissingField, TransitionForbidden
from domain.owner import DelegateExists, Owner, UnknownDelegate
from tests.builders import OPERATOR, T0, uscc
from tests.domain.given import DAY, DEPARTMENT_ID, digest, only

NOW = T0 + DAY
ADMIN = {"account": "owner-admin", "name": "张管理"}
REQUIREMENT = {"mode": "any", "qualifications": [{"category": "环境影响评价", "min_level": "乙级"}]}
PERSON = digest("430102198001010011")


# --- Owner -----------------------------------------------------------------------------


def given_owner(unit_type="state_owned"):
    owner = Owner.register(uscc(1, "11430100"), "长沙市某区城投公司", unit_type, "430100", ADMIN, by=OPERATOR, now=T0)
    owner.collect_events()
    return owner


def test_register_owner_records_registered_with_its_admin():
    owner = Owner.register(uscc(1, "11430100"), " 长沙市某区城投公司 ", "government", "430100", ADMIN,
                           by=OPERATOR, now=T0)  # fmt: skip
    e = only(owner.collect_events(), "Registered")
    assert (e.uscc, e.name, e.unit_type, e.admin) == (uscc(1, "11430100"), "长沙市某区城投公司", "government", ADMIN)
    assert (e.actor, e.at) == (OPERATOR.as_event(), T0)
    assert owner.id == Owner.create_id(uscc(1, "11430100"))


@pytest.mark.parametrize(("args", "error"), [
    (("bad-code", "某单位", "government", "430100", ADMIN), InvalidCreditCode),
    ((uscc(1), "某单位", "charity", "430100", ADMIN), InvalidInput),
    ((uscc(1), "某单位", "government", "430100", {"name": "无账号"}), MissingField),
    ((uscc(1), " ", "government", "430100", ADMIN), MissingField),
])  # fmt: skip
def test_register_owner_with_invalid_data_is_refused(args, error):
    with pytest.raises(error):
        Owner.register(*args, by=OPERATOR, now=T0)


@pytest.mark.parametrize(("unit_type", "state_funded"), [("government", True), ("state_owned", True),
                                                         ("private", False)])
def test_owner_unit_type_decides_whether_it_is_state_funded(unit_type, state_funded):
    assert given_owner(unit_type).is_state_funded_unit is state_funded


def test_add_delegate_records_delegate_added():
    owner = given_owner()
    owner.add_delegate({"account": "delegate-li", "name": "李经办"}, by=Actor("owner-admin", Role.OWNER_ADMIN), now=NOW)
    e = only(owner.collect_events(), "DelegateAdded")
    assert (e.delegate, e.at) == ({"account": "delegate-li", "name": "李经办"}, NOW)


def test_add_delegate_with_an_existing_account_is_refused():
    owner = given_owner()
    owner.add_delegate({"account": "delegate-li", "name": "李经办"}, by=OPERATOR, now=NOW)
    owner.collect_events()
    with pytest.raises(DelegateExists) as refused:
        owner.add_delegate({"account": "delegate-li", "name": "另一个李"}, by=OPERATOR, now=NOW)
    assert refused.value.code == "delegate_exists"
    assert owner.collect_events() == []


def test_remove_delegate_records_delegate_removed():
    owner = given_owner()
    owner.add_delegate({"account": "delegate-li", "name": "李经办"}, by=OPERATOR, now=NOW)
    owner.collect_events()
    owner.remove_delegate("delegate-li", by=OPERATOR, now=NOW)
    assert only(owner.collect_events(), "DelegateRemoved").account == "delegate-li"
    assert owner.delegates == []


def test_remove_an_unknown_delegate_is_refused():
    owner = given_owner()
    with pytest.raises(UnknownDelegate) as refused:
        owner.remove_delegate("nobody", by=OPERATOR, now=NOW)
    assert refused.value.code == "unknown_delegate"
    assert owner.collect_events() == []


# --- ServiceItem ---------------------------------------------------------------------------


def given_item():
    item = ServiceItem.define("HP-01", "环境影响评价报告编制", "建设项目环境影响评价文件审批", DEPARTMENT_ID,
                              REQUIREMENT, by=OPERATOR, now=T0)  # fmt: skip
    item.collect_events()
    return item


def test_define_item_records_defined_with_the_normalised_requirement():
    item = ServiceItem.define("HP-01", "环评", "环评审批", DEPARTMENT_ID, None, self_preparable=True, by=OPERATOR, now=T0)
    e = only(item.collect_events(), "Defined")
    assert (e.code, e.department_id, e.self_preparable) == ("HP-01", str(DEPARTMENT_ID), True)
    assert e.requirement == {"mode": "all", "qualifications": []}
    assert item.id == ServiceItem.create_id("HP-01") and item.status is ItemStatus.LISTED


@pytest.mark.parametrize("requirement", [{"mode": "most"}, {"qualifications": [{"category": "环评", "min_level": "特级"}]}])
def test_define_item_with_an_invalid_requirement_is_refused(requirement):
    with pytest.raises(InvalidInput):
        ServiceItem.define("HP-01", "环评", "环评审批", DEPARTMENT_ID, requirement, by=OPERATOR, now=T0)


def test_revise_requirement_records_requirement_revised():
    item = given_item()
    item.revise_requirement({"qualifications": [{"category": "环境影响评价", "min_level": "甲级"}]},
                            by=OPERATOR, now=NOW)  # fmt: skip
    e = only(item.collect_events(), "RequirementRevised")
    assert e.requirement == {"mode": "all", "qualifications": [{"category": "环境影响评价", "min_level": "甲级"}]}


def test_withdraw_item_records_withdrawn_with_its_reason():
    item = given_item()
    item.withdraw("已取消该中介服务事项", by=OPERATOR, now=NOW)
    assert only(item.collect_events(), "Withdrawn").reason == "已取消该中介服务事项"
    assert item.status is ItemStatus.WITHDRAWN


def test_withdraw_item_without_a_reason_is_refused():
    item = given_item()
    with pytest.raises(MissingField):
        item.withdraw(" ", by=OPERATOR, now=NOW)
    assert item.collect_events() == []


@pytest.mark.parametrize("command", [
    lambda i: i.revise_requirement(REQUIREMENT, by=OPERATOR, now=NOW),
    lambda i: i.withdraw("再次移出", by=OPERATOR, now=NOW),
], ids=["revise", "withdraw"])  # fmt: skip
def test_item_command_after_withdrawal_is_refused_and_records_nothing(command):
    item = given_item()
    item.withdraw("已取消", by=OPERATOR, now=NOW)
    item.collect_events()
    with pytest.raises(TransitionForbidden):
        command(item)
    assert item.collect_events() == []


# --- Department --------------------------------------------------------------------------


def given_department():
    dept = Department.establish("HB", "长沙市生态环境局", "approving_department", "430100", by=OPERATOR, now=T0)
    dept.collect_events()
    return dept


def test_establish_department_records_established_without_empty_contacts():
    dept = Department.establish("HB", "长沙市生态环境局", "approving_department", "430100",
                                contacts={"phone": "0731-88880000", "email": ""}, by=OPERATOR, now=T0)  # fmt: skip
    e = only(dept.collect_events(), "Established")
    assert (e.code, e.kind, e.parent_id, e.contacts) == ("HB", "approving_department", None, {"phone": "0731-88880000"})
    assert dept.id == Department.create_id("HB") == DEPARTMENT_ID


def test_establish_affiliated_unit_records_its_parent():
    unit = Department.establish("HB-1", "环境科学研究院", "affiliated_unit", "430100", parent_id=DEPARTMENT_ID,
                                by=OPERATOR, now=T0)  # fmt: skip
    assert only(unit.collect_events(), "Established").parent_id == str(DEPARTMENT_ID)


@pytest.mark.parametrize(("kind", "field"), [("affiliated_unit", "parent_id"), ("bureau", "kind")])
def test_establish_with_an_invalid_kind_or_without_parent_is_refused(kind, field):
    with pytest.raises(InvalidInput) as refused:
        Department.establish("HB-1", "某单位", kind, "430100", by=OPERATOR, now=T0)
    assert refused.value.field == field


def test_appoint_records_staff_appointed_by_digest():
    dept = given_department()
    dept.appoint(PERSON, "王科长", "审批科科长", since=T0, by=OPERATOR, now=NOW)
    e = only(dept.collect_events(), "StaffAppointed")
    assert (e.id_digest, e.name, e.position, e.since) == (PERSON, "王科长", "审批科科长", T0)


def test_appoint_with_a_clear_id_number_is_refused():
    dept = given_department()
    with pytest.raises(InvalidInput) as refused:
        dept.appoint("430102198001010011", "王科长", "科长", since=T0, by=OPERATOR, now=NOW)
    assert refused.value.field == "id_digest"
    assert dept.collect_events() == []


def test_appoint_someone_already_listed_is_refused():
    dept = given_department()
    dept.appoint(PERSON, "王科长", "科长", since=T0, by=OPERATOR, now=NOW)
    dept.collect_events()
    with pytest.raises(StaffAlreadyListed) as refused:
        dept.appoint(PERSON, "王科长", "处长", since=NOW, by=OPERATOR, now=NOW)
    assert refused.value.code == "staff_already_listed"
    assert dept.collect_events() == []


def test_record_departure_records_staff_left_and_allows_reappointment():
    dept = given_department()
    dept.appoint(PERSON, "王科长", "科长", since=T0, by=OPERATOR, now=NOW)
    dept.collect_events()
    dept.record_departure(PERSON, left=NOW, by=OPERATOR, now=NOW)
    assert only(dept.collect_events(), "StaffLeft").left == NOW
    dept.appoint(PERSON, "王科长", "顾问", since=NOW + DAY, by=OPERATOR, now=NOW + DAY)
    only(dept.collect_events(), "StaffAppointed")


@pytest.mark.parametrize("appointed", [False, True], ids=["never-listed", "already-left"])
def test_record_departure_of_someone_not_listed_is_refused(appointed):
    dept = given_department()
    if appointed:
        dept.appoint(PERSON, "王科长", "科长", since=T0, by=OPERATOR, now=NOW)
        dept.record_departure(PERSON, left=NOW, by=OPERATOR, now=NOW)
        dept.collect_events()
    with pytest.raises(StaffNotListed) as refused:
        dept.record_departure(PERSON, left=NOW, by=OPERATOR, now=NOW)
    assert refused.value.code == "staff_not_listed"
    assert dept.collect_events() == []


def test_record_departure_with_a_naive_time_is_refused():
    dept = given_department()
    dept.appoint(PERSON, "王科长", "科长", since=T0, by=OPERATOR, now=NOW)
    dept.collect_events()
    with pytest.raises(InvalidInput) as refused:
        dept.record_departure(PERSON, left=NOW, by=OPERATOR, now=NOW.replace(tzinfo=None))
    assert refused.value.field == "now"
    assert dept.collect_events() == []
