"""Writes to the administrative tree and to organisation units."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from .models import AdminUnit, AgencyType, OrgUnit, OrgUnitKind


def _place(unit: AdminUnit) -> None:
    parent = unit.parent
    unit.depth = 0 if parent is None else parent.depth + 1
    unit.path = f"{parent.path if parent else '/'}{unit.pk}/"


@transaction.atomic
def admin_unit_upsert(
    *,
    code: str,
    name: str,
    kind: str,
    parent: AdminUnit | None,
    valid_from: datetime.date | None,
    valid_to: datetime.date | None = None,
    source: str = "",
    note: str = "",
) -> AdminUnit:
    """Create the unit (code, valid_from) or bring its facts up to date."""
    unit = AdminUnit.objects.filter(code=code, valid_from=valid_from).first()
    if unit is None:
        unit = AdminUnit(code=code, valid_from=valid_from)
    unit.name = name
    unit.kind = kind
    unit.parent = parent
    unit.valid_to = valid_to
    unit.source = source
    unit.note = note
    old_path = unit.path
    if unit.pk is None:
        unit.path = "/"
        unit.save()
    _place(unit)
    unit.save()
    if old_path and old_path != unit.path:
        # Moved under another parent: its subtree moves with it.
        for below in AdminUnit.objects.filter(path__startswith=old_path).exclude(
            pk=unit.pk
        ):
            below.path = unit.path + below.path[len(old_path) :]
            below.depth = below.path.count("/") - 2
            below.save(update_fields=["path", "depth"])
    return unit


def admin_unit_bulk_insert(*, units: list[AdminUnit]) -> list[AdminUnit]:
    """Insert many new units at once (their parents must already be placed)."""
    for unit in units:
        unit.path = "/"
    created = AdminUnit.objects.bulk_create(units)
    for unit in created:
        _place(unit)
    AdminUnit.objects.bulk_update(created, ["depth", "path"])
    return created


@transaction.atomic
def org_unit_upsert(
    *,
    agency_code: str,
    name: str,
    agency_type: AgencyType | str,
    admin_unit: AdminUnit,
    parent: OrgUnit | None = None,
    note: str = "",
    kind: OrgUnitKind | str = "",
    valid_from: datetime.date | None = None,
    valid_to: datetime.date | None = None,
) -> OrgUnit:
    """Create the organisation unit with this agency code, or update it. Without
    `kind`, the kind its agency type names (the units of before the reform)."""
    org_unit = OrgUnit(
        agency_code=agency_code,
        name=name,
        agency_type=agency_type,
        kind=kind or agency_type,
        admin_unit=admin_unit,
        parent=parent,
        note=note,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    # The shapes a database would refuse (agency code, dates), with the reason.
    org_unit.clean_fields(exclude=["admin_unit", "parent", "successors"])
    org_unit.validate_constraints(exclude=["agency_code"])
    org_unit, _created = OrgUnit.objects.update_or_create(
        agency_code=agency_code,
        defaults={
            "name": name,
            "agency_type": agency_type,
            "kind": kind or agency_type,
            "admin_unit": admin_unit,
            "parent": parent,
            "note": note,
            "valid_from": valid_from,
            "valid_to": valid_to,
        },
    )
    return org_unit


CONTACT_FIELDS = [
    "address",
    "phone",
    "opening_hours",
    "opening_hours_en",
    "latitude",
    "longitude",
    "contact_verified",
]


@transaction.atomic
def org_unit_set_contact(
    *,
    org_unit: OrgUnit,
    address: str,
    phone: str,
    opening_hours: str,
    opening_hours_en: str = "",
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    verified: bool = False,
) -> OrgUnit:
    """Replace the unit's contacts (shown on /help/); refused if malformed."""
    org_unit.address = address
    org_unit.phone = phone
    org_unit.opening_hours = opening_hours
    org_unit.opening_hours_en = opening_hours_en
    org_unit.latitude = latitude
    org_unit.longitude = longitude
    org_unit.contact_verified = verified
    org_unit.full_clean(validate_unique=False)
    org_unit.save(update_fields=CONTACT_FIELDS)
    return org_unit


# --- Reference data ---------------------------------------------------------------

DATA_DIR = Path(__file__).resolve().parent / "data"
# The national tree after the 2025 reorganisation (34 provinces, no districts).
NATIONAL_TREE_VALID_FROM = datetime.date(2025, 7, 1)
NATIONAL_TREE_SOURCE = "vietnam-provinces {version} (data {data_version})"


def _unit_key(ref: str) -> tuple[str, datetime.date | None]:
    """Parse "code@YYYY-MM-DD" (or "code@" for a unit whose start is unknown)."""
    code, _sep, day = ref.partition("@")
    return code.strip(), datetime.date.fromisoformat(day) if day.strip() else None


def _optional_date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text.strip() else None


@transaction.atomic
def admin_units_load_national_tree() -> int:
    """Load the current tree from vietnam-provinces. Idempotent; returns rows added."""
    import vietnam_provinces as vp

    source = NATIONAL_TREE_SOURCE.format(
        version=vp.__version__, data_version=vp.__data_version__
    )
    existing = {
        unit.code: unit
        for unit in AdminUnit.objects.filter(valid_from=NATIONAL_TREE_VALID_FROM)
    }
    provinces: dict[int, AdminUnit] = {}
    added = 0
    for province in vp.Province.iter_all():
        code = f"{int(province.code):02d}"
        name = province.name
        kind = province.division_type.value
        if kind == "tỉnh" and not name.startswith("Tỉnh "):
            name = f"Tỉnh {name}"
        if code not in existing:
            added += 1
            existing[code] = admin_unit_upsert(
                code=code,
                name=name,
                kind=kind,
                parent=None,
                valid_from=NATIONAL_TREE_VALID_FROM,
                source=source,
            )
        provinces[int(province.code)] = existing[code]
    new_wards = [
        AdminUnit(
            code=f"{int(ward.code):05d}",
            name=ward.name,
            kind=ward.division_type.value,
            parent=provinces[int(ward.province_code)],
            valid_from=NATIONAL_TREE_VALID_FROM,
            source=source,
        )
        for ward in vp.Ward.iter_all()
        if f"{int(ward.code):05d}" not in existing
    ]
    admin_unit_bulk_insert(units=new_wards)
    return added + len(new_wards)


@transaction.atomic
def admin_units_load_csv(path: Path) -> int:
    """Load dated units from a reviewed CSV file (see units/data/). Idempotent.

    Columns: code, name, kind, parent ("code@valid_from"), valid_from, valid_to,
    successors ("code@valid_from" separated by ";"), source, note.
    """
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    units: dict[tuple[str, datetime.date | None], AdminUnit] = {}

    def find(ref: str) -> AdminUnit:
        key = _unit_key(ref)
        if key not in units:
            units[key] = AdminUnit.objects.get(code=key[0], valid_from=key[1])
        return units[key]

    for row in rows:
        unit = admin_unit_upsert(
            code=row["code"].strip(),
            name=row["name"].strip(),
            kind=row["kind"].strip(),
            parent=find(row["parent"]) if row["parent"].strip() else None,
            valid_from=_optional_date(row["valid_from"]),
            valid_to=_optional_date(row["valid_to"]),
            source=row["source"].strip(),
            note=row["note"].strip(),
        )
        units[(unit.code, unit.valid_from)] = unit
    for row in rows:
        unit = units[(row["code"].strip(), _optional_date(row["valid_from"]))]
        refs = [ref for ref in row["successors"].split(";") if ref.strip()]
        unit.successors.set([find(ref) for ref in refs])
    return len(rows)


@transaction.atomic
def org_units_load_csv(*paths: Path) -> int:
    """Load organisation units from reviewed CSV files. Idempotent by agency code.

    Columns: agency_code, name, agency_type, admin_unit ("code@valid_from"),
    parent (agency code), note; optional: kind (else the agency type's),
    valid_from, valid_to, successors (agency codes separated by ";", in any of
    the files). Parents must come before their children.
    """
    rows: list[dict[str, str]] = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            rows += list(csv.DictReader(handle))
    loaded: dict[str, OrgUnit] = {}
    for row in rows:
        code, valid_from = _unit_key(row["admin_unit"])
        parent_code = row["parent"].strip()
        org_unit = org_unit_upsert(
            agency_code=row["agency_code"].strip(),
            name=row["name"].strip(),
            agency_type=row["agency_type"].strip(),
            admin_unit=AdminUnit.objects.get(code=code, valid_from=valid_from),
            parent=loaded[parent_code] if parent_code else None,
            note=row["note"].strip(),
            kind=(row.get("kind") or "").strip(),
            valid_from=_optional_date(row.get("valid_from") or ""),
            valid_to=_optional_date(row.get("valid_to") or ""),
        )
        loaded[org_unit.agency_code] = org_unit
    for row in rows:
        if "successors" not in row:
            continue
        refs = [ref.strip() for ref in row["successors"].split(";") if ref.strip()]
        loaded[row["agency_code"].strip()].successors.set([loaded[ref] for ref in refs])
    return len(rows)


def units_load_reference() -> dict[str, int]:
    """Load every reference file of the units app; safe to run again."""
    return {
        "national_tree_added": admin_units_load_national_tree(),
        "dated_units": admin_units_load_csv(DATA_DIR / "admin_units_before_2025.csv"),
        "org_units": org_units_load_csv(
            DATA_DIR / "org_units_vu_ban.csv",
            DATA_DIR / "org_units_ninh_binh_2025.csv",
        ),
    }
