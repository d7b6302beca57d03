"""Every read model the market keeps, in the order they are caught up."""

from __future__ import annotations

from eventsourcing.application import Application
from eventsourcing.postgres import PostgresApplicationRecorder
from sqlalchemy import Engine

from projections import schema
from projections.agency_credit import AgencyCredit
from projections.agency_conduct import AgencyConduct
from projections.agency_directory import AgencyDirectory
from projections.bidding_patterns import BiddingPatterns
from projections.agency_workspace import AgencyWorkspace
from projections.base import Projection
from projections.database import METADATA, create_read_engine
from projections.due_deadlines import DueDeadlines
from projections.engine import ReadModels
from projections.market_concentration import MarketConcentration
from projections.operator_queues import OperatorQueues
from projections.owner_workspace import OwnerWorkspace
from projections.procurement_search import ProcurementSearch
from projections.public_notices import PublicNotices
from projections.public_timeline import PublicTimeline
from projections.red_top_links import RedTopLinks
from projections.stage_delays import StageDelays
from projections.supervision_cases import SupervisionCases
from projections.supervision_flags import SupervisionFlags
from projections.supervision_reports import SupervisionReports
from projections.tracking import TRACKING

PROJECTIONS: tuple[type[Projection], ...] = (
    PublicNotices, OwnerWorkspace, AgencyWorkspace, AgencyDirectory, OperatorQueues, ProcurementSearch, DueDeadlines,
    MarketConcentration, StageDelays, RedTopLinks, BiddingPatterns, AgencyConduct, SupervisionFlags, PublicTimeline,
    SupervisionCases, SupervisionReports, AgencyCredit,
)

__all__ = ["METADATA", "PROJECTIONS", "TRACKING", "all_projections", "open_read_models"]


def all_projections() -> list[Projection]:
    return [cls() for cls in PROJECTIONS]


def open_read_models(database_url: str, app: Application, projections: list[Projection] | None = None) -> ReadModels:
    """The read models for a ``MARKET_DATABASE_URL``: engine, migrated schema, registered projections."""
    engine = create_read_engine(database_url)
    try:
        schema.upgrade(engine)
        read_models = ReadModels(
            engine, app, projections if projections is not None else all_projections(), events_table=_events_table(engine, app)
        )
        read_models.register()
    except Exception:
        engine.dispose()
        raise
    return read_models


def _events_table(engine: Engine, app: Application) -> str | None:
    """The event store's table, quoted, if the read models share its PostgreSQL database.

    ``MARKET_DATABASE_URL`` names one database for both on PostgreSQL (read models in
    ``rm_`` tables); on SQLite the read models have a file of their own.
    """
    recorder = app.recorder
    if engine.dialect.name != "postgresql" or not isinstance(recorder, PostgresApplicationRecorder):
        return None
    quote = engine.dialect.identifier_preparer.quote
    table = quote(recorder.events_table_name)
    return f"{quote(recorder.datastore.schema)}.{table}" if recorder.datastore.schema else table
