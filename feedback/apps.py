from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = _("Phản ánh, kiến nghị")
    default_auto_field = "django.db.models.BigAutoField"
    # Counts per unit and period on the dashboards (dashboards/providers.py).
    stats_providers = ["feedback.stats.feedback_figures"]
    # Counts per unit and period in the dashboards' CSV and XLSX exports.
    export_tables = {"feedback": "feedback.stats.feedback_table"}
