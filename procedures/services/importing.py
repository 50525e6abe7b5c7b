"""Importing a checked catalogue document, all or nothing, and loading the
reviewed reference data."""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ..catalogue_data import (
    date_from_json,
    days_from_json,
    read_data_dir,
)
from ..models import (
    Document,
    Field,
    Guide,
    GuideStep,
    LifeEvent,
    LinkedStep,
    Procedure,
)
from ..selectors import procedure_to_data
from .checking import PLAIN_FIELDS, catalogue_checked, procedure_find
from .edits import procedure_save


class CatalogueError(Exception):
    """The data cannot be imported; nothing was saved. One message per problem."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass
class ImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    # Edited in the portal since the last load, and left as they are.
    kept_local_edits: list[str] = field(default_factory=list)


# --- Import -----------------------------------------------------------------------


def _resolve(reference: str) -> Procedure:
    if reference[:1].isdigit():
        return Procedure.objects.get(code=reference)
    return Procedure.objects.get(key=reference)


def _write_procedure(entry: dict[str, Any], existing: Procedure | None) -> Procedure:
    procedure = existing or Procedure()
    for key in PLAIN_FIELDS:
        setattr(procedure, key, entry[key])
    # The 53 essential services are the entries with a row number in the list.
    procedure.essential = entry["essential_seq"] is not None
    procedure.processing_days = days_from_json(entry["processing_days"])
    procedure.form_schema = entry["form_schema"]
    procedure.listed_from = date_from_json(entry["listed_from"])
    procedure.listed_until = date_from_json(entry["listed_until"])
    procedure.field = Field.objects.get(code=entry["field"])
    procedure_save(procedure=procedure, edited_locally=False)
    procedure.life_events.set(LifeEvent.objects.filter(code__in=entry["life_events"]))
    kept = []
    for order, doc in enumerate(entry["documents"], start=1):
        document, _created = Document.objects.update_or_create(
            procedure=procedure, key=doc["key"], defaults={**doc, "order": order}
        )
        kept.append(document.pk)
    procedure.documents.exclude(pk__in=kept).delete()
    return procedure


def _write_steps(procedure: Procedure, steps: list[dict[str, Any]]) -> None:
    procedure.steps.all().delete()
    for step in steps:
        values = {k: v for k, v in step.items() if k != "procedure"}
        values["processing_days"] = days_from_json(step["processing_days"])
        LinkedStep.objects.create(
            group=procedure, procedure=_resolve(step["procedure"]), **values
        )


def _write_guides(guides: list[dict[str, Any]]) -> None:
    for entry in guides:
        values = {k: v for k, v in entry.items() if k not in {"slug", "steps"}}
        values["procedure"] = (
            _resolve(entry["procedure"]) if entry["procedure"] else None
        )
        guide, _created = Guide.objects.update_or_create(
            slug=entry["slug"], defaults=values
        )
        guide.steps.all().delete()
        GuideStep.objects.bulk_create(
            GuideStep(guide=guide, order=order, **step)
            for order, step in enumerate(entry["steps"], start=1)
        )


@transaction.atomic
def catalogue_import(*, data: Any, keep_local_edits: bool = False) -> ImportReport:
    """Create or update everything in a catalogue document, by code or key.

    All or nothing: any problem raises CatalogueError and nothing is saved.
    With `keep_local_edits`, procedures edited in the portal since the last
    import are left as they are. Importing the same document twice changes
    nothing. Procedures missing from the document are never deleted.
    """
    prepared, errors = catalogue_checked(data)
    if errors:
        raise CatalogueError(errors)
    for kind, model in (("fields", Field), ("life_events", LifeEvent)):
        for order, entry in enumerate(prepared[kind], start=1):
            model.objects.update_or_create(
                code=entry["code"],
                defaults={
                    "name": entry["name"],
                    "name_en": entry["name_en"],
                    "order": order,
                },
            )
    report = ImportReport()
    written: list[tuple[Procedure, dict[str, Any]]] = []
    for entry in prepared["procedures"]:
        existing = procedure_find(entry)
        if existing is not None and procedure_to_data(existing) == entry:
            report.unchanged.append(entry["key"])
            continue
        if existing is not None and keep_local_edits and existing.locally_edited:
            report.kept_local_edits.append(entry["key"])
            continue
        written.append((_write_procedure(entry, existing), entry))
        (report.updated if existing else report.created).append(entry["key"])
    # Steps last: they may name procedures written after their group.
    for procedure, entry in written:
        _write_steps(procedure, entry["steps"])
    _write_guides(prepared["guides"])
    return report


def catalogue_load_reference(*, overwrite: bool = False) -> ImportReport:
    """Load procedures/data/ (the reviewed facts). Safe to run again; entries
    edited in the portal are kept unless `overwrite`."""
    return catalogue_import(data=read_data_dir(), keep_local_edits=not overwrite)
