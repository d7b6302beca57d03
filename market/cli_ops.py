"""Operations commands: the read models and the deadline scheduler.

    market projections status
    market projections rebuild [NAME]
    market projections follow
    market scheduler [--interval SECONDS]
"""

from __future__ import annotations

import signal
import threading

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from market.bootstrap import build_market, build_projections, build_scheduler
from market.settings import Settings

projections_app = typer.Typer(help="读模型 Read models (projections)", no_args_is_help=True)
console = Console()


@projections_app.command("status")
def projections_status() -> None:
    """每个读模型的位置与滞后 Each projection's position and lag."""
    settings = Settings()
    market = build_market(settings)
    read_models = build_projections(settings, market)
    try:
        table = Table("读模型 projection", "位置 position", "最新 head", "滞后 lag", "需重建 stale", "错误 error")
        for s in read_models.status():
            table.add_row(s.name, str(s.position), str(s.head), str(s.lag), "是 yes" if s.stale else "", s.error or "")
        console.print(table)
    finally:
        read_models.close()
        market.close()


@projections_app.command("rebuild")
def projections_rebuild(name: str | None = typer.Argument(None, help="读模型名称 Projection name; all if omitted")) -> None:
    """从事件重建读模型 Rebuild read models from the events, in batches, with a progress bar."""
    settings = Settings()
    market = build_market(settings)
    read_models = build_projections(settings, market)
    try:
        names = [name] if name else list(read_models.projections)
        unknown = [n for n in names if n not in read_models.projections]
        if unknown:
            typer.echo(f"未知读模型 Unknown projection: {', '.join(unknown)}", err=True)
            raise typer.Exit(code=1)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        with Progress(*columns, console=console) as progress:
            for n in names:
                task = progress.add_task(n, total=max(read_models.head(), 1))
                read_models.rebuild(n, progress=lambda position, head, t=task: progress.update(t, completed=position, total=max(head, 1)))
                progress.update(task, completed=progress.tasks[task].total)
        typer.echo(f"已重建 Rebuilt: {', '.join(names)}")
    finally:
        read_models.close()
        market.close()


@projections_app.command("follow")
def projections_follow() -> None:
    """持续更新读模型 Follow the event log into the read models, in the foreground (Ctrl-C to stop).

    Run it beside API processes started with MARKET_RUN_PROJECTIONS=false. More than one
    follower is safe: each projection's tracking row lets one writer at a time apply a batch.
    """
    from projections.runner import ProjectionRunner

    settings = Settings()
    market = build_market(settings)
    read_models = build_projections(settings, market)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    runner = ProjectionRunner(read_models).start()
    try:
        typer.echo(f"读模型跟随中 Following the log into {len(read_models.projections)} read models (Ctrl-C to stop)")
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        runner.stop()
        read_models.close()
        market.close()


def scheduler(interval: float = typer.Option(None, help="检查间隔(秒) Seconds between ticks")) -> None:
    """运行调度 Run the scheduler (deadlines, oversight scans, chain checkpoints) in the foreground; one leader."""
    settings = Settings()
    market = build_market(settings)
    read_models = build_projections(settings, market)
    job = build_scheduler(settings, market, read_models, interval_seconds=interval)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    try:
        if not job.start():
            typer.echo("另一进程正在运行调度 Another process is the scheduler leader; standing by.")
            return
        typer.echo(f"调度已启动 Scheduler running, every {job.interval_seconds}s (Ctrl-C to stop)")
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        job.stop()
        read_models.close()
        market.close()
