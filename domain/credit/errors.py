"""Credit errors: stable machine codes, Chinese and English text (see domain/errors.py)."""

from __future__ import annotations

from domain.errors import Conflict, InvalidInput, NotFound, RuleViolation


class UnknownCreditParameter(InvalidInput):
    code = "unknown_credit_parameter"
    zh = "未知的信用评价参数或违规行为代码"
    en = "Unknown credit parameter or violation code"


class InvalidCreditParameter(InvalidInput):
    code = "invalid_credit_parameter"
    zh = "信用评价参数不合法"
    en = "The credit parameter is out of range or of the wrong type"


class CreditCatalogueUnchanged(RuleViolation):
    code = "credit_catalogue_unchanged"
    zh = "信用评价参数与现行设置相同"
    en = "The credit catalogue is already set to these values"


class InvalidSanction(InvalidInput):
    code = "invalid_sanction"
    zh = "惩戒措施不合法"
    en = "The sanction's kind, period or service items are invalid"


class AlreadyEvaluated(Conflict):
    code = "already_evaluated"
    zh = "该项目已评价"
    en = "This service has already been rated by this rater"


class NotRatable(RuleViolation):
    code = "not_ratable"
    zh = "服务成果尚未签收,不能评价"
    en = "The deliverable has not been accepted yet"


class UnknownCreditRecord(NotFound):
    code = "unknown_credit_record"
    zh = "信用档案中没有该记录"
    en = "No such record in the agency's credit file"


class NotRepairable(RuleViolation):
    code = "not_repairable"
    zh = "该记录不适用信用修复"
    en = "This record cannot be repaired"


class RepairTooEarly(RuleViolation):
    code = "repair_too_early"
    zh = "尚未届满修复期限,不能信用修复"
    en = "The record's period has not run out yet"


class AlreadyRepaired(RuleViolation):
    code = "already_repaired"
    zh = "该记录已修复或已结束"
    en = "The record was already repaired or has ended"


class InvalidRating(InvalidInput):
    code = "invalid_rating"
    zh = "审批部门评价须含质量、时效两项,各为0到100的整数"
    en = "A department rating needs quality and timeliness, each an integer from 0 to 100"
