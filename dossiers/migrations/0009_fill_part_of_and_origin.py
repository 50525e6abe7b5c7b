"""Fill the two facts that were guessed before (issue 16):

- `Dossier.part_of` and `awaits_officer` of the parts of linked dossiers, from the
  submit event `dossier_part_open` wrote (`details["linked_from"]`, the linked
  dossier's code, and `details["awaits_officer"]`); every revision of a step has
  one.
- `Event.origin`: the import's rows (no actor, `details` with the file and line)
  stay "import" (the column's default); no actor is the portal itself (system);
  the applicant is the citizen; anyone else an officer.
"""

from django.db import migrations
from django.db.models import F


def fill(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    Event = apps.get_model("dossiers", "Event")
    submits = Event.objects.filter(
        action="submit", details__has_key="linked_from"
    ).values_list("dossier_id", "details")
    codes = {}
    for dossier_id, details in submits.iterator():
        codes[dossier_id] = (
            str(details.get("linked_from", "")),
            details.get("awaits_officer") is not False,
        )
    parents = dict(
        Dossier.objects.filter(
            code__in={code for code, _awaits in codes.values()}
        ).values_list("code", "pk")
    )
    for dossier_id, (code, awaits) in codes.items():
        if code in parents:
            Dossier.objects.filter(pk=dossier_id).update(
                part_of_id=parents[code], awaits_officer=awaits
            )

    imported = Event.objects.filter(
        actor__isnull=True, details__has_key="source"
    ).filter(details__has_key="line")
    Event.objects.filter(actor__isnull=True).exclude(
        pk__in=imported.values("pk")
    ).update(origin="system")
    Event.objects.filter(actor__isnull=False).update(origin="officer")
    Event.objects.filter(
        actor__isnull=False, actor_id=F("dossier__applicant_id")
    ).update(origin="citizen")


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0008_part_of_and_origin")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
