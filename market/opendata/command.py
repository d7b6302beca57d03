"""``market export-ocds``: the open-data export on the command line (registered in ``market/cli.py``)."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from domain.errors import NotFound
from market.bootstrap import build_market
from market.opendata.config import OcdsConfig
from market.opendata.export import OcdsExport, procurement_uuid
from market.settings import Settings


def export_ocds(
    procurement: str | None = typer.Option(None, "--procurement", help="采购需求编号 One procurement; all if omitted"),
    out: Path = typer.Option(
        Path("ocds-releases.json"), "--out",
        help="发布包文件 Release package file; the record package goes beside it as *-records.json",
    ),  # fmt: skip
    ocid_prefix: str = typer.Option(OcdsConfig.ocid_prefix, help="OCID 前缀 The publisher's registered OCID prefix"),
) -> None:
    """导出开放数据 Export procurements as OCDS 1.1 release and record packages (JSON)."""
    market = build_market(Settings())
    try:
        exporter = OcdsExport(market, OcdsConfig(ocid_prefix=ocid_prefix))
        ids = [procurement_uuid(procurement)] if procurement else None
        name = f"procurement-{ids[0]}" if ids else "market"
        releases = exporter.releases(ids)
        if not releases:
            raise _fail("尚无公开数据(未发布) Nothing public yet: no procurement was published")
        records_path = records_path_for(out)
        packages = {out: exporter.release_package(releases, name=name),
                    records_path: exporter.record_package(releases, name=name)}  # fmt: skip
    except NotFound:
        raise _fail(f"未找到该采购需求 Not found: {procurement}") from None
    finally:
        market.close()
    for path, package in packages.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(package, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    typer.echo(f"发布 Releases: {len(releases)} → {out}")
    typer.echo(f"记录 Records: {len(packages[records_path]['records'])} → {records_path}")


def records_path_for(releases_path: Path) -> Path:
    """``x-releases.json`` → ``x-records.json``; ``x.json`` → ``x-records.json``."""
    stem = releases_path.stem.removesuffix("-releases")
    return releases_path.with_name(f"{stem}-records{releases_path.suffix or '.json'}")


def _fail(message: str) -> typer.Exit:
    typer.echo(message, err=True)
    return typer.Exit(code=1)
