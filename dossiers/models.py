"""Dossiers and the working-day calendar's overrides."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """An administrator's correction to the working-day calendar.

    Public holidays come from the `holidays` package. This table adds what it does
    not know: extra days off, and Saturdays worked in exchange for a swapped day
    off (e.g. 2025-04-26), which count as working days.
    """

    date = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(_("là ngày làm việc"))
    reason = models.CharField(_("lý do"), max_length=200)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("ngày điều chỉnh lịch làm việc")
        verbose_name_plural = _("ngày điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.reason}"
