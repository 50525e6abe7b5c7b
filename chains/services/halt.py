"""A step halted for the citizen (refused, or papers asked): the chain waits for
them, and the linked dossier asks the same."""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.calendar import WorkingCalendar
from dossiers.lifecycle import TRANSITIONS
from dossiers.models import Dossier, Origin
from dossiers.services import dossier_request_supplement

from ..models import ChainRun, ChainStep, RunStatus
from .history import history


def halt_for_citizen(
    run: ChainRun,
    step: ChainStep,
    *,
    reason: str,
    what: str,
    items: list[str] | None = None,
    now: datetime.datetime,
) -> None:
    """A step was refused or needs papers: the chain waits for the citizen, who
    has CHAIN_SUPPLEMENT_DAYS working days (NĐ 63/2024 art. 8) before it stops.
    The linked dossier shows the request and its reason; the steps done stay."""
    calendar = WorkingCalendar.load()
    last_day = calendar.add_working_days(
        timezone.localdate(now), settings.CHAIN_SUPPLEMENT_DAYS
    )
    supplement_due = timezone.make_aware(
        datetime.datetime.combine(last_day, calendar.day_end)
    )
    ChainRun.objects.filter(pk=run.pk).update(
        status=RunStatus.WAITING_CITIZEN, supplement_due_at=supplement_due
    )
    parent = Dossier.objects.get(pk=run.dossier_id)
    if parent.status in TRANSITIONS["request_supplement"].sources:
        dossier_request_supplement(
            dossier=parent,
            actor=None,
            origin=Origin.SYSTEM,
            items=items
            or [
                _("Sửa thông tin và nộp lại bước %(order)s: %(procedure)s")
                % {"order": step.order, "procedure": step.procedure.name}
            ],
            reason=_("%(unit)s: %(reason)s. Hạn bổ sung, sửa: %(due)s.")
            % {
                "unit": step.org_unit.name,
                "reason": reason,
                "due": f"{last_day:%d/%m/%Y}",
            },
            now=now,
        )
    history(run, what, step=step, note=reason, now=now)
