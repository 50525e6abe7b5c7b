"""Saturdays worked in exchange for a swapped day off (holidays.md).

The swapped days off themselves (2024-04-29, 2025-05-02, 2026-08-31) are in the
`holidays` package; the Saturdays worked in exchange are working days it does not
know about.
"""

import datetime

from django.db import migrations

SWAP_SATURDAYS = [
    (
        datetime.date(2024, 5, 4),
        "Làm bù cho ngày nghỉ 29/04/2024",
        "Công văn 2450/VPCP-KGVX (2024), as cited by the holidays package",
    ),
    (
        datetime.date(2025, 4, 26),
        "Làm bù cho ngày nghỉ 02/05/2025",
        "Thông báo 6150/TB-BLĐTBXH (2024), as cited by the holidays package",
    ),
    (
        datetime.date(2026, 8, 22),
        "Làm bù cho ngày nghỉ 31/08/2026",
        "holidays package 0.109 (VN swap days 2026)",
    ),
]


def add_swap_saturdays(apps, schema_editor):
    CalendarDay = apps.get_model("dossiers", "CalendarDay")
    for day, reason, source in SWAP_SATURDAYS:
        CalendarDay.objects.update_or_create(
            date=day,
            defaults={"is_working_day": True, "reason": reason, "source": source},
        )


def remove_swap_saturdays(apps, schema_editor):
    CalendarDay = apps.get_model("dossiers", "CalendarDay")
    CalendarDay.objects.filter(
        date__in=[day for day, _r, _s in SWAP_SATURDAYS]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0001_calendar_day")]

    operations = [migrations.RunPython(add_swap_saturdays, remove_swap_saturdays)]
