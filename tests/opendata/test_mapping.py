"""The mapping of a procurement's events to OCDS releases: what is public, when, and in which terms."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from domain.procurement.status import ProcurementStatus
from domain.selection import METHODS
from market.clock import SHANGHAI
from market.opendata import OcdsExport, codelists as C
from tests.builders import OPERATOR, notice

DOC = "a" * 64
# OCDS 1.1.5 closed codelists (schema/codelists/*.csv).
TENDER_STATUSES = {"planning", "planned", "active", "cancelled", "unsuccessful", "complete", "withdrawn"}
METHOD_CODES = {"open", "selective", "limited", "direct"}
AWARD_CRITERIA = {"priceOnly", "costOnly", "qualityOnly", "ratedCriteria", "lowestCost", "bestProposal",
                  "bestValueToGovernment", "singleBidOnly"}  # fmt: skip


def releases_of(market, pid) -> list[dict]:
    return OcdsExport(market).releases([str(pid)])


def signed_up(market, world, clock, quotes=("30000", "28000", "26000")):
    """A published request with sign-ups and quotes, before the close; one revises, one withdraws."""
    agencies = [world.admitted_agency(n) for n in range(2, 2 + len(quotes) + 1)]
    pid = world.open_procurement()
    for (agency_id, actor), quote in zip(agencies, [*quotes, "45000"]):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": quote}, by=actor)
    market.revise_quote(pid, agencies[0][0], {"kind": "amount", "value": "29500"}, by=agencies[0][1])
    market.withdraw_signup(pid, agencies[-1][0], by=agencies[-1][1])
    return pid, agencies


def awarded(market, world, clock):
    pid, agencies = signed_up(market, world, clock)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    clock.advance(timedelta(days=7))  # past the 公示期
    market.award(pid)
    return pid, agencies


def test_export_of_a_request_not_yet_published_has_no_release(market, world):
    draft = market.draft_procurement(world.owner_id, notice(), by=world.owner)["procurement_id"]
    market.submit_procurement(draft, by=world.owner)
    market.return_procurement(draft, ["预算说明不清"], by=OPERATOR)

    assert releases_of(market, draft) == []


def test_export_before_the_close_carries_no_bids_quotes_or_tenderers(market, world, clock):
    pid, agencies = signed_up(market, world, clock)

    releases = releases_of(market, pid)

    assert [r["tag"] for r in releases] == [["planning", "tender"]]  # sealed sign-ups make no release
    text = json.dumps(releases, ensure_ascii=False)
    assert "bids" not in releases[0] and "tenderers" not in releases[0]["tender"]
    assert "numberOfTenderers" not in releases[0]["tender"]
    assert [p["roles"] for p in releases[0]["parties"]] == [["buyer", "procuringEntity"], ["reviewBody"]]
    for quote in ("29500", "28000", "26000", "45000"):
        assert quote not in text
    assert not any(str(agency_id) in text for agency_id, _ in agencies)


def test_export_after_the_close_publishes_the_frozen_list_with_its_quotes(market, world, clock):
    pid, agencies = signed_up(market, world, clock)
    clock.advance(timedelta(days=3))

    market.close_signup(pid)
    closed = releases_of(market, pid)[-1]

    assert closed["tag"] == ["tenderUpdate"]
    bids = {b["tenderers"][0]["name"]: b for b in closed["bids"]["details"]}
    assert sorted(b["value"]["amount"] for b in bids.values()) == [26000, 28000, 29500]  # the revised quote
    assert {b["status"] for b in bids.values()} == {"pending"}
    assert all(b["value"]["currency"] == "CNY" for b in bids.values())
    assert closed["tender"]["numberOfTenderers"] == 3  # the withdrawn sign-up is not on the list
    assert "45000" not in json.dumps(closed)


def test_parties_carry_their_roles_and_credit_codes(market, world, clock):
    pid, agencies = awarded(market, world, clock)

    release = releases_of(market, pid)[-1]

    assert release["tag"] == ["awardUpdate"]
    parties = {p["id"]: p for p in release["parties"]}
    buyer = parties[release["buyer"]["id"]]
    assert buyer["roles"] == ["buyer", "procuringEntity"] and buyer["name"] == "长沙市某区城投公司"
    assert buyer["identifier"]["scheme"] == "CN-USCC" and buyer["id"] == f"CN-USCC-{buyer['identifier']['id']}"
    assert parties["operator"]["roles"] == ["reviewBody"]
    winner = release["awards"][0]["suppliers"][0]["id"]
    assert parties[winner]["roles"] == ["tenderer", "supplier"]
    assert release["awards"][0]["status"] == "active" and release["awards"][0]["value"]["amount"] == 26000
    assert sorted(p["roles"] for p in parties.values()).count(["tenderer"]) == 2
    assert {b["status"] for b in release["bids"]["details"]} == {"valid"}


def test_releases_are_dated_by_business_time_in_beijing_and_numbered_by_event(market, world, clock):
    pid, _ = awarded(market, world, clock)
    events = {e.originator_version: e for e in market.history(pid)}

    releases = releases_of(market, pid)

    assert [r["tag"] for r in releases] == [["planning", "tender"], ["tenderUpdate"], ["award"], ["awardUpdate"]]
    for release in releases:
        version = int(release["id"].rsplit("-", 1)[1])
        assert release["ocid"] == f"ocds-zjcs01-{pid}" and release["id"] == f"{release['ocid']}-{version}"
        assert release["date"].endswith("+08:00")
        assert release["date"] == events[version].at.astimezone(SHANGHAI).isoformat(timespec="seconds")
    assert releases[0]["tender"]["tenderPeriod"]["startDate"].endswith("+08:00")


def test_contract_service_and_evaluation_map_to_contract_and_milestones(market, world, clock):
    pid, agencies = awarded(market, world, clock)
    winner = agencies[2][1]
    market.file_contract(pid, {"contract_no": "HT-2026-001", "amount": "26000", "document_sha256": DOC}, by=world.owner)
    market.confirm_contract(pid, by=winner)
    market.submit_deliverable(pid, {"title": "环境影响报告书(第1稿)", "sha256": DOC}, by=winner)
    market.reject_deliverable(pid, ["结论缺少监测数据"], by=world.owner)
    market.submit_deliverable(pid, {"title": "环境影响报告书(第2稿)", "sha256": DOC}, by=winner)
    market.accept_deliverable(pid, by=world.owner)
    market.evaluate(pid, dict.fromkeys(("quality", "timeliness", "attitude", "fee", "conduct"), 90), by=world.owner)

    releases = releases_of(market, pid)

    assert [r["tag"][0] for r in releases[4:]] == [
        "contract", "contractUpdate", "implementation", "implementationUpdate", "implementation",
        "implementationUpdate", "contractTermination",
    ]  # fmt: skip
    contract = releases[-1]["contracts"][0]
    assert contract["id"] == "HT-2026-001" and contract["awardID"] == releases[-1]["awards"][0]["id"]
    assert contract["status"] == "terminated" and contract["value"] == {"amount": 26000, "currency": "CNY"}
    assert releases[4]["contracts"][0]["status"] == "pending" and releases[5]["contracts"][0]["status"] == "active"
    assert [m["status"] for m in contract["implementation"]["milestones"]] == ["notMet", "met"]
    assert releases[-1]["tender"]["status"] == "complete"


def test_a_void_after_selection_cancels_the_tender_and_its_award(market, world, clock):
    pid, _ = signed_up(market, world, clock)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)

    market.void_procurement(pid, "noDemand", "项目取消", by=world.owner)
    last = releases_of(market, pid)[-1]

    assert last["tag"] == ["tenderCancellation", "awardCancellation"]
    assert last["tender"]["status"] == "cancelled" and last["awards"][0]["status"] == "cancelled"
    assert "supplier" not in {role for p in last["parties"] for role in p["roles"]}


def test_an_upheld_objection_cancels_the_award_and_disqualifies_the_struck_out_bid(market, world, clock):
    pid, agencies = signed_up(market, world, clock, quotes=("30000", "28000", "26000", "27000"))
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    winner_id = market.run_selection(pid)["winner"]
    objector_id, objector = agencies[0]
    objection = market.file_objection(pid, objector_id, ["中选机构资质证书已过期"], by=objector)["objection_id"]
    before = len(releases_of(market, pid))

    market.uphold_objection(pid, objection, "质疑成立", exclude_agency_id=winner_id, by=OPERATOR)
    releases = releases_of(market, pid)

    assert before == 3  # filing an objection makes no release
    assert [r["tag"] for r in releases[3:]] == [["awardCancellation", "tenderUpdate"], ["award"]]
    last = releases[-1]
    assert [a["status"] for a in last["awards"]] == ["cancelled", "pending"]
    assert last["awards"][1]["suppliers"][0]["id"] != last["awards"][0]["suppliers"][0]["id"]
    statuses = {b["tenderers"][0]["id"]: b["status"] for b in last["bids"]["details"]}
    assert statuses[last["awards"][0]["suppliers"][0]["id"]] == "disqualified"
    assert last["tender"]["numberOfTenderers"] == 4  # the struck-out agency did tender, and stays on record


def test_a_failed_round_and_its_republished_round_link_to_each_other(market, world, clock):
    agency_id, actor = world.admitted_agency(2)
    pid = world.open_procurement()
    market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)  # 流标: fewer sign-ups than the minimum
    next_id = market.republish(pid, by=world.owner)["procurement_id"]
    market.submit_procurement(next_id, by=world.owner)
    market.publish_procurement(next_id, by=OPERATOR)

    first, second = releases_of(market, pid), releases_of(market, next_id)

    assert first[-2]["tender"]["status"] == "unsuccessful" and first[-1]["tag"] == ["tenderUpdate"]
    link = {"scheme": "ocid"}
    assert first[-1]["relatedProcesses"] == [
        {"id": "next-round", "relationship": ["replacementProcess"], **link, "identifier": second[0]["ocid"]}
    ]
    assert second[0]["relatedProcesses"] == [
        {"id": "previous-round", "relationship": ["unsuccessfulProcess"], **link, "identifier": first[0]["ocid"]}
    ]


def test_export_never_carries_a_persons_data(market, world, clock):
    pid, _ = awarded(market, world, clock)

    text = json.dumps(releases_of(market, pid), ensure_ascii=False)

    # Accounts, the owner's admin, agencies' legal representatives, staff, phones and e-mails.
    for personal in ("owner-admin", "agency-user", "op-1", "张管理", "法人", "工程师", "股东", "0731-", "@example.cn"):
        assert personal not in text
    assert '"actor"' not in text and '"contactPoint"' not in text


@pytest.mark.parametrize("status", list(ProcurementStatus))
def test_every_state_maps_to_an_ocds_tender_status(status):
    assert C.tender_status(status, has_contract=True) in TENDER_STATUSES
    assert C.tender_status(status, has_contract=False) in TENDER_STATUSES


def test_a_termination_maps_to_complete_with_a_contract_and_unsuccessful_without():
    assert C.tender_status(ProcurementStatus.TERMINATED, has_contract=True) == "complete"
    assert C.tender_status(ProcurementStatus.TERMINATED, has_contract=False) == "unsuccessful"
    assert C.tender_status(ProcurementStatus.FAILED, has_contract=False) == "unsuccessful"
    assert C.tender_status(ProcurementStatus.VOIDED, has_contract=False) == "cancelled"


@pytest.mark.parametrize("method", sorted(METHODS))
def test_every_selection_method_maps_to_ocds_codes_and_its_chinese_name(method):
    assert C.PROCUREMENT_METHOD[method] in METHOD_CODES
    assert C.AWARD_CRITERIA[method] in AWARD_CRITERIA | {None}
    assert C.method_details(method) == METHODS[method].zh and C.AWARD_CRITERIA_DETAILS[method]
