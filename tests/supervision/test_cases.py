"""Regulator cases from flags: confirm records a violation, dismiss labels; either freezes the flag."""

from __future__ import annotations

from datetime import timedelta

import pytest

from domain.errors import NotAllowed
from domain.supervision import Flag
from domain.supervision.errors import CaseAlreadyOpen, FlagDecided
from market.oversight.scan import full_scan
from tests.builders import OPERATOR, REGULATOR


def test_a_confirmed_case_records_the_violation_and_freezes_its_flag(supervised):
    s, sc = supervised, supervised.scenario
    full_scan(s.market, s.read_models)
    late = next(p for p in sc.plans if p.winner == 2)
    flag_id = Flag.create_id("DELAY_OVERRUN", str(late.pid))

    case_id = s.market.open_case(flag_id, by=REGULATOR)["case_id"]
    s.market.assign_case(case_id, "reg-2", by=REGULATOR)
    s.market.add_case_note(case_id, "调取合同与成果提交记录,超期属实", by=REGULATOR)
    s.market.confirm_case(case_id, ["成果提交超过合同时限10个工作日以上"], "V05", by=REGULATOR)

    events = s.market.history(case_id)
    assert [type(e).__name__ for e in events] == ["Opened", "Assigned", "NoteAdded", "Confirmed", "ViolationRecorded"]
    violation = events[-1]
    assert (violation.agency_id, violation.code, violation.points) == (sc.agency(2), "V05", -3)
    assert violation.flag_id == str(flag_id) and violation.actor["role"] == "regulator"
    labelled = s.market.history(flag_id)[-1]
    assert (type(labelled).__name__, labelled.label, labelled.case_id) == ("Labelled", "confirmed", case_id)
    (row,) = [f for f in s.flags() if f["flag_id"] == str(flag_id)]
    assert (row["status"], row["label"], row["case_id"]) == ("closed", "confirmed", case_id)

    s.clock.advance(timedelta(days=400))
    full_scan(s.market, s.read_models)
    assert s.market.history(flag_id)[-1] == labelled  # frozen (domain.md §9.1)


def test_a_dismissed_case_labels_its_flag_for_tuning_and_the_finding_stays_quiet(supervised):
    s, sc = supervised, supervised.scenario
    full_scan(s.market, s.read_models)
    flag_id = Flag.create_id("CONC_LOCKIN", f"{sc.owners[1][0]}|HP-03|{sc.agency(1)}")
    case_id = s.market.open_case(flag_id, by=REGULATOR)["case_id"]

    s.market.dismiss_case(case_id, ["该业主项目均为连续性技术服务,经核查无指定行为"], by=REGULATOR)
    full_scan(s.market, s.read_models)

    assert [type(e).__name__ for e in s.market.history(flag_id)] == ["Raised", "Labelled"]
    assert s.market.history(flag_id)[-1].label == "dismissed"
    with pytest.raises(FlagDecided):
        s.market.open_case(Flag.create_id("CONC_LOCKIN", f"{sc.owners[1][0]}|HP-03|{sc.agency(1)}"), by=REGULATOR)


def test_one_case_per_flag_and_only_a_regulator_opens_one(supervised):
    s, sc = supervised, supervised.scenario
    full_scan(s.market, s.read_models)
    flag_id = Flag.create_id("DELAY_AGENCY_RATE", sc.agency(2))

    with pytest.raises(NotAllowed):
        s.market.open_case(flag_id, by=OPERATOR)
    s.market.open_case(flag_id, by=REGULATOR)
    with pytest.raises(CaseAlreadyOpen):
        s.market.open_case(flag_id, by=REGULATOR)
