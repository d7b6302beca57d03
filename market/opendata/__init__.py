"""Open data (开放数据): procurements as OCDS 1.1 releases and records (docs/ocds-mapping.md)."""

from market.opendata.config import Directory, OcdsConfig, Organisation
from market.opendata.export import OcdsExport, procurement_ids
from market.opendata.ocds import releases
from market.opendata.records import compile_releases, record_package, release_package

__all__ = [
    "Directory", "OcdsConfig", "OcdsExport", "Organisation", "compile_releases", "procurement_ids",
    "record_package", "release_package", "releases",
]  # fmt: skip
