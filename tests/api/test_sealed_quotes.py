"""Sealed quotes: before sign-up closes nobody but the quoting agency sees who signed up or at
what price — not the owner, other agencies, the operator or regulators (their audit included);
only the count. After the close the owner and regulators see everything."""

from __future__ import annotations

from datetime import timedelta

import pytest

QUOTE_2, QUOTE_3 = "31234", "32345"  # amounts that appear nowhere else in the world


@pytest.fixture
def signed_up(api):
    """Agencies 2 and 3 signed up (with idempotency keys), agency 2 revised its quote; 4 did not."""
    pid = api.world.open_procurement()
    api.published_at = api.recorded()  # the global log from here on holds only this procurement's story
    path = f"/api/agency/procurements/{pid}"
    quote = {"kind": "amount", "value": "39999"}
    assert api.post("agency", f"{path}/signup", {"quote": quote}, **{"Idempotency-Key": "s-2"}).status_code == 200
    assert api.post("agency", f"{path}/quote", {"quote": {"kind": "amount", "value": QUOTE_2}}).status_code == 200
    three = {"quote": {"kind": "amount", "value": QUOTE_3}}
    assert api.post("agency-user-3", f"{path}/signup", three, **{"Idempotency-Key": "s-3"}).status_code == 200
    return pid


def _views(api, pid) -> dict[str, list[tuple[str, str]]]:
    """What each role can ask about the procurement: (who, path) pairs."""
    audit = f"/api/regulator/aggregates/{pid}"
    return {
        "public": [(None, f"/api/public/notices/{pid}"), (None, "/api/public/notices"), (None, "/api/public/feed")],
        "owner": [("owner_admin", f"/api/owner/procurements/{pid}"), ("owner_admin", "/api/owner/procurements")],
        "other agency": [("agency-user-4", "/api/agency/signups"), ("agency-user-4", "/api/agency/eligible"),
                         ("agency-user-4", "/api/agency/deadlines")],
        "operator": [("operator", "/api/operator/queue")],
        "regulator": [("regulator", "/api/regulator/procurements"), ("regulator", f"/api/regulator/procurements/{pid}/participants"),
                      ("regulator", f"{audit}/events"), ("regulator", f"{audit}/state"),
                      ("regulator", f"{audit}/state?version=5"), ("regulator", f"{audit}/diff?from=3&to=6"),
                      ("regulator", f"/api/regulator/events?after={api.published_at}"), ("department", f"{audit}/events")],
    }  # fmt: skip


def _secrets(api) -> list[str]:
    return [QUOTE_2, QUOTE_3, "39999", str(api.world.agency_id(2)), str(api.world.agency_id(3)), "agency-user-2",
            "agency-user-3", "s-2", "s-3"]  # fmt: skip


def test_before_the_close_only_the_count_shows_to_everyone_but_the_quoting_agency(api, signed_up):
    pid = signed_up
    for audience, asks in _views(api, pid).items():
        for who, path in asks:
            response = api.get(who, path)
            assert response.status_code == 200, (audience, path, response.text)
            leaked = [s for s in _secrets(api) if s in response.text]
            assert leaked == [], f"{audience} sees {leaked} at {path}"
    assert api.get(None, f"/api/public/notices/{pid}").json()["signup_count"] == 2
    assert api.get("owner_admin", f"/api/owner/procurements/{pid}").json()["signup_count"] == 2
    state = api.get("regulator", f"/api/regulator/aggregates/{pid}/state").json()["state"]
    assert state["signups"]["count"] == 2
    assert api.get("regulator", f"/api/regulator/procurements/{pid}/participants").json() == []
    events = api.get("regulator", f"/api/regulator/aggregates/{pid}/events").json()
    sealed = [e for e in events if e["event"] in ("SignedUp", "QuoteRevised")]
    assert len(sealed) == 3 and all(e["data"] == {"sealed": "(密封 sealed)"} and e["actor"] is None for e in sealed)


def test_before_the_close_each_agency_sees_its_own_quote_and_no_other(api, signed_up):
    mine = api.get("agency", "/api/agency/signups").json()
    assert [(s["procurement_id"], s["quote"]["value"]) for s in mine] == [(str(signed_up), "31234.00")]
    assert QUOTE_3 not in api.get("agency", "/api/agency/signups").text
    theirs = api.get("agency-user-3", "/api/agency/signups").json()
    assert [s["quote"]["value"] for s in theirs] == ["32345.00"]
    assert QUOTE_2 not in api.get("agency-user-3", "/api/agency/signups").text


def test_after_the_close_the_owner_and_regulators_see_everything(api, signed_up, market, clock):
    pid = signed_up
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    detail = api.get("owner_admin", f"/api/owner/procurements/{pid}").json()
    prices = {s["agency_id"]: s["price"] for s in detail["notice"]["signups"]}
    assert prices == {str(api.world.agency_id(2)): "31234.00", str(api.world.agency_id(3)): "32345.00"}

    events = api.get("regulator", f"/api/regulator/aggregates/{pid}/events").json()
    signed = {e["data"]["agency_id"]: e["actor"] for e in events if e["event"] == "SignedUp"}
    assert signed == {str(api.world.agency_id(2)): "agency-user-2", str(api.world.agency_id(3)): "agency-user-3"}
    revised = next(e for e in events if e["event"] == "QuoteRevised")
    assert revised["data"]["quote"]["value"] == "31234.00"
    state = api.get("regulator", f"/api/regulator/aggregates/{pid}/state?version=5").json()["state"]
    assert state["signups"][str(api.world.agency_id(2))]["quote"]["price"] == "31234.00"
    log = api.get("regulator", "/api/regulator/events?limit=1000").text
    assert "s-3" in log and QUOTE_3 in log  # the receipts too
    participants = api.get("regulator", f"/api/regulator/procurements/{pid}/participants").json()
    assert {p["agency_id"] for p in participants} == {str(api.world.agency_id(2)), str(api.world.agency_id(3))}
    # The frozen list is public after the close (with the prices the selection will use).
    assert len(api.get(None, f"/api/public/notices/{pid}").json()["signups"]) == 2


def test_the_draw_secret_stays_sealed_in_the_audit_until_the_selection_ran(api, market, clock):
    pid = api.world.open_procurement(method="random", fund="social")
    assert api.post("agency", f"/api/agency/procurements/{pid}/signup").status_code == 200
    secret_events = lambda: [e for e in api.get("regulator", "/api/regulator/events?limit=1000").json()["items"]
                             if e["aggregate"] == "DrawSecret" and e["data"]["procurement_id"] == str(pid)]  # noqa: E731
    assert [e["data"]["secret"] for e in secret_events()] == ["(密封 sealed)"]
    secret_id = secret_events()[0]["aggregate_id"]
    assert api.get("regulator", f"/api/regulator/aggregates/{secret_id}/state").json()["state"]["secret"] == "(密封 sealed)"
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    revealed = secret_events()[0]["data"]["secret"]
    assert len(revealed) == 64 and revealed in api.get(None, f"/api/public/results/{pid}").text


def test_persons_never_appear_in_public_responses(api):
    agency = api.world.agency_id(2)
    pages = [api.get(None, f"/api/public/agencies/{agency}").text, api.get(None, "/api/public/agencies").text]
    for text in pages:
        assert "id_digest" not in text and "法人2" not in text and "工程师2" not in text
    assert "legal_representative" not in pages[0] and "practitioners\"" not in pages[0]
