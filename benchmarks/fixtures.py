"""What the load needs from one bench database, printed as JSON:
`python -m benchmarks.fixtures` (DATABASE_URL set).

A staff session that passed the TOTP step, API tokens, codes to look up, and a
submission the API accepts (found by cleaning sample values against the
catalogue's forms).
"""

import json
import os
import sys
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402
from django.db import connection  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.services import api_token_create  # noqa: E402
from procedures.models import Procedure  # noqa: E402
from procedures.schema.cleaning import schema_clean  # noqa: E402
from procedures.schema.definitions import leaves  # noqa: E402

OFFICER = "motcua.xavuban"
CITIZEN = "036085012345"
STATS = "thongke.vuban"
SAMPLES = 2000


def staff_cookie(username: str) -> str:
    """A session cookie of a staff user who passed the TOTP step."""
    user = User.objects.get(username=username)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    assert device is not None, username  # noqa: S101 - seed_demo creates it
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


SAMPLE = {
    "text": "Nguyễn Văn Thử",
    "textarea": "Nội dung thử tải.",
    "number": 1,
    "date": "1990-01-01",
    "yesno": False,
    "phone": "0912345678",
    "email": "thu.tai@example.vn",
    "personal_id": "036090001234",
    "admin_unit": "13741",
}


FEMALE = {"mother", "wife"}


def sample_data(schema: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for leaf in leaves(schema):
        if leaf.type == "file":
            continue
        if leaf.type == "select":
            choices = [c["value"] for c in leaf.field.get("choices", [])]
            # Men: the sample personal ID number's sex digit says male.
            value = "male" if "male" in choices else (choices or [""])[0]
        elif leaf.type == "personal_id" and leaf.name.split(".")[0] in FEMALE:
            value = "036190001234"  # the sex digit of a woman born in the 1900s
        else:
            value = SAMPLE.get(leaf.type, "x")
        head, dot, rest = leaf.name.partition(".")
        if dot:
            data.setdefault(head, {})[rest] = value
        else:
            data[leaf.name] = value
    return data


def submission(unit_code: str, agency_type: str) -> dict[str, Any]:
    """A procedure of the unit's type whose form takes the sample values."""
    for procedure in Procedure.objects.filter(
        submittable=True, kind="single", agency_type=agency_type
    ).order_by("pk"):
        schema = procedure.form_schema or {}
        if any(leaf.type == "file" and leaf.required for leaf in leaves(schema)):
            continue
        data = sample_data(schema)
        _cleaned, errors = schema_clean(schema, data)
        if errors:
            continue
        body = {
            "procedure": procedure.code or procedure.key,
            "unit": unit_code,
            "data": data,
        }
        # The API must take it (201), or the bench would measure refusals.
        client = APIClient()
        client.force_authenticate(User.objects.get(username=CITIZEN))
        if client.post("/api/v1/dossiers/", body, format="json").status_code == 201:
            return body
    raise SystemExit(f"no procedure of {agency_type} takes the sample values")


def sample_codes(where: str, params: list[Any]) -> list[tuple[str, str]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT code, phone_last4 FROM dossiers_dossier TABLESAMPLE SYSTEM (2) "
            f"WHERE {where} LIMIT %s",
            [*params, SAMPLES],
        )
        rows = [(str(c), str(p)) for c, p in cursor.fetchall()]
    if len(rows) < 50:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT code, phone_last4 FROM dossiers_dossier "
                f"WHERE {where} ORDER BY id DESC LIMIT %s",
                [*params, SAMPLES],
            )
            rows = [(str(c), str(p)) for c, p in cursor.fetchall()]
    return rows


def main() -> None:
    officer = User.objects.select_related("org_unit").get(username=OFFICER)
    unit = officer.org_unit
    assert unit is not None  # noqa: S101 - seed_demo gives officers a unit
    citizen = User.objects.get(username=CITIZEN)
    procedure = Procedure.objects.filter(submittable=True, kind="single").first()
    assert procedure is not None  # noqa: S101
    out = {
        "officer": OFFICER,
        "officer_cookie": staff_cookie(OFFICER),
        "citizen_token": api_token_create(user=citizen),
        "stats_token": api_token_create(user=User.objects.get(username=STATS)),
        "track": sample_codes("phone_last4 <> ''", []),
        "detail": [c for c, _p in sample_codes("receiving_unit_id = %s", [unit.pk])],
        "submit": submission(unit.agency_code, unit.agency_type),
        "insert": {
            "procedure": procedure.pk,
            "applicant": citizen.pk,
            "unit": unit.pk,
            "admin_unit": unit.admin_unit_id,
        },
    }
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
