"""The API's test world: a small market with an account for every role, and a client that
logs them in. Accounts are opened through the market; everything else goes through HTTP."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from fastapi.testclient import TestClient

from domain.base import Actor, Role
from tests.builders import OPERATOR, World, notice

PASSWORD = "correct-horse-battery"
USERS = {
    "owner_admin": "owner-admin", "owner_delegate": "owner-agent", "agency": "agency-user-2",
    "operator": "op-1", "regulator": "reg-1", "department": "dept-1",
}  # fmt: skip
ROLES = tuple(USERS)


def jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, datetime):
        return value.isoformat()
    return value


def notice_body(**kw: Any) -> dict[str, Any]:
    return jsonable(notice(**kw))


class ApiWorld:
    """``World`` plus a delegate, three admitted agencies (2, 3, 4) and an account per role."""

    def __init__(self, market, world: World) -> None:
        self.market, self.world = market, world
        m = market
        m.add_delegate(world.owner_id, {"account": "owner-agent", "name": "李经办"}, by=world.owner)
        self.agencies = {n: world.admitted_agency(n) for n in (2, 3, 4)}
        self.owner_id = world.owner_id
        orgs = {"owner_admin": world.owner_id, "owner_delegate": world.owner_id, "agency": self.agency_id(2),
                "department": world.department_id}  # fmt: skip
        for role, username in USERS.items():
            m.open_account(username, f"用户{username}", Role(role), orgs.get(role), PASSWORD, by=OPERATOR)
        for n in (3, 4):
            m.open_account(f"agency-user-{n}", f"用户{n}", Role.AGENCY, self.agency_id(n), PASSWORD, by=OPERATOR)
        self.delegate = Actor("owner-agent", Role.OWNER_DELEGATE, str(world.owner_id))

    def agency_id(self, n: int) -> UUID:
        return self.agencies[n][0]

    def open_procurement(self, *, by_delegate: bool = False, **notice_kw: Any) -> UUID:
        """Drafted (by the admin or the delegate), submitted, published: sign-up open at T0."""
        m, owner = self.market, self.delegate if by_delegate else self.world.owner
        pid = UUID(m.draft_procurement(self.owner_id, notice(**notice_kw), by=owner)["procurement_id"])
        m.submit_procurement(pid, by=owner)
        m.publish_procurement(pid, by=OPERATOR)
        return pid


class Api:
    """A TestClient logged in as every role; ``call(role, method, path)`` sends as that role."""

    def __init__(self, client: TestClient, market, world: ApiWorld) -> None:
        self.client, self.market, self.world = client, market, world
        self.tokens: dict[str, str] = {}

    @property
    def app(self):
        return self.client.app

    def login(self, username: str, password: str = PASSWORD):
        return self.client.post("/api/token", data={"username": username, "password": password})

    def token(self, who: str) -> str:
        username = USERS.get(who, who)
        if username not in self.tokens:
            response = self.login(username)
            assert response.status_code == 200, response.text
            self.tokens[username] = response.json()["access_token"]
        return self.tokens[username]

    def headers(self, who: str | None, **extra: str) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {self.token(who)}"} if who else {}
        return {**auth, **extra}

    def call(self, who: str | None, method: str, path: str, *, json: Any = None, data: Any = None,
             headers: dict[str, str] | None = None):  # fmt: skip
        if method == "GET":
            self.caught_up()
        return self.client.request(method, path, json=json, data=data, headers=self.headers(who, **(headers or {})))

    def get(self, who: str | None, path: str, **params: Any):
        self.caught_up()
        return self.client.get(path, params=params or None, headers=self.headers(who))

    def post(self, who: str | None, path: str, body: Any = None, **headers: str):
        return self.client.post(path, json=body, headers=self.headers(who, **headers))

    def caught_up(self) -> None:
        runner = self.app.state.runner
        if runner is not None:
            runner.wait_until_caught_up()

    def recorded(self) -> int:
        return self.market.recorder.max_notification_id() or 0
