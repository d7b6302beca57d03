"""``market serve``: the HTTP API (uvicorn), on the demo market when the database is a SQLite file.

    market serve [--host 127.0.0.1] [--port 8000] [--demo/--no-demo]

In demo mode (the default for a SQLite file) an empty database is first filled
with the demo market (``market demo``'s scenario, on a fixed clock), and demo
accounts are opened for each role. Business time then carries on from the
latest event in the database (at ``MARKET_CLOCK_ACCELERATION`` times real
speed), so the demo's open sign-ups are still open when you log in. Outside
demo mode the clock is the settings' (the real one by default). The API is
started by name (``api.app:create_app``): ``market/`` never imports ``api/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime

import typer
from eventsourcing.utils import get_topic

from domain.account import UsernameTaken
from domain.agency import Agency, AgencyStatus
from domain.base import Actor, Role
from domain.owner import Owner
from market.bootstrap import build_market
from market.clock import FixedClock
from market.settings import Settings

DEMO_PASSWORD = "demo-pass-2026"  # printed on start; a demo database only
DEMO_OPERATOR = Actor("op-001", Role.OPERATOR)  # the demo's 运营机构审核员 opens the accounts
ROLE_NAMES = {
    Role.OPERATOR: "运营机构 operator", Role.REGULATOR: "管理机构 regulator", Role.OWNER_ADMIN: "采购管理人 owner admin",
    Role.OWNER_DELEGATE: "采购受托人 owner delegate", Role.AGENCY: "中介机构 agency",
}  # fmt: skip


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    username: str
    organisation: str = "-"  # the owner unit's or agency's name
    organisation_id: str | None = None


def _is_sqlite_file(settings: Settings) -> bool:
    env = settings.event_store_env()
    return env.get("PERSISTENCE_MODULE") == "eventsourcing.sqlite" and env.get("SQLITE_DBNAME") != ":memory:"


def _registered(market, event_class: type) -> list:
    """Every event of one class, oldest first (a scan of the log by topic: demo-sized)."""
    topic, found, start = get_topic(event_class), [], None
    while True:
        page = market.recorder.select_notifications(start=start, limit=1000, topics=[topic], inclusive_of_start=False)
        found += [market.mapper.to_domain_event(n) for n in page]
        if len(page) < 1000:
            return found
        start = page[-1].id


def last_business_time(market) -> datetime | None:
    """The business time (``at``) of the newest event in the log."""
    head = market.recorder.max_notification_id()
    if not head:
        return None
    newest = market.recorder.select_notifications(start=head, limit=1)
    event = market.mapper.to_domain_event(newest[0])
    return getattr(event, "at", None) or event.timestamp


def demo_cast(market) -> list[DemoAccount]:
    """Who the demo accounts are: the platform's staff, the first owner with a delegate, the first
    admitted agency that is not suspended (all from the demo's registers)."""
    accounts = [DemoAccount(Role.OPERATOR, DEMO_OPERATOR.id), DemoAccount(Role.REGULATOR, "reg-001")]
    now = market.clock.now()
    for registered in _registered(market, Owner.Registered):
        owner = market.load(registered.originator_id, Owner)
        if owner.delegates:
            accounts += [DemoAccount(Role.OWNER_ADMIN, owner.admin["account"], owner.name, str(owner.id)),
                         DemoAccount(Role.OWNER_DELEGATE, owner.delegates[0]["account"], owner.name, str(owner.id))]
            break
    for registered in _registered(market, Agency.Registered):
        agency = market.load(registered.originator_id, Agency)
        if agency.status is AgencyStatus.ADMITTED and not agency.active_suspensions(now):
            accounts.append(DemoAccount(Role.AGENCY, registered.actor["id"], agency.name, str(agency.id)))
            break
    return accounts


def open_demo_accounts(market) -> list[DemoAccount]:
    """Open the demo accounts (kept as they are if they exist already)."""
    cast = demo_cast(market)
    for account in cast:
        try:
            market.open_account(account.username, account.username, account.role, account.organisation_id,
                                DEMO_PASSWORD, by=DEMO_OPERATOR)  # fmt: skip
        except UsernameTaken:
            pass
    return cast


def prepare(settings: Settings, *, seed: int) -> tuple[datetime, list[DemoAccount]]:
    """Fill an empty database with the demo market, open the demo accounts; when business time resumes."""
    from market.cli import DEMO_START, _holds_business_events
    from market.demo import build_demo

    market = build_market(settings, clock=FixedClock(DEMO_START))
    try:
        if not _holds_business_events(market):
            typer.echo("正在生成演示数据 Building the demo market …")
            build_demo(market, seed=seed)
        start = last_business_time(market) or DEMO_START
        market.clock.set(start)
        return start, open_demo_accounts(market)
    finally:
        market.close()


def serve(
    host: str = typer.Option("127.0.0.1", help="监听地址 Host"),
    port: int = typer.Option(8000, help="端口 Port"),
    demo: bool | None = typer.Option(
        None, "--demo/--no-demo", help="加载演示数据和演示账号 Demo market and accounts [default: for a SQLite file]"
    ),
    seed: int | None = typer.Option(None, help="演示数据随机种子 Demo seed [default: MARKET_DEMO_SEED or 2024]"),
) -> None:
    """启动接口服务 Serve the HTTP API (uvicorn); on SQLite with the demo market loaded."""
    import uvicorn

    settings = Settings()
    cast: list[DemoAccount] = []
    if _is_sqlite_file(settings) if demo is None else demo:
        start, cast = prepare(settings, seed=settings.demo_seed if seed is None else seed)
        if settings.clock_start is None:
            # Business time carries on from the newest event, so the demo's open sign-ups stay open.
            os.environ["MARKET_CLOCK_START"] = start.isoformat()
    base = f"http://{host}:{port}"
    typer.echo(f"接口地址 API:        {base}/api")
    typer.echo(f"接口文档 API docs:   {base}/docs")
    typer.echo(f"信息公开 Public:     {base}/")
    typer.echo(f"控制台 Console:      {base}/admin/  (运营机构、管理机构)")
    if cast:
        typer.echo(f"演示账号 Demo accounts (密码 password: {DEMO_PASSWORD}):")
        for account in cast:
            typer.echo(f"  {ROLE_NAMES[account.role]:<28} {account.username:<18} {account.organisation}")
    # By name, so that market/ never imports api/ (the layers); the app builds its own market.
    uvicorn.run("api.app:create_app", factory=True, host=host, port=port, log_level="info")
