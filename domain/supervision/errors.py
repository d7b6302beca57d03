"""Supervision errors: stable machine codes, Chinese and English text (see domain/errors.py)."""

from __future__ import annotations

from domain.errors import Conflict, InvalidInput, NotFound, RuleViolation


class UnknownThreshold(InvalidInput):
    code = "unknown_threshold"
    zh = "未知的监管阈值"
    en = "Unknown supervision threshold"


class InvalidThreshold(InvalidInput):
    code = "invalid_threshold"
    zh = "监管阈值不合法"
    en = "The threshold value is out of range or of the wrong type"


class ThresholdsUnchanged(RuleViolation):
    code = "thresholds_unchanged"
    zh = "阈值与现行设置相同"
    en = "The thresholds are already set to these values"


class InvalidFinding(InvalidInput):
    code = "invalid_finding"
    zh = "监测结果数据不完整"
    en = "The finding is incomplete or malformed"


class FlagDecided(RuleViolation):
    code = "flag_decided"
    zh = "该预警已由监管案件作出结论"
    en = "A regulator case has already decided this flag"


class CaseAlreadyOpen(Conflict):
    code = "case_already_open"
    zh = "该预警已立案"
    en = "A case is already open for this flag"


class UnknownViolation(InvalidInput):
    code = "unknown_violation"
    zh = "违规行为代码不在目录中"
    en = "The violation code is not in the catalogue"


class AgencyRequired(InvalidInput):
    code = "agency_required"
    zh = "认定违规须指明中介机构"
    en = "A violation must name the agency"


class InvalidReport(InvalidInput):
    code = "invalid_report"
    zh = "监管月报数据不完整"
    en = "The report is incomplete or malformed"


class ReportNotIssued(NotFound):
    code = "report_not_issued"
    zh = "该地区该月的监管月报尚未出具"
    en = "No supervision report has been issued for this region and month"
