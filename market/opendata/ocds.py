"""A procurement's history as OCDS 1.1 releases, one per public business event.

The events are replayed through the aggregate itself (``event.mutate``), so the
procurement's state at each event is the domain's own; this module only says
what of that state the public may see, in OCDS terms. Each release is a full
snapshot of what is public at that moment (OCDS allows either snapshots or
changes; snapshots make every release readable on its own).

What is public follows the disclosure rules (公开):

* nothing before the operator publishes the notice (drafts and reviews stay inside);
* sign-ups are sealed until the close: no release carries tenderers, bids or quotes
  before ``SignupClosed`` publishes the frozen list (brief §5.1);
* organisations only, identified by 统一社会信用代码: no person's name, account or contact.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.procurement.status import ProcurementStatus as P
from market.opendata import codelists as C
from market.opendata.config import Directory, OcdsConfig
from market.opendata.sections import agency_party, amount, bids, iso, parties, planning, ref, tender


def releases(events: list[Any], directory: Directory, config: OcdsConfig) -> list[dict[str, Any]]:
    """The OCDS releases of one procurement's events, oldest first (none before publication)."""
    process = _Process(directory, config)
    out = []
    for event in events:
        tags = process.apply(event)
        if tags and process.published:
            out.append(process.snapshot(event, tags))
    return out


class _Process:
    """The public view of one procurement, folded event by event."""

    def __init__(self, directory: Directory, config: OcdsConfig) -> None:
        self.directory, self.config = directory, config
        self.p: Any = None  # the aggregate, replayed
        self.published = False
        self.awards: list[dict[str, Any]] = []
        self.contract: dict[str, Any] | None = None
        self.related: list[dict[str, Any]] = []
        self.awarded_at: datetime | None = None
        self.quoted_at: dict[str, datetime] = {}  # agency id → its last quote revision (sealed)

    # --- folding ---------------------------------------------------------------

    def apply(self, e: Any) -> list[str] | None:
        """Replay ``e``; the tags of the release it makes, or None when it makes none."""
        self.p = e.mutate(self.p)
        name = type(e).__name__
        handler = getattr(self, f"_on_{name}", None)
        tags = C.RELEASE_TAGS.get(name)
        if handler is not None:
            tags = handler(e, tags)
        return tags

    def _on_Published(self, e: Any, tags: list[str]) -> list[str]:
        self.published = True
        if self.p.previous_id:
            self.related.append(self._link("previous-round", "unsuccessfulProcess", self.p.previous_id))
        return tags

    def _on_QuoteRevised(self, e: Any, tags: None) -> None:
        self.quoted_at[e.agency_id] = e.at

    def _on_Republished(self, e: Any, tags: list[str]) -> list[str]:
        self.related.append(self._link("next-round", "replacementProcess", e.new_id))
        return tags

    def _award(self, e: Any, tags: list[str]) -> list[str]:
        winner = self.p.winner_id
        supplier = ref(agency_party(self.p.signups[winner], []))
        award: dict[str, Any] = {"id": f"award-{e.originator_version}", "status": C.AWARD_PENDING,
                                 "date": iso(e.at), "suppliers": [supplier]}  # fmt: skip
        price = next((x.get("price") for x in self.p.entries if x["agency_id"] == winner), None)
        if price is not None:
            award["value"] = amount(price)
        self.awards.append(award)
        return tags

    _on_WinnerSelected = _on_PickedFromShortlist = _award

    def _on_ObjectionUpheld(self, e: Any, tags: list[str]) -> list[str]:
        self._cancel_award()
        return tags

    def _on_Awarded(self, e: Any, tags: list[str]) -> list[str]:
        self.awards[-1]["status"] = C.AWARD_ACTIVE
        self.awarded_at = e.at
        return tags

    def _on_ContractFiled(self, e: Any, tags: list[str]) -> list[str]:
        self.contract = {
            "id": e.contract["contract_no"], "awardID": self.awards[-1]["id"], "status": C.CONTRACT_PENDING,
            "value": amount(e.contract["amount"]), "dateSigned": iso(e.at),
        }  # fmt: skip
        return tags

    def _on_ContractConfirmed(self, e: Any, tags: list[str]) -> list[str]:
        assert self.contract is not None
        self.contract["status"] = C.CONTRACT_ACTIVE
        self.contract["period"] = {"startDate": iso(e.at), "endDate": iso(e.service_due["at"])}
        return tags

    def _on_ExtensionGranted(self, e: Any, tags: list[str]) -> list[str]:
        assert self.contract is not None
        self.contract["period"]["endDate"] = iso(e.new_due["at"])
        self.contract.setdefault("amendments", []).append(
            {"id": f"extension-{e.originator_version}", "date": iso(e.at),
             "description": f"延期:服务期限延长 {e.days} 个工作日"}  # fmt: skip
        )
        return tags

    def _on_DeadlineRecomputed(self, e: Any, tags: list[str]) -> list[str] | None:
        # A provisional service due date fixed once the year's calendar is published.
        if e.kind != "service_due" or self.contract is None or "period" not in self.contract:
            return None
        self.contract["period"]["endDate"] = iso(e.deadline["at"])
        return tags

    def _on_DeliverableSubmitted(self, e: Any, tags: list[str]) -> list[str]:
        assert self.contract is not None
        milestones = self.contract.setdefault("implementation", {}).setdefault("milestones", [])
        milestones.append({
            "id": f"deliverable-{e.originator_version}", "title": e.document["title"], "type": "delivery",
            "status": "scheduled", "dueDate": iso(e.acceptance_due["at"]), "dateModified": iso(e.at),
        })  # fmt: skip
        return tags

    def _on_DeliverableAccepted(self, e: Any, tags: list[str]) -> list[str]:
        self._milestone(e).update(status="met", dateMet=iso(e.at), dateModified=iso(e.at))
        return tags

    def _on_DeliverableRejected(self, e: Any, tags: list[str]) -> list[str]:
        self._milestone(e).update(status="notMet", dateModified=iso(e.at))
        return tags

    def _on_Evaluated(self, e: Any, tags: list[str]) -> list[str]:
        assert self.contract is not None
        self.contract["status"] = C.CONTRACT_TERMINATED  # 1.1: "come to a close", completed here
        return tags

    def _on_Voided(self, e: Any, tags: list[str]) -> list[str]:
        return tags + ["awardCancellation"] if self._cancel_award() else tags

    def _on_Terminated(self, e: Any, tags: list[str]) -> list[str]:
        if self.contract is not None:  # 中止服务: the contract ends early
            self.contract["status"] = C.CONTRACT_TERMINATED
            return tags
        self._cancel_award()  # 放弃中选: the award is cancelled, no supplier
        return ["awardCancellation", "tenderUpdate"]

    def _cancel_award(self) -> bool:
        live = [a for a in self.awards if a["status"] != C.AWARD_CANCELLED]
        for award in live:
            award["status"] = C.AWARD_CANCELLED
        return bool(live)

    def _milestone(self, e: Any) -> dict[str, Any]:
        assert self.contract is not None
        return self.contract["implementation"]["milestones"][-1]

    def _link(self, link_id: str, relationship: str, procurement_id: str) -> dict[str, Any]:
        return {"id": link_id, "relationship": [relationship], "scheme": "ocid",
                "identifier": self.config.ocid(procurement_id)}  # fmt: skip

    # --- the snapshot ----------------------------------------------------------

    @property
    def sealed(self) -> bool:
        """Sign-ups stay sealed until the close publishes the frozen list."""
        return self.p.list_hash is None

    def snapshot(self, e: Any, tags: list[str]) -> dict[str, Any]:
        ocid = self.config.ocid(str(self.p.id))
        release: dict[str, Any] = {
            "ocid": ocid, "id": f"{ocid}-{e.originator_version}", "date": iso(e.at), "tag": list(tags),
            "initiationType": "tender", "language": "zh",
        }  # fmt: skip
        all_parties = parties(self)
        release["parties"] = all_parties
        release["buyer"] = ref(all_parties[0])
        release["planning"] = planning(self)
        release["tender"] = tender(self, ref(all_parties[0]))
        if not self.sealed and self.tenderer_ids():
            release["bids"] = bids(self)
        if self.awards:
            release["awards"] = _copy(self.awards)
        if self.contract is not None:
            release["contracts"] = [_copy(self.contract)]
        if self.related:
            release["relatedProcesses"] = _copy(self.related)
        return release

    def tenderer_ids(self) -> list[str]:
        """Agencies on the frozen list, including any struck out later by an upheld objection."""
        return [x["agency_id"] for x in [*self.p.entries, *self.p.excluded]]

    def status(self) -> str:
        return C.tender_status(P(self.p.status_code), has_contract=self.contract is not None)


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value
