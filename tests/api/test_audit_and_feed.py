"""The regulator's audit (history, state as of a version or a time, diffs, the global log) and
the public open-data feed, both paged by log position."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from tests.api.world import notice_body
from tests.builders import T0


def test_the_history_shows_time_actor_role_event_and_data(api):
    pid = api.world.open_procurement()
    events = api.get("regulator", f"/api/regulator/aggregates/{pid}/events").json()
    assert [(e["version"], e["event"], e["actor"], e["role"]) for e in events] == [
        (1, "Drafted", "owner-admin", "owner_admin"), (2, "Submitted", "owner-admin", "owner_admin"),
        (3, "Published", "op-1", "operator"),
    ]  # fmt: skip
    assert all(e["aggregate"] == "Procurement" and e["at"].startswith("2026-03-02T09:00") for e in events)
    assert events[0]["data"]["notice"]["project_name"] == "长沙某产业园建设项目"


def test_the_state_as_of_a_version_or_a_time_and_the_difference_between_versions(api, clock):
    pid = api.world.open_procurement(opens=T0 + timedelta(days=1))
    clock.advance(timedelta(hours=2))
    later = clock.now()
    assert api.post("owner_admin", f"/api/owner/procurements/{pid}/void",
                    {"reason_code": "noDemand", "reason": "项目取消"}).status_code == 200  # fmt: skip
    base = f"/api/regulator/aggregates/{pid}"
    assert api.get("regulator", f"{base}/state?version=1").json()["state"]["status_code"] == "draft"
    assert api.get("regulator", f"{base}/state").json()["state"]["status_code"] == "voided"
    at = quote((later - timedelta(hours=1)).isoformat())
    before_void = api.get("regulator", f"{base}/state?at={at}").json()
    assert (before_void["version"], before_void["state"]["status_code"]) == (3, "published")
    assert api.get("regulator", f"{base}/state?at={quote((T0 - timedelta(days=1)).isoformat())}").status_code == 404
    assert api.get("regulator", f"{base}/state?version=99").status_code == 404
    assert api.get("regulator", f"{base}/state?version=1&at={at}").status_code == 422
    changes = {c["key"]: (c["old"], c["new"]) for c in api.get("regulator", f"{base}/diff?from=3&to=4").json()["changes"]}
    assert changes == {"status_code": ("published", "voided")}


def test_password_hashes_never_show_in_the_audit(api):
    from domain.account import Account

    account = Account.create_id("op-1")
    for path in (f"/api/regulator/aggregates/{account}/events", f"/api/regulator/aggregates/{account}/state",
                 "/api/regulator/events?limit=1000"):  # fmt: skip
        assert "$argon2" not in api.get("regulator", path).text


def test_the_global_log_pages_by_position_without_missing_or_repeating(api):
    seen, after = [], 0
    while True:
        page = api.get("regulator", f"/api/regulator/events?after={after}&limit=7").json()
        if not page["items"]:
            assert page["next_after"] == after
            break
        seen += [e["position"] for e in page["items"]]
        after = page["next_after"]
    assert seen == sorted(set(seen)) and seen[-1] == api.recorded() and len(seen) == api.recorded()


def test_the_public_feed_can_be_followed_without_missing_or_repeating(api, market, clock):
    positions, after = [], 0

    def follow() -> None:
        nonlocal after
        while items := api.get(None, f"/api/public/feed?after={after}&limit=2").json()["items"]:
            positions.extend(i["position"] for i in items)
            after = items[-1]["position"]

    first = api.world.open_procurement()
    follow()
    second = api.world.open_procurement(opens=T0 + timedelta(days=1))
    api.post("agency", f"/api/agency/procurements/{first}/signup", {"quote": {"kind": "amount", "value": "30000"}})
    clock.advance(timedelta(days=3))
    market.close_signup(first)
    follow()
    kinds = [i["kind"] for i in api.get(None, "/api/public/feed?limit=1000").json()["items"]]
    assert positions == sorted(set(positions)) and len(positions) == len(kinds)
    assert kinds == ["published", "published", "signup_closed"] and second


def test_a_read_can_wait_for_its_own_write(api):
    created = api.post("owner_admin", "/api/owner/procurements", notice_body())
    wait = {"X-Consistent-After": created.headers["X-Event-Position"]}
    listed = api.client.get("/api/owner/procurements", headers=api.headers("owner_admin", **wait))
    assert created.json()["procurement_id"] in {r["procurement_id"] for r in listed.json()}


def test_the_openapi_schema_describes_every_operation_and_field_in_chinese(api):
    schema = api.client.get("/openapi.json").json()
    cjk = lambda text: any("\u4e00" <= ch <= "\u9fff" for ch in text or "")  # noqa: E731
    for path, operations in schema["paths"].items():
        for method, op in operations.items():
            assert cjk(op.get("summary")) and cjk(op.get("description")), (method, path)
            assert "\n" not in op["description"].strip(), (method, path)  # one-line docstrings
            for parameter in op.get("parameters", []):
                assert cjk(parameter.get("description")), (method, path, parameter["name"])
            if method == "post":
                assert any(p["name"] == "Idempotency-Key" for p in op.get("parameters", [])), path
    for name, component in schema["components"]["schemas"].items():
        if name.startswith(("HTTPValidationError", "ValidationError", "Body_")):
            continue
        for field, spec in component.get("properties", {}).items():
            assert cjk(spec.get("description")) or field in ("message_en",), (name, field)


def test_with_a_separate_follower_a_read_waits_for_its_write_on_the_tracked_positions(market, database_url, api_world):
    """MARKET_RUN_PROJECTIONS=false: the API follows nothing; another process's runner does."""
    from api.app import create_app
    from market.settings import Settings
    from projections.catalog import open_read_models
    from projections.runner import ProjectionRunner, TrackedPositions
    from tests.api.conftest import TOKEN_SECRET
    from tests.api.world import Api


    api_reads = open_read_models(database_url, market)
    follower_reads = open_read_models(database_url, market)  # what `market projections follow` opens
    settings = Settings(database_url=database_url, token_secret=TOKEN_SECRET, run_projections=False)
    app = create_app(settings, market=market, read_models=api_reads, start_scheduler=False)
    try:
        with TestClient(app) as client:
            assert isinstance(app.state.runner, TrackedPositions)
            api = Api(client, market, api_world)
            created = api.post("owner_admin", "/api/owner/procurements", notice_body())
            position = int(created.headers["X-Event-Position"])
            with pytest.raises(TimeoutError):  # nobody follows yet: the wait gives up
                app.state.runner.wait_until_caught_up(position, timeout=0.2)
            with ProjectionRunner(follower_reads, poll_interval=0.02):
                wait = {"X-Consistent-After": str(position)}
                listed = client.get("/api/owner/procurements", headers=api.headers("owner_admin", **wait))
            assert created.json()["procurement_id"] in {r["procurement_id"] for r in listed.json()}
    finally:
        api_reads.close()
        follower_reads.close()
