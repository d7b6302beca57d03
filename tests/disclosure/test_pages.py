"""The public pages over a small market: what each page shows at each stage, sealed quotes,
paging and search, and the Chinese 404 and 422 pages."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest

from domain.base import Actor, Role
from tests.builders import OPERATOR, agency_profile, notice, uscc
from tests.disclosure.html import read

QUOTES = {2: "31234", 3: "32345", 4: "33456"}  # amounts that appear nowhere else
DOC = "d" * 64


def _signed_up(world, agencies, pid, numbers=(2, 3)):
    for n in numbers:
        agency_id, actor = agencies[n]
        world.market.sign_up(pid, agency_id, {"kind": "amount", "value": QUOTES[n]}, by=actor)


@pytest.fixture
def agencies(world):
    return {n: world.admitted_agency(n) for n in (2, 3, 4)}


def _sealed(world, agencies, numbers=(2, 3)) -> list[str]:
    """Everything that would reveal who signed up, or at what price."""
    secrets = []
    for n in numbers:
        agency_id, _ = agencies[n]
        q = QUOTES[n]
        secrets += [agency_profile(n)["name"], uscc(n), str(agency_id), f"{q}.00", f"{int(q):,}", f"¥{q[:2]}"]
    return secrets


def test_a_notice_open_for_sign_up_shows_its_count_and_nothing_of_who_or_at_what_price(site, world, agencies):
    pid = world.open_procurement()
    _signed_up(world, agencies, pid)

    listing = site.page("/notices")
    assert "长沙某产业园建设项目" in listing.text
    assert listing.classes["signup-count"] == ["2"]
    assert f"/procurements/{pid}" in listing.links
    assert "2026-03-05 09:00" in listing.text  # the close, in Beijing time
    assert "最低限价 ¥10,000.00,最高限价 ¥50,000.00" in listing.text

    page = site.page(f"/procurements/{pid}")
    assert page.classes["signup-count"] == ["2"]
    assert "报名截止前不公开报名机构名单和报价" in page.text
    for path in ("/", "/notices", "/notices?scope=all", f"/procurements/{pid}", "/results", "/contracts"):
        html = site.get(path).text
        leaked = [s for s in _sealed(world, agencies) if s in html]
        assert leaked == [], f"{path} shows {leaked}"


def test_after_the_close_the_list_the_quotes_and_the_result_in_publicity_are_public(site, world, agencies, clock):
    pid = world.open_procurement(fund="social")
    _signed_up(world, agencies, pid)
    clock.advance(timedelta(days=3))
    world.market.close_signup(pid)

    page = site.page(f"/procurements/{pid}")
    assert agency_profile(2)["name"] in page.text and agency_profile(3)["name"] in page.text
    assert "¥31,234.00" in page.text and "¥32,345.00" in page.text
    assert page.classes["event-signup_closed"] == ["2026-03-05 09:00 报名截止,共 2 家报名;报名名单和报价公开"]

    world.market.run_selection(pid)
    page = site.page(f"/procurements/{pid}")
    winner = agency_profile(2)["name"]  # the lowest price
    assert f"选取结果:{winner} 中选" in page.classes["event-selected"][0]
    assert "公示中" in page.text and "质疑渠道" in page.text
    publicity = page.classes["publicity"][0]
    assert "公示期至 2026-03-10 24:00" in publicity  # 3 working days after Thursday 5 March

    results = site.page("/results")
    assert f"/procurements/{pid}" in results.links and winner in results.text
    assert "公示中,2026-03-10 24:00 期满(质疑截止)" in results.text


def test_objections_their_outcome_the_award_and_the_contract_make_the_public_timeline(site, world, agencies, clock):
    market = world.market
    pid = world.open_procurement()
    _signed_up(world, agencies, pid, (2, 3, 4))
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    loser_id, loser = agencies[3]
    objection = market.file_objection(pid, loser_id, ["最低价机构资质证书已过期"], by=loser)["objection_id"]
    market.dismiss_objection(pid, objection, "经核查,资质证书在有效期内", by=OPERATOR)
    clock.advance(timedelta(days=7))
    market.award(pid)
    winner = Actor("agency-user-2", Role.AGENCY, str(agencies[2][0]))
    market.file_contract(pid, {"contract_no": "HT-2026-0042", "amount": "31234", "document_sha256": DOC}, by=winner)
    market.confirm_contract(pid, by=world.owner)

    page = site.page(f"/procurements/{pid}")
    kinds = [k.removeprefix("event-") for k in page.classes if k.startswith("event-")]
    assert kinds == ["published", "signup_closed", "selected", "objection_filed", "objection_dismissed", "awarded",
                     "contract"]  # fmt: skip
    assert "质疑不成立,维持选取结果" in page.classes["event-objection_dismissed"][0]
    assert "资质证书" not in page.text  # who objected and why stays with the operator
    assert "合同编号 HT-2026-0042,金额 ¥31,234.00" in page.classes["event-contract"][0]

    contracts = site.page("/contracts", q="HT-2026-0042")
    assert "HT-2026-0042" in contracts.text and "¥31,234.00" in contracts.text
    assert agency_profile(2)["name"] in contracts.text


def test_an_upheld_objection_that_fails_the_request_shows_as_such(site, world, agencies, clock):
    market = world.market
    pid = world.open_procurement()
    _signed_up(world, agencies, pid, (2, 3, 4))
    clock.advance(timedelta(days=3))
    market.close_signup(pid)
    market.run_selection(pid)
    objection = market.file_objection(pid, agencies[4][0], ["选取过程违规"], by=agencies[4][1])["objection_id"]
    market.uphold_objection(pid, objection, "选取过程违规属实", fail=True, by=OPERATOR)

    page = site.page(f"/procurements/{pid}")
    assert page.classes["event-objection_upheld"][0].endswith("质疑成立:撤销选取结果,项目流标")
    assert "流标" in page.text
    assert "流标(质疑成立)" in site.page("/results").text


def test_the_agency_directory_shows_standing_masks_contacts_and_never_persons(site, world, agencies):
    listing = site.page("/agencies")
    assert [name for name in (agency_profile(n)["name"] for n in (2, 3, 4)) if name not in listing.text] == []
    assert set(listing.classes["grade"]) == {"A"}  # a credit file opens at admission with 100 points: A (§8)

    agency_id, _ = agencies[2]
    html = site.get(f"/agencies/{agency_id}").text
    page = read(html)
    profile = agency_profile(2)
    assert profile["name"] in page.text and profile["qualifications"][0]["category"] in page.text
    assert "0731-****0002" in page.text and "a***@example.cn" in page.text
    persons = [profile["legal_representative"]["name"], profile["shareholders"][0]["name"],
               profile["practitioners"][0]["name"], profile["phone"], profile["email"], "id_digest"]  # fmt: skip
    assert [p for p in persons if p in html] == []

    found = site.page("/agencies", q="第3环境")
    assert agency_profile(3)["name"] in found.text and agency_profile(2)["name"] not in found.text


def test_lists_page_and_search(site, world, clock):
    market = world.market
    for n in range(5):
        world.open_procurement(project_name=f"望城区第{n}号道路工程", project_code=f"2026-430112-48-01-00000{n}")
    first = site.page("/notices", size="2")
    assert len(first.classes["signup-count"]) == 2
    assert "/notices?page=2&size=2" in first.links
    last = site.page("/notices", size="2", page="3")
    assert len(last.classes["signup-count"]) == 1 and not any("page=4" in link for link in last.links)
    assert "/notices?page=2&size=2" in last.links  # back

    found = site.page("/notices", q="第3号")
    assert len(found.classes["signup-count"]) == 1 and "望城区第3号道路工程" in found.text
    assert len(site.page("/notices", q="2026-430112-48-01-000004").classes["signup-count"]) == 1
    nothing = site.page("/notices", q="不存在的项目")
    assert "没有与「不存在的项目」匹配的记录" in nothing.text

    clock.advance(timedelta(days=4))  # past every close: none open any more, all still published
    assert "signup-count" not in site.page("/notices").classes
    assert len(site.page("/notices", scope="all").classes["signup-count"]) == 5


def test_unknown_or_unpublished_ids_get_a_chinese_404_page(site, world):
    draft = world.market.draft_procurement(world.owner_id, notice(), by=world.owner)["procurement_id"]
    pending = world.market.register_agency(uscc(9), agency_profile(9), by=Actor("agency-user-9", Role.AGENCY))
    for path in (f"/procurements/{uuid4()}", "/procurements/not-an-id", f"/procurements/{draft}",
                 f"/agencies/{uuid4()}", "/agencies/12345", f"/agencies/{pending['agency_id']}"):  # fmt: skip
        response = site.get(path)
        assert response.status_code == 404, path
        page = read(response.text)
        assert page.title.startswith("页面不存在") and "没有找到这个" in page.text


@pytest.mark.parametrize(
    ("path", "field"),
    [("/notices?page=0", "page"), ("/notices?page=abc", "page"), ("/notices?page=-1", "page"),
     ("/results?size=1000", "size"), ("/contracts?page=1&page=2", "page"), ("/notices?scope=bogus", "scope"),
     ("/agencies?q=%01", "q"), ("/agencies?q=" + "x" * 101, "q"), ("/results?page=99999999999999999999", "page")],
)  # fmt: skip
def test_bad_query_parameters_get_a_chinese_422_page(site, path, field):
    response = site.get(path)
    assert response.status_code == 422, path
    page = read(response.text)
    assert page.title.startswith("查询参数有误") and f"出错的参数:{field}" in page.text


def test_what_users_wrote_is_shown_as_text_never_as_markup(site, world):
    pid = world.open_procurement(project_name="<script>alert(1)</script>道路工程", description="见<a href=x>附件</a>")
    html = site.get(f"/procurements/{pid}").text
    assert "<script>" not in html and "<a href=x>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;道路工程" in html
    assert "<script>alert(1)</script>道路工程" in read(html).text
