"""Oversight scans: run the detectors over the read models and reconcile the flags on record.

``full_scan`` judges every scope (the nightly job: rolling windows move and
running overruns grow with no event at all). ``incremental_scan`` judges only the
scopes the events since its bookmark touched (markets, owners' items,
procurements, their agencies), so its cost follows the new events, not the size
of the market; when the thresholds changed since the last scan it runs a full
scan instead. Both reconcile the same way: raise what is new, update what
changed materially, clear what no longer holds, always through the market's
commands keyed by (flag, version seen, action), so a repeated or crashed scan
records nothing twice (issue 5: the jobs are idempotent).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from domain.errors import DomainError
from domain.supervision import Finding, Flag, materially_changed
from domain.supervision.metrics import window_months
from market.oversight import collusion as K
from market.oversight import concentration as C
from market.oversight import conduct as V
from market.oversight import delays as D
from market.oversight import red_top as R
from market.oversight.detectors import (AGENCY, MARKET, OWNER_ITEM, PROCUREMENT, Detector, market_scope,
                                        owner_item_scope, used)
from projections import agency_conduct as ac
from projections import bidding_patterns as bp
from projections import market_concentration as mc
from projections import red_top_links as rt
from projections import stage_delays as sd
from projections import supervision_flags as sf
from projections.engine import ReadModels

log = logging.getLogger(__name__)

DETECTORS: tuple[Detector, ...] = (*C.DETECTORS, *D.DETECTORS, *R.DETECTORS, *K.DETECTORS, *V.DETECTORS)
FED_BY = ("market_concentration", "stage_delays", "red_top_links", "bidding_patterns", "agency_conduct")
FOLLOWED = (*FED_BY, "supervision_flags")
CLEARED_REASON = "条件不再成立 (no longer holds)"
SHANGHAI = ZoneInfo("Asia/Shanghai")


@dataclass
class ScanReport:
    kind: str  # "full" or "incremental"
    position: int  # the log position the scan covered
    now: datetime
    scopes: Counter = field(default_factory=Counter)  # scopes judged, by kind
    actions: Counter = field(default_factory=Counter)  # (code, action) → commands that changed a flag
    findings: Counter = field(default_factory=Counter)  # code → findings

    def count(self, action: str) -> int:
        return sum(n for (_, a), n in self.actions.items() if a == action)


class Feeder:
    """Each scope's detector inputs, read from the read models once per scan and shared by its detectors."""

    def __init__(self, conn: Any, now: datetime, params: dict[str, Any], calendar: Any) -> None:
        self.conn, self.now, self.params, self.calendar = conn, now, params, calendar
        self.months = window_months(now, params["market_window_months"])
        first = datetime.strptime(self.months[0] + "-01", "%Y-%m-%d")
        self.since = first.replace(tzinfo=SHANGHAI)
        self._screens: dict[tuple[str, str, str], list[dict[str, Any]]] = {}

    def market(self, item: str, region: str) -> C.MarketInputs:
        figures = mc.market_figures(self.conn, item, region, self.now, self.params["market_window_months"])
        return C.MarketInputs(figures, lambda agencies: mc.award_evidence(
            self.conn, service_item=item, region=region, months=self.months, agency_ids=agencies))  # fmt: skip

    def owner_item(self, owner_id: str, item: str) -> C.OwnerItemInputs:
        window = mc.owner_item_figures(self.conn, owner_id, item, self.now, self.params["market_window_months"])
        return C.OwnerItemInputs(owner_id, item, window, lambda agencies: mc.award_evidence(
            self.conn, service_item=item, owner_id=owner_id, months=self.months, agency_ids=agencies))  # fmt: skip

    def procurement(self, row: dict[str, Any]) -> D.ProcurementInputs:
        return D.ProcurementInputs(row, self.now, self.calendar)

    def agency(self, agency_id: str) -> D.AgencyInputs:
        rows = sd.delay_rows(self.conn, agency_id=agency_id, since=self.since)  # the window only: a flat cost
        return D.AgencyInputs(agency_id, rows, self.since, self.now, self.calendar)

    def agency_links(self, agency_id: str) -> R.LinkInputs:
        return R.link_inputs(self.conn, agency_id)

    def department(self, department_id: str) -> R.DepartmentInputs:
        return R.department_inputs(self.conn, department_id, self.since)

    # --- collusion (§9.4) ---------------------------------------------------------------

    def bidding(self, rows: list[dict[str, Any]]) -> list[tuple[str, Callable[[], K.BiddingInputs]]]:
        """Each procurement's bids, its sign-ups read 500 procurements at a time (the batch in hand kept),
        in market and month order so that each market's screens are read once."""
        rows = sorted(rows, key=lambda r: (r["service_item"] or "", r["region"] or "", r["month"], r["procurement_id"]))
        batch: dict[str, Any] = {"index": None, "signups": {}}

        def signups(i: int) -> list[dict[str, Any]]:
            if batch["index"] != i // 500:
                chunk = rows[i // 500 * 500 : (i // 500 + 1) * 500]
                batch.update(index=i // 500, signups=bp.signups_of(self.conn, [r["procurement_id"] for r in chunk]))
            return batch["signups"][rows[i]["procurement_id"]]

        return [(r["procurement_id"], lambda i=i, r=r: K.BiddingInputs(r, signups(i), lambda: self.market_screens(r)))
                for i, r in enumerate(rows)]  # fmt: skip

    def market_screens(self, row: dict[str, Any]) -> list[dict[str, Any]]:
        """RD and CV of the procurement's market in the window ending with its selection month (so a
        procurement is judged against the market it bid in); the last market and month read is kept."""
        key = (row["service_item"], row["region"], row["month"])
        if key not in self._screens:
            months = window_months(row["selected_at"], self.params["market_window_months"])
            self._screens = {key: bp.market_screens(self.conn, key[0], key[1], months)}
        return self._screens[key]

    def rings(self, around: Iterable[str] | None) -> list[tuple[str, Callable[[], K.RingInputs]]]:
        """Every maximal group of agencies that co-bid pairwise ≥ ``cobid_min`` times in the window:
        all of them, or those holding one of the agencies ``around`` (a ring holding an agency lies
        among its frequent co-bidders, so only their pair counts are read)."""
        minimum = self.params["cobid_min"]
        if around is None:
            pairs = bp.strong_pairs(self.conn, self.months, minimum)
        else:
            near = set(around)
            near |= {x for pair in bp.strong_pairs(self.conn, self.months, minimum, near) for x in pair}
            pairs = {k: n for k, n in bp.strong_pairs(self.conn, self.months, minimum, near).items()
                     if k[0] in near and k[1] in near}  # fmt: skip
        cliques = K.maximal_cliques(set(pairs))
        if around is not None:
            cliques = [c for c in cliques if set(c) & set(around)]
        return [(K.ring_id(c), lambda c=c: self.ring(c, pairs)) for c in cliques]

    def ring(self, members: list[str], pairs: dict[tuple[str, str], int]) -> K.RingInputs:
        mine = {(a, b): n for (a, b), n in pairs.items() if a in members and b in members}
        return K.RingInputs(K.ring_id(members), members, mine, bp.bids_of(self.conn, members, self.months),
                            bp.together(self.conn, members, self.months))  # fmt: skip

    # --- conduct (§8) -------------------------------------------------------------------

    def engagement(self, row: dict[str, Any]) -> V.EngagementInputs:
        return V.EngagementInputs(row, self.now, self.calendar)

    def abandonments(self, agency_id: str) -> V.AbandonInputs:
        since = V.window_start(self.now, self.params)
        return V.AbandonInputs(agency_id, since, ac.abandonments(self.conn, agency_id, since))


Scopes = dict[str, list[tuple[str, Callable[[], Any]]]]  # scope kind → [(scope, its inputs, lazily)]


def _scopes(feeder: Feeder, markets: Iterable[tuple[str, str]], owner_items: Iterable[tuple[str, str]],
            rows: Iterable[dict[str, Any]], agencies: Iterable[str], linked: Iterable[str] = (),
            departments: Iterable[str] = (), bidding: Iterable[dict[str, Any]] = (), bidders: Iterable[str] | None = (),
            engagements: Iterable[dict[str, Any]] = (), conduct: Iterable[str] = ()) -> Scopes:  # fmt: skip
    return {
        MARKET: [(market_scope(i, r), lambda i=i, r=r: feeder.market(i, r)) for i, r in markets],
        OWNER_ITEM: [(owner_item_scope(o, i), lambda o=o, i=i: feeder.owner_item(o, i)) for o, i in owner_items],
        PROCUREMENT: [(r["procurement_id"], lambda r=r: feeder.procurement(r)) for r in rows],
        AGENCY: [(a, lambda a=a: feeder.agency(a)) for a in agencies],
        R.LINKS: [(a, lambda a=a: feeder.agency_links(a)) for a in linked],
        R.DEPARTMENT: [(d, lambda d=d: feeder.department(d)) for d in departments],
        K.BIDDING: feeder.bidding(list(bidding)),
        K.RING: feeder.rings(bidders),  # bidders None: every ring
        V.ENGAGEMENT: [(r["procurement_id"], lambda r=r: feeder.engagement(r)) for r in engagements],
        V.AGENCY_CONDUCT: [(a, lambda a=a: feeder.abandonments(a)) for a in conduct],
    }  # fmt: skip


def _all_scopes(feeder: Feeder) -> Scopes:
    conn = feeder.conn
    return _scopes(feeder, mc.markets(conn), mc.owner_items(conn), sd.all_rows(conn), sd.agencies(conn),
                   rt.linked_agencies(conn), rt.approving_departments(conn), bp.procurements(conn),
                   None, ac.awards(conn), ac.agencies(conn))  # fmt: skip


def _touched_scopes(feeder: Feeder, after: int, upto: int) -> Scopes:
    """The scopes of the rows that events at positions in (after, upto] changed, and their agencies."""
    markets, owner_items = mc.touched(feeder.conn, after, upto)
    rows = sd.touched(feeder.conn, after, upto)
    agencies = {r["agency_id"] for r in rows if r["agency_id"]}
    linked, departments = rt.touched(feeder.conn, after, upto)
    bidding = bp.procurements(feeder.conn, after=after, upto=upto)
    bidders = {s["agency_id"] for listed in bp.signups_of(feeder.conn, [b["procurement_id"] for b in bidding]).values()
               for s in listed if s["month"] is not None}  # fmt: skip
    engagements = ac.awards(feeder.conn, after=after, upto=upto)
    conduct = {r["agency_id"] for r in engagements if r["abandoned_at"] is not None}
    return _scopes(feeder, sorted(markets), sorted(owner_items), rows, sorted(agencies), sorted(linked),
                   sorted(departments), bidding, sorted(bidders), engagements, sorted(conduct))  # fmt: skip


SUMMARIES: dict[str, Callable[[Any], dict[str, Any]]] = {
    MARKET: C.market_summary, OWNER_ITEM: C.owner_item_summary, PROCUREMENT: D.procurement_summary,
    AGENCY: D.agency_summary, R.LINKS: R.link_summary, R.DEPARTMENT: R.department_summary,
    K.BIDDING: K.bidding_summary, K.RING: K.ring_summary, V.ENGAGEMENT: V.engagement_summary,
    V.AGENCY_CONDUCT: V.abandon_summary,
}  # fmt: skip


def _judge(market: Any, conn: Any, scopes: Scopes, detectors: Sequence[Detector], params: dict[str, Any],
           report: ScanReport, *, everywhere: bool) -> None:  # fmt: skip
    """Each unit's inputs are made once and judged by all detectors of its kind, then let go: a full
    scan holds one unit's inputs at a time, not the whole market's."""
    for kind, units in scopes.items():
        report.scopes[kind] += len(units)
    by_kind: dict[str, list[Detector]] = {}
    for detector in detectors:
        by_kind.setdefault(detector.scope, []).append(detector)
    for kind, judges in by_kind.items():
        units = scopes[kind]
        findings: dict[str, list[Finding]] = {d.code: [] for d in judges}
        for _, make in units:
            inputs = make()
            for detector in judges:
                findings[detector.code] += detector.evaluate(inputs, params)
        makers = dict(units)

        def summary(scope: str, kind: str = kind) -> dict[str, Any]:  # what a clearing records: made again
            return SUMMARIES[kind](makers[scope]()) if scope in makers else {}

        for detector in judges:
            report.findings[detector.code] += len(findings[detector.code])
            known = sf.flags_in(conn, detector.code, None if everywhere else [scope for scope, _ in units])
            _reconcile(market, detector, used(detector, params), findings[detector.code], known, summary, report)


def _reconcile(
    market: Any, detector: Detector, params: dict[str, Any], findings: Iterable[Finding],
    known: dict[str, dict[str, Any]], summary: Callable[[str], dict[str, Any]], report: ScanReport,
) -> None:  # fmt: skip
    """Raise or update what was found, clear what is open and was not (within ``known``'s scopes)."""
    seen = set()
    for f in findings:
        flag_id = str(Flag.create_id(detector.code, f.key, f.period))
        seen.add(flag_id)
        row = known.get(flag_id)
        if row is not None and (row["status"] == "closed" or (
                row["status"] == "open" and not materially_changed(row, f, detector.headline))):  # fmt: skip
            continue  # on record as it is, or frozen by a case
        key = f"oversight:{flag_id}:v{row['version'] if row else 0}:observe"
        _command(report, detector.code, lambda: market.record_finding(
            detector.code, detector.version, params, f, headline=detector.headline, idempotency_key=key))  # fmt: skip
    for flag_id, row in sorted(known.items()):
        if flag_id not in seen and row["status"] == "open":
            key = f"oversight:{flag_id}:v{row['version']}:clear"
            _command(report, detector.code, lambda: market.clear_flag(
                flag_id, CLEARED_REASON, summary(row["scope"]), idempotency_key=key))  # fmt: skip


def _command(report: ScanReport, code: str, run: Callable[[], dict[str, Any]]) -> None:
    try:
        result = run()
    except DomainError as refused:  # raced with a regulator, or a stale read: the next scan sees it right
        log.info("oversight command for %s skipped: %s", code, refused.code)
        return
    if result["action"] != "unchanged":
        report.actions[(code, result["action"])] += 1


def _digest(params: dict[str, Any]) -> str:
    """A fingerprint of the thresholds, kept with the bookmark: a change means a full re-judgement."""
    return hashlib.sha256(json.dumps(params, sort_keys=True).encode()).hexdigest()


def _position(read_models: ReadModels) -> int:
    read_models.catch_up(FOLLOWED)
    positions = read_models.positions()
    return min(positions[name] for name in FED_BY)


@contextmanager
def _writing(read_models: ReadModels) -> Iterator[Any]:
    """A transaction that writes after reading: SQLite takes its write lock at BEGIN (projections/database.py)."""
    with read_models.engine.connect() as conn:
        conn.execution_options(immediate=True)
        with conn.begin():
            yield conn


def full_scan(market: Any, read_models: ReadModels, now: datetime | None = None, *,
              detectors: Sequence[Detector] = DETECTORS) -> ScanReport:  # fmt: skip
    """Judge every scope with every detector and reconcile all flags (the nightly scan)."""
    now = now or market.clock.now()
    position, params = _position(read_models), market.thresholds()
    report = ScanReport("full", position, now)
    with read_models.connect() as conn:
        feeder = Feeder(conn, now, params, market.calendar())
        _judge(market, conn, _all_scopes(feeder), detectors, params, report, everywhere=True)
    digest = _digest(params)
    with _writing(read_models) as conn:
        previous = sf.bookmark(conn, "incremental")
        sf.save_bookmark(conn, "full", position, now, digest)
        sf.save_bookmark(conn, "incremental", max(position, previous["position"] if previous else 0), now, digest)
    return report


def incremental_scan(market: Any, read_models: ReadModels, now: datetime | None = None, *,
                     detectors: Sequence[Detector] = DETECTORS) -> ScanReport:  # fmt: skip
    """Judge only what the events since the last scan touched; new thresholds mean a full scan."""
    now = now or market.clock.now()
    params = market.thresholds()
    digest = _digest(params)
    with read_models.connect() as conn:
        last = sf.bookmark(conn, "incremental")
    if last is None or last["thresholds"] != digest:
        return full_scan(market, read_models, now, detectors=detectors)
    position = _position(read_models)
    report = ScanReport("incremental", position, now)
    if position > last["position"]:
        with read_models.connect() as conn:
            feeder = Feeder(conn, now, params, market.calendar())
            scopes = _touched_scopes(feeder, last["position"], position)
            _judge(market, conn, scopes, detectors, params, report, everywhere=False)
    with _writing(read_models) as conn:
        sf.save_bookmark(conn, "incremental", max(position, last["position"]), now, digest)
    return report


def last_full_scan(read_models: ReadModels) -> datetime | None:
    """Business time of the last full scan, None before the first."""
    with read_models.connect() as conn:
        last = sf.bookmark(conn, "full")
    return last["scanned_at"] if last else None
