"""The monthly supervision report over the planted scenario: its figures are the market's, its pages self-contained."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, datetime

from domain.supervision import Flag
from domain.supervision.metrics import percentile
from market.clock import SHANGHAI
from market.oversight.report import build_monthly_report
from market.oversight.scan import full_scan
from projections import market_concentration as mc
from projections import stage_delays as sd
from tests.builders import REGULATOR
from tests.supervision.scenario import CS, ZZ

JUNE = date(2025, 6, 1)
JUNE_START, JULY_START = datetime(2025, 6, 1, tzinfo=SHANGHAI), datetime(2025, 7, 1, tzinfo=SHANGHAI)


def report(s, region: str, month: date):
    s.read_models.catch_up()
    with s.read_models.connect() as conn:
        return build_monthly_report(conn, region, month, s.clock.now(), thresholds=s.market.thresholds())


def moment(s, pid: str, event: str) -> datetime | None:
    return next((e.at for e in s.market.history(pid) if type(e).__name__ == event), None)


def test_concentration_counts_the_region_s_awards_per_item_and_bands_the_planted_monopoly(supervised):
    s, sc = supervised, supervised.scenario
    figures = report(s, CS, JUNE).data["concentration"]

    markets = {m["service_item"]: m for m in figures["markets"]}
    assert set(markets) == {p.item for p in sc.plans if p.region == CS}
    for item, m in markets.items():  # the awards up to June's end, counted from the events themselves
        awarded = [p for p in sc.plans if (p.item, p.region) == (item, CS) and moment(s, str(p.pid), "Awarded") < JULY_START]
        assert m["awards"] == len(awarded) and m["region"] == CS
    assert [m["service_item"] for m in figures["markets"] if m["band"] == "red"] == ["HP-02"]
    assert figures["months"] == ["2025-01", "2025-02", "2025-03", "2025-04", "2025-05", "2025-06"]
    with s.read_models.connect() as conn:  # and the shares are the read model's
        for item, m in markets.items():
            window = mc.market_figures(conn, item, CS, datetime(2025, 6, 30, tzinfo=SHANGHAI), 12).current
            assert (m["hhi"], m["cr4"], m["value_fen"], m["hhi_trend"][-1]) == (window.hhi, window.cr4,
                                                                                 window.value_fen, window.hhi)
            may = mc.market_figures(conn, item, CS, datetime(2025, 5, 28, tzinfo=SHANGHAI), 12).current
            assert m["hhi_trend"][-2] == may.hhi
    assert markets["HP-02"]["hhi"] > 2500 and markets["HP-02"]["top_share"] > 0.75  # A0's 12 of 15


def test_delays_count_the_month_s_deliveries_and_their_overruns(supervised):
    s, sc = supervised, supervised.scenario
    delays = report(s, CS, JUNE).data["delays"]

    delivered = [p for p in sc.plans if p.region == CS
                 and JUNE_START <= moment(s, str(p.pid), "DeliverableSubmitted") < JULY_START]  # fmt: skip
    assert delays["deliveries"] == len(delivered) > 0
    assert delays["late"] == sum(1 for p in delivered if p.late_wd)
    assert delays["overrun_rate"] == round(delays["late"] / delays["deliveries"], 4)
    with s.read_models.connect() as conn:
        rows = [r for r in sd.regional_rows(conn, CS) if JUNE_START <= r["delivered_at"] < JULY_START]
    assert {r["procurement_id"] for r in rows} == {str(p.pid) for p in delivered}
    overruns = sorted(r["overrun_wd"] for r in rows if r["overrun_wd"])
    assert (delays["overrun_median"], delays["overrun_p90"]) == (percentile(overruns, 0.5), percentile(overruns, 0.9))
    assert {p.late_wd for p in delivered if p.late_wd} == set(overruns)  # the planted working days late
    contract = delays["stages"]["contract_delivery"]
    days = [r["contract_delivery_wd"] for r in rows]
    assert (contract["n"], contract["median"], contract["p90"]) == (len(rows), percentile(days, 0.5),
                                                                    percentile(days, 0.9))


def test_flags_and_case_outcomes_are_counted_in_the_regions_their_subjects_lie_in(supervised):
    s, sc = supervised, supervised.scenario
    full_scan(s.market, s.read_models)
    july = s.clock.now().date().replace(day=1)
    late = [p for p in sc.plans if p.late_wd and p.region == CS]
    overrun = Flag.create_id("DELAY_OVERRUN", str(late[0].pid))
    lockin = Flag.create_id("CONC_LOCKIN", f"{sc.owners[1][0]}|HP-03|{sc.agency(1)}")
    confirmed = s.market.open_case(overrun, by=REGULATOR)["case_id"]
    s.market.confirm_case(confirmed, ["成果提交超过合同时限10个工作日以上"], "V05", by=REGULATOR)
    dismissed = s.market.open_case(lockin, by=REGULATOR)["case_id"]
    s.market.dismiss_case(dismissed, ["连续性技术服务,经核查无指定行为"], by=REGULATOR)

    cs, zz, province = (report(s, region, july).data for region in (CS, ZZ, "430000"))

    assert cs["flags"]["by_code"]["DELAY_OVERRUN"] == {"low": 0, "medium": 0, "high": len(late), "critical": 0}
    assert zz["flags"]["by_code"]["DELAY_OVERRUN"] == {
        "low": sum(1 for p in sc.plans if p.region == ZZ and 0 < p.late_wd <= 10), "medium": 0, "critical": 0,
        "high": sum(1 for p in sc.plans if p.region == ZZ and p.late_wd > 10)}  # fmt: skip
    assert cs["flags"]["by_code"]["CONC_HHI"]["high"] == 1 and "CONC_HHI" not in zz["flags"]["by_code"]
    assert province["flags"]["total"] == len(s.flags()) == sum(province["flags"]["by_severity"].values())
    assert cs["flags"]["total"] + zz["flags"]["total"] >= province["flags"]["total"]  # agencies serve both cities

    assert {k: cs["cases"][k] for k in ("opened", "confirmed", "dismissed", "by_violation", "points")} == {
        "opened": 2, "confirmed": 1, "dismissed": 1, "by_violation": {"V05": 1}, "points": -3}  # fmt: skip
    # Owner O1 buys in both cities: the lock-in case is in ZZ's report too; the overrun is CS's alone.
    assert (zz["cases"]["opened"], zz["cases"]["confirmed"], zz["cases"]["dismissed"]) == (1, 0, 1)
    assert report(s, CS, JUNE).data["cases"]["opened"] == 0
    assert cs["headline"] == {"markets": 4, "markets_red": 1, "deliveries": cs["delays"]["deliveries"],
                              "late": cs["delays"]["late"], "flags": cs["flags"]["total"], "cases_opened": 2,
                              "cases_confirmed": 1, "cases_dismissed": 1}  # fmt: skip


def test_the_html_is_self_contained_chinese_with_inline_charts_and_the_csv_opens_in_excel(supervised):
    s = supervised
    built = report(s, CS, JUNE)
    page, sheet = built.html(), built.csv()

    assert page.startswith("<!DOCTYPE html>") and 'lang="zh-CN"' in page
    assert page.count("<svg") == 4 and "<polyline" in page and "<rect" in page
    for external in ("<script", "<link", "<img", "src=", "href=", "url(", "@import"):
        assert external not in page, external
    assert "430100 地区 2025-06 中介服务监管月报" in page and "市场集中度" in page and "监管案件" in page
    hp02 = next(m for m in built.data["concentration"]["markets"] if m["service_item"] == "HP-02")
    whole, fen = divmod(hp02["value_fen"], 100)
    assert f"{whole:,}.{fen:02d}" in page and re.search(r"\d{1,3}(,\d{3})+\.\d{2}", page)
    assert "2025-06-01 00:00 至 2025-07-01 00:00(北京时间)" in page
    assert f"生成时间:{s.clock.now().astimezone(SHANGHAI):%Y-%m-%d %H:%M}" in page

    assert sheet.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(sheet[1:])))
    header = rows[rows.index(["一、市场集中度"]) + 1]
    assert header[:3] == ["服务事项", "编码", "地区"] and header[-1] == "HHI 2025-06"
    first = rows[rows.index(["一、市场集中度"]) + 2]
    assert first[1] == "HP-02" and first[5] == f"{whole:,}.{fen:02d}"
    assert ["本月提交成果", str(built.data["delays"]["deliveries"]), "超期", str(built.data["delays"]["late"]),
            "超期率", f"{built.data['delays']['overrun_rate'] * 100:.1f}%"] in rows  # fmt: skip
    assert built.digest == report(s, CS, JUNE).digest  # the same month, read again: the same figures
