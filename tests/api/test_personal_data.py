"""Persons' data over HTTP: masked for the agency, the operator and the public; clear only to a
regulator, on record; erased on request, with the request in the audit log."""

from __future__ import annotations

from domain.base import Role
from domain.personal_data import ERASED
from tests.api.world import PASSWORD
from tests.builders import OPERATOR
from tests.privacy.people import JIA, ZHEN, admitted_agency, as_shareholder


def _agency_with_zhen_and_jia(api):
    """Agency 7 names 甄士隐 (legal representative) and 贾雨村 (practitioner); its account is agency-user-7."""
    agency_id, actor = admitted_agency(api.market)
    api.market.open_account("agency-user-7", "用户7", Role.AGENCY, str(agency_id), PASSWORD, by=OPERATOR)
    return agency_id, actor


def _no_clear_data(text: str) -> bool:
    return not any(person[f] in text for person in (ZHEN, JIA) for f in ("name", "phone", "email"))


def test_the_agency_sees_its_own_persons_masked(api):
    _agency_with_zhen_and_jia(api)

    response = api.get("agency-user-7", "/api/agency/persons")

    assert response.status_code == 200
    masked = {p["role"]: (p["name"], p["phone"], p["email"]) for p in response.json()}
    assert masked["legal_representative"] == ("甄**", "139****5678", "z***@example.cn")
    assert ("贾**", "0731-****6677", "j***@example.cn") in [
        (p["name"], p["phone"], p["email"]) for p in response.json() if p["role"] == "practitioners"]  # fmt: skip
    assert _no_clear_data(response.text)


def test_the_operator_sees_persons_masked_and_an_agency_cannot_look_at_another(api):
    agency_id, _ = _agency_with_zhen_and_jia(api)

    operator = api.get("operator", f"/api/operator/agencies/{agency_id}/persons")
    other_agency = api.get("agency", f"/api/operator/agencies/{agency_id}/persons")

    assert operator.status_code == 200 and _no_clear_data(operator.text)
    assert "甄**" in operator.text
    assert other_agency.status_code == 403


def test_public_agency_pages_show_no_persons(api):
    agency_id, _ = _agency_with_zhen_and_jia(api)

    page = api.get(None, f"/api/public/agencies/{agency_id}")
    listing = api.get(None, "/api/public/agencies")

    assert page.status_code == 200 and listing.status_code == 200
    assert _no_clear_data(page.text) and _no_clear_data(listing.text)
    assert "甄*" not in page.text and "id_digest" not in page.text


def test_a_regulator_sees_clear_data_only_on_record_and_the_access_is_in_the_audit_log(api):
    agency_id, _ = _agency_with_zhen_and_jia(api)
    before = api.recorded()

    response = api.post("regulator", f"/api/regulator/agencies/{agency_id}/persons/reveal",
                        {"purpose": "核查红顶中介线索"})  # fmt: skip

    assert response.status_code == 200
    body = response.json()
    legal = next(p for p in body["persons"] if p["role"] == "legal_representative")
    assert (legal["name"], legal["phone"], legal["email"]) == (ZHEN["name"], ZHEN["phone"], ZHEN["email"])
    log = api.get("regulator", "/api/regulator/events", after=before).json()["items"]
    assert [(e["aggregate"], e["event"], e["actor"], e["role"]) for e in log] == [
        ("PersonalDataAccess", "Recorded", "reg-1", "regulator")]  # fmt: skip
    data = log[0]["data"]
    assert data["agency_id"] == str(agency_id) and data["purpose"] == "核查红顶中介线索"
    assert api.market.digester.digest(ZHEN["id_number"]) in data["subjects"]
    assert log[0]["aggregate_id"] == body["access_id"]
    assert _no_clear_data(str(log))  # the record says whose data, never the data


def test_a_department_or_a_reveal_without_purpose_is_refused_and_records_nothing(api):
    agency_id, _ = _agency_with_zhen_and_jia(api)
    before = api.recorded()

    department = api.post("department", f"/api/regulator/agencies/{agency_id}/persons/reveal", {"purpose": "查看"})
    no_purpose = api.post("regulator", f"/api/regulator/agencies/{agency_id}/persons/reveal", {})

    assert (department.status_code, no_purpose.status_code) == (403, 422)
    assert _no_clear_data(department.text + no_purpose.text)
    assert api.recorded() == before


def test_an_erasure_is_recorded_and_the_person_then_reads_as_erased_everywhere(api):
    agency_id, actor = _agency_with_zhen_and_jia(api)
    api.market.submit_agency_change(agency_id, as_shareholder(ZHEN), by=actor)
    before = api.recorded()

    response = api.post("operator", "/api/operator/personal-data/erasures",
                        {"id_number": ZHEN["id_number"], "reason": "本人申请删除"})  # fmt: skip

    assert response.status_code == 200
    digest = api.market.digester.digest(ZHEN["id_number"])
    assert response.json()["id_digest"] == digest
    masked = {p["role"]: p for p in api.get("agency-user-7", "/api/agency/persons").json()}
    assert (masked["legal_representative"]["name"], masked["legal_representative"]["erased"]) == (ERASED, True)
    revealed = api.post("regulator", f"/api/regulator/agencies/{agency_id}/persons/reveal", {"purpose": "复核"}).json()
    legal = next(p for p in revealed["persons"] if p["role"] == "legal_representative")
    assert (legal["name"], legal["phone"], legal["email"]) == (ERASED, ERASED, ERASED)
    jia = next(p for p in revealed["persons"] if p["id_digest"] == api.market.digester.digest(JIA["id_number"]))
    assert jia["name"] == JIA["name"]
    log = api.get("regulator", "/api/regulator/events", after=before).json()["items"]
    erasure = next(e for e in log if e["aggregate"] == "ErasureRequest")
    assert (erasure["actor"], erasure["data"]["id_digest"], erasure["data"]["reason"]) == ("op-1", digest, "本人申请删除")
    assert ZHEN["id_number"] not in str(log)
    history = api.get("regulator", f"/api/regulator/aggregates/{agency_id}/events").json()
    assert [e["event"] for e in history][:2] == ["Registered", "Admitted"]  # history replays, unchanged
    assert _no_clear_data(str(history))


def test_an_erasure_names_one_person_one_way_and_needs_a_reason(api):
    before = api.recorded()
    digest = api.market.digester.digest(ZHEN["id_number"])

    both = api.post("regulator", "/api/regulator/personal-data/erasures",
                    {"id_number": ZHEN["id_number"], "id_digest": digest, "reason": "本人申请"})  # fmt: skip
    no_reason = api.post("regulator", "/api/regulator/personal-data/erasures", {"id_digest": digest})
    by_agency = api.post("agency", "/api/regulator/personal-data/erasures", {"id_digest": digest, "reason": "x"})

    assert both.status_code == 422 and both.json()["error"]["code"] == "invalid_input"
    assert no_reason.status_code == 422 and by_agency.status_code == 403
    assert api.recorded() == before
