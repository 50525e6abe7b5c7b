"""A citizen downloads all data the portal holds about them, and only theirs
(issue 11 item 8; portal/data_export.py)."""

import hashlib
import io
import json
import zipfile
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import (
    api_token_create,
    data_access_record,
    household_member_add,
    profile_update,
    stored_document_add,
)
from dossiers import services as dossier_services
from dossiers.models import Status
from notifications.services import notify
from payments import services as payment_services
from tests.dossiers.factories import PDF_BYTES, make_dossier, pdf_upload
from tests.procedures.factories import ProcedureFactory

pytestmark = pytest.mark.django_db

PAGE = reverse("portal:data-export")
API = reverse("data-export-api")


def _fill(person, *, officer, specialist, leader, unit, label):
    """Account data of every kind for `person`, marked with `label`."""
    profile_update(
        user=person,
        permanent_address=f"Thôn {label}",
        current_address="",
        commune=None,
        phone=person.phone,
        email=f"{label}@example.com",
    )
    household_member_add(
        owner=person, full_name=f"Con {label}", relation="child", personal_id=""
    )
    stored_document_add(
        owner=person, doc_type="other", title=f"Giấy {label}", file=pdf_upload()
    )
    returned = make_dossier(
        status=Status.RETURNED,
        applicant=person,
        unit=unit,
        officer=officer,
        specialist=specialist,
        leader=leader,
        data={"full_name": person.full_name, "ghi_chu": f"tờ khai {label}"},
    )
    dossier_services.attachment_add(
        uploaded_by=person,
        upload=pdf_upload(f"../../etc/{label}.pdf"),
        document_key="",
        dossier=returned,
    )
    dossier_services.dossier_rate(
        dossier=returned,
        actor=person,
        scores={str(i): 2 for i in range(1, 10)},
        overall="very_satisfied",
        comment=f"tốt {label}",
    )
    fee = make_dossier(
        applicant=person,
        unit=unit,
        procedure=ProcedureFactory(fee_online_vnd=7000, fee_counter_vnd=10000),
    )
    fee = dossier_services.dossier_receive(dossier=fee, actor=officer)
    payment_services.payment_record_cash(dossier=fee, officer=officer)
    notify(
        recipient=person,
        event_key="test",
        template="dossier_received",
        context={"code": fee.code},
        dedup_key=f"export-{label}",
    )
    data_access_record(
        staff=officer, citizen=person, obj_label="hồ sơ", context=f"xem {label}"
    )
    return returned


@pytest.fixture
def two_citizens(citizen, other_citizen, officer, specialist, leader, unit_a):
    mine = _fill(
        citizen,
        officer=officer,
        specialist=specialist,
        leader=leader,
        unit=unit_a,
        label="cuatoi",
    )
    theirs = _fill(
        other_citizen,
        officer=officer,
        specialist=specialist,
        leader=leader,
        unit=unit_a,
        label="nguoikhac",
    )
    return mine, theirs


def _open(response) -> tuple[dict[str, Any], zipfile.ZipFile]:
    assert response.status_code == 200, response
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    return json.loads(archive.read("data.json")), archive


def test_the_zip_holds_every_kind_of_data_and_the_files(client, citizen, two_citizens):
    mine, _theirs = two_citizens
    client.force_login(citizen)

    data, archive = _open(client.post(PAGE))

    assert data["account"]["username"] == citizen.username
    assert data["account"]["phone"] == citizen.phone
    assert data["profile"]["permanent_address"] == "Thôn cuatoi"
    assert [m["full_name"] for m in data["household"]] == ["Con cuatoi"]
    [document] = data["documents"]
    assert archive.read(document["file"]) == PDF_BYTES
    assert hashlib.sha256(PDF_BYTES).hexdigest() == document["sha256"]
    codes = [d["code"] for d in data["dossiers"]]
    assert mine.code in codes
    returned = next(d for d in data["dossiers"] if d["code"] == mine.code)
    assert returned["form_data"] == mine.data
    assert returned["form_data"]
    assert {e["to_status"] for e in returned["events"]} >= {"received", "returned"}
    assert returned["rating"]["comment"] == "tốt cuatoi"
    [attachment] = returned["attachments"]
    # Stored under a name the portal made, never the uploaded one.
    assert ".." not in attachment["file"]
    assert attachment["original_name"].endswith("cuatoi.pdf")
    assert archive.read(attachment["file"]) == PDF_BYTES
    assert archive.read(returned["result"]["file"]).startswith(b"%PDF")
    paid = [d for d in data["dossiers"] if d["payments"]]
    assert paid[0]["payments"][0]["method"] == "cash"
    assert paid[0]["payments"][0]["status"] == "paid"
    assert [n["title"] for n in data["notifications"]]
    assert [a["context"] for a in data["access_log"]] == ["xem cuatoi"]


def test_only_the_citizens_own_data_is_in_it(
    client, citizen, other_citizen, two_citizens
):
    _mine, theirs = two_citizens
    client.force_login(citizen)

    _data, archive = _open(client.post(PAGE))

    text = archive.read("data.json").decode()
    assert theirs.code not in text
    assert "nguoikhac" not in text
    assert other_citizen.username not in text
    assert other_citizen.phone not in text
    assert other_citizen.full_name not in text
    names = archive.namelist()
    assert all(
        not name.endswith("nguoikhac.pdf") for name in names
    )  # no file of theirs
    assert len([n for n in names if n.startswith("documents/")]) == 1


def test_internal_notes_are_not_exported(client, citizen, officer, unit_a):
    dossier = make_dossier(
        status=Status.RECEIVED, applicant=citizen, unit=unit_a, officer=officer
    )
    dossier.events.create(
        action="note", at=timezone.now(), public=False, note="ghi chú nội bộ"
    )
    client.force_login(citizen)

    data, _archive = _open(client.post(PAGE))

    assert "ghi chú nội bộ" not in json.dumps(data, ensure_ascii=False)


def test_the_page_explains_and_offers_the_download(client, citizen):
    client.force_login(citizen)

    page = client.get(PAGE)
    home = client.get(reverse("accounts:account-home"))

    assert page.status_code == 200
    assert "Tải về dữ liệu của tôi" in page.text
    assert 'method="post"' in page.text
    assert PAGE in home.text


def test_the_page_in_english(client, citizen):
    client.force_login(citizen)
    client.cookies["django_language"] = "en"

    page = client.get(PAGE)

    assert "Download my data" in page.text


def test_staff_and_anonymous_users_get_no_export(client, officer):
    assert client.get(PAGE).status_code == 302
    assert client.get(API).status_code == 401
    client.force_login(officer)
    assert client.post(PAGE).status_code == 403
    assert client.get(API).status_code == 403


def test_the_api_gives_the_same_zip_with_a_token(client, citizen, two_citizens):
    mine, theirs = two_citizens
    token = api_token_create(user=citizen)

    data, _archive = _open(client.get(API, HTTP_AUTHORIZATION=f"Token {token}"))

    codes = [d["code"] for d in data["dossiers"]]
    assert mine.code in codes
    assert theirs.code not in codes


def test_exports_are_rate_limited_per_citizen(client, settings, citizen):
    settings.DATA_EXPORT_RATE_LIMIT = 1
    client.force_login(citizen)
    assert client.post(PAGE).status_code == 200

    page = client.post(PAGE)
    api = client.get(API)

    assert page.status_code == 429
    assert "Quá nhiều yêu cầu" in page.text
    assert api.status_code == 429
    assert int(api["Retry-After"]) > 0


def test_the_api_is_in_the_schema(client):
    schema = client.get(reverse("api-schema"), {"format": "json"}).json()

    operation = schema["paths"]["/api/v1/me/data-export/"]["get"]
    assert "application/zip" in operation["responses"]["200"]["content"]
