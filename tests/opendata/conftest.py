"""Fixtures for the open-data tests: a small world in memory, and libcoveocds working offline.

libcoveocds reads the standard from ``../shared/ocds/standard-1__1__5.zip`` (beside the
repository) and fetches extensions over HTTP only, so the bid extension is served from
``../shared/ocds/extensions`` on a loopback port for the duration of the module. The
record-package schema also names ``versioned-release-validation-schema.json`` by its
canonical https address, which jsonref fetches itself: that one address prefix is
answered from the same zip, and any other address fails the test (no network at all).
"""

from __future__ import annotations

import functools
import json
import os
import threading
import zipfile
from collections.abc import Callable, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from market.bootstrap import build_market
from market.clock import FixedClock
from market.settings import Settings
from tests.builders import T0, World

SHARED_OCDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "ocds"
STANDARD_ZIP = SHARED_OCDS / "standard-1__1__5.zip"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
_CANONICAL = "https://standard.open-contracting.org/schema/1__1__5/"


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(T0)


@pytest.fixture
def market(clock: FixedClock):
    m = build_market(Settings(database_url="memory://"), clock=clock)
    yield m
    m.close()


@pytest.fixture
def world(market) -> World:
    return World(market)


@pytest.fixture(scope="session")
def shared_ocds() -> Path:
    if not STANDARD_ZIP.is_file() or not (SHARED_OCDS / "extensions").is_dir():
        message = f"the offline OCDS standard is missing at {SHARED_OCDS.resolve()}"
        if IN_CI:
            pytest.fail(f"{message} (required under CI=true)")
        pytest.skip(f"{message}; set up ../shared/ocds beside the repository to run this")
    return SHARED_OCDS.resolve()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def bid_extension_url(shared_ocds: Path) -> Iterator[str]:
    """The bid extension, served on a loopback port while the module runs."""
    handler = functools.partial(_Quiet, directory=str(shared_ocds / "extensions"))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/ocds_bid_extension/extension.json"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _Response:
    def __init__(self, body: bytes) -> None:
        self.body = body

    def raise_for_status(self) -> None:
        pass

    def json(self, **kwargs: Any) -> Any:
        return json.loads(self.body, **kwargs)


class _OfflineStandard:
    """Stands in for ``requests`` inside jsonref: the standard's schema files from the zip."""

    def __init__(self, zip_path: Path) -> None:
        self.zip = zipfile.ZipFile(zip_path)

    def get(self, uri: str, **kwargs: Any) -> _Response:
        if not uri.startswith(_CANONICAL):
            raise AssertionError(f"the validator tried to reach the network: {uri}")
        return _Response(self.zip.read(f"standard-1__1__5/schema/{uri.removeprefix(_CANONICAL)}"))


@pytest.fixture(scope="module")
def cove(shared_ocds: Path, bid_extension_url: str, tmp_path_factory) -> Iterator[Callable[[dict], dict]]:
    """``cove(package)``: libcoveocds's API report on a release or record package, offline."""
    import jsonref
    from libcoveocds.api import ocds_json_output
    from libcoveocds.config import LibCoveOCDSConfig

    config = LibCoveOCDSConfig({"standard_zip": STANDARD_ZIP.resolve().as_uri(), "context": "api"})
    workdir = tmp_path_factory.mktemp("cove")
    offline = _OfflineStandard(STANDARD_ZIP)

    def validate(package: dict) -> dict:
        return ocds_json_output(str(workdir), json_data=package, lib_cove_ocds_config=config, schema_version="1.1")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(jsonref, "requests", offline)
        yield validate
    offline.zip.close()
