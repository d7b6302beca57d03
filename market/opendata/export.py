"""The open-data export (开放数据): a market's procurements as OCDS release and record packages.

    exporter = OcdsExport(market, OcdsConfig(ocid_prefix="ocds-zjcs01-"))
    releases = exporter.releases()                 # every procurement, or releases([id])
    package = exporter.release_package(releases)
    records = exporter.record_package(releases)

Procurements never published make no release, so they are absent from both packages.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.catalogue import ServiceItem
from domain.department import Department
from domain.errors import NotFound
from domain.owner import Owner
from domain.procurement import Procurement
from market.opendata.config import OcdsConfig, Organisation
from market.opendata.ocds import releases as releases_of
from market.opendata.records import record_package, release_package

_PAGE = 500


class MarketDirectory:
    """Names from the market's own aggregates, each loaded once per export."""

    def __init__(self, market: Any) -> None:
        self.market = market
        self.owner = lru_cache(maxsize=None)(self._owner)  # type: ignore[method-assign]
        self.item_name = lru_cache(maxsize=None)(self._item_name)  # type: ignore[method-assign]
        self.department_name = lru_cache(maxsize=None)(self._department_name)  # type: ignore[method-assign]

    def _owner(self, owner_id: str) -> Organisation:
        owner = self.market.load(owner_id, Owner)
        return Organisation(owner.name, owner.uscc)

    def _item_name(self, code: str) -> str:
        try:
            return self.market.load(ServiceItem.create_id(code), ServiceItem).name
        except NotFound:
            return code

    def _department_name(self, department_id: str) -> str | None:
        try:
            return self.market.load(department_id, Department).name
        except NotFound:
            return None


def procurement_ids(market: Any) -> Iterator[str]:
    """Every procurement in the store, in the order they were drafted (from the notification log)."""
    topic = get_topic(Procurement.Drafted)
    start: int | None = None
    while True:
        page = market.recorder.select_notifications(start=start, limit=_PAGE, topics=[topic], inclusive_of_start=False)
        for notification in page:
            yield str(notification.originator_id)
        if len(page) < _PAGE:
            return
        start = page[-1].id


class OcdsExport:
    def __init__(self, market: Any, config: OcdsConfig | None = None) -> None:
        self.market = market
        self.config = config or OcdsConfig()
        self.directory = MarketDirectory(market)

    def releases(self, ids: list[str] | None = None) -> list[dict[str, Any]]:
        """The releases of the given procurements (all when None), each procurement's oldest first."""
        out: list[dict[str, Any]] = []
        for pid in ids if ids is not None else procurement_ids(self.market):
            events = self.market.history(pid)
            if not isinstance(events[0], Procurement.Drafted):
                raise NotFound(field="id", detail=pid)
            out += releases_of(events, self.directory, self.config)
        return out

    def release_package(self, releases: list[dict[str, Any]], *, name: str = "releases") -> dict[str, Any]:
        return release_package(
            releases, self.config, uri=self._uri(name, "releases"), published=self.market.clock.now()
        )

    def record_package(self, releases: list[dict[str, Any]], *, name: str = "releases") -> dict[str, Any]:
        return record_package(
            releases, self.config, uri=self._uri(name, "records"), published=self.market.clock.now(),
            release_package_uri=self._uri(name, "releases"),
        )  # fmt: skip

    def _uri(self, name: str, kind: str) -> str:
        return f"{self.config.base_uri}{name}-{kind}.json"


def procurement_uuid(value: str) -> str:
    """A procurement id as given on the command line, checked and normalised."""
    try:
        return str(UUID(value))
    except ValueError:
        raise NotFound(field="id", detail=value) from None
