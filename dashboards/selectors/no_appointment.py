"""The "no writing, no appointment" day's figures (issue 22, point 5): of the
dossiers received on a centre's day before its cut-off, and so due that day
(`Dossier.no_appointment_same_day`, set at receipt), how many had their result
that same day. A dashboards provider (`DashboardsConfig.stats_providers`): one
query on the dossiers of the selection's receiving units received in the
period, not a pre-aggregated bucket, because these are a few dossiers a week
per centre (docs/dashboards.md)."""

import datetime
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from dossiers.models import Dossier
from units.models import OrgUnit

from ..metrics.facts import RESULT_STATUSES


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def no_appointment_counts(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> dict[str, int]:
    """Received on the day before its cut-off in [start, end] (receipt day, local
    time), and of those, the ones whose result was issued (result ready or
    returned) on their receipt day. One query."""
    tz = timezone.get_current_timezone()
    counts = (
        Dossier.objects.filter(
            receiving_unit__in=org_units,
            no_appointment_same_day=True,
            received_at__gte=_day_start(start),
            received_at__lt=_day_start(end + datetime.timedelta(days=1)),
        )
        .annotate(
            received_on=TruncDate("received_at", tzinfo=tz),
            completed_on=TruncDate("completed_at", tzinfo=tz),
        )
        .aggregate(
            received=Count("pk"),
            same_day=Count(
                "pk",
                filter=Q(status__in=RESULT_STATUSES, completed_on=F("received_on")),
            ),
        )
    )
    return {"received": counts["received"] or 0, "same_day": counts["same_day"] or 0}


def no_appointment_figures(
    *, org_units: QuerySet[OrgUnit], start: datetime.date, end: datetime.date
) -> list[dict[str, Any]]:
    counts = no_appointment_counts(org_units=org_units, start=start, end=end)
    received = counts["received"]
    return [
        {
            "key": "no_appointment_received",
            "label": _("Hồ sơ hẹn trả trong ngày “không viết, không hẹn”"),
            "value": received,
            "unit": "",
            "formula": _(
                "Hồ sơ tiếp nhận trong kỳ vào ngày “không viết, không hẹn” của "
                "trung tâm, trước giờ hạn, nên hẹn trả ngay trong ngày."
            ),
        },
        {
            "key": "no_appointment_same_day",
            "label": _("Trả kết quả trong ngày “không viết, không hẹn”"),
            "value": counts["same_day"],
            "unit": "",
            "formula": _(
                "Trong số đó, hồ sơ có kết quả (đã có kết quả hoặc đã trả) ngay "
                "trong ngày tiếp nhận."
            ),
        },
        {
            "key": "no_appointment_same_day_rate",
            "label": _("Tỷ lệ trả kết quả trong ngày “không viết, không hẹn”"),
            "value": counts["same_day"] / received if received else None,
            "unit": "rate",
            "formula": _("Trả kết quả trong ngày / hồ sơ hẹn trả trong ngày."),
        },
    ]
