"""The rules in force on a day of receipt: the rule set, or, when no rule set
is in force (a deployment that loaded none), the portal's settings of before
(DOSSIER_CUTOFF_TIME, DOSSIER_SUPPLEMENT_MODE), the code format and the form
numbers of Circular 01/2018; and a centre's "no writing, no appointment" day
(none when the centre has no rule in force)."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F, Q

from portal.db import PreparedRead

from .models import CodeFormat, NoAppointmentDay, RuleSet
from .seeds import TT01_2018_FORMS


@dataclass(frozen=True)
class Rules:
    rule_set: RuleSet | None
    cutoff: datetime.time
    supplement_mode: str
    code_format: str
    code_system: str

    @property
    def name(self) -> str:
        return self.rule_set.name if self.rule_set is not None else ""

    def form(self, key: str) -> dict[str, str] | None:
        if self.rule_set is not None:
            return self.rule_set.form(key)
        return next((f for f in TT01_2018_FORMS if f["key"] == key), None)

    def step_params(self) -> dict[str, object]:
        """What a deadline's explanation keeps of the rule set it used."""
        if self.rule_set is None:
            return {}
        return {
            "name": self.rule_set.name,
            "slug": self.rule_set.slug,
            "unverified": self.rule_set.unverified_rules(),
        }


def _in_force(day: datetime.date) -> Q:
    return Q(Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & Q(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


# Read at every submission, deadline and transition: compiled once (portal.db,
# decision 336).
RULE_SET_ON = PreparedRead(
    lambda day: RuleSet.objects.filter(_in_force(day)).order_by(
        F("valid_from").desc(nulls_last=True)
    )[:1],
    day=datetime.date,
)


def rule_set_on(day: datetime.date) -> RuleSet | None:
    """The rule set in force on `day` (the latest to start, should two meet)."""
    rule_set: RuleSet | None = RULE_SET_ON.first(day=day)
    return rule_set


def rules_from(rule_set: RuleSet | None) -> Rules:
    if rule_set is None:
        return Rules(
            rule_set=None,
            cutoff=datetime.time.fromisoformat(settings.DOSSIER_CUTOFF_TIME),
            supplement_mode=settings.DOSSIER_SUPPLEMENT_MODE,
            code_format=CodeFormat.TT01_2018,
            code_system="",
        )
    return Rules(
        rule_set=rule_set,
        cutoff=rule_set.cutoff,
        supplement_mode=rule_set.supplement_mode,
        code_format=rule_set.code_format,
        code_system=rule_set.code_system,
    )


def rules_on(day: datetime.date) -> Rules:
    return rules_from(rule_set_on(day))


def rules_among(rule_sets: list[RuleSet], day: datetime.date) -> Rules:
    """`rules_on` without a query, among rule sets already loaded."""
    in_force = [r for r in rule_sets if r.in_force_on(day)]
    in_force.sort(key=lambda r: r.valid_from or datetime.date.min, reverse=True)
    return rules_from(in_force[0] if in_force else None)


def no_appointment_day_on(
    *,
    unit_id: int,
    parent_id: int | None,
    day: datetime.date,
    field_code: str,
    procedure_code: str,
) -> NoAppointmentDay | None:
    """The "no writing, no appointment" day that covers a procedure (its field's
    code, its national code) received at a unit on `day`: the unit's own rule in
    force on `day`, else that of the centre it belongs to (a reception point's);
    None when neither has one or it does not cover the procedure. One query."""
    found: list[NoAppointmentDay] = (
        NO_APPOINTMENT_DAYS.objects(unit=unit_id, day=day)
        if parent_id is None
        else NO_APPOINTMENT_DAYS_WITH_CENTRE.objects(
            unit=unit_id, parent=parent_id, day=day
        )
    )
    found.sort(
        key=lambda r: (r.centre_id == unit_id, r.valid_from or datetime.date.min),
        reverse=True,
    )
    rule = found[0] if found else None
    if rule is None or not rule.covers(
        field_code=field_code, procedure_code=procedure_code
    ):
        return None
    return rule


# A unit's own rule, and with that of the centre it belongs to: compiled once.
NO_APPOINTMENT_DAYS = PreparedRead(
    lambda unit, day: NoAppointmentDay.objects.filter(
        _in_force(day), centre_id=unit
    ).select_related("centre"),
    unit=int,
    day=datetime.date,
)
NO_APPOINTMENT_DAYS_WITH_CENTRE = PreparedRead(
    lambda unit, parent, day: NoAppointmentDay.objects.filter(
        Q(centre_id=unit) | Q(centre_id=parent), _in_force(day)
    ).select_related("centre"),
    unit=int,
    parent=int,
    day=datetime.date,
)
