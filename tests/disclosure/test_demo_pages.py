"""Every public page over the whole demo market: each answers 200 with valid Chinese HTML,
and no person's name, phone number or e-mail address appears in plaintext anywhere."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from domain.agency import Agency
from domain.procurement.status import LABELS, ProcurementStatus
from tests.disclosure.html import read


def _crawl(site) -> dict[str, str]:
    """Every page reachable from the home page (lists at 100 a page), by path: its HTML."""
    seen: dict[str, str] = {}
    queue = ["/", "/notices?scope=all&size=100", "/results?size=100", "/contracts?size=100", "/agencies?size=100"]
    while queue:
        path = queue.pop()
        if path in seen:
            continue
        response = site.get(path)
        assert response.status_code == 200, (path, response.status_code)
        seen[path] = response.text
        for link in read(response.text).links:
            internal = link.startswith("/") and not link.startswith(("/api", "/docs", "/disclosure/static"))
            if internal and link not in seen:
                queue.append(link)
    return seen


@pytest.fixture(scope="module")
def pages(demo) -> dict[str, str]:
    return _crawl(demo.site)


def _persons(market) -> tuple[set[str], set[str]]:
    """Names, and phones and e-mail addresses, of every person in the demo's events."""
    names: set[str] = set()
    contacts: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if isinstance(value.get("name"), str) and ({"id_number", "id_digest", "account"} & value.keys()):
                names.add(value["name"])  # a person: someone with an ID number, or an account holder
            contacts.update(value[k] for k in ("phone", "email") if isinstance(value.get(k), str) and value[k])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    notifications = market.recorder.select_notifications(start=1, limit=1_000_000)
    agencies = set()
    for n in notifications:
        event = market.mapper.to_domain_event(n)
        walk(vars(event))
        if type(event).__name__ == "Registered" and "profile" in vars(event):
            agencies.add(event.originator_id)
    # Agencies' persons are sealed in the events (docs/personal-data.md): open them with their keys.
    for agency in (market.load(a, Agency) for a in agencies):
        for person in market.personal_data.reveal(agency.profile):
            names.add(person["name"])
            contacts.update(str(person[k]) for k in ("phone", "email") if person.get(k))
    return names, contacts


def test_every_public_page_of_the_demo_answers_with_valid_chinese_html(demo, pages):
    procurements = {p for p in pages if p.startswith("/procurements/")}
    agencies = {p for p in pages if p.startswith("/agencies/")}
    market = demo.site.market
    published = {p.id for p in demo.summary.procurements
                 if any(type(e).__name__ == "Published" for e in market.history(p.id))}  # fmt: skip
    assert {p.removeprefix("/procurements/") for p in procurements} == published and len(published) >= 50
    assert len(agencies) >= 20
    for path, html in pages.items():
        page = read(html)
        assert page.text, path
    statuses = {read(html).text.split("当前状态:")[1].split()[0] for path, html in pages.items()
                if path in procurements}  # fmt: skip
    assert {LABELS[ProcurementStatus(s)] for s in ("signup_open", "publicity", "in_service", "closed", "failed",
                                                     "voided")} <= statuses  # fmt: skip


def test_no_person_appears_in_plaintext_on_any_public_page(demo, pages):
    names, contacts = _persons(demo.site.market)
    assert len(names) >= 100 and len(contacts) >= 30  # the check has something to find
    leaks = {path: [s for s in names | contacts if s in html] for path, html in pages.items()}
    assert {path: found for path, found in leaks.items() if found} == {}
    assert not any("id_digest" in html for html in pages.values())


def _signups(market, procurement_id: str) -> list[tuple[str, str, str | None]]:
    """(agency name, 统一社会信用代码, quoted price) of every sign-up, withdrawn or not, from the events."""
    found = []
    for e in market.history(procurement_id):
        if type(e).__name__ == "SignedUp":
            quote = e.quote or {}
            found.append((e.agency_name, e.uscc, quote.get("price") or quote.get("value")))
    return found


def _amounts(price: str | None) -> list[str]:
    return [] if price is None else [f"{Decimal(price):,.2f}", f"{Decimal(price):.2f}"]


def test_sealed_procurements_never_show_who_signed_up_or_at_what_price(demo, pages):
    market, sealed, opened = demo.site.market, 0, 0
    for p in demo.summary.procurements:
        html = pages.get(f"/procurements/{p.id}")
        signups = _signups(market, p.id)
        if html is None or not signups:
            continue
        if p.status in ("published", "signup_open"):
            sealed += 1
            secrets = [s for name, uscc, price in signups for s in (name, uscc, *_amounts(price))]
            assert [s for s in secrets if s in html] == [], p.id
            withdrawn = sum(type(e).__name__ == "SignupWithdrawn" for e in market.history(p.id))
            assert read(html).classes["signup-count"] == [str(len(signups) - withdrawn)]
        elif frozen := [e.entries for e in market.history(p.id)
                        if type(e).__name__ in ("SignupClosed", "ObjectionUpheld")]:  # fmt: skip
            opened += 1  # the frozen list is public after the close (less a sign-up an upheld objection struck out)
            assert [e["uscc"] for e in frozen[-1] if e["uscc"] not in html] == [], p.id
    assert sealed >= 3 and opened >= 40
