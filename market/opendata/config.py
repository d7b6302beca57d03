"""What an export needs besides the events: its publisher's settings and a directory of names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from market.opendata.codelists import BID_EXTENSION


@dataclass(frozen=True)
class Organisation:
    name: str
    uscc: str | None = None  # 统一社会信用代码


class Directory(Protocol):
    """Names the events refer to by id: the owner unit, the service item, the department."""

    def owner(self, owner_id: str) -> Organisation: ...
    def item_name(self, code: str) -> str: ...
    def department_name(self, department_id: str) -> str | None: ...


@dataclass(frozen=True)
class OcdsConfig:
    ocid_prefix: str = "ocds-zjcs01-"  # the publisher's registered prefix; the procurement id follows
    publisher_name: str = "网上中介服务超市"
    base_uri: str = "https://zjcs.example.gov.cn/ocds/"
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    publication_policy: str = "https://zjcs.example.gov.cn/ocds/policy"
    # The platform's operator (运营机构) reviews notices and decides objections: the reviewBody.
    operator_name: str = "网上中介服务超市运营机构"
    operator_uscc: str | None = None
    # A published export names the extension's canonical address; tests serve a copy on loopback.
    extensions: tuple[str, ...] = (BID_EXTENSION,)

    def ocid(self, procurement_id: str) -> str:
        return f"{self.ocid_prefix}{procurement_id}"
