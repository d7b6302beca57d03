"""One error body everywhere, statuses as HTTP means them, and idempotent POSTs."""

from __future__ import annotations

import uuid

from eventsourcing.persistence import IntegrityError

from tests.api.world import notice_body
from tests.builders import agency_profile, uscc

KEYS = {"code", "message_zh", "message_en", "field", "detail"}


def assert_error(response, status: int, code: str | None = None, field: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == KEYS, body
    if code is not None:
        assert body["error"]["code"] == code, body
    if field is not None:
        assert body["error"]["field"] == field, body
    return body["error"]


def test_a_malformed_body_gets_422_naming_the_field(api):
    without_name = {k: v for k, v in notice_body().items() if k != "project_name"}
    assert_error(api.post("owner_admin", "/api/owner/procurements", without_name), 422, "missing_field", "project_name")
    bad_budget = {**notice_body(), "budget": {"kind": "fixed", "amount": "12.345"}}
    assert_error(api.post("owner_admin", "/api/owner/procurements", bad_budget), 422, "invalid_input", "budget.amount")
    naive = {**notice_body(), "signup_opens_at": "2026-03-02T09:00:00"}
    assert_error(api.post("owner_admin", "/api/owner/procurements", naive), 422, "invalid_input", "signup_opens_at")
    nul = {**notice_body(), "project_name": "项目\x00名称"}
    assert_error(api.post("owner_admin", "/api/owner/procurements", nul), 422, "invalid_input", "project_name")
    broken = api.client.post("/api/owner/procurements", content=b"{not json",
                             headers={**api.headers("owner_admin"), "Content-Type": "application/json"})  # fmt: skip
    assert_error(broken, 422, "invalid_input")
    assert_error(api.get(None, "/api/public/notices", limit="many"), 422, "invalid_input", "limit")
    assert_error(api.get(None, "/api/public/notices/not-a-uuid"), 422, "invalid_input", "procurement_id")


def test_a_rule_the_domain_checks_gets_422_with_its_own_code(api):
    body = {**notice_body(method="direct"), "method_params": {}}
    assert_error(api.post("owner_admin", "/api/owner/procurements", body), 422, "justification_required")


def test_an_unknown_id_or_route_gets_404_and_a_wrong_method_405(api):
    unknown = uuid.uuid4()
    assert_error(api.get(None, f"/api/public/notices/{unknown}"), 404, "not_found", "procurement_id")
    assert_error(api.post("owner_admin", f"/api/owner/procurements/{unknown}/submit"), 404, "not_found")
    assert_error(api.get("regulator", f"/api/regulator/aggregates/{unknown}/events"), 404, "not_found")
    assert_error(api.get(None, "/api/no-such-route"), 404, "not_found")
    assert_error(api.client.delete("/api/public/notices"), 405, "method_not_allowed")


def test_a_state_that_forbids_the_command_gets_409(api):
    pid = api.world.open_procurement()
    assert_error(api.post("owner_admin", f"/api/owner/procurements/{pid}/submit"), 409, "transition_forbidden", "status")
    assert api.post("agency", f"/api/agency/procurements/{pid}/signup").status_code == 422  # quote required
    quote = {"quote": {"kind": "amount", "value": "30000"}}
    assert api.post("agency", f"/api/agency/procurements/{pid}/signup", quote).status_code == 200
    assert_error(api.post("agency", f"/api/agency/procurements/{pid}/signup", quote), 409, "already_signed_up")


def test_a_second_registration_of_the_same_credit_code_or_username_gets_409(api):
    body = {"uscc": uscc(50), "profile": agency_profile(50), "username": "agency-50", "display_name": "王",
            "password": "registration-pw"}  # fmt: skip
    first = api.post(None, "/api/public/agencies", body)
    assert first.status_code == 201 and first.json()["agency_status"] == "pending_review"
    assert_error(api.post(None, "/api/public/agencies", {**body, "username": "agency-51"}), 409, "already_registered")
    assert_error(api.post(None, "/api/public/agencies", {**body, "uscc": uscc(51)}), 409, "username_taken")
    login = api.login("agency-50", "registration-pw")
    assert login.status_code == 200
    api.caught_up()
    auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
    assert api.client.get("/api/agency/profile", headers=auth).json()["status"] == "pending_review"


def test_a_write_that_keeps_losing_the_race_gets_409_concurrent_change(api, market, monkeypatch):
    pid = api.world.open_procurement()
    market.retry_attempts = 2

    def always_raced(*aggregates, **kwargs):
        raise IntegrityError("another writer saved this version first")

    monkeypatch.setattr(market, "save", always_raced)
    before = api.recorded()
    response = api.post("agency", f"/api/agency/procurements/{pid}/signup", {"quote": {"kind": "amount", "value": "30000"}})
    assert_error(response, 409, "concurrent_change")
    assert api.recorded() == before


def test_a_repeated_idempotency_key_returns_the_first_answer_and_records_nothing(api):
    key = {"Idempotency-Key": "draft-2026-001"}
    first = api.post("owner_admin", "/api/owner/procurements", notice_body(), **key)
    assert first.status_code == 201
    after_first = api.recorded()
    again = api.post("owner_admin", "/api/owner/procurements", notice_body(), **key)
    assert (again.status_code, again.json()) == (201, first.json())
    assert api.recorded() == after_first
    other = api.post("owner_admin", "/api/owner/procurements", notice_body(project_name="另一个项目"), **key)
    assert_error(other, 409, "idempotency_key_reused", "Idempotency-Key")
    # Keys belong to their account: the delegate's same key is a new request.
    theirs = api.post("owner_delegate", "/api/owner/procurements", notice_body(), **key)
    assert theirs.status_code == 201 and theirs.json() != first.json()


def test_a_repeated_command_on_an_existing_procurement_is_idempotent_too(api):
    pid = api.world.open_procurement()
    body, key = {"quote": {"kind": "amount", "value": "30000"}}, {"Idempotency-Key": "signup-1"}
    first = api.post("agency", f"/api/agency/procurements/{pid}/signup", body, **key)
    recorded = api.recorded()
    again = api.post("agency", f"/api/agency/procurements/{pid}/signup", body, **key)
    assert (again.status_code, again.json()) == (200, first.json()) and api.recorded() == recorded


def test_login_failures_are_one_401_whatever_was_wrong(api):
    for username, password in (("op-1", "wrong-password"), ("nobody", "whatever-pw"), ("X" * 64, "p")):
        assert_error(api.login(username, password), 401, "bad_credentials")
    assert_error(api.client.post("/api/token", data={"username": "op-1"}), 422, "missing_field", "password")


def test_a_holder_changes_their_password_with_the_current_one(api):
    body = {"current_password": "correct-horse-battery", "new_password": "a-new-passphrase"}
    assert api.post("regulator", "/api/me/password", body).status_code == 200
    assert api.login("reg-1").status_code == 401
    assert api.login("reg-1", "a-new-passphrase").status_code == 200
    wrong = {"current_password": "not-the-password", "new_password": "another-passphrase"}
    assert_error(api.post("regulator", "/api/me/password", wrong), 422, "invalid_input", "current_password")
