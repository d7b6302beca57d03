"""公告, 中选公示 and contracts: what is public, and only that."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from domain.procurement import Procurement
from domain.selection import verify
from projections import public_notices as public
from tests.builders import OPERATOR, id_number
from tests.projections.scenarios import DOC, busy_market, winner_of

PUBLIC_TABLES = [public.NOTICES, public.ENTRIES, public.RESULTS, public.CONTRACTS, public.FEED]
QUOTES = ["23456.78", "34567.89", "45678.91"]  # distinctive, so that a leak cannot hide


def everything_public(conn, pid) -> str:
    """Every public row about this procurement, and every query answer, as one text."""
    rows = [r for t in PUBLIC_TABLES for r in conn.execute(select(t).where(t.c.procurement_id == str(pid)))]
    answers = [public.notice(conn, pid), public.notices(conn), public.results(conn), public.contracts(conn),
               public.feed(conn)]  # fmt: skip
    return repr(rows) + repr(answers)


def test_before_the_close_only_the_number_of_sign_ups_is_public(market, world, clock, caught_up):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = world.open_procurement()
    for (agency_id, actor), quote in zip(agencies, QUOTES, strict=True):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": quote}, by=actor)
    market.revise_quote(pid, agencies[0][0], {"kind": "amount", "value": "12345.67"}, by=agencies[0][1])
    market.withdraw_signup(pid, agencies[2][0], by=agencies[2][1])

    conn = caught_up()
    view = public.notice(conn, pid)
    assert view["signup_count"] == 2 and view["signups"] is None and view["result"] is None
    leaked = everything_public(conn, pid)
    for agency_id, _ in agencies:
        assert str(agency_id) not in leaked
    for secret in [*QUOTES, "12345.67", "2345678", "1234567", "湖南第"]:
        assert secret not in leaked
    names = conn.execute(select(public.NAMES)).all()
    assert str(pid) not in repr(names)  # the name book never links an agency to a procurement

    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    after = public.notice(caught_up(), pid)
    assert after["signup_count"] == 2
    assert {(s["agency_id"], s["price"]) for s in after["signups"]} == {
        (str(agencies[0][0]), "12345.67"), (str(agencies[1][0]), "34567.89"),
    }  # fmt: skip
    assert all(s["name"].startswith("湖南第") for s in after["signups"])


def test_drafts_and_notices_in_review_are_not_public(market, world, caught_up):
    from tests.builders import notice

    pid = market.draft_procurement(world.owner_id, notice(), by=world.owner)["procurement_id"]
    market.submit_procurement(pid, by=world.owner)
    conn = caught_up()
    assert public.notice(conn, pid) is None and public.notices(conn) == []

    market.publish_procurement(pid, by=OPERATOR)
    conn = caught_up()
    [listed] = public.notices(conn)
    assert listed["procurement_id"] == pid and listed["status"] == "signup_open"
    assert listed["owner_name"] == "长沙市某区城投公司" and listed["department_name"] == "长沙市生态环境局"
    assert listed["service_item_name"] == "环境影响评价报告编制"
    assert listed["budget"] == {"kind": "range", "min": "10000.00", "max": "50000.00"}
    assert len(listed["commitment"]) == 64
    assert public.notices(conn, item_code="HP-99") == [] and public.notices(conn, region="430000") == [listed]
    assert public.notices(conn, region="440000") == []


def test_the_result_names_the_winner_and_publishes_a_verifiable_draw_record(market, world, clock, caught_up):
    busy = busy_market(market, world, clock)
    conn = caught_up()
    closed = busy.procurements["closed"]
    result = public.result(conn, closed)
    winner = market.load(closed, Procurement).winner_id
    assert result["outcome"] == "selected" and result["winner_id"] == winner
    assert result["winner_name"].startswith("湖南第") and result["awarded_at"] is not None
    assert verify(result["record"]) == (True, [])

    failed = public.result(conn, busy.procurements["failed"])
    assert failed["outcome"] == "failed" and failed["failure_reason"] == "too_few_bidders"
    assert public.notice(conn, busy.procurements["failed"])["next_id"] == str(busy.procurements["round2"])


def test_an_upheld_objection_replaces_the_result_and_strikes_the_agency_from_the_list(market, world, clock, caught_up):
    busy = busy_market(market, world, clock)
    conn = caught_up()
    objected = busy.procurements["objected"]
    view = public.notice(conn, objected)
    excluded = busy.extra["excluded"]
    assert excluded not in {s["agency_id"] for s in view["signups"]} and view["signup_count"] == 3
    assert view["result"]["winner_id"] not in (None, excluded)
    assert verify(view["result"]["record"]) == (True, [])
    kinds = [f["kind"] for f in public.feed(conn) if f["procurement_id"] == str(objected)]
    assert kinds == ["published", "signup_closed", "result", "objection_upheld", "result"]


def test_a_contract_is_public_once_both_parties_confirmed_it(market, world, clock, caught_up):
    agencies = [world.admitted_agency(n) for n in range(2, 5)]
    pid = world.open_procurement()
    for i, (agency_id, actor) in enumerate(agencies):
        market.sign_up(pid, agency_id, {"kind": "amount", "value": str(30000 - i * 1000)}, by=actor)
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    clock.advance(timedelta(days=7))
    market.award(pid)
    winner_id, winner = winner_of(market, pid, agencies)
    market.file_contract(pid, {"contract_no": "HT-9", "amount": "28000", "document_sha256": DOC}, by=world.owner)
    assert public.contract(caught_up(), pid) is None

    market.confirm_contract(pid, by=winner)
    contract = public.contract(caught_up(), pid)
    assert contract["contract_no"] == "HT-9" and contract["amount"] == "28000.00"
    assert contract["winner_id"] == str(winner_id)


def test_the_feed_pages_public_changes_oldest_first_without_repeats(market, world, clock, caught_up):
    busy = busy_market(market, world, clock)
    conn = caught_up()
    everything = public.feed(conn, limit=1000)
    cursor, paged = 0, []
    while page := public.feed(conn, after=cursor, limit=7):
        paged += page
        cursor = page[-1]["position"]
    assert paged == everything and len(everything) > 20
    assert [f["position"] for f in paged] == sorted({f["position"] for f in paged})
    published = {f["procurement_id"] for f in everything}
    assert all(public.notice(conn, pid) is not None for pid in published)
    assert str(busy.procurements["in_review"]) not in published  # never published: never in the feed


def test_no_person_data_reaches_the_public_tables(market, world, clock, caught_up):
    busy_market(market, world, clock)
    conn = caught_up()
    dump = repr([conn.execute(select(t)).all() for t in public.PublicNotices.tables])
    persons = ["法人", "股东", "工程师", "张管理", "owner-admin", "agency-user"]
    # legal representatives, practitioners and shareholders of the agencies (tests/builders.py)
    digests = [market.digester.digest(id_number(n + k)) for n in range(2, 10) for k in (0, 300, 500)]
    assert not [p for p in persons if p in dump]
    assert not [d for d in digests if d in dump]
