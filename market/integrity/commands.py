"""The ``market verify`` and ``market export-chain`` commands (registered in market/cli.py).

    market verify                                   exit 0 clean, 1 tampered
    market export-chain <procurement-id> --out FILE then: python tools/verify_chain.py FILE
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from domain.errors import NotFound
from market.bootstrap import build_market
from market.integrity.guard import IntegrityFailure, IntegrityGuard
from market.integrity.verify import Finding
from market.settings import Settings

KINDS = {
    "altered": "被修改", "deleted": "被删除", "inserted": "被插入", "reordered": "顺序被调换",
    "chain-altered": "链记录被修改", "rewritten": "被整体重写", "forged-checkpoint": "检查点被伪造",
}  # fmt: skip


def _tampered(finding: Finding) -> typer.Exit:
    typer.echo(f"已被篡改 / TAMPERED at position {finding.position}: "
               f"{finding.kind} {KINDS.get(finding.kind, '')} — {finding.detail}")  # fmt: skip
    return typer.Exit(code=1)


def verify() -> None:
    """核验事件哈希链与签名检查点 Walk the event chain and the signed checkpoints; exit 1 if history was altered."""
    settings = Settings()
    market = build_market(settings)
    try:
        guard = IntegrityGuard.from_settings(settings, market)
        if guard is None:
            typer.echo("此事件存储无哈希链 / This event store keeps no chain (memory://): nothing to verify.")
            return
        report = guard.verify()
    finally:
        market.close()
    if report.finding is not None:
        raise _tampered(report.finding)
    last = report.checkpoints[-1] if report.checkpoints else None
    signed = f"last at {last.position}, signed {last.signed_at}, key {last.key_id}" if last else "none yet"
    typer.echo(f"完整 / CLEAN: {report.records} records up to position {report.head}; "
               f"{len(report.checkpoints)} signed checkpoints ({signed})")  # fmt: skip
    if last is None or last.position < report.head:
        typer.echo(f"  最新记录尚无签名检查点 records after {last.position if last else 0} await the next checkpoint")


def export_chain(
    procurement_id: str = typer.Argument(..., help="采购需求编号 Procurement id"),
    out: Path = typer.Option(..., "--out", help="导出文件 Output file (JSON), for tools/verify_chain.py"),
) -> None:
    """导出采购需求的事件及链证明 Export a procurement's stored events with their chain proof to a signed checkpoint."""
    settings = Settings()
    market = build_market(settings)
    try:
        guard = IntegrityGuard.from_settings(settings, market)
        if guard is None:
            typer.echo("此事件存储无哈希链 / This event store keeps no chain (memory://).", err=True)
            raise typer.Exit(code=1)
        document = guard.export(procurement_id)
    except NotFound:
        typer.echo(f"未找到该采购需求 Not found: {procurement_id}", err=True)
        raise typer.Exit(code=1) from None
    except IntegrityFailure as failure:
        raise _tampered(failure.finding) from None
    finally:
        market.close()
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    events = sum(1 for e in document["entries"] if "event" in e)
    cp = document["checkpoint"]
    typer.echo(f"已导出 Exported {events} events, chain positions {document['anchor']['position'] + 1}–{cp['position']}, "
               f"checkpoint signed {cp['signed_at']} by key {cp['key_id']}: {out}")  # fmt: skip
    typer.echo(f"离线核验 Verify offline: python tools/verify_chain.py {out}")
