"""Supervision commands: thresholds, flags recorded by the oversight scans, regulator cases, monthly reports."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from domain.base import Actor
from domain.supervision import Case, Finding, Flag, SupervisionReport, SupervisionSettings
from domain.supervision.errors import CaseAlreadyOpen, ReportNotIssued


class SupervisionCommands:
    # --- thresholds (监管阈值) -------------------------------------------------------

    def supervision_settings(self, region: str | None = None) -> SupervisionSettings:
        """The region's settings; the defaults (unsaved) until a regulator first changes one."""
        region = region or self.region
        settings_id = SupervisionSettings.create_id(region)
        if self.exists(settings_id):
            return self.load(settings_id, SupervisionSettings)
        return SupervisionSettings.establish(region, by=Actor.system(), now=self.clock.now())

    def thresholds(self, region: str | None = None) -> dict[str, Any]:
        """Every supervision threshold in force in the region."""
        return self.supervision_settings(region).in_force()

    def change_thresholds(
        self, changes: dict[str, Any], *, reason: str, by: Actor, region: str | None = None,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """管理机构 changes supervision thresholds; later scans use them, earlier flags keep theirs."""

        def decide():
            settings = self.supervision_settings(region)
            settings.change(changes, reason=reason, by=by, now=self.clock.now())
            return [settings], {"region": settings.region, "thresholds": settings.in_force()}

        return self._execute("change_thresholds", [changes, reason, region, by], decide, idempotency_key)

    # --- flags (监管预警), recorded by the oversight scans ----------------------------------

    def record_finding(
        self, code: str, detector_version: str, parameters: dict[str, Any], finding: Finding, *,
        headline: tuple[str, ...] = (), idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """Raise a flag for a finding, or update or reopen its flag; a finding already on record is a no-op."""
        flag_id = Flag.create_id(code, finding.key, finding.period)
        by = Actor.system()

        def decide():
            now = self.clock.now()
            if not self.exists(flag_id):
                flag = Flag.raise_flag(code, detector_version, parameters, finding, by=by, now=now)
                return [flag], {"flag_id": str(flag_id), "action": "raised"}
            flag = self.load(flag_id, Flag)
            action = flag.observe(detector_version, parameters, finding, headline=headline, by=by, now=now)
            return ([flag] if flag.pending_events else []), {"flag_id": str(flag_id), "action": action}

        payload = [code, detector_version, parameters, finding.as_dict(), list(headline)]
        return self._execute("record_finding", payload, decide, idempotency_key)

    def clear_flag(
        self, flag_id: UUID | str, reason: str, figures: dict[str, Any] | None = None, *,
        idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """The condition behind an open flag no longer holds (a no-op for any other flag)."""

        def decide():
            flag = self.load(flag_id, Flag)
            cleared = flag.clear(reason, figures or {}, by=Actor.system(), now=self.clock.now())
            action = "cleared" if cleared else "unchanged"
            return ([flag] if cleared else []), {"flag_id": str(flag.id), "action": action}

        return self._execute("clear_flag", [str(flag_id), reason, figures], decide, idempotency_key)

    # --- regulator cases (监管案件) -----------------------------------------------------

    def open_case(self, flag_id: UUID | str, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """立案: a regulator opens a case from a flag (one case per flag)."""

        def decide():
            flag = self.load(flag_id, Flag)
            case = Case.open(flag, by=by, now=self.clock.now())
            if self.exists(case.id):
                raise CaseAlreadyOpen(field="flag_id", detail=str(flag.id))
            return [case], {"case_id": str(case.id), "flag_id": str(flag.id), "status": case.status_code}

        return self._execute("open_case", [str(flag_id), by], decide, idempotency_key)

    def _case_command(
        self, name: str, case_id: UUID | str, payload: list[Any], act, key: str | None, *, by: Actor,
        label: str | None = None, extra=None,
    ) -> dict[str, Any]:  # fmt: skip
        """Load the case, let it decide; a decision also labels its flag, in the same transaction."""

        def decide():
            case = self.load(case_id, Case)
            now = self.clock.now()
            act(case, now)
            touched = [case]
            if label is not None:
                flag = self.load(case.flag_id, Flag)
                flag.label_by_case(label, case.id, case.decision["reasons"], by=by, now=now)
                touched.append(flag)
            if extra is not None:
                touched.extend(extra(case, now))
            return touched, {"case_id": str(case.id), "flag_id": case.flag_id, "status": case.status_code}

        return self._execute(name, [str(case_id), *payload, by], decide, key)

    def assign_case(self, case_id: UUID | str, to: str, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """分派 a case to an investigator."""
        return self._case_command("assign_case", case_id, [to], lambda c, now: c.assign(to, by=by, now=now),
                                  idempotency_key, by=by)  # fmt: skip

    def add_case_note(self, case_id: UUID | str, text: str, *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """调查记录: a note on the investigation."""
        return self._case_command("add_case_note", case_id, [text], lambda c, now: c.add_note(text, by=by, now=now),
                                  idempotency_key, by=by)  # fmt: skip

    def confirm_case(
        self, case_id: UUID | str, reasons: list[str], violation_code: str, *, agency_id: str | None = None,
        points: int | None = None, by: Actor, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """认定违规: records the violation against the agency and on its credit file; the flag is labelled confirmed."""

        def act(case, now):
            # Points default to the credit catalogue in force (a regulator may have changed them).
            scored = points if points is not None else self.catalogue_points(violation_code)
            case.confirm(reasons, violation_code, agency_id=agency_id, points=scored, by=by, now=now)

        def on_credit_file(case, now):
            return self._violation_on_file(case, by, now)

        payload = [reasons, violation_code, agency_id, points]
        return self._case_command("confirm_case", case_id, payload, act, idempotency_key, by=by, label="confirmed",
                                  extra=on_credit_file)  # fmt: skip

    def dismiss_case(self, case_id: UUID | str, reasons: list[str], *, by: Actor, idempotency_key: str | None = None) -> dict[str, Any]:
        """不予认定: the flag is labelled dismissed, for tuning the detectors."""
        return self._case_command("dismiss_case", case_id, [reasons], lambda c, now: c.dismiss(reasons, by=by, now=now),
                                  idempotency_key, by=by, label="dismissed")  # fmt: skip

    # --- monthly supervision reports (监管月报), issued by the oversight job ------------------

    def issue_supervision_report(
        self, region: str, month: str, figures: dict[str, Any], digest: str, *, idempotency_key: str | None = None,
    ) -> dict[str, Any]:  # fmt: skip
        """出具监管月报: once per region and month; a month already issued is a no-op."""
        report_id = SupervisionReport.create_id(region, month)

        def decide():
            if self.exists(report_id):
                return [], {"report_id": str(report_id), "action": "unchanged"}
            report = SupervisionReport.issue(region, month, figures, digest, by=Actor.system(), now=self.clock.now())
            return [report], {"report_id": str(report_id), "action": "issued"}

        return self._execute("issue_supervision_report", [region, month, digest], decide, idempotency_key)

    def supervision_report(self, region: str, month: str) -> SupervisionReport:
        """The issued report of a region and month, or ``ReportNotIssued``."""
        report_id = SupervisionReport.create_id(region, month)
        if not self.exists(report_id):
            raise ReportNotIssued(field="month", detail=f"{region} {month}")
        return self.load(report_id, SupervisionReport)
