"""Reads of the catalogue: search, one procedure, export, guides, questions,
announcements, the units where citizens file."""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Collate, Length
from django.http import Http404
from django.utils import timezone

from portal.db import PreparedRead
from units.models import ONE_STOP_KINDS, AdminUnit, OrgUnit
from units.selectors import province_id_of, receiving_q, valid_on_q

from .catalogue_data import (
    DOCUMENT_DEFAULTS,
    FORMAT,
    PROCEDURE_DEFAULTS,
    STEP_DEFAULTS,
    VERSION,
    date_to_json,
    days_to_json,
)
from .models import (
    Announcement,
    AnywhereInProvince,
    Faq,
    Field,
    Guide,
    GuideStep,
    LifeEvent,
    LinkedStep,
    Procedure,
)
from .schema import schema_condition_holds
from .text import CODE_RE, normalize

MAX_QUERY_LENGTH = 200


def _binary(name: str) -> Collate:
    """Byte order, the same on both databases (the columns hold plain ASCII)."""
    return Collate(F(name), "C" if connection.vendor == "postgresql" else "BINARY")


def procedure_search(
    *,
    q: str = "",
    field: str = "",
    life_event: str = "",
    agency_level: str = "",
    agency_type: str = "",
    kind: str = "",
    essential: bool | None = None,
) -> QuerySet[Procedure]:
    """Procedures matching the query and filters, best match first.

    Case and diacritics are ignored (đ = d) and the national code matches too.
    Every word must occur, at the start of a word (anywhere, for words with
    digits such as codes). Ranking: the exact code, then the name equal to the
    query, starting with it, containing it, then anything else; shorter names
    first. The same on SQLite and PostgreSQL: both compare the same normalised
    columns with LIKE, and PostgreSQL's trigram index only makes it faster.
    """
    procedures = Procedure.objects.select_related("field")
    if field:
        procedures = procedures.filter(field__code=field)
    if life_event:
        procedures = procedures.filter(life_events__code=life_event)
    if agency_level:
        procedures = procedures.filter(agency_level=agency_level)
    if agency_type:
        procedures = procedures.filter(agency_type=agency_type)
    if kind:
        procedures = procedures.filter(kind=kind)
    if essential is not None:
        procedures = procedures.filter(essential=essential)
    words = normalize(q[:MAX_QUERY_LENGTH]).split()
    if not words:
        return procedures.order_by(
            F("essential_seq").asc(nulls_last=True), _binary("search_name"), "pk"
        )
    for word in words:
        needle = word if any(ch.isdigit() for ch in word) else f" {word}"
        procedures = procedures.filter(search_text__contains=needle)
    phrase = " ".join(words)
    codes = CODE_RE.findall(q)
    rank = Case(
        When(code__in=codes, then=Value(0)),
        When(search_name=phrase, then=Value(1)),
        When(search_name__startswith=phrase, then=Value(2)),
        When(search_name__contains=f" {phrase}", then=Value(3)),
        When(search_text__contains=f" {phrase}", then=Value(4)),
        default=Value(5),
        output_field=IntegerField(),
    )
    return procedures.annotate(rank=rank).order_by(
        "rank", Length("search_name"), _binary("key")
    )


def _code_field(code: str) -> str:
    """A national code (1.000894) or, for procedures without one, the key."""
    return "code" if CODE_RE.fullmatch(code or "") else "key"


def _by_code(code: str) -> Q:
    return Q(**{_code_field(code): code})


def procedure_get(*, code: str) -> Procedure:
    """The procedure with this national code or key, with everything its page
    shows; 404 otherwise."""
    procedure = (
        Procedure.objects.select_related("field")
        .prefetch_related(
            "life_events",
            "documents",
            Prefetch(
                "steps",
                queryset=LinkedStep.objects.select_related("procedure").order_by(
                    "order", "pk"
                ),
            ),
            Prefetch(
                "group_steps",
                queryset=LinkedStep.objects.select_related("group"),
            ),
        )
        .filter(_by_code(code))
        .first()
    )
    if procedure is None:
        raise Http404(code)
    return procedure


def procedure_by_code(*, code: str) -> Procedure | None:
    """The procedure with this national code or key, without what only its page
    shows (life events, documents, steps: a submission or a due date reads what
    it needs). Read at every submission: compiled once (decision 336)."""
    procedure: Procedure | None = _BY[_code_field(code)].first(code=code)
    return procedure


def _procedure_by(name: str) -> PreparedRead:
    return PreparedRead(
        lambda code: Procedure.objects.select_related("field").filter(**{name: code})[
            :1
        ],
        code=str,
    )


_BY = {name: _procedure_by(name) for name in ("code", "key")}


def linked_steps_applying(
    *, group: Procedure, data: dict[str, Any]
) -> list[LinkedStep]:
    """The steps of a linked group that apply to the group's cleaned form data
    (e.g. the applicant chose 3 procedures and the deceased drew a pension)."""
    return [
        step
        for step in group.steps.select_related("procedure").order_by("order", "pk")
        if schema_condition_holds(step.condition, data)
    ]


def fields_with_counts() -> QuerySet[Field]:
    # GROUP BY queries ignore Meta.ordering: the order is given again.
    return (
        Field.objects.annotate(count=Count("procedures"))
        .filter(count__gt=0)
        .order_by("order", "code")
    )


def life_events_with_counts() -> QuerySet[LifeEvent]:
    return (
        LifeEvent.objects.annotate(count=Count("procedures"))
        .filter(count__gt=0)
        .order_by("order", "code")
    )


def agency_types_with_counts() -> list[dict[str, Any]]:
    """[{"agency_type": value, "count": n}] for the agency types in use."""
    rows = Procedure.objects.values("agency_type").annotate(count=Count("pk"))
    return [dict(row) for row in rows.order_by("agency_type")]


# --- Export ----------------------------------------------------------------------


def procedure_to_data(procedure: Procedure) -> dict[str, Any]:
    """The procedure as a catalogue entry (the format of procedures/data/)."""
    data: dict[str, Any] = {}
    for key in PROCEDURE_DEFAULTS:
        if key == "field":
            data[key] = procedure.field.code
        elif key == "life_events":
            data[key] = sorted(event.code for event in procedure.life_events.all())
        elif key == "processing_days":
            data[key] = days_to_json(procedure.processing_days)
        elif key in ("listed_from", "listed_until"):
            data[key] = date_to_json(getattr(procedure, key))
        elif key == "documents":
            data[key] = [
                {k: getattr(doc, k) for k in DOCUMENT_DEFAULTS}
                for doc in sorted(
                    procedure.documents.all(), key=lambda d: (d.order, d.pk)
                )
            ]
        elif key == "steps":
            data[key] = [
                {
                    k: (
                        step.procedure.url_code
                        if k == "procedure"
                        else days_to_json(step.processing_days)
                        if k == "processing_days"
                        else getattr(step, k)
                    )
                    for k in STEP_DEFAULTS
                }
                for step in sorted(procedure.steps.all(), key=lambda s: (s.order, s.pk))
            ]
        else:
            data[key] = getattr(procedure, key)
    return data


def catalogue_export() -> dict[str, Any]:
    """The whole catalogue as one document that `catalogue_import` takes back."""
    procedures = (
        Procedure.objects.select_related("field")
        .prefetch_related(
            "life_events",
            "documents",
            Prefetch("steps", queryset=LinkedStep.objects.select_related("procedure")),
        )
        .order_by(F("essential_seq").asc(nulls_last=True), "key")
    )
    guides = Guide.objects.select_related("procedure").prefetch_related("steps")
    return {
        "format": FORMAT,
        "version": VERSION,
        "fields": [
            {"code": f.code, "name": f.name, "name_en": f.name_en}
            for f in Field.objects.all()
        ],
        "life_events": [
            {"code": e.code, "name": e.name, "name_en": e.name_en}
            for e in LifeEvent.objects.all()
        ],
        "procedures": [procedure_to_data(p) for p in procedures],
        "guides": [
            {
                "slug": guide.slug,
                "title": guide.title,
                "title_en": guide.title_en,
                "summary": guide.summary,
                "summary_en": guide.summary_en,
                "procedure": guide.procedure.url_code if guide.procedure else "",
                "is_published": guide.is_published,
                "steps": [
                    {
                        "text": step.text,
                        "text_en": step.text_en,
                        "image": step.image,
                        "image_alt": step.image_alt,
                        "image_alt_en": step.image_alt_en,
                    }
                    for step in guide.steps.all()
                ],
            }
            for guide in guides
        ],
    }


# --- Guides and announcements ----------------------------------------------------


def guides_published() -> QuerySet[Guide]:
    return Guide.objects.filter(is_published=True).select_related("procedure")


def guide_get(*, slug: str) -> Guide:
    guide = (
        guides_published()
        .prefetch_related(
            Prefetch("steps", queryset=GuideStep.objects.order_by("order"))
        )
        .filter(slug=slug)
        .first()
    )
    if guide is None:
        raise Http404(slug)
    return guide


def _published_q(now: datetime.datetime) -> Q:
    return Q(published_from__lte=now) & (
        Q(published_until__isnull=True) | Q(published_until__gt=now)
    )


def announcements_published(
    *, now: datetime.datetime | None = None
) -> QuerySet[Announcement]:
    """Announcements shown now, newest first."""
    return (
        Announcement.objects.filter(_published_q(now or timezone.now()))
        .select_related("org_unit", "admin_unit")
        .order_by("-published_from", "-pk")
    )


def announcements_for_org_unit(
    *, org_unit: OrgUnit, now: datetime.datetime | None = None
) -> QuerySet[Announcement]:
    """The agency's own notices and those of the areas it lies in."""
    area_ids = [int(pk) for pk in org_unit.admin_unit.path.strip("/").split("/") if pk]
    return announcements_published(now=now).filter(
        Q(org_unit=org_unit) | Q(admin_unit_id__in=area_ids)
    )


def announcement_get(*, pk: int, now: datetime.datetime | None = None) -> Announcement:
    announcement = announcements_published(now=now).filter(pk=pk).first()
    if announcement is None:
        raise Http404(pk)
    return announcement


def org_unit_get(*, agency_code: str) -> OrgUnit:
    org_unit = (
        OrgUnit.objects.select_related("admin_unit", "parent")
        .filter(agency_code=agency_code, is_active=True)
        .first()
    )
    if org_unit is None:
        raise Http404(agency_code)
    return org_unit


def org_units_active() -> QuerySet[OrgUnit]:
    """Active units in force today."""
    return OrgUnit.objects.filter(
        valid_on_q(timezone.localdate()), is_active=True
    ).select_related("admin_unit")


def org_units_receiving() -> QuerySet[OrgUnit]:
    """Units where citizens file today, by area: in force, of an agency type that
    receives a procedure filed on the portal (the wizard's rule, see
    dossiers.selectors.receiving_units_for)."""
    receiving = Procedure.objects.filter(submittable=True).values("agency_type")
    return (
        OrgUnit.objects.filter(
            receiving_q(timezone.localdate()), agency_type__in=receiving
        )
        .select_related("admin_unit")
        .order_by("admin_unit__path", "agency_type", "name")
    )


# --- Questions people ask ---------------------------------------------------------


def faqs_for_procedure(*, procedure: Procedure) -> QuerySet[Faq]:
    return Faq.objects.filter(procedure=procedure, is_published=True).order_by(
        "order", "pk"
    )


def faqs_published(*, q: str = "") -> list[Faq]:
    """Published questions in catalogue order, grouped by procedure.

    With `q`: those whose question, answer or procedure hold every word, as the
    catalogue's search matches (diacritics ignored, words from their start). A
    district has tens of them, so they are matched here rather than in SQL.
    """
    faqs = list(
        Faq.objects.filter(is_published=True)
        .select_related("procedure")
        .order_by(
            F("procedure__essential_seq").asc(nulls_last=True),
            "procedure__key",
            "order",
            "pk",
        )
    )
    words = normalize(q[:MAX_QUERY_LENGTH]).split()
    if not words:
        return faqs
    needles = [w if any(ch.isdigit() for ch in w) else f" {w}" for w in words]
    found = []
    for faq in faqs:
        parts = [faq.question, faq.question_en, faq.answer, faq.answer_en]
        parts += [faq.procedure.code, faq.procedure.name, faq.procedure.name_en]
        text = f" {normalize(' '.join(parts))} "
        if all(needle in text for needle in needles):
            found.append(faq)
    return found


# --- Where a procedure may be filed (issue 17, point 3) --------------------------


def anywhere_province_ids(*, procedure: Procedure, day: datetime.date) -> set[int]:
    """The provinces whose list of procedures received regardless of
    administrative boundary holds `procedure` on `day`."""
    return set(
        AnywhereInProvince.objects.filter(procedure=procedure, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .values_list("province_id", flat=True)
    )


@dataclass(frozen=True)
class Place:
    """A unit where `procedure` may be filed on a day; `anywhere_in_province`
    when the province's list opens it to citizens of any commune of the
    province, not only to those of its own area."""

    unit: OrgUnit
    anywhere_in_province: bool


def procedure_places(
    *,
    procedure: Procedure,
    day: datetime.date,
    province: AdminUnit | None = None,
) -> list[Place]:
    """Where `procedure` may be filed on `day`: the units that receive its agency
    type (for the applicant's own area), and, in a province that lists it, every
    centre and reception point of the province. With `province`, those located
    in it. Two queries."""
    listed = anywhere_province_ids(procedure=procedure, day=day)
    where = Q(agency_type=procedure.agency_type)
    for province_id in listed:
        where |= Q(
            kind__in=ONE_STOP_KINDS, admin_unit__path__startswith=f"/{province_id}/"
        )
    units = OrgUnit.objects.filter(receiving_q(day)).filter(where)
    if province is not None:
        units = units.filter(admin_unit__path__startswith=province.path)
    units = units.select_related("admin_unit").order_by(
        "admin_unit__path", "kind", "name"
    )
    return [
        Place(
            unit=unit,
            anywhere_in_province=unit.is_one_stop
            and province_id_of(unit.admin_unit) in listed,
        )
        for unit in units
    ]
