"""The catalogue of selection methods (选取方式), keyed by their stable codes."""

from __future__ import annotations

from domain.selection.base import SelectionMethod
from domain.selection.credit_merit import CreditMerit
from domain.selection.direct import Direct
from domain.selection.errors import UnknownMethod
from domain.selection.lowest_price import LowestPrice
from domain.selection.proposal_scoring import ProposalScoring
from domain.selection.random_draw import RandomDraw
from domain.selection.reasonable_price import ReasonablePrice

METHODS: dict[str, SelectionMethod] = {
    m.code: m
    for m in (Direct(), RandomDraw(), LowestPrice(), ReasonablePrice(), CreditMerit(),
              ProposalScoring())
}


def method(code: str) -> SelectionMethod:
    """The strategy for a method code; unknown codes are refused."""
    try:
        return METHODS[code]
    except KeyError:
        raise UnknownMethod(field="method", detail=code) from None
