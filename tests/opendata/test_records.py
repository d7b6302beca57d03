"""Compiled releases follow the OCDS merge rules; record packages group releases by ocid."""

from __future__ import annotations

from datetime import datetime

from market.clock import SHANGHAI
from market.opendata import OcdsConfig, compile_releases, record_package

OCID = "ocds-zjcs01-p1"


def release(n: int, date: str, tag: str, **fields) -> dict:
    return {"ocid": OCID, "id": f"{OCID}-{n}", "date": date, "tag": [tag], "initiationType": "tender", **fields}


def test_compiled_release_keeps_the_latest_value_of_each_field_and_earlier_fields_left_out_later():
    compiled = compile_releases([
        release(3, "2026-03-02T10:00:00+08:00", "tender", tender={"id": "t", "status": "active", "title": "A"}),
        release(9, "2026-03-05T17:00:00+08:00", "tenderUpdate", tender={"id": "t", "status": "complete"}),
    ])  # fmt: skip

    assert compiled["tender"] == {"id": "t", "status": "complete", "title": "A"}
    assert compiled["tag"] == ["compiled"] and compiled["date"] == "2026-03-05T17:00:00+08:00"
    assert compiled["id"] == f"{OCID}-2026-03-05T17:00:00+08:00" and compiled["ocid"] == OCID


def test_compiled_release_merges_arrays_of_objects_by_id_and_replaces_other_arrays():
    first = release(3, "2026-03-02T10:00:00+08:00", "award", parties=[
        {"id": "a", "name": "甲", "roles": ["tenderer"]}, {"id": "b", "name": "乙", "roles": ["tenderer"]},
    ], awards=[{"id": "award-3", "status": "pending", "value": {"amount": 1, "currency": "CNY"}}])  # fmt: skip
    later = release(4, "2026-03-09T10:00:00+08:00", "awardUpdate", parties=[
        {"id": "b", "roles": ["tenderer", "supplier"]},
    ], awards=[{"id": "award-3", "status": "active"}, {"id": "award-4", "status": "pending"}])  # fmt: skip

    compiled = compile_releases([later, first])  # out of order on purpose: merged by date

    assert compiled["parties"] == [
        {"id": "a", "name": "甲", "roles": ["tenderer"]}, {"id": "b", "name": "乙", "roles": ["tenderer", "supplier"]},
    ]  # fmt: skip
    assert compiled["awards"] == [
        {"id": "award-3", "status": "active", "value": {"amount": 1, "currency": "CNY"}},
        {"id": "award-4", "status": "pending"},
    ]  # fmt: skip


def test_compiled_release_removes_a_field_set_to_null():
    compiled = compile_releases([
        release(3, "2026-03-02T10:00:00+08:00", "tender", tender={"id": "t", "minValue": {"amount": 5}}),
        release(4, "2026-03-03T10:00:00+08:00", "tenderUpdate", tender={"id": "t", "minValue": None}),
    ])  # fmt: skip

    assert compiled["tender"] == {"id": "t"}


def test_record_package_holds_one_record_per_ocid_with_its_releases_oldest_first():
    other = {**release(1, "2026-03-01T10:00:00+08:00", "tender"), "ocid": "ocds-zjcs01-p2", "id": "ocds-zjcs01-p2-1"}
    releases = [release(3, "2026-03-02T10:00:00+08:00", "tender"), other,
                release(9, "2026-03-05T10:00:00+08:00", "tenderUpdate")]  # fmt: skip

    package = record_package(releases, OcdsConfig(), uri="https://x.example/r.json",
                             published=datetime(2026, 6, 1, 12, tzinfo=SHANGHAI))  # fmt: skip

    assert [r["ocid"] for r in package["records"]] == [OCID, "ocds-zjcs01-p2"]
    assert [r["id"] for r in package["records"][0]["releases"]] == [f"{OCID}-3", f"{OCID}-9"]
    assert package["publishedDate"] == "2026-06-01T12:00:00+08:00" and package["version"] == "1.1"
