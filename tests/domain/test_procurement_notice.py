"""The 选取公告 (notice): validation at draft time, and how quotes are read against its budget."""

from datetime import datetime

import pytest

from domain.errors import InvalidInput, MissingField
from domain.procurement import Procurement
from domain.procurement import errors as E
from domain.procurement.notice import validate_notice
from tests.builders import T0
from tests.domain.given import (CLOSES, HOUR, OPENS, OWNER, OWNER_ID, agency_id, agency_user, eligible,
                                only, procurement_notice, signup_open)

AGENCY_1 = agency_user(agency_id(1))


def draft_refused(error, **notice_kw):
    with pytest.raises(error) as refused:
        Procurement.draft(OWNER_ID, procurement_notice(**notice_kw), by=OWNER, now=T0)
    return refused.value


# --- forbidden clauses (非禁即入; 限额管理 ban, 国办发〔2015〕31号) -----------------------


@pytest.mark.parametrize("clause", [
    "报名单位限本地注册", "须为本地注册企业", "限于本市中介机构", "仅限国有企业报名", "仅限省内机构",
    "限3家以内报名", "从入库5家中选取",
])  # fmt: skip
def test_draft_with_a_clause_restricting_region_ownership_or_count_is_refused(clause):
    refused = draft_refused(E.ForbiddenClause, description=clause)
    assert refused.code == "forbidden_clause" and refused.field == "description"


def test_draft_with_a_neutral_description_is_accepted():
    p = Procurement.draft(OWNER_ID, procurement_notice(description="服务地点在本市高新区"), by=OWNER, now=T0)
    assert only(p.collect_events(), "Drafted").notice["description"] == "服务地点在本市高新区"


# --- the rest of the notice -------------------------------------------------------------


@pytest.mark.parametrize(("budget", "field"), [
    ({"kind": "range", "min": "60000", "max": "50000"}, "budget.max"),
    ({"kind": "range", "min": "0", "max": "0"}, "budget.max"),
    ({"kind": "fixed", "amount": "-1"}, "budget.amount"),
    ({"kind": "fixed", "amount": "很多"}, "budget.amount"),
    ({"kind": "ceiling"}, "budget.kind"),
])  # fmt: skip
def test_draft_with_an_invalid_budget_is_refused(budget, field):
    assert draft_refused(InvalidInput, budget=budget).field == field


def test_validate_notice_normalises_money_to_cents_and_keeps_tbd_budgets():
    fixed = validate_notice(procurement_notice(budget={"kind": "fixed", "amount": "30000.005"}))
    assert fixed["budget"] == {"kind": "fixed", "amount": "30000.01"}
    assert validate_notice(procurement_notice(budget={"kind": "tbd"}))["budget"] == {"kind": "tbd"}


def test_draft_closing_sign_up_before_it_opens_is_refused():
    assert draft_refused(InvalidInput, closes=OPENS).field == "signup_closes_at"


def test_draft_selecting_before_sign_up_closes_is_refused():
    assert draft_refused(InvalidInput, selection=CLOSES - HOUR).field == "selection_at"


def test_draft_with_naive_times_is_refused():
    assert draft_refused(InvalidInput, opens=datetime(2026, 3, 3, 9)).field == "signup_opens_at"


@pytest.mark.parametrize(("change", "field"), [
    ({"method": "lottery"}, "method"),
    ({"fund_source": "foreign"}, "fund_source"),
    ({"service_time_limit_days": 0}, "service_time_limit_days"),
    ({"project_name": " "}, "project_name"),
])  # fmt: skip
def test_draft_with_an_invalid_field_is_refused(change, field):
    with pytest.raises(InvalidInput) as refused:
        Procurement.draft(OWNER_ID, {**procurement_notice(), **change}, by=OWNER, now=T0)
    assert refused.value.field == field


def test_draft_of_a_direct_selection_without_justification_is_refused():
    with pytest.raises(E.JustificationRequired) as refused:
        Procurement.draft(OWNER_ID, {**procurement_notice(method="direct"), "method_params": {}}, by=OWNER, now=T0)
    assert refused.value.code == "justification_required"


def test_draft_without_an_avoidance_reason_is_refused():
    refused = draft_refused(MissingField, avoided=[{"agency_id": agency_id(1), "reason": ""}])
    assert refused.field == "avoided.reason"


# --- quotes against the budget ------------------------------------------------------------


def sign_up_quoting(p, quote):
    p.sign_up(eligible(1), quote=quote, by=AGENCY_1, now=OPENS + HOUR)
    return only(p.collect_events(), "SignedUp").quote


def test_sign_up_with_a_discount_rate_is_priced_off_the_maximum():
    p = signup_open()
    assert sign_up_quoting(p, {"kind": "discount_rate", "value": "0.25"}) == {
        "kind": "discount_rate", "value": "0.25", "price": "37500.00"}


def test_sign_up_with_a_discount_rate_on_a_fixed_budget_is_priced_off_the_amount():
    p = signup_open(budget={"kind": "fixed", "amount": "20000"})
    assert sign_up_quoting(p, {"kind": "discount_rate", "value": "0.1"})["price"] == "18000.00"


@pytest.mark.parametrize("rate", ["1", "-0.1", "一成"])
def test_sign_up_with_a_discount_rate_outside_zero_to_one_is_refused(rate):
    p = signup_open()
    with pytest.raises(InvalidInput) as refused:
        p.sign_up(eligible(1), quote={"kind": "discount_rate", "value": rate}, by=AGENCY_1, now=OPENS)
    assert refused.value.field == "quote.value"
    assert p.collect_events() == []


def test_sign_up_with_a_discount_rate_on_an_undetermined_budget_is_refused():
    p = signup_open(budget={"kind": "tbd"})
    with pytest.raises(InvalidInput) as refused:
        p.sign_up(eligible(1), quote={"kind": "discount_rate", "value": "0.1"}, by=AGENCY_1, now=OPENS)
    assert refused.value.field == "quote.kind"
    assert p.collect_events() == []


@pytest.mark.parametrize("quote", [
    {"kind": "amount", "value": "50000.01"}, {"kind": "amount", "value": "9999.99"},
    {"kind": "discount_rate", "value": "0.9"},  # 5,000: below the 10,000 floor
])  # fmt: skip
def test_sign_up_with_a_quote_outside_the_ceiling_and_floor_is_refused(quote):
    p = signup_open()
    with pytest.raises(E.QuoteOutOfRange) as refused:
        p.sign_up(eligible(1), quote=quote, by=AGENCY_1, now=OPENS)
    assert refused.value.code == "quote_out_of_range"
    assert p.collect_events() == []


@pytest.mark.parametrize("price", ["10000", "50000"])
def test_sign_up_quoting_exactly_the_floor_or_ceiling_is_accepted(price):
    assert sign_up_quoting(signup_open(), {"kind": "amount", "value": price})["price"] == f"{price}.00"


def test_sign_up_without_a_quote_under_a_price_method_is_refused():
    p = signup_open()
    with pytest.raises(E.QuoteRequired) as refused:
        p.sign_up(eligible(1), quote=None, by=AGENCY_1, now=OPENS)
    assert refused.value.code == "quote_required"
    assert p.collect_events() == []


def test_sign_up_without_a_quote_under_random_selection_is_accepted():
    assert sign_up_quoting(signup_open(method="random"), None) is None


def test_revise_quote_out_of_range_is_refused():
    p = signup_open()
    sign_up_quoting(p, {"kind": "amount", "value": "30000"})
    with pytest.raises(E.QuoteOutOfRange):
        p.revise_quote(agency_id(1), {"kind": "amount", "value": "60000"}, by=AGENCY_1, now=OPENS + 2 * HOUR)
    assert p.collect_events() == []
