"""Compiled releases and the two OCDS packages.

The merge follows the OCDS 1.1 merge rules (schema/merging in the standard):
releases are taken oldest first; objects merge field by field; an array of
objects that all carry an ``id`` merges item by item on that id (identifier
merge); any other array, and any other value, is replaced by the newer one; a
``null`` removes the field; ``id``, ``date`` and ``tag`` (``omitWhenMerged``)
are not merged, and the compiled release gets the tag ``compiled``. None of the
fields we publish is marked ``wholeListMerge`` in the 1.1 schema, so no array
needs that exception.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from market.opendata.config import OcdsConfig
from market.opendata.sections import iso

_OMIT_WHEN_MERGED = ("id", "date", "tag")


def compile_releases(releases: list[dict[str, Any]]) -> dict[str, Any]:
    """The compiled release (current state) of one contracting process's releases."""
    ordered = sorted(releases, key=lambda r: r["date"])  # stable: same-date releases keep their order
    compiled: dict[str, Any] = {}
    for release in ordered:
        _merge(compiled, {k: v for k, v in release.items() if k not in _OMIT_WHEN_MERGED})
    last = ordered[-1]
    return {
        "ocid": last["ocid"], "id": f"{last['ocid']}-{last['date']}", "date": last["date"], "tag": ["compiled"],
        **{k: v for k, v in compiled.items() if k != "ocid"},
    }  # fmt: skip


def _merge(target: dict[str, Any], source: dict[str, Any]) -> None:
    for key, value in source.items():
        if value is None:
            target.pop(key, None)
        elif isinstance(value, dict):
            current = target.get(key)
            if not isinstance(current, dict):
                current = target[key] = {}
            _merge(current, value)
        elif isinstance(value, list) and value and all(isinstance(v, dict) and "id" in v for v in value):
            target[key] = _merge_by_id(target.get(key), value)
        else:
            target[key] = _plain(value)


def _merge_by_id(current: Any, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged = [dict(x) for x in current] if isinstance(current, list) else []
    index = {str(x.get("id")): x for x in merged if isinstance(x, dict)}
    for item in items:
        key = str(item["id"])
        if key not in index:
            index[key] = {}
            merged.append(index[key])
        _merge(index[key], item)
    return merged


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _publisher(config: OcdsConfig) -> dict[str, str]:
    return {"name": config.publisher_name, "uri": config.base_uri}


def release_package(
    releases: list[dict[str, Any]], config: OcdsConfig, *, uri: str, published: datetime
) -> dict[str, Any]:
    return {
        "uri": uri, "version": "1.1", "extensions": list(config.extensions), "publishedDate": iso(published),
        "publisher": _publisher(config), "license": config.license, "publicationPolicy": config.publication_policy,
        "releases": releases,
    }  # fmt: skip


def record_package(
    releases: list[dict[str, Any]], config: OcdsConfig, *, uri: str, published: datetime,
    release_package_uri: str | None = None,
) -> dict[str, Any]:  # fmt: skip
    """One record per ocid: all its releases, embedded, and the compiled release."""
    by_ocid: dict[str, list[dict[str, Any]]] = {}
    for release in releases:
        by_ocid.setdefault(release["ocid"], []).append(release)
    records = [
        {"ocid": ocid, "releases": items, "compiledRelease": compile_releases(items)} for ocid, items in by_ocid.items()
    ]
    package: dict[str, Any] = {
        "uri": uri, "version": "1.1", "extensions": list(config.extensions), "publishedDate": iso(published),
        "publisher": _publisher(config), "license": config.license, "publicationPolicy": config.publication_policy,
    }  # fmt: skip
    if release_package_uri:
        package["packages"] = [release_package_uri]
    package["records"] = records
    return package
