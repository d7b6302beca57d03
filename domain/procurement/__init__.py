"""The procurement (采购需求 / 选取公告) and its lifecycle."""

from domain.procurement.aggregate import EVALUATION_DIMENSIONS, VOID_REASONS, Procurement
from domain.procurement.status import ProcurementStatus

__all__ = ["EVALUATION_DIMENSIONS", "VOID_REASONS", "Procurement", "ProcurementStatus"]
