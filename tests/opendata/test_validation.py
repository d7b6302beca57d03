"""The whole demo market, exported, passes libcoveocds against OCDS 1.1.5 with the bid extension."""

from __future__ import annotations

from datetime import datetime

import pytest

from market.bootstrap import build_market
from market.clock import SHANGHAI, FixedClock
from market.demo import build_demo
from market.opendata import OcdsConfig, OcdsExport
from market.settings import Settings

START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)


@pytest.fixture(scope="module")
def demo_export(bid_extension_url: str):
    market = build_market(Settings(database_url="memory://"), clock=FixedClock(START))
    try:
        summary = build_demo(market, seed=2024)
        exporter = OcdsExport(market, OcdsConfig(extensions=(bid_extension_url,)))
        releases = exporter.releases()
        published = {p.id for p in summary.procurements
                     if any(type(e).__name__ == "Published" for e in market.history(p.id))}  # fmt: skip
        yield summary, published, exporter.release_package(releases), exporter.record_package(releases)
    finally:
        market.close()


def assert_clean(report: dict, count: int) -> None:
    assert report["extensions"]["invalid_extensions"] == []
    assert report["extensions"]["is_extended_schema"] is True  # the bid extension was applied
    assert report["validation_errors"] == []
    assert report["additional_fields"] == []  # no unknown field anywhere
    assert report["additional_closed_codelist_values"] == {}
    assert report["additional_checks"] == {}  # e.g. no empty arrays or objects
    assert report["count"] == count


def test_every_demo_release_is_valid_ocds_without_unknown_fields(demo_export, cove):
    summary, published, releases, _ = demo_export
    assert len(summary.procurements) >= 60 and len(published) >= 50
    assert {r["ocid"].removeprefix("ocds-zjcs01-") for r in releases["releases"]} == published

    assert_clean(cove(releases), count=len(releases["releases"]))


def test_every_demo_record_is_valid_ocds_without_unknown_fields(demo_export, cove):
    _, published, releases, records = demo_export
    assert len(records["records"]) == len(published)
    assert sum(len(r["releases"]) for r in records["records"]) == len(releases["releases"])

    assert_clean(cove(records), count=len(published))


def test_the_demo_export_uses_every_release_stage(demo_export):
    tags = {t for r in demo_export[2]["releases"] for t in r["tag"]}
    assert {"planning", "tender", "tenderUpdate", "award", "awardUpdate", "awardCancellation", "contract",
            "contractUpdate", "implementation", "implementationUpdate", "contractTermination",
            "tenderCancellation"} <= tags  # fmt: skip
