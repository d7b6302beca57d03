"""Log-in (OAuth2 password flow) and who is asking: bearer tokens and role guards.

``POST /api/token`` checks the password (argon2, in ``market/``) and returns a
JWT signed with HS256 under ``MARKET_TOKEN_SECRET``. Every other request names
its account in the token; the account's role and organisation are read from the
account itself (cached a few seconds), so a deactivated account stops working
within that time, whatever its token says.
"""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta, timezone
from typing import Annotated

import jwt
from fastapi import Depends, Form, Request
from fastapi.security import OAuth2PasswordBearer

from api.errors import NotAuthenticated
from domain.account import BadCredentials
from domain.base import Actor, Role
from domain.errors import NotAllowed

ALGORITHM = "HS256"
ACTOR_CACHE_SECONDS = 5.0
bearer = OAuth2PasswordBearer(tokenUrl="/api/token", auto_error=False, description="用户名和密码换取的访问令牌")


class Tokens:
    """Issues and reads bearer tokens; remembers recently checked accounts."""

    def __init__(self, market, secret: str, expiry_minutes: int, cache_seconds: float = ACTOR_CACHE_SECONDS) -> None:
        self.market = market
        self.cache_seconds = cache_seconds
        self.secret = secret
        self.expiry = timedelta(minutes=expiry_minutes)
        self._actors: dict[str, tuple[float, Actor]] = {}
        self._lock = threading.Lock()

    def issue(self, actor: Actor) -> str:
        now = datetime.now(timezone.utc)  # token expiry is wall-clock time, not business time
        claims = {"sub": actor.id, "role": actor.role.value, "iat": now, "exp": now + self.expiry}
        return jwt.encode(claims, self.secret, algorithm=ALGORITHM)

    def actor(self, token: str) -> Actor:
        try:
            claims = jwt.decode(token, self.secret, algorithms=[ALGORITHM], options={"require": ["sub", "exp"]})
        except jwt.PyJWTError:
            raise NotAuthenticated() from None
        username = claims["sub"]
        if not isinstance(username, str):
            raise NotAuthenticated()
        with self._lock:
            cached = self._actors.get(username)
        if cached is not None and time.monotonic() - cached[0] < self.cache_seconds:
            return cached[1]
        try:
            actor = self.market.account_actor(username)
        except BadCredentials:
            raise NotAuthenticated() from None
        with self._lock:
            self._actors[username] = (time.monotonic(), actor)
        return actor


def current_actor(request: Request, token: Annotated[str | None, Depends(bearer)]) -> Actor:
    """The account behind the bearer token, or 401."""
    if not token:
        raise NotAuthenticated()
    return request.app.state.tokens.actor(token)


def requires(*roles: Role):
    """A dependency: the current actor, if its role is one of ``roles``, else 403."""

    def guard(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role not in roles:
            raise NotAllowed(field="role", detail=actor.role.value)
        return actor

    return guard


OWNERS = (Role.OWNER_ADMIN, Role.OWNER_DELEGATE)
REGULATORS = (Role.REGULATOR, Role.DEPARTMENT)  # 管理机构、行业主管部门
AnyActor = Annotated[Actor, Depends(current_actor)]
OwnerActor = Annotated[Actor, Depends(requires(*OWNERS))]
AgencyActor = Annotated[Actor, Depends(requires(Role.AGENCY))]
OperatorActor = Annotated[Actor, Depends(requires(Role.OPERATOR))]
RegulatorActor = Annotated[Actor, Depends(requires(*REGULATORS))]
ChiefRegulator = Annotated[Actor, Depends(requires(Role.REGULATOR))]


class PasswordForm:
    """The OAuth2 password grant's form (RFC 6749 §4.3), with bounded fields."""

    def __init__(
        self,
        username: Annotated[str, Form(min_length=1, max_length=64, description="用户名")],
        password: Annotated[str, Form(min_length=1, max_length=128, description="密码")],
        grant_type: Annotated[str | None, Form(pattern="^password$", description="固定为 password")] = None,
        scope: Annotated[str, Form(max_length=200, description="未使用")] = "",
    ) -> None:
        self.username = username
        self.password = password
