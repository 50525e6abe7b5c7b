"""The linked chains' figures for the dashboards (dashboards/providers.py):
Decree 63/2024 art. 7 measured, for the chains completed in the period."""

import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import OrgUnit

from .models import ChainRun


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def linked_chain_counts(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Chains whose linked dossier one of `org_units` received, completed in
    [start, end]: how many, how many by their due time, and how many of their
    hand-overs broke a limit of art. 7(4). One query."""
    breached = Q(steps__handoffs__sync_alerted_at__isnull=False) | Q(
        steps__handoffs__ack_alerted_at__isnull=False
    )
    return ChainRun.objects.filter(
        dossier__receiving_unit__in=org_units,
        completed_at__gte=_day_start(start),
        completed_at__lt=_day_start(end + datetime.timedelta(days=1)),
    ).aggregate(
        completed=Count("pk", distinct=True),
        on_time=Count("pk", distinct=True, filter=Q(completed_at__lte=F("due_at"))),
        handoffs_late=Count("steps__handoffs", distinct=True, filter=breached),
    )


def linked_chain_figures(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    counts = linked_chain_counts(org_units=org_units, start=start, end=end)
    completed = counts["completed"]
    return [
        {
            "key": "linked_chains_completed",
            "label": _("Hồ sơ liên thông đã xong tất cả các bước"),
            "value": completed,
            "unit": "",
            "formula": _("Số hồ sơ liên thông hoàn thành mọi bước trong kỳ."),
        },
        {
            "key": "linked_chains_on_time_rate",
            "label": _("Tỷ lệ hồ sơ liên thông xong đúng hạn của cả nhóm"),
            "value": counts["on_time"] / completed if completed else None,
            "unit": "rate",
            "formula": _(
                "Xong trước hạn của cả nhóm (Nghị định 63/2024, Điều 7) / đã xong "
                "trong kỳ."
            ),
        },
        {
            "key": "linked_handoffs_late",
            "label": _("Lần chuyển giữa các hệ thống quá hạn"),
            "value": counts["handoffs_late"],
            "unit": "",
            "formula": _(
                "Lần chuyển của các hồ sơ liên thông xong trong kỳ đã bị cảnh báo: "
                "chưa đồng bộ trong 10 phút hoặc chưa được xác nhận trong 2 giờ "
                "làm việc."
            ),
        },
    ]
