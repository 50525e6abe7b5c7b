"""Feedback figures for the dashboards (dashboards/providers.py)."""

import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from units.models import OrgUnit

from .models import Feedback, Kind, Status


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _counts(**extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    late = Q(on_time=False) | Q(status=Status.RECEIVED, due_date__lt=today)
    return {
        "received": Count("pk"),
        "answered": Count("pk", filter=Q(answered_at__isnull=False)),
        "answered_on_time": Count("pk", filter=Q(on_time=True)),
        "late": Count("pk", filter=late),
        **extra,
    }


def _received_in(
    org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> QuerySet[Feedback]:
    return Feedback.objects.filter(
        org_unit__in=org_units,
        received_at__gte=_day_start(start),
        received_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )


def feedback_counts(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Received in [start, end], answered, answered on time, late (answered late
    or open past due), and received per kind (the topics). One query."""
    kinds = {f"kind_{kind}": Count("pk", filter=Q(kind=kind)) for kind in Kind.values}
    return _received_in(org_units, start, end).aggregate(**_counts(**kinds))


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


_TABLE_COLUMNS = [
    ("unit", gettext_lazy("Mã đơn vị")),
    ("unit_name", gettext_lazy("Đơn vị")),
    ("from", gettext_lazy("Từ ngày")),
    ("to", gettext_lazy("Đến ngày")),
    ("feedback_received", gettext_lazy("Phản ánh, kiến nghị nhận được")),
    ("feedback_answered", gettext_lazy("Phản ánh đã trả lời")),
    ("feedback_answered_on_time", gettext_lazy("Phản ánh trả lời đúng hạn")),
    ("feedback_late", gettext_lazy("Phản ánh trả lời muộn hoặc đang quá hạn")),
    ("feedback_on_time_rate", gettext_lazy("Tỷ lệ phản ánh trả lời đúng hạn")),
]


def feedback_table(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> dict[str, Any]:
    """Counts per unit for the period (received in [start, end]), for the
    exports (dashboards/providers.py). One query; units without feedback are
    left out."""
    per_unit: list[dict[str, Any]] = [
        dict(r)
        for r in _received_in(org_units, start, end)
        .values("org_unit__agency_code", "org_unit__name")
        .annotate(**_counts())
        .order_by("org_unit__agency_code")
    ]
    rows = [
        [
            r["org_unit__agency_code"],
            r["org_unit__name"],
            start,
            end,
            r["received"],
            r["answered"],
            r["answered_on_time"],
            r["late"],
            r["answered_on_time"] / r["answered"] if r["answered"] else None,
        ]
        for r in per_unit
    ]
    return {
        "title": _("Phản ánh theo đơn vị"),
        "columns": _TABLE_COLUMNS,
        "rows": rows,
    }
