"""Every read model the market keeps, in the order they are caught up."""

from __future__ import annotations

from eventsourcing.application import Application

from projections import schema
from projections.agency_credit import AgencyCredit
from projections.agency_directory import AgencyDirectory
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
from projections.red_top_links import RedTopLinks
from projections.stage_delays import StageDelays
from projections.supervision_cases import SupervisionCases
from projections.supervision_flags import SupervisionFlags
from projections.supervision_reports import SupervisionReports
from projections.tracking import TRACKING

PROJECTIONS: tuple[type[Projection], ...] = (
    PublicNotices, OwnerWorkspace, AgencyWorkspace, AgencyDirectory, OperatorQueues, ProcurementSearch, DueDeadlines,
    MarketConcentration, StageDelays, RedTopLinks, SupervisionFlags,
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
        read_models = ReadModels(engine, app, projections if projections is not None else all_projections())
        read_models.register()
    except Exception:
        engine.dispose()
        raise
    return read_models
