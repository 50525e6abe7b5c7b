"""The time limit of a step: where its working days come from, and its due
time."""

import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings

from dossiers.calendar import Deadline, WorkingCalendar

from ..models import LinkedGroupRule
from ..steps import Kind


def group_rule_on(group_code: str, day: datetime.date) -> LinkedGroupRule | None:
    """The Decree 63/2024 art. 7 rule of the group in force for a linked dossier
    received on `day` (the latest to start, should two meet), or None."""
    rules = [
        rule
        for rule in LinkedGroupRule.objects.filter(group_code=group_code)
        if rule.in_force_on(day)
    ]
    rules.sort(key=lambda r: r.valid_from or datetime.date.min, reverse=True)
    return rules[0] if rules else None


def _dated(entries: Any, day: datetime.date) -> Any:
    """The value of the latest [from, value] entry in force on `day`."""
    found = None
    for start, value in sorted(entries or [], key=lambda entry: str(entry[0])):
        if datetime.date.fromisoformat(str(start)) <= day:
            found = value
    return found


def step_limit(
    *,
    group: Any,
    procedure: Any,
    linked_step: Any,
    kind: Kind,
    needs_officer: bool,
    day: datetime.date,
) -> tuple[Decimal | None, bool, str]:
    """(working days, same day, where it came from) of a step starting on `day`.

    In order: a dated setting (CHAIN_STEP_DAYS), the verification limit when an
    officer must verify, the catalogue's limit of the step, the member
    procedure's standalone limit (linked-groups.md advises it while the linked
    limits are unverified), else none (the calendar counts the documented
    default, DOSSIER_DEFAULT_PROCESSING_DAYS, and says so).
    """
    setting = _dated(
        settings.CHAIN_STEP_DAYS.get(f"{group.url_code}/{procedure.url_code}"), day
    )
    if setting == "same_day":
        return None, True, "setting"
    if setting is not None:
        return Decimal(str(setting)), False, "setting"
    if needs_officer and kind.verifies:
        return (
            Decimal(str(settings.CHAIN_RESIDENCE_VERIFICATION_DAYS)),
            False,
            ("verification"),
        )
    if linked_step is not None and (
        linked_step.processing_days is not None or linked_step.same_day
    ):
        return linked_step.processing_days, linked_step.same_day, "catalogue"
    if procedure.processing_days is not None or procedure.same_day:
        return procedure.processing_days, procedure.same_day, "standalone"
    return None, False, "default"


def deadline(
    *,
    days: Decimal | None,
    same_day: bool,
    received_at: datetime.datetime,
    calendar: WorkingCalendar | None = None,
) -> Deadline:
    return (calendar or WorkingCalendar.load()).due(
        received_at=received_at, days=days, same_day=same_day
    )
