"""监管月报 (regulators): a region's monthly supervision report (``market/oversight/report.py``)
with charts, downloadable as HTML (self-contained, charts inline) and CSV."""

from __future__ import annotations

import threading
from datetime import date
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request
from fastapi.responses import Response

from admin import charts, credit, labels
from admin.pages.dashboard import STAGE_NAMES
from admin.session import Regulator
from admin.templating import SHANGHAI
from admin.web import market, page, reads

router = APIRouter(prefix="/admin/reports")
Month = Annotated[str, Path(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")]
CASE_NAMES = {"opened": "立案", "confirmed": "认定违规", "dismissed": "不予认定"}


def _month(text: str | None, request: Request) -> date:
    if text:
        try:
            return date.fromisoformat(f"{text}-01")
        except ValueError:
            raise HTTPException(422, "月份格式为 YYYY-MM") from None
    return market(request).clock.now().astimezone(SHANGHAI).date().replace(day=1)


REPORTS_KEPT = 24
_kept: dict[tuple, object] = {}  # (app, region, month, read-model positions) → report
_lock = threading.Lock()


def _report(request: Request, month: date, region: str | None):
    """The month's report, built once per state of the read models: its figures change only when they
    apply new events, and building one reads every market's windows (hundreds of milliseconds)."""
    m = market(request)
    read_models = request.app.state.read_models
    key = (id(request.app), region or m.region, month, tuple(sorted(read_models.positions().items())))
    with _lock:
        found = _kept.get(key)
    if found is None:
        with reads(request) as conn:
            found = credit.report(conn, key[1], month, m.clock.now())
        with _lock:
            while len(_kept) >= REPORTS_KEPT:
                _kept.pop(next(iter(_kept)))
            _kept[key] = found
    return found


def report_charts(data: dict) -> dict:
    """ECharts options drawn from the report's figures alone."""
    c = data["concentration"]
    hhi = {f"{x['service_item_name']} · {x['region']}": x["hhi_trend"] for x in c["markets"]}
    stages = data["delays"]["stages"]
    flag_counts = [{"code": code, "severity": s, "n": n} for code, by in data["flags"]["by_code"].items()
                   for s, n in by.items() if n]  # fmt: skip
    return {
        "hhi": charts.line_chart(c["months"], hhi, y_name="HHI", mark=data["thresholds"]["hhi_red"]) if hhi else None,
        "delays": charts.bar_chart([STAGE_NAMES.get(s, s) for s in stages],
                                   {"中位数": [v["median"] for v in stages.values()],
                                    "P90": [v["p90"] for v in stages.values()]}, y_name="工作日"),
        "flags": charts.flag_chart(flag_counts) if flag_counts else None,
        "cases": charts.pie_chart({CASE_NAMES[k]: data["cases"][k] for k in CASE_NAMES}),
    }  # fmt: skip


@router.get("")
def report_page(
    request: Request, user: Regulator, month: Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$")] = None,
    region: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None,
):  # fmt: skip
    """监管月报: pick a month (and region); the figures, the charts, and the downloads."""
    chosen = _month(month, request)
    report = _report(request, chosen, region)
    return page(request, "reports.html", report=report, data=report.data if report else None,
                charts=report_charts(report.data) if report else None, month=f"{chosen:%Y-%m}",
                region=region or market(request).region, codes=labels.FLAG_CODES)  # fmt: skip


@router.get("/{month}.{fmt}")
def download(request: Request, user: Regulator, month: Month, fmt: Annotated[str, Path(pattern="^(html|csv)$")],
             region: Annotated[str | None, Query(pattern=r"^[0-9]{2,12}$")] = None):  # fmt: skip
    """下载月报 (HTML or CSV)."""
    report = _report(request, _month(month, request), region)
    if report is None:
        raise HTTPException(404, "暂无数据:月报模块尚未启用")
    name = f"supervision-report-{region or market(request).region}-{month}.{fmt}"
    body, media = (report.html(), "text/html") if fmt == "html" else (report.csv(), "text/csv")
    return Response(body, media_type=f"{media}; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})  # fmt: skip
