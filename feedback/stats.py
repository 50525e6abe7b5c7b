"""Feedback figures for the dashboards (dashboards/providers.py)."""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from units.models import OrgUnit

from .models import Feedback, Kind, Status


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def feedback_counts(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Received in [start, end], answered, answered on time, late (answered late
    or open past due), and received per kind (the topics). One query."""
    rows = Feedback.objects.filter(
        org_unit__in=org_units,
        received_at__gte=_day_start(start),
        received_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )
    today = timezone.localdate()
    answered = Q(answered_at__isnull=False)
    late = Q(on_time=False) | Q(status=Status.RECEIVED, due_date__lt=today)
    figures = rows.aggregate(
        received=Count("pk"),
        answered=Count("pk", filter=answered),
        answered_on_time=Count("pk", filter=Q(on_time=True)),
        late=Count("pk", filter=late),
        **{f"kind_{kind}": Count("pk", filter=Q(kind=kind)) for kind in Kind.values},
    )
    return figures


def feedback_figures(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    counts = feedback_counts(org_units=org_units, start=start, end=end)
    answered = counts["answered"]
    rate = counts["answered_on_time"] / answered if answered else None
    figures = [
        {
            "key": "feedback_received",
            "label": _("Phản ánh, kiến nghị nhận được"),
            "value": counts["received"],
            "unit": "",
            "formula": _("Số phản ánh, kiến nghị tiếp nhận trong kỳ."),
        },
        {
            "key": "feedback_on_time_rate",
            "label": _("Tỷ lệ phản ánh trả lời đúng hạn"),
            "value": rate,
            "unit": "rate",
            "formula": _("Trả lời đúng hạn / đã trả lời (phản ánh nhận trong kỳ)."),
        },
        {
            "key": "feedback_late",
            "label": _("Phản ánh trả lời muộn hoặc đang quá hạn"),
            "value": counts["late"],
            "unit": "",
            "formula": _(
                "Trả lời sau hạn, hoặc chưa trả lời khi đã quá hạn (ngày làm việc)."
            ),
        },
    ]
    for kind in Kind:
        figures.append(
            {
                "key": f"feedback_kind_{kind.value}",
                "label": _("Phản ánh: %(kind)s") % {"kind": kind.label},
                "value": counts[f"kind_{kind.value}"],
                "unit": "",
                "formula": _("Số phản ánh theo loại, nhận trong kỳ."),
            }
        )
    return figures
