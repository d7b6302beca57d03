"""The collusion and conduct schemes of the planted scenario, and their innocent look-alikes (issue 5).

Agencies 20–41 are theirs (0–19 belong to scenario.py's concentration and
delay schemes; 8–19 fill competitive markets everywhere). Prices that are not
part of a scheme are *natural*: the winner near 30,000 and each next bid a
pseudo-random 4–8 % higher (0.2–0.4 % in the tight market HP-08), so each market
has a spread of RD (1.2–2.5) and CV for the cover screens' fences to be drawn from.

Planted (must be flagged):
* a rotation ring: 20, 21, 22 bid together 12 times in HP-07 长沙 and win in turn;
* identical quotes: 26 and 27 both bid 31,280.00 (the draw picks the winner);
* cover bidding: a lowest bid far below two near-equal covers (RD ≫ its market's
  fence), and three bids within 0.4 % of each other in a market where 4–8 % gaps
  are the norm (CV below the fence);
* a last-minute cluster: 11 and 12 sign up 20 and 19 minutes before the close;
* shared contacts: 34 and 35 registered the same phone; 36 and 37 signed up
  from the same network address;
* bid suppression: a social-fund procurement where two of three bidders withdraw;
* conduct: 28 walks away from three wins (each a refused contract, together
  abandonment in 12 months), 29 from two; 30 signs its contract on the 7th
  working day (due by the 5th); 32's deliverable is returned twice, 33's once.
Look-alikes (must not be):
* three agencies (23, 24, 25) that meet in every one of nine HP-07 株洲
  procurements and share the wins, but not in turn (winners repeat);
* two quotes equal to the 最高限价 (the cap pins them);
* a wide gap (RD = 2.4, which Imhof's RD > 1 alone would flag) that is ordinary in
  its market; the very bids of the planted low-variance case in HP-08, a market
  where such tight bids are the norm;
* one late sign-up alone; two late sign-ups 10 minutes apart;
* a phone shared by 38 and 39, who never bid in the same procurement; 40 and 41
  in one building, different rooms; sign-ups that recorded no address;
* one withdrawal leaving three valid bids; a social-fund procurement with one bidder;
* 29's two abandonments; a contract signed on its last day; an award the owner voids.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.supervision.scenario import Plan, Scenario

AGENCIES = 22  # 20–41
RING, TRIO, IDENTICAL = (20, 21, 22), (23, 24, 25), (26, 27)
ABANDONS_THRICE, ABANDONS_TWICE, SIGNS_LATE, SIGNS_ON_TIME, RETURNED_TWICE, RETURNED_ONCE = 28, 29, 30, 31, 32, 33
SHARED_PHONE, SAME_ADDRESS, PHONE_APART, ONE_BUILDING = (34, 35), (36, 37), (38, 39), (40, 41)
POOL = list(range(8, 20))
CS, ZZ = "430100", "430200"
PROFILES: dict[int, dict[str, Any]] = {  # agency → its profile's departures from the builder's
    35: {"phone": "0731-80000134"},  # agency 34's (agency_profile(134))
    39: {"phone": "0731-80000138"},  # agency 38's
    40: {"address": "长沙市岳麓区麓谷大道1号A座301室"},
    41: {"address": "长沙市岳麓区麓谷大道1号A座502室"},
}


def _u(*key: Any) -> float:
    """A pseudo-random fraction in [0, 1), the same on every run."""
    return int(hashlib.sha256(repr(key).encode()).hexdigest()[:8], 16) / 2**32


def natural(key: Any, agencies: list[int], step: float = 0.04) -> list[tuple[int, str]]:
    """Natural bids, the first agency lowest: 30,000–31,500, then gaps of step·(1 + u); the winner's lead
    is 0.6–1.25 times the next gap (RD = 1.2–2.5: honest bidders' spread, no cover bids)."""
    price = 30000 * (1 + 0.05 * _u(key, "base"))
    gaps = [30000 * step * (1 + _u(key, rank)) for rank in range(len(agencies))]
    if len(agencies) > 2:
        gaps[1] = gaps[2] * (0.6 + 0.65 * _u(key, "lead"))
    bids = []
    for rank, agency in enumerate(agencies):
        price += gaps[rank] if rank else 0
        bids.append((agency, f"{round(price)}"))
    return bids


def plans() -> list[Plan]:
    from tests.supervision.scenario import Plan

    def plan(tag: str, item: str, region: str, bids: list[tuple[int, str]], winner: int | None, n: int,
             **kw: Any) -> Plan:  # fmt: skip
        return Plan(item, region, n % 10, winner, bids=bids, tag=tag, **kw)  # type: ignore[arg-type]

    def background(tag: str, item: str, region: str, i: int, step: float = 0.04) -> Plan:
        bidders = [POOL[i % 12], POOL[(i + 3) % 12], POOL[(i + 7) % 12]]
        return plan(tag, item, region, natural((tag, i), bidders, step), bidders[0], i)

    cs07: list[Plan] = []
    ring = [plan("ring", "HP-07", CS, natural(("ring", j), [RING[j % 3], RING[(j + 1) % 3], RING[(j + 2) % 3]]),
                 RING[j % 3], j) for j in range(12)]  # fmt: skip
    background07 = [background("background", "HP-07", CS, i) for i in range(16)]
    schemes = [
        plan("cover_rd", "HP-07", CS, [(10, "30000"), (11, "33000"), (12, "33040")], 10, 1),
        plan("cover_cv", "HP-07", CS, [(13, "30000"), (14, "30050"), (15, "30110")], 13, 2),
        plan("identical", "HP-07", CS, [(26, "31280"), (27, "31280"), (19, "33500")], None, 3),
        plan("last_minute", "HP-07", CS, natural("last_minute", [13, 11, 12]), 13, 4,
             signs_before_close={11: 1200, 12: 1140}),
        plan("shared_phone", "HP-07", CS, natural("shared_phone", [16, 34, 35]), 16, 5),
        plan("same_address", "HP-07", CS, natural("same_address", [17, 36, 37]), 17, 6,
             submitted_from={36: "203.0.113.7", 37: "203.0.113.7", 17: "198.51.100.20"}),
        plan("suppression", "HP-07", CS, [(8, "30000"), (9, "31500"), (18, "32400")], 8, 7, fund="social",
             withdraw=[9, 18]),
        plan("wide_gap", "HP-07", CS, [(16, "30000"), (17, "32400"), (18, "34400")], 16, 8),
        plan("late_alone", "HP-07", CS, natural("late_alone", [15, 18, 14]), 15, 9, signs_before_close={14: 300}),
        plan("late_apart", "HP-07", CS, natural("late_apart", [19, 15, 16]), 19, 0,
             signs_before_close={15: 1500, 16: 900}),
        plan("one_withdrawal", "HP-07", CS, natural("one_withdrawal", [9, 10, 11, 12]), 9, 1, withdraw=[12]),
        plan("lone_bidder", "HP-07", CS, [(8, "30000")], 8, 2, fund="social"),
        plan("phone_apart", "HP-07", CS, natural("phone_apart_1", [9, 38, 10]), 9, 3),
        plan("phone_apart", "HP-07", CS, natural("phone_apart_2", [11, 39, 12]), 11, 4),
        plan("one_building", "HP-07", CS, natural("one_building", [13, 40, 41]), 13, 5),
    ]
    for i in range(max(len(ring), len(background07))):  # the ring's turns spread over weeks
        cs07 += [p[i] for p in (ring, background07) if i < len(p)]
    cs07 += schemes  # after the market has a history for its fences
    trio_winners = [23, 23, 24, 25, 25, 24, 23, 24, 25]  # an even share, but winners repeat: no turn-taking
    trio = [plan("trio", "HP-07", ZZ, natural(("trio", j), [w, *[t for t in TRIO if t != w]]), w, j)
            for j, w in enumerate(trio_winners)]  # fmt: skip
    tight = [background("tight", "HP-08", CS, i, step=0.002) for i in range(12)]
    tight.append(plan("tight_same_bids", "HP-08", CS, [(13, "30000"), (14, "30050"), (15, "30110")], 13, 6))
    tight.append(plan("ceiling_tie", "HP-08", ZZ, [(8, "30500"), (9, "32000"), (10, "32000")], 8, 7, ceiling="32000"))
    conduct = [
        *[plan("abandoned_thrice", "HP-09", CS if k < 2 else ZZ, natural(("a3", k), [ABANDONS_THRICE, 14, 15]),
               ABANDONS_THRICE, k, abandon=True) for k in range(3)],
        *[plan("abandoned_twice", "HP-09", CS if k < 1 else ZZ, natural(("a2", k), [ABANDONS_TWICE, 16, 17]),
               ABANDONS_TWICE, k + 3, abandon=True) for k in range(2)],
        plan("late_contract", "HP-09", CS, natural("late", [SIGNS_LATE, 18, 19]), SIGNS_LATE, 5, contract_wd=7),
        plan("contract_on_time", "HP-09", ZZ, natural("on_time", [SIGNS_ON_TIME, 8, 9]), SIGNS_ON_TIME, 6,
             contract_wd=5),
        plan("voided_award", "HP-09", CS, natural("voided", [SIGNS_ON_TIME, 10, 11]), SIGNS_ON_TIME, 7, void=True),
        plan("returned_twice", "HP-09", ZZ, natural("r2", [RETURNED_TWICE, 12, 13]), RETURNED_TWICE, 8, returns=2),
        plan("returned_once", "HP-09", CS, natural("r1", [RETURNED_ONCE, 14, 15]), RETURNED_ONCE, 9, returns=1),
    ]
    return cs07 + trio + tight + conduct


def pids(s: Scenario, tag: str) -> list[str]:
    return [str(p.pid) for p in s.scheme_plans if p.tag == tag]


def ring_key(s: Scenario, members: tuple[int, ...]) -> str:
    from market.oversight.collusion import ring_id

    return ring_id([s.agency(n) for n in members])


def expected(s: Scenario) -> set[tuple[str, str]]:
    """(code, key) of every flag the collusion and conduct schemes must raise."""
    one = lambda tag: pids(s, tag)[0]  # noqa: E731
    found = {("COLLUSION_ROTATION", ring_key(s, RING)), ("COLLUSION_IDENTICAL", one("identical")),
             ("COLLUSION_COVER", one("cover_rd")), ("COLLUSION_COVER", one("cover_cv")),
             ("COLLUSION_LAST_MINUTE", one("last_minute")), ("COLLUSION_SHARED_CONTACT", one("shared_phone")),
             ("COLLUSION_SHARED_CONTACT", one("same_address")), ("COLLUSION_SUPPRESSION", one("suppression")),
             ("CONDUCT_ABANDONED", s.agency(ABANDONS_THRICE)), ("CONDUCT_CONTRACT", one("late_contract")),
             ("DELAY_SIGNING", one("late_contract")),  # the same late contract, as a delay (§9.3)
             ("CONDUCT_RETURNED", one("returned_twice")), ("CONDUCT_RETURNED", one("returned_once"))}  # fmt: skip
    found |= {("CONDUCT_CONTRACT", pid) for tag in ("abandoned_thrice", "abandoned_twice") for pid in pids(s, tag)}
    return found


def look_alikes(s: Scenario) -> set[tuple[str, str]]:
    """(code, key) of flags the collusion and conduct look-alikes must not raise."""
    found = {("COLLUSION_ROTATION", ring_key(s, TRIO)), ("CONDUCT_ABANDONED", s.agency(ABANDONS_TWICE))}
    codes = {
        "ceiling_tie": ("COLLUSION_IDENTICAL",), "wide_gap": ("COLLUSION_COVER",), "tight": ("COLLUSION_COVER",),
        "tight_same_bids": ("COLLUSION_COVER",), "background": ("COLLUSION_COVER",), "ring": ("COLLUSION_COVER",),
        "late_alone": ("COLLUSION_LAST_MINUTE",), "late_apart": ("COLLUSION_LAST_MINUTE",),
        "phone_apart": ("COLLUSION_SHARED_CONTACT",), "one_building": ("COLLUSION_SHARED_CONTACT",),
        "one_withdrawal": ("COLLUSION_SUPPRESSION",), "lone_bidder": ("COLLUSION_SUPPRESSION",),
        "contract_on_time": ("CONDUCT_CONTRACT", "DELAY_SIGNING"), "voided_award": ("CONDUCT_CONTRACT",),
        "trio": ("COLLUSION_COVER", "COLLUSION_IDENTICAL"),
    }  # fmt: skip
    for tag, tag_codes in codes.items():
        found |= {(code, pid) for code in tag_codes for pid in pids(s, tag)}
    return found
