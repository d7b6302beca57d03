"""登录与账号 (everyone): the OAuth2 token, who I am, changing my password."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import Field

from api.auth import AnyActor, PasswordForm
from api.deps import IdempotencyHeader, Market, run
from api.errors import responses
from api.schemas.common import Body, Password
from api.schemas.views import AccountView, Token
from domain.account import Account

router = APIRouter(prefix="/api", tags=["登录 auth"])


class PasswordChange(Body):
    current_password: Annotated[str, Field(min_length=1, max_length=128)] = Field(description="当前密码")
    new_password: Password = Field(description="新密码(8–128 位)")


@router.post("/token", response_model=Token, responses=responses(401, 422), summary="登录(获取访问令牌)")
def token(form: Annotated[PasswordForm, Depends()], request: Request, market: Market,
          idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """OAuth2 密码模式:用户名和密码换取 Bearer 令牌(签发令牌不记录事件,幂等键无影响)."""
    actor = market.authenticate(form.username, form.password)
    tokens = request.app.state.tokens
    return {"access_token": tokens.issue(actor), "token_type": "bearer",
            "expires_in": int(tokens.expiry.total_seconds())}  # fmt: skip


@router.get("/me", response_model=AccountView, responses=responses(401), summary="当前账号")
def me(actor: AnyActor, market: Market) -> Any:
    """当前登录账号的用户名、角色和所属单位."""
    account = market.account(Account.create_id(actor.id))
    return {"account_id": str(account.id), "username": account.username, "display_name": account.display_name,
            "role": account.role_code, "organisation_id": account.organisation_id,
            "status": account.status_code}  # fmt: skip


@router.post("/me/password", response_model=AccountView, responses=responses(401, 403, 404, 409, 422),
             summary="修改密码")  # fmt: skip
def change_password(body: PasswordChange, actor: AnyActor, request: Request, response: Response,
                    idempotency_key: IdempotencyHeader = None) -> Any:  # fmt: skip
    """修改自己的登录密码(须提供当前密码)."""
    return run(request, response, actor, idempotency_key, "change_password", actor.id, body.new_password,
               current_password=body.current_password)  # fmt: skip
