import functools
from typing import Any

from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import gettext_lazy as _


class WorkerHeartbeat(models.Model):
    """The last time each Celery worker ran the heartbeat task (sent by beat)."""

    hostname = models.CharField(_("máy xử lý"), max_length=255, unique=True)
    last_seen = models.DateTimeField(_("lần cuối"))

    class Meta:
        verbose_name = _("nhịp hoạt động của worker")
        verbose_name_plural = _("nhịp hoạt động của worker")

    def __str__(self) -> str:
        return self.hostname


class RetentionRun(models.Model):
    """One pass of the retention purge (portal/retention.py): what it removed,
    up to which date, and who started it. Rows are only ever appended."""

    class Trigger(models.TextChoices):
        PERIODIC = "periodic", _("Tác vụ định kỳ")
        COMMAND = "command", _("Lệnh quản trị")

    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"), null=True, blank=True)
    trigger = models.CharField(_("khởi chạy bởi"), max_length=10, choices=Trigger)
    dry_run = models.BooleanField(_("chỉ đếm, không xóa"), default=False)
    # {category: number removed (or that would be, in a dry run)}
    counts = models.JSONField(_("số lượng đã xóa"), default=dict)
    # {category: ISO date-time before which it was removed, or null when kept}
    cutoffs = models.JSONField(_("mốc thời hạn"), default=dict)

    class Meta:
        verbose_name = _("lần xóa dữ liệu hết hạn lưu")
        verbose_name_plural = _("các lần xóa dữ liệu hết hạn lưu")
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.trigger}"


class ChoiceLabels:
    """`get_FOO_display()` from a mapping of each field's choices built once.

    Django's builds a dict of the field's choices on every call, hashing each
    lazily translated label, so translating every one of them: 13 statuses
    translated to show one, about 50–100 µs a call, twice per row of the officer's
    queue (decision 336). The labels stay lazy: each call translates its own into
    the language active then. Fields whose choices are computed (a callable) are
    left to Django.
    """

    def _get_FIELD_display(self, field: models.Field[Any, Any]) -> Any:
        labels = _choice_labels(field)
        if labels is None:
            return super()._get_FIELD_display(field)  # type: ignore[misc]
        value = getattr(self, field.attname)
        return force_str(labels.get(make_hashable(value), value), strings_only=True)


@functools.cache
def _choice_labels(field: models.Field[Any, Any]) -> dict[Any, Any] | None:
    if not isinstance(field.choices, (list, tuple)):
        return None
    return dict(make_hashable(field.flatchoices))
