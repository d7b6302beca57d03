"""One procurement's life in the demo, as a timeline of market commands.

Steps follow the natural path of brief §4.1 (draft → review → sign-up →
selection → publicity → contract → service → acceptance → evaluation) with the
case's branches: returned and amended, voided, failed and republished as a
linked new round, objected to, abandoned. Commands run later, when the scenario
reaches their moment; what they learn (the winner, an objection's id) is kept on
the case for the steps after them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any
from uuid import UUID

from domain.base import Actor
from domain.procurement import Procurement
from domain.procurement.notice import OWNER_RUN_METHODS, resolve_quote
from market.demo.cases import Case, Moment, Plan
from market.demo.names import REGION
from market.demo.registry import OPERATOR, Cast

VOIDS = {  # 置为无效, with the ProZorro reason codes (brief §4.1)
    "void_draft": ("noDemand", "项目计划调整,取消本次采购"),
    "void_signup": ("expensesCut", "项目投资压缩,暂停本次中介服务采购"),
    "void_failed": ("noOffer", "响应机构不足,改由业主自行编制"),
    "void_publicity": ("unFixable", "公示期间经核查采购需求设置了排他性条件,予以撤销"),
}
ABANDONS = {  # 放弃中选 / 中止服务 by the winner
    "abandon_award": "放弃中选:项目负责人变动,无法按期履约",
    "abandon_service": "中止服务:业主方案重大调整,经协商中止",
}


def plan(market, cast: Cast, case: Case, moment: Moment) -> Plan:
    """Every step the case would take, from its first to its last."""
    p = Plan(case, moment)
    _Path(market, cast, p).tender(case, 0, "")
    return p


def _sha(*parts: object) -> str:
    return hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()


class _Path:
    """Adds a case's steps to its plan; the commands run later, when the scenario reaches them."""

    def __init__(self, market, cast: Cast, plan: Plan) -> None:
        self.m, self.cast, self.plan = market, cast, plan

    def notice(self, case: Case, opens: int, open_time: str, note: str = "服务成果须满足审批要求") -> dict[str, Any]:
        at = self.plan.at
        return {
            "project_code": case.project_code, "project_name": case.project_name,
            "total_investment": case.investment, "service_item_code": case.item.code, "region": REGION,
            "fund_source": case.owner.fund_source, "budget": case.budget,
            "service_time_limit_days": case.service_days, "method": case.method,
            "method_params": _method_params(case), "signup_opens_at": at(opens, open_time),
            "signup_closes_at": at(opens + 4, "17:00"), "selection_at": at(opens + 5, "10:00"),
            "description": f"{case.project_name}{case.item.name}:{note}。",
        }  # fmt: skip

    def void(self, case: Case, offset: int, time: str, prefix: str, by: Actor) -> None:
        code, reason = VOIDS[case.branch]
        self.plan.add(offset, time, prefix + "void", lambda: self.m.void_procurement(case.pid, code, reason, by=by))

    def tender(self, case: Case, b: int, prefix: str, first: Callable[[], Any] | None = None) -> None:
        """From the draft (or the republication) to the selection, then on to the service."""
        m, add, by, pid = self.m, self.plan.add, case.actor, case.pid
        review = b + (3 if case.returned else 2)  # the operator reviews within 2 w.d.
        opens = review + 2 if case.deferred else review
        open_time = "09:00" if case.deferred else "10:00"

        def draft():
            return m.draft_procurement(case.owner.id, self.notice(case, opens, open_time), by=by, procurement_id=pid)

        add(b, "09:30", prefix + "draft", first or draft)
        if case.branch == "void_draft":
            return self.void(case, b, "15:00", prefix, by)
        add(b, "10:30", prefix + "submit", lambda: m.submit_procurement(pid, by=by))
        if case.returned:
            reasons = ["资格条件表述不规范,请按清单填写", "服务时限未明确"]
            fixed = lambda: self.notice(case, opens, open_time, "已按审核意见修改资格条件与服务时限")  # noqa: E731
            add(b + 1, "10:00", prefix + "return", lambda: m.return_procurement(pid, reasons, by=OPERATOR))
            add(b + 2, "09:30", prefix + "amend", lambda: m.amend_procurement(pid, fixed(), by=by))
            add(b + 2, "10:00", prefix + "resubmit", lambda: m.submit_procurement(pid, by=by))
        add(review, "10:00", prefix + "publish", lambda: m.publish_procurement(pid, by=OPERATOR))
        if case.deferred:
            add(opens, "09:00", prefix + "open_signup", lambda: m.open_signup(pid))
        self.signups(case, opens, prefix)
        if case.branch == "void_signup":
            return self.void(case, opens + 2, "14:00", prefix, by)
        add(opens + 4, "17:00", prefix + "close", lambda: m.close_signup(pid))
        self.select(case, opens + 5, prefix)

    def signups(self, case: Case, opens: int, prefix: str) -> None:
        m, pid = self.m, case.pid
        moves: list[tuple[int, str, str, Callable[[], Any]]] = []
        for bidder, (day, time) in zip(case.bidders, case.slots):
            quote = case.quotes[str(bidder.id)]
            moves.append((opens + day, time, "sign_up", lambda a=bidder, q=quote: m.sign_up(pid, a.id, q, by=a.actor)))
        if case.revised_quote is not None:
            first = case.bidders[0]

            def revise(a=first, q=case.revised_quote):
                case.quotes[str(a.id)] = q
                return m.revise_quote(pid, a.id, q, by=a.actor)

            moves.append((opens + 3, "16:40", "revise_quote", revise))
        if (w := case.withdrawer) is not None:
            quote = next(iter(case.quotes.values()))
            moves.append((opens + 1, "11:11", "sign_up", lambda: m.sign_up(pid, w.id, quote, by=w.actor)))
            moves.append((opens + 3, "16:50", "withdraw", lambda: m.withdraw_signup(pid, w.id, by=w.actor)))
        for day, time, name, run in sorted(moves, key=lambda x: (x[0], x[1])):
            self.plan.add(day, time, prefix + name, run, optional=True)

    def select(self, case: Case, s: int, prefix: str) -> None:
        m, add, pid, by = self.m, self.plan.add, case.pid, case.actor

        add(s, "10:00", prefix + "select", lambda: self.run_selection(case))
        if case.fails:
            return self.failed(case, s, prefix)
        if case.method == "credit_merit":  # 信用择优: the owner picks from the 小名单 and says why
            s += 1
            add(s, "10:00", prefix + "pick", lambda: self.pick(case))
        if case.branch == "void_publicity":
            return self.void(case, s + 2, "11:00", prefix, OPERATOR)
        if case.objection:
            s = self.objection(case, s, prefix)
        self.service(case, s + 4, prefix)  # 公示 lasts 3 w.d. from the (last) selection

    def run_selection(self, case: Case, excluded: frozenset[str] = frozenset()) -> dict[str, Any]:
        """The platform runs draw and price methods; the owner runs the others at the selection time."""
        m, pid, by = self.m, case.pid, case.actor
        if case.method == "direct":  # the owner designates (直接选取) and says why
            chosen = next(a for a in case.bidders if str(a.id) not in excluded)
            result = m.run_selection(pid, choice={"chosen": str(chosen.id)}, by=by)
        elif case.method == "proposal_scoring":  # 方案择优: the owner enters the evaluators' points
            result = m.run_selection(pid, choice=case.proposal, by=by)
        else:
            result = m.run_selection(pid)
        case.winner = result["winner"]
        return result

    def pick(self, case: Case) -> dict[str, Any]:
        short_list = self.m.load(case.pid, Procurement).outcome["figures"]["short_list"]
        case.winner = short_list[0]
        return self.m.pick_from_shortlist(case.pid, UUID(case.winner), "信用分最高且有同类项目业绩", by=case.actor)

    def objection(self, case: Case, s: int, prefix: str) -> int:
        """A losing bidder objects; the operator dismisses it, or upholds it and the selection re-runs."""
        m, add, pid = self.m, self.plan.add, case.pid
        evidence = [{"title": "业绩合同复印件", "sha256": _sha(pid, "evidence")}]

        def file():
            loser = next(a for a in case.bidders if str(a.id) != case.winner)
            result = m.file_objection(pid, loser.id, ["中选机构的业绩证明材料与实际不符"], evidence, by=loser.actor)
            case.objection_id = result["objection_id"]
            return result

        def dismiss():
            return m.dismiss_objection(pid, case.objection_id, "经核查业绩材料真实有效,质疑不成立", by=OPERATOR)

        struck: set[str] = set()

        def uphold():
            reason = "经核查业绩材料不实,取消其中选资格并重新选取"
            struck.add(winner := case.winner)
            result = m.uphold_objection(pid, case.objection_id, reason, exclude_agency_id=UUID(winner), by=OPERATOR)
            case.winner = result["winner"]  # None when the owner runs the method: see "rerun"
            return result

        add(s + 1, "14:00", prefix + "object", file)
        if case.objection == "dismissed":
            add(s + 2, "10:00", prefix + "dismiss", dismiss)
        elif case.objection == "upheld":
            add(s + 2, "10:00", prefix + "uphold", uphold)
            if case.method in OWNER_RUN_METHODS:  # the platform does not re-run these: the owner does
                add(s + 2, "10:30", prefix + "rerun", lambda: self.run_selection(case, frozenset(struck)))
            return s + 2
        return s

    def failed(self, case: Case, s: int, prefix: str) -> None:
        """流标: the owner voids the request, or republishes it as a linked new round (重新采购)."""
        if case.branch == "void_failed":
            return self.void(case, s + 1, "10:00", prefix, case.actor)
        if (nxt := case.successor) is None:
            return None
        b = s + 1
        changed = ("signup_opens_at", "signup_closes_at", "selection_at", "budget", "description")

        def republish():
            notice = self.notice(nxt, b + 2, "10:00", "第二次采购,上轮因响应机构不足流标")
            changes = {k: v for k, v in notice.items() if k in changed}
            return self.m.republish(case.pid, changes, by=case.actor, new_id=nxt.pid)

        self.tender(nxt, b, "r2:", first=republish)

    def service(self, case: Case, a: int, prefix: str) -> None:
        """公示期满 → award, contract, service, acceptance, evaluation."""
        m, add, pid, owner = self.m, self.plan.add, case.pid, case.actor
        winner = lambda: self.cast.agency(case.winner).actor  # noqa: E731
        add(a, "10:00", prefix + "award", lambda: m.award(pid))
        if case.branch == "abandon_award":
            add(a + 1, "10:00", prefix + "abandon", lambda: m.abandon(pid, ABANDONS[case.branch], by=winner()))
            return

        def contract():
            price = case.budget.get("amount") or resolve_quote(case.quotes[case.winner], case.budget)["price"]
            body = {"contract_no": f"HT-2026-{str(pid)[:8].upper()}", "amount": price,
                    "document_sha256": _sha(pid, "contract")}  # fmt: skip
            return m.file_contract(pid, body, by=winner() if case.agency_files else owner)

        add(a + 1, "15:00", prefix + "file", contract)
        confirmer = lambda: owner if case.agency_files else winner()  # noqa: E731 - the other party confirms
        add(a + 2, "10:00", prefix + "confirm", lambda: m.confirm_contract(pid, by=confirmer()))
        c = a + 2
        if case.branch == "abandon_service":
            add(c + 1, "15:00", prefix + "abandon", lambda: m.abandon(pid, ABANDONS[case.branch], by=winner()))
            return
        due = c + case.service_days - 2
        if case.extension:  # 延期: the agency asks for 5 more working days half-way through
            ask = c + case.service_days // 2
            request = lambda: m.request_extension(pid, 5, "需补充现场踏勘与监测数据", by=winner())  # noqa: E731
            add(ask, "11:00", prefix + "ext_request", request)
            if case.extension == "granted":
                add(ask + 1, "10:00", prefix + "ext_decide", lambda: m.grant_extension(pid, by=owner))
                due += 5
            elif case.extension == "refused":
                refuse = lambda: m.refuse_extension(pid, "工期紧张,请按合同时限完成", by=owner)  # noqa: E731
                add(ask + 1, "10:00", prefix + "ext_decide", refuse)
        self.acceptance(case, due, prefix, winner)

    def acceptance(self, case: Case, due: int, prefix: str, winner: Callable[[], Actor]) -> None:
        m, add, pid, owner = self.m, self.plan.add, case.pid, case.actor

        def deliver(n: int):
            title = f"{case.project_name}{case.item.name}成果(第{n}稿)"
            return m.submit_deliverable(pid, {"title": title, "sha256": _sha(pid, "deliverable", n)}, by=winner())

        add(due, "16:00", prefix + "deliver", lambda: deliver(1))
        if case.rejected:
            reasons = ["评价范围不完整,缺少敏感目标调查"]
            add(due + 2, "10:00", prefix + "reject", lambda: m.reject_deliverable(pid, reasons, by=owner))
            add(due + 4, "16:00", prefix + "redeliver", lambda: deliver(2))
            due += 4
        add(due + 3, "10:00", prefix + "accept", lambda: m.accept_deliverable(pid, by=owner))
        evaluate = lambda: m.evaluate(pid, case.scores, "按时提交成果,服务规范", by=owner)  # noqa: E731
        add(due + 5, "10:00", prefix + "evaluate", evaluate)


def _method_params(case: Case) -> dict[str, Any]:
    if case.method == "direct":
        return {"justification": "社会投资项目,业主选定具有同类项目经验的机构(集体研究决定)"}
    if case.method == "credit_merit":
        return {"long_list": 10, "short_list": 3}
    return {}
