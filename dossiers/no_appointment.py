"""What a citizen is told of the centre's "no writing, no appointment" day
(issue 22, point 5): on the confirmation page, on the receipt slip and in the
API's dossier detail (`no_appointment_day`). The rule is the one of the
dossier's receiving unit (or its centre) in force on its day of receipt that
covers its procedure (rules.NoAppointmentDay); the due date is computed by
the calendar (`WorkingCalendar.due`), which records in the explanation
whether the rule set it."""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from rules.models import NoAppointmentDay

from .calendar.text import weekday_names as _weekday_names
from .models import Dossier
from .services.core import dossier_no_appointment_day

SAME_DAY = "same_day"
NEXT_WORKING_DAY = "next_working_day"

# Official papers are in Vietnamese whatever the reader's language (slips.py).
_WEEKDAYS_VI = (
    "thứ Hai",
    "thứ Ba",
    "thứ Tư",
    "thứ Năm",
    "thứ Sáu",
    "thứ Bảy",
    "Chủ nhật",
)


@dataclass(frozen=True)
class NoAppointmentNotice:
    rule: NoAppointmentDay
    # How the rule set this dossier's due date: SAME_DAY, NEXT_WORKING_DAY, or
    # "" (received on another day, or not yet received: its own limit).
    applied: str

    @property
    def cutoff(self) -> str:
        return f"{self.rule.cutoff:%H:%M}"

    def text(self) -> str:
        """The rule in the reader's language."""
        return _(
            "Ngày “không viết, không hẹn”: %(weekday)s hằng tuần, %(centre)s "
            "tiếp nhận hồ sơ của thủ tục này trước %(cutoff)s thì trả kết quả "
            "trong ngày, từ %(cutoff)s thì trả vào ngày làm việc tiếp theo; cán "
            "bộ viết giúp tờ khai tại quầy."
        ) % {
            "weekday": _weekday_names()[self.rule.weekday],
            "centre": self.rule.centre.name,
            "cutoff": self.cutoff,
        }

    def text_vi(self) -> str:
        """The rule as the slips print it (always Vietnamese)."""
        return (
            f"Ngày “không viết, không hẹn”: {_WEEKDAYS_VI[self.rule.weekday]} hằng "
            f"tuần, {self.rule.centre.name} tiếp nhận hồ sơ của thủ tục này trước "
            f"{self.cutoff} thì trả kết quả trong ngày, từ {self.cutoff} thì trả "
            "vào ngày làm việc tiếp theo; cán bộ viết giúp tờ khai tại quầy."
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "weekday": self.rule.weekday,
            "weekday_display": self.rule.get_weekday_display(),
            "cutoff": self.cutoff,
            "centre": self.rule.centre.agency_code,
            "centre_name": self.rule.centre.name,
            "valid_from": self.rule.valid_from,
            "valid_to": self.rule.valid_to,
            "applied": self.applied or None,
            "text": self.text(),
        }


def dossier_no_appointment_notice(dossier: Dossier) -> NoAppointmentNotice | None:
    """The rule that covers `dossier`, with how it set the due date; None when
    no rule of its centre covers it. Two queries (the procedure's field, the
    rule)."""
    rule = dossier_no_appointment_day(dossier)
    if rule is None:
        return None
    rules = {step.get("rule") for step in dossier.due_steps}
    applied = ""
    if "no_appointment_day" in rules:
        applied = SAME_DAY
    elif "no_appointment_day_late" in rules:
        applied = NEXT_WORKING_DAY
    return NoAppointmentNotice(rule=rule, applied=applied)
