"""The authorisation matrix: every route, asked by every role and by nobody.

Allowed roles get past authentication and authorisation (any answer but 401 and 403: the
state of the world may still refuse with 404, 409 or 422); other roles get 403, and a refused
request records nothing; without a token every non-public route answers 401.
"""

from __future__ import annotations

import uuid

from api.app import create_app
from tests.api.routes import PUBLIC, ROUTES, fill
from tests.api.world import PASSWORD, ROLES, USERS


def _ids(api) -> dict[str, str]:
    world = api.world
    return {
        "open": str(world.open_procurement()), "own": str(world.open_procurement(by_delegate=True)),
        "agency": str(world.agency_id(2)), "objection": str(uuid.uuid4()), "flag": str(uuid.uuid4()),
        "case": str(uuid.uuid4()),
    }  # fmt: skip


def _send(api, who, method, path, body):
    if body == "FORM":
        return api.client.post(path, data={"username": USERS["operator"], "password": PASSWORD},
                               headers=api.headers(who))  # fmt: skip
    return api.call(who, method, path, json=body)


def test_every_route_is_in_the_matrix():
    schema = create_app().openapi()
    documented = {(m.upper(), p) for p, ops in schema["paths"].items() for m in ops}
    listed = {(m, p.split("?")[0].replace("{own}", "{procurement_id}").replace("{open}", "{procurement_id}")
               .replace("{agency}", "{agency_id}").replace("{objection}", "{objection_id}")
               .replace("/accounts/nobody-here/", "/accounts/{username}/").replace("/calendar/2027", "/calendar/{year}")
               .replace("/aggregates/{procurement_id}", "/aggregates/{aggregate_id}").replace("{flag}", "{flag_id}")
               .replace("{case}", "{case_id}").replace("/reports/430100/2026-02.", "/reports/{region}/{month}."))
              for m, p, _, _ in ROUTES}  # fmt: skip
    assert documented == listed


def test_each_role_is_allowed_or_refused_on_every_route(api):
    ids = _ids(api)
    for method, template, body, allowed in ROUTES:
        path, payload = fill(template, ids), fill(body, ids)
        for role in ROLES:
            before = api.recorded()
            response = _send(api, role, method, path, payload)
            assert response.status_code != 500, (method, path, role, response.text)
            if allowed is PUBLIC or role in allowed:
                assert response.status_code not in (401, 403), (method, path, role, response.text)
                continue
            assert response.status_code == 403, (method, path, role, response.text)
            assert response.json()["error"]["code"] in ("not_allowed", "wrong_role"), response.text
            assert api.recorded() == before, f"{method} {path} as {role} recorded events"


def test_without_a_token_every_private_route_answers_401_and_records_nothing(api):
    ids = _ids(api)
    for method, template, body, allowed in ROUTES:
        before = api.recorded()
        response = _send(api, None, method, fill(template, ids), fill(body, ids))
        if allowed is PUBLIC:
            assert response.status_code not in (401, 403), (method, template, response.text)
            continue
        assert response.status_code == 401, (method, template, response.text)
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert response.json()["error"]["code"] == "not_authenticated"
        assert api.recorded() == before


def test_a_forged_or_expired_token_is_refused_with_401(api):
    good = api.token("regulator")
    forged = good[:-4] + ("AAAA" if not good.endswith("AAAA") else "BBBB")
    tokens = api.app.state.tokens
    expired = tokens.issue(api.market.account_actor("reg-1")).split(".")
    tokens.expiry = -tokens.expiry
    stale = tokens.issue(api.market.account_actor("reg-1"))
    for token in (forged, stale, "not-a-jwt", ".".join(expired[:2]) + ".x"):
        response = api.client.get("/api/regulator/events", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401, token
        assert response.headers["WWW-Authenticate"] == "Bearer"


def test_a_delegate_sees_and_acts_only_on_its_own_procurements(api):
    admins = api.world.open_procurement()
    delegates = api.world.open_procurement(by_delegate=True)
    listed = {r["procurement_id"] for r in api.get("owner_delegate", "/api/owner/procurements").json()}
    assert listed == {str(delegates)}
    all_of_unit = {r["procurement_id"] for r in api.get("owner_admin", "/api/owner/procurements").json()}
    assert all_of_unit == {str(admins), str(delegates)}

    assert api.get("owner_delegate", f"/api/owner/procurements/{admins}").status_code == 403
    assert api.get("owner_admin", f"/api/owner/procurements/{delegates}").status_code == 200
    before = api.recorded()
    refused = api.post("owner_delegate", f"/api/owner/procurements/{admins}/void",
                       {"reason_code": "noDemand", "reason": "项目取消"})  # fmt: skip
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "not_the_owner"
    assert api.recorded() == before
    allowed = api.post("owner_admin", f"/api/owner/procurements/{delegates}/void",
                       {"reason_code": "noDemand", "reason": "项目取消"})  # fmt: skip
    assert allowed.status_code == 200 and allowed.json()["status"] == "voided"


def test_an_owner_of_another_unit_is_refused(api, market):
    from domain.base import Role
    from tests.builders import OPERATOR, uscc

    other = market.register_owner(uscc(2, "11430100"), "另一单位", "government", "430100",
                                  {"account": "other-admin", "name": "钱管理"}, by=OPERATOR)["owner_id"]  # fmt: skip
    market.open_account("other-admin", "钱管理", Role.OWNER_ADMIN, other, PASSWORD, by=OPERATOR)
    pid = api.world.open_procurement()
    assert api.get("other-admin", f"/api/owner/procurements/{pid}").status_code == 403
    assert api.get("other-admin", "/api/owner/procurements").json() == []
    before = api.recorded()
    assert api.post("other-admin", f"/api/owner/procurements/{pid}/submit").status_code == 403
    assert api.recorded() == before


def test_an_agency_acts_only_for_itself(api, market, clock):
    from datetime import timedelta

    pid = api.world.open_procurement(method="direct", fund="social")
    assert api.post("agency", f"/api/agency/procurements/{pid}/signup").status_code == 200
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    chosen = {"chosen": str(api.world.agency_id(2))}
    assert api.post("owner_admin", f"/api/owner/procurements/{pid}/selection", chosen).status_code == 200
    before = api.recorded()
    # Agency 3 cannot abandon, or object to, agency 2's award; nor withdraw a sign-up it never made.
    assert api.post("agency-user-3", f"/api/agency/procurements/{pid}/abandon", {"reason": "x"}).status_code == 403
    objection = api.post("agency-user-3", f"/api/agency/procurements/{pid}/objections", {"reasons": ["x"]})
    assert objection.status_code == 409 and objection.json()["error"]["code"] == "not_signed_up"
    assert api.recorded() == before
    mine = {r["procurement_id"] for r in api.get("agency-user-3", "/api/agency/wins").json()}
    assert mine == set()
    assert [r["procurement_id"] for r in api.get("agency", "/api/agency/wins").json()] == [str(pid)]


def test_a_deactivated_account_can_no_longer_log_in_or_use_its_token(api):
    token = api.token("department")
    assert api.post("operator", "/api/operator/accounts/dept-1/deactivate", {"reason": "离职"}).status_code == 200
    assert api.client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert api.login("dept-1").status_code == 401
