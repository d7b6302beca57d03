"""A province-scale-ish market with planted schemes and innocent look-alikes (issue 5, "Must show").

The collusion and conduct schemes and their look-alikes are in schemes.py; the
concentration and delay ones here.

Everything goes through the Market's commands under a FixedClock. Each
procurement follows a script (``Plan``): published, three sign-ups with the
planned winner quoting lowest (最低价), awarded when its publicity ends,
contract, optional extensions, delivery on time or late by a planned number of
working days, acceptance and evaluation. The scripts run as interleaved
processes in business-time order, so months of market pass in seconds.

Planted (must be flagged):
* a monopolised item: A0 wins 12 of 15 HP-02 requests in 长沙 (430100);
* an owner lock-in: A1 wins 4 of owner O1's 5 HP-03 contracts (its market share stays low);
* chronic delays: A2 delivers all 6 of its contracts 12–15 w.d. late;
* repeated extensions: A3 takes two extensions on three contracts, one too long on a fourth;
* a single overrun: A7 is 2 w.d. late once (flagged as an overrun, low severity).
Look-alikes (must not be):
* a concentrated market with < 10 requests: A4 wins all 6 HP-04 requests in 株洲 (430200);
* a busy agency: A5 wins often, but across items and owners;
* extensions used within the limit: A6 delivers after the original due date but before the extended one;
* an occasional delayer: A7 (1 late of 6) is no chronic delayer.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from uuid import UUID

from domain.base import Actor, Role
from domain.procurement import Procurement
from market.clock import SHANGHAI, FixedClock
from tests.builders import OPERATOR, agency_profile, notice, uscc
from tests.supervision import schemes

START = datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI)  # a Monday
ITEMS = {"HP-01": 0, "HP-02": 0, "HP-03": 1, "HP-04": 1, "HP-05": 0, "HP-06": 1,
         "HP-07": 2, "HP-08": 2, "HP-09": 2}  # item → department; 07–09: the collusion and conduct schemes
CS, ZZ = "430100", "430200"  # 长沙, 株洲
AGENCIES, OWNERS = 20, 10  # the agencies of the concentration and delay schemes; schemes.py adds its own
POOL = list(range(8, 20))  # agencies that fill the competitive markets
SCORES = {"quality": 90, "timeliness": 90, "attitude": 90, "fee": 90, "conduct": 90}


@dataclass
class Plan:
    item: str
    region: str
    owner: int
    winner: int
    late_wd: int = 0  # delivered this many working days after the (extended) due date
    extensions: list[int] = field(default_factory=list)  # working days asked and granted, in order
    after_original_due: bool = False  # on time only thanks to the extensions
    pid: UUID | None = None
    # The collusion and conduct schemes (schemes.py) script more of the procurement:
    bids: list[tuple[int, str]] | None = None  # (agency, price) in sign-up order; None: three, the winner lowest
    signs_before_close: dict[int, int] = field(default_factory=dict)  # agency → seconds before the close
    withdraw: list[int] = field(default_factory=list)  # agencies that sign up, then withdraw
    submitted_from: dict[int, str] = field(default_factory=dict)  # agency → its sign-up's network address
    fund: str = "state"
    ceiling: str | None = None  # 最高限价 (default 50,000)
    abandon: bool = False  # the winner walks away after the award (放弃中选)
    void: bool = False  # the owner voids it after the award
    contract_wd: int = 1  # the contract is filed and confirmed on this working day after the award
    returns: int = 0  # the deliverable is returned this many times before it is accepted
    tag: str = ""  # the scheme or look-alike it belongs to


def _background(item: str, region: str, n: int, fixed: dict[int, list[dict]], start: int) -> list[Plan]:
    """A competitive market: the fixed winners' plans, the rest filled by rotating through ``POOL``."""
    plans = [Plan(item, region, 0, agency, **kw) for agency, kws in fixed.items() for kw in kws]
    pool = itertools.cycle(POOL[start % len(POOL):] + POOL[: start % len(POOL)])
    plans += [Plan(item, region, 0, next(pool)) for _ in range(n - len(plans))]
    for i, plan in enumerate(plans):  # spread over the owners, two at most per owner and winner
        plan.owner = (i + start) % OWNERS
    return plans


def plans() -> list[Plan]:
    found = [Plan("HP-02", CS, i // 2, 0) for i in range(12)]  # monopoly: A0, two per owner
    found += [Plan("HP-02", CS, 6 + i, agency) for i, agency in enumerate((9, 10, 11))]
    found += [Plan("HP-03", CS, 1, 1) for _ in range(4)] + [Plan("HP-03", CS, 1, 12)]  # O1 locked in to A1
    rest = [a for a in POOL if a != 12] + [5]
    found += [Plan("HP-03", CS, 2 + i % 8, rest[i % len(rest)]) for i in range(15)]
    found += [Plan("HP-04", ZZ, i, 4) for i in range(6)]  # small and concentrated: skipped
    late = [{"late_wd": 12}, {"late_wd": 15}]
    twice, inside = [{"extensions": [5, 5]}], [{"extensions": [5], "after_original_due": True}]
    found += _background("HP-01", CS, 20, {2: late, 5: [{}, {}], 6: inside, 7: [{}], 3: [{"extensions": [12]}]}, 0)
    found += _background("HP-01", ZZ, 12, {6: inside, 7: [{"late_wd": 2}], 3: twice, 5: [{}]}, 3)
    found += _background("HP-05", CS, 15, {2: [{"late_wd": 13}, {"late_wd": 14}], 6: inside, 7: [{}], 3: twice,
                                           5: [{}]}, 6)  # fmt: skip
    found += _background("HP-06", ZZ, 12, {2: [{"late_wd": 12}, {"late_wd": 13}], 3: twice, 7: [{}], 5: [{}]}, 9)
    found += _background("HP-03", ZZ, 10, {6: inside, 7: [{}], 5: [{}]}, 2)
    for plan in found:
        if plan.item == "HP-03" and plan.region == ZZ and plan.owner == 1:
            plan.owner = 0  # keep O1's HP-03 spend to the planted lock-in
    return found


class Scenario:
    def __init__(self, market, clock: FixedClock) -> None:
        self.market, self.clock = market, clock
        self.agencies: list[tuple[UUID, Actor]] = []
        self.owners: list[tuple[UUID, Actor]] = []
        self.plans = plans()
        self.scheme_plans = schemes.plans()

    def attach(self, market, clock: FixedClock) -> Scenario:
        """The same scenario over another market holding a copy of its events (one per test)."""
        copy = Scenario.__new__(Scenario)
        copy.__dict__.update(self.__dict__, market=market, clock=clock)
        return copy

    # --- the registers ------------------------------------------------------------------

    def register(self) -> None:
        m = self.market
        departments = [
            UUID(m.establish_department(code, name, "approving_department", CS, by=OPERATOR)["department_id"])
            for code, name in (("HB", "湖南省生态环境厅"), ("ZR", "湖南省自然资源厅"), ("ZJ", "湖南省住房和城乡建设厅"))
        ]  # fmt: skip
        requirement = {"mode": "all", "qualifications": [{"category": "环境影响评价", "min_level": "乙级"}]}
        for code, dept in ITEMS.items():
            m.define_service_item(code, f"中介服务{code}", f"审批事项{code}", departments[dept], requirement, by=OPERATOR)
        for n in range(AGENCIES + schemes.AGENCIES):
            applicant = Actor(f"agency-user-{n}", Role.AGENCY)
            profile = {**agency_profile(100 + n, items=list(ITEMS)), **schemes.PROFILES.get(n, {})}
            agency_id = UUID(m.register_agency(uscc(100 + n), profile, by=applicant)["agency_id"])
            m.admit_agency(agency_id, by=OPERATOR)
            self.agencies.append((agency_id, Actor(f"agency-user-{n}", Role.AGENCY, str(agency_id))))
        for n in range(OWNERS):
            admin = {"account": f"owner-admin-{n}", "name": f"业主管理员{n}"}
            region = CS if n % 2 == 0 else ZZ
            owner_id = UUID(m.register_owner(uscc(200 + n, "11430100"), f"业主单位{n}", "state_owned", region, admin,
                                             by=OPERATOR)["owner_id"])  # fmt: skip
            self.owners.append((owner_id, Actor(f"owner-admin-{n}", Role.OWNER_ADMIN, str(owner_id))))

    # --- time -------------------------------------------------------------------------

    def on_working_day(self, after: datetime, n: int, hour: int = 10) -> datetime:
        """``hour`` o'clock on the n-th working day after ``after``'s date."""
        end = self.market.calendar().add_working_days(after, n).at  # 24:00 of that day
        return (end - timedelta(days=1)).replace(hour=hour)

    # --- one procurement's life -------------------------------------------------------------

    def lifecycle(self, plan: Plan, index: int) -> Generator[datetime, None, None]:
        m, now = self.market, self.clock.now()
        owner_id, owner = self.owners[plan.owner]
        closes = now + timedelta(days=3)
        budget = {"kind": "range", "min": "10000", "max": plan.ceiling or "50000"}
        body = notice(plan.item, opens=now, closes=closes, region=plan.region, fund=plan.fund, budget=budget,
                      project_code=f"2025-430000-77-01-{index:06d}", project_name=f"项目{index}")  # fmt: skip
        pid = UUID(m.draft_procurement(owner_id, body, by=owner)["procurement_id"])
        plan.pid = pid
        m.submit_procurement(pid, by=owner)
        m.publish_procurement(pid, by=OPERATOR)
        if plan.bids is None:
            others = [a for a in range(AGENCIES) if a != plan.winner]
            bidders = [plan.winner, others[index % len(others)], others[(index + 7) % len(others)]]
            bids = [(agency, str(30000 + 1000 * rank)) for rank, agency in enumerate(bidders)]
        else:
            bids = plan.bids
        at = {a: closes - timedelta(seconds=plan.signs_before_close[a]) if a in plan.signs_before_close
              else now + timedelta(hours=1) for a, _ in bids}  # fmt: skip
        for agency, price in sorted(bids, key=lambda b: at[b[0]]):  # stable: the listed order at one instant
            yield at[agency]
            agency_id, actor = self.agencies[agency]
            m.sign_up(pid, agency_id, {"kind": "amount", "value": price}, by=actor,
                      submitted_from=plan.submitted_from.get(agency))  # fmt: skip
        if plan.withdraw:
            yield closes - timedelta(hours=2)
            for agency in plan.withdraw:
                agency_id, actor = self.agencies[agency]
                m.withdraw_signup(pid, agency_id, by=actor)
        yield closes
        m.close_signup(pid)
        m.run_selection(pid)
        p = m.load(pid, Procurement)
        if plan.winner is None:  # a tie, drawn: whoever the draw chose
            plan.winner = next(n for n, (a, _) in enumerate(self.agencies) if str(a) == p.winner_id)
        assert p.winner_id == str(self.agencies[plan.winner][0]), "the planned winner quotes lowest"
        winner_id, winner = self.agencies[plan.winner]
        yield p.deadlines["publicity_end"]["at"] + timedelta(hours=9)
        m.award(pid)
        if plan.abandon or plan.void:
            yield self.on_working_day(self.clock.now(), 1)
            if plan.abandon:
                m.abandon(pid, "人员变动,无法履约,放弃中选", by=winner)
            else:
                m.void_procurement(pid, "expensesCut", "预算调减,项目取消", by=owner)
            return
        yield self.on_working_day(self.clock.now(), plan.contract_wd)
        amount = str(25000 + (index * 37 % 11) * 1000)  # contracts differ from the quotes, so value ≠ count
        m.file_contract(pid, {"contract_no": f"HT-{index:05d}", "amount": amount, "document_sha256": "c" * 64},
                        by=winner)  # fmt: skip
        m.confirm_contract(pid, by=owner)
        contract_at = self.clock.now()
        original_due = m.load(pid, Procurement).service_due
        for days in plan.extensions:
            yield self.clock.now() + timedelta(days=2)
            m.request_extension(pid, days, "现场条件变化,申请延期", by=winner)
            m.grant_extension(pid, by=owner)
        due = m.load(pid, Procurement).service_due
        if plan.late_wd:
            yield self.on_working_day(due - timedelta(microseconds=1), plan.late_wd)
        elif plan.after_original_due:
            yield self.on_working_day(original_due - timedelta(microseconds=1), 2)
        else:
            yield self.on_working_day(contract_at, 15)
        assert (self.clock.now() >= original_due) == bool(plan.late_wd or plan.after_original_due)
        m.submit_deliverable(pid, {"title": "服务成果", "sha256": "d" * 64}, by=winner)
        for _ in range(plan.returns):  # returned for quality (V04), reworked within the time limit
            yield self.on_working_day(self.clock.now(), 1)
            m.reject_deliverable(pid, ["成果质量不符合技术规范,退回修改"], by=owner)
            yield self.on_working_day(self.clock.now(), 1)
            m.submit_deliverable(pid, {"title": "服务成果(修改稿)", "sha256": "e" * 64}, by=winner)
        yield self.on_working_day(self.clock.now(), 1)
        m.accept_deliverable(pid, by=owner)
        yield self.on_working_day(self.clock.now(), 1, hour=11)
        m.evaluate(pid, SCORES, "按期完成", by=owner)

    def run(self, plans: list[Plan] | None = None, *, start: datetime | None = None,
            every: timedelta = timedelta(days=1), mix: bool = True, on_step: Callable[[], None] | None = None) -> None:
        """Run the scripts, one published per ``every``, all interleaved in business-time order.

        The base plans' markets are shuffled in time; the schemes' plans are published
        in their listed order (a ring's turns are the order of its procurements), two
        hours after the base plan of the same day. ``on_step`` runs after every step
        of every script (an incremental scan, say).
        """
        start = start or START
        groups = [(plans, start, mix, 0)] if plans is not None else [
            (self.plans, start, True, 0), (self.scheme_plans, start + timedelta(hours=2), False, len(self.plans))]
        queue: list[tuple[datetime, int, Generator[datetime, None, None]]] = []
        for group, begin, mix, first in groups:
            order = sorted(range(len(group)), key=lambda i: (i * 7919) % len(group)) if mix else range(len(group))
            for seq, i in enumerate(order):
                queue.append((begin + seq * every, first + seq, self.lifecycle(group[i], first + i)))
        heapq.heapify(queue)
        while queue:
            at, seq, process = heapq.heappop(queue)
            self.clock.set(max(at, self.clock.now()))
            try:
                heapq.heappush(queue, (next(process), seq, process))
            except StopIteration:
                pass
            if on_step is not None:
                on_step()

    # --- what must be found -------------------------------------------------------------

    def agency(self, n: int) -> str:
        return str(self.agencies[n][0])

    def pids(self, **match) -> list[str]:
        return [str(p.pid) for p in self.plans if all(getattr(p, k) == v for k, v in match.items())]

    def expected(self) -> set[tuple[str, str]]:
        """(code, key) of every flag the planted schemes must raise."""
        a = self.agency
        found = {("CONC_HHI", f"HP-02|{CS}"), ("CONC_DOMINANCE", f"HP-02|{CS}|{a(0)}"),
                 ("CONC_LOCKIN", f"{self.owners[1][0]}|HP-03|{a(1)}"), ("DELAY_AGENCY_RATE", a(2))}  # fmt: skip
        found |= {("DELAY_OVERRUN", pid) for p in self.plans if p.late_wd for pid in [str(p.pid)]}
        found |= {("DELAY_EXTENSIONS", str(p.pid)) for p in self.plans if p.winner == 3}
        return found | schemes.expected(self)

    def look_alikes(self) -> set[tuple[str, str]]:
        """(code, key) of flags the innocent look-alikes must not raise."""
        a = self.agency
        found = {("CONC_HHI", f"HP-04|{ZZ}"), ("CONC_DOMINANCE", f"HP-04|{ZZ}|{a(4)}"), ("DELAY_AGENCY_RATE", a(7))}
        for p in self.plans:
            if p.winner in (5, 6):
                found |= {(code, str(p.pid)) for code in ("DELAY_OVERRUN", "DELAY_EXTENSIONS")}
        return found | schemes.look_alikes(self)
