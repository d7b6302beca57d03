"""The versioned rule set (选取规则) stamped on a procurement when its notice is published.

Later edits to the defaults never change a published procurement: it carries
`RuleSet.to_dict()` and the selection re-reads it with `RuleSet.from_dict()`.
Defaults follow domain.md §5 and §10; "default (configurable)" there means a
region may publish another version.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from domain.draw import ALGORITHM
from domain.errors import InvalidInput

FUND_SOURCES = ("state", "social")  # 财政/国有资金, 社会资金

# Minimum valid sign-ups per method and fund source; below it the round fails (流标).
# State funds: 3 for random/price methods (海州区 选取规则 [6]), 2 for 择优 (广东 [9]);
# social funds: 1 (default, configurable).
_MINIMUMS = {
    "state": {"direct": 1, "random": 3, "lowest_price": 3, "reasonable_price": 3,
              "credit_merit": 2, "proposal_scoring": 2},
    "social": {"direct": 1, "random": 1, "lowest_price": 1, "reasonable_price": 1,
               "credit_merit": 1, "proposal_scoring": 1},
}


def _default_minimums() -> dict[str, dict[str, int]]:
    return {fund: dict(by_method) for fund, by_method in _MINIMUMS.items()}


def _default_weights() -> dict[str, int]:
    return {"price": 30, "response": 40, "staff": 30}


@dataclass(frozen=True)
class RuleSet:
    version: str = "2024-01"
    region: str = "default"
    minimum_bidders: dict[str, dict[str, int]] = field(default_factory=_default_minimums)
    coefficients: tuple[str, ...] = ("95", "96", "97", "98")  # k, percent (最优价 [6])
    trim_from: int = 5  # drop the highest and lowest bid only when n ≥ trim_from
    long_list: int = 10  # 大名单 L
    short_list: int = 3  # 小名单 S
    weights: dict[str, int] = field(default_factory=_default_weights)  # 方案择优 points
    algorithm: str = ALGORITHM

    def __post_init__(self) -> None:
        for k in self.coefficients:
            try:
                if not 0 < Decimal(k) <= 100:
                    raise InvalidOperation
            except InvalidOperation:
                raise InvalidInput(field="coefficients", detail=f"bad coefficient {k!r}") from None
        if "price" not in self.weights or any(w < 0 for w in self.weights.values()):
            raise InvalidInput(field="weights", detail="needs a non-negative 'price' weight")
        if self.long_list < 1 or self.short_list < 1 or self.trim_from < 3:
            raise InvalidInput(field="rule_set", detail="list sizes ≥ 1, trim_from ≥ 3")
        if self.algorithm != ALGORITHM:
            raise InvalidInput(field="algorithm", detail=f"unsupported {self.algorithm!r}")

    def minimum(self, method: str, fund_source: str) -> int:
        check_fund_source(fund_source)
        try:
            return self.minimum_bidders[fund_source][method]
        except KeyError:
            raise InvalidInput(field="method", detail=f"no minimum for {method!r}") from None

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": self.version, "region": self.region,
            "minimum_bidders": {f: dict(m) for f, m in self.minimum_bidders.items()},
            "coefficients": list(self.coefficients), "trim_from": self.trim_from,
            "long_list": self.long_list, "short_list": self.short_list,
            "weights": dict(self.weights), "algorithm": self.algorithm,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleSet:
        try:
            return cls(
                version=data["version"], region=data["region"],
                minimum_bidders={f: dict(m) for f, m in data["minimum_bidders"].items()},
                coefficients=tuple(data["coefficients"]), trim_from=data["trim_from"],
                long_list=data["long_list"], short_list=data["short_list"],
                weights=dict(data["weights"]), algorithm=data["algorithm"],
            )
        except (KeyError, TypeError, AttributeError) as exc:
            raise InvalidInput(field="rule_set", detail=f"malformed: {exc}") from None


DEFAULT_RULES = RuleSet()


def check_fund_source(fund_source: str) -> None:
    if fund_source not in FUND_SOURCES:
        raise InvalidInput(field="fund_source", detail=f"must be one of {FUND_SOURCES}")
