"""The working-day calendar: every deadline of the portal is computed here.

Rules and their sources (docs/dossier-lifecycle.md has the full table):
- Working days are Monday to Friday, minus Vietnamese public holidays (the
  `holidays` package: Labour Code 2019 art. 112, substitute days and official swap
  days), corrected by administrators (`CalendarDay`: extra days off, Saturdays
  worked in exchange for a swapped day off).
- The day of receipt is not counted: a period counted in days starts the next day
  (Civil Code 2015 art. 147). Received Monday 10:00 with 3 working days: due
  Thursday.
- Received at or after the cut-off (15:00, a setting) or on a day off: counted as
  received on the next working day (procedure texts; Luật Hộ tịch 2014 art. 5.3).
- A half day ends at the morning close of the next working day slot.
- Same-day procedures are due the day of receipt, or the next working day when
  received after the cut-off (Luật Hộ tịch 2014 art. 5.3).
- The receiving centre's "no writing, no appointment" day (rules app, dated): an
  eligible dossier received on its weekday before its cut-off is due the same
  day, after it the next working day.
- After a supplement request the time limit restarts from zero once the complete
  dossier arrives (NĐ 61/2018 art. 19.4), or, as a setting, the due date moves by
  the working days spent waiting.

Every computation keeps its explanation as structured steps, rendered in the
reader's language by `explain_steps()`.

A package by concept: `days` (the working-day calendar and its deadlines),
`timeliness` (early, on time, late; the apology's window), `text` (the
explanation in words). Every name is re-exported here.
"""

from .days import (
    DAY_OFF,
    HOLIDAY,
    WEEKEND,
    Deadline,
    Step,
    WorkingCalendar,
    public_holidays,
)
from .text import explain_steps, render_step
from .timeliness import (
    APOLOGY_LAST_DAY,
    APOLOGY_NONE,
    APOLOGY_OPEN,
    APOLOGY_PASSED,
    EARLY,
    LATE,
    ON_TIME,
    ON_TRACK,
    OVERDUE,
    ApologyWindow,
    apology_window,
    completion_timeliness,
    counting_start,
    dossier_apology_window,
    open_timeliness,
)

__all__ = [
    "APOLOGY_LAST_DAY",
    "APOLOGY_NONE",
    "APOLOGY_OPEN",
    "APOLOGY_PASSED",
    "DAY_OFF",
    "EARLY",
    "HOLIDAY",
    "LATE",
    "ON_TIME",
    "ON_TRACK",
    "OVERDUE",
    "WEEKEND",
    "ApologyWindow",
    "Deadline",
    "Step",
    "WorkingCalendar",
    "apology_window",
    "completion_timeliness",
    "counting_start",
    "dossier_apology_window",
    "explain_steps",
    "open_timeliness",
    "public_holidays",
    "render_step",
]
