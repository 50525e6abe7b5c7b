"""Working days: the calendar that counts them and the deadlines it computes."""

import datetime
import functools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

import holidays as holidays_lib
from django.conf import settings
from django.utils import timezone

from portal.db import PreparedRead
from rules.models import NoAppointmentDay, RuleSet
from rules.selectors import Rules, rules_among

from ..models import CalendarDay

# Read by every request that computes a deadline or counts working days (the
# submission, the queue, the dossier page, each transition): compiled once
# (portal.db.PreparedRead, decision 336).
_CORRECTIONS = PreparedRead(
    lambda: CalendarDay.objects.values_list("date", "is_working_day", "reason")
)
_RULE_SETS = PreparedRead(lambda: RuleSet.objects.all())

# Never search further than this for a working day (a misconfigured calendar
# with no working day must fail loudly, not loop forever).
_MAX_SEARCH_DAYS = 366


def _time(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


@functools.lru_cache(maxsize=64)
def public_holidays(year: int, language: str = "vi") -> dict[datetime.date, str]:
    return dict(holidays_lib.country_holidays("VN", years=year, language=language))


# Kinds of day off, kept in explanations so they render in the reader's language.
WEEKEND = "weekend"
HOLIDAY = "holiday"
DAY_OFF = "day_off"  # an administrator's extra day off


@dataclass(frozen=True)
class Step:
    """One line of a deadline's explanation: a rule and its parameters."""

    rule: str
    params: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"rule": self.rule, "params": self.params}


@dataclass(frozen=True)
class Deadline:
    due_at: datetime.datetime
    steps: tuple[Step, ...]

    @property
    def due_date(self) -> datetime.date:
        return timezone.localtime(self.due_at).date()

    @property
    def no_appointment_same_day(self) -> bool:
        """Due the day of receipt by a centre's "no writing, no appointment" day."""
        return any(step.rule == "no_appointment_day" for step in self.steps)

    def explain(self) -> str:
        """The explanation in the active language, one sentence per step."""
        from .text import explain_steps  # the words depend on the days, not back

        return explain_steps(self.steps)

    def steps_json(self) -> list[dict[str, Any]]:
        return [step.as_json() for step in self.steps]

    def with_step(
        self, step: Step, due_at: datetime.datetime | None = None
    ) -> "Deadline":
        return replace(self, due_at=due_at or self.due_at, steps=(*self.steps, step))


class WorkingCalendar:
    """Working days, with the administrators' corrections loaded once."""

    def __init__(
        self,
        overrides: dict[datetime.date, tuple[bool, str]] | None = None,
        rule_sets: list[RuleSet] | None = None,
        *,
        rule_sets_from_db: bool = False,
    ):
        self.overrides = overrides or {}
        # The settings' cut-off: the one of a day without a rule set in force.
        self.cutoff = _time(settings.DOSSIER_CUTOFF_TIME)
        self.morning_end = _time(settings.OFFICE_MORNING_END)
        self.day_end = _time(settings.OFFICE_DAY_END)
        # The rule sets (rules app), read from the database the first time a
        # deadline needs them when `rule_sets_from_db`: the pages that only
        # count working days make no query for them.
        self._rule_sets = rule_sets
        self._rule_sets_from_db = rule_sets_from_db and rule_sets is None

    @classmethod
    def load(cls) -> "WorkingCalendar":
        """A calendar with every correction from the database (one query), and
        the rule sets (one more, when a deadline is first computed)."""
        return cls(
            {
                date: (is_working_day, reason)
                for date, is_working_day, reason in _CORRECTIONS.rows()
            },
            rule_sets_from_db=True,
        )

    def rules_on(self, day: datetime.date) -> Rules:
        """The rules in force for a dossier received on `day` (rules app), or
        the settings when no rule set is in force."""
        if self._rule_sets is None:
            self._rule_sets = _RULE_SETS.objects() if self._rule_sets_from_db else []
        return rules_among(self._rule_sets, day)

    # --- Days -------------------------------------------------------------------

    def day_off(self, day: datetime.date) -> tuple[str, str] | None:
        """(kind, reason) when `day` is not a working day, None when it is one."""
        if day in self.overrides:
            is_working, reason = self.overrides[day]
            return None if is_working else (DAY_OFF, reason)
        holiday = public_holidays(day.year).get(day)
        if holiday:
            return (HOLIDAY, holiday)
        if day.weekday() >= 5:
            return (WEEKEND, "")
        return None

    def is_working_day(self, day: datetime.date) -> bool:
        return self.day_off(day) is None

    def next_working_day(self, day: datetime.date) -> datetime.date:
        """The first working day strictly after `day`."""
        for offset in range(1, _MAX_SEARCH_DAYS + 1):
            candidate = day + datetime.timedelta(days=offset)
            if self.is_working_day(candidate):
                return candidate
        raise ValueError("no working day within a year: check the calendar")

    def add_working_days(self, day: datetime.date, count: int) -> datetime.date:
        """The `count`-th working day after `day` (`day` itself not counted)."""
        for _i in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: datetime.date, end: datetime.date) -> int:
        """Working days d with start < d <= end."""
        return sum(1 for day in _days(start, end) if self.is_working_day(day))

    def days_off_between(
        self, start: datetime.date, end: datetime.date
    ) -> list[tuple[datetime.date, str, str]]:
        """Days off d with start < d < end: (day, kind, reason)."""
        found = []
        for day in _days(start, end - datetime.timedelta(days=1)):
            off = self.day_off(day)
            if off is not None:
                found.append((day, *off))
        return found

    def _at(self, day: datetime.date, time: datetime.time) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(day, time))

    # --- Deadlines --------------------------------------------------------------

    def due(
        self,
        *,
        received_at: datetime.datetime,
        days: Decimal | float | int | None,
        same_day: bool = False,
        no_appointment: NoAppointmentDay | None = None,
        rules_day: datetime.date | None = None,
    ) -> Deadline:
        """The due time of a dossier received at `received_at`.

        `days` is the legal time limit in working days (a multiple of 0.5; other
        fractions round up to the next half day). `same_day` is a procedure whose
        result is due the day of receipt. `no_appointment` is the centre's "no
        writing, no appointment" day that covers the dossier (rules app), if
        any: received on its weekday, a working day, before its cut-off, the
        dossier is due the same day; at or after the cut-off, the next working
        day (or earlier, should its own limit end earlier). The rule set
        (cut-off) is the one in force on `rules_day`, the dossier's day of
        receipt, by default the day of `received_at`.
        """
        local = timezone.localtime(received_at)
        day, moment = local.date(), local.time()
        steps = [Step("received", {"at": local.isoformat()})]
        rules = self.rules_on(rules_day or day)
        if rules.rule_set is not None:
            # Every explanation names the rule set it used (issue 17, point 4).
            steps.insert(0, Step("rule_set", rules.step_params()))

        if (
            no_appointment is not None
            and self.is_working_day(day)
            and day.weekday() == no_appointment.weekday
        ):
            params = {
                "weekday": day.weekday(),
                "cutoff": f"{no_appointment.cutoff:%H:%M}",
                "centre": no_appointment.centre.name,
            }
            if moment < no_appointment.cutoff:
                steps.append(Step("no_appointment_day", params))
                return self._deadline(self._at(day, self.day_end), steps)
            own = self._counted(day, moment, rules, days, same_day, list(steps))
            next_day = self._at(self.next_working_day(day), self.day_end)
            if own.due_at <= next_day:
                return own
            params["next"] = timezone.localtime(next_day).date().isoformat()
            steps.append(Step("no_appointment_day_late", params))
            return self._deadline(next_day, steps)
        return self._counted(day, moment, rules, days, same_day, steps)

    def _counted(
        self,
        day: datetime.date,
        moment: datetime.time,
        rules: Rules,
        days: Decimal | float | int | None,
        same_day: bool,
        steps: list[Step],
    ) -> Deadline:
        """The procedure's own limit, counted from a receipt at `moment` of `day`."""
        cutoff = rules.cutoff
        working_before_cutoff = self.is_working_day(day) and moment < cutoff

        if days is None and not same_day:
            # The procedure's legal limit is not known yet: count a documented
            # default and say so, rather than pretending it is a same-day case.
            days = Decimal(str(settings.DOSSIER_DEFAULT_PROCESSING_DAYS))
            steps.append(Step("default_limit", {"days": str(days)}))

        if same_day or days is None or Decimal(str(days)) <= 0:
            if working_before_cutoff:
                steps.append(Step("same_day"))
                return self._deadline(self._at(day, self.day_end), steps)
            start = self.next_working_day(day)
            steps.append(self._late_receipt_step(day, start, cutoff))
            steps.append(Step("same_day_next"))
            return self._deadline(self._at(start, self.day_end), steps)

        if working_before_cutoff:
            start = day
            steps.append(Step("receipt_day_not_counted"))
        else:
            start = self.next_working_day(day)
            steps.append(self._late_receipt_step(day, start, cutoff))

        halves = math.ceil(Decimal(str(days)) * 2)
        whole, half = divmod(halves, 2)
        due_day = self.add_working_days(start, whole)
        due_time = self.day_end
        if half:
            due_day = self.next_working_day(due_day)
            due_time = self.morning_end
        skipped = self.days_off_between(start, due_day)
        if skipped:
            steps.append(Step("days_off_skipped", {"days": _group_days_off(skipped)}))
        steps.append(
            Step(
                "counted",
                {"days": str(Decimal(halves) / 2), "start": start.isoformat()},
            )
        )
        return self._deadline(self._at(due_day, due_time), steps)

    def _late_receipt_step(
        self, day: datetime.date, start: datetime.date, cutoff: datetime.time
    ) -> Step:
        rule = "day_off_receipt" if not self.is_working_day(day) else "after_cutoff"
        return Step(rule, {"cutoff": f"{cutoff:%H:%M}", "start": start.isoformat()})

    def _deadline(self, due_at: datetime.datetime, steps: list[Step]) -> Deadline:
        local = timezone.localtime(due_at)
        steps.append(Step("due", {"at": local.isoformat()}))
        return Deadline(due_at=due_at, steps=tuple(steps))

    def restart(
        self,
        *,
        completed_at: datetime.datetime,
        days: Decimal | float | int | None,
        same_day: bool = False,
        rules_day: datetime.date | None = None,
    ) -> Deadline:
        """Count the time limit again from zero (NĐ 61/2018 art. 19.4), under
        the rule set of `rules_day` (the dossier's day of receipt)."""
        deadline = self.due(
            received_at=completed_at,
            days=days,
            same_day=same_day,
            rules_day=rules_day,
        )
        local = timezone.localtime(completed_at)
        params: dict[str, Any] = {"at": local.isoformat()}
        rule_set = self.rules_on(rules_day or local.date()).rule_set
        if rule_set is not None and rule_set.slug != "nd61-2018":
            # NĐ 61/2018 art. 19.4 is cited only under its own rule set.
            params["cite"] = False
        restart = Step("restarted_after_supplement", params)
        return replace(deadline, steps=(restart, *deadline.steps))

    def extend_by_pause(
        self,
        deadline: Deadline,
        *,
        paused_from: datetime.datetime,
        paused_to: datetime.datetime,
        rule: str = "paused",
    ) -> Deadline:
        """Move the due date by the working days spent waiting for the citizen: a
        supplement (rule "paused") or the fee (rule "paused_payment")."""
        start = timezone.localtime(paused_from).date()
        end = timezone.localtime(paused_to).date()
        paused = self.working_days_between(start, end)
        local_due = timezone.localtime(deadline.due_at)
        new_day = self.add_working_days(local_due.date(), paused)
        due_at = self._at(new_day, local_due.time())
        step = Step(
            rule,
            {
                "days": paused,
                "from": start.isoformat(),
                "to": end.isoformat(),
                "due": timezone.localtime(due_at).isoformat(),
            },
        )
        return deadline.with_step(step, due_at=due_at)


def _days(start: datetime.date, end: datetime.date) -> Iterator[datetime.date]:
    """Days d with start < d <= end."""
    day = start + datetime.timedelta(days=1)
    while day <= end:
        yield day
        day += datetime.timedelta(days=1)


def _group_days_off(
    days: Iterable[tuple[datetime.date, str, str]],
) -> list[dict[str, str]]:
    """Consecutive days off grouped into ranges. A weekend next to a holiday joins
    it and the range takes the holiday's name (Tết spans weekends)."""
    groups: list[dict[str, str]] = []
    for day, kind, reason in days:
        if groups:
            last = groups[-1]
            last_day = datetime.date.fromisoformat(last["to"])
            if day - last_day == datetime.timedelta(days=1):
                last["to"] = day.isoformat()
                if kind != WEEKEND and (
                    last["kind"] == WEEKEND or len(reason) < len(last["reason"])
                ):
                    # The shortest name is the holiday's own ("Tết Nguyên Đán",
                    # not "Giao thừa Tết Nguyên Đán").
                    last.update(kind=kind, reason=reason, named=day.isoformat())
                continue
        groups.append(
            {
                "from": day.isoformat(),
                "to": day.isoformat(),
                "kind": kind,
                "reason": reason,
                "named": day.isoformat(),
            }
        )
    return groups
