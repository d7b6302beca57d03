"""The agency API passes the client's address to the sign-up (a collusion screen, domain.md §9.4)."""

from __future__ import annotations


def test_a_sign_up_through_the_api_records_the_client_address(api, market):
    pid = api.world.open_procurement()

    quote = {"quote": {"kind": "amount", "value": "30000"}}
    reply = api.post("agency", f"/api/agency/procurements/{pid}/signup", quote)

    assert reply.status_code == 200
    (signed,) = [e for e in market.history(pid) if type(e).__name__ == "SignedUp"]
    assert signed.submitted_from == "testclient"  # Starlette's TestClient's request.client.host
