"""Owner and approving-department evaluations feed the social part of the score; grades follow the bands."""

from __future__ import annotations

import pytest

from domain.credit import DEFAULT_SCORING, grade_of
from domain.credit.errors import AlreadyEvaluated, InvalidRating
from domain.credit.file import department_rating
from tests.builders import T0
from domain.errors import NotAllowed
from tests.credit.given import DAY, DEPARTMENT, OWNER, confirmed, credit_file, evaluated

SCORING = DEFAULT_SCORING


def test_owner_and_department_ratings_feed_the_social_part_each_with_its_share():
    file = credit_file()
    owner_source = evaluated(file, "owner", 60, at=T0)
    department_source = evaluated(file, "department", 80, at=T0 + DAY)

    standing = file.standing(SCORING, T0 + 2 * DAY)

    # social part 20 × mean(60, 80) / 100 = 14: six points short, four from the owner's rating, two from the department's
    assert (standing.parts["social"], standing.score, standing.grade) == ("14.00", 94, "A")
    shares = {c["rater"]: (c["contribution"], c["source"]) for c in standing.counted}
    assert shares == {"owner": ("-4.00", owner_source), "department": ("-2.00", department_source)}


def test_an_evaluation_counts_for_its_window_only():
    file = credit_file()
    evaluated(file, "owner", 50, at=T0)
    assert file.standing(SCORING, T0 + 364 * DAY).score == 90
    assert file.standing(SCORING, T0 + 365 * DAY).score == 100


def test_only_an_owner_gives_the_owner_rating_and_only_a_department_the_departments():
    file = credit_file()
    with pytest.raises(NotAllowed):
        file.record_evaluation("owner", "p-1", {}, 70.0, source={}, by=DEPARTMENT, now=T0)
    with pytest.raises(NotAllowed):
        file.record_evaluation("department", "p-1", {}, 70.0, source={}, by=OWNER, now=T0)
    assert file.collect_events() == []


def test_one_rating_per_rater_and_service():
    file = credit_file()
    evaluated(file, "owner", 90, at=T0, procurement_id="p-1")
    with pytest.raises(AlreadyEvaluated):
        file.record_evaluation("owner", "p-1", {}, 70.0, source={}, by=OWNER, now=T0)
    assert file.collect_events() == []


@pytest.mark.parametrize("scores", [{"quality": 90}, {"quality": 90, "timeliness": 101},
                                    {"quality": 90, "timeliness": True}, {"quality": 90, "timeliness": 80, "fee": 1}])
def test_a_department_rating_needs_quality_and_timeliness_from_0_to_100(scores):
    with pytest.raises(InvalidRating):
        department_rating(scores)


@pytest.mark.parametrize(("score", "grade"), [(100, "A"), (90, "A"), (89, "B"), (75, "B"), (74, "C"), (60, "C"),
                                              (59, "D"), (0, "D")])  # fmt: skip
def test_grades_follow_the_documented_bands(score, grade):
    assert grade_of(score, SCORING) == grade


def test_grade_d_bars_credit_merit_but_not_other_methods_and_the_band_is_configurable():
    file = credit_file()
    confirmed(file, "V02", at=T0, points=-45)  # the regulator set the points on confirming: 55 points, grade D
    standing = file.standing(SCORING, T0)
    assert (standing.score, standing.grade) == (55, "D")
    assert standing.refusals("HP-01", "credit_merit", SCORING) == ["credit_grade_d"]
    assert standing.refusals("HP-01", "lowest_price", SCORING) == []
    allowed = {**SCORING, "grade_d_excluded_from_credit_merit": False}
    assert standing.refusals("HP-01", "credit_merit", allowed) == []
