from django.db import models
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
