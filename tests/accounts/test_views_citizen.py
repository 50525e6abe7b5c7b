"""The citizen's pages: permissions, the happy path, and 404 for anyone else."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import DataAccessLog, HouseholdMember, StoredDocument
from accounts.services import household_member_add, stored_document_add
from tests.accounts.test_services import PDF


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def document(citizen):
    return stored_document_add(
        owner=citizen,
        doc_type="birth_certificate",
        title="Giấy khai sinh của con",
        file=SimpleUploadedFile("ks.pdf", PDF),
    )


@pytest.fixture
def member(citizen):
    return household_member_add(
        owner=citizen, full_name="Nguyễn Văn Bé", relation="child"
    )


OWN_PAGES = [
    ("accounts:stored-document-detail", "document"),
    ("accounts:stored-document-download", "document"),
    ("accounts:stored-document-delete", "document"),
    ("accounts:household-member-edit", "member"),
    ("accounts:household-member-delete", "member"),
]


@pytest.mark.parametrize(("name", "obj"), OWN_PAGES)
def test_another_citizen_gets_404(client, request, other_citizen, name, obj):
    target = request.getfixturevalue(obj)
    client.force_login(other_citizen)

    assert client.get(reverse(name, args=[target.pk])).status_code == 404
    # GET-only pages answer a POST with 405 before looking anything up.
    assert client.post(reverse(name, args=[target.pk])).status_code in (404, 405)
    assert type(target).objects.filter(pk=target.pk).exists()


@pytest.mark.parametrize(("name", "obj"), OWN_PAGES)
def test_an_officer_gets_403_on_citizen_pages(
    client, request, officer, login_staff, name, obj
):
    target = request.getfixturevalue(obj)
    login_staff(client, officer)

    assert client.get(reverse(name, args=[target.pk])).status_code == 403


@pytest.mark.parametrize(("name", "obj"), OWN_PAGES)
def test_anonymous_users_go_to_login(client, request, name, obj):
    target = request.getfixturevalue(obj)

    response = client.get(reverse(name, args=[target.pk]))

    assert response.headers["Location"].startswith(reverse("accounts:login"))


def test_account_page_shows_profile_household_documents(
    client, citizen, document, member
):
    client.force_login(citizen)

    page = client.get(reverse("accounts:account-home")).text

    assert "Nguyễn Văn Công" in page
    assert "Nguyễn Văn Bé" in page
    assert "Giấy khai sinh của con" in page
    assert "Ai đã xem dữ liệu của tôi" in page


def test_account_page_in_english(client, citizen):
    client.force_login(citizen)
    client.cookies["django_language"] = "en"

    page = client.get(reverse("accounts:account-home")).text

    assert "Who viewed my data" in page


def test_access_log_shows_the_officers_view_to_the_citizen_only(
    client, citizen, other_citizen, officer
):
    DataAccessLog.objects.create(
        staff=officer,
        staff_unit=officer.org_unit,
        citizen=citizen,
        obj_label="Hồ sơ cá nhân",
        context="Tiếp nhận hồ sơ khai sinh",
    )

    client.force_login(citizen)
    mine = client.get(reverse("accounts:account-home")).text
    client.force_login(other_citizen)
    theirs = client.get(reverse("accounts:account-home")).text

    assert "Tiếp nhận hồ sơ khai sinh" in mine
    assert "UBND xã An" in mine
    assert "Tiếp nhận hồ sơ khai sinh" not in theirs


def test_upload_a_document_and_download_it(client, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("accounts:stored-document-add"),
        {
            "doc_type": "marriage_certificate",
            "title": "Giấy chứng nhận kết hôn",
            "issued_on": "2015-02-14",
            "file": SimpleUploadedFile("kh.pdf", PDF, content_type="application/pdf"),
        },
    )

    document = StoredDocument.objects.get()
    assert response.headers["Location"] == document.get_absolute_url()
    download = client.get(
        reverse("accounts:stored-document-download", args=[document.pk])
    )
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert "private" in download["Cache-Control"]
    assert "no-store" in download["Cache-Control"]
    assert b"".join(download.streaming_content) == PDF


def test_a_refused_upload_keeps_what_was_typed(client, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("accounts:stored-document-add"),
        {
            "doc_type": "other",
            "title": "Bản khai đặc biệt",
            "file": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary"),
        },
    )

    assert response.status_code == 200
    assert "không phải PDF, JPEG hay PNG" in response.text
    assert "Bản khai đặc biệt" in response.text
    assert not StoredDocument.objects.exists()


def test_files_are_not_served_from_a_media_url(client, document):
    assert client.get("/media/" + document.file.name).status_code == 404


def test_delete_a_document(client, citizen, document):
    client.force_login(citizen)

    client.post(reverse("accounts:stored-document-delete", args=[document.pk]))

    assert not StoredDocument.objects.exists()


def test_household_member_add_edit_delete(client, citizen):
    client.force_login(citizen)

    client.post(
        reverse("accounts:household-member-add"),
        {
            "full_name": "Trần Thị Hiền",
            "relation": "spouse",
            "date_of_birth": "1987-04-02",
            "sex": "female",
            "personal_id": "036187001234",
        },
    )
    member = HouseholdMember.objects.get(owner=citizen)
    client.post(
        reverse("accounts:household-member-edit", args=[member.pk]),
        {"full_name": "Trần Thị Thu Hiền", "relation": "spouse"},
    )
    member.refresh_from_db()
    assert member.full_name == "Trần Thị Thu Hiền"

    client.post(reverse("accounts:household-member-delete", args=[member.pk]))
    assert not HouseholdMember.objects.exists()


def test_household_member_with_a_wrong_personal_id_is_explained(client, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("accounts:household-member-add"),
        {
            "full_name": "Trần Thị Hiền",
            "relation": "spouse",
            "date_of_birth": "1987-04-02",
            "sex": "female",
            "personal_id": "036087001234",
        },
    )

    assert response.status_code == 200
    assert "phải có chữ số 1" in response.text
    assert not HouseholdMember.objects.exists()


def test_profile_edit(client, citizen, unit_a):
    client.force_login(citizen)

    response = client.post(
        reverse("accounts:profile-edit"),
        {
            "phone": "0912 345 000",
            "email": "cong@example.com",
            "permanent_address": "Xóm 2, xã An",
            "current_address": "",
            "commune": unit_a.admin_unit.pk,
        },
    )

    assert response.headers["Location"] == reverse("accounts:account-home")
    citizen.refresh_from_db()
    assert citizen.phone == "0912345000"
    assert citizen.profile.commune == unit_a.admin_unit


def test_profile_edit_refuses_a_bad_phone(client, citizen):
    client.force_login(citizen)

    response = client.post(
        reverse("accounts:profile-edit"),
        {"phone": "12345", "permanent_address": "Xóm 2"},
    )

    assert "bắt đầu bằng 03" in response.text
    assert "Xóm 2" in response.text


def test_account_page_queries_do_not_grow_with_the_log(
    client, citizen, officer, officer_other_commune, document, member
):
    client.force_login(citizen)

    def log(n):
        for staff in [officer, officer_other_commune] * n:
            DataAccessLog.objects.create(
                staff=staff,
                staff_unit=staff.org_unit,
                citizen=citizen,
                obj_label="Hồ sơ cá nhân",
                context="x",
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("accounts:account-home")).status_code == 200
        return len(queries)

    assert log(1) == log(5)
