"""Rendering of the monthly supervision report: one self-contained HTML page and a CSV.

The HTML has no external asset (no script, font, stylesheet or image link): the
charts are inline SVG drawn here, so the page opens offline and can be archived
as it is. Text is Chinese; amounts are yuan with thousands separators; times are
Asia/Shanghai. The CSV starts with a UTF-8 byte-order mark, without which Excel
reads Chinese text as mojibake.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from html import escape
from typing import Any

from market.clock import SHANGHAI

STAGE_NAMES = {
    "publication_award": "发布→中选确定", "award_contract": "中选→签订合同", "contract_delivery": "合同→提交成果",
    "delivery_acceptance": "提交成果→验收", "acceptance_evaluation": "验收→评价",
}  # fmt: skip
SEVERITY_NAMES = {"low": "低", "medium": "中", "high": "高", "critical": "严重"}
SEVERITY_COLOURS = {"low": "#9ecae1", "medium": "#fdae6b", "high": "#e6550d", "critical": "#a50f15"}
BAND_NAMES = {"red": "高度集中(红)", "amber": "集中度上升(黄)", "none": "—"}
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf")
MOST_LINES = 8  # markets drawn on the HHI chart (the most concentrated); the table lists them all


def yuan(fen: int | None) -> str:
    """Fen as yuan with thousands separators: 123456789 → 1,234,567.89."""
    if fen is None:
        return "—"
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def number(value: Any, digits: int = 0) -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}" if isinstance(value, float) or digits else f"{value:,}"


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def local_time(iso: str) -> str:
    return datetime.fromisoformat(iso).astimezone(SHANGHAI).strftime("%Y-%m-%d %H:%M")


# --- charts (inline SVG) -----------------------------------------------------------------


def _svg(width: int, height: int, body: list[str], title: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="{escape(title)}"><title>{escape(title)}</title>{"".join(body)}</svg>')  # fmt: skip


def _text(x: float, y: float, s: str, *, anchor: str = "middle", size: int = 11, colour: str = "#333") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" fill="{colour}">{escape(s)}</text>'


def hhi_chart(concentration: dict[str, Any], thresholds: dict[str, Any]) -> str:
    """HHI per market at each of the last month-ends, with the amber and red thresholds."""
    months, markets = concentration["months"], concentration["markets"][:MOST_LINES]
    width, height, left, top, plot_w, plot_h = 640, 300, 56, 20, 400, 220
    x = lambda i: left + (plot_w * i / max(len(months) - 1, 1))  # noqa: E731
    y = lambda v: top + plot_h * (1 - min(v, 10_000) / 10_000)  # noqa: E731
    body = [f'<rect x="{left}" y="{top}" width="{plot_w}" height="{plot_h}" fill="#fafafa" stroke="#ccc"/>']
    for v in (0, 2500, 5000, 7500, 10_000):
        body.append(_text(left - 6, y(v) + 4, f"{v:,}", anchor="end", size=10))
    for name, colour in (("hhi_amber", "#e6a700"), ("hhi_red", "#c00")):
        level = thresholds.get(name)
        if level is not None:
            body.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(level):.1f}" y2="{y(level):.1f}" '
                        f'stroke="{colour}" stroke-dasharray="5,4"/>')  # fmt: skip
            body.append(_text(left + plot_w + 4, y(level) + 4, f"{level:,}", anchor="start", size=10, colour=colour))
    for i, m in enumerate(months):
        body.append(_text(x(i), top + plot_h + 16, m, size=10))
    for n, market in enumerate(markets):
        colour = PALETTE[n % len(PALETTE)]
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(market["hhi_trend"]))
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        legend_y = top + 12 + 16 * n
        body.append(f'<rect x="{left + plot_w + 44}" y="{legend_y - 9}" width="10" height="10" fill="{colour}"/>')
        label = f"{market['service_item_name']} {market['region']}"
        body.append(_text(left + plot_w + 58, legend_y, label, anchor="start", size=10))
    if not markets:
        body.append(_text(left + plot_w / 2, top + plot_h / 2, "本月无市场数据"))
    return _svg(width, height, body, "各服务事项市场集中度(HHI)走势")


def bar_chart(title: str, groups: list[tuple[str, list[tuple[str, float, str]]]], unit: str = "") -> str:
    """Horizontal bars: each group a label and its (series, value, colour) bars stacked side by side."""
    width, left, bar_h, gap = 640, 150, 12, 10
    values = [v for _, bars in groups for _, v, _ in bars]
    top_value = max(values, default=0) or 1
    height = 30 + sum(len(bars) * bar_h + gap for _, bars in groups) + 10
    body, y = [], 20
    for label, bars in groups:
        body.append(_text(left - 8, y + len(bars) * bar_h / 2 + 4, label, anchor="end"))
        for series, value, colour in bars:
            w = 420 * value / top_value
            body.append(f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar_h - 2}" fill="{colour}"/>')
            body.append(_text(left + w + 4, y + bar_h - 3, f"{series} {number(value)}{unit}", anchor="start",
                              size=10))  # fmt: skip
            y += bar_h
        y += gap
    if not groups:
        body.append(_text(width / 2, 40, "本月无数据"))
        height = 60
    return _svg(width, height, body, title)


def delay_chart(delays: dict[str, Any]) -> str:
    groups = [(STAGE_NAMES[stage], [("中位数", s["median"] or 0, "#3182bd"), ("P90", s["p90"] or 0, "#9ecae1")])
              for stage, s in delays["stages"].items() if s["n"]]  # fmt: skip
    return bar_chart("各环节用时(工作日)", groups, " 个工作日")


def flag_chart(flags: dict[str, Any]) -> str:
    groups = [(code, [(SEVERITY_NAMES[s], n, SEVERITY_COLOURS[s]) for s, n in counts.items() if n])
              for code, counts in flags["by_code"].items()]  # fmt: skip
    return bar_chart("本月新增预警(按类型和严重程度)", groups, " 条")


def case_chart(cases: dict[str, Any]) -> str:
    groups = [("立案", [("立案", cases["opened"], "#6baed6")]), ("认定违规", [("认定", cases["confirmed"], "#de2d26")]),
              ("不予认定", [("不予认定", cases["dismissed"], "#74c476")])]  # fmt: skip
    return bar_chart("监管案件办理结果", [g for g in groups if g[1][0][1]], " 件")


# --- the page ------------------------------------------------------------------------------

STYLE = """body{font-family:"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:4px 8px;font-size:13px}
th{background:#f0f0f0}td.n{text-align:right}h1{font-size:22px}h2{font-size:18px;border-bottom:2px solid #c00}
.meta{color:#666;font-size:13px}"""


def _table(headers: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td{" class=n" if i in numeric else ""}>{escape(c)}</td>' for i, c in enumerate(r)) + "</tr>"
        for r in rows
    ) or f'<tr><td colspan="{len(headers)}">无</td></tr>'
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def market_rows(data: dict[str, Any]) -> list[list[str]]:
    return [[m["service_item_name"], m["service_item"], m["region"], number(m["requests"]), number(m["awards"]),
             yuan(m["value_fen"]), number(m["hhi"], 1), "—" if m["delta"] is None else number(m["delta"], 1),
             percent(m["cr4"]), percent(m["top_share"]), BAND_NAMES[m["band"]]]
            for m in data["concentration"]["markets"]]  # fmt: skip


def stage_rows(data: dict[str, Any]) -> list[list[str]]:
    return [[STAGE_NAMES[stage], number(s["n"]), number(s["median"]), number(s["p90"])]
            for stage, s in data["delays"]["stages"].items()]  # fmt: skip


def render_html(data: dict[str, Any]) -> str:
    c, d, f, k = data["concentration"], data["delays"], data["flags"], data["cases"]
    title = f"{data['region']} 地区 {data['month']} 中介服务监管月报"
    start, end = data["period"]
    parts = [
        f"<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{escape(title)}</title>",
        f"<style>{STYLE}</style></head><body><h1>{escape(title)}</h1>",
        f'<p class="meta">统计期间:{escape(local_time(start))} 至 {escape(local_time(end))}(北京时间);'
        f"生成时间:{escape(local_time(data['generated_at']))}</p>",
        "<h2>一、市场集中度(市场垄断)</h2>",
        f"<p>按服务事项×地区统计,滚动 {c['window_months']} 个月窗口;HHI 取按金额与按数量两者中较大者。"
        f"黄线为关注阈值 {number(data['thresholds']['hhi_amber'])},红线为高度集中阈值 {number(data['thresholds']['hhi_red'])}。</p>",
        hhi_chart(c, data["thresholds"]),
        _table(["服务事项", "编码", "地区", "需求数", "中选数", "金额(元)", "HHI", "HHI 变化", "CR4", "最大份额", "判断"],
               market_rows(data), {3, 4, 5, 6, 7, 8, 9}),
        "<h2>二、各环节用时(耗时长)</h2>",
        f"<p>本月提交成果 {number(d['deliveries'])} 件,其中超期 {number(d['late'])} 件(超期率 {percent(d['overrun_rate'])},"
        f"超期工作日中位数 {number(d['overrun_median'])}、P90 {number(d['overrun_p90'])});月末仍超期未交付 "
        f"{number(d['overdue_at_month_end'])} 件。</p>",
        delay_chart(d),
        _table(["环节(本月完成)", "件数", "中位数(工作日)", "P90(工作日)"], stage_rows(data), {1, 2, 3}),
        "<h2>三、监管预警</h2>",
        f"<p>本月新增预警 {number(f['total'])} 条,目前仍在预警中 {number(f['still_open'])} 条。</p>",
        flag_chart(f),
        _table(["预警类型", *(f"严重程度:{n}" for n in SEVERITY_NAMES.values()), "合计"],
               [[code, *(number(counts[s]) for s in SEVERITY_NAMES), number(sum(counts.values()))]
                for code, counts in f["by_code"].items()], {1, 2, 3, 4, 5}),  # fmt: skip
        "<h2>四、监管案件</h2>",
        f"<p>本月立案 {number(k['opened'])} 件;认定违规 {number(k['confirmed'])} 件(合计扣分 {number(k['points'])}),"
        f"不予认定 {number(k['dismissed'])} 件。</p>",
        case_chart(k),
        _table(["违规代码", "件数"], [[code, number(n)] for code, n in k["by_violation"].items()], {1}),
        "</body></html>",
    ]  # fmt: skip
    return "".join(parts)


def render_csv(data: dict[str, Any]) -> str:
    """Sections one after another (a title row, a header row, data rows), UTF-8 with BOM."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\r\n")
    w.writerow([f"{data['region']} 地区 {data['month']} 中介服务监管月报"])
    w.writerow(["统计期间(北京时间)", local_time(data["period"][0]), local_time(data["period"][1])])
    w.writerow(["生成时间(北京时间)", local_time(data["generated_at"])])
    w.writerow([])
    w.writerow(["一、市场集中度"])
    w.writerow(["服务事项", "编码", "地区", "需求数", "中选数", "金额(元)", "HHI", "HHI 变化", "CR4", "最大份额", "判断",
                *(f"HHI {m}" for m in data["concentration"]["months"])])  # fmt: skip
    for row, m in zip(market_rows(data), data["concentration"]["markets"], strict=True):
        w.writerow([*row, *(number(v, 1) for v in m["hhi_trend"])])
    w.writerow([])
    w.writerow(["二、各环节用时"])
    w.writerow(["环节(本月完成)", "件数", "中位数(工作日)", "P90(工作日)"])
    w.writerows(stage_rows(data))
    d = data["delays"]
    w.writerow(["本月提交成果", d["deliveries"], "超期", d["late"], "超期率", percent(d["overrun_rate"])])
    w.writerow(["月末仍超期未交付", d["overdue_at_month_end"]])
    w.writerow([])
    w.writerow(["三、监管预警"])
    w.writerow(["预警类型", *(f"严重程度:{n}" for n in SEVERITY_NAMES.values()), "合计"])
    for code, counts in data["flags"]["by_code"].items():
        w.writerow([code, *(counts[s] for s in SEVERITY_NAMES), sum(counts.values())])
    w.writerow(["合计", *(data["flags"]["by_severity"][s] for s in SEVERITY_NAMES), data["flags"]["total"]])
    w.writerow([])
    w.writerow(["四、监管案件"])
    k = data["cases"]
    w.writerow(["立案", k["opened"], "认定违规", k["confirmed"], "不予认定", k["dismissed"], "合计扣分", k["points"]])
    w.writerow(["违规代码", "件数"])
    w.writerows([code, n] for code, n in k["by_violation"].items())
    return "\ufeff" + out.getvalue()
