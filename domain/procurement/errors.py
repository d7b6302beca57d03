"""Refusals specific to procurements, sign-ups and selection."""

from __future__ import annotations

from domain.errors import Conflict, InvalidInput, NotAllowed, RuleViolation


class SignupDeadlinePassed(RuleViolation):
    code = "signup_deadline_passed"
    zh = "报名已截止"
    en = "The sign-up deadline has passed"


class SignupNotYetDue(RuleViolation):
    code = "signup_not_due"
    zh = "未到报名截止时间"
    en = "The sign-up deadline has not been reached"


class SelectionNotYetDue(RuleViolation):
    code = "selection_not_due"
    zh = "未到选取时间"
    en = "The selection time has not been reached"


class NotEligible(RuleViolation):
    code = "not_eligible"
    zh = "该中介机构不符合报名条件"
    en = "The agency is not eligible for this request"


class AgencyAvoided(RuleViolation):
    code = "agency_avoided"
    zh = "该中介机构在本项目回避名单内"
    en = "The agency is on this request's avoidance list"


class AlreadySignedUp(Conflict):
    code = "already_signed_up"
    zh = "该中介机构已报名本项目"
    en = "The agency has already signed up for this request"


class NotSignedUp(RuleViolation):
    code = "not_signed_up"
    zh = "该中介机构未报名本项目"
    en = "The agency has not signed up for this request"


class QuoteOutOfRange(InvalidInput):
    code = "quote_out_of_range"
    zh = "报价超出最高限价或低于最低限价"
    en = "The quote is outside the ceiling and floor"


class QuoteRequired(InvalidInput):
    code = "quote_required"
    zh = "该选取方式需要报价"
    en = "This selection method needs a quote"


class NotTheOwner(NotAllowed):
    code = "not_the_owner"
    zh = "只有本项目的业主可以执行此操作"
    en = "Only this request's owner may do this"


class NotTheWinner(NotAllowed):
    code = "not_the_winner"
    zh = "只有中选机构可以执行此操作"
    en = "Only the selected agency may do this"


class WrongRole(NotAllowed):
    code = "wrong_role"
    zh = "当前角色无权执行此操作"
    en = "This role may not do this"


class ForbiddenClause(InvalidInput):
    code = "forbidden_clause"
    zh = "公告含有限制地域、所有制或机构数量的条款"
    en = "The notice restricts region, ownership or agency count"


class JustificationRequired(InvalidInput):
    code = "justification_required"
    zh = "直接选取必须说明理由"
    en = "Direct selection needs a written justification"


class MethodMismatch(RuleViolation):
    code = "method_mismatch"
    zh = "该操作不适用于本项目的选取方式"
    en = "This action does not fit the request's selection method"


class ExtensionPending(RuleViolation):
    code = "extension_pending"
    zh = "已有延期申请待处理"
    en = "An extension request is already pending"


class NoExtensionPending(RuleViolation):
    code = "no_extension_pending"
    zh = "没有待处理的延期申请"
    en = "No extension request is pending"


class InvalidScore(InvalidInput):
    code = "invalid_score"
    zh = "评价分值须为0到100的整数,五项齐全"
    en = "Each of the five scores must be an integer from 0 to 100"


class AlreadyRepublished(Conflict):
    code = "already_republished"
    zh = "该流标项目已重新发布"
    en = "This failed request has already been republished"


class SecretMismatch(RuleViolation):
    code = "secret_mismatch"
    zh = "抽取密钥与公告时的承诺值不符"
    en = "The draw secret does not match the commitment published with the notice"


class ObjectionPeriodOver(RuleViolation):
    code = "objection_period_over"
    zh = "公示期已结束,不能再提出质疑"
    en = "The publicity period is over; objections are closed"


class ObjectionPending(RuleViolation):
    code = "objection_pending"
    zh = "尚有质疑未处理,不能确定中选"
    en = "An objection is pending; the award must wait"


class PublicityNotOver(RuleViolation):
    code = "publicity_not_over"
    zh = "公示期未满"
    en = "The publicity period has not ended"


class UnknownObjection(RuleViolation):
    code = "unknown_objection"
    zh = "该质疑不存在"
    en = "No such objection"


class ObjectionAlreadyDecided(Conflict):
    code = "objection_already_decided"
    zh = "该质疑已处理"
    en = "This objection has already been decided"


class ObjectionRemedyRequired(InvalidInput):
    code = "objection_remedy_required"
    zh = "支持质疑时须指明剔除的报名或宣布流标"
    en = "Upholding needs the sign-up to strike out, or a failure"
