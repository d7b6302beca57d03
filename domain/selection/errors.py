"""Refusals specific to selection (选取). Same contract as domain.errors: stable codes."""

from __future__ import annotations

from domain.errors import InvalidInput, RuleViolation


class UnknownMethod(InvalidInput):
    code = "unknown_selection_method"
    zh = "不支持的选取方式"
    en = "Unknown selection method"


class InvalidQuote(InvalidInput):
    code = "invalid_quote"
    zh = "报价不合法"
    en = "The quote is invalid"


class InvalidScore(InvalidInput):
    code = "invalid_score"
    zh = "评分不合法"
    en = "The score is invalid"


class DuplicateRegistrant(InvalidInput):
    code = "duplicate_registrant"
    zh = "同一机构重复报名"
    en = "The same agency appears twice in the list"


class NotARegistrant(RuleViolation):
    code = "not_a_registrant"
    zh = "所选机构不在有效报名名单中"
    en = "The chosen agency is not among the valid sign-ups"


class NotAwaitingPick(RuleViolation):
    code = "not_awaiting_pick"
    zh = "当前结果不是待业主选定的小名单"
    en = "The outcome is not a short list awaiting the owner's pick"


class NotOnShortList(RuleViolation):
    code = "not_on_short_list"
    zh = "所选机构不在小名单中"
    en = "The chosen agency is not on the short list"


class ConflictNotDeclared(RuleViolation):
    code = "conflict_not_declared"
    zh = "评审人员未签署无利害关系声明"
    en = "An evaluator has not declared the absence of a conflict of interest"


class EvaluatorConflicted(RuleViolation):
    code = "evaluator_conflicted"
    zh = "评审人员与参选机构存在利害关系,须回避"
    en = "An evaluator declared a conflict of interest and must withdraw"
