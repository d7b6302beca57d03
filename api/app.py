"""The HTTP API (FastAPI): ``create_app(settings)`` builds the market and its read models in the
lifespan, one Application per process, and follows the event log with a projection runner.

    uvicorn --factory api.app:create_app      # or: market serve
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import errors
from api.auth import Tokens
from admin import console
from api.routers import accounts, agency, audit, credit, operator, owner, personal_data, public, regulator, supervision
from disclosure import site as disclosure
from market.bootstrap import build_market, build_projections, build_scheduler
from market.settings import Settings
from projections.runner import ProjectionRunner, TrackedPositions

DESCRIPTION = """网上中介服务超市的接口。写操作经 `market/` 执行(每个 POST 都接受 `Idempotency-Key`),
读操作来自读模型。先用 `POST /api/token` 登录,再在请求头带上 `Authorization: Bearer <令牌>`。

报名截止前,除报价机构本身外,任何人(包括业主、运营机构、管理机构)都只能看到报名数量。
所有错误的响应体都是 `{"error": {"code", "message_zh", "message_en", "field", "detail"}}`。"""


def create_app(
    settings: Settings | None = None, *, market=None, read_models=None, start_runner: bool = True,
    start_scheduler: bool | None = None,
) -> FastAPI:
    """The API over ``market`` and ``read_models``, or over ones built from ``settings`` at start-up."""
    settings = settings or Settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own_market = market is None
        own_read_models = read_models is None
        app.state.market = market if market is not None else build_market(settings)
        try:
            app.state.read_models = read_models if read_models is not None else build_projections(settings, app.state.market)
            if not start_runner:
                app.state.runner = None  # tests that catch up by hand
            elif settings.run_projections:
                app.state.runner = ProjectionRunner(app.state.read_models).start()
            else:  # a `market projections follow` process follows; reads wait on its positions
                app.state.runner = TrackedPositions(app.state.read_models)
            app.state.tokens = Tokens(app.state.market, settings.token_secret, settings.token_expiry_minutes)
            # Deadlines and oversight run where the API runs unless a separate scheduler
            # process does (MARKET_RUN_SCHEDULER=false); tests that pass their own market opt in.
            run = (settings.run_scheduler and own_market) if start_scheduler is None else start_scheduler
            app.state.scheduler = build_scheduler(settings, app.state.market, app.state.read_models) if run else None
            if app.state.scheduler is not None:
                app.state.scheduler.start()
            yield
        finally:
            scheduler = getattr(app.state, "scheduler", None)
            if scheduler is not None:
                scheduler.stop()
            runner = getattr(app.state, "runner", None)
            if runner is not None:
                runner.stop()
            if own_read_models and getattr(app.state, "read_models", None) is not None:
                app.state.read_models.close()
            if own_market:
                app.state.market.close()

    app = FastAPI(
        title="网上中介服务超市 API", version="1.0", description=DESCRIPTION, lifespan=lifespan,
        openapi_tags=[
            {"name": "登录 auth", "description": "登录、当前账号、修改密码"},
            {"name": "公开信息 public", "description": "无需登录:公告、结果、合同、开放数据变更流、机构名录、中介机构注册"},
            {"name": "业主 owner", "description": "采购管理人和采购受托人"},
            {"name": "中介机构 agency", "description": "中介机构业务授权人"},
            {"name": "运营机构 operator", "description": "审核、质疑处理、工作日历、账号"},
            {"name": "监管 regulator", "description": "管理机构和行业主管部门:查询、处罚、规则"},
            {"name": "监管审计 audit", "description": "事件历史、任意版本或时刻的状态、版本差异、全局事件日志"},
            {"name": "监管预警 supervision", "description": "预警及其证据、监管阈值、监管案件、监管月报"},
            {"name": "信用 credit", "description": "信用分、等级及其依据,违规行为目录,信用惩戒和修复,审批部门评价"},
            {"name": "个人信息 personal data", "description": "机构人员脱敏显示、监管查阅留痕、删除个人信息"},
        ],
    )  # fmt: skip
    errors.install(app)
    for module in (accounts, public, owner, agency, operator, regulator, audit, supervision, credit, personal_data):
        app.include_router(module.router)
    disclosure.install(app)  # 信息公开: the public pages at / (no login)
    console.install(app, settings.token_secret)  # the browser console for operators and regulators, /admin/
    return app
