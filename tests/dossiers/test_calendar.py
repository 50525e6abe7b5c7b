import datetime
from decimal import Decimal

import pytest
from django.utils import timezone, translation
from hypothesis import given, settings
from hypothesis import strategies as st

from dossiers.calendar import (
    EARLY,
    LATE,
    ON_TIME,
    ON_TRACK,
    OVERDUE,
    WorkingCalendar,
    completion_timeliness,
    open_timeliness,
)
from dossiers.models import CalendarDay


def at(text: str) -> datetime.datetime:
    """An aware datetime in Asia/Ho_Chi_Minh from 'YYYY-MM-DD HH:MM'."""
    return timezone.make_aware(datetime.datetime.fromisoformat(text))


def local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


@pytest.fixture
def cal(db):
    return WorkingCalendar.load()


def test_receipt_day_is_not_counted(cal):
    # Monday 2026-03-09, 10:00, 3 working days: Tue, Wed, Thu.
    deadline = cal.due(received_at=at("2026-03-09 10:00"), days=3)

    assert local(deadline.due_at) == "2026-03-12 17:00"


def test_received_friday_after_cutoff_with_one_day_is_due_tuesday(cal):
    deadline = cal.due(received_at=at("2026-03-13 15:20"), days=1)

    assert local(deadline.due_at) == "2026-03-17 17:00"
    assert "sau 15:00" in deadline.explain()
    assert "thứ Hai 16/03/2026" in deadline.explain()


def test_received_friday_before_cutoff_with_one_day_is_due_monday(cal):
    deadline = cal.due(received_at=at("2026-03-13 14:59"), days=1)

    assert local(deadline.due_at) == "2026-03-16 17:00"


def test_tet_2026_and_its_weekends_are_skipped(cal):
    # Thursday 12/02/2026, 3 working days: Fri 13, then Tết 14-22/02 (weekends
    # and 16-20/02), Mon 23, Tue 24.
    deadline = cal.due(received_at=at("2026-02-12 09:00"), days=3)

    assert local(deadline.due_at) == "2026-02-24 17:00"
    explanation = deadline.explain()
    assert "14/02–22/02" in explanation
    assert "Tết" in explanation


def test_explanation_is_rendered_in_the_readers_language(cal):
    deadline = cal.due(received_at=at("2026-02-12 09:00"), days=3)

    with translation.override("en"):
        explanation = deadline.explain()

    assert "Lunar New Year" in explanation
    assert "Tết" not in explanation


def test_swap_saturday_2025_04_26_is_a_working_day(cal):
    # Friday 25/04/2025 10:00, 1 working day: Saturday 26/04 is worked.
    deadline = cal.due(received_at=at("2025-04-25 10:00"), days=1)

    assert local(deadline.due_at) == "2025-04-26 17:00"
    assert cal.is_working_day(datetime.date(2025, 4, 26))
    assert not cal.is_working_day(datetime.date(2025, 5, 2))


def test_an_administrators_extra_day_off_is_skipped(db):
    CalendarDay.objects.create(
        date=datetime.date(2026, 3, 10), is_working_day=False, reason="Bão số 3"
    )
    cal = WorkingCalendar.load()

    deadline = cal.due(received_at=at("2026-03-09 10:00"), days=1)

    assert local(deadline.due_at) == "2026-03-11 17:00"
    assert "Bão số 3" in deadline.explain()


def test_received_on_a_saturday_counts_from_monday(cal):
    deadline = cal.due(received_at=at("2026-03-14 08:00"), days=1)

    assert local(deadline.due_at) == "2026-03-17 17:00"
    assert "ngày nghỉ" in deadline.explain()


def test_half_day_ends_at_the_morning_close(cal):
    assert local(
        cal.due(received_at=at("2026-03-09 10:00"), days=Decimal("0.5")).due_at
    ) == ("2026-03-10 11:30")
    assert local(
        cal.due(received_at=at("2026-03-09 10:00"), days=Decimal("1.5")).due_at
    ) == ("2026-03-11 11:30")


def test_same_day_procedure_before_and_after_cutoff(cal):
    before = cal.due(received_at=at("2026-03-09 14:00"), days=None, same_day=True)
    after = cal.due(received_at=at("2026-03-13 15:30"), days=None, same_day=True)

    assert local(before.due_at) == "2026-03-09 17:00"
    assert local(after.due_at) == "2026-03-16 17:00"


# The weekly rule is a centre's dated row (rules.NoAppointmentDay, issue 22); these
# tests used to set NO_APPOINTMENT_WEEKDAY, a setting no more. After the cut-off
# the dossier is now due the next working day (it was: its own limit).


@pytest.fixture
def tuesday_rule(db):
    from tests.rules.factories import NoAppointmentDayFactory

    return NoAppointmentDayFactory(centre__name="Trung tâm PVHCC xã An")


def test_no_appointment_day_before_cutoff_is_due_the_same_day(cal, tuesday_rule):
    tuesday_morning = at("2026-03-10 09:00")

    deadline = cal.due(received_at=tuesday_morning, days=3, no_appointment=tuesday_rule)

    assert local(deadline.due_at) == "2026-03-10 17:00"
    assert "không viết, không hẹn" in deadline.explain()
    assert "thứ Ba hằng tuần tại Trung tâm PVHCC xã An" in deadline.explain()
    assert "trước 15:00" in deadline.explain()


def test_no_appointment_day_after_cutoff_is_due_the_next_working_day(cal, tuesday_rule):
    deadline = cal.due(
        received_at=at("2026-03-10 15:01"), days=3, no_appointment=tuesday_rule
    )

    assert local(deadline.due_at) == "2026-03-11 17:00"
    assert "ngày làm việc tiếp theo" in deadline.explain()


def test_no_appointment_day_after_cutoff_keeps_a_shorter_own_limit(cal, tuesday_rule):
    # The centre's day ends at 14:00, the rule set's at 15:00: half a day from
    # 14:30 Tuesday is Wednesday 11:30, before the rule's Wednesday 17:00.
    tuesday_rule.cutoff = datetime.time(14, 0)

    deadline = cal.due(
        received_at=at("2026-03-10 14:30"),
        days=Decimal("0.5"),
        no_appointment=tuesday_rule,
    )

    assert local(deadline.due_at) == "2026-03-11 11:30"


def test_no_appointment_day_uses_its_own_cutoff(cal, tuesday_rule):
    tuesday_rule.cutoff = datetime.time(16, 0)

    deadline = cal.due(
        received_at=at("2026-03-10 15:30"), days=3, no_appointment=tuesday_rule
    )

    assert local(deadline.due_at) == "2026-03-10 17:00"


def test_no_appointment_rule_applies_only_on_its_weekday_and_to_eligible_dossiers(
    cal, tuesday_rule
):
    wednesday = cal.due(
        received_at=at("2026-03-11 09:00"), days=3, no_appointment=tuesday_rule
    )
    not_eligible = cal.due(received_at=at("2026-03-10 09:00"), days=3)

    assert local(wednesday.due_at) == "2026-03-16 17:00"
    assert local(not_eligible.due_at) == "2026-03-13 17:00"


def test_no_appointment_rule_does_not_apply_on_a_tuesday_off(cal, tuesday_rule):
    # Tuesday 2026-09-01 is National Day (and 02/09): counted from Thursday.
    deadline = cal.due(
        received_at=at("2026-09-01 09:00"), days=1, no_appointment=tuesday_rule
    )

    assert local(deadline.due_at) == "2026-09-04 17:00"


def test_restart_after_supplement_counts_from_the_complete_dossier(cal):
    # Received Mon 09/03 with 5 days (due Mon 16/03); supplement asked, complete
    # dossier arrives Thu 12/03 10:00: 5 days again from Fri 13/03.
    deadline = cal.restart(completed_at=at("2026-03-12 10:00"), days=5)

    assert local(deadline.due_at) == "2026-03-19 17:00"
    assert "tính lại từ đầu" in deadline.explain()


def test_pause_moves_the_due_date_by_the_paused_working_days_each_time(cal):
    first = cal.due(received_at=at("2026-03-09 10:00"), days=5)  # due Mon 16/03
    # Waiting from Tue 10/03 to Thu 12/03: Wed and Thu = 2 working days.
    once = cal.extend_by_pause(
        first, paused_from=at("2026-03-10 09:00"), paused_to=at("2026-03-12 16:00")
    )
    # Waiting again from Fri 13/03 to Mon 16/03: Mon = 1 working day.
    twice = cal.extend_by_pause(
        once, paused_from=at("2026-03-13 09:00"), paused_to=at("2026-03-16 08:00")
    )

    assert local(first.due_at) == "2026-03-16 17:00"
    assert local(once.due_at) == "2026-03-18 17:00"
    assert local(twice.due_at) == "2026-03-19 17:00"
    assert twice.explain().count("Tạm dừng") == 2


def test_steps_round_trip_through_json(cal):
    deadline = cal.due(received_at=at("2026-02-12 09:00"), days=3)
    from dossiers.calendar import render_step

    rendered = " ".join(render_step(step) for step in deadline.steps_json())

    assert rendered == deadline.explain()


@pytest.mark.parametrize(
    ("completed", "expected"),
    [
        ("2026-03-11 23:59", EARLY),
        ("2026-03-12 00:00", ON_TIME),
        ("2026-03-12 23:59", ON_TIME),
        ("2026-03-13 00:01", LATE),
    ],
)
def test_completion_is_compared_by_calendar_day(completed, expected):
    assert completion_timeliness(
        due_at=at("2026-03-12 17:00"), completed_at=at(completed)
    ) == (expected)


def test_open_dossier_is_on_track_until_its_due_day_ends():
    due = at("2026-03-12 17:00")

    assert open_timeliness(due_at=due, as_of=at("2026-03-12 23:00")) == ON_TRACK
    assert open_timeliness(due_at=due, as_of=at("2026-03-13 00:00")) == OVERDUE


# Receipt moments over several years, including Tết and weekends.
moments = st.datetimes(
    min_value=datetime.datetime(2024, 1, 1), max_value=datetime.datetime(2027, 12, 31)
).map(timezone.make_aware)
limits = st.sampled_from(
    [None, 0, Decimal("0.5"), 1, Decimal("1.5"), 2, 3, 5, 7, 15, 30]
)


@pytest.mark.django_db
@settings(max_examples=300, deadline=None)
@given(
    received=moments,
    days=limits,
    same_day=st.booleans(),
    weekday=st.none() | st.integers(0, 6),
    cutoff=st.sampled_from([datetime.time(11, 0), datetime.time(15, 0)]),
)
def test_no_dossier_is_ever_overdue_on_the_day_it_was_received(
    received, days, same_day, weekday, cutoff
):
    from rules.models import NoAppointmentDay
    from units.models import OrgUnit

    cal = WorkingCalendar.load()
    rule = None
    if weekday is not None:
        centre = OrgUnit(name="Trung tâm")
        rule = NoAppointmentDay(centre=centre, weekday=weekday, cutoff=cutoff)

    deadline = cal.due(
        received_at=received, days=days, same_day=same_day, no_appointment=rule
    )

    assert deadline.due_at > received
    assert open_timeliness(due_at=deadline.due_at, as_of=received) == ON_TRACK
    assert cal.is_working_day(deadline.due_date)


def test_an_unknown_time_limit_counts_the_documented_default(cal, settings):
    settings.DOSSIER_DEFAULT_PROCESSING_DAYS = 5

    deadline = cal.due(received_at=at("2026-03-09 10:00"), days=None)

    assert local(deadline.due_at) == "2026-03-16 17:00"
    assert "đang được cập nhật" in deadline.explain()


# --- Properties of the working-day arithmetic --------------------------------------

days = st.dates(datetime.date(2024, 1, 1), datetime.date(2027, 12, 31))
# Administrators' corrections: extra days off and worked weekend days.
corrections = st.dictionaries(
    days, st.tuples(st.booleans(), st.just("Điều chỉnh thử")), max_size=15
)


@settings(max_examples=300, deadline=None)
@given(start=days, count=st.integers(0, 40), overrides=corrections)
def test_adding_n_working_days_then_counting_back_gives_n(start, count, overrides):
    cal = WorkingCalendar(overrides)

    end = cal.add_working_days(start, count)

    assert cal.working_days_between(start, end) == count
    assert (end > start) == (count > 0)
    if count:
        assert cal.is_working_day(end)
        # Nothing was skipped: one working day fewer ends strictly before.
        assert cal.add_working_days(start, count - 1) < end


@settings(max_examples=300, deadline=None)
@given(start=days, count=st.integers(1, 40), overrides=corrections)
def test_the_result_is_never_a_weekend_or_holiday_unless_declared_a_working_day(
    start, count, overrides
):
    import holidays

    end = WorkingCalendar(overrides).add_working_days(start, count)

    if end in overrides:
        assert overrides[end][0] is True
    else:
        assert end.weekday() < 5
        assert end not in holidays.country_holidays("VN", years=end.year)


@settings(max_examples=200, deadline=None)
@given(
    received=moments,
    fewer=limits.filter(lambda d: d is not None),
    more=limits.filter(lambda d: d is not None),
    overrides=corrections,
)
def test_a_longer_time_limit_is_never_due_earlier(received, fewer, more, overrides):
    cal = WorkingCalendar(overrides)
    if fewer > more:
        fewer, more = more, fewer

    first = cal.due(received_at=received, days=fewer)
    second = cal.due(received_at=received, days=more)

    assert first.due_at <= second.due_at
    assert cal.is_working_day(first.due_date)
    assert cal.is_working_day(second.due_date)


@settings(max_examples=200, deadline=None)
@given(
    received=moments,
    days_limit=limits.filter(lambda d: d is not None),
    pause_start=moments,
    pause_days=st.integers(0, 30),
    overrides=corrections,
)
def test_a_pause_moves_the_due_date_by_exactly_the_working_days_paused(
    received, days_limit, pause_start, pause_days, overrides
):
    cal = WorkingCalendar(overrides)
    deadline = cal.due(received_at=received, days=days_limit)
    paused_to = pause_start + datetime.timedelta(days=pause_days)

    moved = cal.extend_by_pause(deadline, paused_from=pause_start, paused_to=paused_to)

    paused = cal.working_days_between(
        timezone.localtime(pause_start).date(), timezone.localtime(paused_to).date()
    )
    assert cal.working_days_between(deadline.due_date, moved.due_date) == paused
    assert cal.is_working_day(moved.due_date) or paused == 0
    assert (
        timezone.localtime(moved.due_at).time()
        == timezone.localtime(deadline.due_at).time()
    )


# --- The apology window (NĐ 61/2018 art. 19.9) -------------------------------------


def _window(deadline, today: str):
    from dossiers.calendar import apology_window, counting_start

    return apology_window(
        due_at=deadline.due_at,
        started=counting_start(due_steps=deadline.steps_json(), received_at=None),
        today=datetime.date.fromisoformat(today),
    )


def test_a_same_day_dossier_never_had_an_apology_to_offer(cal):
    from dossiers.calendar import APOLOGY_NONE

    deadline = cal.due(received_at=at("2026-03-09 09:00"), days=None, same_day=True)

    assert _window(deadline, "2026-03-09").state == APOLOGY_NONE
    assert _window(deadline, "2026-03-20").state == APOLOGY_NONE


def test_the_apology_is_open_until_the_day_before_the_due_day(cal):
    from dossiers.calendar import APOLOGY_LAST_DAY, APOLOGY_OPEN, APOLOGY_PASSED

    deadline = cal.due(received_at=at("2026-03-09 09:00"), days=3)  # Thu 12/03

    assert _window(deadline, "2026-03-09").state == APOLOGY_OPEN
    assert _window(deadline, "2026-03-11").state == APOLOGY_LAST_DAY
    passed = _window(deadline, "2026-03-23")
    assert passed.state == APOLOGY_PASSED
    assert passed.last_day == datetime.date(2026, 3, 11)


def test_the_window_counts_from_the_restart_after_a_supplement(cal):
    """Received on Monday, counted again from Thursday's supplement for a
    one-day procedure (due Friday): the last day is Thursday, not before."""
    from dossiers.calendar import APOLOGY_LAST_DAY, APOLOGY_NONE

    restarted = cal.restart(completed_at=at("2026-03-12 09:00"), days=1)
    same_day = cal.restart(
        completed_at=at("2026-03-12 09:00"), days=None, same_day=True
    )

    assert _window(restarted, "2026-03-12").state == APOLOGY_LAST_DAY
    assert _window(same_day, "2026-03-12").state == APOLOGY_NONE
