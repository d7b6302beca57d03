"""Schemathesis over the whole OpenAPI schema: generated requests, valid and invalid, as a
regulator and as an owner (each operation with the token of its audience). No input may give a
server error, and every response must match the schema (status, content type, body).

The schema is read at collection time from an app that is never started; the requests go to
an app the module fixture starts over a small market on SQLite (``Forwarder``).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from schemathesis.specs.openapi import checks
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings

from api.app import create_app
from api.auth import Tokens
from market.bootstrap import build_market
from market.clock import FixedClock
from market.commands import accounts
from market.settings import Settings
from projections.catalog import open_read_models
from tests.api.conftest import CHEAP, TOKEN_SECRET
from tests.api.world import ApiWorld
from tests.builders import T0, World


class Forwarder:
    """An ASGI app forwarding HTTP requests to ``target``; its own lifespan does nothing."""

    def __init__(self) -> None:
        self.target = create_app()  # serves /openapi.json only, until the fixture swaps in a started app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                await send({"type": f"{message['type']}.complete"})
                if message["type"] == "lifespan.shutdown":
                    return
        await self.target(scope, receive, send)


FORWARDER = Forwarder()
schema = schemathesis.openapi.from_asgi("/openapi.json", FORWARDER)


@pytest.fixture(scope="module")
def tokens(tmp_path_factory) -> Iterator[dict[str, str]]:
    """A world with a procurement open for sign-up, served on SQLite; bearer tokens by audience."""
    patch = pytest.MonkeyPatch()
    patch.setattr(accounts, "password_hasher", lambda: CHEAP)
    url = f"sqlite:///{tmp_path_factory.mktemp('schema')}/events.db"
    market = build_market(Settings(database_url=url), clock=FixedClock(T0))
    ApiWorld(market, World(market)).open_procurement()
    read_models = open_read_models(url, market)
    app = create_app(Settings(database_url=url, token_secret=TOKEN_SECRET), market=market, read_models=read_models)
    issuer = Tokens(market, TOKEN_SECRET, 60)
    try:
        with TestClient(app):  # runs the lifespan: the projection runner follows the log
            FORWARDER.target = app
            yield {"regulator": issuer.issue(market.account_actor("reg-1")),
                   "owner": issuer.issue(market.account_actor("owner-admin"))}  # fmt: skip
            assert read_models.errors == {}, "a projection could not store what the API accepted"
    finally:
        FORWARDER.target = create_app()
        read_models.close()
        market.close()
        patch.undo()


# A request the schema allows may still break a business rule the schema cannot express (a quote
# above the ceiling, a wrong current password): the domain answers 422 for those, as documented.
# So "schema-valid data must be accepted" is not a check here; everything else is.
EXCLUDED = [checks.positive_data_acceptance]


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_input_gives_a_server_error_or_breaks_the_schema(case, tokens):
    who = "regulator" if case.path.startswith("/api/regulator") else "owner"
    # The assertion: call_and_validate raises, failing the test, when any check fails (a 5xx,
    # a status, header or body the schema does not allow) and shows the request that did it.
    case.call_and_validate(headers={"Authorization": f"Bearer {tokens[who]}"}, excluded_checks=EXCLUDED)
