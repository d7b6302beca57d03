"""The ``market`` command line (命令行): demo data, an object's history, draw verification.

    market demo [--seed N] [--reset/--no-reset]
    market history <aggregate-id>
    market verify-draw <procurement-id> [--export FILE]
    market export-ocds [--procurement ID] [--out FILE]
    market verify
    market export-chain <procurement-id> --out FILE
    market projections status | rebuild [NAME]
    market scheduler
    market serve [--host H] [--port P]

The database comes from ``MARKET_DATABASE_URL`` (see ``market/settings.py``).
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from uuid import UUID

import typer
from rich.console import Console

from domain.base import Role
from domain.calendar import WorkingDayCalendar
from domain.errors import NotFound
from domain.selection import METHODS, verify
from market.bootstrap import build_market
from market.cli_ops import projections_app, scheduler
from market.cli_serve import serve
from market.clock import SHANGHAI, FixedClock
from market.demo import build_demo
from market.integrity import commands as integrity
from market.draw_secrets import DrawSecret
from market.opendata.command import export_ocds
from market.settings import Settings

DEMO_START = datetime(2026, 3, 2, 9, 0, tzinfo=SHANGHAI)  # a Monday; the demo runs into late May
# The library's bookkeeping and what each line already shows; the rest is the event's own data.
_SHOWN_APART = {"originator_id", "originator_version", "originator_topic", "timestamp", "at", "actor"}
_RESULT_EVENTS = ("WinnerSelected", "Shortlisted", "SelectionFailed", "PickedFromShortlist")
ROLE_LABELS = {
    Role.OWNER_ADMIN.value: "采购管理人", Role.OWNER_DELEGATE.value: "采购受托人", Role.AGENCY.value: "中介机构",
    Role.OPERATOR.value: "运营机构", Role.REGULATOR.value: "管理机构", Role.DEPARTMENT.value: "主管部门",
    Role.SYSTEM.value: "系统",
}  # fmt: skip

app = typer.Typer(
    help="网上中介服务超市 · Online intermediary-service marketplace", no_args_is_help=True, add_completion=False
)


def main() -> None:
    app()


app.add_typer(projections_app, name="projections")
app.command("scheduler")(scheduler)
app.command("serve")(serve)
app.command("export-ocds")(export_ocds)
app.command("verify")(integrity.verify)
app.command("export-chain")(integrity.export_chain)


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)


@app.command()
def demo(
    seed: int | None = typer.Option(None, help="随机种子 Random seed [default: MARKET_DEMO_SEED or 2024]"),
    reset: bool | None = typer.Option(
        None, "--reset/--no-reset",
        help="先删除 SQLite 文件 Delete the SQLite file first [default: reset for SQLite files]",
    ),  # fmt: skip
) -> None:
    """构建演示数据并打印摘要 Build the demo market and print its summary."""
    settings = Settings()
    seed = settings.demo_seed if seed is None else seed
    env = settings.event_store_env()
    sqlite_file = env.get("SQLITE_DBNAME") not in (None, ":memory:")
    if sqlite_file and reset is not False:
        # The event store, its read models (a sibling "-read" file) and its person keys ("-keys") go together.
        store = Path(env["SQLITE_DBNAME"])
        for path in (store, *(store.with_name(f"{store.stem}-{part}{store.suffix or '.db'}") for part in ("read", "keys"))):
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    market = build_market(settings, clock=FixedClock(DEMO_START))
    try:
        if _holds_business_events(market):
            if sqlite_file:
                raise _fail("数据库已有数据;加 --reset 重建。The database already holds events; pass --reset.")
            raise _fail(
                "PostgreSQL 数据库已有数据,演示数据只写入空库:请清空(删除 market_* 表)或换一个数据库。\n"
                "The PostgreSQL database already holds events; the demo only writes to an empty one: "
                "drop its market_* tables or point MARKET_DATABASE_URL at a new database."
            )  # fmt: skip
        summary = build_demo(market, seed=seed)
    finally:
        market.close()
    console = Console()
    console.print(summary.render())
    sample = summary.example("closed", "lowest_price") or summary.procurements[0]
    console.print(f"查看事件 History:  market history {sample.id}", markup=False, highlight=False)
    console.print(f"复核抽取 Verify:   market verify-draw {sample.id}", markup=False, highlight=False)


def _holds_business_events(market) -> bool:
    """Anything stored besides the working-day calendar that every market seeds."""
    calendar_id = WorkingDayCalendar.id_for(market.region)
    notifications = market.recorder.select_notifications(start=None, limit=100)
    return any(n.originator_id != calendar_id for n in notifications)


@app.command()
def history(aggregate_id: str = typer.Argument(..., help="对象编号 Aggregate id (UUID)")) -> None:
    """打印一个对象的全部事件 Print one aggregate's events, oldest first."""
    events = _history(aggregate_id)
    # The aggregate's class names every event (``Submitted`` is declared on a base class of Procurement).
    kind = type(events[0]).__qualname__.split(".")[0]
    typer.echo(f"{kind} {aggregate_id}: {len(events)} 个事件 events")
    for e in events:
        at = getattr(e, "at", None) or e.timestamp
        actor = getattr(e, "actor", None)
        who = f"{actor['id']} ({actor['role']} {ROLE_LABELS.get(actor['role'], '')})" if actor else "-"
        when = f"{at.astimezone(SHANGHAI):%Y-%m-%d %H:%M:%S}"
        typer.echo(f"v{e.originator_version}  {when}  {who}  {kind}.{type(e).__name__}")
        data = {k: v for k, v in vars(e).items() if k not in _SHOWN_APART}
        if kind == DrawSecret.__name__ and "secret" in data:
            data["secret"] = "(密封 sealed: 选取后见结果记录 revealed in the selection result)"
        typer.echo("    " + json.dumps(data, ensure_ascii=False, default=_json_value))


@app.command("verify-draw")
def verify_draw(
    procurement_id: str = typer.Argument(..., help="采购需求编号 Procurement id"),
    export: Path | None = typer.Option(
        None, "--export", help="把结果记录写成 JSON 文件 Write the result record as JSON (for tools/verify_draw.py)"
    ),
) -> None:
    """复核选取结果 Re-check a procurement's published selection result (种子、名单、结果)."""
    records = [e.result for e in _history(procurement_id) if type(e).__name__ in _RESULT_EVENTS]
    if not records:
        raise _fail(f"尚无选取结果 No selection result yet: {procurement_id}")
    record = records[-1]  # the one in force (a re-run after an upheld objection replaces the first)
    if export is not None:
        text = json.dumps(record, ensure_ascii=False, indent=2, default=_json_value)
        export.write_text(text + "\n", encoding="utf-8")
        typer.echo(f"已导出 Exported: {export}")
    genuine, reasons = verify(record)
    if not genuine:
        typer.echo("不一致 / MISMATCH")
        for reason in reasons:
            typer.echo(f"  - {reason}")
        raise typer.Exit(code=1)
    outcome = record["outcome"]
    method = METHODS[record["method"]].zh if record["method"] in METHODS else ""
    typer.echo("真实有效 / GENUINE")
    typer.echo(f"  方式 method: {record['method']} {method}; 结果 outcome: {outcome['status']}")
    reason = f"; 原因 reason: {outcome['failure_reason']}" if outcome["failure_reason"] else ""
    typer.echo(f"  中选 winner: {outcome['winner'] or '-'}{reason}")
    typer.echo(f"  承诺值 commitment (见公告 in the notice): {record['commitment']}")
    typer.echo(f"  名单哈希 list hash (见报名截止 at the close): {record['list_hash']}")


def _history(aggregate_id: str) -> list[Any]:
    market = build_market(Settings())
    try:
        return market.history(aggregate_id)
    except NotFound:
        raise _fail(f"未找到该对象 Not found: {aggregate_id}") from None
    finally:
        market.close()


def _json_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(SHANGHAI).isoformat()
    if isinstance(value, (date, UUID, Decimal)):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    return str(value)
