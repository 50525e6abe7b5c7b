"""Fill `Dossier.competent_unit` of the dossiers filed before it existed (issue
17, point 2): the unit the dossier was forwarded to, else the one that received
it, which decided it then. A dossier received before the reform keeps its units
of before: nothing is re-routed to today's agencies."""

from django.db import migrations
from django.db.models import F
from django.db.models.functions import Coalesce


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Dossier.objects.filter(competent_unit__isnull=True).update(
        competent_unit_id=Coalesce(F("processing_unit_id"), F("receiving_unit_id"))
    )


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0011_dossier_competent_unit")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
