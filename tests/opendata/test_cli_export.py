"""``market export-ocds`` writes a release package and a record package, for one request or all."""

from __future__ import annotations

import json
from datetime import timedelta

from typer.testing import CliRunner

from market.bootstrap import build_market
from market.cli import app
from market.clock import FixedClock
from market.settings import Settings
from tests.builders import T0, World, notice

runner = CliRunner()


def small_market(url: str) -> tuple[str, str]:
    """Two requests in a SQLite file: one closed for sign-up, one still a draft."""
    clock = FixedClock(T0)
    market = build_market(Settings(database_url=url), clock=clock)
    try:
        world = World(market)
        pid = world.open_procurement()
        for n in (2, 3):
            agency_id, actor = world.admitted_agency(n)
            market.sign_up(pid, agency_id, {"kind": "amount", "value": "20000"}, by=actor)
        clock.advance(timedelta(days=3))
        market.close_signup(pid)
        draft = market.draft_procurement(world.owner_id, notice(), by=world.owner)["procurement_id"]
        return str(pid), draft
    finally:
        market.close()


def test_export_ocds_writes_both_packages_for_all_published_requests(tmp_path):
    url = f"sqlite:///{tmp_path}/market.db"
    pid, _ = small_market(url)

    result = runner.invoke(app, ["export-ocds", "--out", str(tmp_path / "out" / "zjcs-releases.json")],
                           env={"MARKET_DATABASE_URL": url})  # fmt: skip

    assert result.exit_code == 0, result.output
    releases = json.loads((tmp_path / "out" / "zjcs-releases.json").read_text(encoding="utf-8"))
    records = json.loads((tmp_path / "out" / "zjcs-records.json").read_text(encoding="utf-8"))
    assert [r["tag"] for r in releases["releases"]] == [["planning", "tender"], ["tenderUpdate"]]
    assert [r["ocid"] for r in records["records"]] == [f"ocds-zjcs01-{pid}"]  # the draft is not public
    assert records["records"][0]["compiledRelease"]["tender"]["numberOfTenderers"] == 2
    assert "发布 Releases: 2" in result.output and "记录 Records: 1" in result.output


def test_export_ocds_of_one_request_and_of_an_unknown_or_unpublished_one(tmp_path):
    url = f"sqlite:///{tmp_path}/market.db"
    pid, draft = small_market(url)
    env = {"MARKET_DATABASE_URL": url}

    one = runner.invoke(app, ["export-ocds", "--procurement", pid, "--out", str(tmp_path / "one.json")], env=env)
    unknown = runner.invoke(app, ["export-ocds", "--procurement", "not-an-id"], env=env)
    unpublished = runner.invoke(app, ["export-ocds", "--procurement", draft], env=env)

    assert one.exit_code == 0, one.output
    assert json.loads((tmp_path / "one-records.json").read_text(encoding="utf-8"))["records"][0]["ocid"].endswith(pid)
    assert unknown.exit_code == 1 and "Not found" in unknown.output
    assert unpublished.exit_code == 1 and "Nothing public yet" in unpublished.output
