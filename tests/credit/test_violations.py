"""Violations on the credit file: the catalogue's points, the rolling window, expiry, each one explained."""

from __future__ import annotations

import pytest

from domain.credit import DEFAULT_SCORING, CreditFile
from domain.credit.errors import CreditCatalogueUnchanged, InvalidCreditParameter, UnknownCreditParameter
from domain.errors import InvalidInput, NotAllowed
from tests.builders import OPERATOR, REGULATOR, T0
from tests.credit.given import DAY, confirmed, credit_file, policy

SCORING = DEFAULT_SCORING


def test_a_confirmed_violation_deducts_its_catalogue_points_and_names_its_case_event():
    file = credit_file()

    case_id, source, events = confirmed(file, "V01", at=T0)

    (recorded,) = events
    assert type(recorded).__name__ == "ViolationRecorded"
    record = recorded.record
    assert (record["code"], record["points"], record["window_days"], record["expires_days"]) == ("V01", -5, 365, 730)
    assert (record["catalogue_version"], record["case_id"], record["source"]) == (1, case_id, source)
    standing = file.standing(SCORING, T0 + DAY)
    assert (standing.score, standing.grade, standing.parts["regulator"]) == (95, "A", "65.00")
    (why,) = standing.counted
    assert (why["record_id"], why["contribution"], why["source"]) == (record["record_id"], "-5", source)
    assert why["counts_until"] == T0 + 365 * DAY


def test_a_violation_stops_counting_when_its_window_runs_out_and_leaves_the_record_after_24_months():
    file = credit_file()
    _, source, _ = confirmed(file, "V03", at=T0)

    inside, after_window = file.standing(SCORING, T0 + 364 * DAY), file.standing(SCORING, T0 + 365 * DAY)
    assert (inside.score, after_window.score) == (97, 100)
    (still_on_record,) = after_window.on_record
    assert still_on_record["source"] == source and still_on_record["expires_at"] == T0 + 730 * DAY
    assert file.standing(SCORING, T0 + 730 * DAY).on_record == []

    history = credit_history(file, T0 + 800 * DAY)
    assert [(h["at"], h["score"], h["delta"], [b["change"] for b in h["because"]]) for h in history] == [
        (T0, 97, -3, ["recorded"]), (T0 + 365 * DAY, 100, 3, ["window_ended"]), (T0 + 730 * DAY, 100, 0, ["expired"]),
    ]  # fmt: skip
    assert all(h["because"][0]["source"] == source for h in history)


def credit_history(file: CreditFile, until):
    from domain.credit import history

    return history(file.records, SCORING, until)


def test_points_beyond_the_regulator_part_leave_it_at_zero_not_below():
    file = credit_file()
    for _ in range(15):
        confirmed(file, "V01", at=T0)  # 15 × −5 = −75 against a part of 70

    standing = file.standing(SCORING, T0 + DAY)

    assert (standing.parts["regulator"], standing.score, standing.grade) == ("0.00", 30, "D")
    assert len([c for c in standing.counted if c["kind"] == "violation"]) == 15


def test_a_changed_catalogue_scores_later_records_with_the_new_points_and_earlier_ones_keep_theirs():
    catalogue, file = policy(), credit_file()
    confirmed(file, "V05", at=T0, catalogue=catalogue)

    catalogue.change(violations={"V05": {"points": -6, "window_days": 180}}, reason="超期问题突出,加重扣分",
                     by=REGULATOR, now=T0 + DAY)  # fmt: skip
    confirmed(file, "V05", at=T0 + 2 * DAY, catalogue=catalogue)

    (changed,) = catalogue.collect_events()
    assert type(changed).__name__ == "CatalogueChanged" and changed.version == 2
    assert changed.old["violations"]["V05"]["points"] == -3 and changed.new["violations"]["V05"]["points"] == -6
    first, second = [r for r in file.records if r["kind"] == "violation"]
    assert (first["points"], first["window_days"], first["catalogue_version"]) == (-3, 365, 1)
    assert (second["points"], second["window_days"], second["catalogue_version"]) == (-6, 180, 2)
    assert file.standing(catalogue.scoring_in_force(), T0 + 190 * DAY).score == 97  # the −6 ran out after 180 days


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"violations": {"V99": {"points": -1}}}, UnknownCreditParameter),
        ({"violations": {"V01": {"points": 3}}}, InvalidCreditParameter),
        ({"violations": {"V01": {"window_days": 800}}}, InvalidCreditParameter),  # longer than the record's 730
        ({"violations": {"V01": {"sanction": "fine"}}}, InvalidCreditParameter),
        ({"violations": {"V01": {"sanction": "suspension"}}}, InvalidCreditParameter),  # no months given
        ({"scoring": {"social_weight": 30}}, InvalidCreditParameter),  # weights no longer make 100
        ({"scoring": {"grade_b": 95}}, InvalidCreditParameter),  # bands must descend
        ({"scoring": {"bonus": 5}}, UnknownCreditParameter),
        ({"violations": {"V01": {"points": -5}}}, CreditCatalogueUnchanged),
    ],
)
def test_a_bad_catalogue_change_is_refused_and_records_nothing(change, error):
    catalogue = policy()
    with pytest.raises(error):
        catalogue.change(**change, reason="调整", by=REGULATOR, now=T0)
    assert catalogue.collect_events() == []


def test_only_the_regulator_changes_the_catalogue():
    catalogue = policy()
    with pytest.raises(NotAllowed):
        catalogue.change(scoring={"grade_a": 85}, reason="调整", by=OPERATOR, now=T0)
    assert catalogue.collect_events() == []


def test_a_violation_cannot_add_points():
    file = credit_file()
    with pytest.raises(InvalidInput):
        confirmed(file, "V01", at=T0, points=5)
    assert file.collect_events() == []
