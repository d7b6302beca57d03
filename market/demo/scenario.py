"""The demo scenario: which procurements exist, in which state, and when things happened.

``SHAPES`` lists the procurements by the status they end in. Each becomes a
``Case`` (random choices from the seed), then a plan of steps in working days;
the plan is placed so that its last step falls on or before the demo's last
working day and its next required step after it (a request shown as 报名中 has
its deadline still ahead). All steps of all plans then run in time order, the
clock set to each step's moment, so every event's business time is plausible.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.procurement.aggregate import EVALUATION_DIMENSIONS
from domain.procurement.notice import resolve_quote
from domain.selection import DEFAULT_RULES
from market.clock import SHANGHAI, FixedClock
from market.demo.cases import Case, Plan
from market.demo.lifecycle import plan
from market.demo.names import DISTRICTS, GIVEN, PROJECT_PLACES, SURNAMES
from market.demo.registry import Cast, People, cast_registers, review_agencies

LAST_DAY = 55  # the demo's "now" is the 55th working day after the first (late May 2026 from 2 March)
FIRST_PROCUREMENT_DAY = 2  # days 0 and 1 set up the registers


@dataclass(frozen=True)
class Shape:
    status: str  # the status this procurement ends in (checked after the build)
    target: str  # the plan's last step
    method: str
    flags: tuple[str, ...] = ()


def _shapes() -> list[Shape]:
    s = Shape
    return [
        *(s("draft", "draft", m) for m in ("lowest_price", "direct", "credit_merit", "random")),
        *(s("pending_review", "submit", m) for m in ("lowest_price", "lowest_price", "reasonable_price", "direct")),
        *(s("returned", "return", m, ("returned",)) for m in ("lowest_price", "random", "direct")),
        *(s("published", "publish", m, ("deferred",)) for m in ("lowest_price", "credit_merit", "reasonable_price")),
        *(s("signup_open", "publish", m)
          for m in ("lowest_price", "lowest_price", "direct", "random", "credit_merit", "proposal_scoring")),
        s("signup_open", "open_signup", "lowest_price", ("deferred",)),
        *(s("signup_closed", "close", m) for m in ("lowest_price", "reasonable_price", "random")),
        *(s("shortlisted", "select", "credit_merit") for _ in range(2)),
        *(s("publicity", "select", m) for m in ("lowest_price", "direct", "reasonable_price", "proposal_scoring")),
        s("publicity", "select", "lowest_price", ("returned",)),
        s("publicity", "pick", "credit_merit", ("weighted",)),  # the 小名单 is drawn from a longer list
        s("publicity", "object", "lowest_price", ("objection:pending",)),
        s("publicity", "uphold", "lowest_price", ("objection:upheld",)),
        s("publicity", "rerun", "proposal_scoring", ("objection:upheld",)),  # the owner scores again
        *(s("contracting", "award", m) for m in ("random", "direct")),
        s("contracting", "award", "lowest_price", ("tie",)),  # two equal lowest quotes: a draw decides
        s("contracting", "award", "proposal_scoring", ("objection:dismissed",)),
        s("contracting", "award", "reasonable_price", ("objection:dismissed",)),
        s("contract_filed", "file", "lowest_price"),
        s("contract_filed", "file", "direct", ("agency_files",)),
        s("contract_filed", "file", "reasonable_price", ("trimmed",)),  # enough quotes to drop the extremes
        *(s("in_service", "confirm", m) for m in ("lowest_price", "random", "credit_merit", "proposal_scoring")),
        s("in_service", "ext_request", "lowest_price", ("requested",)),
        s("in_service", "ext_decide", "lowest_price", ("granted",)),
        s("in_service", "ext_decide", "direct", ("granted",)),
        s("in_service", "ext_decide", "reasonable_price", ("refused",)),
        s("in_service", "reject", "lowest_price", ("rejected",)),
        *(s("under_acceptance", "deliver", m) for m in ("lowest_price", "direct", "random")),
        s("under_acceptance", "redeliver", "lowest_price", ("rejected",)),
        *(s("evaluating", "accept", m) for m in ("lowest_price", "reasonable_price", "direct")),
        *(s("closed", "evaluate", m)
          for m in ("lowest_price", "lowest_price", "direct", "direct", "random", "reasonable_price",
                    "proposal_scoring")),
        s("closed", "evaluate", "lowest_price", ("granted",)),
        s("closed", "evaluate", "lowest_price", ("rejected", "agency_files")),
        # 流标: too few sign-ups. Two are republished as a linked new round (round 2 goes on).
        s("failed", "r2:confirm", "lowest_price", ("fails", "republish:in_service")),
        s("failed", "r2:publish", "random", ("fails", "republish:signup_open")),
        s("failed", "select", "lowest_price", ("fails", "social", "no_bids")),
        s("failed", "select", "proposal_scoring", ("fails",)),  # one sign-up, the 择优 minimum is 2
        s("voided", "void", "lowest_price", ("void_draft",)),
        s("voided", "void", "lowest_price", ("void_signup",)),
        s("voided", "void", "lowest_price", ("void_failed", "fails")),
        s("voided", "void", "random", ("void_publicity",)),
        s("terminated", "abandon", "lowest_price", ("abandon_award",)),
        s("terminated", "abandon", "direct", ("abandon_service",)),
    ]  # fmt: skip


SHAPES = _shapes()
PRICE_METHODS = ("lowest_price", "reasonable_price", "proposal_scoring")  # a quote is required
DISCOUNTS = ("0.05", "0.08", "0.10", "0.12", "0.15", "0.18", "0.20")


class _Chooser:
    """Turns a shape into a case with choices drawn from the seed's random stream."""

    def __init__(self, rng: random.Random, cast: Cast) -> None:
        self.rng, self.cast = rng, cast
        self.names: set[str] = set()

    def case(self, shape: Shape) -> Case:
        rng, flags = self.rng, shape.flags
        # 直接选取 is for social funds; a failure below the minimum needs the state-fund minimums (3, or 2 for 择优).
        social = shape.method == "direct" or "social" in flags or ("fails" not in flags and rng.random() < 0.2)
        owner = rng.choice([o for o in self.cast.owners if (o.fund_source == "social") == social])
        wide = "trimmed" in flags  # an item with enough agencies for 合理价 to drop the extremes
        item = self.cast.items[rng.choice([c for c in sorted(self.cast.items)
                                           if not wide or len(self.cast.eligible(c)) >= DEFAULT_RULES.trim_from])]
        pool = self.cast.eligible(item.code)
        budget = self._budget(shape.method, item.fee)
        bidders = rng.sample(pool, self._bidder_count(shape, social, len(pool)))
        void_signup = "void_signup" in flags
        # The first bidder signs up early enough to revise its quote on the third day.
        slots = [self._slot(1 if void_signup or i == 0 else 3) for i in range(len(bidders))]
        case = Case(
            target=shape.target, method=shape.method, owner=owner,
            actor=rng.choice([owner.admin, *owner.delegates]), item=item, project_name=self._project(owner),
            project_code=f"2026-{DISTRICTS[owner.spec.district]}-{rng.randint(44, 78)}-01-{rng.randint(0, 999999):06d}",
            investment=str(rng.randint(500, 80000) * 10000), budget=budget,
            service_days=rng.randint(*item.days), bidders=bidders,
            quotes={str(a.id): self._quote(shape.method, budget) for a in bidders}, slots=slots,
            pid=UUID(int=rng.getrandbits(128), version=4),
            scores={d: rng.randint(78, 100) for d in EVALUATION_DIMENSIONS},
            fails="fails" in flags, returned="returned" in flags, deferred="deferred" in flags,
            branch=next((f for f in flags if f.startswith(("void_", "abandon_"))), None),
            extension=next((f for f in flags if f in ("requested", "granted", "refused")), None),
            rejected="rejected" in flags, agency_files="agency_files" in flags or rng.random() < 0.25,
            objection=next((f.split(":")[1] for f in flags if f.startswith("objection:")), None),
        )  # fmt: skip
        if "tie" in flags:
            self._tie(case)
        elif shape.method == "lowest_price" and not case.fails and not void_signup and rng.random() < 0.4:
            low, high = int(budget["min"]), int(budget["max"])
            case.revised_quote = {"kind": "amount", "value": str(min(high, low + 100 * rng.randint(0, 50)))}
        spare = [a for a in pool if a not in bidders]
        if spare and not case.fails and not void_signup and rng.random() < 0.25:
            case.withdrawer = rng.choice(spare)
        if any(f.startswith("republish:") for f in flags):
            case.successor = self._next_round(case, pool)
        if shape.method == "proposal_scoring":
            case.proposal = self._proposal(bidders)
        return case

    def _tie(self, case: Case) -> None:
        """Two bidders quote the same amount, below every other quote: the lowest price is tied."""
        prices = [int(Decimal(resolve_quote(q, case.budget)["price"])) for q in case.quotes.values()]
        low = int(case.budget["min"])
        tied = max(low, (min(prices) - 100 * self.rng.randint(1, 5)) // 100 * 100)
        for bidder in self.rng.sample(case.bidders, 2):
            case.quotes[str(bidder.id)] = {"kind": "amount", "value": str(tied)}

    def _proposal(self, bidders: list) -> dict[str, Any]:
        """方案择优: three evaluators who declare no conflict, and each bid's averaged points per criterion."""
        rng, weights = self.rng, DEFAULT_RULES.weights
        evaluators = [f"{rng.choice(SURNAMES)}{rng.choice(GIVEN)}(湘评专家{rng.randint(10000, 99999)})" for _ in range(3)]
        # Averages of three evaluators' marks, between 55% and 97% of each criterion's points.
        scores = {str(a.id): {c: f"{Decimal(rng.randint(w * 55, w * 97)) / 100:.2f}"
                              for c, w in sorted(weights.items()) if c != "price"}
                  for a in bidders}  # fmt: skip
        return {"scores": scores, "evaluators": evaluators,
                "declarations": [{"evaluator_id": e, "no_conflict": True} for e in evaluators]}  # fmt: skip

    def _next_round(self, case: Case, pool: list) -> Case:
        """重新采购: same owner, item and project; a 10% higher price; new sign-ups, enough this time."""
        rng = self.rng
        budget = {k: (str(int(v) * 11 // 10) if k != "kind" else v) for k, v in case.budget.items()}
        bidders = rng.sample(pool, rng.randint(3, len(pool)))
        return replace(
            case, pid=UUID(int=rng.getrandbits(128), version=4), budget=budget, bidders=bidders,
            proposal=self._proposal(bidders) if case.method == "proposal_scoring" else None,
            quotes={str(a.id): self._quote(case.method, budget) for a in bidders},
            slots=[self._slot(3) for _ in bidders],
            fails=False, returned=False, deferred=False, branch=None, revised_quote=None, withdrawer=None,
        )  # fmt: skip

    def _slot(self, last_day: int) -> tuple[int, str]:
        """A sign-up moment: working days after the opening, and a time after the 10:00 publication."""
        return self.rng.randint(0, last_day), f"{self.rng.randint(10, 16):02d}:{self.rng.randint(5, 55):02d}"

    def _bidder_count(self, shape: Shape, social: bool, pool: int) -> int:
        if "no_bids" in shape.flags:
            return 0
        minimum = DEFAULT_RULES.minimum(shape.method, "social" if social else "state")
        if "fails" in shape.flags:
            return 1 if "void_failed" in shape.flags else minimum - 1  # below the state-fund minimum
        if "objection:upheld" in shape.flags or "trimmed" in shape.flags:
            return pool  # the re-run without the winner still has the minimum; 合理价 trims from 5
        if "weighted" in shape.flags:
            return self.rng.randint(DEFAULT_RULES.short_list + 1, pool)  # more than the 小名单 holds
        if shape.method == "direct":
            return self.rng.randint(1, min(3, pool))
        return self.rng.randint(max(2, minimum), pool)

    def _budget(self, method: str, fee: tuple[int, int]) -> dict[str, Any]:
        top = self.rng.randrange(fee[0], fee[1], 1000)
        if method in PRICE_METHODS:
            return {"kind": "range", "min": str(top // 2000 * 1000), "max": str(top)}
        return {"kind": "fixed", "amount": str(top)}

    def _quote(self, method: str, budget: dict[str, Any]) -> dict[str, Any] | None:
        if method not in PRICE_METHODS:
            return None
        if self.rng.random() < 0.3:
            return {"kind": "discount_rate", "value": self.rng.choice(DISCOUNTS)}
        low, high = int(budget["min"]), int(budget["max"])
        return {"kind": "amount", "value": str(self.rng.randrange(low, high + 1, 100))}

    def _project(self, owner) -> str:
        while True:
            name = self.rng.choice(owner.spec.projects).format(place=self.rng.choice(PROJECT_PLACES))
            if name not in self.names:
                self.names.add(name)
                return name


class Timeline:
    """Working days from the demo's first day, read from the market's calendar (工作日历)."""

    def __init__(self, market, clock: FixedClock, length: int) -> None:
        calendar = market.calendar()
        now = clock.now().astimezone(SHANGHAI)
        day = now.date()
        while not calendar.is_working_day(day) or _at(day, "09:00") < now:
            day += timedelta(days=1)
        self.days: list[date] = []
        while len(self.days) < length:
            if calendar.is_working_day(day):
                self.days.append(day)
            day += timedelta(days=1)

    def moment(self, index: int, hhmm: str) -> datetime:
        return _at(self.days[index], hhmm)


def _at(day: date, hhmm: str) -> datetime:
    hours, minutes = map(int, hhmm.split(":"))
    return datetime.combine(day, time(hours, minutes), tzinfo=SHANGHAI)


def stage_registers(market, clock: FixedClock, timeline: Timeline, people: People) -> Cast:
    """Day 0: registers and applications; day 1: the operator's review, changes, sanctions."""

    def ticker(step: timedelta):
        return lambda: clock.advance(step)

    clock.set(timeline.moment(0, "09:00"))
    cast = cast_registers(market, people, ticker(timedelta(minutes=1)))
    clock.set(timeline.moment(1, "09:00"))
    review_agencies(market, ticker(timedelta(minutes=2)), cast)
    return cast


def stage_procurements(market, clock: FixedClock, timeline: Timeline, rng: random.Random, cast: Cast) -> list[Case]:
    chooser = _Chooser(rng, cast)
    plans: list[Plan] = [plan(market, cast, chooser.case(shape), timeline.moment) for shape in SHAPES]
    queue = []
    for n, p in enumerate(plans):
        steps, last, following = p.cut()
        latest = LAST_DAY - last
        if following is not None and following > last:
            earliest = LAST_DAY - following + 1  # the next required step is still ahead
        else:
            earliest = latest - 20
        earliest = max(FIRST_PROCUREMENT_DAY, earliest)
        if earliest > latest:
            raise ValueError(f"plan for {p.case.target} does not fit in {LAST_DAY} working days")
        p.start = rng.randint(earliest, latest)
        queue += [(p.start + s.offset, s.time, n, k, s) for k, s in enumerate(steps) if p.start + s.offset <= LAST_DAY]
    for day, hhmm, _, _, step in sorted(queue, key=lambda q: q[:4]):
        clock.set(timeline.moment(day, hhmm))
        step.run()
    clock.set(timeline.moment(LAST_DAY, "18:00"))
    return [p.case for p in plans]


def expected_statuses(cases: list[Case]) -> dict[UUID, str]:
    """The status each procurement must be in at the end, from its shape."""
    out: dict[UUID, str] = {}
    for shape, case in zip(SHAPES, cases):
        out[case.pid] = shape.status
        if case.successor is not None:
            out[case.successor.pid] = next(f for f in shape.flags if f.startswith("republish:")).split(":")[1]
    return out

