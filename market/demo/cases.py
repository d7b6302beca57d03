"""A demo procurement before it runs: its choices (``Case``) and its timeline (``Plan``).

A ``Case`` fixes every choice up front (owner, item, bidders, quotes, branches);
``market.demo.lifecycle`` turns it into a ``Plan`` of steps placed in working
days after the case's first day. The scenario then cuts each plan at the step
its target status needs and places it in time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.base import Actor
from market.demo.names import ItemSpec
from market.demo.registry import AgencyCast, OwnerCast

Moment = Callable[[int, str], datetime]  # (working-day index, "HH:MM") → business time

@dataclass
class Step:
    offset: int  # working days after the plan's first day
    time: str  # "HH:MM", business hours
    name: str
    run: Callable[[], Any]
    optional: bool = False  # sign-ups: dropped when they would fall after the demo's "now"


@dataclass
class Case:
    """One procurement, or a failed round with its republished successor (``successor``)."""

    target: str  # the name of the last step to run
    method: str
    owner: OwnerCast
    actor: Actor  # the owner's admin or one delegate: one person acts on the whole request
    item: ItemSpec
    project_name: str
    project_code: str
    investment: str  # 项目总投资, 元
    budget: dict[str, Any]
    service_days: int
    bidders: list[AgencyCast]
    quotes: dict[str, dict[str, Any] | None]  # agency id → quote
    slots: list[tuple[int, str]]  # per bidder: (working days after opening, "HH:MM")
    pid: UUID
    scores: dict[str, int]
    fails: bool = False  # too few sign-ups: the selection fails (流标)
    returned: bool = False  # the operator returns the notice once; the owner amends it
    deferred: bool = False  # sign-up opens two working days after publication
    branch: str | None = None  # a key of VOIDS or ABANDONS: the request ends that way
    extension: str | None = None  # requested | granted | refused
    rejected: bool = False  # the first deliverable is sent back
    agency_files: bool = False  # the winner uploads the contract and the owner confirms it
    revised_quote: dict[str, Any] | None = None  # the first bidder lowers its quote before the close
    withdrawer: AgencyCast | None = None  # signs up and withdraws
    objection: str | None = None  # pending | dismissed | upheld: a losing bidder objects during 公示
    successor: Case | None = None  # the round republished after 流标
    proposal: dict[str, Any] | None = None  # 方案择优: the owner's scores, evaluators and declarations
    winner: str | None = field(default=None, init=False)  # known once selection has run
    objection_id: str | None = field(default=None, init=False)

    def all_rounds(self) -> list[Case]:
        return [self, *(self.successor.all_rounds() if self.successor else [])]


class Plan:
    def __init__(self, case: Case, moment: Moment) -> None:
        self.case = case
        self.steps: list[Step] = []
        self.start = 0  # the working-day index of offset 0, set by the scenario
        self._moment = moment

    def at(self, offset: int, time: str) -> datetime:
        return self._moment(self.start + offset, time)

    def add(self, offset: int, time: str, name: str, run: Callable[[], Any], optional: bool = False) -> None:
        if self.steps and (offset, time) < (self.steps[-1].offset, self.steps[-1].time):
            raise ValueError(f"step {name} goes back in time")  # the plan must read in order
        self.steps.append(Step(offset, time, name, run, optional))

    def cut(self) -> tuple[list[Step], int, int | None]:
        """(steps up to the target, the target's offset, the next required step's offset)."""
        target = max(i for i, s in enumerate(self.steps) if s.name == self.case.target)
        kept = self.steps[: target + 1]
        following = self.steps[target + 1:]
        next_required = next((s for s in following if not s.optional), None)
        kept += [s for s in following if s.optional and (not next_required or s.offset <= next_required.offset)]
        last = max(s.offset for s in kept if not s.optional)
        return kept, last, next_required.offset if next_required else None
