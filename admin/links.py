"""An agency's links to departments and officials (红顶中介, domain.md §9.5), as a graph for ECharts.

Drawn from the 红顶中介 read model: the departments whose matters the agency signed up for or
won; its persons (by ID digest only, never a name or number) and any department where the same
person is or was on the staff; organisations holding shares in it (a department's affiliated
unit among them); and contacts (phone, e-mail, address) it shares with a department or unit.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, select

from projections import red_top_links as rt
from projections.procurement_search import NAMES

PERSON_ROLES = {"legal_representative": "法定代表人", "shareholders": "股东", "practitioners": "从业人员"}
CONTACT_KINDS = {"phone": "电话", "email": "邮箱", "address": "地址"}
CATEGORIES = [{"name": "中介机构"}, {"name": "部门/单位"}, {"name": "人员"}, {"name": "持股单位"}]


def _department_names(conn: Connection, ids: set[str]) -> dict[str, str]:
    if not ids:
        return {}
    n = NAMES.c
    rows = conn.execute(select(n.key, n.name).where(n.kind == "department", n.key.in_(sorted(ids))))
    return {r.key: r.name for r in rows}


def agency_graph(conn: Connection, agency_id: str, agency_name: str) -> dict[str, Any]:
    """``{"nodes", "links", "categories", "facts"}``; facts list the links in words for the table."""
    nodes: dict[str, dict[str, Any]] = {agency_id: {"id": agency_id, "name": agency_name, "category": 0,
                                                    "symbolSize": 46}}  # fmt: skip
    links: list[dict[str, Any]] = []
    facts: list[dict[str, str]] = []
    departments: set[str] = set()

    def department(dep_id: str) -> None:
        departments.add(dep_id)
        nodes.setdefault(dep_id, {"id": dep_id, "name": dep_id, "category": 1, "symbolSize": 30})

    signups, awards = Counter(), Counter()
    for p in rt.participations(conn, agency_id):
        if p["department_id"]:
            signups[p["department_id"]] += 1
            awards[p["department_id"]] += p["award_position"] is not None
    for dep_id, n in signups.items():
        department(dep_id)
        links.append({"source": agency_id, "target": dep_id, "value": f"报名 {n} · 中选 {awards[dep_id]}"})

    persons = rt.persons_of(conn, agency_id)
    digests = sorted({p["id_digest"] for p in persons})
    staff = conn.execute(select(rt.STAFF).where(rt.STAFF.c.id_digest.in_(digests))).all() if digests else []
    on_staff = {s.id_digest for s in staff}
    for p in persons:
        if p["id_digest"] not in on_staff:
            continue  # only persons who link somewhere: the graph stays readable
        pid = f"person:{p['id_digest']}"
        nodes.setdefault(pid, {"id": pid, "name": f"人员 {p['id_digest'][:8]}", "category": 2, "symbolSize": 18})
        links.append({"source": agency_id, "target": pid, "value": PERSON_ROLES.get(p["role"], p["role"])})
    for s in staff:
        department(s.department_id)
        pid = f"person:{s.id_digest}"
        state = "曾任职" if s.left_at else "在职"
        links.append({"source": pid, "target": s.department_id, "value": state})
        facts.append({"kind": "人员任职", "text": f"人员 {s.id_digest[:8]} 在部门 {s.department_id} {state}"})

    holdings = rt.holdings_of(conn, [agency_id])
    units = rt.units_by_uscc(conn, [h["holder_uscc"] for h in holdings])
    for h in holdings:
        unit = units.get(h["holder_uscc"])
        holder = unit["department_id"] if unit else f"holder:{h['holder_uscc']}"
        if unit:
            department(holder)
        else:
            nodes.setdefault(holder, {"id": holder, "name": h["holder_uscc"], "category": 3, "symbolSize": 20})
        links.append({"source": holder, "target": agency_id, "value": f"持股 {h['share'] or ''}"})
        if unit:
            facts.append({"kind": "股权关联", "text": f"部门所属单位 {holder} 持有该机构股份 {h['share'] or ''}"})

    contacts = rt.contacts_of(conn, [agency_id])
    values = {c["value"]: c["kind"] for c in contacts}
    if values:
        c = rt.CONTACTS.c
        shared = conn.execute(select(rt.CONTACTS).where(c.value.in_(sorted(values)), c.holder_id != agency_id,
                                                        c.holder_kind == "unit")).all()  # fmt: skip
        for row in shared:
            department(row.holder_id)
            label = f"相同{CONTACT_KINDS.get(row.kind, row.kind)}"
            links.append({"source": agency_id, "target": row.holder_id, "value": label})
            facts.append({"kind": "联系方式相同", "text": f"与部门/单位 {row.holder_id} {label}"})

    names = _department_names(conn, departments)
    for dep_id in departments:
        nodes[dep_id]["name"] = names.get(dep_id, dep_id[:8])
    for fact in facts:
        for dep_id, name in names.items():
            fact["text"] = fact["text"].replace(dep_id, name)
    return {"nodes": list(nodes.values()), "links": links, "categories": CATEGORIES, "facts": facts}
