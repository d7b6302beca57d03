"""Credit (信用, domain.md §8): the catalogue, agencies' credit files, and their standing."""

from domain.credit.catalogue import DEFAULT_SCORING, DEFAULT_VIOLATIONS, SANCTIONS, CreditPolicy
from domain.credit.file import RATERS, CreditFile, add_months, standing_without_file
from domain.credit.standing import GRADES, Standing, assess, grade_of, history

__all__ = [
    "DEFAULT_SCORING", "DEFAULT_VIOLATIONS", "GRADES", "RATERS", "SANCTIONS", "CreditFile", "CreditPolicy",
    "Standing", "add_months", "assess", "grade_of", "history", "standing_without_file",
]
