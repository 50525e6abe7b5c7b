"""Starting a chain when a linked dossier is submitted, and starting each step."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.calendar import WorkingCalendar
from dossiers.models import Dossier
from dossiers.services import (
    dossier_part_open,
    dossier_system_receive,
)
from procedures.models import LinkedStep, Procedure
from procedures.selectors import linked_steps_applying
from units.models import AdminUnit, AgencyType, OrgUnit, OrgUnitKind
from units.selectors import receiving_q, valid_on_q

from ..models import ChainRun, ChainStep, LinkedGroupRule
from ..steps import KINDS, Kind, kind_for
from .common import MOVES, ChainError, enqueue, move
from .handoffs import handoff_open
from .history import history
from .limits import group_rule_on, step_limit

# A linked dossier needs an electronic identity of level 2 (the wizard and the API
# check it before; the guard `chains.listeners.linked_submission_allowed` keeps any
# other way in honest).
LINKED_IDENTITY_LEVEL = 2


def _lineage(area: AdminUnit) -> dict[int, tuple[int, int]]:
    """Admin unit id -> (generation, distance up the tree) of `area`, the units
    above it, and the units it succeeded (mergers: an agency may still be
    attached to a unit that a reform merged into `area`), nearest first."""
    ranks: dict[int, tuple[int, int]] = {}
    generation = [area]
    for age in range(4):
        for unit in generation:
            ids = [int(pk) for pk in unit.path.strip("/").split("/") if pk]
            for distance, pk in enumerate(reversed(ids)):
                ranks.setdefault(pk, (age, distance))
        generation = list(
            AdminUnit.objects.filter(successors__in=generation).distinct()
        )
        if not generation:
            break
    return ranks


def resolve_unit(
    *, agency_type: str, area: AdminUnit, day: datetime.date | None = None
) -> OrgUnit | None:
    """The active agency of this type nearest to `area`: in the area itself, else
    in the areas above it (a commune's police; the district's social insurance),
    else in the units the area succeeded. Only units that receive dossiers on
    `day` (today by default): a centre, not the office behind it."""
    ranks = _lineage(area)
    candidates = OrgUnit.objects.filter(
        receiving_q(day or timezone.localdate()),
        agency_type=agency_type,
        admin_unit_id__in=list(ranks),
    )
    ranked = sorted(
        candidates,
        # A centre before a reception point of the same place.
        key=lambda u: (
            ranks[u.admin_unit_id],
            u.kind == OrgUnitKind.RECEPTION_POINT,
            u.name,
            u.pk,
        ),
    )
    return ranked[0] if ranked else None


def _area(code: str, fallback: AdminUnit, day: datetime.date) -> AdminUnit:
    if code:
        unit = AdminUnit.objects.filter(valid_on_q(day), code=code).first()
        if unit is not None:
            return unit
    return fallback


def province_code(unit: OrgUnit) -> str:
    """The code of the province the agency's area lies in (GSO code)."""
    top = unit.admin_unit.path.strip("/").split("/")[0]
    return str(AdminUnit.objects.values_list("code", flat=True).get(pk=int(top)))


@dataclass(frozen=True)
class Planned:
    linked_step: LinkedStep
    kind: Kind
    unit: OrgUnit
    needs_officer: bool
    days: Decimal | None
    same_day: bool
    source: str


def _plan(dossier: Dossier, day: datetime.date) -> list[Planned]:
    group = dossier.procedure
    applying = linked_steps_applying(group=group, data=dossier.data)
    if not applying:
        raise ChainError(_("Không xác định được các thủ tục liên thông của hồ sơ này."))
    orders = [step.order for step in applying]
    if len(set(orders)) != len(orders):
        # Two alternatives of one step apply: the catalogue's conditions overlap.
        raise ChainError(
            _("Danh mục có hai phương án cùng áp dụng cho một bước; hãy báo Cổng.")
        )
    area = dossier.receiving_unit.admin_unit
    planned = []
    for linked in applying:
        kind = kind_for(linked.procedure)
        needs_officer = kind.needs_officer(dossier.data)
        unit = resolve_unit(
            agency_type=linked.agency_type,
            area=_area(kind.area_code(dossier.data), area, day),
            day=day,
        )
        if unit is None:
            raise ChainError(
                _(
                    "Chưa có cơ quan “%(agency)s” phụ trách địa bàn này trên Cổng, nên "
                    "chưa nộp được hồ sơ liên thông. Hãy liên hệ Bộ phận Một cửa."
                )
                % {"agency": AgencyType(linked.agency_type).label}
            )
        days, same_day, source = step_limit(
            group=group,
            procedure=linked.procedure,
            linked_step=linked,
            kind=kind,
            needs_officer=needs_officer,
            day=day,
        )
        planned.append(
            Planned(linked, kind, unit, needs_officer, days, same_day, source)
        )
    return planned


def _total_days(
    group: Procedure,
    planned: list[Planned],
    verification: bool,
    rule: LinkedGroupRule | None = None,
) -> Decimal:
    """The group's own limit (3 working days, 5 with verification, for births:
    the art. 7 rule in force on the day of receipt, else the catalogue and the
    settings); where the group has none (deaths: UNVERIFIED), the sum of its
    steps' limits."""
    if rule is not None and rule.total_days is not None:
        if verification and rule.total_days_with_verification is not None:
            return max(rule.total_days, rule.total_days_with_verification)
        return rule.total_days
    if group.processing_days is not None:
        days = Decimal(group.processing_days)
        if verification:
            days = max(days, Decimal(str(settings.CHAIN_TOTAL_DAYS_WITH_VERIFICATION)))
        return days
    default = Decimal(str(settings.DOSSIER_DEFAULT_PROCESSING_DAYS))
    return sum(
        (
            Decimal(0) if p.same_day else (p.days if p.days is not None else default)
            for p in planned
        ),
        Decimal(0),
    )


@transaction.atomic
def chain_start(*, dossier: Dossier, now: datetime.datetime | None = None) -> ChainRun:
    """Start the chain of a linked dossier just submitted (the submission's
    follow-on, in its transaction; its guard checked the channel and the
    identity level): the agencies' systems receive it, one step per member
    procedure, each at its agency, and the first step is sent after commit."""
    now = now or timezone.now()
    calendar = WorkingCalendar.load()
    day = timezone.localdate(now)
    planned = _plan(dossier, day)
    verification = any(p.needs_officer and p.kind.verifies for p in planned)
    # The rule in force on the day the dossier is received (decision 260).
    rule = group_rule_on(dossier.procedure.code, day)
    total = _total_days(dossier.procedure, planned, verification, rule)
    due = calendar.due(received_at=now, days=total, same_day=total == 0)
    received = dossier_system_receive(
        dossier=dossier,
        deadline=due,
        process=True,
        note=_("Hồ sơ liên thông được chuyển đến các cơ quan giải quyết."),
        now=now,
    )
    run = ChainRun.objects.create(
        dossier=received,
        verification=verification,
        total_days=total,
        limit_rule=rule,
        due_at=due.due_at,
        due_steps=due.steps_json(),
        started_at=now,
    )
    steps = [
        ChainStep.objects.create(
            run=run,
            order=p.linked_step.order,
            procedure=p.linked_step.procedure,
            linked_step=p.linked_step,
            kind=p.kind.key,
            agency_type=p.linked_step.agency_type,
            org_unit=p.unit,
            needs_officer=p.needs_officer,
            days=p.days,
            same_day=p.same_day,
            limit_source=p.source,
        )
        for p in planned
    ]
    step_start(run=run, step=steps[0], now=now, calendar=calendar)
    return run


def step_start(
    *,
    run: ChainRun,
    step: ChainStep,
    now: datetime.datetime,
    calendar: WorkingCalendar | None = None,
) -> None:
    """The step's turn (the previous one is done): open its dossier at its agency
    with its own time limit, then either send the call to the agency's system or
    wait for the agency's officer. Caller holds the run's lock."""
    kind = KINDS[step.kind]
    parent = run.dossier
    needs_officer = kind.needs_officer(parent.data)
    days, same_day, source = step_limit(
        group=parent.procedure,
        procedure=step.procedure,
        linked_step=step.linked_step,
        kind=kind,
        needs_officer=needs_officer,
        day=timezone.localdate(now),
    )
    due = (calendar or WorkingCalendar.load()).due(
        received_at=now, days=days, same_day=same_day
    )
    suffix = str(step.order) if step.revision == 1 else f"{step.order}-{step.revision}"
    part = dossier_part_open(
        parent=parent,
        procedure=step.procedure,
        unit=step.org_unit,
        suffix=suffix,
        data=parent.data,
        deadline=due,
        note=_("Bước %(order)s của hồ sơ liên thông %(code)s.")
        % {"order": step.order, "code": parent.code},
        awaits_officer=needs_officer,
        now=now,
    )
    name = "start_officer" if needs_officer else "start_queued"
    fields: dict[str, Any] = {
        "sub_dossier": part,
        "needs_officer": needs_officer,
        "days": days,
        "same_day": same_day,
        "limit_source": source,
        "due_at": due.due_at,
        "started_at": now,
        "queued_at": None if needs_officer else now,
        "attempts": 0,
        "last_error": "",
        "next_attempt_at": None,
        "lease_until": None,
    }
    if not move(step.pk, name, **fields):
        raise ChainError(_("Bước này đã được bắt đầu."))
    # The step as written (the run's lock holds it): no need to read it back.
    for field, value in fields.items():
        setattr(step, field, value)
    step.state = MOVES[name][1]
    due_text = f"{timezone.localtime(due.due_at):%H:%M %d/%m/%Y}"
    history(
        run,
        "waiting_officer" if needs_officer else "started",
        step=step,
        note=_("Hạn: %(due)s.") % {"due": due_text},
        now=now,
    )
    if not needs_officer:
        handoff_open(run=run, step=step, now=now)
        enqueue(step)


def province_codes(step: ChainStep) -> dict[str, Any]:
    """For the calls: the step agency's commune code and province code."""
    return {
        "admin_unit_code": step.org_unit.admin_unit.code,
        "province_code": province_code(step.org_unit),
    }
